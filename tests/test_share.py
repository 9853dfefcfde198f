"""Share pages: one per quote card and timeline entry, with social tags and a PNG made at build time."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import time

import pytest
from PIL import Image

from conftest import SITES, copy_site
from generator.build.sealed import cache_key, seal, unseal
from generator.features import share
from generator.features.images import store as imagestore


def share_links(page):
    return [a["href"] for a in page.select("a.share")]


def test_every_card_and_entry_links_to_its_share_page(shared_build):
    site = shared_build()
    page = site.page("border-rush/index.html")
    ids = [f["id"] for f in page.select("figure.quote")] + [li["id"] for li in page.select("ol.timeline > li")]
    assert len(ids) == 6
    for item_id in ids:
        link = page.find(id=item_id).select_one("a.share")
        assert link["href"] == f"q/{item_id}/index.html"
        assert (site.out / "border-rush" / link["href"]).is_file()
    assert sorted(p.name for p in (site.out / "border-rush" / "q").iterdir()) == sorted(ids)


def test_quote_share_page_has_social_tags_and_links_back(shared_build):
    site = shared_build("valid", "--base-url", "https://news.example/")
    quote = site.page("border-rush/index.html").select("figure.quote")[0]
    page = site.page(f"border-rush/q/{quote['id']}/index.html")
    url = f"https://news.example/border-rush/q/{quote['id']}/"
    assert page.find("link", rel="canonical")["href"] == url
    assert page.find("meta", property="og:url")["content"] == url
    assert page.find("meta", property="og:image")["content"] == url + "share.png"
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    title = page.find("meta", property="og:title")["content"]
    assert title.startswith('Ann <Smith> & "Co": “Arrivals doubled in a week.”')
    assert page.blockquote.get_text(strip=True) == "Arrivals doubled in a week."
    back = page.find("a", string="Read it in the explainer")["href"]
    assert back == f"../../index.html#{quote['id']}"
    assert page.find("smith") is None  # the speaker is escaped, never markup


def test_event_share_page_shows_date_title_and_body(shared_build):
    site = shared_build()
    page = site.page("border-rush/q/t-2022-09-21-mobilization-announced-feared/index.html")
    assert page.h1.get_text() == 'Mobilization <announced> & "feared"'
    assert page.time["datetime"] == "2022-09-21" and page.time.get_text() == "September 21, 2022"
    assert page.select_one(".event-body strong").get_text() == "decree"
    assert page.find("a", string="Read it in the explainer")["href"] == \
        "../../index.html#t-2022-09-21-mobilization-announced-feared"


def test_share_images_are_small_pngs_of_the_card_size(shared_build):
    site = shared_build()
    images = sorted((site.out / "border-rush" / "q").glob("*/share.png"))
    assert len(images) == 6
    for path in images:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG" and image.size == (1200, 630)
            assert image.mode == "P" and len(image.getcolors()) <= 16  # a 4-bit palette, drawn without quantizing
            image.load()  # the whole image decodes
        assert len(data) < 40 * 1024


def test_og_image_tags_give_the_share_images_real_type_and_size(shared_build):
    site = shared_build("valid", "--base-url", "https://news.example/")
    for folder in sorted((site.out / "border-rush" / "q").iterdir()):
        page = site.page(f"border-rush/q/{folder.name}/index.html")
        url = page.find("meta", property="og:image")["content"]
        assert url == f"https://news.example/border-rush/q/{folder.name}/share.png"
        assert page.find("meta", attrs={"name": "twitter:image"})["content"] == url
        with Image.open(folder / url.rsplit("/", 1)[1]) as image:
            assert page.find("meta", property="og:image:type")["content"] == Image.MIME[image.format]
            assert page.find("meta", property="og:image:width")["content"] == str(image.width)
            assert page.find("meta", property="og:image:height")["content"] == str(image.height)
    # The explainer's SVG lead cannot be shared: its card is drawn, with its type and size.
    page = site.page("border-rush/index.html")
    assert page.find("meta", property="og:image")["content"] == "https://news.example/border-rush/card.png"
    assert page.find("meta", property="og:image:type")["content"] == "image/png"


def test_share_images_differ_by_content_and_are_byte_identical_across_builds(tmp_path):
    from generator.features import share
    first, second = copy_site(SITES / "valid", tmp_path / "a"), copy_site(SITES / "valid", tmp_path / "b")
    first.build()
    share.image_bytes.cache_clear()  # draw everything again rather than reuse this process's images
    second.build()  # another site: its own cache folder, so drawn anew
    pngs = lambda s: {p.parent.name: p.read_bytes() for p in (s.out / "border-rush/q").glob("*/share.png")}
    assert pngs(first) == pngs(second)
    assert len(set(pngs(first).values())) == 6  # each card has its own picture


def test_share_pages_can_be_turned_off_in_site_yaml(site):
    site_yaml = site.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "share_pages: false\n", encoding="utf-8")
    assert site.build() == 0
    assert not list(site.out.glob("*/q"))
    assert not site.page("border-rush/index.html").select("a.share")


def kept_images(site) -> dict[str, bytes]:
    """The share images in the site's cache: file name -> stored bytes."""
    folder = site.root / imagestore.FOLDER
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != imagestore.STAMP} if folder.is_dir() else {}


