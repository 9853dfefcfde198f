"""Site search: a Pagefind index built with the site, its UI loaded only when the reader opens it."""

from __future__ import annotations

import gzip
import json
import re
import shutil

import pytest

from browser import chromium, serve
from conftest import copy_site
from generator import search


def test_search_bundle_is_built_with_the_site(example):
    assert example.build() == 0
    bundle = example.out / "pagefind"
    assert sorted(p.name for p in bundle.glob("*") if p.is_file()) == [
        "pagefind-ui.css", "pagefind-ui.js", "pagefind.js", "shards.json"]
    assert json.loads((bundle / "shards.json").read_text()) == {"shards": ["0"], "languages": {"en": ["0"]}}
    shard = bundle / "0"  # a small site is one shard
    for name in ("pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"):
        assert (shard / name).is_file(), name
    entry = json.loads((shard / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 5  # 1 explainer + 4 countries
    assert list(shard.glob("fragment/*.pf_fragment")) and list(shard.glob("index/*.pf_index"))
    assert list(bundle.rglob("*ui.js")) == [bundle / "pagefind-ui.js"]  # the shared files once, not per shard


def test_pages_carry_only_the_small_loader_and_no_search_box(example):
    example.build()
    for rel in ("index.html", "central-asia-recruits/index.html", "countries/kg/index.html"):
        page = example.page(rel)
        loader = page.find("script", src=re.compile(r"static/search\.[0-9a-f]+\.js$"))
        assert loader is not None and loader.has_attr("defer") and loader["data-label"] == "Search"
        # Without JavaScript there is nothing to search with, so nothing is shown.
        assert page.find(id="search") is None and page.find("input") is None
        assert page.find(src=re.compile("pagefind")) is None and page.find(href=re.compile("pagefind")) is None


def test_search_opens_loads_pagefind_and_finds_the_explainer(example):
    example.build()
    with serve(example.out, "/desk/") as url, chromium() as browser:  # published under a subpath
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url + "central-asia-recruits/index.html")
        button = page.locator("button.search-open")
        assert button.get_attribute("aria-expanded") == "false"
        assert not [r for r in requests if "/pagefind/" in r], "Pagefind loaded before the reader asked"
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        page.locator("#search input").fill("Sakharovo")
        links = page.locator("#search .pagefind-ui__result-link")
        links.first.wait_for(timeout=15000)
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert "/desk/central-asia-recruits/index.html" in hrefs and "/desk/countries/ru/index.html" in hrefs
        page.goto(url + hrefs[0])  # a result leads to a page that exists
        assert page.locator("h1").count() == 1
        assert any("/pagefind/pagefind-ui.js" in r for r in requests)


def test_no_javascript_means_no_search_button(example):
    example.build()
    with serve(example.out) as url, chromium() as browser:
        page = browser.new_page(java_script_enabled=False)
        page.goto(url + "central-asia-recruits/index.html")
        assert page.locator("button.search-open").count() == 0
        assert page.locator("#search").count() == 0


def test_the_preview_build_leaves_out_search_and_share_pages(example):
    from generator.build import Builder, Options

    Builder(Options(site=example.root, out=example.out, extras=False)).build()
    assert not (example.out / "pagefind").exists() and not (example.out / "central-asia-recruits" / "q").exists()
    assert not (example.out / "annotations.json").exists()
    page = example.page("central-asia-recruits/index.html")
    assert page.find("script", src=re.compile("search")) is None and page.select("a.share") == []
    assert (example.out / "central-asia-recruits" / "annotations.json").is_file()
    assert (example.out / "countries" / "kg" / "map.svg").is_file()


def test_search_can_be_turned_off_in_site_yaml(site):
    site_yaml = site.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "search: false\n", encoding="utf-8")
    assert site.build() == 0
    assert not (site.out / "pagefind").exists()
    assert not any("search" in s.get("src", "") for s in site.page("border-rush/index.html").select("script"))


# The index in shards: what is indexed, what a change costs, what the reader's browser merges.

WORD = "Quokkaform"  # in every added explainer and nowhere else


def add_explainers(site, count: int = 6) -> list[str]:
    slugs = [f"story-{i}" for i in range(count)]
    for i, slug in enumerate(slugs):
        site.write(f"content/{slug}/article.md",
                   f"---\ntitle: Story {i}\ndate: 2021-02-0{i + 1}\n---\nThe {WORD} affair, part {i}: only here.\n")
    return slugs


def indexed_pages(out) -> dict[str, str]:
    """Page URL -> the shard folder whose Pagefind fragments hold it."""
    pages = {}
    for fragment in (out / "pagefind").glob("*/fragment/*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd"):])
        assert data["url"] not in pages, f"{data['url']} is in two shards"
        pages[data["url"]] = fragment.parent.parent.name
    return pages


def search_tree(out) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "pagefind").rglob("*")) if p.is_file()}


