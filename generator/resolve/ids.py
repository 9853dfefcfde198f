"""Readable, stable ids for permalinks.

An id is made from the thing's own words, never from its position, so
editing one paragraph or entry does not renumber the others.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from generator.validate.limits import MAX_NAME_BYTES

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


def bounded(name: str, limit: int = MAX_NAME_BYTES) -> str:
    """The name, or when it is longer than `limit` UTF-8 bytes, its start and a hash of the whole.

    Ids name share pages' folders, and a file name longer than 255 bytes cannot
    be made; a title in Chinese, or one long word, gives such an id. The start is
    cut at a character, and the hash keeps ids with the same start apart and the
    same from build to build.
    """
    data = name.encode()
    if len(data) <= limit:
        return name
    suffix = "-" + hashlib.sha256(data).hexdigest()[:10]
    return data[:limit - len(suffix)].decode("utf-8", "ignore").rstrip("-") + suffix


class IdMaker:
    """Hands out ids unique within one page, suffixing repeats in order.

    An id made from the thing's words is bounded (see `bounded`); one the author
    wrote is kept as written (the schema bounds those that name files).
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()
        # The suffix to try next for each id wanted more than once: those before it are taken
        # (and stay taken), so a long article whose paragraphs open alike is not searched anew each time.
        self.next: dict[tuple[str, bool], int] = {}

    def claim(self, wanted: str, given: bool = False) -> str:
        shape = _as_written if given else bounded
        candidate, n = shape(wanted), self.next.get((wanted, given), 2)
        while candidate in self.taken:
            candidate = shape(f"{wanted}-{n}")
            n += 1
        self.next[wanted, given] = n
        self.taken.add(candidate)
        return candidate


def _as_written(name: str) -> str:
    return name
