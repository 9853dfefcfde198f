"""Site search: a Pagefind index built with the site, its UI loaded only when the reader opens it."""

from __future__ import annotations

import json
import re

from browser import chromium, serve


def test_search_bundle_is_built_with_the_site(example):
    assert example.build() == 0
    bundle = example.out / "pagefind"
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-worker.js", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert "en" in entry["languages"] and entry["languages"]["en"]["page_count"] == 5  # 1 explainer + 4 countries
    assert list(bundle.glob("fragment/*.pf_fragment")) and list(bundle.glob("index/*.pf_index"))


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
