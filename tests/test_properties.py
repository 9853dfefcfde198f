"""Property-based tests: whatever an author writes, the build answers with
pages or with `path:line:col` messages, never a traceback, and a failed run
leaves the previous output exactly as it was."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SITES, _env, examples
from generator.cli.main import main

LINE = re.compile(r"^[^\s:][^:]*:\d+:\d+: (error|warning): .+$")
SUMMARY = re.compile(r"^build failed: \d+ error\(s\); .+ was not changed$")
VALID = SITES / "valid"
STORY = "content/border-rush"

FIELDS = [
    ("site.yaml", ["title"]), ("site.yaml", ["description"]), ("site.yaml", ["language"]),
    ("site.yaml", ["base_url"]),
    (f"{STORY}/timeline.yaml", [0, "date"]), (f"{STORY}/timeline.yaml", [0, "title"]),
    (f"{STORY}/timeline.yaml", [0, "body"]), (f"{STORY}/timeline.yaml", [0, "anchor"]),
    (f"{STORY}/countries.yaml", [0, "code"]), (f"{STORY}/countries.yaml", [0, "name"]),
    (f"{STORY}/countries.yaml", [0, "summary"]), (f"{STORY}/countries.yaml", [1, "aliases"]),
    (f"{STORY}/countries.yaml", [0, "facts", 0, "value"]),
    (f"{STORY}/quotes.yaml", [0, "speaker"]), (f"{STORY}/quotes.yaml", [0, "text"]),
    (f"{STORY}/quotes.yaml", [0, "role"]), (f"{STORY}/quotes.yaml", [0, "anchor"]),
]
FRONT = ["title", "date", "dek", "byline", "tags", "draft", "slug", "source", "image"]
FILES = ["site.yaml", f"{STORY}/article.md", f"{STORY}/timeline.yaml", f"{STORY}/countries.yaml",
         f"{STORY}/quotes.yaml"]

values = st.one_of(
    st.text(max_size=80),
    st.text(alphabet="<>&\"'`:/\\.#-_ [](){}*!\n\tабв’“”\u202e", max_size=40),
    st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
    st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
    st.sampled_from(["javascript:alert(1)", "2022-13-45", "../../etc/passwd", "</script><script>x()</script>",
                     "0000-00-00", "2022-02-29", "XX", "", " ", "~", "{{ site }}", "{% raw %}"]),
)

SETTINGS = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
_BUILT: dict[str, Path] = {}


def fresh_site() -> Path:
    """A copy of the valid site whose output folder holds one good build."""
    if "site" not in _BUILT:
        root = Path(tempfile.mkdtemp(prefix="prop-base-")) / "site"
        shutil.copytree(VALID, root)
        assert run(root)[0] == 0
        _BUILT["site"] = root
    root = Path(tempfile.mkdtemp(prefix="prop-")) / "site"
    shutil.copytree(_BUILT["site"], root, symlinks=True)
    return root


@pytest.fixture(scope="module", autouse=True)
def _remove_the_built_site():
    """The site fresh_site copies is removed with the module's last test."""
    yield
    if "site" in _BUILT:
        shutil.rmtree(_BUILT.pop("site").parent, ignore_errors=True)


def run(root: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["build", "--site", str(root), "--out", str(root / "build")])
    return code, err.getvalue()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def check(root: Path) -> None:
    before = snapshot(root / "build")
    code, stderr = run(root)
    assert code in (0, 1)
    lines = stderr.splitlines()
    for line in lines:
        assert LINE.match(line) or SUMMARY.match(line), f"unexpected output line: {line!r}"
    if code == 1:
        assert any(line.split(":")[0] != "build failed" and LINE.match(line) for line in lines)
        assert snapshot(root / "build") == before
    shutil.rmtree(root.parent, ignore_errors=True)


def set_path(data, path, value):
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


@SETTINGS
@given(field=st.sampled_from(FIELDS), value=values)
def test_any_value_in_any_annotation_field(field, value):
    root = fresh_site()
    rel, path = field
    data = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    set_path(data, path, value)
    (root / rel).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    check(root)


@SETTINGS
@given(key=st.sampled_from(FRONT), value=values, body=st.text(max_size=400))
def test_any_front_matter_and_markdown_body(key, value, body):
    root = fresh_site()
    article = root / STORY / "article.md"
    front, _ = article.read_text(encoding="utf-8").split("---\n", 2)[1:]
    data = yaml.safe_load(front)
    data[key] = value
    article.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body, encoding="utf-8")
    check(root)


@SETTINGS
@given(rel=st.sampled_from(FILES), data=st.binary(max_size=300))
def test_random_bytes_in_any_file(rel, data):
    root = fresh_site()
    (root / rel).write_bytes(data)
    check(root)


