"""Site search: an index of the explainer and country pages built with the site, changed page by
page, and searched in the reader's browser only when the reader opens it."""

from __future__ import annotations

import json
import re
import shutil
import zlib

import pytest

from browser import chromium, serve
from conftest import copy_site
from generator.build.pipeline import Builder, Options
from generator.features import search
from generator.render.environment import THEME

WORD = "Quokkaform"  # in every added explainer and nowhere else


def add_explainers(site, count: int = 6) -> list[str]:
    slugs = [f"story-{i}" for i in range(count)]
    for i, slug in enumerate(slugs):
        site.write(f"content/{slug}/article.md",
                   f"---\ntitle: Story {i}\ndate: 2021-02-0{i + 1}\n---\nThe {WORD} affair, part {i}: only here.\n")
    return slugs


def search_tree(out) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "search").rglob("*")) if p.is_file()}


def pages_of(out, language: str = "en") -> list[list]:
    return json.loads((out / "search" / language / "pages.json").read_text(encoding="utf-8"))


def holding(out, word: str, language: str = "en") -> list[str]:
    """The pages whose index entry for `word` (folded) holds them, by address."""
    pages = pages_of(out, language)
    path = out / "search" / language / f"{search.bucket(word)}.json"
    found = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return sorted(pages[page][0] for page in found.get(word, [])[::2])


def test_the_index_is_built_with_the_site(shared_build):
    example = shared_build("example")
    assert json.loads((example.out / "search" / "languages.json").read_text()) == ["en"]
    pages = pages_of(example.out)
    assert [p[0] for p in pages] == ["central-asia-recruits/index.html", "countries/kg/index.html",
                                     "countries/ru/index.html", "countries/tj/index.html", "countries/uz/index.html"]
    explainer = pages[0]
    assert explainer[1] == example.page("central-asia-recruits/index.html").h1.get_text()
    assert explainer[2] > 1000  # its length in words
    text = json.loads((example.out / "search" / "text" / f"{explainer[3]}.json").read_text(encoding="utf-8"))
    assert "Sakharovo" in text and not text.startswith(explainer[1])  # the title is shown above, not in it
    assert holding(example.out, "sakharovo") == ["central-asia-recruits/index.html", "countries/ru/index.html"]


def test_skipped_parts_are_not_indexed(shared_build):
    """The contents list, timeline chips and margin notes repeat what the page says elsewhere,
    and the title is shown above the text: none of them is in the text."""
    site = shared_build()
    page = site.page("border-rush/index.html")
    chip = page.select_one("a.backlink .backlink-title").get_text(" ", strip=True)
    fact = page.select_one(".note .facts dd").get_text(" ", strip=True)
    record = search.record((site.out / "border-rush" / "index.html").read_bytes())
    assert chip and record.text.count(chip) == 1  # in the timeline, not again in the chip
    assert fact and record.text.count(fact) == 1  # in the fact box, not again in the margin note
    assert page.select_one("nav.toc").get_text(" ", strip=True) not in record.text
    assert record.title == page.h1.get_text() and not record.text.startswith(record.title)


def test_pages_carry_only_the_small_loader_and_no_search_box(shared_build):
    example = shared_build("example")
    for rel in ("index.html", "central-asia-recruits/index.html", "countries/kg/index.html"):
        page = example.page(rel)
        loader = page.find("script", src=re.compile(r"static/search\.[0-9a-f]+\.js$"))
        assert loader is not None and loader.has_attr("defer") and loader["data-label"] == "Search"
        assert loader["data-found"] and loader["data-none"] and loader["data-more"] and loader["data-failed"]
        # Without JavaScript there is nothing to search with, so nothing is shown.
        assert page.find(id="search") is None and page.find("input") is None


