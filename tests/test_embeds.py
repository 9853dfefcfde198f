"""Embeds: a page and an oEmbed response per timeline, fact box, quote card and timeline entry.

The fast tests read built files; the browser tests (marked slow) put the
published snippets into a page of another origin and watch the frames size.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from generator import search
from generator.build import Builder, Options
from generator.cli import main

SLUG = "border-rush"
SANDBOX = {"allow-scripts", "allow-popups", "allow-popups-to-escape-sandbox", "allow-top-navigation-by-user-activation"}
# Bytes of an embed page's HTML, uncompressed: the page chrome around the item is about 1 KB.
BUDGET = {"quote": 2_500, "event": 2_500, "country": 8_000, "timeline_base": 1_800, "timeline_entry": 1_000}
# What an embed loads besides its page: the theme's style.css (shared with the whole site) and these two.
ASSETS_BUDGET = 3_000  # embed.css and embed.js together
PARENT_BUDGET = 1_200  # static/embed-parent.js, which the snippet loads into the host page


def embed_ids(out, slug=SLUG) -> list[str]:
    return sorted(p.parent.name for p in (out / slug / "embed").glob("*/index.html"))


def oembed_of(out, ident, slug=SLUG) -> dict:
    return json.loads((out / slug / "embed" / ident / "oembed.json").read_text(encoding="utf-8"))


def items_of(page: BeautifulSoup) -> dict[str, list[str]]:
    ids = [el["id"] for el in page.select("[id]")]
    return {"country": [i for i in ids if re.fullmatch(r"country-[a-z]{2}", i)],
            "quote": [i for i in ids if i.startswith("q-")], "event": [i for i in ids if i.startswith("t-")]}


def test_every_timeline_fact_box_quote_card_and_entry_has_an_embed_page(site):
    assert site.build() == 0
    items = items_of(site.page(f"{SLUG}/index.html"))
    assert items["country"] and items["quote"] and items["event"]
    assert embed_ids(site.out) == sorted(["timeline", *items["country"], *items["quote"], *items["event"]])
    assert not (site.out / "no-notes" / "embed").exists()  # nothing to embed
    shares = sorted(p.parent.name for p in (site.out / SLUG / "q").glob("*/index.html"))
    assert set(shares) <= set(embed_ids(site.out))  # the same ids as the share pages


def test_an_embed_page_is_the_item_alone_with_a_link_back_to_it(site):
    assert site.build() == 0
    for ident in embed_ids(site.out):
        page = site.page(f"{SLUG}/embed/{ident}/index.html")
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert page.html["lang"] == "en" and page.html["dir"] == "ltr"
        base = page.find("base")
        assert base["href"] == "../../" and base["target"] == "_top"  # links resolve as on the explainer page
        assert not page.select(".masthead, .colophon, .skip, nav")  # no page chrome
        back = page.select_one(".embed-from a")
        assert back.get_text() == 'From Desk & <Co> "Explainers"'
        anchor = "timeline-heading" if ident == "timeline" else ident
        assert back["href"] == f"index.html#{anchor}"
        assert site.page(f"{SLUG}/index.html").find(id=anchor) is not None
        if ident != "timeline":
            assert page.find(id=ident) is not None  # the item itself, with its id
    timeline = site.page(f"{SLUG}/embed/timeline/index.html")
    assert len(timeline.select(".timeline > li")) == len(items_of(site.page(f"{SLUG}/index.html"))["event"])
    entry = next(i for i in embed_ids(site.out) if i.startswith("t-"))
    assert [li["id"] for li in site.page(f"{SLUG}/embed/{entry}/index.html").select(".timeline > li")] == [entry]


def test_embed_pages_speak_the_explainers_language(site):
    site.write("content/border-rush/article.md", (site.root / "content/border-rush/article.md").read_text(
        encoding="utf-8").replace("---\n", "---\nlanguage: ru\n", 1))
    assert site.build() == 0
    page = site.page(f"{SLUG}/embed/timeline/index.html")
    assert page.html["lang"] == "ru"
    assert page.select_one(".embed-kind").get_text() == "Хронология"
    assert page.select_one(".embed-from a").get_text().startswith("Из «")


def test_oembed_response_is_rich_with_the_iframe_provider_and_thumbnail(site):
    assert site.build("--base-url", "https://news.example.org/explainers/") == 0
    base = "https://news.example.org/explainers/"
    for ident in embed_ids(site.out):
        data = oembed_of(site.out, ident)
        assert data["version"] == "1.0" and data["type"] == "rich"
        assert data["provider_name"] == 'Desk & <Co> "Explainers"' and data["provider_url"] == base
        assert isinstance(data["width"], int) and 200 <= data["height"] <= 4000
        frame = BeautifulSoup(data["html"], "html.parser")
        iframe = frame.find("iframe")
        assert iframe["src"] == f"{base}{SLUG}/embed/{ident}/"
        assert int(iframe["height"]) == data["height"] and iframe["title"] == data["title"]
        assert set(iframe["sandbox"]) == SANDBOX
        assert frame.find("script")["src"] == f"{base}static/embed-parent.js"
        page = site.page(f"{SLUG}/embed/{ident}/index.html")
        link = page.find("link", attrs={"type": "application/json+oembed"})
        assert link["href"] == f"{base}{SLUG}/embed/{ident}/oembed.json" and link["rel"] == ["alternate"]
    quote = next(i for i in embed_ids(site.out) if i.startswith("q-"))
    data = oembed_of(site.out, quote)
    assert data["thumbnail_url"] == f"{base}{SLUG}/q/{quote}/share.png"
    assert (data["thumbnail_width"], data["thumbnail_height"]) == (1200, 630)
    assert (site.out / SLUG / "q" / quote / "share.png").is_file()
    # The fact box shows the explainer's lead image, whose size is known.
    country = oembed_of(site.out, "country-kg")
    assert country["thumbnail_url"] == f"{base}{SLUG}/photo.svg" and country["thumbnail_width"] > 0


def test_with_a_relative_base_url_the_oembed_links_stay_relative(site):
    assert site.build() == 0  # base_url "/"
    page = site.page(f"{SLUG}/embed/timeline/index.html")
    assert page.find("link", attrs={"type": "application/json+oembed"})["href"] == "embed/timeline/oembed.json"
    quote = next(i for i in embed_ids(site.out) if i.startswith("q-"))
    share = site.page(f"{SLUG}/q/{quote}/index.html")
    assert share.find("link", attrs={"type": "application/json+oembed"})["href"] == \
        f"../../embed/{quote}/oembed.json"
    assert BeautifulSoup(oembed_of(site.out, "timeline")["html"], "html.parser").iframe["src"] == \
        f"/{SLUG}/embed/timeline/"


def test_share_pages_link_their_oembed_and_offer_the_embed_code(site):
    assert site.build("--base-url", "https://news.example.org/") == 0
    for ident in sorted(p.parent.name for p in (site.out / SLUG / "q").glob("*/index.html")):
        page = site.page(f"{SLUG}/q/{ident}/index.html")
        assert page.find("link", attrs={"type": "application/json+oembed"})["href"] == \
            f"https://news.example.org/{SLUG}/embed/{ident}/oembed.json"
        button = page.select_one("button.embed-copy")
        assert button.get_text() == "Copy embed code" and button.has_attr("hidden")  # shown by its script
        box = page.select_one(".embed-code details textarea")
        assert box.has_attr("readonly") and box["id"] == button["data-snippet"]
        assert box.get_text() == oembed_of(site.out, ident)["html"]  # the snippet, as the oEmbed response has it
        scripts = [s["src"] for s in page.find_all("script")]
        assert any("/embed-code." in src for src in scripts)


def test_embeds_can_be_turned_off_in_site_yaml(site, tmp_path):
    assert site.build() == 0
    on = {p.relative_to(site.out).as_posix(): p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "embeds: false\n")
    assert site.build() == 0
    off = {p.relative_to(site.out).as_posix(): p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    assert not [name for name in off if "/embed/" in name]
    assert {name for name in on if "/embed/" not in name} == set(off)
    for name, data in off.items():
        if name.endswith("/index.html") and "/q/" in name:
            assert b"oembed" not in data and b"embed-code" not in data
    assert off[f"{SLUG}/index.html"] == on[f"{SLUG}/index.html"]  # the explainer page is the same


def test_embeds_is_a_true_or_false_field(site, capsys):
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "embeds: sometimes\n")
    assert site.build() == 1
    assert re.search(r"site\.yaml:\d+:\d+: error: .*embeds", capsys.readouterr().err)


def test_embed_pages_stay_out_of_the_sitemap_and_the_search_index(site):
    assert site.build() == 0
    sitemap = (site.out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"/{SLUG}/" in sitemap and "/embed/" not in sitemap
    names = [p.relative_to(site.out).as_posix() for p in site.out.rglob("index.html")]
    embedded = [n for n in names if "/embed/" in n]
    assert embedded and not [n for n in embedded if search.indexed(n)]
    assert search.indexed(f"{SLUG}/index.html")  # the test can fail: explainer pages are indexed


def test_embed_and_share_pages_have_no_inline_script_or_style_and_load_only_their_own_site(site):
    """What a strict Content-Security-Policy (script-src 'self'; style-src 'self') allows, and nothing
    from another host: the page may be put into anyone's story."""
    assert site.build("--base-url", "https://news.example.org/") == 0
    pages = sorted(site.out.glob(f"{SLUG}/embed/*/index.html")) + sorted(site.out.glob(f"{SLUG}/q/*/index.html"))
    assert len(pages) > 10
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(site.out).as_posix()
        assert not page.find("style"), where
        assert not page.select("[style]"), where
        assert not [s for s in page.find_all("script") if not s.get("src") and s.get("type") != "application/ld+json"]
        for el in page.find_all(True):
            assert not [a for a in el.attrs if a.lower().startswith("on")], (where, el.name)
            for attr in ("href", "src"):
                assert not str(el.get(attr, "")).lower().startswith("javascript:"), where
        for el in page.select("script[src], link[rel~=stylesheet], img[src], iframe[src]"):
            url = el.get("src") or el.get("href")
            assert "://" not in url or url.startswith("https://news.example.org/"), (where, url)
        if "/embed/" in where:
            assert not page.find("script", attrs={"type": "application/ld+json"})
            assert not page.find("iframe") and not page.find("form")