@SETTINGS
@given(rel=st.sampled_from(FILES), text=st.text(max_size=300))
def test_random_text_in_any_file(rel, text):
    root = fresh_site()
    (root / rel).write_text(text, encoding="utf-8")
    check(root)


# Hostile URL spellings (issue 18): whatever entities, case, whitespace and control
# characters spell javascript:, data: or vbscript:, no published link or image
# carries it as the browser reads it; the build refuses it with its place instead.

ACTIVE = ["javascript:alert(1)", "data:text/html,<b>x</b>", "vbscript:msgbox(1)", "//evil.example/x"]
SPACING = ["\t", "\n", "\r", "&#9;", "&#x0A;", "&#13", "&Tab;", "&NewLine;", "&#x0000A;"]
LEADING = [" ", "\x01", "\x1f", "&#1;", "&#x20;", "&#32", "\t", "&#x1F;"]


def _char_reference(char: str, draw) -> str:
    code = ord(char)
    zeros = "0" * draw(st.integers(0, 4))
    end = draw(st.sampled_from([";", ""]))
    if draw(st.booleans()):
        return f"&#{zeros}{code}{end}"
    x = draw(st.sampled_from(["x", "X"]))
    digits = f"{code:x}" if draw(st.booleans()) else f"{code:X}"
    return f"&#{x}{zeros}{digits}{end}"


NAMED = {":": ["&colon;"], "/": ["&sol;"], "(": ["&lpar;"], ")": ["&rpar;"], ".": ["&period;"]}


@st.composite
def hostile_urls(draw) -> str:
    """An active URL spelled as an author might slip it past a naive check."""
    url = draw(st.sampled_from(ACTIVE))
    cut = url.index(":") + 1 if ":" in url[:12] else 3
    parts = [draw(st.sampled_from(LEADING)) for _ in range(draw(st.integers(0, 2)))]
    for char in url[:cut]:  # the scheme, where browsers decide what the URL does
        how = draw(st.integers(0, 5))
        if how == 0:
            parts.append(_char_reference(char, draw))
        elif how == 1 and char in NAMED:
            parts.append(draw(st.sampled_from(NAMED[char])))
        else:
            parts.append(char.upper() if draw(st.booleans()) else char)
        if draw(st.integers(0, 4)) == 0:
            parts.append(draw(st.sampled_from(SPACING)))
    return "".join(parts) + url[cut:]


URL_FORMS = [
    "Text [a link]({url}) here.",
    "Text ![an image]({url}) here.",
    "Text [a link](<{url}>) here.",
    "Text [a reference][r] here.\n\n[r]: {url}",
    "Text [a reference][] here.\n\n[a reference]: <{url}>",
    "Text [a link](https://ok.example/){{: href=\"{url}\" }} here.",
    "Text ![an image](ok.png){{: src=\"{url}\" }} here.",
    "Para\n{{: cite=\"{url}\" }}",
]


def _as_browser_reads(value: str) -> str:
    """WHATWG URL parsing's first steps, on a value html.parser has already decoded."""
    return value.replace("\t", "").replace("\n", "").replace("\r", "").strip("".join(map(chr, range(0x21))))


def _bad_urls(html: str) -> list[str]:
    """URLs in `html` that a browser would follow to another scheme than http(s) or mailto, or to another host."""
    from bs4 import BeautifulSoup

    bad = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        for name, value in tag.attrs.items():
            if name not in ("href", "src", "cite", "action", "formaction", "srcset", "poster", "data"):
                continue
            url = _as_browser_reads(value if isinstance(value, str) else " ".join(value))
            scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
            if (scheme and scheme[1].lower() not in ("http", "https", "mailto")) or url.replace("\\", "/").startswith("//"):
                bad.append(value)
    return bad


def _blocks_html(blocks) -> str:
    from markupsafe import escape

    parts = []
    for b in blocks:
        if b.tag is None:
            parts.append(str(b.inner))
        else:
            attrs = "".join(f' {k}="{escape(v)}"' for k, v in b.attrs.items())
            parts.append(f"<{b.tag}{attrs}>{b.inner}</{b.tag}>")
    return "\n".join(parts)


_MD = []


def _markdown():
    from generator.resolve import markup

    if not _MD:
        _MD.append(markup.new_markdown())
    return _MD[0]


@settings(max_examples=examples(200), deadline=None)
@given(url=hostile_urls(), form=st.sampled_from(URL_FORMS), sanitize=st.booleans())
def test_no_hostile_url_spelling_reaches_an_article_page(url, form, sanitize):
    from generator.resolve import markup
    from generator.resolve.ids import IdMaker
    from generator.resolve.links import TreeEditor

    text = form.format(url=url)
    edit = TreeEditor([], IdMaker())
    html = _blocks_html(markup.render_blocks(_markdown(), text, edit, sanitize))
    assert not _bad_urls(html), (text, html)  # refused ones (build errors) are taken out of the tree too


