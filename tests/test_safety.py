"""Nothing in a site's files can reach outside the site or into the reader's browser.

Each test plants one hostile input in a copy of the valid fixture site and
checks what the build does with it: a `path:line:col` error, or output that
carries no active markup. None may write outside the output folder.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import io
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import generator.build.pipeline
from conftest import REPO, SITES, _env, cold_build, copy_site, examples, quick
from conftest import copy_site as copy_fixture
from generator.build import folders, swap
from generator.build.compiled import IN_PROCESS
from generator.build.pipeline import Builder, Options
from generator.cli.main import main
from generator.resolve.ids import IdMaker, bounded
from generator.validate.limits import MAX_FILE_BYTES, MAX_YAML_BYTES


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
               "  summary: 'Hi <script>alert(1)</script><img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">x</a>'\n")
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
        generator.build.pipeline.build(generator.build.pipeline.Options(site=site.root, out=site.out))
    monkeypatch.undo()
    assert calls["n"] >= 3
    assert snapshot(site.out) == before
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith(".build")) == []


def test_nothing_is_written_outside_the_output_folder_but_the_cache(site, tmp_path):
    """The build cache in the site's .cache/ and the previous build kept beside the output
    (both git-ignored) are the other places a build writes."""
    cache, spare = site.root / ".cache", site.root / ".build.spare"

    def outside() -> set[Path]:
        return {p for p in tmp_path.rglob("*")
                if not {site.out, cache, spare} & {p, *p.parents}}

    outside_before = outside()
    assert site.build() == 0
    assert site.build() == 0  # a rebuild (cache, hard links, swap) too
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    outside_before = outside()
    assert site.build() == 0
    assert outside() == outside_before
    assert cache.is_dir() and spare.is_dir()


def test_the_example_site_has_no_links_outside_itself():
    """The shipped example must itself obey the rules it enforces."""
    for path in (REPO / "content").rglob("*"):
        assert not path.is_symlink(), path
    assert os.path.realpath(REPO / "content") == str((REPO / "content").resolve())


# Injection (issue 18, cases 1-4): URLs as browsers read them, author HTML, base_url, control characters.

HOSTILE_URLS = [
    "jav&#x61;script:document.body.dataset.pwned=1", "&#106;avascript:alert(1)", "javascript&colon;alert(1)",
    "javascript&#58;alert(1)", "java&#x09;script:alert(1)", "jav&#x0A;ascript:alert(1)", "data&#58;text/html,x",
    "vbscript&#58;x", "&#x2F;&#x2F;evil.com", "JaVaScRiPt:alert(1)", "&#0000106avascript:alert(1)",
    "&#X6A;avascript&#x3A;alert(1)", "&Tab;javascript:alert(1)", "java&NewLine;script:alert(1)",
    "/&#x5C;evil.com",
]
LINK_FORMS = {
    "link": lambda n, url: f"Text [link {n}]({url}) here.",
    "image": lambda n, url: f"Text ![image {n}]({url}) here.",
    "reference": lambda n, url: f"Text [ref {n}][r{n}] here.\n\n[r{n}]: {url}",
    "attribute list": lambda n, url: f"Text [list {n}](https://ok.example/){{: href=\"{url}\" }} here.",
}


def append_body(site, text: str) -> int:
    """Adds paragraphs to the no-notes article; returns the line the first one is on."""
    article = site.root / "content/no-notes/article.md"
    before = article.read_text(encoding="utf-8")
    article.write_text(before + "\n" + text + "\n", encoding="utf-8")
    return before.count("\n") + 2


def published_urls(folder: Path) -> list[str]:
    """Every href and src of every page, as a browser reads it (html.parser decodes references)."""
    from bs4 import BeautifulSoup

    found = []
    for page in folder.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        found += [tag[attr] for attr in ("href", "src") for tag in soup.find_all(attrs={attr: True})]
    return found


def browser_scheme(url: str) -> str:
    """The scheme the WHATWG URL parser finds, "" for a relative URL, "//" for one leaving the site."""
    import re

    url = url.replace("\t", "").replace("\n", "").replace("\r", "").strip("".join(map(chr, range(0x21))))
    if url.replace("\\", "/").startswith("//"):
        return "//"
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return scheme[1].lower() if scheme else ""


@pytest.mark.parametrize("form", LINK_FORMS)
def test_markdown_urls_are_judged_as_browsers_read_them(site, form, capsys):
    make = LINK_FORMS[form]
    paragraphs = [make(n, url) for n, url in enumerate(HOSTILE_URLS)]
    first = append_body(site, "\n\n".join(paragraphs))
    assert site.build() == 1
    found = errors(capsys)
    line = first
    for n, (url, paragraph) in enumerate(zip(HOSTILE_URLS, paragraphs)):
        at, col = (line + 2, len(f"[r{n}]: ") + 1) if form == "reference" else (line, paragraph.index(url) + 1)
        expected = f'content/no-notes/article.md:{at}:{col}: error: URL "{url}" is not allowed: '
        assert any(e.startswith(expected) for e in found), (expected, found)
        line += paragraph.count("\n") + 2
    assert not site.out.exists()


def test_ordinary_links_and_mail_autolinks_still_publish(site, capsys):
    append_body(site, "See [a](https://example.org/?a=1&b=2), [b](mailto:desk@example.org), <desk@example.org>, "
                      "[c](../border-rush/index.html#p-x), [d](?q=1), [e](#top) and ![f](https://example.org/a.png).")
    assert site.build() == 0, capsys.readouterr().err
    links = [a["href"] for a in site.page("no-notes/index.html").select(".prose a")]
    assert links[:2] == ["https://example.org/?a=1&b=2", "mailto:desk@example.org"]
    assert "mailto:desk@example.org" in links[2:] and "?q=1" in links and "#top" in links
    assert all(browser_scheme(url) in ("", "http", "https", "mailto") for url in published_urls(site.out))


def test_annotation_urls_and_markdown_links_are_judged_as_browsers_read_them(site, capsys):
    site.write("content/border-rush/quotes.yaml",
               "- speaker: A\n  text: B\n  source: {name: X, url: \"java&#x09;script:alert(1)\"}\n"
               "- speaker: C\n  text: D\n  source: {name: Y, url: \"\\tjavascript:alert(1)\"}\n")
    site.write("content/border-rush/countries.yaml",
               "- code: KZ\n  name: Kazakhstan\n  summary: \"See [it](&#x2F;&#x2F;evil.com).\"\n")
    assert site.build() == 1
    found = errors(capsys)
    assert any(e.startswith("content/border-rush/quotes.yaml:3:26: error: source.url: URL ") for e in found), found
    assert any(e.startswith("content/border-rush/quotes.yaml:6:26: error: source.url: URL ") for e in found), found
    assert any(e.startswith("content/border-rush/countries.yaml:3:12: error: summary: URL \"&#x2F;&#x2F;evil.com\"")
               for e in found), found


def test_raw_html_urls_follow_the_same_policy_when_sanitized(site):
    site.write("site.yaml", "title: Desk\nunsafe_html: false\n")
    append_body(site, '<p><a href="//evil.example/">a</a> <a href="jav&#x61;script:alert(1)">b</a> '
                      '<img src="/&#x5C;evil.example/x.png" alt="c"> <a href="https://ok.example/">d</a></p>')
    assert site.build() == 0
    prose = site.page("no-notes/index.html").select_one(".prose")
    assert [a.get("href") for a in prose.select("a")] == [None, None, "https://ok.example/"]
    assert prose.select_one("img").get("src") is None


ATTRIBUTE_LISTS = """Hover me.
{: onmouseover="alert(1)" style="position:fixed;inset:0" class="lead" title="kept" }

## Head {: onclick="alert(2)" lang="en" }

Some *inline*{: onclick="alert(3)" style="color:red" } text.

<div markdown="1" onclick="alert(4)" style="inset:0" class="box">
Inside a *box*.
</div>

<iframe markdown="1" src="https://evil.example/">
Framed.
</iframe>

<form markdown="1" action="https://evil.example/">
A form.
</form>