@pytest.fixture
def small_shards(monkeypatch):
    monkeypatch.setattr(search, "SHARD_PAGES", 3)


@pytest.fixture
def runs(monkeypatch) -> list[list[str]]:
    """The pages of each Pagefind run of the builds that follow."""
    seen, real = [], search._run

    def counted(pages):
        seen.append(sorted(pages))
        return real(pages)

    monkeypatch.setattr(search, "_run", counted)
    return seen


def test_every_explainer_and_country_page_is_indexed_and_no_share_page(site, small_shards):
    slugs = add_explainers(site)
    assert site.build() == 0
    share_pages = list(site.out.glob("*/q/*/index.html"))
    assert share_pages  # the site has share pages, left out of the index
    expected = {f"/{slug}/index.html" for slug in ["border-rush", "no-notes", *slugs]}
    expected |= {"/" + p.relative_to(site.out).as_posix() for p in site.out.glob("countries/*/index.html")}
    pages = indexed_pages(site.out)
    assert set(pages) == expected
    assert len(set(pages.values())) > 1  # in several shards
    manifest = json.loads((site.out / "pagefind" / "shards.json").read_text())
    assert manifest["shards"] == sorted(set(pages.values()), key=int) == manifest["languages"]["en"]
    # The word of one page is in that page's fragment alone.
    fragments = [json.loads(gzip.decompress(f.read_bytes())[12:]) for f in site.out.glob("pagefind/*/fragment/*")]
    assert [f["url"] for f in fragments if "part 3: only here" in f["content"]] == ["/story-3/index.html"]


def test_a_changed_page_runs_pagefind_on_its_shard_alone_and_matches_a_cold_build(site, small_shards, runs, tmp_path):
    add_explainers(site)
    assert site.build() == 0
    assert len(runs) > 2  # the shards, and the shared script and UI
    shard = indexed_pages(site.out)["/story-2/index.html"]
    runs.clear()
    site.write("content/story-2/article.md", f"---\ntitle: Story 2\ndate: 2021-02-03\n---\nThe {WORD} affair, revised.\n")
    assert site.build() == 0
    assert len(runs) == 1 and "story-2/index.html" in runs[0]
    pages = indexed_pages(site.out)
    assert pages["/story-2/index.html"] == shard and any(s != shard for s in pages.values())
    runs.clear()
    assert site.build() == 0 and runs == []  # nothing changed: no run at all
    cold = copy_site(site.root, tmp_path / "cold")
    shutil.rmtree(cold.root / ".cache")
    assert cold.build() == 0
    assert search_tree(cold.out) == search_tree(site.out)


def test_two_clean_builds_make_the_same_search_files(site, small_shards, tmp_path):
    add_explainers(site)
    again = copy_site(site.root, tmp_path / "again")
    assert site.build() == 0 and again.build() == 0
    assert search_tree(site.out) == search_tree(again.out)


def test_shards_the_site_no_longer_has_are_gone(site, small_shards, monkeypatch):
    add_explainers(site)
    assert site.build() == 0
    assert (site.out / "pagefind" / "1").is_dir()
    monkeypatch.setattr(search, "SHARD_PAGES", 1000)
    assert site.build() == 0
    assert sorted(p.name for p in (site.out / "pagefind").iterdir() if p.is_dir()) == ["0"]
    assert json.loads((site.out / "pagefind" / "shards.json").read_text())["shards"] == ["0"]
    assert len(indexed_pages(site.out)) == 2 + 6 + len(list(site.out.glob("countries/*/index.html")))


def test_each_language_lists_the_shards_of_its_pages(site, small_shards):
    from test_languages import add_translations

    add_translations(site)
    assert site.build() == 0
    manifest = json.loads((site.out / "pagefind" / "shards.json").read_text())
    pages = indexed_pages(site.out)
    assert manifest["languages"]["ar"] == [pages["/border-rush-ar/index.html"]]
    assert manifest["languages"]["ru"] == [pages["/border-rush-ru/index.html"]]
    english = {shard for url, shard in pages.items() if "-ar/" not in url and "-ru/" not in url}
    assert manifest["languages"]["en"] == sorted(english, key=int)


def test_the_reader_finds_pages_of_two_shards(site, small_shards):
    slugs = add_explainers(site, 4)
    assert site.build() == 0
    pages = indexed_pages(site.out)
    assert len({pages[f"/{slug}/index.html"] for slug in slugs}) > 1
    with serve(site.out) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url + "no-notes/index.html")
        page.locator("button.search-open").click()
        page.locator("#search input").fill(WORD)
        links = page.locator("#search .pagefind-ui__result-link")
        links.nth(3).wait_for(timeout=15000)
        found = {links.nth(i).get_attribute("href") for i in range(links.count())}
        assert found == {f"/{slug}/index.html" for slug in slugs}
        assert len({pages[href] for href in found}) > 1
