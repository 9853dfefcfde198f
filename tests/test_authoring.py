"""Authoring aids: import, new, check, honest dates, corrections and diff."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import HERE, SITES, Site, copy_site, examples
from generator.cli.main import main

WIRE = HERE / "wire"
LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.+)$")


def problems(text: str) -> list[dict]:
    return [m.groupdict() for m in map(LINE.match, text.splitlines()) if m]


def empty_site(tmp_path: Path, language: str = "en") -> Site:
    root = tmp_path / "site"
    root.mkdir()
    (root / "site.yaml").write_text(f"title: Desk\nlanguage: {language}\nbase_url: https://desk.example/\n",
                                    encoding="utf-8")
    return Site(root)


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def seed_article() -> Path:
    """The real wire article when the environment names it, else a made-up one of the same shape."""
    seed = os.environ.get("SEED_ARTICLE")
    return Path(seed) if seed and Path(seed).is_file() else WIRE / "article.txt"


def run_import(site: Site, source: Path, slug: str, *args: str) -> int:
    return main(["import", str(source), "--slug", slug, "--site", str(site.root), *args])


def uncomment(path: Path) -> None:
    """Turns the commented example entries into real ones."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith("# - "))
    lines[start:] = [line[2:] for line in lines[start:]]
    path.write_text("\n".join(lines), encoding="utf-8")


# --- import ---------------------------------------------------------------

def test_import_turns_a_wire_article_into_an_explainer(tmp_path, capsys):
    site = empty_site(tmp_path)
    source = seed_article()
    assert run_import(site, source, "imported", "--date", "2022-09-22") == 0
    folder = site.root / "content/imported"
    front = front_matter(folder / "article.md")
    first_line = source.read_text(encoding="utf-8").strip().split("\n")[0].strip()
    assert front["title"] == first_line
    assert str(front["date"]) == "2022-09-22"
    assert site.build("--strict") == 0, capsys.readouterr().err
    page = site.page("imported/index.html")
    text = (folder / "article.md").read_text(encoding="utf-8")
    assert "Your browser" not in text and "HTML5" not in page.get_text()
    videos = page.select("figure.video")
    assert videos and all(v.select_one("figcaption strong").get_text() == "Watch:" for v in videos)
    assert all("WATCH" not in p.get_text() for p in page.select(".prose > p"))
    assert page.select(".prose > h2"), "section heads become headings"
    quote = page.select_one(".prose > blockquote")
    assert quote is not None and quote.find_all("p")[-1].get_text().startswith("— ")
    first = page.select_one(".prose > p").get_text()
    assert re.match(r"[A-Z .]+, [^—]+ — \S", first), f"dateline kept with an em dash: {first!r}"


def test_imported_seed_reads_like_the_hand_made_example(tmp_path):
    seed = os.environ.get("SEED_ARTICLE")
    if not seed or not Path(seed).is_file():
        pytest.skip("SEED_ARTICLE is not set")
    site = empty_site(tmp_path)
    assert run_import(site, Path(seed), "imported", "--date", "2022-09-22") == 0
    example = (HERE.parent / "content/central-asia-recruits/article.md").read_text(encoding="utf-8")
    made = (site.root / "content/imported/article.md").read_text(encoding="utf-8")
    assert made.split("---\n", 2)[2] == example.split("---\n", 2)[2]


def test_import_guesses_dek_caption_and_credit(tmp_path, capsys):
    site = empty_site(tmp_path)
    assert run_import(site, WIRE / "article.txt", "ferry") == 0
    err = capsys.readouterr().err
    article = site.root / "content/ferry/article.md"
    front = front_matter(article)
    assert front["dek"].startswith("Islanders face months")
    assert "image" not in front  # no photo given: the caption waits in a comment
    assert "#   caption: \"The harbor at Port Ellen will stand empty" in article.read_text(encoding="utf-8")
    assert "#   credit: \"File photo\"" in article.read_text(encoding="utf-8")
    found = problems(err)
    assert [p["sev"] for p in found] == ["warning", "warning"]
    assert all(p["path"] == "content/ferry/article.md" for p in found)
    assert any("no date found" in p["msg"] for p in found)


