"""Nothing in a site's files can reach outside the site or into the reader's browser.

Each test plants one hostile input in a copy of the valid fixture site and
checks what the build does with it: a `path:line:col` error, or output that
carries no active markup. None may write outside the output folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import generator.build

from conftest import REPO, SITES, copy_site


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def errors(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the site that no build may read or copy."""
    path = tmp_path / "secret.md"
    path.write_text("---\ntitle: Stolen\ndate: 2022-01-01\n---\nTOP SECRET\n- [1, 2]\n", encoding="utf-8")
    return path


def test_symlinked_article_outside_the_site_is_refused(site, secret, capsys):
    target = site.root / "content/no-notes/article.md"
    target.unlink()
    target.symlink_to(secret)
    assert site.build() == 1
    assert any(line.startswith("content/no-notes/article.md:1:1: error:") and "outside the site" in line
               for line in errors(capsys))
    assert not site.out.exists()


def test_symlinked_annotation_file_outside_the_site_is_refused(site, secret, capsys):
    target = site.root / "content/border-rush/quotes.yaml"
    target.unlink()
    target.symlink_to(secret)
    assert site.build() == 1
    assert any(line.startswith("content/border-rush/quotes.yaml:1:1: error:") for line in errors(capsys))


def test_symlinked_explainer_folder_outside_the_site_is_refused(site, secret, capsys):
    outside = secret.parent / "elsewhere"
    outside.mkdir()
    (outside / "article.md").write_text(secret.read_text(encoding="utf-8"), encoding="utf-8")
    (site.root / "content/stolen").symlink_to(outside, target_is_directory=True)
    assert site.build() == 1
    assert any(line.startswith("content/stolen") and "outside the site" in line for line in errors(capsys))
    assert not site.out.exists()


@pytest.mark.parametrize("src", ["../../secret.md", "/etc/passwd", "../no-notes/article.md"])
def test_image_paths_cannot_climb_out_of_their_explainer(site, src, capsys):
    article = site.root / "content/border-rush/article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("src: photo.svg", f"src: {src}"), encoding="utf-8")
    assert site.build() == 1
    found = errors(capsys)
    assert any(line.startswith("content/border-rush/article.md:") and "image.src" in line for line in found), found


@pytest.mark.parametrize("slug", ["../escape", "a/b", "..", "UPPER"])
def test_slug_override_cannot_name_a_path(site, slug, capsys):
    article = site.root / "content/no-notes/article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("---\nJust", f"slug: \"{slug}\"\n---\nJust"),
                       encoding="utf-8")
    assert site.build() == 1
    assert any(line.startswith("content/no-notes/article.md:") and "slug" in line for line in errors(capsys))
    assert not (site.root / "escape").exists()


def test_template_names_cannot_climb_out_of_templates(site, secret, capsys):
    site.write("templates/explainer.html", '{% include "../../secret.md" %}')
    assert site.build() == 1
    found = errors(capsys)
    assert any(line.startswith("templates/explainer.html:1:") for line in found), found
    assert not site.out.exists()


def test_raw_html_in_annotation_markdown_is_sanitized(site):
    site.write("content/border-rush/countries.yaml",
               "- code: KZ\n  name: Kazakhstan\n"
               "  summary: 'Hi <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))'\n")
    assert site.build() == 0
    box = site.page("border-rush/index.html").select_one("#country-kz")
    assert box is not None
    assert not box.select("script")
    assert all(not attr.startswith("on") for tag in box.find_all(True) for attr in tag.attrs)
    assert all(not a.get("href", "").lower().startswith("javascript") for a in box.select("a"))


def test_article_raw_html_is_kept_by_default_and_sanitized_with_unsafe_html_false(site):
    article = site.root / "content/no-notes/article.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + '\n<div class="embed"><iframe src="https://example.org/v"></iframe></div>\n\n'
                       + '<script>alert(1)</script>\n\n<p onclick="alert(2)">Click</p>\n', encoding="utf-8")
    assert site.build() == 0
    page = site.page("no-notes/index.html")
    assert page.select_one(".prose iframe") is not None  # authors may embed media by default

    site_yaml = site.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "unsafe_html: false\n", encoding="utf-8")
    assert site.build() == 0
    prose = site.page("no-notes/index.html").select_one(".prose")
    assert not prose.select("script, iframe")
    assert all(not attr.startswith("on") for tag in prose.find_all(True) for attr in tag.attrs)
    assert "Click" in prose.get_text()


