"""Smaller theme files for published builds, so pages stay within their byte budget.

CSS is minified cautiously: whitespace is collapsed to one space everywhere
except inside strings, and dropped entirely only where CSS never gives it a
meaning: next to `{`, `}`, `;`, `,` and the child combinator `>`, and after
a `:`. The `;` before a `}` goes too. Spaces before `:` stay (`a :hover` and
`a:hover` differ), and so do the spaces inside `calc()`. JavaScript goes
through rjsmin, which removes only comments and whitespace. The preview
serves the files as written, so a stylesheet can be swapped live.
"""

from __future__ import annotations

import re
from pathlib import Path

import rjsmin

TOKENS = re.compile(r""""(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|/\*.*?(?:\*/|$)|\s+|[^"'/\s{};,:>]+|.""", re.S)
TIGHT = set("{};,>")  # no space needed on either side
OPENS = TIGHT | {":"}  # no space needed after


def minify_css(text: str) -> str:
    out: list[str] = []
    for match in TOKENS.finditer(text):
        token = match.group(0)
        if token.startswith("/*"):
            token = " "  # a comment separates what is on either side, like a space
        if token.isspace():
            if out and out[-1] not in OPENS and out[-1] != " ":
                out.append(" ")
            continue
        if token in TIGHT and out and out[-1] == " ":
            out.pop()
        if token == "}" and out and out[-1] == ";":  # the last declaration needs no semicolon
            out.pop()
        out.append(token)
    if out and out[-1] == " ":
        out.pop()
    return "".join(out) + "\n"


def published(path: Path) -> bytes | Path:
    """What a published build writes for a theme file: CSS and JS minified, the rest as it is.

    Minified once per version of the file: a running process (the preview, or a build told
    what changed) looks at the static files before every build."""
    if path.suffix not in (".css", ".js"):
        return path
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino)
    if key not in _MINIFIED:
        _MINIFIED[key] = _minified(path)
    return _MINIFIED[key]


_MINIFIED: dict[tuple, bytes] = {}


def _minified(path: Path) -> bytes:
    if path.suffix == ".css":
        return minify_css(path.read_text(encoding="utf-8")).encode("utf-8")
    return (rjsmin.jsmin(path.read_text(encoding="utf-8")) + "\n").encode("utf-8")