def test_search_opens_finds_the_explainer_and_marks_the_words(example):
    example.build()
    with serve(example.out, "/desk/") as url, chromium() as browser:  # published under a subpath
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url + "central-asia-recruits/index.html")
        button = page.locator("button.search-open")
        assert button.get_attribute("aria-expanded") == "false"
        assert not [r for r in requests if "/search/" in r or "search-ui" in r], "loaded before the reader asked"
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        page.locator("#search input").fill("sakharov")  # the beginning of a word finds it
        page.locator("#search li p mark").first.wait_for(timeout=15000)
        assert page.locator("#search .search-status").inner_text() == "Pages found: 2"
        hrefs = [a.get_attribute("href") for a in page.locator("#search li > a").all()]
        assert sorted(hrefs) == ["/desk/central-asia-recruits/index.html", "/desk/countries/ru/index.html"]
        assert page.locator("#search li p mark").first.inner_text() == "Sakharovo"
        page.locator("#search input").fill("sakharovo xylophonic")  # every word must be found
        page.locator("#search .search-status", has_text="Nothing found.").wait_for(timeout=15000)
        assert page.locator("#search li").count() == 0
        page.goto(url + hrefs[0])  # a result leads to a page that exists
        assert page.locator("h1").count() == 1


def test_no_javascript_means_no_search_button(example):
    example.build()
    with serve(example.out) as url, chromium() as browser:
        page = browser.new_page(java_script_enabled=False)
        page.goto(url + "central-asia-recruits/index.html")
        assert page.locator("button.search-open").count() == 0
        assert page.locator("#search").count() == 0


def test_the_preview_leaves_out_share_pages_and_keeps_search_up_to_date_as_it_is_saved(example, tmp_path):
    from generator.preview.rebuilder import preview_builder

    builder = preview_builder(example.root, example.out)
    builder.build()
    assert not (example.out / "central-asia-recruits" / "q").exists() and not (example.out / "annotations.json").exists()
    page = example.page("central-asia-recruits/index.html")
    assert page.find("script", src=re.compile("search")) is not None and page.select("a.share") == []
    assert (example.out / "central-asia-recruits" / "annotations.json").is_file()
    assert (example.out / "countries" / "kg" / "map.svg").is_file()
    assert holding(example.out, "sakharovo") == ["central-asia-recruits/index.html", "countries/ru/index.html"]
    timeline = example.root / "content" / "central-asia-recruits" / "timeline.yaml"
    timeline.write_text(timeline.read_text(encoding="utf-8").replace("title: ", f"title: {WORD} ", 1),
                        encoding="utf-8")
    assert builder.build({str(timeline)}).rendered == 1
    assert holding(example.out, WORD.lower()) == ["central-asia-recruits/index.html"]
    # What the published build's index holds of the same pages.
    published = tmp_path / "published"
    Builder(Options(site=example.root, out=published)).build()
    assert search_tree(example.out) == search_tree(published)  # the example has no drafts


def test_search_can_be_turned_off_in_site_yaml(site):
    site_yaml = site.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "search: false\n", encoding="utf-8")
    assert site.build() == 0
    assert not (site.out / "search").exists()
    assert not any("search" in s.get("src", "") for s in site.page("border-rush/index.html").select("script"))


def test_every_explainer_and_country_page_is_indexed_and_no_share_page(site):
    slugs = add_explainers(site)
    assert site.build() == 0
    assert list(site.out.glob("*/q/*/index.html")) and list(site.out.glob("*/embed/*/index.html"))
    expected = {f"{slug}/index.html" for slug in ["border-rush", "no-notes", *slugs]}
    expected |= {p.relative_to(site.out).as_posix() for p in site.out.glob("countries/*/index.html")}
    assert {p[0] for p in pages_of(site.out)} == expected
    assert holding(site.out, WORD.lower()) == sorted(f"{slug}/index.html" for slug in slugs)


def test_a_changed_page_rewrites_a_few_files_and_matches_a_cold_build(site, tmp_path, monkeypatch):
    add_explainers(site)
    assert site.build() == 0
    before = search_tree(site.out)
    read = []
    real = search.record
    monkeypatch.setattr(search, "record", lambda page: read.append(page) or real(page))
    site.write("content/story-2/article.md", f"---\ntitle: Story 2\ndate: 2021-02-03\n---\nThe {WORD} affair, revised.\n")
    assert site.build() == 0  # a new process reads the index from the cache
    after = search_tree(site.out)
    assert len(read) == 1  # the changed page alone is read again
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    buckets = {name for name in before if re.fullmatch(r"search/en/[0-9a-f-]+\.json", name)}
    assert 0 < len(changed & buckets) < len(buckets) / 4, changed
    assert holding(site.out, "revised") == ["story-2/index.html"]
    assert "story-2/index.html" not in holding(site.out, "only")
    read.clear()
    assert site.build() == 0 and read == []  # nothing changed: no page read at all
    cold = copy_site(site.root, tmp_path / "cold")
    shutil.rmtree(cold.root / ".cache")
    assert cold.build() == 0
    assert search_tree(cold.out) == after