def test_import_with_image_shows_the_caption(tmp_path):
    site = empty_site(tmp_path)
    photo = tmp_path / "harbor.svg"
    photo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>', encoding="utf-8")
    assert run_import(site, WIRE / "article.txt", "ferry", "--image", str(photo), "--date", "2024-03-04") == 0
    assert site.build("--strict") == 0
    figure = site.page("ferry/index.html").select_one("figure.lead")
    assert figure.img["src"] == "harbor.svg"
    assert figure.figcaption.get_text(" ").startswith("The harbor at Port Ellen will stand empty")
    assert figure.select_one(".credit").get_text() == "File photo"


def test_imported_examples_build_once_uncommented(tmp_path, capsys):
    site = empty_site(tmp_path)
    assert run_import(site, WIRE / "article.txt", "ferry", "--date", "2024-03-04") == 0
    for name in ("timeline.yaml", "countries.yaml", "quotes.yaml"):
        uncomment(site.root / "content/ferry" / name)
    assert site.build() == 0, capsys.readouterr().err
    page = site.page("ferry/index.html")
    entry = page.select_one(".timeline > li")
    assert entry.time["datetime"] == "2024-03-03"
    assert entry.select_one("a.to-article") is not None
    assert page.select_one(".quote blockquote").get_text().startswith("We cannot be cut off")


@pytest.mark.parametrize("name", ["no-dek.txt", "no-headings.txt", "cyrillic.txt", "crlf"])
def test_import_variants_build(name, tmp_path, capsys):
    site = empty_site(tmp_path, "ru" if name == "cyrillic.txt" else "en")
    source = WIRE / name
    if name == "crlf":
        source = tmp_path / "crlf.txt"
        source.write_bytes((WIRE / "article.txt").read_bytes().replace(b"\n", b"\r\n"))
    assert run_import(site, source, "story", "--date", "2024-01-02") == 0
    assert site.build("--strict") == 0, capsys.readouterr().err
    article = (site.root / "content/story/article.md").read_text(encoding="utf-8")
    assert "\r" not in article
    page = site.page("story/index.html")
    front = front_matter(site.root / "content/story/article.md")
    assert page.h1.get_text() == front["title"]
    if name == "no-dek.txt":
        assert "dek" not in front and page.select_one(".dek") is None
        assert "#   credit: \"Photo: Jane Doe\"" in article
    if name == "no-headings.txt":
        assert not page.select(".prose h2")
        assert front["byline"] == "Sam Carter" and front["dek"].startswith("Crews worked")
    if name == "cyrillic.txt":
        assert page.select_one(".prose h2").get_text() == "Угрозы тюремного заключения"
        assert page.select_one("figure.video figcaption strong").get_text() == "Смотрите:"
        assert page.select_one(".video-title").get_text() == "Россияне о частичной мобилизации"
        assert page.select_one(".prose blockquote p").get_text() == "Я боюсь, что мигрантов будут шантажировать"
        assert "Ваш браузер" not in page.get_text()
    if name == "crlf":
        assert page.select(".prose > h2") and page.select("figure.video")


def test_import_shows_markdown_characters_as_typed(tmp_path, capsys):
    site = empty_site(tmp_path)
    source = tmp_path / "marks.txt"
    source.write_text("Stars *And* Snake_case\n\nNORTHFIELD -- Plain start.\n\n# 1 fan said 5 * 3 = 15.\n\n"
                      "- not a list, and <script>alert(1)</script> is text, [not](javascript:x) a link.\n\n"
                      "2. not a numbered list either.\n", encoding="utf-8")
    assert run_import(site, source, "marks", "--date", "2024-01-02") == 0
    assert site.build("--strict") == 0, capsys.readouterr().err
    page = site.page("marks/index.html")
    texts = [p.get_text() for p in page.select(".prose > p")]
    assert texts[1:] == ["# 1 fan said 5 * 3 = 15.",
                         "- not a list, and <script>alert(1)</script> is text, [not](javascript:x) a link.",
                         "2. not a numbered list either."]
    assert page.h1.get_text() == "Stars *And* Snake_case"
    assert page.select_one(".prose script, .prose ul, .prose ol, .prose h1, .prose a") is None


