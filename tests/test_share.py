"""Share pages: one per quote card and timeline entry, with social tags and a PNG made at build time."""

from __future__ import annotations

import io

from PIL import Image

from conftest import SITES, copy_site


def share_links(page):
    return [a["href"] for a in page.select("a.share")]


def test_every_card_and_entry_links_to_its_share_page(site):
    assert site.build() == 0
    page = site.page("border-rush/index.html")
    ids = [f["id"] for f in page.select("figure.quote")] + [li["id"] for li in page.select("ol.timeline > li")]
    assert len(ids) == 6
    for item_id in ids:
        link = page.find(id=item_id).select_one("a.share")
        assert link["href"] == f"q/{item_id}/index.html"
        assert (site.out / "border-rush" / link["href"]).is_file()
    assert sorted(p.name for p in (site.out / "border-rush" / "q").iterdir()) == sorted(ids)


def test_quote_share_page_has_social_tags_and_links_back(site):
    site.build("--base-url", "https://news.example/")
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


def test_event_share_page_shows_date_title_and_body(site):
    site.build()
    page = site.page("border-rush/q/t-2022-09-21-mobilization-announced-feared/index.html")
    assert page.h1.get_text() == 'Mobilization <announced> & "feared"'
    assert page.time["datetime"] == "2022-09-21" and page.time.get_text() == "September 21, 2022"
    assert page.select_one(".event-body strong").get_text() == "decree"
    assert page.find("a", string="Read it in the explainer")["href"] == \
        "../../index.html#t-2022-09-21-mobilization-announced-feared"


def test_share_images_are_small_pngs_of_the_card_size(site):
    site.build()
    images = sorted((site.out / "border-rush" / "q").glob("*/share.png"))
    assert len(images) == 6
    for path in images:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG" and image.size == (1200, 630)
        assert len(data) < 60 * 1024


def test_share_images_differ_by_content_and_are_byte_identical_across_builds(tmp_path):
    from generator import share
    first, second = copy_site(SITES / "valid", tmp_path / "a"), copy_site(SITES / "valid", tmp_path / "b")
    first.build()
    share._draw.cache_clear()  # draw everything again rather than reuse this process's images
    second.build()
    pngs = lambda s: {p.parent.name: p.read_bytes() for p in (s.out / "border-rush/q").glob("*/share.png")}
    assert pngs(first) == pngs(second)
    assert len(set(pngs(first).values())) == 6  # each card has its own picture


def test_share_pages_can_be_turned_off_in_site_yaml(site):
    site_yaml = site.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "share_pages: false\n", encoding="utf-8")
    assert site.build() == 0
    assert not list(site.out.glob("*/q"))
    assert not site.page("border-rush/index.html").select("a.share")
