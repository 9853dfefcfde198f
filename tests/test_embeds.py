"""Embeds: a page and an oEmbed response per timeline, fact box, quote card and timeline entry.

The fast tests read built files; the browser tests (marked slow) put the
published snippets into a page of another origin and watch the frames size.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from generator.build.pipeline import Builder, Options
from generator.cli.main import main
from generator.features import search

SLUG = "border-rush"
SANDBOX = {"allow-scripts", "allow-popups", "allow-popups-to-escape-sandbox", "allow-top-navigation-by-user-activation"}
# Bytes of an embed page's HTML, uncompressed: the page chrome around the item is about 1 KB.
# Bytes of each embed page; a fact box's locator map, drawn inline, is held to its own budget (test_maps.py).
BUDGET = {"quote": 2_500, "event": 2_500, "country": 4_000, "timeline_base": 1_800, "timeline_entry": 1_000}
# What an embed loads besides its page: the theme's style.css (shared with the whole site) and these two.
ASSETS_BUDGET = 3_000  # embed.css and embed.js together
PARENT_BUDGET = 1_200  # embed-parent.js, which the snippet loads into the host page


def embed_ids(out, slug=SLUG) -> list[str]:
    return sorted(p.parent.name for p in (out / slug / "embed").glob("*/index.html"))


def oembed_of(out, ident, slug=SLUG) -> dict:
    return json.loads((out / slug / "embed" / ident / "oembed.json").read_text(encoding="utf-8"))


def items_of(page: BeautifulSoup) -> dict[str, list[str]]:
    ids = [el["id"] for el in page.select("[id]")]
    return {"country": [i for i in ids if re.fullmatch(r"country-[a-z]{2}", i)],
            "quote": [i for i in ids if i.startswith("q-")], "event": [i for i in ids if i.startswith("t-")]}


def test_every_timeline_fact_box_quote_card_and_entry_has_an_embed_page(shared_build):
    site = shared_build()
    items = items_of(site.page(f"{SLUG}/index.html"))
    assert items["country"] and items["quote"] and items["event"]
    assert embed_ids(site.out) == sorted(["timeline", *items["country"], *items["quote"], *items["event"]])
    assert not (site.out / "no-notes" / "embed").exists()  # nothing to embed
    shares = sorted(p.parent.name for p in (site.out / SLUG / "q").glob("*/index.html"))
    assert set(shares) <= set(embed_ids(site.out))  # the same ids as the share pages


def test_an_embed_page_is_the_item_alone_with_a_link_back_to_it(shared_build):
    site = shared_build()
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
        assert frame.find("script")["src"] == f"{base}embed-parent.js"
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


def test_with_a_relative_base_url_the_oembed_links_stay_relative(shared_build):
    site = shared_build()  # base_url "/"
    page = site.page(f"{SLUG}/embed/timeline/index.html")
    assert page.find("link", attrs={"type": "application/json+oembed"})["href"] == "embed/timeline/oembed.json"
    quote = next(i for i in embed_ids(site.out) if i.startswith("q-"))
    share = site.page(f"{SLUG}/q/{quote}/index.html")
    assert share.find("link", attrs={"type": "application/json+oembed"})["href"] == \
        f"../../embed/{quote}/oembed.json"
    assert BeautifulSoup(oembed_of(site.out, "timeline")["html"], "html.parser").iframe["src"] == \
        f"/{SLUG}/embed/timeline/"


def test_share_pages_link_their_oembed_and_offer_the_embed_code(shared_build):
    site = shared_build("valid", "--base-url", "https://news.example.org/")
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
    ours = [name for name in on if "/embed/" in name or name.startswith(("static/embed", "embed-parent"))]
    assert "embed-parent.js" in ours and not set(ours) & set(off)
    assert set(on) - set(ours) == set(off)
    for name, data in off.items():
        if name.endswith("/index.html") and "/q/" in name:
            assert b"oembed" not in data and b"embed-code" not in data
    assert off[f"{SLUG}/index.html"] == on[f"{SLUG}/index.html"]  # the explainer page is the same


def test_embeds_is_a_true_or_false_field(site, capsys):
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "embeds: sometimes\n")
    assert site.build() == 1
    assert re.search(r"site\.yaml:\d+:\d+: error: .*embeds", capsys.readouterr().err)


def test_embed_pages_stay_out_of_the_sitemap_and_the_search_index(shared_build):
    site = shared_build()
    sitemap = (site.out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"/{SLUG}/" in sitemap and "/embed/" not in sitemap
    names = [p.relative_to(site.out).as_posix() for p in site.out.rglob("index.html")]
    embedded = [n for n in names if "/embed/" in n]
    assert embedded and not [n for n in embedded if search.indexed(n)]
    assert search.indexed(f"{SLUG}/index.html")  # the test can fail: explainer pages are indexed


def test_embed_pages_keep_within_their_byte_budgets(shared_build):
    example = shared_build("example")
    slug = "central-asia-recruits"
    static = example.out / "static"
    for ident in embed_ids(example.out, slug):
        page = example.out / slug / "embed" / ident / "index.html"
        maps = re.findall(rb"<svg\b.*?</svg>", page.read_bytes(), flags=re.DOTALL)
        size = page.stat().st_size - sum(map(len, maps))
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
    assert (example.out / "embed-parent.js").stat().st_size <= PARENT_BUDGET  # its name never changes
    assert not [p for p in static.iterdir() if p.name.startswith("embed-parent")]


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


# In Chromium: the published snippets in a story on another origin (another local port).

EXAMPLE = "central-asia-recruits"
PICKED = ("timeline", "country-kg", "q-kulov-the-call-up-of")  # a timeline, a fact box and a quote card
TOLERANCE = 3  # pixels between a frame's height and its content's
CONTENT_HEIGHT = "Math.ceil(document.documentElement.getBoundingClientRect().height)"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The example site built for and served at one origin, the host stories at another."""
    from browser import require_tool, serve
    from conftest import copy_example
    from embedding import article, copy_parent_libraries, frames_page, pym_page, snippet

    require_tool("pym.js/dist/pym.v1.min.js")
    root = tmp_path_factory.mktemp("embeds")
    example = copy_example(root / "example")
    host = root / "host"
    host.mkdir()
    with serve(example.out) as site_base, serve(host) as host_base:
        assert example.build("--base-url", site_base) == 0
        snippets = [snippet(example.out, EXAMPLE, ident) for ident in PICKED]
        urls = [f"{site_base}{EXAMPLE}/embed/{ident}/" for ident in PICKED]
        (host / "ours.html").write_text(article("Our parent script", snippets), encoding="utf-8")
        bare = [re.sub(r"<script[^>]*></script>", "", s) for s in snippets]
        (host / "bare.html").write_text(article("No script", bare), encoding="utf-8")
        (host / "pym.html").write_text(pym_page(urls), encoding="utf-8")
        (host / "frames.html").write_text(frames_page(urls), encoding="utf-8")
        copy_parent_libraries(host)
        yield {"site": site_base, "host": host_base, "out": example.out, "folder": host, "snippets": snippets}