def test_import_reads_the_date_from_the_article(tmp_path):
    site = empty_site(tmp_path)
    assert run_import(site, WIRE / "no-headings.txt", "storm") == 0
    assert str(front_matter(site.root / "content/storm/article.md")["date"]) == "2023-10-04"
    assert run_import(site, WIRE / "cyrillic.txt", "ru") == 0
    assert str(front_matter(site.root / "content/ru/article.md")["date"]) == "2022-09-22"


def test_import_refuses_to_overwrite(tmp_path, capsys):
    site = copy_site(SITES / "valid", tmp_path / "site")
    before = (site.root / "content/border-rush/article.md").read_bytes()
    assert run_import(site, WIRE / "article.txt", "border-rush") == 1
    found = problems(capsys.readouterr().err)
    assert found[0]["path"] == "content/border-rush" and "already exists" in found[0]["msg"]
    assert (site.root / "content/border-rush/article.md").read_bytes() == before


def test_import_and_new_need_a_site_folder(tmp_path, capsys):
    assert run_import(Site(tmp_path), WIRE / "article.txt", "story") == 1
    assert main(["new", "story", "--site", str(tmp_path)]) == 1
    found = problems(capsys.readouterr().err)
    assert [(p["path"], p["sev"]) for p in found] == [("site.yaml", "error")] * 2
    assert not (tmp_path / "content").exists()


def test_import_reports_bad_input(tmp_path, capsys):
    site = empty_site(tmp_path)
    assert run_import(site, tmp_path / "missing.txt", "x") == 1
    assert run_import(site, WIRE / "article.txt", "Not A Slug") == 1
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    assert run_import(site, empty, "y") == 1
    found = problems(capsys.readouterr().err)
    assert [p["sev"] for p in found] == ["error"] * 3
    assert not (site.root / "content").exists() or not any((site.root / "content").iterdir())


# --- new --------------------------------------------------------------------

def preview_build(site: Site):
    """A build that includes drafts, as `serve` makes it."""
    from generator.build.pipeline import Builder, Options
    return Builder(Options(site=site.root, out=site.out, drafts=True)).build()


def test_new_scaffold_builds_with_its_annotations(tmp_path, capsys):
    site = empty_site(tmp_path)
    assert main(["new", "my-story", "--site", str(site.root)]) == 0
    assert site.build("--strict") == 0, capsys.readouterr().err
    assert not (site.out / "my-story").exists(), "a scaffold is a draft until the author publishes it"
    result = preview_build(site)
    assert result.warnings == []
    page = site.page("my-story/index.html")
    entries = page.select(".timeline > li")
    assert [li.select_one("h3").get_text() for li in entries] == ["Residents start a petition", "Council keeps the harbor open"]
    assert entries[0].select_one(".when").get_text().startswith("before ")
    assert page.select_one("a.mention")["href"] == "#country-is"
    assert page.select_one("#country-is .fact-meta time") is not None
    cards = [card.get_text() for card in page.select(".prose figure.quote")]
    assert len(cards) == 2 and any("Ann Example" in text for text in cards)
    assert any("Council statement" in text for text in cards)  # the card with a `source`
    assert main(["check", "--site", str(site.root), "--strict"]) == 0, capsys.readouterr().err


def test_new_refuses_an_existing_or_bad_slug(tmp_path, capsys):
    site = copy_site(SITES / "valid", tmp_path / "site")
    assert main(["new", "border-rush", "--site", str(site.root)]) == 1
    assert main(["new", "Bad_Slug", "--site", str(site.root)]) == 1
    found = problems(capsys.readouterr().err)
    assert [p["sev"] for p in found] == ["error", "error"]
    assert "already exists" in found[0]["msg"] or "already exists" in found[1]["msg"]


