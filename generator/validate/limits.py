"""Limits on what the parsers are given, checked cheaply before they run.

The parsers behind a build have inputs they cannot take. PyYAML's C composer
recurses once per nesting level and overflows the C stack at some tens of
thousands of `[`: the process dies of a segfault, with no exception to catch.
Python-Markdown recurses per nested list or quote (and per definition of a
definition list) and hits Python's recursion limit after a few hundred. Other
parts of it scan on from every `[`, every `](`, every `<` of a tag and every
code fence to where it closes, or rewrite a whole paragraph after each piece
of inline markup, so a paragraph of nested, unclosed or dense markup takes
minutes. No real explainer comes near these limits; checking them first,
in time proportional to the text, turns such input into a located error.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Protocol

import yaml

MAX_FILE_BYTES = 10 * 1024 * 1024  # an article: some hundred times a long read
MAX_YAML_BYTES = 5 * 1024 * 1024  # site.yaml or an annotation file: some thousand times a long timeline
MAX_YAML_DEPTH = 100  # lists and mappings inside each other; annotations use four or five
MAX_MARKDOWN_DEPTH = 50  # lists and quotes inside each other, or brackets open at once
MAX_NAME_BYTES = 100  # a slug or id in a file name: file systems take 255 bytes, with room for suffixes
# What scanning on from the open brackets may cost, in characters scanned: a fixed allowance
# plus a share of the text's own size, so a long article with many links stays well inside.
SCAN_ALLOWANCE = 10_000_000
SCAN_PER_CHARACTER = 8
# Python-Markdown scans on from a `[` in a Python loop, from `](` in a cheaper one, and from a
# tag's `<` with a regular expression: what each character scanned costs, in those units.
SCAN_WEIGHT = {"[": 8, "](": 2, "<": 1}
# Inline markup is matched one piece at a time, and after each match the paragraph (list
# item, table row) it is in is rewritten whole: a long paragraph dense with markup costs
# the product of the two. Allowed: a fixed amount plus a share of the text's size.
INLINE_MARKS = ("*", "_", "`", "[", "<", "&", "\\", "  \n")
INLINE_ALLOWANCE = 1_000_000_000
INLINE_PER_CHARACTER = 20
# Definitions that Markdown reads one line at a time, reading the rest of the block again
# each time (abbreviations), or recursing once per definition (definition lists).
MAX_ABBREVIATIONS = 100
MAX_DEFINITIONS_IN_A_ROW = 200


@dataclass(frozen=True)
class Excess:
    """Where a text passes a limit: 0-based line and offset in that line, and what to tell the author."""

    line: int
    col: int
    message: str


def file_too_large(size: int, limit: int = MAX_FILE_BYTES) -> str | None:
    if size <= limit:
        return None
    kind = "a YAML file" if limit == MAX_YAML_BYTES else "an article"
    return (f"the file is {size / 1024 / 1024:.1f} MB, more than the {limit // 1024 // 1024} MB {kind} may hold; "
            f"split it or take out what was pasted in by mistake")


# --- YAML -------------------------------------------------------------------

OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


class Mark(Protocol):
    """A place in YAML text, from 0, as PyYAML's Python and C parsers both mark it."""

    line: int
    column: int


def yaml_too_deep(text: str, loader: type) -> Mark | None:
    """Where the YAML's nesting passes MAX_YAML_DEPTH, or None.

    A nested block collection starts further right than the one holding it, or
    (a list under a key) at the same column, so the block nesting is at most
    twice the widest run of indentation and `- `, `? `, `: ` that starts a line;
    each flow collection needs a `[` or `{`. When that bound is within the limit,
    as for every real file, the text is not looked at again; otherwise libyaml's
    parser, which keeps its own stack and does not recurse, counts the depth.
    """
    flows = text.count("[") + text.count("{")
    room = (MAX_YAML_DEPTH - 2 - flows) // 2
    if room > 0 and not _wide_start(room).search(text):
        return None
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, OPENS):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                return event.start_mark
        elif isinstance(event, CLOSES):
            depth -= 1
    return None


@functools.lru_cache(maxsize=128)
def _wide_start(width: int) -> re.Pattern:
    return re.compile(rf"^[ \t?:-]{{{width},}}", re.MULTILINE)


YAML_TOO_DEEP = (f"lists and mappings are nested more than {MAX_YAML_DEPTH} levels deep here, far more than "
                 f"any explainer needs: close the brackets or take out the extra levels")


# --- Markdown ---------------------------------------------------------------

# A line that may open more than MAX_MARKDOWN_DEPTH lists and quotes: each level takes at
# least one of these characters (a marker, or indentation). Only such lines are measured.
DEEP_LINE = re.compile(rf"\n[ \t>*+\-.)0-9]{{{MAX_MARKDOWN_DEPTH + 1}}}")
LINE_PIECE = re.compile(r"( +|\t+)|(>|[*+-](?=[ \t]|\Z)|\d{1,9}[.)](?=[ \t]|\Z))")


def markdown_excess(text: str) -> Excess | None:
    """The first place the Markdown text passes a limit, or None."""
    return (_too_deep_lines(text) or _too_many_brackets(text) or _too_much_inline_markup(text)
            or _unclosed_fences(text) or _too_many_in_a_row(text))