def test_embed_pages_keep_within_their_byte_budgets(example):
    assert example.build() == 0
    slug = "central-asia-recruits"
    static = example.out / "static"
    for ident in embed_ids(example.out, slug):
        size = (example.out / slug / "embed" / ident / "index.html").stat().st_size
        kind = ("quote" if ident.startswith("q-") else "event" if ident.startswith("t-")
                else "country" if ident.startswith("country-") else "timeline")
        if kind == "timeline":
            entries = len(example.page(f"{slug}/embed/timeline/index.html").select(".timeline > li"))
            budget = BUDGET["timeline_base"] + BUDGET["timeline_entry"] * entries
        else:
            budget = BUDGET[kind]
        assert size <= budget, f"{ident}: {size} bytes, budget {budget}"
    own = [p for p in static.iterdir() if re.fullmatch(r"embed\.[0-9a-f]{10}\.(css|js)", p.name)]
    assert len(own) == 2 and sum(p.stat().st_size for p in own) <= ASSETS_BUDGET
    assert (static / "embed-parent.js").stat().st_size <= PARENT_BUDGET  # its name never changes


def test_the_preview_lists_each_embed_code_under_the_explainer(site, tmp_path):
    """The preview builds no share pages, so its explainer page carries the controls."""
    out = tmp_path / "preview"
    Builder(Options(site=site.root, out=out, drafts=True, hashed_assets=False, extras=False, in_place=True,
                    save=False)).build()
    page = BeautifulSoup((out / SLUG / "index.html").read_text(encoding="utf-8"), "html.parser")
    boxes = page.select("section.embed-codes textarea")
    assert sorted(b["id"].removeprefix("embed-") for b in boxes) == embed_ids(out)
    assert len(page.select("section.embed-codes button.embed-copy")) == len(boxes)
    assert page.find("script", src="../static/embed-code.js")
    # A published build shows no such list.
    assert site.build() == 0
    assert not site.page(f"{SLUG}/index.html").select(".embed-codes")


def test_diff_lists_the_embeds_that_changed(site, tmp_path, capsys):
    assert site.build() == 0
    old = tmp_path / "old"
    site.out.rename(old)
    countries = site.root / "content/border-rush/countries.yaml"
    countries.write_text(countries.read_text(encoding="utf-8").replace('value: "doubled & more"',
                                                                      'value: "tripled"'), encoding="utf-8")
    assert site.build() == 0
    capsys.readouterr()
    assert main(["diff", str(old), str(site.out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"  changed embed {SLUG}/embed/country-kz/" in lines
    assert f"  changed embed {SLUG}/embed/country-kg/" not in lines
    assert not [line for line in lines if "embed/q-" in line or "embed/timeline" in line]