# --- dates with honest precision -------------------------------------------

HONEST_TIMELINE = """\
- date: "2022-09-21/2022-09-28"
  title: Referendums held
  location: Donetsk, Ukraine
- date: "after 2022-09"
  title: Men keep leaving
- date: "circa 2001"
  title: First migrants arrive
- date: "2022-09"
  title: A month of departures
- date: "before 2022-09"
  title: Warnings ignored
- date: "2022-09-21"
  title: Mobilization announced
  location: Moscow, Russia
- date: "2022-09-21/2022-09-28"
  display: late September 2022
  title: Queues at the border
"""


def test_uncertain_dates_render_and_sort(site, capsys):
    site.write("content/border-rush/timeline.yaml", HONEST_TIMELINE)
    assert site.build() == 0, capsys.readouterr().err
    items = site.page("border-rush/index.html").select(".timeline > li")
    titles = [li.h3.get_text() for li in items]
    assert titles == ["First migrants arrive", "Warnings ignored", "A month of departures", "Referendums held",
                      "Mobilization announced", "Queues at the border", "Men keep leaving"]
    by_title = {li.h3.get_text(): li for li in items}
    circa = by_title["First migrants arrive"].select_one(".when")
    assert circa.get_text() == "about 2001" and circa.time["datetime"] == "2001"
    before = by_title["Warnings ignored"].select_one(".when")
    assert before.get_text() == "before September 2022" and before.time["datetime"] == "2022-09"
    assert by_title["Men keep leaving"].select_one(".when").get_text() == "after September 2022"
    span = by_title["Referendums held"].select_one(".when")
    assert [t["datetime"] for t in span.find_all("time")] == ["2022-09-21", "2022-09-28"]
    assert " ".join(span.get_text().split()) == "September 21 – 28, 2022"
    plain = by_title["Mobilization announced"]
    assert plain.select_one(".when") is None and plain.time["datetime"] == "2022-09-21"
    shown = by_title["Queues at the border"].select_one(".when")
    assert shown.time.get_text() == "late September 2022" and shown.time["datetime"] == "2022-09-21"
    assert [t["datetime"] for t in shown.find_all("time")] == ["2022-09-21", "2022-09-28"]
    assert "vh" in shown.find_all("time")[1].parent["class"]
    import json
    graph = json.loads(site.page("border-rush/index.html").find("script", type="application/ld+json").string)["@graph"]
    events = {i["item"]["name"]: i["item"] for g in graph if g["@type"] == "ItemList" for i in g["itemListElement"]
              if "item" in i}
    assert (events["Referendums held"]["startDate"], events["Referendums held"]["endDate"]) == ("2022-09-21", "2022-09-28")
    assert "endDate" not in events["Mobilization announced"]


# Google's required properties of an Event (developers.google.com/search/docs/appearance/structured-data/event).
EVENT_REQUIRED = ("name", "startDate", "location")


def test_only_entries_with_a_location_are_events(site):
    import json
    site.write("content/border-rush/timeline.yaml", HONEST_TIMELINE)
    assert site.build() == 0
    page = site.page("border-rush/index.html")
    graph = json.loads(page.find("script", type="application/ld+json").string)["@graph"]
    items = next(g for g in graph if g["@type"] == "ItemList")["itemListElement"]
    assert [i["position"] for i in items] == list(range(1, 8))
    events = [i["item"] for i in items if "item" in i]
    assert sorted(e["name"] for e in events) == ["Mobilization announced", "Referendums held"]
    for event in events:
        assert event["@type"] == "Event" and all(event.get(key) for key in EVENT_REQUIRED)
        assert event["location"]["@type"] == "Place" and event["location"]["address"] == event["location"]["name"]
    plain = [i for i in items if "item" not in i]
    assert all(i["@type"] == "ListItem" and i["name"] and i["url"].endswith(i["url"].split("#")[1]) for i in plain)
    assert '"Event"' not in json.dumps(plain)
    shown = {li.h3.get_text(): li.select_one(".place") for li in page.select(".timeline > li")}
    assert shown["Mobilization announced"].get_text() == "Moscow, Russia" and shown["Warnings ignored"] is None
    exported = json.loads((site.out / "border-rush/annotations.json").read_text())["explainer"]["timeline"]
    assert {e["title"]: e["location"] for e in exported}["Referendums held"] == "Donetsk, Ukraine"
    assert {e["title"]: e["location"] for e in exported}["Warnings ignored"] is None


