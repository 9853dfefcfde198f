"""Country hub pages: every explainer with a box for the country, facts merged newest first."""

from __future__ import annotations

import xml.etree.ElementTree as ET

LATER = """---
title: Later story on Kyrgyzstan
date: 2022-10-05
source: {name: Desk}
---
Kyrgyzstan closed a border post.
"""

LATER_BOXES = """- code: KG
  name: Kyrgyzstan
  summary: Closed a post.
  facts:
    - label: Border posts closed
      value: "1"
    - label: Penalty
      value: Up to 10 years
  source: {name: Ministry, url: "https://gov.example/kg"}
"""


def add_later(site):
    site.write("content/later/article.md", LATER)
    site.write("content/later/countries.yaml", LATER_BOXES)
    site.write("content/border-rush/countries.yaml", site.root.joinpath("content/border-rush/countries.yaml")
               .read_text() + "  facts:\n    - label: Penalty\n      value: Up to 10 years\n"
               "    - label: Register\n      value: Kept\n")


def test_one_hub_per_country_code(shared_build):
    site = shared_build()
    hubs = sorted(p.parent.name for p in (site.out / "countries").glob("*/index.html"))
    assert hubs == ["kg", "kz"]


def test_hub_lists_explainers_and_merges_facts_newest_first(site):
    add_later(site)
    assert site.build() == 0
    hub = site.page("countries/kg/index.html")
    assert hub.h1.get_text() == "Kyrgyzstan"
    titles = [a.get_text() for a in hub.select(".hub-list h3 a")]
    assert titles == ["Later story on Kyrgyzstan", 'Rush at the border & <other> "tales"']
    assert hub.select_one(".hub-list .country-summary p").get_text() == "Closed a post."
    facts = [(div.dt.get_text(), div.dd.contents[0].strip()) for div in hub.select(".hub-facts > div")]
    # The later explainer's facts first; its repeat of "Penalty" is shown once.
    assert facts == [("Border posts closed", "1"), ("Penalty", "Up to 10 years"), ("Register", "Kept")]
    sources = [div.select_one(".source") for div in hub.select(".hub-facts > div")]
    assert sources[0].find("a", href="https://gov.example/kg").get_text() == "Ministry"
    assert sources[2].find("a", href="https://gov.example/kg") is None
    # Each fact links back to the fact box it came from, and that box exists.
    back = [div.select_one(".source a")["href"] for div in hub.select(".hub-facts > div")]
    assert back == ["../../later/index.html#country-kg", "../../later/index.html#country-kg",
                    "../../border-rush/index.html#country-kg"]
    for href in back:
        page, _, fragment = href.partition("#")
        assert site.page("countries/kg/" + page).find(id=fragment) is not None


def test_fact_boxes_link_to_their_hub(shared_build):
    site = shared_build()
    page = site.page("border-rush/index.html")
    for box in page.select("section.country"):
        code = box["id"].removeprefix("country-")
        link = box.select_one(".hub-link a")
        assert link["href"] == f"../countries/{code}/index.html"
        assert (site.out / "border-rush" / link["href"]).resolve().is_file()


def test_hubs_are_in_the_sitemap(site):
    add_later(site)
    site.build("--base-url", "https://news.example/")
    sitemap = ET.parse(site.out / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {u.find(f"{ns}loc").text: u.find(f"{ns}lastmod").text for u in sitemap.iter(f"{ns}url")}
    assert urls["https://news.example/countries/kg/"] == "2022-10-05"
    assert urls["https://news.example/countries/kz/"] == "2022-09-23"
    hub = site.page("countries/kz/index.html")
    assert hub.find("link", rel="canonical")["href"] == "https://news.example/countries/kz/"
