"""The build benchmark's corpus is the usual mix, with the site.yaml the generator ships."""

from __future__ import annotations

import sys

import yaml

from conftest import REPO
from generator.cli.main import main
from generator.config import load_site
from generator.errors import Report

sys.path.insert(0, str(REPO / "bench"))
import corpus


def cards(site) -> list[tuple[dict, str]]:
    """(card, the article's body) of every quote card of the site."""
    found = []
    for folder in sorted((site / "content").iterdir()):
        body = (folder / "article.md").read_text(encoding="utf-8").split("---\n", 2)[2]
        found += [(card, body) for card in yaml.safe_load((folder / "quotes.yaml").read_text(encoding="utf-8"))]
    return found


def test_the_corpus_is_the_usual_mix_with_the_default_site_yaml(tmp_path):
    site = corpus.make_site(tmp_path / "site", 4)
    assert (site / "site.yaml").read_text(encoding="utf-8") == (REPO / "site.yaml").read_text(encoding="utf-8")
    loaded = load_site(site, Report())
    assert loaded.share_pages and loaded.search
    found = cards(site)
    verbatim = [c for c, body in found if f"“{c['text']},”" in body]
    trimmed = [c for c, body in found if "…" in c["text"]]
    repunctuated = [c for c, body in found if c not in verbatim and c not in trimmed]
    sourced = [c for c, _ in found if "source" in c]
    assert (len(found), len(verbatim), len(trimmed), len(repunctuated), len(sourced)) == (24, 12, 8, 4, 4)
    assert all(c in verbatim for c in sourced)
    for card, body in found:  # every card's words are the article's, whatever its form
        said = [w.strip(",.") for w in card["text"].split() if w != "…"]
        assert all(w in body for w in said), card
    entries = [e for folder in (site / "content").iterdir()
               for e in yaml.safe_load((folder / "timeline.yaml").read_text(encoding="utf-8"))]
    assert len(entries) == 40 and sum("anchor" in e for e in entries) == 28
    for folder in (site / "content").iterdir():
        assert len(yaml.safe_load((folder / "countries.yaml").read_text(encoding="utf-8"))) == 4
        words = len((folder / "article.md").read_text(encoding="utf-8").split())
        assert 1300 < words < 1900


def test_the_quote_forms_and_the_features_off_change_only_what_they_name(tmp_path):
    mixed = corpus.make_site(tmp_path / "mixed", 2)
    for quotes, verbatim in (("verbatim", 12), ("trimmed", 0)):
        other = corpus.make_site(tmp_path / quotes, 2, quotes=quotes)
        for folder in (mixed / "content").iterdir():
            for name in ("article.md", "timeline.yaml", "countries.yaml"):
                assert (other / "content" / folder.name / name).read_bytes() == (folder / name).read_bytes()
        found = cards(other)
        assert sum(f"“{c['text']},”" in body for c, body in found) == verbatim and len(found) == 12
    off = corpus.make_site(tmp_path / "off", 1, share_pages=False, search=False)
    loaded = load_site(off, Report())
    assert not loaded.share_pages and not loaded.search and loaded.title == load_site(mixed, Report()).title


def test_the_corpus_builds_with_share_pages_search_and_the_closest_passage(tmp_path, capsys):
    site = corpus.make_site(tmp_path / "site", 2)
    out = tmp_path / "out"
    assert main(["build", "--site", str(site), "--out", str(out)]) == 0
    # The shipped site.yaml's base_url is "/": its warning is the shipped configuration's too.
    warnings = [line for line in capsys.readouterr().err.splitlines()
                if ": warning: " in line and "base_url" not in line]
    assert len(warnings) == 6 and all("not found verbatim" in w and "closest passage" in w for w in warnings)
    for folder in (site / "content").iterdir():
        shared = list((out / folder.name / "q").glob("*/index.html"))
        assert len(shared) == 16  # a share page for each of the 6 cards and 10 entries
    assert (out / "search" / "languages.json").is_file()
