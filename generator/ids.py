"""Readable, stable ids for permalinks.

An id is made from the thing's own words, never from its position, so
editing one paragraph or entry does not renumber the others.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def slugify(text: str, words: int = 6) -> str:
    """Lowercase words joined by hyphens; keeps letters of any script."""
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    text = text.replace("’", "").replace("'", "")
    parts = [p for p in _NOT_WORD.sub(" ", text).replace("_", " ").split() if p]
    return "-".join(parts[:words]) or "x"


class IdMaker:
    """Hands out ids unique within one page, suffixing repeats in order."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        candidate, n = wanted, 2
        while candidate in self.taken:
            candidate = f"{wanted}-{n}"
            n += 1
        self.taken.add(candidate)
        return candidate