def _too_deep_lines(text: str) -> Excess | None:
    """Lists and quotes nested too deep: one level per marker (`>`, `-`, `1.`) and per four columns of indentation."""
    for start in _deep_line_starts(text):
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        markers = columns = pos = 0
        while (piece := LINE_PIECE.match(line, pos)) is not None:
            if piece.group(1):
                columns += piece.group(1).count(" ") + 4 * piece.group(1).count("\t")
            else:
                markers += 1
            if markers + columns // 4 > MAX_MARKDOWN_DEPTH:
                return Excess(text.count("\n", 0, start), piece.start(),
                              f"lists and quotes are nested more than {MAX_MARKDOWN_DEPTH} levels deep here "
                              f"(each '>', list marker or four columns of indentation is one); flatten the structure")
            pos = piece.end()
    return None


def _deep_line_starts(text: str) -> list[int]:
    first = [0] if DEEP_LINE.match("\n" + text[:MAX_MARKDOWN_DEPTH + 1]) else []
    return first + [found.start() + 1 for found in DEEP_LINE.finditer(text)]


def _too_many_brackets(text: str) -> Excess | None:
    """Brackets nested too deep, or left open over so much text that Markdown would take minutes.

    Within a block, Python-Markdown scans from each `[` to its `]`, and from each
    `](` to the `)` that closes it, or to the end of the block when there is none;
    from each `<` that starts a tag it scans to the next `>`, anywhere in the text.
    What that costs is added up as the text is read: this loop runs for every
    bracket of an article, so it keeps its state in local variables.
    """
    if "[" not in text and "<" not in text:  # nothing to scan on from: most articles
        return None
    budget = SCAN_ALLOWANCE + SCAN_PER_CHARACTER * len(text)
    cost = skip = 0  # skip: the characters before it are read already (an escape, or the `(` of `](`)
    squares: list[int] = []  # open `[`
    parens: list[int] = []  # open `(` in a link's address: the `](` itself as its `]`'s position, others as -1
    tags: list[int] = []  # `<` of tags no `>` has ended yet
    for at in _positions(text):
        if at < skip:
            continue
        char = text[at]
        if char == "[":
            squares.append(at)
            if len(squares) > MAX_MARKDOWN_DEPTH:
                return _deep(text, at, "[")
        elif char == "]" and squares:
            start = squares.pop()
            cost += SCAN_WEIGHT["["] * (at - start)
            if text.startswith("(", at + 1):  # a link's text closed: its address follows
                skip = at + 2
                parens.append(at)
            if cost > budget:
                return _costly(text, start, "[")
        elif char == "(" and parens:  # plain parentheses cost nothing: only those in a link's address count
            parens.append(-1)
        elif char == ")" and parens:
            start = parens.pop()
            cost += 0 if start < 0 else SCAN_WEIGHT["]("] * (at - start)
            if cost > budget:
                return _costly(text, start, "](")
        elif char == "<" and (text[at + 1:at + 2].isalpha() or text[at + 1:at + 2] in ("/", "!", "?")):
            tags.append(at)
        elif char == ">" and tags:
            cost, found = _open_until(text, at, tags, "<", cost, budget)
            if found:
                return found
        elif char == "\\":
            skip = at + 2
        elif char == "\n":  # a blank line: the block ends, and the scans from what is open in it
            cost, found = _block_end(text, at, squares, parens, cost, budget)
            if found:
                return found
        if len(parens) > MAX_MARKDOWN_DEPTH:
            return _deep(text, at, "(")
    cost, found = _block_end(text, len(text), squares, parens, cost, budget)
    return found or _open_until(text, len(text), tags, "<", cost, budget)[1]


def _block_end(text: str, end: int, squares: list[int], parens: list[int], cost: int,
               budget: int) -> tuple[int, Excess | None]:
    cost, found = _open_until(text, end, squares, "[", cost, budget)
    if not found:
        cost, found = _open_until(text, end, [start for start in parens if start >= 0], "](", cost, budget)
    parens.clear()
    return cost, found


def _open_until(text: str, end: int, starts: list[int], kind: str, cost: int, budget: int) -> tuple[int, Excess | None]:
    """Adds the scans from `starts` to `end` to the cost, and empties `starts`; the excess when over budget."""
    for start in starts:
        cost += SCAN_WEIGHT[kind] * (end - start)
        if cost > budget:
            return cost, _costly(text, start, kind)
    starts.clear()
    return cost, None


def _costly(text: str, at: int, kind: str) -> Excess:
    literal = {"[": "\\[", "](": "\\(", "<": "&lt;"}[kind]
    return _excess(text, at, f"this '{kind}' and the ones before it stay open over too much text for Markdown "
                   f"to read in reasonable time; close them, or write {literal} for the character itself")


def _deep(text: str, at: int, bracket: str) -> Excess:
    return _excess(text, at, f"more than {MAX_MARKDOWN_DEPTH} '{bracket}' are open at once here; close them, "
                   f"or write \\{bracket} for the character itself")


