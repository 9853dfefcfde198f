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
    from generator.cli import main

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
