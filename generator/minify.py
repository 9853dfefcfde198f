"""Compacting the theme's CSS as it is copied, so pages stay within their byte budget.

Only what is safe for any stylesheet: comments and the whitespace around
braces, semicolons, commas and after colons. Selectors keep their spaces.
"""

from __future__ import annotations

import re
from pathlib import Path

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
    """A theme file as it is written out: CSS compacted, anything else copied."""
    if path.suffix == ".css":
        return compact_css(path.read_text(encoding="utf-8")).encode()
    return path
