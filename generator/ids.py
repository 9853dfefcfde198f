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
    # Ids come from a paragraph's first words: its opening is enough when it holds
    # more words than needed (the last word there may be cut short, and is dropped).
    opening = _words(text[:20 * words])
    if len(opening) > words:
        return "-".join(opening[:words])
    return "-".join(_words(text)[:words]) or "x"


def _words(text: str) -> list[str]:
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold().replace("’", "").replace("'", "")
    return _NOT_WORD.sub(" ", text).replace("_", " ").split()


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
