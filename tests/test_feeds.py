"""The feed and the sitemap as their readers check them, and the warning when they can't be right.

With an absolute base_url, feed.xml validates against RFC 4287's RELAX NG schema
(tests/schemas/atom.rnc) plus the rules the RFC states beside it, and sitemap.xml
against the sitemaps.org XSD (tests/schemas/sitemap.xsd). With a relative one, the
same checks fail, and build and check say so once, naming base_url.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import rnc2rng
from lxml import etree

from conftest import SITES, copy_example, copy_site
from generator.cli.main import main
from generator.preview.rebuilder import preview_builder

SCHEMAS = Path(__file__).parent / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PUBLIC = "https://news.example/desk/"
# RFC 3339's date-time: a full date, a time and an offset (Z or ±hh:mm).
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z")
WARNING = re.compile(r"^site\.yaml(:\d+:\d+)?: warning: base_url is \"/\", not the site's public address: the feed, "
                     r"the sitemap, canonical links and social cards need absolute URLs; set base_url in site\.yaml "
                     r"\(or pass --base-url\)")


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    grammar = rnc2rng.dumps(rnc2rng.loads((SCHEMAS / "atom.rnc").read_text(encoding="utf-8")))
    # rnc2rng declares the RFC's `namespace local = ""` as xmlns:local="", which XML forbids;
    # it writes the name class itself as nsName ns="", so the declaration is not needed.
    return etree.RelaxNG(etree.fromstring(grammar.replace('xmlns:local=""', "").encode()))


@pytest.fixture(scope="module")
def sitemap_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, Path]:
    """The example and the valid fixture site, built with an absolute base_url."""
    root = tmp_path_factory.mktemp("feeds")
    sites = {"example": copy_example(root / "example"), "valid": copy_site(SITES / "valid", root / "valid")}
    for site in sites.values():
        assert site.build("--base-url", PUBLIC) == 0
    return {name: site.out for name, site in sites.items()}


def atom_problems(feed: etree._ElementTree, schema: etree.RelaxNG) -> list[str]:
    """What RFC 4287 forbids in the feed: its schema, the rules stated beside it, full URLs, RFC 3339 dates."""
    found = [str(e) for e in schema.error_log] if not schema.validate(feed) else []
    top = feed.getroot()
    entries = top.findall(f"{ATOM}entry")
    if top.find(f"{ATOM}author") is None:
        found += [f"entry {i}: no author, and the feed has none" for i, e in enumerate(entries)
                  if e.find(f"{ATOM}author") is None]
    for i, entry in enumerate(entries):
        links = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        if not links and entry.find(f"{ATOM}content") is None:
            found.append(f"entry {i}: neither an alternate link nor content")
    ids = [el.text or "" for el in top.iter(f"{ATOM}id")]
    found += [f"id {i!r} is not a full URL" for i in ids if not full_url(i)]
    if len(set(ids)) != len(ids):
        found.append(f"ids repeat: {ids}")
    found += [f"link {el.get('href')!r} is not a full URL" for el in top.iter(f"{ATOM}link") if not full_url(el.get("href"))]
    for name in ("updated", "published"):
        found += [f"{name} {el.text!r} is not an RFC 3339 date-time" for el in top.iter(f"{ATOM}{name}")
                  if not RFC3339.match(el.text or "")]
    return found


def full_url(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@pytest.mark.parametrize("name", ["example", "valid"])
def test_the_feed_is_valid_atom_when_base_url_is_absolute(published, atom_schema, name):
    feed = etree.parse(str(published[name] / "feed.xml"))
    assert atom_problems(feed, atom_schema) == []
    top = feed.getroot()
    assert top.findall(f"{ATOM}entry"), "a feed without entries checks little"
    self_link = [el.get("href") for el in top.findall(f"{ATOM}link") if el.get("rel") == "self"]
    assert self_link == [f"{PUBLIC}feed.xml"]


@pytest.mark.parametrize("name", ["example", "valid"])
def test_the_sitemap_is_valid_for_sitemaps_org_when_base_url_is_absolute(published, sitemap_schema, name):
    sitemap = etree.parse(str(published[name] / "sitemap.xml"))
    assert sitemap_schema.validate(sitemap), sitemap_schema.error_log
    locs = [el.text for el in sitemap.iter(f"{SITEMAP}loc")]
    assert locs and all(loc.startswith(PUBLIC) for loc in locs), locs
    for loc in locs:  # every address in it is a page of the build
        path = urlsplit(loc).path[len(urlsplit(PUBLIC).path):]
        assert (published[name] / path / "index.html").is_file(), loc


def test_with_a_relative_base_url_the_checks_fail_and_the_build_says_why(site, atom_schema, sitemap_schema, capsys):
    """The default base_url "/" gives relative ids and locations: the validators above reject them."""
    assert site.build() == 0
    err = capsys.readouterr().err.splitlines()
    warned = [line for line in err if WARNING.match(line)]
    assert len(warned) == 1 and warned[0].startswith("site.yaml:1:1: warning:"), err  # the fixture does not write base_url
    feed = etree.parse(str(site.out / "feed.xml"))
    assert any("is not a full URL" in p for p in atom_problems(feed, atom_schema))
    assert not sitemap_schema.validate(etree.parse(str(site.out / "sitemap.xml")))


def test_the_warning_points_at_base_url_in_site_yaml(site, capsys):
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "base_url: /news/\n")
    line = len((site.root / "site.yaml").read_text(encoding="utf-8").splitlines())
    assert site.build() == 0
    err = capsys.readouterr().err.splitlines()
    warned = [e for e in err if "base_url is" in e]
    assert warned == [warned[0]] and warned[0].startswith(f"site.yaml:{line}:11: warning: base_url is \"/news/\""), err
    assert "--base-url" in warned[0]


def test_strict_makes_the_relative_base_url_an_error(example, capsys):
    """The example site has no other warning."""
    assert example.build("--strict") == 1
    err = capsys.readouterr().err
    assert [bool(WARNING.match(line)) for line in err.splitlines()] == [True, False], err
    assert "build failed" in err and not example.out.exists()
    assert example.build("--strict", "--base-url", PUBLIC) == 0, capsys.readouterr().err


def test_a_relative_base_url_on_the_command_line_is_warned_about_there(site, capsys):
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + f"base_url: {PUBLIC}\n")
    assert site.build() == 0
    assert "base_url" not in capsys.readouterr().err
    assert site.build("--base-url", "/desk/") == 0
    warned = [line for line in capsys.readouterr().err.splitlines() if "base_url is" in line]
    assert len(warned) == 1 and warned[0].startswith('--base-url: warning: base_url is "/desk/"'), warned


def test_check_warns_once_and_fails_with_strict(example, capsys):
    assert main(["check", "--site", str(example.root)]) == 0
    out = capsys.readouterr()
    assert [bool(WARNING.match(line)) for line in out.err.splitlines()] == [True], out.err
    assert out.out.strip() == "0 error(s), 1 warning(s)"
    assert main(["check", "--site", str(example.root), "--strict"]) == 1
    capsys.readouterr()
    assert main(["check", "--site", str(example.root), "--strict", "--base-url", PUBLIC]) == 0, capsys.readouterr().err


def test_the_preview_does_not_warn(site):
    """serve's pages are served from its own root: "/" is right there."""
    builder = preview_builder(site.root, site.root / ".preview")
    assert not [w for w in builder.build().warnings if "base_url" in w.message]