@pytest.mark.parametrize("lost", ["a bucket", "a text", "the whole output"])
def test_index_files_lost_from_the_output_are_made_again(site, tmp_path, lost):
    """The cache keeps the records, not the files: what the output no longer holds as written
    is made again from them, and the next change patches a complete index."""
    add_explainers(site)
    assert site.build() == 0
    if lost == "the whole output":
        shutil.rmtree(site.out)
    else:
        folder = site.out / "search" / ("en" if lost == "a bucket" else "text")
        next(p for p in sorted(folder.iterdir()) if p.name != "pages.json").unlink()
    site.write("content/story-2/article.md", f"---\ntitle: Story 2\ndate: 2021-02-03\n---\nThe {WORD} affair, revised.\n")
    assert site.build() == 0
    cold = copy_site(site.root, tmp_path / "cold")
    shutil.rmtree(cold.root / ".cache")
    assert cold.build() == 0
    assert search_tree(site.out) == search_tree(cold.out)
    assert holding(site.out, "revised") == ["story-2/index.html"]


def test_pages_come_and_go(site, tmp_path):
    add_explainers(site, 2)
    assert site.build() == 0
    add_explainers(site, 4)
    shutil.rmtree(site.root / "content" / "story-0")
    assert site.build() == 0
    assert holding(site.out, WORD.lower()) == [f"story-{i}/index.html" for i in (1, 2, 3)]
    assert not any(p[0].startswith("story-0/") for p in pages_of(site.out))
    texts = {p[3] for p in pages_of(site.out)}
    assert {p.stem for p in (site.out / "search" / "text").iterdir()} == texts  # no text left behind
    cold = copy_site(site.root, tmp_path / "cold")
    shutil.rmtree(cold.root / ".cache")
    assert cold.build() == 0
    assert search_tree(cold.out) == search_tree(site.out)


@pytest.mark.parametrize("workers", [1, 2])
def test_explainer_pages_are_indexed_where_they_are_made(site, monkeypatch, workers):
    """The process that makes an explainer's page takes its search record (a worker, on a
    large site): the index reads back only the country pages, made at the end."""
    from generator.build import sitewide

    add_explainers(site, 8)
    read = []
    real = sitewide.SiteFiles.output
    monkeypatch.setattr(sitewide.SiteFiles, "output", lambda self, name: read.append(name) or real(self, name))
    Builder(Options(site=site.root, out=site.out, workers=workers)).build()
    indexed = {p[0] for p in pages_of(site.out)}
    explainers = {name for name in indexed if not name.startswith("countries/")}
    assert len(explainers) == 10 and holding(site.out, WORD.lower()) == sorted(f"story-{i}/index.html" for i in range(8))
    assert not explainers & set(read)
    assert {name for name in indexed - explainers if name in read}  # the country pages are read back


def test_in_one_process_a_change_is_patched_in_place(site):
    add_explainers(site)
    builder = Builder(Options(site=site.root, out=site.out))
    builder.build()
    index = builder.search
    site.write("content/story-4/article.md", f"---\ntitle: Story 4\ndate: 2021-02-05\n---\nThe {WORD} zebra.\n")
    builder.build(changed=[str(site.root / "content" / "story-4" / "article.md")])
    assert builder.search is index  # the same index, changed, not read again
    assert holding(site.out, "zebra") == ["story-4/index.html"]


def test_in_one_process_titles_changed_and_a_page_gone_match_a_cold_build(site, tmp_path):
    """A builder kept between builds lists its pages (pages.json) from the entries it made before,
    each made again only for a page that changed: the list is still a cold build's."""
    add_explainers(site)
    builder = Builder(Options(site=site.root, out=site.out))
    builder.build()
    for title in ("Story 4, retitled", "Story 4, again"):
        site.write("content/story-4/article.md", f"---\ntitle: {title}\ndate: 2021-02-05\n---\nThe {WORD} zebra.\n")
        builder.build(changed=[str(site.root / "content" / "story-4" / "article.md")])
    shutil.rmtree(site.root / "content" / "story-1")
    builder.build(changed=[str(site.root / "content" / "story-1")])
    assert [p[1] for p in pages_of(site.out) if p[0] == "story-4/index.html"] == ["Story 4, again"]
    cold = copy_site(site.root, tmp_path / "cold")
    shutil.rmtree(cold.root / ".cache")
    assert cold.build() == 0
    assert search_tree(site.out) == search_tree(cold.out)


