"""Property-based tests: whatever an author writes, the build answers with
pages or with `path:line:col` messages, never a traceback, and a failed run
leaves the previous output exactly as it was."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SITES
from generator.cli import main

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

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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


# --- Random nesting never crashes: lists, brackets, quotes and indentation, as deep as hostile input makes them.
# Each build runs in a child process with a time limit: nesting deep enough once killed the process
# itself (a segfault in the C YAML parser), which would take pytest down with it.

import subprocess  # noqa: E402
import sys  # noqa: E402

from conftest import _env  # noqa: E402

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


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(place=st.sampled_from(PLACES), text=NESTING)
def test_random_nesting_never_crashes_or_hangs(place, text):
    root = Path(tempfile.mkdtemp(prefix="prop-nesting-")) / "site"
    try:
        shutil.copytree(VALID, root)
        (root / "site.yaml").write_text("title: T\nsearch: false\n", encoding="utf-8")  # the index is not the point
        plant(root, place, text)
        done = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(root)], cwd=root,
                              capture_output=True, text=True, env=_env(), timeout=TIME_LIMIT)
        assert done.returncode in (0, 1), f"exit status {done.returncode} (a signal when negative)\n{done.stderr[-3000:]}"
        for line in done.stderr.splitlines():
            assert LINE.match(line) or SUMMARY.match(line), f"unexpected output line: {line[:300]!r}"
        if done.returncode == 1:
            assert any(LINE.match(line) and ": error: " in line for line in done.stderr.splitlines())
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
