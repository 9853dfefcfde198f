"""`diff OLD_BUILD NEW_BUILD`: what changed between two builds, for a correction note.

Reads the built pages themselves, so any two builds compare, including a
copy of what is live. Paragraphs, timeline entries, quote cards and fact
boxes carry stable ids made from their own words (see docs/format.md,
Permalinks), which is what lets an item be followed from one build to the
next; facts are followed by their label within their box.
"""

from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from generator.errors import Pos, Report, os_problem, quote
from generator.render import paths

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIP_TEXT = {"backlink", "backlinks", "vh", "facts"}  # timeline backlinks repeat dates; facts are compared one by one
KINDS = [("t-", "timeline entry"), ("q-", "quote card"), ("country-", "fact box")]


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # Node or str

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not child.classes() & SKIP_TEXT:
                parts.append(child.text())
        return " ".join("".join(parts).split())

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()


class TreeBuilder(HTMLParser):
    """A forgiving element tree: enough HTML parsing for pages this tool wrote."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


@dataclass
class Page:
    """What an editor compares in one explainer page."""

    head: dict[str, str]  # headline, dek, dates
    items: dict[str, tuple[str, str]]  # id -> (kind, text)
    facts: dict[str, str]  # "country-kg: label" -> value


PAGE_LIMIT = 64 * 1024 * 1024  # far beyond any page this tool writes


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file of sane size; ValueError for a pipe, a device or a huge file,
    which would block or never end (opened without blocking, so a pipe is seen, not waited on)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("not a regular file (a pipe, socket or device): this page was not written by this tool")
        if st.st_size > PAGE_LIMIT:
            raise ValueError(f"larger than {PAGE_LIMIT // (1024 * 1024)} MB: this page was not written by this tool")
        with os.fdopen(fd, "rb", closefd=False) as f:
            # Sized by the file: a read of PAGE_LIMIT bytes would reserve them all at once.
            data = f.read(st.st_size + 1)
            if len(data) > st.st_size:  # it grew since: on to its end, within the limit
                data += f.read(PAGE_LIMIT + 1 - len(data))
            return data
    finally:
        os.close(fd)


def read_page(path: Path, report: Report) -> Page | None:
    """What an editor compares in a built page; None, with the problem reported, when it cannot be read."""
    shown = path.as_posix()
    try:
        data = _read_regular(path)
    except ValueError as exc:
        report.error(shown, Pos(), str(exc))
        return None
    except OSError as exc:  # as every command reports the system's refusals: path: error: what to do
        report.extend([os_problem(exc)])
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.error(shown, Pos(line, col), f"not UTF-8 (byte 0x{data[exc.start]:02x}): this page was not "
                     "written by this tool, or was changed since; compare builds as they were written")
        return None
    try:
        return _page(text)
    except RecursionError:
        report.error(shown, Pos(), "the page's elements nest too deeply to compare: it was not written by this tool")
        return None


def _page(text: str) -> Page:
    builder = TreeBuilder()
    builder.feed(text)
    nodes = list(builder.root.walk())
    head: dict[str, str] = {}
    for node in nodes:
        if node.tag == "h1" and "headline" not in head:
            head["headline"] = node.text()
        elif "dek" in node.classes() and "dek" not in head:
            head["dek"] = node.text()
        elif "corrections" in node.classes():
            head["corrections"] = node.text()
    items: dict[str, tuple[str, str]] = {}
    facts: dict[str, str] = {}
    for node in nodes:
        ident = node.attrs.get("id", "")
        kind = _kind(node, ident)
        if kind:
            items.setdefault(ident, (kind, node.text()))
        if kind == "fact box":
            for row in (n for n in node.walk() if n.tag == "div" and any(c.tag == "dt" for c in _elements(n))):
                label = next(c.text() for c in _elements(row) if c.tag == "dt")
                value = " ".join(c.text() for c in _elements(row) if c.tag == "dd")
                facts[f"{ident}: {label}"] = value
    for node in nodes:
        if "prose" in node.classes():
            for child in _elements(node):
                ident = child.attrs.get("id", "")
                if ident and ident not in items:
                    items[ident] = ("heading" if child.tag in ("h2", "h3", "h4", "h5", "h6") else "paragraph",
                                    child.text())
    return Page(head, items, facts)


def _elements(node: Node) -> list[Node]:
    return [c for c in node.children if isinstance(c, Node)]


def _kind(node: Node, ident: str) -> str:
    for prefix, kind in KINDS:
        if ident.startswith(prefix) and (kind != "fact box" or len(ident) == len("country-xx")):
            return kind
    return ""


def explainer_pages(build: Path) -> dict[str, Path]:
    """slug -> page: every <slug>/index.html of a build (static/ holds none)."""
    return {p.parent.name: p for p in sorted(build.glob(f"*/{paths.PAGE}")) if p.parent.name != "static"}


def compare(old: Path, new: Path, report: Report) -> list[str] | None:
    """The changes as lines of text; None (with errors reported) when a folder is no build."""
    for folder in (old, new):
        if not (folder / paths.PAGE).is_file():
            report.error(folder.as_posix(), Pos(), "not a build: no index.html in this folder")
    if report.errors:
        return None
    before, after = explainer_pages(old), explainer_pages(new)
    lines = []
    for slug in sorted(before.keys() | after.keys()):
        if slug not in before:
            lines.append(f"added explainer {slug}")
        elif slug not in after:
            lines.append(f"removed explainer {slug}")
        else:
            # Both pages are read, so that every page that cannot be is reported in one run.
            was, now = read_page(before[slug], report), read_page(after[slug], report)
            changes = page_changes(was, now) if was is not None and now is not None else []
            changes += embed_changes(before[slug].parent, after[slug].parent, report)
            if changes:
                lines.append(f"changed explainer {slug}")
                lines += ["  " + c for c in changes]
    return None if report.errors else lines


def embed_changes(old: Path, new: Path, report: Report) -> list[str]:
    """The explainer's embed pages (`<slug>/embed/<id>/`) that came, went or show other words:
    each is an iframe in someone's story, which may need a look or a note of its own."""
    before, after = _embeds(old), _embeds(new)
    lines = []
    for ident in sorted(before.keys() | after.keys()):
        where = paths.embed(new.name, ident)
        if ident not in before:
            lines.append(f"added embed {where}")
        elif ident not in after:
            lines.append(f"removed embed {where}")
        else:
            pages = [read_page(before[ident], report), read_page(after[ident], report)]
            if None not in pages and pages[0] != pages[1]:
                lines.append(f"changed embed {where}")
    return lines