def test_a_location_must_be_text(site, capsys):
    site.write("content/border-rush/timeline.yaml", '- date: "2022"\n  title: A\n  location: [Moscow]\n')
    assert site.build() == 1
    found = [p for p in problems(capsys.readouterr().err) if p["path"].endswith("timeline.yaml")]
    assert [(p["line"], p["sev"], p["msg"]) for p in found] == [("3", "error", "location: expected a text, found a list")]


def test_range_reads_in_the_site_language(site):
    from generator.resolve.dates import event_view, parse_event_date

    value = parse_event_date("2022-09-21/2022-09-28")
    assert " ".join(event_view(value, "en-GB").display.split()) == "21–28 September 2022"
    assert event_view(value, "ru").display.startswith("21–28 сентября 2022")
    assert event_view(parse_event_date("before 2022-03"), "ru").display == "до марта 2022\u202fг."
    assert event_view(parse_event_date("circa 2001"), "de").display == "um 2001"
    site.write("site.yaml", "title: Desk\nlanguage: en-GB\n")
    site.write("content/border-rush/timeline.yaml", '- date: "2022-09-21/2022-09-28"\n  title: Referendums held\n')
    assert site.build() == 0
    when = site.page("border-rush/index.html").select_one(".timeline .when")
    assert when.get_text() == "21–28 September 2022"


@pytest.mark.parametrize("written, message", [
    ("circa 2022/2023", "a range cannot also be circa"),
    ("2022-09-28/2022-09-21", "the range must end after it starts"),
    ("someday", 'optionally after "circa", "before" or "after"'),
    ("before 2022-02-30", "impossible date"),
])
def test_bad_uncertain_dates_are_errors(written, message, site, capsys):
    site.write("content/border-rush/timeline.yaml", f'- date: "{written}"\n  title: X\n')
    assert site.build() == 1
    found = problems(capsys.readouterr().err)
    assert any(p["path"] == "content/border-rush/timeline.yaml" and p["line"] == "1" and message in p["msg"]
               for p in found), found


# --- check ------------------------------------------------------------------

def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


PUBLIC = "https://news.example/"  # an absolute base_url: a relative one is warned about


def run_check(site: Site, *args: str) -> int:
    return main(["check", "--site", str(site.root), *args])


def test_check_passes_the_example_and_writes_nothing(example, capsys):
    before = tree(example.root)
    assert run_check(example, "--strict", "--base-url", PUBLIC) == 0
    out = capsys.readouterr()
    assert out.out.strip() == "0 error(s), 0 warning(s)"
    assert problems(out.err) == []
    assert tree(example.root) == before and not (example.root / "build").exists()


