"""The command line as an author meets it: messages, exit codes, refusals."""

from __future__ import annotations

import re

from conftest import SITES, copy_site

LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.+)$")


def problems(stderr: str) -> list[dict]:
    return [m.groupdict() for m in map(LINE.match, stderr.splitlines()) if m]


def test_build_from_the_site_folder_defaults_to_build(site):
    result = site.run_cli("build")
    assert result.returncode == 0, result.stderr
    assert (site.root / "build/border-rush/index.html").is_file()


def test_all_content_errors_reported_at_once_without_traceback(tmp_path):
    broken = copy_site(SITES / "valid", tmp_path / "s")
    broken.write("content/border-rush/quotes.yaml", "- speaker: A\n  txt: hello\n")
    broken.write("content/border-rush/timeline.yaml", '- date: "2022-13-45"\n  title: Bad date\n')
    broken.write("content/no-notes/article.md", "---\ntitle: x\n")
    result = broken.run_cli("build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    found = problems(result.stderr)
    paths = {p["path"] for p in found}
    assert {"content/border-rush/quotes.yaml", "content/border-rush/timeline.yaml",
            "content/no-notes/article.md"} <= paths
    by_path = {p["path"]: p for p in found}
    assert by_path["content/border-rush/timeline.yaml"]["line"] == "1"
    assert "2022-13-45" in by_path["content/border-rush/timeline.yaml"]["msg"]
    unknown = [p for p in found if "txt" in p["msg"]]
    assert unknown and unknown[0]["line"] == "2" and 'did you mean "text"' in unknown[0]["msg"]
    assert not (broken.root / "build").exists()


def test_failed_build_keeps_previous_output(site):
    assert site.build() == 0
    before = (site.out / "border-rush/index.html").read_bytes()
    site.write("content/border-rush/countries.yaml", "- code: XX\n  name: Nowhere\n")
    result = site.run_cli("build")
    assert result.returncode == 1
    assert problems(result.stderr)[0]["line"] == "1"
    assert (site.out / "border-rush/index.html").read_bytes() == before


def test_refuses_output_that_is_the_site_or_holds_sources(site, tmp_path):
    for out in (str(site.root), str(site.root.parent), str(site.root / "content")):
        result = site.run_cli("build", "--out", out)
        assert result.returncode == 1 and "Traceback" not in result.stderr, out
        assert "--out" in result.stderr
    other = copy_site(SITES / "valid", tmp_path / "other")
    result = site.run_cli("build", "--out", str(other.root))
    assert result.returncode == 1
    assert (other.root / "site.yaml").exists()


def test_refuses_to_replace_a_folder_it_did_not_write(site, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    result = site.run_cli("build", "--out", str(precious))
    assert result.returncode == 1
    assert (precious / "notes.txt").read_text() == "keep me"