def _positions(text: str) -> list[int]:
    """Where the characters the bracket scan reads are, and the blank lines between blocks, in order.

    Found with str.find, which skips the text between them many times faster than a regular expression.
    """
    found = []
    for char in ("[", "]", "(", ")", "<", ">", "\\", "\n\n"):
        at = text.find(char)
        while at >= 0:
            found.append(at)
            at = text.find(char, at + 1)
    found.sort()
    return found


# A line that starts a piece Markdown reads inline on its own: a list item, a table row, a heading.
PIECE_START = re.compile(r"\n(?=[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|[|#]))")


def _marks(text: str) -> int:
    return sum(text.count(mark) for mark in INLINE_MARKS)


def _too_much_inline_markup(text: str) -> Excess | None:
    """A long paragraph (or list item, or table row) dense with inline markup: `*`, `_`, `[`, ..."""
    budget = INLINE_ALLOWANCE + INLINE_PER_CHARACTER * len(text)
    marks = _marks(text)
    if marks * len(text) <= budget:  # every article of a sensible size
        return None
    blocks = text.split("\n\n")
    if marks * max(map(len, blocks)) <= budget:  # the cost of each block is at most this share of it
        return None
    cost = at = 0
    for block in blocks:
        for piece, start in _pieces(block, at, budget):
            cost += _marks(piece) * len(piece)
            if cost > budget:
                return _excess(text, start, "this paragraph is long and dense with inline markup (*, _, `, [, <, &, "
                               "\\ or line breaks): Markdown would take minutes to read it; split it into shorter "
                               "paragraphs")
        at += len(block) + 2
    return None


def _pieces(block: str, at: int, budget: int) -> list[tuple[str, int]]:
    """The parts of a block Markdown reads inline one by one, with where each starts; the
    block itself unless it costs enough to look closer."""
    if _marks(block) * len(block) <= budget // 64:
        return [(block, at)]
    pieces = []
    for piece in PIECE_START.split(block):
        pieces.append((piece, at))
        at += len(piece) + 1
    return pieces


FENCE_LINE = re.compile(r"^(`{3,}|~{3,})(.*)$", re.MULTILINE)


def _unclosed_fences(text: str) -> Excess | None:
    """Code fences left open: Markdown looks for the closing fence from each one to the end of the text,
    and again after each fenced block it finds, so unclosed fences cost the text's length many times."""
    if "```" not in text and "~~~" not in text:
        return None
    lines = [(found.start(), found.group(1), not found.group(2).strip()) for found in FENCE_LINE.finditer(text)]
    last_bare: dict[str, int] = {}  # the last bare fence line of each kind: the last that can close one
    for i, (_, fence, bare) in enumerate(lines):
        if bare:
            last_bare[fence] = i
    budget = SCAN_ALLOWANCE + SCAN_PER_CHARACTER * len(text)
    open_cost = cost = i = 0  # open_cost: scanning from the unclosed fences so far, once
    while i < len(lines):
        start, fence, _ = lines[i]
        if last_bare.get(fence, -1) > i:  # closed by the next bare fence line of its kind
            i = next(j for j in range(i + 1, len(lines)) if lines[j][1] == fence and lines[j][2]) + 1
            cost += open_cost
        else:
            open_cost += len(text) - start
            i += 1
        if cost + open_cost > budget:
            return _excess(text, start, "code fences (``` or ~~~) without a closing fence make this text too slow for "
                           "Markdown to read; close each fence with a line of the same fence alone")
    return None


def _too_many_in_a_row(text: str) -> Excess | None:
    """Abbreviation definitions (`*[HTML]: ...`) past MAX_ABBREVIATIONS; definition list entries
    (`: ...`) past MAX_DEFINITIONS_IN_A_ROW within one block."""
    abbreviations = _line_starts(text, "*[")
    if len(abbreviations) > MAX_ABBREVIATIONS:
        return _excess(text, abbreviations[MAX_ABBREVIATIONS], f"more than {MAX_ABBREVIATIONS} abbreviation "
                       "definitions (*[...]: ...); Markdown reads each one through the whole text")
    definitions = _line_starts(text, ": ")
    if len(definitions) <= MAX_DEFINITIONS_IN_A_ROW:
        return None
    row = 0
    for previous, at in zip([-1, *definitions], definitions):
        row = row + 1 if "\n\n" not in text[previous + 1:at] else 1
        if row > MAX_DEFINITIONS_IN_A_ROW:
            return _excess(text, at, f"more than {MAX_DEFINITIONS_IN_A_ROW} definitions (: ...) in a row: Markdown "
                           "reads each inside the one before; put a blank line between some of them")
    return None


def _line_starts(text: str, prefix: str) -> list[int]:
    """Where the lines that start with `prefix` start."""
    found = [0] if text.startswith(prefix) else []
    at = text.find("\n" + prefix)
    while at >= 0:
        found.append(at + 1)
        at = text.find("\n" + prefix, at + 1)
    return found


def _excess(text: str, at: int, message: str) -> Excess:
    line_start = text.rfind("\n", 0, at) + 1
    return Excess(text.count("\n", 0, at), at - line_start, message)