def test_check_flags_dates_figures_quotes_and_stale_facts(example, capsys):
    folder = example.root / "content/central-asia-recruits"
    edit(folder / "timeline.yaml", '- date: "2022-09-22"\n  title: Uzbekistan', '- date: "2022-09-21"\n  title: Uzbekistan')
    edit(folder / "countries.yaml", '"5,937 (Defense', '"5,938 (Defense')
    edit(folder / "countries.yaml", 'value: "15,000 to 30,000"', 'value: "15,000 to 30,000"\n      as_of: 2000-01-31')
    edit(folder / "quotes.yaml", "How many will sign up?", "How many will sign on?")
    before = tree(example.root)
    assert run_check(example, "--base-url", PUBLIC) == 0
    out = capsys.readouterr()
    found = problems(out.err)
    assert all(p["sev"] == "warning" for p in found) and len(found) == 4, out.err
    by_path = {}
    for p in found:
        by_path.setdefault(p["path"].rsplit("/", 1)[1], []).append(p)
    date = by_path["timeline.yaml"][0]
    assert (date["line"], date["col"]) == ("36", "9") and '"September 22"' in date["msg"] and "2022-09-21" in date["msg"]
    figures, stale = sorted(by_path["countries.yaml"], key=lambda p: int(p["line"]))
    assert "5,938" in figures["msg"] and "5,937" not in figures["msg"]
    assert "as of 2000-01-31" in stale["msg"] and "365 days" in stale["msg"]
    assert 'closest passage: "“How many will sign up?' in by_path["quotes.yaml"][0]["msg"]
    assert out.out.strip() == "0 error(s), 4 warning(s)"
    assert run_check(example, "--strict", "--base-url", PUBLIC) == 1
    assert tree(example.root) == before


def test_check_accepts_sourced_cards_and_dates_that_agree(site, capsys):
    site.write("content/border-rush/quotes.yaml",
               "- speaker: A\n  text: Said only on the radio.\n  source: {name: Radio}\n"
               "- speaker: B\n  text: “arrivals doubled – in a week”\n")
    site.write("content/border-rush/article.md", (site.root / "content/border-rush/article.md").read_text()
               .replace("arrivals doubled in a week.", "arrivals doubled -- in a week on September 22."))
    site.write("content/border-rush/timeline.yaml",
               '- date: "2022-09-20/2022-09-25"\n  title: Week\n  anchor: arrivals doubled\n'
               '- date: "circa 2022-09-01"\n  title: Loose\n  anchor: arrivals doubled\n')
    site.write("content/border-rush/countries.yaml",
               "- code: KZ\n  name: Kazakhstan\n  facts:\n    - {label: Arrivals, value: '77,000', source: {name: Border guard}}\n")
    assert run_check(site, "--strict", "--base-url", PUBLIC) == 0, capsys.readouterr().err


def test_check_stale_age_comes_from_site_yaml(site, capsys):
    from datetime import date, timedelta

    recent = (date.today() - timedelta(days=30)).isoformat()
    site.write("content/border-rush/countries.yaml",
               f"- code: KZ\n  name: Kazakhstan\n  facts:\n    - {{label: Arrivals, value: doubled, as_of: {recent}}}\n")
    assert run_check(site) == 0
    assert not [p for p in problems(capsys.readouterr().err) if "as of" in p["msg"]]
    site.write("site.yaml", "title: Desk\nstale_after_days: 10\n")
    assert run_check(site) == 0
    stale = [p for p in problems(capsys.readouterr().err) if "as of" in p["msg"]]
    assert len(stale) == 1 and "more than 10 days ago" in stale[0]["msg"] and stale[0]["line"] == "4"
    site.write("site.yaml", "title: Desk\nstale_after_days: soon\n")
    assert run_check(site) == 1
    bad = [p for p in problems(capsys.readouterr().err) if p["sev"] == "error"]
    assert len(bad) == 1 and bad[0]["path"] == "site.yaml" and "invalid number of days" in bad[0]["msg"]


def test_check_reports_build_errors_without_writing(site, capsys):
    site.write("content/border-rush/timeline.yaml", '- date: "2022-02-30"\n  title: X\n')
    before = tree(site.root)
    assert run_check(site) == 1
    out = capsys.readouterr()
    assert any(p["sev"] == "error" and p["path"] == "content/border-rush/timeline.yaml" for p in problems(out.err))
    assert re.fullmatch(r"1 error\(s\), \d+ warning\(s\)", out.out.strip())
    assert tree(site.root) == before


# --- corrections --------------------------------------------------------------

CORRECTIONS = """corrections:
  - date: 2022-09-30
    text: "An earlier version gave the wrong number of arrivals."
  - date: 2022-09-25
    text: "An earlier version misspelled <Kazakhstan>."
---
"""