def output_images(site, out=None) -> dict[str, bytes]:
    out = out or site.out
    return {str(p.relative_to(out)): p.read_bytes() for p in out.glob("*/q/*/share.png")}


@pytest.fixture
def draws(monkeypatch):
    """Counts the share cards drawn (share.draw calls), with this process's images forgotten first;
    the pages' own cards (cards.py), drawn by the same code, are counted apart."""
    count = {"n": 0, "pages": 0}
    real = share.draw

    def counted(card):
        # A share card's footer names its explainer; a page card's gives the page's address.
        count["n" if "Rush at the border" in card.lines[-1].text else "pages"] += 1
        return real(card)

    share.image_bytes.cache_clear()
    monkeypatch.setattr(share, "draw", counted)
    yield count
    share.image_bytes.cache_clear()


def test_each_distinct_card_is_drawn_once_and_kept_under_its_digest(site, draws):
    # A second explainer with the same title and cards shows the same six pictures.
    shutil.copytree(site.root / "content/border-rush", site.root / "content/border-rush-again")
    article = site.root / "content/border-rush-again/article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("tags:", "slug: border-rush-again\ntags:", 1),
                       encoding="utf-8")
    assert site.build() == 0
    made = output_images(site)
    assert len(made) == 12 and len(set(made.values())) == 6
    assert draws["n"] == 6
    kept = kept_images(site)
    assert len(kept) == 6
    for name, stored in kept.items():  # named by the inputs' digest, sealed as every cache entry is
        assert len(name) == 64 and unseal(cache_key(), name, stored) in made.values()


def test_a_new_build_reads_kept_images_instead_of_drawing(site, draws, tmp_path):
    assert site.build() == 0
    first = output_images(site)
    assert draws["n"] == 6
    # Plant a different valid picture under one card's name: a build that publishes it read the cache.
    name, stored = next(iter(sorted(kept_images(site).items())))
    planted = share.encode(share.draw(share.layout("event", "Planted", "Planted", "", "Site", "Title")))
    (site.root / imagestore.FOLDER / name).write_bytes(seal(cache_key(), name, planted))
    share.image_bytes.cache_clear()
    draws["n"] = 0
    other = tmp_path / "other-out"  # a fresh output folder: every explainer is made again
    assert site.build("--out", str(other)) == 0
    again = output_images(site, other)
    assert draws["n"] == 0
    assert [k for k in again if again[k] != first[k]] == [k for k in first if first[k] == unseal(cache_key(), name, stored)]
    assert planted in again.values()


def test_an_image_not_sealed_with_the_users_key_is_never_published(site, draws, tmp_path):
    assert site.build() == 0
    first = output_images(site)
    planted = share.encode(share.draw(share.layout("event", "Planted", "Planted", "", "Site", "Title")))
    for name in kept_images(site):  # as someone without the key would write them: right digest, wrong seal
        (site.root / imagestore.FOLDER / name).write_bytes(hashlib.sha256(planted).digest() + planted)
    share.image_bytes.cache_clear()
    other = tmp_path / "other-out"
    assert site.build("--out", str(other)) == 0
    assert output_images(site, other) == first
    assert planted not in output_images(site, other).values()


def test_a_changed_quote_redraws_only_its_own_image(site, draws):
    assert site.build() == 0
    before = output_images(site)
    quotes = site.root / "content/border-rush/quotes.yaml"
    quotes.write_text(quotes.read_text(encoding="utf-8").replace("Мы не знали, что делать.",
                                                                 "Мы не знали, что делать дальше."), encoding="utf-8")
    share.image_bytes.cache_clear()
    draws["n"] = 0
    assert site.build() == 0
    after = output_images(site)
    assert draws["n"] == 1
    changed = [name for name in after if after[name] != before.get(name)]
    assert len(changed) == 1 and "/q/q-" in changed[0]
    assert len(kept_images(site)) == 7  # the old picture stays until unused for a month


