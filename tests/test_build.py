"""Building a small fixture site and checking the HTML rules of the format."""

from __future__ import annotations

import re

import pytest

from conftest import SITES, copy_site

RAW = {
    "site title": 'Desk & <Co> "Explainers"',
    "title": 'Rush at the border & <other> "tales"',
    "dek": "Why men left <fast> & what 'they' said",
    "byline": "Staff & <wires>",
    "tag": "A & B",
    "source": "Wire & Co",
    "alt": "A queue <at> the border",
    "caption": "Cars wait & wait",
    "credit": 'Photo "desk"',
    "event": 'Mobilization <announced> & "feared"',
    "fact label": "Arrivals <week>",
    "fact value": "doubled & more",
    "speaker": 'Ann <Smith> & "Co"',
}


def test_builds_pages_with_clean_urls(shared_build):
    site = shared_build()
    assert (site.out / "index.html").is_file()
    assert (site.out / "border-rush" / "index.html").is_file()
    assert (site.out / "no-notes" / "index.html").is_file()
    assert (site.out / "border-rush" / "photo.svg").is_file()


def test_index_lists_published_explainers_newest_first(shared_build):
    site = shared_build()
    links = [a["href"] for a in site.page("index.html").select("main a[href]")]
    # Index links point at the folder's index.html so they also work from disk.
    slugs = [h.split("/")[0] for h in links if h.endswith("/index.html")]
    assert list(dict.fromkeys(slugs)) == ["border-rush", "no-notes"]


def test_drafts_are_left_out_entirely(shared_build):
    site = shared_build()
    assert not (site.out / "secret").exists()
    assert "Unfinished draft" not in (site.out / "index.html").read_text()


def test_every_plain_text_field_is_escaped(shared_build):
    site = shared_build()
    page = site.page("border-rush/index.html")
    for tag in ("other", "fast", "wires", "at", "announced", "week", "smith", "co"):
        assert page.find(tag) is None, f"<{tag}> leaked into the page as markup"
    text = page.get_text(" ")
    for field, value in RAW.items():
        if field in ("alt",):
            continue
        assert value in text or value in str(page.title.string), f"{field} not shown as text: {value!r}"
    assert page.find("img", alt=RAW["alt"]) is not None
    assert site.page("index.html").find("fast") is None


def test_markdown_fields_are_rendered(shared_build):
    site = shared_build()
    page = site.page("border-rush/index.html")
    assert page.select_one("#t-2022-09-21-mobilization-announced-feared strong").get_text() == "decree"
    assert page.select_one("#country-kz em").get_text() == "neighbour"


def test_timeline_is_one_ordered_list_in_date_order(shared_build):
    site = shared_build()
    page = site.page("border-rush/index.html")
    lists = [ol for ol in page.find_all("ol") if ol.find("time")]
    assert len(lists) == 1
    times = [t["datetime"] for t in lists[0].find_all("time")]
    assert times == ["2022", "2022-09", "2022-09-21", "2022-09-21"]
    titles = [li.get("id") for li in lists[0].find_all("li", recursive=False)]
    # ties keep the order of timeline.yaml
    assert titles.index("t-2022-09-21-mobilization-announced-feared") < titles.index("t-2022-09-21-second-event-same-day")


def test_anchored_entry_and_paragraph_link_each_other(shared_build):
    site = shared_build()
    page = site.page("border-rush/index.html")
    entry = page.find(id="t-2022-09-21-mobilization-announced-feared")
    paragraph = page.find(id="p-long-lines-formed-at-the-border")
    assert entry.find("a", href="#p-long-lines-formed-at-the-border") is not None
    assert paragraph.find("a", href="#t-2022-09-21-mobilization-announced-feared") is not None


def test_anchor_matching_ignores_typographic_quotes(shared_build):
    site = shared_build()
    page = site.page("border-rush/index.html")
    paragraph = page.find(id="p-officials-in-kazakhstans-capital-said-arrivals")
    assert paragraph.find("a", href="#t-2022-09-21-second-event-same-day") is not None


def test_fact_box_and_first_mention_link(shared_build):
    site = shared_build()
    page = site.page("border-rush/index.html")
    assert page.find(id="country-kz") is not None and page.find(id="country-kg") is not None
    mentions = page.select('main a[href="#country-kz"]')
    assert [m.get_text() for m in mentions][:1] == ["Kazakhstan’s"]  # possessive included
    kg = page.select('a[href="#country-kg"]')
    assert kg and kg[0].get_text() == "Kyrgyzstan"
    assert kg[0].find_parent("h2") is None  # headings are not linked


