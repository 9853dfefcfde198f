"""The closest passage: the hint given for an anchor or a quote the article does not hold.

Two steps, each bounded whatever the article's length. First rapidfuzz's
partial alignment finds, in one pass over the article, the stretch most like
the missing text: character by character for a short text (an anchor, a short
quote), word by word, punctuation aside, for a longer one. Then the phrases of
as many words as the missing text that overlap that stretch are ranked by
rapidfuzz's ratio, and the best of them scored as the hint always was, by
difflib's ratio (seldom more than two: rapidfuzz's ratio bounds difflib's),
so the editor is shown the words the old search over every phrase of the
article showed. That ratio is cydifflib's: difflib's algorithm compiled, with
the same figures (tests/test_passages.py compares them), since difflib's own
matcher, in Python, was the costliest part of a hint.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from generator.errors import quote
from generator.model.page import Block

QUOTES = {"’": "'", "‘": "'", "‚": "'", "‛": "'", "′": "'",
          "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"'}
PUNCT = re.compile(r"[^\w\s]+")
WORD_LIMIT = 20_000  # words of an article searched: far more than any explainer holds
PROBE = 64  # rapidfuzz aligns up to 64 characters or words in one bit-parallel pass
SHORTLIST = 8  # phrases scored with difflib at most, the best first by rapidfuzz's ratio
CUTOFF = 0.5  # the least likeness a hint needs


def normalize(text: str) -> str:
    """Text as anchors match it: case, whitespace and quote style ignored."""
    # A few replace() calls on the characters present are many times cheaper
    # than str.translate with a mapping, and this runs for every block.
    if not text.isascii():
        for curly, straight in QUOTES.items():
            if curly in text:
                text = text.replace(curly, straight)
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Span:
    """Words lo..hi (both included) of block n: where the missing text aligned."""

    n: int
    lo: int
    hi: int


@dataclass
class Passages:
    """An explainer's blocks with their normalized text, as anchors match them.

    The indexes are made when the first hint is asked for, and then serve
    every other hint of the explainer.
    """

    texts: list[tuple[Block, str]]  # (block, normalize(block.text)) of the blocks with an id

    @cached_property
    def searched(self) -> list[str]:
        """The normalized text of each block searched, within the first WORD_LIMIT words."""
        out, left = [], WORD_LIMIT
        for _, text in self.texts:
            if left <= 0:
                break
            words = text.split(" ") if text else []
            out.append(" ".join(words[:left]) if len(words) > left else text)
            left -= len(words)
        return out

    @cached_property
    def chars(self) -> tuple[str, list[int]]:
        """The searched text in one string and where each block begins in it.

        Each block is set between spaces, and the blocks are parted by NUL, so
        that a short text aligns with whole words ("a" with the word "a", not
        the "a" inside "officials") and never across two blocks.
        """
        starts, at = [], 0
        for text in self.searched:
            starts.append(at)
            at += len(text) + 3
        return "".join(f" {text} \0" for text in self.searched), starts

    @cached_property
    def words(self) -> tuple[list[str | None], list[int]]:
        """The searched words without punctuation, blocks parted by None, and where each block begins."""
        keys: list[str | None] = []
        starts = []
        for text in self.searched:
            starts.append(len(keys))
            keys += PUNCT.sub("", text).split(" ") if text else []
            keys.append(None)  # an alignment never runs on from one block into the next
        return keys, starts

    def closest(self, missing: str) -> str | None:
        """The article's phrase most like `missing`, as the article writes it; None if none is alike."""
        from cydifflib import SequenceMatcher
        from rapidfuzz import fuzz

        wanted = normalize(missing)
        if not self.searched:
            return None
        spans = self._chars_span(wanted) if len(wanted) + 2 <= PROBE else self._words_span(wanted)
        size = len(missing.split())
        phrases = []
        for span in spans:
            block, text = self.texts[span.n]
            phrases += _around(block.text.split(), text.split(" ") if text else [], size, span)
        ranked = sorted(((fuzz.ratio(norm, wanted) / 100, norm, shown) for norm, shown in phrases), reverse=True)
        best = None  # as difflib.get_close_matches ranked every phrase: the highest ratio, then the greatest text
        for bound, norm, shown in ranked[:SHORTLIST]:
            # difflib's ratio never exceeds rapidfuzz's: its matching blocks are a common
            # subsequence, and rapidfuzz's ratio counts the longest one. So once the next
            # phrase's rapidfuzz ratio is below the best difflib ratio, no phrase can win.
            if best and bound + 1e-9 < best[0]:
                break
            scored = (SequenceMatcher(None, norm, wanted).ratio(), norm, shown)
            best = max(best, scored) if best else scored
        return best[2] if best and best[0] >= CUTOFF else None

    def _chars_span(self, wanted: str) -> list[Span]:
        from rapidfuzz import fuzz

        text, starts = self.chars
        found = fuzz.partial_ratio_alignment(f" {wanted} ", text)
        if found is None:  # only below a score_cutoff, which is not given: no alignment, no span
            return []
        spans = []
        for n, start, end in _blocks(starts, len(text), found.dest_start, found.dest_end):
            block = self.searched[n]  # its stretch holds " " + block + " "
            first = block.count(" ", 0, start)  # the word at, or just after, the first character aligned
            spans.append(Span(n, first, max(first, block.count(" ", 0, max(end - 2, 0)))))
        return spans

    def _words_span(self, wanted: str) -> list[Span]:
        from rapidfuzz import fuzz

        keys, starts = self.words
        found = fuzz.partial_ratio_alignment(PUNCT.sub("", wanted).split(" ")[:PROBE], keys)
        if found is None:  # as above
            return []
        return [Span(n, start, max(start, end - 1)) for n, start, end in
                _blocks(starts, len(keys), found.dest_start, found.dest_end)]