def test_in_one_process_a_change_unpacks_only_the_changed_pages_record(site, monkeypatch):
    """The records the workers took are held packed: a rebuild after one edit unpacks the record of
    the page that changed, not those of every explainer, and finds the same index as a cold build."""
    add_explainers(site)
    builder = Builder(Options(site=site.root, out=site.out))
    builder.build()
    unpacked = []
    real = search.Record.unpacked
    monkeypatch.setattr(search.Record, "unpacked", classmethod(lambda cls, data: unpacked.append(data) or real(data)))
    site.write("content/story-4/article.md", f"---\ntitle: Story 4\ndate: 2021-02-05\n---\nThe {WORD} zebra.\n")
    builder.build(changed=[str(site.root / "content" / "story-4" / "article.md")])
    assert len(unpacked) == 1 and b"zebra" in zlib.decompress(unpacked[0].partition(b"\0")[2])
    assert holding(site.out, "zebra") == ["story-4/index.html"]


def test_two_clean_builds_make_the_same_search_files(site, tmp_path):
    add_explainers(site)
    again = copy_site(site.root, tmp_path / "again")
    assert site.build() == 0 and again.build() == 0
    assert search_tree(site.out) == search_tree(again.out)


def test_each_language_has_an_index_of_its_pages(site):
    from test_languages import add_translations

    add_translations(site)
    assert site.build() == 0
    assert json.loads((site.out / "search" / "languages.json").read_text()) == ["ar", "en", "ru"]
    assert [p[0] for p in pages_of(site.out, "ar")] == ["border-rush-ar/index.html"]
    assert [p[0] for p in pages_of(site.out, "ru")] == ["border-rush-ru/index.html"]
    assert "border-rush/index.html" in [p[0] for p in pages_of(site.out)]


# The reader's browser reads a query as the generator reads a page: the same words.
TRICKY = ["Türkiye İstanbul", "ÇA VA, naïve café", "Ёлка и ёж", "طَوابير", "x_y 2022 ٢٠٢٢",
          "Straße", "Ǆemal", "e\u0301te\u0301", "日本語の文", "ﬁne", "don't-stop", "हिन्दी भाषा", "ไทย",
          "ͺalpha ﷺ ﱞ ﹰ", "ℌilbert ⑴ ½ ㎢"]  # compatibility forms holding spaces, capitals, signs


def test_the_browser_folds_a_query_as_the_index_folds_a_page():
    source = (THEME / "static" / "search-ui.js").read_text(encoding="utf-8")
    words_js = re.search(r"function words\(text\) \{.*?\n  \}", source, re.DOTALL)[0]
    bucket_js = re.search(r"function bucket\(word\) \{.*?\n  \}", source, re.DOTALL)[0]
    with chromium() as browser:
        page = browser.new_page()
        found = page.evaluate(f"(texts) => {{ {words_js}\n{bucket_js}\n"
                              "return texts.map(t => words(t).map(w => [w, bucket(w)])); }", TRICKY)
    assert found == [[[w, search.bucket(w)] for w in search.words(text)] for text in TRICKY]


def test_the_reader_searches_the_pages_of_the_page_language(site):
    from test_languages import add_translations

    add_translations(site)
    add_explainers(site)
    assert site.build() == 0
    with serve(site.out) as url, chromium() as browser:
        def results(path: str, words: str) -> set[str]:
            page = browser.new_page()
            page.goto(url + path)
            page.locator("button.search-open").click()
            page.locator("#search input").fill(words)
            page.wait_for_function("() => document.querySelector('#search .search-status').textContent !== ''",
                                   timeout=15000)
            found = {a.get_attribute("href") for a in page.locator("#search li > a").all()}
            page.close()
            return found

        assert results("border-rush-ar/index.html", "طوابير") == {"/border-rush-ar/index.html"}
        assert results("no-notes/index.html", "طوابير") == set()  # English pages search the English index
        assert results("border-rush-ar/index.html", WORD) == set()
        assert results("no-notes/index.html", WORD.upper()) == {f"/story-{i}/index.html" for i in range(6)}