@pytest.fixture(scope="module")
def browser():
    from browser import chromium

    with chromium() as b:
        yield b


def frame_sizes(page) -> list[tuple[float, int]]:
    """(the frame's height on the page, its content's height) of each iframe, each loaded first."""
    found = []
    for handle in page.query_selector_all("iframe"):
        handle.scroll_into_view_if_needed()
        frame = handle.content_frame()
        frame.wait_for_selector(".embed-from")
        found.append((handle.bounding_box()["height"], frame.evaluate(CONTENT_HEIGHT)))
    page.evaluate("window.scrollTo(0, 0)")
    return found


def settled(page, count: int = len(PICKED), seconds: float = 10) -> list[tuple[float, int]]:
    """The sizes once every frame is within TOLERANCE of its content, or as they are after `seconds`."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        found = frame_sizes(page)
        if len(found) == count and all(abs(box - content) <= TOLERANCE for box, content in found):
            return found
        if time.monotonic() > deadline:
            return found
        page.wait_for_timeout(150)


def watched(browser, served, width: int, **options):
    """A page in a fresh context, and the list every request it makes is added to."""
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    return context, context.new_page(), requests


@pytest.mark.slow
@pytest.mark.parametrize("story", ["ours", "pym", "frames"])
def test_each_frame_takes_its_contents_height_at_both_widths_and_after_a_resize(browser, served, story):
    """The snippet with our parent script, the real Pym.js parent library, and @newswire/frames."""
    for first, second in ((1280, 390), (390, 1280)):
        context, page, requests = watched(browser, served, first)
        try:
            page.goto(f"{served['host']}{story}.html")
            sizes = settled(page)
            assert len(sizes) == 3 and all(abs(b - c) <= TOLERANCE for b, c in sizes), (story, first, sizes)
            page.set_viewport_size({"width": second, "height": 900})
            resized = settled(page)
            assert all(abs(b - c) <= TOLERANCE for b, c in resized), (story, second, resized)
            assert [c for _, c in resized] != [c for _, c in sizes]  # the content did change height
            outside = [u for u in requests if not u.startswith((served["site"], served["host"]))]
            assert not outside, f"requests to a third party: {outside}"
            assert context.cookies() == []
        finally:
            context.close()


@pytest.mark.slow
def test_without_any_script_the_frames_show_the_items_at_their_estimated_height(browser, served):
    for javascript in (True, False):
        context, page, _ = watched(browser, served, 1280, java_script_enabled=javascript)
        try:
            page.goto(f"{served['host']}bare.html")
            for ident, (box, content) in zip(PICKED, frame_sizes(page)):
                estimate = oembed_of(served["out"], ident, EXAMPLE)["height"]
                assert box == pytest.approx(estimate, abs=1)  # nothing resized it
                assert 0.8 * content <= estimate <= 1.25 * content, (ident, estimate, content)
        finally:
            context.close()


@pytest.mark.slow
def test_an_embed_is_sandboxed_and_its_links_open_in_the_top_window(browser, served):
    context, page, _ = watched(browser, served, 1280)
    try:
        page.goto(f"{served['host']}ours.html")
        settled(page)
        quote = page.frame_locator("iframe >> nth=2")
        cookie = page.query_selector_all("iframe")[2].content_frame().evaluate(
            "() => { try { document.cookie = 'a=1'; return document.cookie; } catch (e) { return 'refused'; } }")
        assert cookie == "refused"  # an origin of its own: no cookies at all
        quote.locator(".embed-from a").click()
        page.wait_for_url(f"{served['site']}{EXAMPLE}/index.html#q-kulov-the-call-up-of")
    finally:
        context.close()


@pytest.mark.slow
def test_copy_embed_code_copies_the_snippet_and_without_script_the_box_holds_it(browser, served):
    share = f"{served['site']}{EXAMPLE}/q/q-kulov-the-call-up-of/index.html"
    expected = oembed_of(served["out"], "q-kulov-the-call-up-of", EXAMPLE)["html"]
    context, page, _ = watched(browser, served, 1280)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served["site"].rstrip("/"))
    try:
        page.goto(share)
        button = page.get_by_role("button", name="Copy embed code")
        button.click()
        assert page.evaluate("navigator.clipboard.readText()") == expected
        assert page.locator(".embed-copied").inner_text() == "Copied"
    finally:
        context.close()
    context, page, _ = watched(browser, served, 1280, java_script_enabled=False)
    try:
        page.goto(share)
        assert not page.get_by_role("button", name="Copy embed code").is_visible()
        page.locator(".embed-code summary").click()
        assert page.locator(".embed-code textarea").input_value() == expected
    finally:
        context.close()


@pytest.mark.slow
def test_an_oembed_consumer_discovers_and_fetches_the_response(served):
    """micawber fetches and renders oEmbed; it does not read <link> tags, so discovery is done here as
    the oEmbed spec (section 4) and WordPress do it: the page's alternate link of the oEmbed JSON type."""
    from urllib.request import urlopen

    from micawber import Provider, ProviderRegistry

    for page_url in (f"{served['site']}{EXAMPLE}/embed/timeline/",
                     f"{served['site']}{EXAMPLE}/q/q-kulov-the-call-up-of/"):
        with urlopen(page_url) as response:
            page = BeautifulSoup(response.read().decode("utf-8"), "html.parser")
        link = page.find("link", rel="alternate", type="application/json+oembed")
        registry = ProviderRegistry()
        registry.register(re.escape(page_url), Provider(link["href"]))
        data = registry.request(page_url)
        assert data["type"] == "rich" and data["provider_name"] == "Explainers"
        frame = BeautifulSoup(data["html"], "html.parser").iframe
        assert frame["src"].startswith(f"{served['site']}{EXAMPLE}/embed/")
        # What a CMS does with a URL pasted on a line of its own: the embed's HTML in its place.
        assert frame["src"] in registry.parse_text(f"Read this:\n\n{page_url}\n")


