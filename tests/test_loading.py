"""The shortcuts taken while loading an explainer give the answers of the plain way.

The front-matter split and the per-folder path checks each skip work on the
common case; these tests hold them to what a line-by-line split, relpath and
is_inside say. (How YAML's scalars are read: tests/test_fastpaths.py.)
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from generator.errors import Report
from generator.load.annotations import load_annotations
from generator.load.content import folder_view, split_front_matter
from generator.load.files import is_inside, outside_message, relpath


def _split_line_by_line(text: str) -> tuple[str, str, int] | None:
    lines = text.split("\n")
    if not text.strip() or lines[0].rstrip() != "---":
        return None
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1:]), number + 2
    return None


def test_front_matter_split_matches_a_line_by_line_split():
    pieces = ["---", "--- ", "---\t", "----", " ---", "a: b", "", "x", "\u2003", "---\u2003", "\x1c"]
    for count in range(5):
        for chosen in itertools.product(pieces, repeat=count):
            for end in ("", "\n"):
                text = "\n".join(chosen) + end
                assert split_front_matter(text, "a.md", Report()) == _split_line_by_line(text), repr(text)


def test_folder_view_agrees_with_relpath_and_is_inside(tmp_path):
    root = tmp_path / "site"
    (root / "content" / "plain").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, root / "content" / "linked")
    folders = [root / "content" / "plain", root / "content" / "linked", root, outside, root / "content" / ".." / "x",
               Path("content/plain"), tmp_path]
    for folder in folders:
        prefix, plain = folder_view(folder, root)
        path = folder / "timeline.yaml"
        assert (relpath(path, root) if prefix is None else prefix + "timeline.yaml") == relpath(path, root)
        if plain:
            assert is_inside(path, root)


def test_annotation_file_linked_from_outside_is_refused(tmp_path):
    root = tmp_path / "site"
    folder = root / "content" / "one"
    folder.mkdir(parents=True)
    secret = tmp_path / "timeline.yaml"
    secret.write_text('- date: "2020"\n  title: "Outside"\n', encoding="utf-8")
    os.symlink(secret, folder / "timeline.yaml")
    (folder / "quotes.yaml").write_text('- speaker: "A B"\n  text: "Words"\n', encoding="utf-8")
    report = Report()
    loaded = load_annotations(folder, root, report)
    assert [str(p) for p in report.problems] == ["content/one/timeline.yaml:1:1: error: " + outside_message()]
    assert loaded.timeline == [] and [q.speaker for q in loaded.quotes] == ["A B"]
    assert loaded.paths == {"timeline": "content/one/timeline.yaml", "quotes": "content/one/quotes.yaml"}


def test_country_codes_are_pycountrys_own():
    import pycountry

    from generator.validate.schema import country_codes

    assert country_codes() == {country.alpha_2 for country in pycountry.countries}
    assert {"KG", "KZ", "RU", "UZ", "TJ"} <= country_codes() and "XX" not in country_codes()