def test_a_title_is_shown_as_text(site):
    site.write("content/story-x/article.md", "---\ntitle: '<img src=x onerror=\"window.hit=1\"> Xenolith'\n"
                                             "date: 2021-03-01\n---\nXenolith <b>bold</b> words.\n")
    assert site.build() == 0
    with serve(site.out) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url + "no-notes/index.html")
        page.locator("button.search-open").click()
        page.locator("#search input").fill("xenolith")
        page.locator("#search li p").first.wait_for(timeout=15000)
        assert page.locator("#search li > a").inner_text() == '<img src=x onerror="window.hit=1"> Xenolith'
        assert page.locator("#search img").count() == 0 and page.evaluate("window.hit") is None


@pytest.mark.parametrize("markup, text", [
    ('<main><p>a</p><nav class="toc"><ul><li>skip</li><li>me</li></ul></nav><p>b</p></main>', "a b"),
    ('<main><div class="note x"><div>in</div><div>deep</div></div>kept</main>', "kept"),
    ('<main><img class="vh" src="v.png">after</main>', "after"),
    ('<main><p>class="toc" in text</p></main>', 'class="toc" in text'),
    ('<main><span class="vh">hidden<span>nested</span></span>shown &amp; told</main>', "shown & told"),
    ('<main><nav class="toc">never closed', ""),
])
def test_a_page_s_text_leaves_out_the_skipped_elements(markup, text):
    assert search.record(f'<html lang="en"><body>{markup}</body></html>'.encode()).text == text


def test_compatibility_forms_with_spaces_keep_the_index_whole(site):
    """NFKD turns some letters into words with spaces ("ﷺ" is a phrase): each is split into
    its words, so every bucket stays valid JSON and the next build patches it."""
    site.write("content/odd/article.md", "---\ntitle: Odd\ndate: 2021-03-01\n---\n"
               "Alpha apples and mangoes, 1300 of them. \u037a and \ufdfa too.\n")
    assert site.build() == 0
    for path in (site.out / "search").rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    assert "odd/index.html" in holding(site.out, "mangoes")
    assert "odd/index.html" in holding(site.out, "عليه")  # one of the words ﷺ stands for
    site.write("content/odd/article.md", "---\ntitle: Odd\ndate: 2021-03-01\n---\n"
               "Alpha apples and melons, 1300 of them. \u037a and \ufdfa too.\n")
    assert site.build() == 0
    assert "odd/index.html" in holding(site.out, "melons")
    assert "odd/index.html" not in holding(site.out, "mangoes")


def test_a_script_tag_in_an_article_does_not_steer_the_search_box(site):
    """The search box reads its settings from the script that loaded it, not from the first
    tag of its kind: an article's own inert one (raw HTML is on by default) is passed over."""
    add_explainers(site, 1)
    site.write("content/story-0/article.md", "---\ntitle: Story 0\ndate: 2021-02-01\n---\n"
               f"The {WORD} affair.\n\n"
               '<script type="text/plain" data-ui="" src="http://127.0.0.2:9/desk/static/x.js"></script>\n')
    assert site.build() == 0
    with serve(site.out) as url, chromium() as browser:
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url + "story-0/index.html")
        page.locator("button.search-open").click()
        page.locator("#search input").fill(WORD.lower())
        page.locator("#search li p mark").first.wait_for(timeout=15000)
        assert [r for r in requests if not r.startswith(url)] == []


def test_a_record_keeps_its_words_and_text_compressed_and_travels_whole():
    """The index holds a record of every page between builds: the words and text, most of it, are
    kept compressed, and a record sent from a worker comes back equal, whatever its title holds."""
    text = " ".join(["officials said the border queues doubled"] * 400)
    page = f'<html lang="en"><body><main><h1>Queues \x00\u2028 “at” the border</h1><p>{text}</p></main></body></html>'
    found = search.record(page.encode())
    assert "\x00" in found.title and found.title.endswith("“at” the border") and found.text.startswith("officials")
    assert "queues 405" in found.terms  # 400 in the text, 5 for the title's word
    assert len(found.body) * 10 < len(found.text) + len(found.terms)
    again = search.Record.unpacked(found.packed())
    assert again == found and (again.terms, again.text) == (found.terms, found.text)
