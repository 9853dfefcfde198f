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


# Search shards: a Pagefind failure costs the index, never the build, and is tried again.

def test_a_failing_pagefind_warns_and_the_next_build_makes_the_index(site, monkeypatch, capsys):
    from generator import search

    real = search._run

    def failing(pages):
        raise RuntimeError("pagefind failed: out of memory")

    monkeypatch.setattr(search, "_run", failing)
    assert site.build() == 0
    assert capsys.readouterr().err.count("warning: no search index: pagefind failed: out of memory") == 1
    assert not (site.out / "pagefind").exists()
    monkeypatch.setattr(search, "_run", real)
    assert site.build() == 0  # nothing else changed: the index is made now all the same
    assert (site.out / "pagefind" / "shards.json").is_file() and (site.out / "pagefind" / "pagefind-ui.js").is_file()
    assert "no search index" not in capsys.readouterr().err