Placeholder
{: title='<img src=x onerror="alert(5)">' }
"""


def test_attribute_lists_and_markdown_html_are_sanitized_with_unsafe_html_false(site):
    site.write("site.yaml", "title: Desk\nunsafe_html: false\n")
    append_body(site, ATTRIBUTE_LISTS)
    assert site.build() == 0
    prose = site.page("no-notes/index.html").select_one(".prose")
    tags = prose.find_all(True)
    assert not [(t.name, a) for t in tags for a in t.attrs if a.startswith("on") or a == "style"]
    assert not prose.select("iframe, form, script")
    assert prose.select_one("p.lead")["title"] == "kept"  # what the allow-list names stays
    assert prose.select_one("h2")["lang"] == "en"
    assert prose.select_one("div.box em").get_text() == "box"
    assert "\x02" not in str(prose) and "wzxhzdk" not in str(prose)


def test_attribute_lists_are_kept_by_default_but_never_carry_a_hostile_url(site, capsys):
    append_body(site, "## Head {: onclick=\"count()\" }\n\nText [a](https://ok.example/){: formaction=\"javascript:x\" }")
    assert site.build() == 1
    assert any(e.startswith("content/no-notes/article.md:") and 'URL "javascript:x" is not allowed' in e
               for e in errors(capsys))
    article = site.root / "content/no-notes/article.md"
    article.write_text(article.read_text(encoding="utf-8").replace('{: formaction="javascript:x" }', ""),
                       encoding="utf-8")
    assert site.build() == 0  # raw HTML and its attribute lists are the author's to write by default
    assert site.page("no-notes/index.html").select_one("h2")["onclick"] == "count()"


@pytest.mark.parametrize("base_url, problem", [
    ('"https://ok.org/\\nSitemap: https://evil.example/x.xml"', "must not hold a line break"),
    ('"https://ok.org/news desk/"', "must not hold a space"),
    ('"https://ok.org/\\u00a0x"', "must not hold the character U+00A0"),
    ("javascript:alert(1)", "is not a web address"),
    ("news/", "is not a web address"),
    ("//evil.example/", "is not a web address"),
    ('"https://ok.org/?a=1"', "must not have a ?query or #fragment"),
    ("https://", "is not a web address"),
])
def test_base_url_must_be_a_web_address_or_a_path(site, base_url, problem, capsys):
    site.write("site.yaml", f"title: Desk\nbase_url: {base_url}\n")
    assert site.build() == 1
    found = errors(capsys)
    assert any(e.startswith("site.yaml:2:11: error: base_url: ") and problem in e for e in found), found
    assert not site.out.exists()


def test_base_url_on_the_command_line_is_checked_too(site, capsys):
    with pytest.raises(SystemExit) as exit:
        site.build("--base-url", "https://ok.org/\nSitemap: https://evil.example/x.xml")
    assert exit.value.code == 2
    assert "argument --base-url: " in capsys.readouterr().err
    assert not site.out.exists()


@pytest.mark.parametrize("base_url", ["https://news.example.org/explainers/", "http://localhost:8000", "/desk/"])
def test_good_base_urls_write_well_formed_machine_files(site, base_url):
    import xml.etree.ElementTree as etree

    site.write("site.yaml", f"title: Desk\nbase_url: {base_url}\n")
    assert site.build() == 0
    for name in ("feed.xml", "sitemap.xml"):
        etree.parse(site.out / name)
    robots = (site.out / "robots.txt").read_text(encoding="utf-8").split("\n")
    sitemap = [line for line in robots if line.startswith("Sitemap:")]
    expected = [] if base_url.startswith("/") else [f"Sitemap: {base_url.rstrip('/')}/sitemap.xml"]
    assert sitemap == expected
    assert [line for line in robots if line.strip()] == ["User-agent: *", "Allow: /", *expected]


@pytest.mark.parametrize("rel, text, where", [
    ("site.yaml", 'title: "Form\\ffeed"\n', "site.yaml:1:8:"),
    ("content/no-notes/article.md", '---\ntitle: "Red \\x1b[31m"\ndate: 2021-01-05\n---\nText.\n',
     "content/no-notes/article.md:2:8:"),
    ("content/border-rush/quotes.yaml", '- speaker: A\n  text: "Nul \\0 here"\n', "content/border-rush/quotes.yaml:2:9:"),
    ("content/border-rush/timeline.yaml", '- date: "2022"\n  title: "\\uFFFE"\n',
     "content/border-rush/timeline.yaml:2:10:"),
])
def test_control_characters_written_as_yaml_escapes_are_refused(site, rel, text, where, capsys):
    site.write(rel, text)
    assert site.build() == 1
    found = errors(capsys)
    assert any(e.startswith(f"{where} error: control character U+") for e in found), found
    assert not site.out.exists()


@pytest.mark.parametrize("char", ["\x00", "\x0c", "\x1b", "\x7f", "\x9b", "\ufffe"])
def test_control_characters_typed_in_any_author_file_are_refused(site, char, capsys):
    append_body(site, f"Line with a {char}control.")
    site.write("content/border-rush/quotes.yaml", f"- speaker: A\n  text: 'B {char}'\n")
    assert site.build() == 1
    found = errors(capsys)
    code = f"U+{ord(char):04X}"
    assert f"content/no-notes/article.md:7:13: error: control character {code} is not allowed" in found, found
    assert f"content/border-rush/quotes.yaml:2:12: error: control character {code} is not allowed" in found, found
    assert not site.out.exists()


def test_a_file_full_of_control_characters_gets_a_bounded_report(site, capsys):
    site.write("content/no-notes/article.md", "---\ntitle: T\ndate: 2021-01-05\n---\n" + "\x00" * 500 + "\n")
    assert site.build() == 1
    found = [e for e in errors(capsys) if e.startswith("content/no-notes/article.md:")]
    assert len(found) == 11
    assert found[-1] == ("content/no-notes/article.md:5:11: error: "
                         "490 more control characters from here to the end of the file are not allowed")


def test_import_drops_control_characters_with_a_warning(site, tmp_path, capsys):
    from generator.cli.main import main

    wire = tmp_path / "wire.txt"
    wire.write_bytes(b"Rush At The Border\n\nALMATY, Kazakhstan -- Long lines\x00 formed\x0c at the border.\n")
    assert main(["import", str(wire), "--slug", "wired", "--site", str(site.root), "--date", "2022-09-22"]) == 0
    err = capsys.readouterr().err
    assert f"{wire.as_posix()}:3:33: warning: control character U+0000 was dropped" in err, err
    assert f"{wire.as_posix()}:3:41: warning: control character U+000C was dropped" in err, err
    text = (site.root / "content/wired/article.md").read_text(encoding="utf-8")
    assert "Long lines formed at the border." in text
    assert site.build() == 0
    html = (site.out / "wired/index.html").read_text(encoding="utf-8")
    assert "\x00" not in html and "\x0c" not in html


def test_feed_and_sitemap_stay_well_formed_xml_whatever_the_titles(site):
    import xml.etree.ElementTree as etree

    odd = "Tab\tand line\u2028sep <b>&amp; ]]> \U0001F600 \u202e\ufeff \"q\" 'a'"
    site.write("site.yaml", f"title: {json_string(odd)}\ndescription: {json_string(odd)}\n"
                            "base_url: https://news.example.org/\n")
    article = site.root / "content/no-notes/article.md"
    article.write_text(f"---\ntitle: {json_string(odd)}\ndate: 2021-01-05\ndek: {json_string(odd)}\n"
                       f"byline: {json_string(odd)}\ntags: [{json_string(odd)}]\n---\nText.\n", encoding="utf-8")
    assert site.build() == 0
    feed = etree.parse(site.out / "feed.xml").getroot()
    etree.parse(site.out / "sitemap.xml")
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{atom}title").text == odd.strip()
    assert odd.strip() in [entry.find(f"{atom}title").text for entry in feed.iter(f"{atom}entry")]


def json_string(text: str) -> str:
    """A YAML double-quoted scalar holding `text` (JSON strings are YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


# Containment of every file read, the preview's addresses and start, the sealed build cache (cases 5, 6, 7, 21)

def outside_errors(capsys, shown: str) -> list[str]:
    return [line for line in errors(capsys) if line.startswith(f"{shown}:1:1: error:") and "outside the site" in line]


@pytest.mark.parametrize("target", ["/etc/passwd", "secret"])
def test_a_static_file_linked_outside_the_site_is_refused(site, secret, target, capsys):
    assert site.build() == 0
    before = snapshot(site.out)
    (site.root / "templates/static").mkdir(parents=True)
    (site.root / "templates/static/passwd.txt").symlink_to(secret if target == "secret" else target)
    assert site.build() == 1
    assert outside_errors(capsys, "templates/static/passwd.txt")
    assert snapshot(site.out) == before
    assert site.run_cli("check").returncode == 1  # check reads the same way


def test_a_template_linked_outside_the_site_is_refused_where_it_is_included(site, tmp_path, capsys):
    (tmp_path / "stolen.html").write_text("<p>STOLEN</p>", encoding="utf-8")
    theme = REPO / "templates"
    page = (theme / "explainer.html").read_text(encoding="utf-8")
    site.write("templates/explainer.html", page.replace('{% include "blocks.html" %}',
                                                        '{% include "blocks.html" %}{% include "extra.html" %}', 1))
    (site.root / "templates/extra.html").symlink_to(tmp_path / "stolen.html")
    assert site.build() == 1
    assert outside_errors(capsys, "templates/extra.html")
    assert not site.out.exists()


def test_a_templates_folder_linked_outside_the_site_is_refused(site, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "static").mkdir(parents=True)
    (elsewhere / "index.html").write_text("STOLEN", encoding="utf-8")
    (elsewhere / "static/style.css").write_text("body{}", encoding="utf-8")
    (site.root / "templates").symlink_to(elsewhere, target_is_directory=True)
    assert site.build() == 1
    assert outside_errors(capsys, "templates/static")
    shutil.rmtree(elsewhere / "static")
    assert site.build() == 1
    assert outside_errors(capsys, "templates/index.html")
    assert not site.out.exists()


def test_site_yaml_linked_outside_the_site_is_refused(site, tmp_path, capsys):
    real = tmp_path / "site.yaml"
    real.write_text((site.root / "site.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (site.root / "site.yaml").unlink()
    (site.root / "site.yaml").symlink_to(real)
    assert site.build() == 1
    assert outside_errors(capsys, "site.yaml")


def test_links_that_stay_inside_the_site_are_followed_for_templates_and_content_alike(site):
    photo = site.root / "content/border-rush/photo.svg"
    (site.root / "templates/static").mkdir(parents=True)
    (site.root / "templates/static/logo.svg").symlink_to("../../content/border-rush/photo.svg")
    (site.root / "content/no-notes/picture.svg").symlink_to("../border-rush/photo.svg")
    site.write("templates/robots.txt", "{% include 'robots-extra.txt' %}")
    (site.root / "templates/robots-extra.txt").symlink_to("../content/no-notes/article.md")
    assert site.build() == 0
    assert (site.out / "static/logo.svg").read_bytes() == photo.read_bytes()
    assert (site.out / "no-notes/picture.svg").read_bytes() == photo.read_bytes()
    assert "Just" in (site.out / "robots.txt").read_text(encoding="utf-8")


def test_the_default_theme_reads_only_inside_its_own_folder(site, tmp_path):
    from generator.config import load_site
    from generator.errors import Report
    from generator.render.environment import LinkOutside, Renderer

    theme = tmp_path / "theme"
    shutil.copytree(REPO / "templates", theme)
    outside = tmp_path / "outside.txt"
    outside.write_text("STOLEN", encoding="utf-8")
    (theme / "static/folder").symlink_to(tmp_path, target_is_directory=True)  # folders: never followed
    (theme / "static/passwd.txt").symlink_to("/etc/passwd")
    (theme / "robots.txt").unlink()
    (theme / "robots.txt").symlink_to(outside)
    renderer = Renderer(load_site(site.root, Report()), theme=theme)
    assert [p.path for p in renderer.problems] == ["(default theme)/static/passwd.txt"]
    assert "passwd.txt" not in renderer.static
    with pytest.raises(LinkOutside) as raised:
        renderer.page("robots.txt", "", sitemap="x")
    assert raised.value.shown == "(default theme)/robots.txt" and "default theme folder" in str(raised.value)


# -- the preview's Host and Origin checks, on every address (case 6) --

def handshake(port: int, path: str, host: str, origin: str | None) -> bytes:
    """The first line of the answer to a WebSocket handshake sent as given."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        return s.makefile("rb").readline()


@pytest.fixture(scope="module")
def everywhere(tmp_path_factory):
    """A preview listening on all interfaces, asked only over loopback."""
    from test_serve import Served

    site = copy_site(SITES / "valid", tmp_path_factory.mktemp("everywhere") / "site")
    server = Served(site.root, None, "--host", "0.0.0.0", "--allow-host", "preview.lan").ready()
    yield server
    assert server.stop() == 0
    assert "Traceback" not in server.text(), server.text()


def test_listening_everywhere_still_refuses_other_host_names(everywhere):
    from test_serve import get

    port = everywhere.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"preview.lan:{port}",
                 f"PREVIEW.LAN:{port}", f"{socket.gethostname()}:{port}"):
        assert get(port, "/", {"Host": host})[0] == 200, host
    for host in ("evil.com", f"evil.com:{port}", f"evil.com:{port + 1}", "127.0.0.1", f"127.0.0.1:{port + 1}",
                 f"127.0.0.1:{port}.evil.com", f"preview.lan.evil.com:{port}", f"user@127.0.0.1:{port}",
                 f"127.0.0.1:{port}/x", f"[::1:{port}", "127.0.0.1:99999", f"127.0.0.1:{port}:{port}", ":", ""):
        status, body, _ = get(port, "/", {"Host": host})
        assert status in (400, 403), host
        assert b"Desk" not in body


@pytest.mark.parametrize("path", ["/livereload", "/__preview__/ws"])
def test_listening_everywhere_still_refuses_websockets_from_other_origins(everywhere, path):
    port = everywhere.port
    local = f"127.0.0.1:{port}"
    for origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}", f"http://[::1]:{port}",
                   f"http://preview.lan:{port}", None):
        assert handshake(port, path, local, origin).split()[1] == b"101", origin
    for origin in ("http://evil.com:8766", f"http://evil.com:{port}", f"http://127.0.0.1:{port}.evil.com",
                   f"http://127.0.0.1:{port}@evil.com", f"http://evil.com@127.0.0.1:{port}",
                   f"https://127.0.0.1:{port}", f"ws://127.0.0.1:{port}", f"http://127.0.0.1:{port}/x",
                   f"http://127.0.0.1:{port + 1}", "http://127.0.0.1", "http://[::1", "http://127.0.0.1:99999",
                   "http://127.0.0.1:-1", "http://", "null", "", "127.0.0.1", f"http://127.0.0.1:{port}?",
                   f"http://127.0.0.1:{port}#", f"http://127.0.0.1:{port}\\", "http://\u00e9vil.com"):
        assert handshake(port, path, local, origin).split()[1] == b"403", origin
    # A page of another site whose name points at this machine: its own name as Host.
    assert handshake(port, path, f"evil.com:{port}", f"http://evil.com:{port}").split()[1] == b"403"


def test_allow_host_takes_names_only(site):
    result = site.run_cli("serve", "--site", str(site.root), "--port", "0", "--allow-host", "evil.com:80")
    assert result.returncode == 2 and "invalid host name" in result.stderr
    assert "Traceback" not in result.stderr


# -- the sealed build cache (case 7) --

@pytest.fixture
def cache_key(monkeypatch):
    """Sets the cache key of the builds in this process; None to take it from XDG_CACHE_HOME."""
    from generator.build import sealed

    def use(key: str | None) -> None:
        if key is None:
            monkeypatch.delenv(sealed.KEY_VARIABLE, raising=False)
        else:
            monkeypatch.setenv(sealed.KEY_VARIABLE, key)
        sealed.cache_key.cache_clear()

    yield use
    monkeypatch.undo()
    sealed.cache_key.cache_clear()


def with_translation(site) -> None:
    """A translation: its explainer is kept whole in the cache (explainers/*.pickle)."""
    site.write("content/border-rush-ru/article.md",
               "---\ntitle: Наплыв\ndate: 2022-09-25\nlanguage: ru\ntranslation_of: border-rush\n---\n"
               "Перевод статьи.\n")


def built(site, **options):
    return generator.build.pipeline.Builder(generator.build.pipeline.Options(site=site.root, out=site.out, **options)).build()


def cold(site, name: str = "cold") -> dict[str, bytes]:
    return cold_build(site.root, site.root.parent / name, snapshot)


def entries(site) -> dict[str, list[Path]]:
    from generator.build.sealed import FOLDER

    found: dict[str, list[Path]] = {}
    for path in sorted((site.root / FOLDER).rglob("*")):
        if path.is_file():
            kind = "compiled template" if path.suffix == ".cache" else path.parent.name if \
                path.parent.name == "explainers" else path.stem.split("-")[0]
            found.setdefault(kind, []).append(path)
    return found


def test_a_flipped_byte_anywhere_in_a_cache_entry_is_found(site, cache_key):
    from generator.build.cache import FOLDER, Cache
    from generator.build.sealed import unseal

    cache_key("k" * 64)
    with_translation(site)
    built(site)
    found = entries(site)
    assert set(found) == {"index", "summaries", "files", "maps", "written", "explainers", "compiled template", "search", "listed",
                          "lastswap"}
    reader = Cache(site.root, "")
    assert reader.top == site.root / FOLDER
    for paths in found.values():
        for path in paths:
            sealed, name = path.read_bytes(), reader.entry_name(path)
            assert reader.read(path) is not None and unseal(reader.secret, name, sealed) is not None
            # Every byte of the header, the seal and the start, then every few: what Cache.read does
            positions = [*range(min(len(sealed), 160)), *range(160, len(sealed), max(1, len(sealed) // 200))]
            for at in positions:
                for flip in (0x01, 0x80):
                    flipped = sealed[:at] + bytes([sealed[at] ^ flip]) + sealed[at + 1:]
                    assert unseal(reader.secret, name, flipped) is None
            assert unseal(reader.secret, name, sealed[:-1]) is None
            path.write_bytes(sealed[:-1])
            assert reader.read(path) is None


def test_builds_after_a_flipped_cache_byte_equal_a_cold_build(site, cache_key):
    import random

    cache_key("k" * 64)
    with_translation(site)
    built(site)
    reference = snapshot(site.out)
    assert reference == cold(site)
    pristine = {path: path.read_bytes() for paths in entries(site).values() for path in paths}
    chances = random.Random(18)
    # Every kind of entry flipped at least once; more trials in the whole suite than in a quick run.
    each, templates = (1, 2) if quick() else (4, 10)
    trials = [(kind, paths[n % len(paths)]) for kind, paths in entries(site).items()
              for n in range(templates if kind == "compiled template" else each)]
    assert len(trials) >= 8 * each + templates
    for n, (kind, path) in enumerate(trials):
        for other, data in pristine.items():
            other.write_bytes(data)
        data = pristine[path]
        at = chances.randrange(len(data))
        path.write_bytes(data[:at] + bytes([data[at] ^ chances.randrange(1, 256)]) + data[at + 1:])
        IN_PROCESS.clear()  # as a new process: the compiled templates are read from the files
        if n % 2:  # every page made again: the compiled templates and summaries are needed
            shutil.rmtree(site.out)
        built(site)
        assert snapshot(site.out) == reference, (kind, path.name, at)


def test_a_cache_sealed_with_another_key_is_not_used(site, cache_key):
    cache_key("a" * 64)
    built(site)
    assert built(site).rendered == 0  # the cache works under its own key
    shutil.rmtree(site.out)
    cache_key("b" * 64)  # another user's key, or a cache folder copied from elsewhere
    result = built(site)
    assert result.rendered == result.explainers
    assert snapshot(site.out) == cold(site)


class Payload:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_a_pickle_that_would_run_code_is_never_unpickled(site, cache_key, tmp_path):
    import pickle

    from generator.build.cache import Cache
    from generator.build.sealed import seal

    cache_key("k" * 64)
    with_translation(site)
    built(site)
    marker = tmp_path / "ran"
    evil = pickle.dumps(Payload(marker))
    reader = Cache(site.root, "")
    for sealed in (False, True):  # as written by anyone; as if the key itself had leaked
        for paths in entries(site).values():
            for path in paths:
                path.write_bytes(seal(reader.secret, reader.entry_name(path), evil) if sealed else evil)
        shutil.rmtree(site.out)
        built(site)
        assert not marker.exists()
    assert snapshot(site.out) == cold(site)


def test_without_a_key_the_cache_is_off_and_the_build_says_nothing_of_it(site, cache_key, monkeypatch, capsys):
    cache_key(None)
    blocked = site.root.parent / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked / "cache"))  # no key can be made there
    assert site.build() == 0
    quiet = capsys.readouterr().err
    assert not (site.root / ".cache").exists()
    assert snapshot(site.out) == cold(site)
    cache_key("k" * 64)
    assert site.build() == 0
    assert capsys.readouterr().err == quiet  # the same warnings, and nothing about the cache


def test_the_key_file_is_made_private_and_a_shared_one_is_not_used(site, cache_key, monkeypatch):
    import stat

    cache_key(None)
    monkeypatch.setenv("XDG_CACHE_HOME", str(site.root.parent / "home-cache"))
    built(site)
    key = site.root.parent / "home-cache/explainer-generator/cache-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert (site.root / ".cache").is_dir() and built(site).rendered == 0
    shutil.rmtree(site.root / ".cache")
    key.chmod(0o644)  # others could read it, and forge entries
    from generator.build import sealed
    sealed.cache_key.cache_clear()
    assert built(site).explainers and not (site.root / ".cache").exists()


# -- the preview catches up on what is saved while it starts (case 21) --

PAUSE_AFTER_FIRST_BUILD = """
import pathlib, sys, time
import generator.build.pipeline as build

real, first = build.Builder.build, []

def build_then_wait(self, changed=None):
    result = real(self, changed)
    if not first:  # the first build has read every file: hold it until the test has saved one
        first.append(1)
        print("first build made", flush=True)
        release, deadline = pathlib.Path(sys.argv[1]), time.monotonic() + 30
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
    return result

build.Builder.build = build_then_wait
from generator.cli.main import main
sys.exit(main(sys.argv[2:]))
"""
QUOTE_FILE = "content/border-rush/quotes.yaml"


def save_new_quote(site) -> None:
    path = site.root / QUOTE_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("Arrivals doubled", "Arrivals tripled"), encoding="utf-8")


def shows_new_quote(port: int) -> bool:
    from test_serve import get

    status, body, _ = get(port, "/border-rush/")
    return status == 200 and b"Arrivals tripled in a week." in body


def test_an_edit_saved_during_the_first_build_is_previewed(site, tmp_path):
    from test_serve import Served, wait_until

    release = tmp_path / "release"
    server = Served(site.root, None, command=[sys.executable, "-c", PAUSE_AFTER_FIRST_BUILD, str(release)])
    try:
        server.wait_line(server.out, lambda line: line == "first build made", timeout=60)
        save_new_quote(site)
        release.touch()
        server.ready()
        assert not (site.root / ".preview/border-rush/index.html").read_text(encoding="utf-8").count("tripled")
        wait_until(lambda: shows_new_quote(server.port), timeout=10, step=0.1)
    finally:
        assert server.stop() == 0
    assert "Traceback" not in server.text()


def test_an_edit_saved_as_the_first_page_is_served_is_previewed(site):
    from test_serve import Served, get, wait_until

    server = Served(site.root).ready()
    try:
        assert get(server.port, "/border-rush/")[0] == 200
        save_new_quote(site)
        wait_until(lambda: shows_new_quote(server.port), timeout=10, step=0.1)
    finally:
        assert server.stop() == 0


def test_the_watcher_notifies_what_changed_before_it_watched(site):
    import threading

    from generator.preview.watcher import Watcher

    told: list[set[str]] = []
    seen = threading.Event()
    watcher = Watcher(site.root.resolve(), lambda paths: (told.append(paths), seen.set()))
    since = watcher.snapshot()
    save_new_quote(site)
    (site.root / "content/no-notes/article.md").unlink()
    watcher.start(since)
    try:
        assert seen.wait(10)
    finally:
        watcher.stop()
    root = site.root.resolve()
    assert told[0] == {str(root / QUOTE_FILE), str(root / "content/no-notes/article.md")}


def test_a_change_made_while_the_watchers_start_is_handed_on_once(site):
    # The sources' watcher may watch (here: once it has seen a first change) while the site
    # folder's still starts; what changes in between is the sources' watcher's to hand on, and
    # the catch-up that follows once both watch must not hand it on a second time.
    from generator.preview.watcher import Watcher
    from test_serve import wait_until

    told: list[set[str]] = []
    watcher = Watcher(site.root.resolve(), told.append)
    root = site.root.resolve()
    first, second = root / "content/border-rush/article.md", root / QUOTE_FILE
    watcher.start()
    try:
        def sources_watch() -> bool:
            first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            time.sleep(0.02)
            return watcher.tree_stop not in watcher.starting
        wait_until(sources_watch, timeout=10, step=0)
        assert watcher.starting, "the site folder's watcher already watches: nothing left to test"
        save_new_quote(site)
        wait_until(lambda: not watcher.starting, timeout=10)
        time.sleep(0.5)  # the sources' watcher's batch, and any second one
    finally:
        watcher.stop()
    assert sum(str(second) in paths for paths in told) == 1, told


def watching(site, told: list[set[str]]):
    """A Watcher of the site, started, once both its watchers watch."""
    from generator.preview.watcher import Watcher
    from test_serve import wait_until

    watcher = Watcher(site.root.resolve(), told.append)
    watcher.start()
    wait_until(lambda: not watcher.starting, timeout=10)
    return watcher


def saved_and_told(site, watcher, told: list[set[str]]) -> bool:
    """Saves an article after things settled; whether the watcher hands the save on."""
    from test_serve import wait_until

    time.sleep(1.5)  # a restart after what was done, and its catch-up
    told.clear()
    article = site.root.resolve() / "content/no-notes/article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nSaved.\n", encoding="utf-8")
    try:
        wait_until(lambda: any(str(article) in paths for paths in told), timeout=5)
    except AssertionError:
        return False
    return True


@pytest.mark.parametrize("how", ["copied back", "renamed in"])
def test_a_save_after_content_is_made_again_is_handed_on(site, how):
    # A checkout or a sync tool replaces content/ whole; made again, it may even get the inode
    # number of the folder removed. The watcher of the old folder would see nothing of the new.
    told: list[set[str]] = []
    watcher = watching(site, told)
    try:
        content = site.root / "content"
        if how == "copied back":
            shutil.copytree(content, site.root / "copy")
            shutil.rmtree(content)
            shutil.copytree(site.root / "copy", content)
        else:
            shutil.copytree(content, site.root / "copy")
            content.rename(site.root / "old")
            (site.root / "copy").rename(content)
        assert saved_and_told(site, watcher, told)
    finally:
        watcher.stop()


def test_a_file_name_that_is_not_utf8_stops_no_watching(site):
    told: list[set[str]] = []
    watcher = watching(site, told)
    try:
        odd = os.path.join(os.fsencode(site.root / "content/no-notes"), b"odd\xffname.txt")
        with open(odd, "wb") as f:
            f.write(b"x")
        time.sleep(0.5)
        os.unlink(odd)
        assert saved_and_told(site, watcher, told)
    finally:
        watcher.stop()


def test_an_article_linked_to_itself_is_reported_and_the_preview_builds_on(site):
    from generator.build.pipeline import Builder, Options
    from generator.preview.rebuilder import Rebuilder

    builder = Builder(Options(site=site.root, out=site.root / ".preview", drafts=True, extras=False,
                              in_place=True, save=False))
    builder.build()
    article = site.root.resolve() / "content/no-notes/article.md"
    text = article.read_text(encoding="utf-8")
    article.unlink()
    article.symlink_to(article)
    rebuilder = Rebuilder(builder, lambda outcome: None)
    failed = rebuilder.build({str(article)})
    assert not failed.ok and any("symbolic links" in p.message for p in failed.problems), failed.problems
    article.unlink()
    article.write_text(text + "\nMended.\n", encoding="utf-8")
    assert rebuilder.build({str(article)}).ok


@pytest.mark.parametrize("what", ["a loop of links", "a file"])
def test_content_that_is_not_a_folder_is_an_error(site, what, capsys):
    content = site.root / "content"
    shutil.rmtree(content)
    if what == "a file":
        content.write_text("x", encoding="utf-8")
    else:
        content.symlink_to(content)
    assert site.build() == 1
    assert "content: error: content is not a folder" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["content/border-rush/mem.bin", "templates/mem.html"])
def test_a_link_to_outside_is_not_read_even_to_fingerprint_it(site, where, capsys):
    # Reading /proc/self/mem fails at once (and /proc/kcore would never end): not read, only refused.
    (site.root / where).parent.mkdir(parents=True, exist_ok=True)
    (site.root / where).symlink_to("/proc/self/mem")
    code = site.build()
    if where.startswith("templates/"):  # a template no page includes: never read at all
        assert code == 0
    else:
        assert code == 1 and outside_errors(capsys, where)


def test_a_cache_folder_linked_outside_the_site_is_not_used(site, tmp_path, cache_key):
    cache_key("k" * 64)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site.root / ".cache").symlink_to(elsewhere, target_is_directory=True)
    assert site.build() == 0
    assert list(elsewhere.iterdir()) == []


# Share images kept in the cache (generator/imagestore.py): a damaged one is drawn anew, never published.
@pytest.mark.parametrize("damage", ["flipped", "truncated", "empty", "seal only"])
def test_a_damaged_kept_share_image_is_drawn_anew_and_never_published(site, tmp_path, damage):
    import hashlib

    from generator.build.sealed import MAGIC, cache_key, unseal
    from generator.features import share
    from generator.features.images import store as imagestore

    share.image_bytes.cache_clear()
    assert site.build() == 0
    good = {p.relative_to(site.out): p.read_bytes() for p in site.out.glob("*/q/*/share.png")}
    kept = sorted(p for p in (site.root / imagestore.FOLDER).iterdir() if p.name != imagestore.STAMP)
    assert len(kept) == len(good) == 6
    stored = kept[0].read_bytes()
    header = len(MAGIC) + hashlib.sha256().digest_size  # the seal every cache entry starts with
    damaged = {"flipped": stored[:100] + bytes([stored[100] ^ 1]) + stored[101:], "truncated": stored[:-10],
               "empty": b"", "seal only": stored[:header]}[damage]
    kept[0].write_bytes(damaged)
    share.image_bytes.cache_clear()  # as a new run of the command
    out = tmp_path / "again"
    assert site.build("--out", str(out)) == 0
    assert {p.relative_to(out): p.read_bytes() for p in out.glob("*/q/*/share.png")} == good
    repaired = kept[0].read_bytes()  # drawn anew and kept again, whole and sealed
    assert unseal(cache_key(), kept[0].name, repaired) in good.values()
    share.image_bytes.cache_clear()


# --- Hostile or odd input: size and nesting limits, bounded names, real dates, empty text, overflow, reproducibility

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
from generator.build.pipeline import Builder, Options
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
                          env=_env(), timeout=120, check=False)
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
        ("content/border-rush/timeline.yaml:1:1: error: the file is 5.0 MB, more than the 5 MB a YAML file may hold; "
         "split it or take out what was pasted in by mistake"),
        ("content/no-notes/article.md:1:1: error: the file is 10.0 MB, more than the 10 MB an article may hold; "
         "split it or take out what was pasted in by mistake")]
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
    import generator.resolve.markup

    def too_deep(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(generator.resolve.markup, "render_blocks", too_deep)
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


@settings(max_examples=examples(200), deadline=None)
@given(name=st.text(min_size=1, max_size=400))
def test_bounded_names_fit_in_100_bytes_and_keep_short_ones(name):
    short = bounded(name)
    assert len(short.encode("utf-8")) <= 100
    assert short == bounded(name)
    if len(name.encode("utf-8")) <= 100:
        assert short == name
    else:
        assert short != bounded(name + "x") and re.search(r"-[0-9a-f]{10}\Z", short)


@settings(max_examples=examples(300), deadline=None)
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


def test_feed_dates_are_full_rfc_3339_timestamps(shared_build):
    site = shared_build()
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
        assert found == [(f"site.yaml:4:19: error: stale_after_days: invalid number of days \"{days}\": write a whole "
                          f"number such as 365 (at most 36500, a hundred years)")]
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
    for n in range(3):
        shutil.rmtree(site.root / ".cache", ignore_errors=True)
        out = tmp_path / f"out{n}"
        assert main(["build", "--site", str(site.root), "--out", str(out)]) == 0
        outputs.append(snapshot(out))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0]["search/languages.json"] == b'["ar","en","ru"]'


# Losing or mixing output (the swap, stale stages, names the build makes, errors of the system)


def out_tree(out: Path) -> dict[str, tuple[bytes, int]] | None:
    """What a reader of the output sees: every folder and file, with bytes and modes; None if there is no output."""
    if not out.exists():
        return None
    found = {}
    for folder, dirs, names in os.walk(out):
        rel = os.path.relpath(folder, out)
        prefix = "" if rel == "." else rel + "/"
        for name in dirs:
            found[prefix + name + "/"] = (b"", os.stat(os.path.join(folder, name)).st_mode)
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                found[prefix + name] = (f.read(), os.stat(path).st_mode)
    return found


def beside(out: Path) -> set[str]:
    """What builds left beside the output: names starting with `.build.`."""
    return {p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")}


def quiet_build(root: Path, out: Path | None = None):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return Builder(Options(site=root, out=out or root / "build")).build()


# What changes files or folders: a process killed "at step N" dies just before its Nth such call.
CHANGES = [(os, "rename"), (os, "replace"), (os, "link"), (os, "unlink"), (os, "mkdir"), (os, "rmdir"),
           (os, "symlink"), (os, "chmod"), (Path, "write_bytes"), (shutil, "copyfile"), (swap, "exchange")]


def killed_at(step: int, under: Path, run, exchange: bool = True) -> int | None:
    """Runs `run()` in a forked process that kills itself with SIGKILL just before its
    `step`-th change under `under` (0: never); the number of changes it made if it was not killed."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read)
            count = [0]

            def counted(real):
                def change(*args, **kwargs):
                    if "dir_fd" in kwargs or any(str(a).startswith(str(under)) for a in args[:2]):
                        count[0] += 1
                        if count[0] == step:
                            os.kill(os.getpid(), signal.SIGKILL)
                    return real(*args, **kwargs)
                return change

            for owner, name in CHANGES:
                setattr(owner, name, counted(getattr(owner, name)))
            if not exchange:
                swap.renameat2 = lambda: None
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                run()
            os.write(write, str(count[0]).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read, "rb") as f:
        sent = f.read()
    return int(sent) if sent else None


def restore(template: Path, work: Path) -> None:
    """The work folder as the template holds it; `cp -a` keeps the output's hard links to the spare."""
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run(["cp", "-a", str(template), str(work)], check=True)


def change_title(root: Path) -> None:
    path = root / "content" / "no-notes" / "article.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "title: Changed,", 1), encoding="utf-8")


def change_template(root: Path) -> None:
    theme = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "base.html").write_text(theme + "<!-- every page -->\n", encoding="utf-8")


SCENARIOS = {  # name: (builds before the change, the change, folders can be exchanged, steps tried or all)
    "one title edited": (2, change_title, True, None),
    "every page changed": (2, change_template, True, 8),
    "cold build": (0, lambda root: None, True, 8),
    "one title edited, no exchange": (2, change_title, False, 8),
    "cold build, no exchange": (0, lambda root: None, False, 8),
}


def some_steps(steps: int, sample: int | None) -> list[int]:
    """Every step, or `sample` of them spread evenly, with the last three (the swap and after) always."""
    if sample is None:
        return list(range(1, steps + 1))
    return sorted({*(1 + i * steps // sample for i in range(sample)), *range(max(1, steps - 2), steps + 1)})


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_build_killed_at_any_step_leaves_the_old_output_or_the_new(tmp_path, scenario, monkeypatch):
    """Cases 8 and 9: SIGKILL before each file operation of a build in turn."""
    builds, change, exchange, sample = SCENARIOS[scenario]
    work, template = tmp_path / "work", tmp_path / "template"
    copy_site(SITES / "valid", work)
    root, out = work, work / "build"
    (root / "site.yaml").write_text((root / "site.yaml").read_text(encoding="utf-8") + "search: false\n",
                                    encoding="utf-8")
    if not exchange:
        monkeypatch.setattr(swap, "renameat2", lambda: None)
    for _ in range(builds):
        change_title(root)
        quiet_build(root)
    old = out_tree(out)
    change(root)
    subprocess.run(["cp", "-a", str(work), str(template)], check=True)
    quiet_build(root)
    new = out_tree(out)
    assert new != old
    restore(template, work)
    steps = killed_at(0, work, lambda: quiet_build(root), exchange)
    assert steps and steps > 3
    seen = set()
    for n, step in enumerate(some_steps(steps, sample)):
        restore(template, work)
        assert killed_at(step, work, lambda: quiet_build(root), exchange) is None
        found = out_tree(out)
        assert found in (old, new), f"a mix after a kill at step {step} of {steps}"
        seen.add("old" if found == old else "new")
        if n % 3 == 0 or step == steps:
            quiet_build(root)  # the next build completes the work and cleans up
            assert out_tree(out) == new
            assert beside(out) <= {".build.spare"} | ({os.readlink(out)} if out.is_symlink() else set())
    assert seen == {"old", "new"}  # kills came both before and after the swap
    assert out.is_symlink() != exchange  # link mode only where folders can't be exchanged


def write_stories(root: Path, count: int, edited: int | None = None) -> None:
    """A site of `count` small explainers, some with a fact box (country pages) or a file in a
    subfolder; explainer `edited` has another title."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text("title: Stories\nshare_pages: false\nsearch: false\n", encoding="utf-8")
    for i in range(count):
        folder = root / "content" / f"story-{i:03}"
        write_story(root, i, i == edited)
        if i % 10 == 0:
            (folder / "countries.yaml").write_text(
                f"- code: KZ\n  name: Kazakhstan\n  facts:\n    - label: Story\n      value: \"{i}\"\n",
                encoding="utf-8")
        if i % 7 == 0:
            (folder / "files").mkdir(exist_ok=True)
            (folder / "files" / "chart.svg").write_text(f"<svg xmlns='http://www.w3.org/2000/svg'>{i}</svg>",
                                                        encoding="utf-8")


def write_story(root: Path, i: int, edited: bool) -> None:
    folder = root / "content" / f"story-{i:03}"
    folder.mkdir(parents=True, exist_ok=True)
    title = f"Story {i}" + (", edited" if edited else "")
    country = "Officials in Kazakhstan said so." if i % 10 == 0 else "Officials said so."
    (folder / "article.md").write_text(
        f"---\ntitle: \"{title}\"\ndate: 2022-01-{1 + i % 28:02}\n---\nParagraph one of story {i}.\n\n"
        f"{country}\n\nA last paragraph.\n", encoding="utf-8")


def build_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--site", str(root)]


def timed_build(root: Path) -> float:
    started = time.monotonic()
    subprocess.run(build_command(root), env=cli_env(), check=True, capture_output=True, timeout=600)
    return time.monotonic() - started


def cli_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.slow
def test_random_sigkills_leave_the_old_output_or_the_new_byte_for_byte(tmp_path):
    """SIGKILL at random moments of cold builds and one-title rebuilds of a few hundred
    explainers, as many trials as fit in a minute; the process alone or with its workers."""
    import random

    count, edited = 300, 137
    root, out = tmp_path / "site", tmp_path / "site" / "build"
    write_stories(root, count)
    times = {"cold": timed_build(root)}
    versions = {None: out_tree(out)}
    write_stories(root, count, edited)
    times["rebuild"] = timed_build(root)
    versions[edited] = out_tree(out)
    assert versions[None] != versions[edited] and len(versions[None]) > 2 * count
    chance = random.Random()
    seed = chance.randrange(10**6)
    chance.seed(seed)
    trials, kills, landed = 0, 0, {"old": 0, "new": 0}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline or trials < 8:
        cold = chance.random() < 0.25
        if cold:
            for name in ("build", ".cache", ".build.spare"):
                shutil.rmtree(root / name, ignore_errors=True)
        old = out_tree(out)
        now = next((v for v, tree in versions.items() if tree == old), "none")
        target = edited if now is None else None  # the other version (any, if there is no output)
        write_story(root, edited, target == edited)
        process = subprocess.Popen(build_command(root), env=cli_env(), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(chance.uniform(0.1, 1.3) * times["cold" if old is None else "rebuild"])
        whole_group = chance.random() < 0.5
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL) if whole_group else process.kill()
        finished = process.wait() == 0
        kills += not finished
        found = out_tree(out)
        context = f"trial {trials} (seed {seed}, {'rebuild' if old else 'cold'}, killed: {not finished})"
        assert found in (old, versions[target]), f"neither the old output nor the new after {context}"
        landed["old" if found == old else "new"] += 1
        trials += 1
        if trials % 5 == 0 or time.monotonic() >= deadline:  # the next build, not killed, completes the work
            timed_build(root)
            assert out_tree(out) == versions[target], context
            assert beside(out) <= {".build.spare"}, context
    print(f"{trials} trials, {kills} killed, output then old/new: {landed}")
    assert kills >= trials // 3 and landed["old"], (trials, kills, landed)  # most were killed, some midway


@pytest.mark.e2e
def test_ctrl_c_in_a_terminal_prints_no_traceback_from_the_workers(tmp_path):
    """A terminal's Ctrl-C reaches the build and every worker it forked (the process group):
    the build says it was interrupted, the workers say nothing, and the output is whole."""
    count = 120  # enough for a pool of workers
    root, out = tmp_path / "site", tmp_path / "site" / "build"
    write_stories(root, count)
    cold = timed_build(root)
    interrupted = 0
    for trial in range(16):
        fraction = (0.15, 0.3, 0.45, 0.6, 0.75, 0.9)[trial % 6]
        write_stories(root, count, trial)  # another title each time: every page is made again
        (root / "site.yaml").write_text(f"title: Stories {trial}\nshare_pages: false\nsearch: false\n", encoding="utf-8")
        # Started with Ctrl-C's default, as from a terminal: a handler here (not SIG_IGN, which an
        # earlier test may leave) is reset to the default in the new program.
        outside = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            process = subprocess.Popen(build_command(root), env=cli_env(), stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True, start_new_session=True)
        finally:
            signal.signal(signal.SIGINT, outside)
        time.sleep(fraction * cold)
        for _ in range(2):  # pressed twice, as an impatient author does
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
            time.sleep(0.05)
        _, err = process.communicate(timeout=600)
        interrupted += process.returncode != 0
        assert "Traceback" not in err and "Error" not in err, err
        assert (out / folders.MARKER).is_file()  # a whole output (which one: the SIGKILL test above)
    assert interrupted >= 8  # most were stopped midway


def test_what_killed_builds_left_beside_the_output_is_removed_by_the_next(site):
    """Case 10: only folders with the marker (or empty ones) of the tool's names; a foreign one stays."""
    assert site.build() == 0
    left = site.root
    for name in (".build.stage-1a2b", ".build.stage-3c4d", ".build.new-legacy"):
        (left / name / "no-notes").mkdir(parents=True)
        (left / name / folders.MARKER).write_bytes(folders.MARKER_TEXT)
        (left / name / "no-notes" / "index.html").write_text("half", encoding="utf-8")
    (left / ".build.old-legacy" / "previous").mkdir(parents=True)
    (left / ".build.old-legacy" / "previous" / folders.MARKER).write_bytes(folders.MARKER_TEXT)
    (left / ".build.stage-empty").mkdir()
    (left / ".build.stage-link").symlink_to(".build.stage-1a2b")
    (left / ".build.lock").write_text("", encoding="utf-8")
    (left / ".build.stage-foreign").mkdir()
    (left / ".build.stage-foreign" / "notes.txt").write_text("mine", encoding="utf-8")
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    assert site.build() == 0
    assert beside(site.out) == {".build.spare", ".build.stage-foreign"}  # one kept to make the next output in
    assert (left / ".build.stage-foreign" / "notes.txt").read_text(encoding="utf-8") == "mine"
    fresh = site.root.parent / "fresh"
    quiet_build(site.root, fresh)
    assert out_tree(site.out) == out_tree(fresh)


@pytest.mark.parametrize("aside", [".build.old-1a2b", ".build.old-1a2b/previous"])
def test_an_output_a_killed_swap_left_aside_is_put_back(site, aside):
    """Case 8 where folders can't be exchanged: the output is set aside for a moment, once, while it
    becomes a link (as the previous version of this tool did on every build); the next build puts it back."""
    assert site.build() == 0
    before = out_tree(site.out)
    (site.root / aside).parent.mkdir(exist_ok=True)
    site.out.rename(site.root / aside)
    assert quiet_build(site.root).changed == []  # put back whole, as written: nothing to write again
    assert out_tree(site.out) == before
    assert beside(site.out) == set()


def test_links_planted_in_or_as_the_spare_never_lead_a_build_out_of_it(site, tmp_path):
    """The spare is kept between builds: a link put there is replaced, never written through."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert site.build() == 0
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    assert site.build() == 0
    spare = site.root / ".build.spare"
    shutil.rmtree(spare / "no-notes")
    (spare / "no-notes").symlink_to(elsewhere)
    site.write("content/no-notes/article.md", "---\ntitle: Again\ndate: 2021-01-05\n---\nNew text.\n")
    assert site.build() == 0
    shutil.rmtree(spare)
    spare.symlink_to(elsewhere)
    site.write("content/no-notes/article.md", "---\ntitle: Once more\ndate: 2021-01-05\n---\nNew text.\n")
    assert site.build() == 0
    assert list(elsewhere.iterdir()) == [] and spare.is_symlink()
    fresh = tmp_path / "fresh"
    quiet_build(site.root, fresh)
    assert out_tree(site.out) == out_tree(fresh)


def test_a_build_waits_while_another_builds_the_same_output(site):
    """Case 10: two builds of one output take turns; a Stage in use is not removed meanwhile."""
    assert site.build() == 0
    live = site.root / ".build.stage-inuse"
    with swap.locked(site.out):
        live.mkdir()
        (live / folders.MARKER).write_bytes(folders.MARKER_TEXT)
        waiting = subprocess.Popen([sys.executable, "-m", "generator", "build", "--site", str(site.root)],
                                   env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        import select
        assert select.select([waiting.stderr], [], [], 120)[0], "the build said nothing"
        assert waiting.stderr.readline() == f"{site.out}: waiting for another build into this folder to end\n"
        time.sleep(1)
        assert waiting.poll() is None  # still waiting
        assert live.is_dir()  # the other build's Stage is left alone
    _, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert beside(site.out) <= {".build.spare"}


def test_an_output_is_known_by_its_marker_whatever_its_explainers_are_called(site):
    """Case 11: a content/ folder in a build of ours (as a slug `content` made once) is no site source."""
    assert site.build() == 0
    (site.out / "content").mkdir()
    (site.out / "content" / "index.html").write_text("<p>an old explainer</p>", encoding="utf-8")
    assert site.build() == 0
    assert not (site.out / "content").exists()
    (site.out / folders.MARKER).unlink()
    (site.out / "content").mkdir()  # without the marker, a folder with content/ may be a site
    assert site.build() == 1


def test_assets_may_not_take_the_names_the_build_writes(site, capsys):
    """Case 12, beyond the fixture: a folder named like a generated file, and any case of the name."""
    site.write("content/no-notes/annotations.json/data.csv", "a,b\n")
    site.write("content/no-notes/Index.HTML", "<p>mine</p>")
    assert site.build() == 1
    assert errors(capsys) == [
        "content/no-notes/Index.HTML:1:1: error: the explainer's page is written as index.html: rename this file",
        ("content/no-notes/annotations.json/data.csv:1:1: error: the explainer's annotations are written as "
         "annotations.json: rename this file")]
    assert not site.out.exists()


# Errors of the system: real ones, as a user who is not root meets them (root may write anywhere).

NOBODY = 65534


def as_user(run) -> tuple[int, str]:
    """Runs `run()` (returning an exit status) in a forked process; as root, under the user
    nobody. Returns the status and what it printed to stderr."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                try:
                    if os.geteuid() == 0:
                        os.setgid(NOBODY)
                        os.setuid(NOBODY)
                    code = run()
                except BaseException:  # noqa: BLE001  # a traceback is what these tests must not see
                    import traceback
                    traceback.print_exc(file=err)
                    code = 99
            os.write(write, f"{code}\n{err.getvalue()}".encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        sent = f.read().decode()
    os.waitpid(pid, 0)
    code, _, err = sent.partition("\n")
    return int(code), err


@pytest.fixture
def shared():
    """A folder the user nobody can reach (the pytest temp folder is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="explainer-shared-"))
    os.chmod(folder, 0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:  # what a test made read-only
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, 0o755)
    shutil.rmtree(folder)


def owned(path: Path, writable: bool = True) -> None:
    """Gives `path` and all below it to the user the build runs as, writable or not."""
    for p in [path, *path.rglob("*")]:
        if os.geteuid() == 0:
            os.chown(p, NOBODY if writable else 0, NOBODY if writable else 0, follow_symlinks=False)
        if not p.is_symlink():
            os.chmod(p, (0o755 if p.is_dir() else 0o644) if writable else (0o555 if p.is_dir() else 0o444))


def os_site(shared: Path):
    """The valid site in the shared folder, built once here (which also loads what a build reads
    from the installed libraries, out of the other user's reach)."""
    site = copy_site(SITES / "valid", shared / "site")
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "search: false\n")
    quiet_build(site.root)
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    return site


def located(err: str) -> list[str]:
    assert "Traceback" not in err, err
    return [line for line in err.splitlines() if ": error: " in line]


def test_a_read_only_output_folder_is_a_located_error_and_stays_as_it_was(shared):
    """Case 16 (and 10: nothing is left beside it)."""
    site = os_site(shared)
    owned(site.root)
    owned(site.out, writable=False)
    before = out_tree(site.out)
    code, err = as_user(site.build)
    assert code == 1
    assert located(err) == [("build: error: permission denied: the output folder is read-only; "
                             "give this user access to it (chmod, chown), or use another folder")]
    assert f"{site.out} was not changed" in err
    assert out_tree(site.out) == before
    assert beside(site.out) == set()


def test_a_read_only_site_folder_still_builds_elsewhere_without_its_cache(shared):
    """Case 16: the cache can't be written; the build goes on."""
    site = os_site(shared)
    owned(site.root, writable=False)
    (shared / "public").mkdir()
    owned(shared / "public")
    code, err = as_user(lambda: main(["build", "--site", str(site.root), "--out", str(shared / "public" / "out")]))
    assert code == 0, err
    assert (shared / "public" / "out" / "no-notes" / "index.html").is_file()
    code, err = as_user(lambda: main(["build", "--site", str(site.root)]))  # into the read-only site: refused
    assert code == 1
    assert located(err) == [("build: error: permission denied: the output folder is read-only; "
                             "give this user access to it (chmod, chown), or use another folder")]


def test_a_read_only_folder_holding_the_output_is_a_located_error(shared):
    """Case 16: the new output is made beside the old one, so that folder must be writable."""
    site = os_site(shared)
    out = shared / "public" / "build"
    site.write("content/no-notes/article.md", (SITES / "valid/content/no-notes/article.md").read_text())
    quiet_build(site.root, out)
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    owned(shared / "public", writable=False)
    owned(site.root)
    owned(out)  # writable by the user: only the folder holding it is read-only
    build = ["build", "--site", str(site.root), "--out", str(out)]
    before = out_tree(out)
    code, err = as_user(lambda: main(build))
    assert code == 1
    assert located(err) == [(f"{shared}/public: error: permission denied (the new output is made beside build/, "
                             "then swapped in); give this user access to it (chmod, chown), or use another folder")]
    assert out_tree(out) == before
    site.write("content/no-notes/article.md", (SITES / "valid/content/no-notes/article.md").read_text())
    assert as_user(lambda: main(build))[0] == 0  # nothing to change: nothing to write


def test_the_other_commands_say_which_file_the_system_refused(shared):
    """Case 16: new, import, check and diff, each with a file it can't read or write."""
    site = os_site(shared)
    owned(site.root, writable=False)
    code, err = as_user(lambda: main(["new", "fresh", "--site", str(site.root)]))
    assert (code, located(err)) == (1, [("content/fresh: error: permission denied; give this user access to it "
                                         "(chmod, chown), or use another folder")])
    wire = shared / "wire.txt"
    wire.write_text("Headline\n\nA paragraph.\n", encoding="utf-8")
    os.chmod(wire, 0o000)
    code, err = as_user(lambda: main(["import", str(wire), "--slug", "wired", "--site", str(site.root)]))
    assert code == 1 and any(line.startswith(f"{wire}: error: permission denied") for line in located(err)), err
    os.chmod(site.root / "content" / "no-notes" / "article.md", 0o000)
    code, err = as_user(lambda: main(["check", "--site", str(site.root)]))
    assert code == 1 and any(line.startswith("content/no-notes/article.md:") for line in located(err)), err
    os.chmod(site.out / "no-notes" / "index.html", 0o000)
    code, err = as_user(lambda: main(["diff", str(site.out), str(site.out)]))
    assert code == 1 and any(line.startswith(f"{site.out}/no-notes/index.html: error: permission denied")
                             for line in located(err)), err


def test_a_full_disk_is_a_located_error_and_leaves_the_output_as_it_was(site, monkeypatch, capsys):
    """Case 16: a write of the new output fails with ENOSPC (as a file object's write does: no file name)."""
    assert site.build() == 0
    before = out_tree(site.out)
    real = Path.write_bytes

    def full(self, data):
        if ".build." in str(self) and self.name == "index.html":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    monkeypatch.setattr(Path, "write_bytes", full)
    assert site.build() == 1
    err = capsys.readouterr().err
    assert located(err) == [("build/no-notes/index.html: error: no space left on device; "
                             "the disk is full: free some space and run again")]
    assert out_tree(site.out) == before
    assert beside(site.out) == set()


@pytest.fixture
def small_disk(tmp_path):
    """A file system of its own, for a disk that fills up: a small tmpfs (root only)."""
    mount = tmp_path / "disk"
    mount.mkdir()

    def mounted(size: str) -> Path:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                              capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip("mounting a tmpfs is not permitted here")
        return mount

    yield mounted
    subprocess.run(["umount", str(mount)], capture_output=True, check=False)


def test_a_really_full_disk_is_a_located_error_and_leaves_the_output_as_it_was(site, small_disk, capsys):
    """Case 16: an output on a small tmpfs, filled up after a first build."""
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "search: false\n")
    disk = small_disk("4m")
    out = disk / "build"
    assert main(["build", "--site", str(site.root), "--out", str(out)]) == 0
    before = out_tree(out)
    free = os.statvfs(disk)
    with open(disk / "filler", "wb") as f:  # all but 16 KB
        f.truncate(free.f_bavail * free.f_frsize - 16 * 1024)
        f.seek(0)
        f.write(b"\0" * (free.f_bavail * free.f_frsize - 16 * 1024))
    change_template(site.root)  # every page again: no room for them
    assert main(["build", "--site", str(site.root), "--out", str(out)]) == 1
    lines = located(capsys.readouterr().err)
    assert len(lines) == 1 and lines[0].startswith(f"{out}") and lines[0].endswith(
        ": error: no space left on device; the disk is full: free some space and run again"), lines
    assert out_tree(out) == before
    assert sorted(os.listdir(disk)) == ["build", "filler"]


def test_an_output_on_a_read_only_file_system_is_a_located_error(site, small_disk, capsys):
    """Case 16: EROFS, from a tmpfs mounted read-only after a first build."""
    disk = small_disk("4m")
    out = disk / "build"
    assert main(["build", "--site", str(site.root), "--out", str(out)]) == 0
    before = out_tree(out)
    assert subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=False).returncode == 0
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")
    assert main(["build", "--site", str(site.root), "--out", str(out)]) == 1
    assert located(capsys.readouterr().err) == [
        (f"{out}: error: read-only file system: the output folder is read-only; "
         "the file system is mounted read-only: use a folder on a writable one")]
    assert out_tree(out) == before


def test_the_previews_build_reports_a_system_error_as_a_located_problem(site, monkeypatch):
    """Case 16 for `serve`: its builds raise BuildError, which it shows, rather than a traceback."""
    preview = site.root / ".preview"
    Builder(Options(site=site.root, out=preview, drafts=True, in_place=True)).build()
    site.write("content/no-notes/article.md", "---\ntitle: Changed\ndate: 2021-01-05\n---\nNew text.\n")

    def full(target, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(folders, "put", full)
    builder = Builder(Options(site=site.root, out=preview, drafts=True, in_place=True))
    with pytest.raises(generator.build.pipeline.BuildError) as failed:
        builder.build()
    assert [str(p) for p in failed.value.problems] == [
        ".preview/annotations.json: error: no space left on device; the disk is full: free some space and run again"]


# What the outside attack on the hardened build found, each kept from coming back.

def test_an_attribute_list_cannot_set_a_refused_url_in_capitals(site, capsys):
    article = site.root / "content/no-notes/article.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + '\n[link](x){: HREF="javascript:alert(11)" }\n\n![i](x.png){: SrcSet="//evil.example/i.png" }\n',
                       encoding="utf-8")
    assert site.build() == 1
    err = capsys.readouterr().err
    assert "content/no-notes/article.md:" in err and "javascript:" in err and "evil.example" in err
    assert not site.out.exists()


SVG_SCRIPT = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
SVG_HANDLER = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9" onclick="alert(1)"/></svg>'
SVG_LINK = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            '<a x:href="javascript:alert(1)"><rect width="9" height="9"/></a></svg>')


@pytest.mark.parametrize("name, text", [("evil.html", "<script>alert(1)</script>"), ("evil.js", "alert(1)"),
                                        ("evil.SVG", SVG_SCRIPT), ("handler.svg", SVG_HANDLER),
                                        ("link.svg", SVG_LINK), ("broken.svg", "<svg")])
def test_a_page_or_drawing_beside_the_article_is_refused_when_html_is_not_trusted(site, name, text, capsys):
    (site.root / "content/no-notes" / name).write_text(text, encoding="utf-8")
    assert site.build() == 0  # the default trusts the author's HTML, files included
    assert (site.out / "no-notes" / name).is_file()
    site_yaml = site.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "unsafe_html: false\n", encoding="utf-8")
    assert site.build() == 1
    assert f"content/no-notes/{name}:1:1: error: with unsafe_html: false" in capsys.readouterr().err
    assert (site.out / "no-notes" / name).is_file()  # the previous output stays as it was


def test_a_plain_svg_drawing_is_published_when_html_is_not_trusted(site):
    drawing = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><defs>'
               '<rect id="r" width="9" height="9"/></defs><use x:href="#r"/></svg>')
    (site.root / "content/no-notes/chart.svg").write_text(drawing, encoding="utf-8")
    site_yaml = site.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "unsafe_html: false\n", encoding="utf-8")
    assert site.build() == 0
    assert (site.out / "no-notes/chart.svg").read_text(encoding="utf-8") == drawing


def test_an_output_folder_that_is_a_link_is_refused(site, tmp_path, capsys):
    other = copy_site(SITES / "valid", tmp_path / "other")
    assert other.build() == 0
    before = snapshot(other.out)
    site.out.symlink_to(other.out)
    assert site.build() == 1
    assert "the output folder is a link" in capsys.readouterr().err
    assert snapshot(other.out) == before
    assert [p.name for p in other.root.iterdir() if p.name.startswith(".build")] == []


def test_a_file_name_that_is_not_utf8_is_a_located_error(site):
    (site.root / os.fsdecode(b"content/no-notes/bad\xff.png")).write_bytes(b"x")
    done = site.run_cli("build")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "content/no-notes/bad\\udcff.png:1:1: error: the file name is not UTF-8" in done.stderr


def test_a_named_pipe_beside_the_article_is_refused_at_once(site):
    os.mkfifo(site.root / "content/no-notes/pipe.bin")
    done = site.run_cli("build")  # a hang would end in run_cli's timeout
    assert done.returncode == 1
    assert "content/no-notes/pipe.bin:1:1: error: this is not a regular file" in done.stderr


@pytest.mark.parametrize("special", ["device", "pipe"])
def test_diff_does_not_wait_on_a_pipe_or_read_a_device_for_ever(site, tmp_path, special):
    assert site.build() == 0
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(site.out, old)
    shutil.copytree(site.out, new)
    page = new / "no-notes/index.html"
    page.unlink()
    if special == "device":
        page.symlink_to("/dev/zero")
    else:
        os.mkfifo(page)
    done = subprocess.run([sys.executable, "-m", "generator", "diff", str(old), str(new)], capture_output=True,
                          text=True, env=_env(), timeout=60, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "no-notes/index.html:1:1: error: not a regular file" in done.stderr


def test_cache_entries_that_are_links_are_not_read_and_linked_folders_not_written(site, tmp_path, cache_key):
    from generator.build.cache import Cache

    cache_key("k" * 64)
    built(site)
    reader = Cache(site.root, "")
    index = next(reader.top.glob("*/index.pickle"))
    sealed = index.read_bytes()
    (tmp_path / "index.pickle").write_bytes(sealed)
    index.unlink()
    index.symlink_to("/proc/self/mem")  # reading it fails at once; /proc/kcore would never end
    assert reader.read(index) is None
    index.unlink()
    index.symlink_to(tmp_path / "index.pickle")  # even to a sealed entry: a link is not an entry
    assert reader.read(index) is None
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    explainers = index.parent / "explainers"
    shutil.rmtree(explainers, ignore_errors=True)
    explainers.symlink_to(elsewhere, target_is_directory=True)
    with_translation(site)  # its explainer would be written into explainers/
    shutil.rmtree(site.out)
    built(site)
    assert list(elsewhere.iterdir()) == []
    assert snapshot(site.out) == cold(site)


# Margin notes, quote placement and media facades (issue 16, part A)

def test_a_media_frame_link_with_a_script_address_plays_nothing(site):
    """With unsafe_html: false a facade's address follows the URL rules: a script address is dropped,
    and a frame without an address neither shows a play mark (style.css) nor loads media.js."""
    (site.root / "site.yaml").write_text((site.root / "site.yaml").read_text(encoding="utf-8")
                                         + "unsafe_html: false\n", encoding="utf-8")
    article = site.root / "content/border-rush/article.md"
    article.write_text(article.read_text(encoding="utf-8") + '\n<figure class="video">\n'
                       '<a class="video-frame" href="javascript:alert(1)"><span class="video-title">T</span></a>\n'
                       '<figcaption>C</figcaption>\n</figure>\n', encoding="utf-8")
    assert site.build() == 0
    page = site.page("border-rush/index.html")
    frame = page.select_one("figure.video .video-frame")
    assert frame is not None and frame.get("href") is None
    assert "javascript:" not in (site.out / "border-rush/index.html").read_text(encoding="utf-8")


def test_after_must_be_text(site, capsys):
    quotes = site.root / "content/border-rush/quotes.yaml"
    quotes.write_text(quotes.read_text(encoding="utf-8").replace(
        "  anchor: arrivals doubled in a week\n", "  anchor: arrivals doubled in a week\n  after: [a, b]\n"),
        encoding="utf-8")
    assert site.build() == 1
    assert "content/border-rush/quotes.yaml:5:10: error: after:" in capsys.readouterr().err


# Embeds: pages put into other sites' stories (generator/embeds.py)

def _soup(text: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(text, "html.parser")


def test_embed_and_share_pages_have_no_inline_script_or_style_and_load_only_their_own_site(shared_build):
    """What a strict Content-Security-Policy (script-src 'self'; style-src 'self') allows, and nothing
    from another host: the page may be put into anyone's story."""
    site = shared_build("valid", "--base-url", "https://news.example.org/")
    pages = sorted(site.out.glob("border-rush/embed/*/index.html")) + sorted(site.out.glob("border-rush/q/*/index.html"))
    assert len(pages) > 10
    for path in pages:
        page = _soup(path.read_text(encoding="utf-8"))
        where = path.relative_to(site.out).as_posix()
        assert not page.find("style"), where
        assert not page.select("[style]"), where
        assert not [s for s in page.find_all("script") if not s.get("src") and s.get("type") != "application/ld+json"]
        for el in page.find_all(True):
            assert not [a for a in el.attrs if a.lower().startswith("on")], (where, el.name)
            for attr in ("href", "src"):
                assert not str(el.get(attr, "")).lower().startswith("javascript:"), where
        for el in page.select("script[src], link[rel~=stylesheet], img[src], iframe[src]"):
            url = el.get("src") or el.get("href")
            assert "://" not in url or url.startswith("https://news.example.org/"), (where, url)
        if "/embed/" in where:
            assert not page.find("script", attrs={"type": "application/ld+json"})
            assert not page.find("iframe") and not page.find("form")


# The installed command as an outsider tried it: odd public addresses, odd folders, --quiet.
@pytest.mark.parametrize("url, said", [
    ("https://user:secret@news.example.org/", "user name or password"),
    ("https://news.example.org/%zz/", "two hex digits"),
    ("https://news.example.org/\u00fc/", "ASCII"),
    ("https://news.example.org/\u200b", "ASCII"),
    (" https://news.example.org/", "a space"),
])
def test_a_public_address_that_would_publish_credentials_or_bad_urls_is_refused(site, url, said):
    site.write("site.yaml", f"title: Desk\nbase_url: \"{url.encode('unicode_escape').decode()}\"\n")
    done = site.run_cli("build")
    code, err = done.returncode, done.stderr
    assert code == 1 and said in err and "Traceback" not in err
    assert "not the site's public address" not in err  # no warning about the "/" it fell back to


def test_quiet_prints_only_the_problems_of_a_failed_build(site):
    site.write("content/border-rush/quotes.yaml", "- bad: [\n")
    done = site.run_cli("build", "--quiet")
    code, err = done.returncode, done.stderr
    assert code == 1 and ":error:" not in err and ": error: " in err and "build failed" not in err


def test_a_removed_working_folder_is_said_without_a_traceback(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    # As the installed `explainer` script starts it: `python -m` itself needs the working folder.
    launcher = tmp_path / "explainer.py"
    launcher.write_text(f"import sys\nsys.path.insert(0, {str(REPO)!r})\nfrom generator import run\nrun()\n")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}  # an empty entry: the cwd
    done = subprocess.run(f"cd {gone} && rmdir {gone} && {sys.executable} {launcher} build", shell=True,
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 1 and "the current folder is gone" in done.stderr and "Traceback" not in done.stderr


def test_a_site_folder_whose_name_is_not_utf8_builds(tmp_path):
    root = Path(os.fsdecode(bytes(tmp_path) + b"/site\xff"))
    shutil.copytree(SITES / "valid", root, ignore=shutil.ignore_patterns("build", ".preview", ".cache"))
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--site", root, "-q"], capture_output=True,
                          text=True, env=_env(), timeout=120, check=False)
    assert "Traceback" not in done.stderr and (root / "build" / "index.html").is_file(), done.stderr


# Embeds as an outsider attacked them: sources, pinned ids, titles the layout engine refuses, oEmbed JSON.
@pytest.mark.parametrize("space", ["\u00a0", "\u2028", "\u3000", "\u1680", "\u2003"])
def test_a_source_url_behind_any_unicode_space_is_judged_as_written_out(site, space):
    site.write("content/border-rush/countries.yaml", "- code: KG\n  name: Kyrgyzstan\n"
               f"  source: {{name: s, url: \"{space.encode('unicode_escape').decode()}javascript:alert(1)\"}}\n")
    done = site.run_cli("build")
    assert done.returncode == 1 and 'URL "javascript:alert(1)" is not allowed' in done.stderr
    assert "countries.yaml:3:" in done.stderr


def test_a_pinned_id_never_takes_the_timelines_or_a_fact_boxs_embed(site):
    site.write("content/border-rush/quotes.yaml", '- speaker: A\n  text: "we quote this"\n  id: timeline\n'
               '- speaker: B\n  text: "second one"\n  id: country-kg\n')
    site.write("content/border-rush/countries.yaml", "- code: KG\n  name: Kyrgyzstan\n")
    assert site.build() == 0
    embed = site.out / "border-rush" / "embed"
    assert "embed-quote" not in (embed / "timeline" / "index.html").read_text(encoding="utf-8")
    assert "embed-quote" not in (embed / "country-kg" / "index.html").read_text(encoding="utf-8")
    page = site.page("border-rush/index.html")
    ids = [el["id"] for el in page.select("[id]")]
    assert len(ids) == len(set(ids)), "an id twice on the page"


def test_separators_the_text_layout_refuses_are_drawn_as_spaces(site):
    site.write("site.yaml", 'title: "Site \\u2029 x \\u202e y"\ndescription: "Desk \\u2029 of \\u2028 record"\n')
    article = site.root / "content/border-rush/article.md"
    article.write_text(re.sub(r"(?m)^title: .*$", 'title: "Rush \\\\u2029 at the border"',
                              article.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    done = site.run_cli("build")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr


def test_oembed_json_holds_no_character_that_ends_a_script_block(site):
    site.write("site.yaml", 'title: "Desk </script><script>alert(1)</script> & \\u2028 \\u2029"\n')
    assert site.build() == 0
    found = list(site.out.rglob("oembed.json"))
    assert found
    for path in found:
        text = path.read_text(encoding="utf-8")
        assert not set(text) & set("<>&\u2028\u2029"), text
        assert json.loads(text)["provider_name"].startswith("Desk </script><script>alert(1)</script> &")


# Translations: the theme's words as gettext catalogues (templates/locales/), text like any other value.

HOSTILE_CATALOGUE = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "In this explainer"
msgstr "x\\" onmouseover=\\"alert(1)"

msgid "Timeline"
msgstr "<script>alert(1)</script>"

#, python-format
msgid "%(name)s: all explainers"
msgstr "<b>%(name)s</b> & co"
'''


def test_a_translation_is_text_escaped_where_it_is_written(site):
    site.write("site.yaml", "title: T\nlanguage: ru\n")
    site.write("templates/locales/ru/LC_MESSAGES/messages.po", HOSTILE_CATALOGUE)
    site.write("content/border-rush/countries.yaml", "- code: KZ\n  name: <i>Kazakhstan</i>\n")
    assert site.build() == 0
    page = site.page("border-rush/index.html")
    assert page.select_one("nav.toc")["aria-label"] == 'x" onmouseover="alert(1)'
    assert page.find(attrs={"onmouseover": True}) is None
    assert page.find("h2", id="timeline-heading").get_text() == "<script>alert(1)</script>"
    assert not any("alert" in (s.string or "") for s in page.find_all("script"))
    link = page.select_one("#country-kz .hub-link a")
    assert link.get_text() == "<b><i>Kazakhstan</i></b> & co" and link.find(["b", "i"]) is None


def test_a_catalogue_that_is_a_link_to_outside_the_site_is_refused(site, tmp_path, capsys):
    stolen = tmp_path / "stolen.po"
    stolen.write_text('msgid "Timeline"\nmsgstr "STOLEN"\n', encoding="utf-8")
    site.write("site.yaml", "title: T\nlanguage: ru\n")
    target = site.root / "templates/locales/ru/LC_MESSAGES/messages.po"
    target.parent.mkdir(parents=True)
    target.symlink_to(stolen)
    assert site.build() == 1
    assert outside_errors(capsys, "templates/locales/ru/LC_MESSAGES/messages.po")
    assert not site.out.exists()


# --- The model as separate source and page types: the cache's unpickler knows them all

def test_a_new_run_reads_every_kind_of_model_object_back_from_the_cache(site, cache_key, monkeypatch):
    import generator.build.explainer

    cache_key("k" * 64)
    with_translation(site)  # its explainer and the original's are kept whole: entries, boxes, facts, cards
    first = built(site)
    missing = [p for p in first.warnings if "timeline entry" in p.message]
    assert missing and first.explainers == 3
    reference = snapshot(site.out)

    def refuse(*args, **kwargs):
        raise AssertionError("made anew: a cache entry was not read back")

    monkeypatch.setattr(generator.build.explainer.Maker, "make", refuse)
    again = built(site)  # a new Builder: only what the cache on disk holds
    assert again.rendered == 0
    assert sorted(map(str, again.warnings)) == sorted(map(str, first.warnings))
    assert snapshot(site.out) == reference


# -- a bug in the generator's own code is never reported as the author's template error --

@pytest.mark.parametrize("module, name, what", [
    ("export", "explainer_document", "a bug in the export code"),  # made with each explainer
    ("builtin", "hub_files", "a bug in the country pages' code"),  # made once for the site
])
def test_a_type_error_in_feature_code_is_a_bug_not_a_template_error(site, monkeypatch, module, name, what):
    def broken(*args, **kwargs):
        raise TypeError(what)

    monkeypatch.setattr(importlib.import_module(f"generator.features.{module}"), name, broken)
    with pytest.raises(TypeError, match=what):
        Builder(Options(site=site.root, out=site.out, workers=1, cache=False)).build()
    assert not site.out.exists()


def test_an_undefined_name_in_a_template_is_still_the_authors_template_error(site, capsys):
    site.write("templates/explainer.html", "{{ no_such_name.title }}")
    assert site.build() == 1
    found = errors(capsys)
    assert any(line.startswith("templates/explainer.html:1:1: error: template error:") for line in found), found


# Image sizes: a lead image over Pillow's decompression-bomb limit (but under twice it, where Pillow only warns).


def test_a_lead_image_over_pillows_pixel_limit_has_no_size_and_no_warning(site, capsys):
    import warnings

    from PIL import Image

    from generator.features.images.size import image_size
    from test_imagesize import png

    side = int((Image.MAX_IMAGE_PIXELS * 1.2) ** 0.5)  # over the limit, under twice it: Pillow warns, not refuses
    huge = site.root / "content/border-rush/huge.png"
    huge.write_bytes(png(side, side, rows=b"\x00"))  # only the header is read
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert image_size(huge) is None
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # as under `python -W error`: still no exception
            assert image_size(huge) is None
    assert not seen
    article = site.root / "content/border-rush/article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("src: photo.svg", "src: huge.png"), encoding="utf-8")
    assert site.build() == 0
    assert "DecompressionBomb" not in capsys.readouterr().err
    img = site.page("border-rush/index.html").select_one("figure.lead img")
    assert img["src"] == "huge.png" and "width" not in img.attrs


# What the outside attack on the write stage found, each kept from coming back.


@pytest.mark.parametrize("inside", [".cache", ".cache/public"])
def test_the_sites_cache_folder_is_refused_as_the_output(site, capsys, inside):
    out = site.root / inside
    assert main(["build", "--site", str(site.root), "--out", str(out)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "--out:1:1: error: the output folder must not be the site's .cache/ or inside it")
    assert not out.exists() and not list(site.root.parent.glob(".*.spare"))


def test_a_system_error_met_in_the_spare_fails_one_build_not_every_next_one(site, monkeypatch):
    """A folder made read-only in the output goes into the spare with the next swap. The build
    that then meets it there fails, as it must; it removes the spare, so the next build makes a
    new one rather than fail on it again, even once the output is fixed or gone."""
    from generator.build import stage
    from generator.errors import BuildError

    article = site.root / "content/no-notes/article.md"
    for n in range(2):
        article.write_text(article.read_text(encoding="utf-8") + f"\nMore {n}.\n", encoding="utf-8")
        built(site)
    spare = folders.spare_path(site.out)
    assert (spare / folders.MARKER).is_file()
    real = stage.clear

    def refused(path: str) -> None:
        if path.startswith(f"{spare}/"):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        real(path)

    monkeypatch.setattr(stage, "clear", refused)
    article.write_text(article.read_text(encoding="utf-8") + "\nMore again.\n", encoding="utf-8")
    before = snapshot(site.out)
    with pytest.raises(BuildError):
        built(site)
    assert snapshot(site.out) == before and not spare.exists()
    monkeypatch.undo()
    built(site)
    assert snapshot(site.out) == cold(site)


def test_a_named_pipe_in_the_cache_is_passed_over_not_waited_on(site):
    """Opening a pipe to read waits for a writer that never comes: a cache entry or a stored image
    that is one is taken as missing. The command runs in a child process, so a hang fails the test."""
    from generator.build.sealed import FOLDER
    from generator.features.images import store

    built(site)
    entry = next((site.root / FOLDER).glob("*/files.pickle"))
    image = next(p for p in (site.root / store.FOLDER).iterdir() if not p.name.startswith("."))
    for path in (entry, image):
        path.unlink()
        os.mkfifo(path)
    shutil.rmtree(site.out)
    done = subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--site", str(site.root), "--out",
                           str(site.out)], capture_output=True, text=True, timeout=120, env=_env(), check=False)
    assert done.returncode == 0, done.stderr
    assert snapshot(site.out) == cold(site)


def test_a_link_in_the_lock_files_place_is_replaced_not_followed(site, tmp_path):
    target = tmp_path / "elsewhere" / "made-by-the-build"
    target.parent.mkdir()
    lock = site.out.parent / f".{site.out.name}.lock"
    lock.symlink_to(target)
    built(site)
    assert not target.exists() and not os.path.lexists(lock)
    assert snapshot(site.out) == cold(site)


@pytest.mark.parametrize("when", ["before the Stage is filled", "before the swap"])
def test_a_link_put_in_the_stages_place_never_becomes_the_output(site, tmp_path, monkeypatch, capsys, when):
    """Someone moves the folder the build makes its output in, and puts a link to a folder of
    theirs in its place: the output stays the previous build, and their folder is left alone."""
    from generator.build import output, stage

    article = site.root / "content/no-notes/article.md"
    for n in range(2):  # a spare beside the output
        article.write_text(article.read_text(encoding="utf-8") + f"\nMore {n}.\n", encoding="utf-8")
        built(site)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "theirs.txt").write_text("theirs", encoding="utf-8")
    before = snapshot(site.out)

    def replace_stage(folder: Path) -> None:
        folder.rename(tmp_path / "moved")
        folder.symlink_to(victim)

    if when == "before the swap":
        real = output.swap
        monkeypatch.setattr(output, "swap", lambda folder, out: replace_stage(folder) or real(folder, out))
    else:
        check = stage.Stage.check_folder
        monkeypatch.setattr(stage.Stage, "check_folder", lambda self: replace_stage(self.folder) or check(self))
    article.write_text(article.read_text(encoding="utf-8") + "\nMore again.\n", encoding="utf-8")
    assert main(["build", "--site", str(site.root), "--out", str(site.out)]) == 1
    assert "was replaced while it ran; nothing was changed: run the build again" in capsys.readouterr().err
    assert not site.out.is_symlink() and snapshot(site.out) == before
    assert snapshot(victim) == {"theirs.txt": b"theirs"}
    monkeypatch.undo()
    folders.spare_path(site.out).unlink()
    built(site)
    assert snapshot(site.out) == cold(site)


# Hand changes to the output and its spare that outlived a build: folder modes, the lock, links, times, PNG bytes.


def shape(folder: Path) -> dict[str, tuple[str, int, bytes | None]]:
    """Every name under `folder` with its type, mode and bytes (a link's target)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        kind = "link" if path.is_symlink() else "folder" if path.is_dir() else "file"
        data = os.readlink(path).encode() if kind == "link" else path.read_bytes() if kind == "file" else None
        found[path.relative_to(folder).as_posix()] = (kind, stat.S_IMODE(st.st_mode), data)
    found["."] = ("folder", stat.S_IMODE(folder.stat().st_mode), None)
    return found


def fresh(site) -> dict[str, tuple[str, int, bytes | None]]:
    """A fresh build of the site's files into a new folder, without the cache (made once for the same files)."""
    return cold_build(site.root, Path(tempfile.mkdtemp(dir=site.root.parent)) / "build", shape)


def aged(site) -> None:
    """The output's and the spare's folders an hour old: their listings are reused, as between builds."""
    then = time.time() - 3600
    for top in (site.out, folders.spare_path(site.out)):
        for folder in [top, *(p for p in top.rglob("*") if p.is_dir() and not p.is_symlink())]:
            os.utime(folder, (then, then))


def retitle(site, title: str) -> None:
    timeline = site.root / "content/border-rush/timeline.yaml"
    timeline.write_text(re.sub(r"title: A month of .*", f"title: A month of {title}",
                               timeline.read_text(encoding="utf-8")), encoding="utf-8")


def with_spare(site) -> None:
    """The site built, then built again after an edit: a spare beside the output, both listed and aged."""
    built(site)
    retitle(site, "exits")
    built(site)
    aged(site)
    built(site)


@pytest.mark.parametrize(("where", "mode"), [("build/border-rush", 0o700), ("build", 0o777),
                                             (".build.spare/static", 0o555), (".build.spare", 0o777),
                                             ("build/countries", 0o2755), ("build", 0o2755), ("build/static", 0o4755),
                                             (".build.spare/countries", 0o2755)],
                         ids=["output-folder-700", "output-777", "spare-folder-555", "spare-777", "output-folder-setgid",
                              "output-setgid", "output-folder-setuid", "spare-folder-setgid"])
def test_a_folders_mode_changed_by_hand_is_the_fresh_builds_after_the_next_build_and_every_one_after(
        site, where, mode):
    """chmod leaves a folder's time as it was: a listing reused by time alone missed it, and the
    swap brought it back every other build."""
    with_spare(site)
    os.chmod(site.root / where, mode)
    edits = ["nothing", "exits t1", "nothing", "exits t2", "exits t3"]
    for edit in edits if where.startswith("build") else edits[1:]:
        if edit != "nothing":
            retitle(site, edit)
        built(site)
        assert shape(site.out) == fresh(site), f"after a build with {edit} changed"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a new folder inherits the set-group-ID bit on Linux")
def test_folders_made_in_a_set_group_id_folder_keep_the_bit_they_inherit_build_after_build(site):
    os.chmod(site.root, os.stat(site.root).st_mode | stat.S_ISGID)
    built(site)
    for title in ("exits", "exits again", "exits a third time"):
        retitle(site, title)
        built(site)
        modes = {kind_mode for kind_mode in shape(site.out).values() if kind_mode[0] == "folder"}
        assert {mode & stat.S_ISGID for _, mode, _ in modes} == {stat.S_ISGID}


def test_an_empty_folder_in_the_lock_files_place_is_removed_and_the_build_goes_on(site):
    with_spare(site)
    lock = site.out.parent / f".{site.out.name}.lock"
    lock.mkdir()
    retitle(site, "t1")
    built(site)
    assert not os.path.lexists(lock)
    assert shape(site.out) == fresh(site)


def test_a_folder_holding_files_in_the_lock_files_place_is_left_with_what_to_do(site, capsys):
    built(site)
    lock = site.out.parent / f".{site.out.name}.lock"
    (lock / "notes").mkdir(parents=True)
    before = shape(site.out)
    assert site.build() == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (f"{lock.name}: error: a folder stands where the lock file of builds of build/ goes "
                                   "(it is not empty); move it away or remove it, then build again")
    assert "Traceback" not in err and shape(site.out) == before and (lock / "notes").is_dir()
    shutil.rmtree(lock)
    assert site.build() == 0
    assert shape(site.out) == fresh(site)


@pytest.mark.parametrize("circle", ["build -> build", "build -> b -> build", "loop -> loop, under it"])
def test_an_output_path_that_links_lead_in_a_circle_is_refused_with_what_to_do(site, capsys, circle):
    built(site)
    shutil.rmtree(site.out)
    out = site.out
    if circle == "build -> build":
        site.out.symlink_to("build")
    elif circle == "build -> b -> build":
        site.out.symlink_to("b")
        (site.root / "b").symlink_to("build")
    else:
        (site.root / "loop").symlink_to("loop")
        site.out = site.root / "loop" / "build"
    for _ in range(2):
        assert site.build() == 1
        err = capsys.readouterr().err
        assert err.splitlines()[0] == (f"{site.out.relative_to(site.root)}: error: the output folder's path is a loop "
                                       "of links (a link leading back to itself); remove the link, or give --out a "
                                       "real folder"), err
        assert "Traceback" not in err
    for link in (out, site.root / "b", site.root / "loop"):
        if link.is_symlink():
            link.unlink()
    site.out = out
    assert site.build() == 0
    assert shape(site.out) == fresh(site)


def test_a_same_size_edit_in_the_tick_the_build_wrote_the_file_is_seen(site):
    """On a file system of whole seconds, an edit made in the second the build wrote a file leaves
    its time as written: here the time is put back by hand. A file whose time is that close to
    when the write manifest was taken has its bytes read by the next build."""
    built(site)
    page = site.out / "index.html"
    st = page.stat()
    data = bytearray(page.read_bytes())
    at = data.rindex(b"</html>")
    data[at + 2:at + 3] = b"H"  # </Html>: the same size
    page.write_bytes(bytes(data))
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    built(site)
    assert shape(site.out) == fresh(site)


def test_files_written_long_before_the_manifest_was_taken_are_not_read_again(site, monkeypatch):
    from generator.build import writing

    options = generator.build.pipeline.Options(site=site.root, out=site.out)
    first = Builder(options)
    first.build()
    reads: list[Path] = []
    real = writing.digest
    monkeypatch.setattr(writing, "digest", lambda path: reads.append(path) or real(path))
    near = Builder(options)
    assert near.build().changed == []
    assert reads and near.writer.checked == len(reads)  # written a moment ago: read, and found as written
    reads.clear()
    near.writer.taken += 3600 * 10**9  # as if the manifest had been taken an hour after
    near.writer.save()
    later = Builder(options)
    later.build()
    assert reads == [] and later.writer.checked == 0


def card_pixels():
    """A card-like palette picture made without fonts: bands of ink, strokes placed by a seeded generator."""
    import random

    from PIL import Image, ImageDraw

    from generator.features import share

    picture = Image.new("P", share.SIZE, 0)
    pen = ImageDraw.Draw(picture)
    chance = random.Random(28)
    for top in range(60, 560, 40):
        for _ in range(40):
            left = chance.randrange(80, 1100)
            pen.rectangle((left, top, left + chance.randrange(2, 30), top + chance.randrange(4, 28)),
                          fill=chance.randrange(1, 16))
    picture.putpalette(bytes(range(48)))
    return picture


def test_a_share_images_bytes_are_the_same_in_every_process():
    """Cold builds of one site gave, now and then, other PNG bytes for the same pixels. zlib-ng starts each
    stream from cleared tables: the same pixels give the same bytes in fresh processes that held other
    things in memory, whatever the heap's unwritten memory holds, and in one process after other images."""
    import hashlib
    import random

    from PIL import Image

    from generator.features import share

    here = share.encode(card_pixels())
    chance = random.Random(7)
    for _ in range(3):  # other pixels between, so that a table kept from them would show
        other = Image.frombytes("L", share.SIZE, chance.randbytes(share.SIZE[0] * share.SIZE[1])).point(
            lambda v: v % 16).convert("P")
        other.putpalette(bytes(range(48)))
        share.encode(other)
        assert share.encode(card_pixels()) == here
    script = ("import sys, hashlib, random\nsys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
              "junk = [bytearray(random.randbytes(n)) for n in (70000, 600000, 800000)]\ndel junk\n"
              "from generator.features import share\nfrom test_safety import card_pixels\n"
              "print(hashlib.sha256(share.encode(card_pixels())).hexdigest())")
    found = {subprocess.run([sys.executable, "-c", script, str(REPO), str(REPO / "tests")], capture_output=True,
                            text=True, check=True,
                            # glibc fills new and freed heap memory with another byte in each: bytes read
                            # from memory never written would show as other output
                            env={**_env(), "PYTHONHASHSEED": str(n), "MALLOC_PERTURB_": str(85 * n)}).stdout.strip()
             for n in range(4)}
    assert found == {hashlib.sha256(here).hexdigest()}


# -- links planted in the site's cache; an output folder that lost its marker --

@pytest.mark.parametrize("planted", ["share-images", "page-cards", "explainer-build/v*"])
def test_a_link_planted_in_the_cache_leads_no_write_or_removal_outside_the_site(site, cache_key, tmp_path, planted):
    cache_key("k" * 64)
    built(site)
    outside = tmp_path / "outside"
    (outside / "templates-0000").mkdir(parents=True)  # named as the cache names compiled templates
    (outside / "notes.txt").write_text("someone's")
    years_ago = time.time() - 10 * 365 * 86400  # long unused, as the share images pruned are
    os.utime(outside / "notes.txt", (years_ago, years_ago))
    place = next((site.root / ".cache").glob(planted), site.root / ".cache" / planted)
    shutil.rmtree(place, ignore_errors=True)
    place.symlink_to(outside)
    article = site.root / "content" / "no-notes" / "article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nMore text.\n", encoding="utf-8")
    built(site)
    assert sorted(p.name for p in outside.iterdir()) == ["notes.txt", "templates-0000"]
    assert (outside / "notes.txt").read_text() == "someone's"


def test_an_output_folder_that_lost_its_marker_is_refused_with_what_to_do(site):
    built(site)
    (site.out / ".explainer-build").unlink()
    with pytest.raises(generator.errors.BuildError) as caught:
        built(site)
    assert "move it away or remove it, or give --out another folder" in str(caught.value.problems[0])
    assert (site.out / "index.html").is_file()  # left as it was


# -- nothing outside the output, the spare and the cache is ever removed or written --

def test_a_link_planted_as_the_live_folder_of_the_output_is_removed_not_what_it_leads_to(site, tmp_path):
    """The output a link to a folder of this tool's name beside it, that one a link to a marked
    folder elsewhere: the build that replaces it removes the link, never the folder's files."""
    assert site.build("-q") == 0
    victim = tmp_path / "outside" / "victim"
    victim.mkdir(parents=True)
    (victim / folders.MARKER).touch()
    (victim / "precious.txt").write_text("precious", encoding="utf-8")
    shutil.rmtree(site.out)
    live = site.root / ".build.stage-0123456789ab"
    live.symlink_to(victim)
    site.out.symlink_to(live.name)
    (site.root / ".build.spare").write_text("not a folder", encoding="utf-8")
    with open(site.root / "content/border-rush/article.md", "a", encoding="utf-8") as f:
        f.write("\nMore.\n")
    assert site.build("-q") == 0
    assert sorted(p.name for p in victim.iterdir()) == [folders.MARKER, "precious.txt"]
    assert shape(site.out.resolve()) == fresh(site)


@pytest.mark.parametrize("kept", ["page-cards", "share-images"])
def test_a_link_in_the_cache_to_the_sites_sources_is_neither_pruned_nor_written_into(site, kept):
    assert site.build("-q") == 0
    story = site.root / "content/border-rush"
    old = time.time() - 60 * 86400
    os.utime(story / "photo.svg", (old, old))
    before = {p.name: p.read_bytes() for p in story.iterdir()}
    shutil.rmtree(site.root / ".cache" / kept, ignore_errors=True)  # if the first build made it
    (site.root / ".cache" / kept).symlink_to("../content/border-rush")
    with open(story / "article.md", "a", encoding="utf-8") as f:
        f.write("\nMore.\n")
    before["article.md"] = (story / "article.md").read_bytes()
    assert site.build("-q") == 0
    assert {p.name: p.read_bytes() for p in story.iterdir()} == before
    assert shape(site.out) == fresh(site)


@pytest.mark.parametrize("folder", ["", "static"])
def test_a_file_added_with_its_folders_time_put_back_is_taken_out(site, folder, monkeypatch):
    """At the output's top by the next builds (its top is listed again each time); deeper, by --verify."""
    from generator.build import listing, writing

    # Every folder's time taken as settled at once, as a few seconds later: listings are reused by time.
    monkeypatch.setattr(listing, "SLACK", 0)
    monkeypatch.setattr(writing, "SLACK", 0)
    for _ in range(3):  # the output listed once it holds what it will: the listing is reused
        built(site)
    where = site.out / folder
    st = where.stat()
    (where / "planted.html").write_text("planted", encoding="utf-8")
    os.utime(where, ns=(st.st_atime_ns, st.st_mtime_ns))
    builds = [{}, {}, {"verify": True}, {}] if folder else [{}, {}]
    for options in builds:
        built(site, **options)
    assert shape(site.out) == fresh(site)
    retitle(site, "exits again")
    built(site)
    assert shape(site.out) == fresh(site)


def test_a_link_as_the_image_folders_prune_stamp_is_not_followed(site, tmp_path):
    assert site.build("-q") == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    for kept in ("share-images", "page-cards"):
        stamp = site.root / ".cache" / kept / ".pruned"
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.unlink(missing_ok=True)
        stamp.symlink_to(outside / f"made-through-{kept}")
    with open(site.root / "content/border-rush/article.md", "a", encoding="utf-8") as f:
        f.write("\nMore.\n")
    assert site.build("-q") == 0
    assert list(outside.iterdir()) == []


def test_a_link_as_the_caches_own_folder_is_neither_read_nor_written_through(site, tmp_path):
    from generator.build.sealed import FOLDER

    assert site.build("-q") == 0
    (own,) = (site.root / FOLDER).iterdir()
    elsewhere = tmp_path / "elsewhere" / own.name
    elsewhere.parent.mkdir()
    shutil.move(own, elsewhere)
    own.symlink_to(elsewhere)
    before = {p.name: p.read_bytes() for p in elsewhere.rglob("*") if p.is_file()}
    with open(site.root / "content/border-rush/article.md", "a", encoding="utf-8") as f:
        f.write("\nMore.\n")
    assert site.build("-q") == 0
    assert {p.name: p.read_bytes() for p in elsewhere.rglob("*") if p.is_file()} == before
    assert shape(site.out) == fresh(site)