def _blocks(starts: list[int], total: int, begin: int, end: int) -> list[tuple[int, int, int]]:
    """(block, begin, end) within each block that positions begin..end of the joined text cover."""
    first = bisect.bisect_right(starts, begin) - 1
    last = bisect.bisect_right(starts, max(begin, end - 1)) - 1
    out = []
    for n in range(first, last + 1):
        stop = (starts[n + 1] if n + 1 < len(starts) else total) - 1  # the separator after block n
        lo, hi = min(max(begin, starts[n]), stop), min(end, stop)
        out.append((n, lo - starts[n], max(lo, hi) - starts[n]))
    return out


def _around(words: list[str], norms: list[str], size: int, span: Span) -> list[tuple[str, str]]:
    """(normalized, as written) phrases of `size` words of a block that hold one of the span's words."""
    if len(norms) != len(words):  # never for text normalize() made; a safe fallback all the same
        norms = [normalize(w) for w in words]
    if len(words) <= size:
        return [(" ".join(norms), " ".join(words))] if words else []
    first, last = max(0, span.lo - size + 1), min(len(words) - size, span.hi)
    return [(" ".join(norms[i:i + size]), " ".join(words[i:i + size])) for i in range(first, last + 1)]


def hint(missing: str, passages: Passages) -> str:
    """The end of a message about text the article does not hold: the closest passage, if any."""
    found = _closest(passages, missing)
    return f"; closest passage: {quote(found)}" if found else ""


# The hints of the last explainers made, by their blocks' text and the text missing: the
# preview makes an explainer again at every save of any of its files, and its article,
# which alone the hint depends on, is most often the same.
HINTS_KEPT = 256
_hints: dict[tuple[tuple[str, ...], str], str | None] = {}


def forget_hints() -> None:
    """Forgets the hints kept: the next check of any article works its hints out anew, as a
    cold build does (each of its explainers is a new article)."""
    _hints.clear()


def _closest(passages: Passages, missing: str) -> str | None:
    key = (tuple(block.text for block, _ in passages.texts), missing)
    if key in _hints:
        return _hints[key]
    found = _hints[key] = passages.closest(missing)
    while len(_hints) > HINTS_KEPT:
        del _hints[next(iter(_hints))]  # the oldest first
    return found
