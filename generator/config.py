"""site.yaml: its schema (SITE, which the editor schemas and `init` read too) and its loading."""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import NOWHERE, Pos, Report, quote
from generator.load.files import contained, read_text
from generator.model.common import Site
from generator.validate.limits import MAX_YAML_BYTES
from generator.validate.nodes import compose
from generator.validate.schema import (
    BASE_URL,
    NONEMPTY_TEXT,
    TEXT,
    Bool,
    Ctx,
    Field,
    Record,
    Scalar,
    check_document,
    json_pattern,
    parse_text,
)
from generator.validate.urls import is_absolute_url

MAX_DAYS = 36_500  # a hundred years: more means never, and date arithmetic stops at the year 9999
LANGUAGE_RE = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*\Z")


def parse_days(value: str) -> int:
    text = value.strip()
    if not text.isdecimal() or len(text) > len(str(MAX_DAYS)) or not 1 <= int(text) <= MAX_DAYS:
        raise ValueError(f"invalid number of days {quote(value)}: write a whole number such as 365 "
                         f"(at most {MAX_DAYS}, a hundred years)")
    return int(text)


SITE = Record("site.yaml", {
    "title": Field(NONEMPTY_TEXT, required=True, help="the site's name, in the header and in page titles"),
    "base_url": Field(BASE_URL, default="/", help="the public address, e.g. https://news.example.org/explainers/; "
                      "the feed, sitemap, canonical links and share cards need it absolute"),
    "language": Field(Scalar("a text", parse_text,
                             lambda: {"type": "string", "pattern": json_pattern(LANGUAGE_RE, strip=True)}),
                      default="en", help="the language of the pages, dates and the theme's words "
                      "(en, ru, de-CH, ...); an explainer may set its own"),
    "description": Field(TEXT, default="", help="one sentence for the front page, and to share pages without a dek"),
    "unsafe_html": Field(Bool(), default=True, help="true keeps raw HTML in articles as written; "
                         "false cleans it to a safe subset (no scripts, styles, frames or forms)"),
    "share_pages": Field(Bool(), default=True, help="a share page and image for every quote card and timeline entry"),
    "search": Field(Bool(), default=True, help="a search index and the Search button"),
    "embeds": Field(Bool(), default=True, help="embeddable pages of the timeline, each fact box and each quote "
                    "card, with their embed code and oEmbed"),
    "stale_after_days": Field(Scalar("a number of days", parse_days, lambda: {
        "type": ["integer", "string"], "minimum": 1, "maximum": MAX_DAYS, "pattern": r"^\s*\d+\s*$"}), default=365,
        help="`check` warns about facts whose as_of date is older than this"),
})


def load_site(root: Path, report: Report) -> Site | None:
    path = root / "site.yaml"
    if not path.is_file():
        report.error("site.yaml", Pos(), "no site.yaml in the site folder: create one with at least a title")
        return None
    if not contained(path, root, "site.yaml", report, inside=not path.is_symlink() or None):
        return None
    text = read_text(path, "site.yaml", report, limit=MAX_YAML_BYTES)
    if text is None:
        return None
    ctx = Ctx("site.yaml", report)
    known = len(report.problems)
    node = compose(text, "site.yaml", report)
    if node is None and len(report.problems) == known:  # no syntax error: only blanks or comments
        report.error("site.yaml", Pos(), "site.yaml is empty: it needs at least a title")
        return None
    entry = check_document(node, SITE, ctx)
    if entry is None or "title" not in entry.values:
        return None
    language = entry.get("language", _default("language"))
    if not LANGUAGE_RE.match(language):
        report.error("site.yaml", entry.pos("language"), f"language: invalid language tag {quote(language)}; use a code such as \"en\" or \"ru\"")
        language = _default("language")
    return Site(
        root=root,
        title=entry.values["title"],
        base_url=with_slash(entry.get("base_url", _default("base_url"))),
        language=language,
        description=entry.get("description", _default("description")),
        unsafe_html=entry.get("unsafe_html", _default("unsafe_html")),
        share_pages=entry.get("share_pages", _default("share_pages")),
        search=entry.get("search", _default("search")),
        embeds=entry.get("embeds", _default("embeds")),
        stale_after_days=entry.get("stale_after_days", _default("stale_after_days")),
        base_url_pos=entry.pos("base_url") if "base_url" in entry.values else None,
    )


def check_public_url(site: Site, report: Report, given: bool = False) -> None:
    """Warns, once, that a base_url without a host (the default "/") cannot make the
    addresses other sites and readers' apps are given. `given`: it came from --base-url."""
    if is_absolute_url(site.base_url):
        return
    if any(p.path.endswith("site.yaml") and "base_url" in p.message for p in report.errors):
        return  # the base_url written is wrong, and said so: "/" is only what the build fell back to
    where = ("--base-url", NOWHERE) if given else ("site.yaml", site.base_url_pos or Pos())  # absent: its first line
    report.warning(*where, f"base_url is {quote(site.base_url)}, not the site's public address: the feed, the "
                   "sitemap, canonical links and social cards need absolute URLs; set base_url in site.yaml (or "
                   "pass --base-url) to the address the site is published at, e.g. https://news.example.org/explainers/")


def with_slash(url: str) -> str:
    """base_url always ends with a slash, so paths can be appended to it."""
    return url if url.endswith("/") else url + "/"


def _default(key: str):
    return SITE.fields[key].default