def _embeds(explainer: Path) -> dict[str, Path]:
    return {p.parent.name: p for p in sorted(explainer.glob(f"{paths.EMBED}/*/{paths.PAGE}"))}


def page_changes(old: Page, new: Page) -> list[str]:
    changes = [f"changed {name}" for name in ("headline", "dek")
               if old.head.get(name, "") != new.head.get(name, "")]
    if old.head.get("corrections", "") != new.head.get("corrections", ""):
        changes.append("changed corrections")
    added = [i for i in new.items if i not in old.items]
    removed = [i for i in old.items if i not in new.items]
    renamed = _renamed(removed, added, old.items, new.items)
    for ident in _ordered(old.items, new.items):
        was, now = old.items.get(ident), new.items.get(ident)
        if now is None:  # only the old page has it
            if was is not None and ident not in renamed.values():
                changes.append(f"removed {was[0]} {ident}")
        elif ident in renamed:
            changes.append(f"changed {now[0]} {ident} (was {renamed[ident]})")
        elif was is None:
            changes.append(f"added {now[0]} {ident}")
        elif was[1] != now[1]:
            changes.append(f"changed {now[0]} {ident}")
    gone = {i for i in removed if i not in renamed.values()}
    for key in _ordered(old.facts, new.facts):
        was_value, now_value = old.facts.get(key), new.facts.get(key)
        if key.split(":")[0] in gone:
            continue  # the whole box is gone; said above
        if was_value is None:
            changes.append(f"added fact {key}: {quote(now_value, 80)}")
        elif now_value is None:
            changes.append(f"removed fact {key}: {quote(was_value, 80)}")
        elif was_value != now_value:
            changes.append(f"changed fact {key}: {quote(was_value, 80)} -> {quote(now_value, 80)}")
    return changes


def _renamed(removed: list[str], added: list[str], old: dict, new: dict) -> dict[str, str]:
    """new id -> old id for an item whose id changed with its words (edited start, new date)."""
    pairs: dict[str, str] = {}
    for ident in added:
        kind, text = new[ident]
        scored = [(difflib.SequenceMatcher(None, old[r][1], text).ratio(), r) for r in removed
                  if old[r][0] == kind and r not in pairs.values()]
        best = max(scored, default=(0, ""))
        if best[0] >= 0.6:
            pairs[ident] = best[1]
    return pairs


def _ordered(old: dict, new: dict) -> list[str]:
    """Keys in page order: the new page's first, then those only the old one had."""
    return list(new) + [k for k in old if k not in new]