def test_share_images_are_not_kept_without_a_cache(site, draws):
    from generator.build.pipeline import Builder, Options

    Builder(Options(site=site.root, out=site.out, cache=False)).build()
    assert len(output_images(site)) == 6 and draws["n"] == 6
    assert not (site.root / ".cache").exists()


def test_unused_kept_images_are_removed_at_most_once_a_day(tmp_path):
    folder = tmp_path / "images"
    now = time.time()
    imagestore.put(folder, "a" * 64, b"old")
    imagestore.put(folder, "b" * 64, b"used")
    month_ago = now - imagestore.UNUSED_FOR - 60
    os.utime(folder / ("a" * 64), (month_ago, month_ago))
    os.utime(folder / ("b" * 64), (month_ago, month_ago))
    assert imagestore.get(folder, "b" * 64) == b"used"  # read: marked as used
    assert imagestore.prune(folder, now) == 1
    assert sorted(p.name for p in folder.iterdir()) == [imagestore.STAMP, "b" * 64]
    os.utime(folder / ("b" * 64), (month_ago, month_ago))
    assert imagestore.prune(folder, now + 3600) == 0  # looked an hour ago
    assert imagestore.prune(folder, now + imagestore.PRUNE_EVERY + 1) == 1


def test_a_long_quote_and_detail_stay_above_the_rule(tmp_path):
    """The headline leaves room for every line of the detail, which never reaches the rule or footer."""
    words = " ".join(["Officials reported that the border crossings were busier than ever before"] * 14)
    detail = "Aigul Beisenova, Diaspora leader among migrants from Kyrgyzstan and a former minister of labour " * 2
    card = share.layout("quote", "", words, detail, "Explainers", "A title")
    details = [line for line in card.lines if line.face == "bold" and line.size == 28]
    assert len(details) == 2 and details[-1].text.endswith("…")
    assert any(line.text.endswith("…") for line in card.lines if line.ink == "ink" and line.size != 28)
    with Image.open(io.BytesIO(share.encode(share.draw(card)))) as image:
        rgb = image.convert("RGB")
    background = share.COLORS["bg"]
    for y in range(share.RULE_Y - 3, share.FOOTER_Y):  # under the detail, around the rule, above the footer
        row = {rgb.getpixel((x, y)) for x in range(0, 1200, 2)}
        if y in (share.RULE_Y, share.RULE_Y + 1):
            assert row <= {background, share.COLORS["rule"]}, y
        elif y not in (share.RULE_Y - 1, share.RULE_Y + 2):
            assert row == {background}, y


def test_the_png_written_holds_exactly_the_drawn_pixels_and_colours():
    for rtl, headline in ((False, "Мы не знали, что делать."), (True, "الحكومة الحدود المهاجرين")):
        picture = share.draw(share.layout("quote", "", headline, "Speaker, Role", "Site", "Explainer", rtl))
        data = share.encode(picture)
        with Image.open(io.BytesIO(data)) as png:
            png.load()
            assert (png.format, png.mode, png.size) == ("PNG", "P", share.SIZE)
            assert png.tobytes() == picture.tobytes() and png.getpalette() == picture.getpalette()
        assert data[24] == 4  # bit depth in the header: two pixels a byte


@pytest.mark.parametrize("face", ["serif", "sans", "bold"])
def test_lines_pasted_glyph_by_glyph_look_as_the_font_draws_them(face):
    """The fast path (generator/glyphs.py) against Pillow drawing the whole line: this fails
    when a Pillow or FreeType release places or shapes glyphs differently."""
    from PIL import ImageChops, ImageDraw

    from generator.features.images.glyphs import draw_line

    font = share.font(face, 54)
    for text in ("Money prices years economy", "AVA To Ty Wa Yo office affluent", "Привет мир Ελληνικά café — “q”"):
        whole, pasted = (Image.new("L", (1200, 100), 0) for _ in range(2))
        ImageDraw.Draw(whole).text((80, 10), text, font=font, fill=255, anchor="la")
        draw_line(pasted, (80, 10), text, font, 255)
        # Glyphs land on whole pixels, as the font places them give or take one: the same ink,
        # the same extent, and only edge pixels differ.
        ink = [sum(image.get_flattened_data()) for image in (whole, pasted)]
        assert abs(ink[0] - ink[1]) <= 0.02 * ink[0], (face, text, ink)
        box = [whole.getbbox(), pasted.getbbox()]
        assert all(abs(a - b) <= 1 for a, b in zip(*box)), (face, text, box)
        inked = sum(1 for v in whole.get_flattened_data() if v > 60)
        wrong = sum(1 for v in ImageChops.difference(whole, pasted).get_flattened_data() if v > 60)
        assert inked > 1000 and wrong <= 0.08 * inked, (face, text, wrong, inked)