def test_mentions_are_whole_words(site):
    site.write("content/border-rush/article.md", (SITES / "valid/content/border-rush/article.md").read_text()
               .replace("Officials in Kazakhstan’s", "Kazakhstanis and officials in Kazakhstan’s"))
    site.build()
    links = site.page("border-rush/index.html").select('a[href="#country-kz"]')
    assert links[0].get_text() == "Kazakhstan’s"


def test_quote_card_is_set_apart_from_the_paragraph_it_quotes(shared_build):
    """Read twice in a row it would waste the card: it goes two blocks of text later."""
    site = shared_build()
    page = site.page("border-rush/index.html")
    card = page.select_one(".prose > figure.quote")
    before = card.find_previous_sibling(lambda el: el.name != "aside")
    assert before["id"] == "p-москва-объявила-о-мобилизации-в-сентябре"
    assert "quote-beside" not in card["class"]
    assert card.find("blockquote").get_text(strip=True) == "Arrivals doubled in a week."
    assert RAW["speaker"] in card.find("figcaption").get_text()
    assert "Official" in card.find("figcaption").get_text()


def test_after_sets_a_quote_card_where_the_author_wants_it(site):
    quotes = site.root / "content/border-rush/quotes.yaml"
    quotes.write_text(quotes.read_text(encoding="utf-8").replace(
        "  anchor: arrivals doubled in a week\n", "  anchor: arrivals doubled in a week\n  after: Long lines formed\n"),
        encoding="utf-8")
    assert site.build() == 0
    card = site.page("border-rush/index.html").select_one(".prose > figure.quote")
    assert card.find_previous_sibling()["id"] == "p-long-lines-formed-at-the-border"


def test_after_a_phrase_the_article_lacks_is_an_error(site, capsys):
    quotes = site.root / "content/border-rush/quotes.yaml"
    quotes.write_text(quotes.read_text(encoding="utf-8").replace(
        "  anchor: arrivals doubled in a week\n", "  anchor: arrivals doubled in a week\n  after: Long lines formd at\n"),
        encoding="utf-8")
    assert site.build() == 1
    err = capsys.readouterr().err
    assert 'quotes.yaml:5:10: error: after "Long lines formd at" is not in the article; closest passage:' in err


def test_in_an_article_too_short_to_set_a_card_apart_it_stays_beside_its_passage(site):
    article = site.root / "content/border-rush/article.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text[:text.index("## What")], encoding="utf-8")
    site.build()
    card = site.page("border-rush/index.html").select_one(".prose > figure.quote")
    assert card.find_previous_sibling(lambda el: el.name != "aside")["id"] == "p-officials-in-kazakhstans-capital-said-arrivals"
    assert "quote-beside" in card["class"]  # style.css leaves it out on phones, where its words were just read


def test_cyrillic_text_keeps_readable_ids(shared_build):
    site = shared_build()
    page = site.page("border-rush/index.html")
    assert page.find(id="p-москва-объявила-о-мобилизации-в-сентябре") is not None
    quote = [f for f in page.find_all("figure") if "Мы не знали" in f.get_text()]
    assert quote and "Иван Петров" in quote[0].get_text()


def test_ids_are_unique_and_stable_when_a_paragraph_changes(site):
    site.build()
    before = [p.get("id") for p in site.page("border-rush/index.html").select("main [id]")]
    assert len(before) == len(set(before))
    article = site.root / "content/border-rush/article.md"
    article.write_text(article.read_text().replace("Long lines formed", "Very long lines formed"))
    site.build()
    after = [p.get("id") for p in site.page("border-rush/index.html").select("main [id]")]
    changed = set(before) ^ set(after)
    assert changed == {"p-long-lines-formed-at-the-border", "p-very-long-lines-formed-at-the"}


def test_explainer_without_annotation_files(shared_build):
    site = shared_build()
    page = site.page("no-notes/index.html")
    assert page.find("h1").get_text(strip=True) == "An explainer without annotations"
    assert not [ol for ol in page.find_all("ol") if ol.find("time")]