@settings(max_examples=examples(100), deadline=None)
@given(url=hostile_urls(), form=st.sampled_from(URL_FORMS[:5]))
def test_no_hostile_url_spelling_reaches_annotation_markdown(url, form):
    from generator.resolve import markup

    refused: list = []
    html = str(markup.render_snippet(_markdown(), form.format(url=url), refused))
    assert not _bad_urls(html), (form, url, html)


@settings(max_examples=examples(100), deadline=None)
@given(url=hostile_urls())
def test_no_hostile_url_spelling_passes_as_a_source_url(url):
    from markupsafe import escape

    from generator.validate.schema import URL

    try:
        kept = URL.parse(url)
    except ValueError:
        return
    assert not _bad_urls(f'<a href="{escape(kept)}">x</a>'), url


@settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(url=hostile_urls(), form=st.sampled_from(URL_FORMS), source=hostile_urls())
def test_no_hostile_url_spelling_reaches_a_built_site(url, form, source):
    root = fresh_site()
    article = root / STORY / "article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n" + form.format(url=url) + "\n", encoding="utf-8")
    quotes = root / STORY / "quotes.yaml"
    data = yaml.safe_load(quotes.read_text(encoding="utf-8"))
    data[0]["source"] = {"name": "Wire", "url": source}
    quotes.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, stderr = run(root)
    if code == 0:
        for page in (root / "build").rglob("*.html"):
            assert not _bad_urls(page.read_text(encoding="utf-8")), page
    else:
        assert code == 1
        assert any(LINE.match(line) and ": error: " in line for line in stderr.splitlines()), stderr
    shutil.rmtree(root.parent, ignore_errors=True)


# --- Random nesting never crashes: lists, brackets, quotes and indentation, as deep as hostile input makes them.
# Each build runs in a child process with a time limit: nesting deep enough once killed the process
# itself (a segfault in the C YAML parser), which would take pytest down with it.

PIECES = ["[", "]", "{", "}", "(", ")", "](", "- ", "> ", "* ", "*", "_", "1. ", ": ", "? ", "    ", "\t", "\n",
          "\n\n", "x", "<a ", ">", "`", "\\", "!", "#", "|", "&", "  \n", "```", "*[", "\n: "]
DEPTHS = st.one_of(st.integers(1, 60), st.integers(90, 130), st.integers(400, 700), st.integers(20_000, 35_000))
NESTING = st.lists(st.tuples(st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map("".join), DEPTHS),
                   min_size=1, max_size=3).map(lambda runs: "".join(unit * count for unit, count in runs))
PLACES = ["front matter", "annotation file", "annotation field", "article body", "site.yaml"]
TIME_LIMIT = 240  # seconds for one build of a hostile file; a normal build of this site takes one or two


def plant(root: Path, place: str, text: str) -> None:
    story = root / STORY
    if place == "front matter":
        (story / "article.md").write_text(f"---\ntitle: T\ndate: 2022-09-23\ntags: {text}\n---\nBody.\n", encoding="utf-8")
    elif place == "annotation file":
        (story / "timeline.yaml").write_text(text, encoding="utf-8")
    elif place == "annotation field":
        indented = "\n".join("    " + line for line in text.split("\n"))
        (story / "timeline.yaml").write_text(f"- date: \"2022\"\n  title: T\n  body: |\n{indented}\n", encoding="utf-8")
    elif place == "article body":
        article = story / "article.md"
        front = article.read_text(encoding="utf-8").split("---\n", 2)[1]
        article.write_text(f"---\n{front}---\n{text}\n", encoding="utf-8")
    else:
        (root / "site.yaml").write_text(f"title: T\nsearch: false\ndescription: {text}\n", encoding="utf-8")


@settings(max_examples=examples(25), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(place=st.sampled_from(PLACES), text=NESTING)
def test_random_nesting_never_crashes_or_hangs(place, text):
    root = Path(tempfile.mkdtemp(prefix="prop-nesting-")) / "site"
    try:
        shutil.copytree(VALID, root)
        (root / "site.yaml").write_text("title: T\nsearch: false\n", encoding="utf-8")  # the index is not the point
        plant(root, place, text)
        done = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(root)], cwd=root,
                              capture_output=True, text=True, env=_env(), timeout=TIME_LIMIT, check=False)
        assert done.returncode in (0, 1), f"exit status {done.returncode} (a signal when negative)\n{done.stderr[-3000:]}"
        for line in done.stderr.splitlines():
            assert LINE.match(line) or SUMMARY.match(line), f"unexpected output line: {line[:300]!r}"
        if done.returncode == 1:
            assert any(LINE.match(line) and ": error: " in line for line in done.stderr.splitlines())
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