def jsonld_article(page) -> dict:
    import json
    graph = json.loads(page.find("script", type="application/ld+json").string)["@graph"]
    return next(item for item in graph if item["@type"] == "NewsArticle")


def test_corrections_render_dated_and_set_date_modified(site):
    article = site.root / "content/border-rush/article.md"
    edit(article, "---\nLong lines", CORRECTIONS + "Long lines")
    assert site.build() == 0
    page = site.page("border-rush/index.html")
    box = page.select_one("aside.corrections")
    items = box.select("li")
    assert [li.time["datetime"] for li in items] == ["2022-09-25", "2022-09-30"]
    assert items[0].get_text(" ", strip=True) == "September 25, 2022 An earlier version misspelled <Kazakhstan>."
    assert box.h2.get_text() == "Corrections"
    assert jsonld_article(page)["dateModified"] == "2022-09-30"
    assert page.find("meta", property="article:modified_time")["content"] == "2022-09-30"
    assert "<lastmod>2022-09-30</lastmod>" in (site.out / "sitemap.xml").read_text()


def test_date_modified_is_the_latest_of_updated_and_corrections(site):
    article = site.root / "content/border-rush/article.md"
    edit(article, "date: 2022-09-23\n", "date: 2022-09-23\nupdated: 2022-10-05\n")
    edit(article, "---\nLong lines", CORRECTIONS + "Long lines")
    assert site.build() == 0
    assert jsonld_article(site.page("border-rush/index.html"))["dateModified"] == "2022-10-05"
    assert site.page("no-notes/index.html").select_one("aside.corrections") is None


def test_corrections_are_checked(site, capsys):
    article = site.root / "content/border-rush/article.md"
    edit(article, "---\nLong lines", "corrections:\n  - date: 2022-09-01\n    text: Too early.\n  - text: No date.\n---\nLong lines")
    assert site.build() == 1
    found = problems(capsys.readouterr().err)
    assert any(p["line"] == "10" and "dated before the article (2022-09-23)" in p["msg"] for p in found), found
    assert any(p["line"] == "12" and "a correction is missing the required field \"date\"" in p["msg"] for p in found), found


# --- diff ---------------------------------------------------------------------