def test_site_template_overrides_default_theme_by_name(tmp_path):
    second = copy_site(SITES / "valid", tmp_path / "second")
    second.write("templates/quote.html", '<figure class="house-quote" id="{{ quote.id }}">'
                 '<blockquote>{{ quote.text }}</blockquote><figcaption>{{ quote.speaker }}</figcaption></figure>\n')
    assert second.build() == 0
    page = second.page("border-rush/index.html")
    assert len(page.select("figure.house-quote")) == 2
    assert page.find("h1") is not None  # the rest still comes from the default theme
    assert [ol for ol in page.find_all("ol") if ol.find("time")]


def test_pages_link_hashed_stylesheet_that_exists(shared_build):
    site = shared_build()
    for rel in ("index.html", "border-rush/index.html"):
        page = site.page(rel)
        for link in page.find_all("link", rel="stylesheet"):
            href = link["href"]
            assert re.search(r"\.[0-9a-f]{10}\.css$", href)
            assert (site.out / rel).parent.joinpath(href).resolve().is_file()


def test_rebuild_leaves_no_stale_files(site):
    site.build()
    (site.out / "stale.html").write_text("old")
    site.build()
    assert not (site.out / "stale.html").exists()


@pytest.mark.parametrize("card, warned", [
    ("It was deeply political.", False),  # the article's `political,"`: a desk's closing punctuation
    ("It was deeply political", False),
    ("it was deeply political!", False),
    ("It was deeply politic.", True),  # a word cut short is not punctuation
    ("It was deeply personal.", True),
    ("It was deeply, political.", True),  # punctuation inside the quote still counts
])
def test_a_quote_differing_only_in_closing_punctuation_is_not_warned_about(site, capsys, card, warned):
    article = site.root / "content/border-rush/article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n“It was deeply political,” the official said.\n",
                       encoding="utf-8")
    quotes = site.root / "content/border-rush/quotes.yaml"
    quotes.write_text(quotes.read_text(encoding="utf-8") + f"- speaker: An official\n  text: \"{card}\"\n",
                      encoding="utf-8")
    assert site.build() == 0
    err = capsys.readouterr().err
    assert ("the quote \"" + card + "\" is not found verbatim" in err) is warned, err


def test_a_build_told_what_changed_removes_the_pages_of_a_renamed_entry(site, tmp_path):
    """In place, trusting its own folder, a build removes the files it no longer makes by name
    (a timeline entry's new title renames its share and embed pages), and leaves no folder behind."""
    from generator.build.pipeline import Builder, Options

    builder = Builder(Options(site=site.root, out=site.out, in_place=True))
    builder.build()
    timeline = site.root / "content" / "border-rush" / "timeline.yaml"
    builder.build()  # a good build in this process: the next one, told what changed, trusts the folder
    timeline.write_text(timeline.read_text(encoding="utf-8").replace("A month of departures", "A month of exits"),
                        encoding="utf-8")
    builder.build(changed=[str(timeline)])
    cold = copy_site(site.root, tmp_path / "cold")
    assert cold.build() == 0
    tree = {p.relative_to(site.out).as_posix() for p in site.out.rglob("*") if ".explainer" not in p.name}
    cold_tree = {p.relative_to(cold.out).as_posix() for p in cold.out.rglob("*") if ".explainer" not in p.name}
    assert not [n for n in tree if "a-month-of-departures" in n]
    assert tree == cold_tree


def test_a_registered_feature_adds_its_files_for_each_explainer_and_for_the_site(site):
    from generator.features.base import Group
    from generator.features.builtin import FEATURES, Base

    class Wordcount(Base):
        name = "wordcount"
        wave = 1  # after the pages it counts

        def explainer_files(self, it):
            return {f"{it.explainer.slug}/title.txt": it.explainer.title.encode()}

        def groups(self, site_):
            pages = sorted(name for name in site_.digests if name.endswith("/index.html"))
            return [Group("wordcount", " ".join(site_.digests[n] for n in pages),
                          lambda: {"pages.txt": "\n".join(pages).encode()})]

    FEATURES.append(Wordcount())
    try:
        assert site.build() == 0
    finally:
        FEATURES.pop()
    assert (site.out / "border-rush/title.txt").read_text(encoding="utf-8") == site.page("border-rush/index.html").h1.get_text(strip=True)
    listed = (site.out / "pages.txt").read_text(encoding="utf-8").splitlines()
    assert "border-rush/index.html" in listed and any(name.startswith("countries/") for name in listed)
