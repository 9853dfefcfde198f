"""The URL policy: which URLs from an author's files a published page may carry.

Every URL an author writes goes through here: Markdown links, images and
reference links, attribute lists, raw HTML that is sanitized, `source.url`,
`image.src` and `base_url`. A URL is judged as a browser will read it, not
as it is spelled: `jav&#x61;script:`, `java&#x09;script:` and
`javascript&colon;` are all `javascript:` to a browser, so they are to us.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from generator.errors import quote

SCHEMES = frozenset({"http", "https", "mailto"})
# Attributes whose value a browser follows, loads or submits to as a URL.
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "cite", "poster", "background",
                            "data", "longdesc", "ping", "usemap", "manifest", "codebase", "archive", "classid",
                            "icon", "lowsrc", "dynsrc", "xlink:href"})
# Attributes that hold several URLs, each followed by a size ("a.png 2x, b.png 3x") or alone.
URL_LISTS = frozenset({"srcset", "ping", "archive"})

TAB_NEWLINE = str.maketrans("", "", "\t\n\r")
C0_AND_SPACE = "".join(map(chr, range(0x21)))
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
CONTROLS_AND_SPACES = re.compile(r"[\x00-\x20\x7f\s\u200b-\u200f\u2060-\u2064\ufeff]+")  # any space, any width
USE = "use http(s), mailto or a relative URL"
# What may not appear in base_url: it is pasted into robots.txt, the feed, the sitemap and every page.
NOT_IN_BASE_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\"<>\\^`{|}]")
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
NAMED = {" ": "a space", "\n": "a line break", "\t": "a tab"}
BASE_URL_FORM = "write an absolute http(s) URL such as https://news.example.org/explainers/, or a path starting with /"


def as_read(url: str) -> str:
    """`url` as a browser reads it from an HTML attribute.

    Character references are decoded (named, decimal or hex, with or without
    the `;`), then, as the WHATWG URL parser does, tabs and line breaks are
    dropped wherever they are and C0 controls and spaces trimmed from both ends.
    """
    if "&" in url:
        url = html.unescape(url)
    return url.translate(TAB_NEWLINE).strip(C0_AND_SPACE)


def url_problem(url: str) -> str | None:
    """Why a page may not carry `url`, as a message; None when it may."""
    read = as_read(url)
    # Stricter than a browser: spaces and controls anywhere are left out too, so
    # "java script:" counts as javascript:, and "/ /host" as "//host".
    squeezed = CONTROLS_AND_SPACES.sub("", read)
    shown = "" if read == url.strip() else f"browsers read it as {quote(read)}; "
    scheme = SCHEME.match(squeezed)
    if scheme and scheme[1].lower() not in SCHEMES:
        return f"URL {quote(url)} is not allowed: {shown}{USE}"
    if "\\" in squeezed:  # browsers read "\" as "/" in web URLs: "/\host" leaves the site
        return f"URL {quote(url)} is not allowed: {shown}write / instead of \\"
    if squeezed.startswith("//"):
        return (f"URL {quote(url)} is not allowed: {shown}a URL starting with // leads to another site; "
                "write it in full with https://")
    return None


def attribute_problem(name: str, value: str) -> str | None:
    """Why an HTML attribute may not hold `value`; None when it may or is no URL."""
    name = name.lower()  # HTML reads attribute names in any case: HREF is href
    if name not in URL_ATTRIBUTES:
        return None
    if name in URL_LISTS:
        for candidate in value.split(","):
            words = candidate.split()
            problem = url_problem(words[0]) if words else None
            if problem:
                return problem
        return None
    return url_problem(value)


def check_url(value: str) -> str:
    """A URL an author wrote in a field, without surrounding spaces; ValueError if refused.
    Judged as it is written out: without the spaces (of any kind) str.strip takes off."""
    url = value.strip()
    problem = url_problem(url)
    if problem:
        raise ValueError(problem)
    return url


def check_base_url(value: str) -> str:
    """Where the site is published: an absolute http(s) URL or a path from the server's root.

    It is written into robots.txt and the feed as it is, so a line break in it
    would add lines of its own there; a query or fragment would break every
    URL made by appending a path to it.
    """
    url = value
    bad = NOT_IN_BASE_URL.search(url)
    if bad:
        raise ValueError(f"{quote(value)} must not hold {_character(bad[0])}: {BASE_URL_FORM}")
    if any(ord(c) > 0x7E for c in url):  # feeds and sitemaps want URLs as RFC 3986 writes them
        raise ValueError(f"{quote(value)} must be written in ASCII: a letter such as ü percent-encoded (%C3%BC), "
                         "a host name in its xn-- form")
    if BAD_ESCAPE.search(url):
        raise ValueError(f"{quote(value)} has a % that is not followed by two hex digits: write a % as %25")
    if "@" in urlsplit(url).netloc:
        raise ValueError(f"{quote(value)} holds a user name or password: they would be published in every "
                         "page, the feed and the sitemap; leave them out")
    is_path = url.startswith("/") and not url.startswith("//")
    if not is_path and not _web_address(url):
        raise ValueError(f"{quote(value)} is not a web address: {BASE_URL_FORM}")
    if "?" in url or "#" in url:
        raise ValueError(f"{quote(value)} must not have a ?query or #fragment: {BASE_URL_FORM}")
    return url


def is_absolute_url(url: str) -> bool:
    """Whether base_url names the host too (http(s)://host/...), as public addresses must."""
    return _web_address(url)


def _web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
        port = parts.port  # a ValueError for a port that is no number from 0 to 65535, as for "[::1"
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and port != 0


def _character(char: str) -> str:
    if char in NAMED:
        return NAMED[char]
    if char.isspace() or not char.isprintable():
        return f"the character U+{ord(char):04X}"
    return f"the character {char}"
