"""Compacting the theme's CSS and JavaScript as they are copied, so pages stay within their byte budget.

CSS: only what is safe for any stylesheet: comments and the whitespace
around braces, semicolons, commas and after colons. Selectors keep their
spaces. JavaScript: rjsmin, which removes comments and whitespace only.
"""

from __future__ import annotations

import re
from pathlib import Path

import rjsmin

COMMENT = re.compile(r"/\*.*?\*/", re.S)
AROUND = re.compile(r"\s*([{};,>])\s*")
AFTER_COLON = re.compile(r"([\w-]+):\s+")


def compact_css(text: str) -> str:
    text = COMMENT.sub("", text)
    text = " ".join(text.split())
    text = AROUND.sub(r"\1", text)
    text = AFTER_COLON.sub(lambda m: m.group(0).rstrip(), text)
    return text.replace(";}", "}").strip() + "\n"


def static_content(path: Path) -> bytes | Path:
    """A theme file as it is written out: CSS and JavaScript compacted, anything else copied."""
    if path.suffix == ".css":
        return compact_css(path.read_text(encoding="utf-8")).encode()
    if path.suffix == ".js":
        return (rjsmin.jsmin(path.read_text(encoding="utf-8")) + "\n").encode()
    return path