@pytest.mark.slow
def test_the_parent_script_takes_only_whole_heights_and_a_page_element_cannot_turn_it_off(browser, served):
    """A frame posting malformed heights keeps its own; an element named like the script's
    run-once mark does not stop it; the real embed is still sized."""
    from embedding import article

    hostile = ('<iframe data-explainer-embed height="150" title="x" srcdoc="<script>'
               "for (const h of ['500px', ' 501abc', '502.9', '1e9', '0505', '-5', 'NaN']) "
               "parent.postMessage('pymxPYMxxPYMxheightxPYMx' + h, '*');"
               "for (const h of [[503], '504;x', 505.5, {a: 1}]) "
               "parent.postMessage({sentinel: 'amp', type: 'embed-size', height: h}, '*');"
               '</script>"></iframe>')
    page_text = article("Hostile", ['<div id="explainerEmbeds"></div>', served["snippets"][0], hostile])
    (served["folder"] / "hostile.html").write_text(page_text, encoding="utf-8")
    context, page, _ = watched(browser, served, 1280)
    try:
        page.goto(f"{served['host']}hostile.html")
        handle = page.query_selector("iframe[src]")
        handle.content_frame().wait_for_selector(".embed-from")
        content = handle.content_frame().evaluate(CONTENT_HEIGHT)
        page.wait_for_function(f"Math.abs(document.querySelector('iframe[src]').getBoundingClientRect().height"
                               f" - {content}) <= {TOLERANCE}", timeout=10_000)
        page.wait_for_timeout(500)
        assert page.get_attribute("iframe[srcdoc]", "height") == "150"
    finally:
        context.close()