def test_an_interrupted_build_leaves_the_previous_output_and_no_temp_folders(site, monkeypatch):
    assert site.build() == 0
    before = snapshot(site.out)
    calls = {"n": 0}
    real = Path.write_bytes

    def interrupted(self, data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # Ctrl-C halfway through writing
        return real(self, data)

    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    monkeypatch.setattr(Path, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        generator.build.build(generator.build.Options(site=site.root, out=site.out))
    monkeypatch.undo()
    assert calls["n"] >= 3
    assert snapshot(site.out) == before
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith(".build")) == []


def test_nothing_is_written_outside_the_output_folder_but_the_cache(site, tmp_path):
    """The build cache in the site's .cache/ (git-ignored) is the one other place a build writes."""
    cache = site.root / ".cache"

    def outside() -> set[Path]:
        return {p for p in tmp_path.rglob("*")
                if not {site.out, cache} & {p, *p.parents}}

    outside_before = outside()
    assert site.build() == 0
    assert site.build() == 0  # a rebuild (cache, hard links, swap) too
    assert outside() == outside_before
    assert cache.is_dir()


def test_the_example_site_has_no_links_outside_itself():
    """The shipped example must itself obey the rules it enforces."""
    for path in (REPO / "content").rglob("*"):
        assert not path.is_symlink(), path
    assert os.path.realpath(REPO / "content") == str((REPO / "content").resolve())


# --- Hostile or odd input: size and nesting limits, bounded names, real dates, empty text, overflow, reproducibility

import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from conftest import _env, copy_site as copy_fixture  # noqa: E402
from generator.cli import main  # noqa: E402
from generator.ids import IdMaker, bounded  # noqa: E402
from generator.limits import MAX_FILE_BYTES, MAX_YAML_BYTES  # noqa: E402

NO_NOTES = "---\ntitle: An explainer without annotations\ndate: 2021-01-05\n---\nJust text.\n\n"  # body from line 5


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


def assert_located(stderr: str, prefix: str, words: str) -> None:
    assert "Traceback" not in stderr, stderr[-3000:]
    assert any(line.startswith(prefix) and words in line for line in problem_lines(stderr)), stderr[-3000:]


# In a child process: nesting this deep crashed the process itself (a segfault in the C YAML parser).
@pytest.mark.parametrize("rel, text, prefix", [
    ("content/border-rush/timeline.yaml", "- " + "[" * 30_000 + "\n", "content/border-rush/timeline.yaml:1:"),
    ("content/border-rush/quotes.yaml", "- " * 30_000 + "x\n", "content/border-rush/quotes.yaml:1:"),
    ("content/border-rush/countries.yaml", "".join("  " * i + "- a:\n" for i in range(200)),
     "content/border-rush/countries.yaml:51:"),
    ("content/no-notes/article.md", "---\ntitle: A\ndate: 2021-01-05\ntags: " + "{a: " * 30_000 + "\n---\nText.\n",
     "content/no-notes/article.md:4:"),
    ("site.yaml", "title: T\ndescription: " + "[" * 30_000 + "\n", "site.yaml:2:"),
], ids=["flow-lists", "block-lists", "indented-mappings", "front-matter", "site-yaml"])
@pytest.mark.parametrize("command", ["build", "check"])
def test_yaml_nested_beyond_the_limit_is_a_located_error_not_a_crash(site, rel, text, prefix, command):
    site.write(rel, text)
    done = site.run_cli(command, "--site", str(site.root))
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert_located(done.stderr, prefix, "nested more than 100 levels deep")


PREVIEW_BUILD = """
import sys
from pathlib import Path
from generator.build import Builder, Options
from generator.errors import BuildError
root = Path(sys.argv[1])
builder = Builder(Options(site=root, out=root / ".preview", drafts=True, hashed_assets=False, extras=False,
                          in_place=True, save=False))
builder.build()
(root / "timeline.yaml").replace(root / "content/border-rush/timeline.yaml")  # saved while the preview runs
try:
    builder.build(["content/border-rush/timeline.yaml"])
except BuildError as exc:
    print("\\n".join(map(str, exc.problems)))
"""


def test_the_preview_survives_yaml_nested_beyond_the_limit(site):
    """The preview builds in its own long-lived process: a crash there took the server down."""
    site.write("timeline.yaml", "- " + "[" * 30_000 + "\n")
    done = subprocess.run([sys.executable, "-c", PREVIEW_BUILD, str(site.root)], capture_output=True, text=True,
                          env=_env(), timeout=120)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert "content/border-rush/timeline.yaml:1:102: error: lists and mappings are nested more than 100" in done.stdout


def test_yaml_nested_up_to_the_limit_is_parsed(site, capsys):
    # A list item (1) holding a mapping (2) and 98 flow lists: 100 levels, parsed and then checked as usual.
    site.write("content/border-rush/timeline.yaml",
               "- date: 2022-09-21\n  title: Deep\n  body: " + "[" * 98 + "]" * 98 + "\n")
    assert site.build() == 1
    assert errors(capsys) == ["content/border-rush/timeline.yaml:3:9: error: body: expected a text, found a list"]


def test_source_files_larger_than_the_limits_are_refused_unread(site, capsys):
    site.write("content/border-rush/timeline.yaml",
               "- date: 2022-09-21\n  title: Big\n" + "#" * MAX_YAML_BYTES + "\n")
    site.write("content/no-notes/article.md", NO_NOTES + "Words and words.\n" * (MAX_FILE_BYTES // 17))
    assert site.build() == 1
    assert errors(capsys) == [
        "content/border-rush/timeline.yaml:1:1: error: the file is 5.0 MB, more than the 5 MB a YAML file may hold; "
        "split it or take out what was pasted in by mistake",
        "content/no-notes/article.md:1:1: error: the file is 10.0 MB, more than the 10 MB an article may hold; "
        "split it or take out what was pasted in by mistake"]
    assert not site.out.exists()


# In a child process with a time limit: these raised RecursionError, or ran for minutes.
@pytest.mark.parametrize("body, line, words", [
    ("- " * 500 + "x\n", 7, "lists and quotes are nested more than 50 levels"),
    ("> " * 20_000 + "x\n", 7, "lists and quotes are nested more than 50 levels"),
    ("".join("    " * i + "- x\n" for i in range(300)), 7 + 50, "lists and quotes are nested more than 50 levels"),
    ("[" * 50_000 + "x" + "]" * 50_000 + "(http://a)\n", 7, "more than 50 '[' are open at once"),
    ("[x](" * 5_000 + "\n", 7, "more than 50 '(' are open at once"),
    ("![x](" * 5_000 + "\n", 7, "more than 50 '(' are open at once"),
    ("<a " * 20_000 + "\n", 7, "this '<' and the ones before it stay open over too much text"),
    ("[" * 40 + "word " * 200_000 + "\n", 7, "this '[' and the ones before it stay open over too much text"),
    ("*a" * 64_000 + "\n", 7, "this paragraph is long and dense with inline markup"),
    ("line  \n" * 60_000, 7, "this paragraph is long and dense with inline markup"),
    ("~~~a\nx\n" * 20_000, None, "code fences (``` or ~~~) without a closing fence"),
    ("*[A]: a\n\n" * 150, 7 + 2 * 100, "more than 100 abbreviation definitions"),
    ("A\n: a\n" * 4_000, 8 + 2 * 200, "more than 200 definitions (: ...) in a row"),
], ids=["list-markers", "quote-markers", "indented-lists", "nested-links", "link-addresses", "image-addresses",
        "tags", "unclosed-brackets", "dense-emphasis", "dense-line-breaks", "unclosed-fences", "abbreviations",
        "definitions"])
def test_markdown_nested_beyond_the_limits_is_a_located_error_in_bounded_time(site, body, line, words):
    site.write("content/no-notes/article.md", NO_NOTES + body)
    done = site.run_cli("build")
    assert done.returncode == 1, done.stderr[-2000:]
    assert_located(done.stderr, f"content/no-notes/article.md:{line or ''}", words)


def test_markdown_in_annotation_fields_is_held_to_the_same_limits(site, capsys):
    site.write("content/border-rush/timeline.yaml",
               "- date: 2022-09-21\n  title: Deep\n  body: \"" + "- " * 500 + "x\"\n")
    site.write("content/border-rush/countries.yaml",
               "- code: KZ\n  name: Kazakhstan\n  summary: |\n    Fine.\n\n    " + "[" * 60 + "\n")
    assert site.build() == 1
    found = errors(capsys)
    assert any(line.startswith("content/border-rush/timeline.yaml:3:9: error: body: lists and quotes are nested")
               for line in found), found
    assert any(line.startswith("content/border-rush/countries.yaml:3:12: error: summary: more than 50 '['")
               and line.endswith("(line 3 of the text)") for line in found), found


def test_markdown_nested_within_the_limits_builds(site):
    site.write("content/no-notes/article.md", NO_NOTES
               + "> " * 40 + "A deep quote.\n\n"
               + "".join("    " * i + "- level\n" for i in range(12)) + "\n"
               + "See [the [nested [words]]](https://example.org/a_(b)) and \\[" * 3 + ".\n\n"
               + "Plain <b>bold</b> and *more*. " * 2_000 + "\n\n"
               + "```\ncode *x*\n```\n\n" * 100
               + "".join(f"Term {n}\n: What term {n} means.\n" for n in range(150)) + "\n"
               + "".join(f"*[T{n}]: Term {n}\n" for n in range(100)))
    assert site.build() == 0
    prose = site.page("no-notes/index.html").select_one(".prose")
    assert len(prose.select("blockquote")) == 40
    assert len(prose.select("ul")) == 12
    assert prose.select_one('a[href="https://example.org/a_(b)"]').get_text() == "the [nested [words]]"
    assert len(prose.select("b")) == len(prose.select("p em")) == 2_000
    assert len(prose.select("pre code")) == 100
    assert len(prose.select("dl dd")) == 150


def test_a_recursion_error_anywhere_in_an_explainer_is_a_located_error(site, capsys, monkeypatch):
    import generator.markup

    def too_deep(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(generator.markup, "render_blocks", too_deep)
    assert site.build() == 1
    found = errors(capsys)
    assert any(line.startswith("content/border-rush/article.md:1:1: error: this explainer nests too deeply to be read")
               for line in found), found
    assert not site.out.exists()


def test_a_megabyte_timeline_title_builds_in_bounded_time(site):
    site.write("content/border-rush/timeline.yaml", "- date: \"2022\"\n  title: \"" + "word " * 200_000 + "\"\n")
    done = site.run_cli("build")  # within run_cli's time limit: the share image once measured every word
    assert done.returncode == 0, done.stderr[-2000:]
    assert (site.out / "border-rush/q/t-2022-word-word-word-word/share.png").stat().st_size > 1000


def share_ids(site) -> list[str]:
    return sorted(p.name for p in (site.out / "border-rush/q").iterdir())


def test_long_derived_ids_are_cut_to_bounded_file_names_with_a_stable_hash(site, tmp_path):
    site.write("site.yaml", "title: 解说\nlanguage: zh\n")
    site.write("content/border-rush/timeline.yaml",
               f"- date: \"2022-01-01\"\n  title: {'中' * 90}甲\n- date: \"2022-01-01\"\n  title: {'中' * 90}乙\n"
               f"- date: \"2022-01-02\"\n  title: The {'a' * 300} word\n")
    site.write("content/border-rush/quotes.yaml", f"- speaker: Ann\n  text: {'b' * 300}\n- speaker: Ann\n  text: Short.\n")
    assert site.build() == 0
    names = share_ids(site)
    assert all(len(name.encode()) <= 100 for name in names), names
    chinese = [n for n in names if "中" in n]
    assert len(chinese) == 2 and all(re.fullmatch(r"t-2022-01-01-中+-[0-9a-f]{10}", n) for n in chinese), chinese
    assert "q-ann-short" in names  # short ids are as they always were
    page = site.page("border-rush/index.html")
    ids = {li["id"] for li in page.select("ol.timeline > li[id]")}
    assert set(chinese) <= ids
    again = copy_fixture(site.root, tmp_path / "again")
    shutil.rmtree(again.root / ".cache", ignore_errors=True)
    shutil.rmtree(again.out, ignore_errors=True)
    assert again.build() == 0
    assert share_ids(again) == names  # the same ids on every build


def test_paragraph_ids_are_bounded_when_derived_and_kept_when_written(site):
    written = "my-" + "x" * 150
    site.write("content/no-notes/article.md", NO_NOTES + "W" * 300 + " starts this paragraph.\n\n"
               + "A pinned paragraph.\n{: #" + written + " }\n\nJust text.\n")
    assert site.build() == 0
    ids = [p.get("id") for p in site.page("no-notes/index.html").select(".prose > p")]
    assert re.fullmatch(r"p-w+-[0-9a-f]{10}", ids[1]) and len(ids[1]) <= 100, ids
    assert ids[2] == written
    assert ids[0] == "p-just-text" and ids[3] == "p-just-text-2", ids  # short ids as they always were


@settings(max_examples=200, deadline=None)
@given(name=st.text(min_size=1, max_size=400))
def test_bounded_names_fit_in_100_bytes_and_keep_short_ones(name):
    short = bounded(name)
    assert len(short.encode("utf-8")) <= 100
    assert short == bounded(name)
    if len(name.encode("utf-8")) <= 100:
        assert short == name
    else:
        assert short != bounded(name + "x") and re.search(r"-[0-9a-f]{10}\Z", short)


@settings(max_examples=300, deadline=None)
@given(claims=st.lists(st.tuples(st.sampled_from(["p-a", "p-a-2", "p-a-3", "p-a-2-2", "q", "x" * 99, "x" * 99 + "-2",
                                                   "y" * 120, "y" * 120 + "-2"]), st.booleans()), max_size=40))
def test_ids_are_the_first_free_suffix_as_always(claims):
    """IdMaker remembers where each repeated id's search stopped; the ids are those a search from -2 finds."""
    made, taken = IdMaker(), set()
    for wanted, given_id in claims:
        shape = (lambda name: name) if given_id else bounded
        expected, n = shape(wanted), 2
        while expected in taken:
            expected, n = shape(f"{wanted}-{n}"), n + 1
        taken.add(expected)
        assert made.claim(wanted, given_id) == expected


@pytest.mark.parametrize("rel, old, new, prefix", [
    ("content/border-rush/quotes.yaml", "  role: Official", f"  role: Official\n  id: q-{'a' * 120}",
     "content/border-rush/quotes.yaml:3:7: error: id: slug"),
    ("content/no-notes/article.md", "date: 2021-01-05", f"date: 2021-01-05\nslug: {'a' * 101}",
     "content/no-notes/article.md:4:7: error: slug: slug"),
])
def test_author_ids_and_slugs_over_the_limit_are_located_errors(site, capsys, rel, old, new, prefix):
    path = site.root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    assert site.build() == 1
    found = errors(capsys)
    assert any(line.startswith(prefix) and "characters long: use at most 100" in line for line in found), found


@pytest.mark.parametrize("date", ["2022-00-00", "2022-13-01", "2022-02-30", "2022-00-10", "2022-09-00"])
def test_impossible_front_matter_dates_are_located_errors(site, capsys, date):
    site.write("content/no-notes/article.md", NO_NOTES.replace("2021-01-05", date))
    assert site.build() == 1
    assert any(line.startswith(f"content/no-notes/article.md:3:7: error: date: impossible date \"{date}\"")
               for line in errors(capsys))


@pytest.mark.parametrize("date", ["2022-09-00", "2022-00", "0000", "circa 2022-00", "2022-09-00/2022-10"])
def test_partial_timeline_dates_must_be_real_too(site, capsys, date):
    site.write("content/border-rush/timeline.yaml", f"- date: \"{date}\"\n  title: When?\n")
    assert site.build() == 1
    assert any(line.startswith("content/border-rush/timeline.yaml:1:9: error: date: impossible date")
               for line in errors(capsys)), date


def test_feed_dates_are_full_rfc_3339_timestamps(site):
    assert site.build() == 0
    feed = (site.out / "feed.xml").read_text(encoding="utf-8")
    stamps = re.findall(r"<(published|updated)>([^<]*)</", feed)
    assert len(stamps) >= 5
    assert all(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T00:00:00Z", value) for _, value in stamps)


@pytest.mark.parametrize("rel, old, new, prefix", [
    ("content/no-notes/article.md", "title: An explainer without annotations", "title: \"\"",
     "content/no-notes/article.md:2:8: error: title: the text is empty"),
    ("content/no-notes/article.md", "title: An explainer without annotations", "title: \"  \\t \"",
     "content/no-notes/article.md:2:8: error: title: the text is empty"),
    ("site.yaml", "title: \"Desk & <Co> \\\"Explainers\\\"\"", "title: ''", "site.yaml:1:8: error: title: the text is empty"),
    ("content/border-rush/countries.yaml", "name: Kyrgyzstan", "name: \"\"",
     "content/border-rush/countries.yaml:8:9: error: name: the text is empty"),
    ("content/border-rush/countries.yaml", "aliases: [Kyrgyz Republic]", "aliases: [Kyrgyz Republic, \" \"]",
     "content/border-rush/countries.yaml:9:30: error: aliases: the text is empty"),
    ("content/border-rush/countries.yaml", "label: \"Arrivals <week>\"", "label: \"\"",
     "content/border-rush/countries.yaml:5:14: error: facts.label: the text is empty"),
    ("content/border-rush/quotes.yaml", "speaker: Иван Петров", "speaker: \"\"",
     "content/border-rush/quotes.yaml:5:12: error: speaker: the text is empty"),
    ("content/border-rush/quotes.yaml", "text: Мы не знали, что делать.", "text: ''",
     "content/border-rush/quotes.yaml:6:9: error: text: the text is empty"),
    ("content/border-rush/timeline.yaml", "title: A month of departures", "title: \"\"",
     "content/border-rush/timeline.yaml:6:10: error: title: the text is empty"),
])
def test_empty_required_text_is_a_located_error_in_build_and_check(site, capsys, rel, old, new, prefix):
    path = site.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert site.build() == 1
    assert any(line.startswith(prefix) for line in errors(capsys)), prefix
    assert main(["check", "--site", str(site.root)]) == 1
    assert any(line.startswith(prefix) for line in errors(capsys)), prefix


@pytest.mark.parametrize("days, status", [("1000000000", 1), ("99999999999999999999999", 1), ("36501", 1),
                                          ("36500", 0)])
def test_stale_after_days_is_bounded_in_the_schema(site, capsys, days, status):
    site_yaml = site.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + f"stale_after_days: {days}\n", encoding="utf-8")
    assert main(["check", "--site", str(site.root)]) == status
    found = errors(capsys)
    if status:
        assert found == [f"site.yaml:4:19: error: stale_after_days: invalid number of days \"{days}\": write a whole "
                         f"number such as 365 (at most 36500, a hundred years)"]
    else:
        assert found == []


def test_diff_reports_every_page_that_is_not_utf8_at_once(site, tmp_path, capsys):
    old, new = tmp_path / "old", tmp_path / "new"
    assert main(["build", "--site", str(site.root), "--out", str(old)]) == 0
    assert main(["build", "--site", str(site.root), "--out", str(new)]) == 0
    capsys.readouterr()
    (old / "no-notes/index.html").write_bytes(b"<p>caf\xe9</p>\n")
    (new / "border-rush/index.html").write_bytes(b"<h1>ok</h1>\n<p>\xff</p>\n")
    assert main(["diff", str(old), str(new)]) == 1
    assert [line.split(" (byte")[0] for line in errors(capsys)] == [
        f"{new.as_posix()}/border-rush/index.html:2:4: error: not UTF-8",
        f"{old.as_posix()}/no-notes/index.html:1:7: error: not UTF-8"]


def test_two_clean_builds_of_a_multilingual_site_are_byte_identical(site, tmp_path):
    from test_languages import add_translations

    add_translations(site)
    outputs = []
    for n in range(3):  # Pagefind's own order changes from run to run: three runs rarely agree by chance
        shutil.rmtree(site.root / ".cache", ignore_errors=True)
        out = tmp_path / f"out{n}"
        assert main(["build", "--site", str(site.root), "--out", str(out)]) == 0
        outputs.append(snapshot(out))
    assert outputs[0] == outputs[1] == outputs[2]
    assert '"languages":{"ar":' in outputs[0]["pagefind/pagefind-entry.json"].decode()