def test_diff_lists_what_changed_between_two_real_builds(example, tmp_path, capsys):
    old_out = tmp_path / "old"
    assert main(["build", "--site", str(example.root), "--out", str(old_out)]) == 0
    folder = example.root / "content/central-asia-recruits"
    edit(folder / "countries.yaml", '"5,937 (Defense', '"5,938 (Defense')
    edit(folder / "countries.yaml", "    - label: Dual citizenship with Russia\n", "    - label: Dual citizenship\n")
    edit(folder / "timeline.yaml", 'date: "2022-09-10"', 'date: "2022-09-11"')
    edit(folder / "article.md", "Many of those leaving are Kyrgyz", "Many of those leaving are Kyrgyz citizens")
    edit(folder / "quotes.yaml", "How many will sign up?", "How many will sign on?")
    edit(folder / "article.md", "How many will sign up?", "How many will sign on?")
    edit(folder / "article.md", "---\nALMATY", "corrections:\n  - {date: 2022-09-25, text: Fixed a quote.}\n---\nALMATY")
    shutil.copytree(example.root / "content/central-asia-recruits", example.root / "content/second-story")
    edit(example.root / "content/second-story/article.md", "title: ", "slug: second-story\ntitle: ")
    new_out = tmp_path / "new"
    assert main(["build", "--site", str(example.root), "--out", str(new_out)]) == 0
    capsys.readouterr()
    assert main(["diff", str(old_out), str(new_out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "changed explainer central-asia-recruits"
    body = [line.strip() for line in lines[1:] if line.startswith("  ")]
    assert "changed corrections" in body
    assert "changed paragraph p-many-of-those-leaving-are-kyrgyz" in body
    assert any(line.startswith("changed quote card q-adylgaziev-how-many-will-sign") for line in body)
    assert ("changed timeline entry t-2022-09-11-ukraine-alleges-recruiting-in "
            "(was t-2022-09-10-ukraine-alleges-recruiting-in)") in body
    assert ('changed fact country-ru: Soldiers who died in the war, official figure: '
            '"5,937 (Defense Minister Sergei Shoigu)" -> "5,938 (Defense Minister Sergei Shoigu)"') in body
    assert any(line.startswith("added fact country-kg: Dual citizenship:") for line in body)
    assert any(line.startswith("removed fact country-kg: Dual citizenship with Russia:") for line in body)
    assert "added explainer second-story" in lines
    items = [line for line in body if " embed " not in line]
    assert len(items) == 8, items  # nothing else: backlinks that repeat a changed date are not changes
    embeds = [line for line in body if " embed " in line]
    assert embeds == ["changed embed central-asia-recruits/embed/country-kg/",
                      "changed embed central-asia-recruits/embed/country-ru/",
                      "changed embed central-asia-recruits/embed/q-adylgaziev-how-many-will-sign/",
                      "removed embed central-asia-recruits/embed/t-2022-09-10-ukraine-alleges-recruiting-in/",
                      "added embed central-asia-recruits/embed/t-2022-09-11-ukraine-alleges-recruiting-in/",
                      "changed embed central-asia-recruits/embed/timeline/"], embeds
    assert main(["diff", str(new_out), str(new_out)]) == 0
    assert capsys.readouterr().out.strip() == "no changes"


def test_diff_refuses_folders_that_are_not_builds(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["diff", str(tmp_path / "empty"), str(tmp_path / "missing")]) == 1
    found = problems(capsys.readouterr().err)
    assert len(found) == 2 and all("not a build" in p["msg"] for p in found)


# --- import, whatever the wire sends -------------------------------------------

from hypothesis import example, given, settings
from hypothesis import strategies as st

WORDS = st.text(alphabet="abcXYZжЖ", min_size=1, max_size=6)
MARKS = st.sampled_from(["*", "_", "#", "> ", "- ", "1. ", "`", "<b>", "&amp;", "[x](y)", "[^1]:", "{: #id}",
                         "--", "'", '"', "“", "|", "\\", "---", "(file photo)", "WATCH:", ":", "~~~", "http://a.b"])
LINE_TEXT = st.lists(st.one_of(WORDS, MARKS), min_size=1, max_size=12).map(" ".join)
WIRE_TEXT = st.lists(st.lists(LINE_TEXT, min_size=1, max_size=3).map("\n".join), min_size=2, max_size=8)


@settings(max_examples=examples(int(os.environ.get("IMPORT_EXAMPLES", "30"))), deadline=None)
@given(WIRE_TEXT)
@example(["X", '" -  X\n-- X'])  # a pull quote whose words begin "- " once its mark is taken off
def test_any_wire_text_imports_and_keeps_its_words(paragraphs):
    import contextlib
    import io
    import tempfile

    with tempfile.TemporaryDirectory() as temp:
        site = empty_site(Path(temp))
        source = Path(temp) / "wire.txt"
        # The last paragraph is plain, so there is always a body whatever the others turn into.
        source.write_text("\n\n".join([*paragraphs, "The end."]) + "\n", encoding="utf-8")
        photo = Path(temp) / "photo.svg"
        photo.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            imported = run_import(site, source, "story", "--date", "2024-01-02", "--image", str(photo))
            built = site.build("--strict") if imported == 0 else None
        assert imported == 0 and built == 0, err.getvalue()
        page = site.page("story/index.html")
        shown = " ".join(page.select_one("main").get_text(" ").casefold().split())
        prose = page.select_one(".prose")
        assert {c.name for c in prose.find_all(recursive=False)} <= {"p", "h2", "blockquote", "figure"}
        assert not prose.select("em, code, b, a, hr, ul, ol, sup, table, dl, h1, h3, pre"), "text became markup"
        for word in re.findall(r"[^\W\d_]+", "\n".join(paragraphs)):
            assert word.casefold() in shown, f"{word!r} lost from the page"
