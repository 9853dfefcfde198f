"""Smaller stylesheets for published builds: comments and spare whitespace removed.

Deliberately cautious: whitespace is collapsed to one space everywhere except
inside strings, and dropped entirely only next to `{`, `}`, `;` and `,`,
where CSS never gives it a meaning, as is the `;` before a `}`. Spaces
before `:` stay (`a :hover` and `a:hover` differ), and so do the spaces
inside `calc()`. Only published builds are minified; the preview serves the
stylesheet as written.
"""

from __future__ import annotations

import re
from pathlib import Path

TOKENS = re.compile(r""""(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|/\*.*?(?:\*/|$)|\s+|[^"'/\s{};,]+|.""", re.S)
PUNCTUATION = set("{};,")


def minify_css(text: str) -> str:
    out: list[str] = []
    for match in TOKENS.finditer(text):
        token = match.group(0)
        if token.startswith("/*"):
            token = " "  # a comment separates what is on either side, like a space
        if token.isspace():
            if out and out[-1] not in PUNCTUATION and out[-1] != " ":
                out.append(" ")
            continue
        if token in PUNCTUATION and out and out[-1] == " ":
            out.pop()
        if token == "}" and out and out[-1] == ";":  # the last declaration needs no semicolon
            out.pop()
        out.append(token)
    if out and out[-1] == " ":
        out.pop()
    return "".join(out) + "\n"


def published(path: Path) -> bytes | Path:
    """What a published build writes for a theme file: CSS minified, the rest as it is."""
    if path.suffix != ".css":
        return path
    return minify_css(path.read_text(encoding="utf-8")).encode("utf-8")
