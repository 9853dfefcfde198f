"""Resolving: anchors to paragraphs, country mentions to fact boxes.

Takes one loaded article and its annotations and returns the Explainer the
templates see: body blocks with ids, annotations placed and linked, Markdown
rendered and dates formatted for the page language.
"""

from __future__ import annotations

import functools
import os
import re
import xml.etree.ElementTree as etree
from dataclasses import replace
from gettext import NullTranslations
from pathlib import Path
from typing import TypeVar

from babel import Locale
from markupsafe import Markup

from generator.errors import Pos, Report, quote
from generator.features.images.size import image_size
from generator.load.annotations import FILES as ANNOTATION_FILES
from generator.load.content import generated_name
from generator.load.files import contained, is_inside
from generator.model import page, source
from generator.model.common import Site
from generator.model.page import Block, Explainer, ImageView
from generator.model.source import Annotations, Article
from generator.render import paths
from generator.validate.passages import Passages, hint, normalize

from . import markup
from .dates import event_view, view
from .ids import IdMaker, slugify

AUTHOR_FILES = {"article.md", *(name for _, name, _ in ANNOTATION_FILES)}  # not copied to the output
NO_MENTIONS = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"}
BLOCK_PREFIX = {"p": "p-", "blockquote": "bq-", "ul": "list-", "ol": "list-", "table": "table-", "dl": "list-"}
Placed = TypeVar("Placed", page.Event, page.Quote)  # what an anchor attaches to a paragraph


def resolve(site: Site, article: Article, notes: Annotations, locale: Locale,
            md, report: Report, words: NullTranslations | None = None) -> Explainer:
    """`words`: the catalogues of the dates' language (i18n.Languages), for "about 2001" and the like."""
    taken = IdMaker()
    given: list[source.Event | source.Quote | source.Country] = [*notes.timeline, *notes.quotes, *notes.countries]
    for item in given:
        taken.claim(item.id, given=True)  # as made already
    edit = TreeEditor(notes.countries, taken)
    blocks = markup.render_blocks(md, article.body, edit, sanitize=not site.unsafe_html)
    for url, problem in edit.refused:
        report.error(article.path, _line_of(article, url), problem)
    texts = [(b, normalize(b.text)) for b in blocks if b.id]
    _check_mentions(notes, edit.seen, report)
    timeline_path, countries_path = notes.paths.get("timeline", ""), notes.paths.get("countries", "")
    written = sorted(notes.timeline, key=lambda e: e.date.sort_key)  # stable: file order breaks ties
    events = [_event(e, md, locale, words, timeline_path, report) for e in written]
    timeline = [_place(e, texts, "events", timeline_path, report) for e in events]
    quotes_path = notes.paths.get("quotes", "")
    quotes = [_place(_quote(q), texts, None, quotes_path, report) for q in notes.quotes]
    for q in quotes:
        _put_card(q, blocks, texts, quotes_path, report)
    countries = [_country(c, md, locale, countries_path, report) for c in notes.countries]
    by_code = {c.code: c for c in countries}
    for block in blocks:
        if block.id is not None:  # a block without an id (raw HTML) mentions no country: its list stays empty
            block.countries = [by_code[code] for code in edit.first_in.get(block.id, ())]
    return Explainer(
        slug=article.slug,
        title=article.title,
        dek=article.dek,
        byline=article.byline,
        date=view(article.date, locale),
        updated=view(article.updated, locale) if article.updated else None,
        tags=article.tags,
        draft=article.draft,
        source=article.source,
        image=_image(article, site.root, report),
        blocks=blocks,
        timeline=timeline,
        countries=countries,
        quotes=quotes,
        folder=article.folder,
        sort_key=(article.date.sort_key, article.slug),
        assets=_assets(article, site, report),
        paths=dict(notes.paths, article=article.path),
        corrections=[page.Correction(view(c.date, locale), c.text) for c in article.corrections],
        language=article.language or site.language,
    )


# --- the page's objects, made from the author's --------------------------------

def _event(e: source.Event, md, locale: Locale, words: NullTranslations | None, path: str,
           report: Report) -> page.Event:
    """A timeline entry with its body as HTML and its date formatted; placed later by _place."""
    return page.Event(
        id=e.id,
        date=event_view(e.date, locale, e.display, words),
        written=e.date,
        title=e.title,
        body=_snippet(md, e.body, path, e.where, "body", report),
        anchor=e.anchor,
        source=e.source,
        where=e.where,
        location=e.location,
    )


def _quote(q: source.Quote) -> page.Quote:
    """A quote card as the page holds it; placed later by _place and _put_card."""
    return page.Quote(id=q.id, speaker=q.speaker, text=q.text, role=q.role, anchor=q.anchor, source=q.source,
                      where=q.where, after=q.after)


def _country(c: source.Country, md, locale: Locale, path: str, report: Report) -> page.Country:
    """A fact box with its summary as HTML and its facts' dates formatted."""
    return page.Country(
        id=c.id,
        code=c.code,
        name=c.name,
        aliases=c.aliases,
        summary=_snippet(md, c.summary, path, c.where, "summary", report),
        facts=[_fact(f, locale) for f in c.facts],
        source=c.source,
        where=c.where,
    )


def _fact(f: source.Fact, locale: Locale) -> page.Fact:
    return page.Fact(f.label, f.value, view(f.as_of, locale) if f.as_of else None, f.source, f.where)


class TreeEditor:
    """Gives top-level blocks their ids and links the first mention of each country."""

    def __init__(self, countries: list[source.Country], ids: IdMaker):
        self.ids = ids
        self.by_name: dict[str, source.Country] = {}
        for country in countries:
            for name in [country.name, *country.aliases]:
                self.by_name.setdefault(name, country)
        self.names = sorted(self.by_name, key=len, reverse=True)  # the longest first, where names overlap
        self.linked: set[str] = set()
        self.seen: set[str] = set()  # every name or alias found in the body
        self.refused: list[tuple[str, str]] = []  # (URL, why) for each URL urls.py refuses
        self.order: list[str] = []  # country codes in the order of their first mention
        self.first_in: dict[str, list[str]] = {}  # block id -> codes first mentioned in it

    def __call__(self, root: etree.Element) -> None:
        for el in root:
            self._give_id(el)
            if self.names and el.tag not in NO_MENTIONS:
                before = len(self.order)
                self._link(el)
                ident = el.get("id")
                if len(self.order) > before and ident:
                    self.first_in[ident] = self.order[before:]
        self.refused += markup.refuse_urls(root)

    def _give_id(self, el: etree.Element) -> None:
        text = markup.plain_text(el)
        if markup.is_raw(el) or el.tag in markup.VOID or not text.strip():
            return
        wanted = el.get("id") or BLOCK_PREFIX.get(el.tag, "") + slugify(text)
        el.set("id", self.ids.claim(wanted, given=bool(el.get("id"))))

    def _link(self, el: etree.Element) -> None:
        if el.text:
            el.text, made = self._split(el.text)
            for i, a in enumerate(made):
                el.insert(i, a)
        for child in list(el):
            if child.tag not in NO_MENTIONS:
                self._link(child)
            if child.tail:
                child.tail, made = self._split(child.tail)
                at = list(el).index(child) + 1
                for i, a in enumerate(made):
                    el.insert(at + i, a)

    def _split(self, text: str) -> tuple[str, list[etree.Element]]:
        """Wraps first mentions in links; returns the leading text and the new links."""
        present = tuple(name for name in self.names if name in text)
        if not present:
            return text, []
        lead, last = "", 0  # lead: set at the first mention, before any link is made
        made: list[etree.Element] = []
        for match in _mentions(present).finditer(text):
            country = self.by_name[match.group(1)]
            self.seen.add(match.group(1))
            if country.code in self.linked:
                continue
            self.linked.add(country.code)
            self.order.append(country.code)
            a = etree.Element("a", {"class": "mention", "href": f"#{country.id}", "data-country": country.code.lower()})
            a.text = match.group(0)
            before = text[last:match.start()]
            if made:
                made[-1].tail = before
            else:
                lead = before
            made.append(a)
            last = match.end()
        if not made:
            return text, []
        made[-1].tail = text[last:]
        return lead, made


@functools.lru_cache(maxsize=1024)
def _mentions(names: tuple[str, ...]) -> re.Pattern:
    """Finds any of `names` as whole words, trying them in order.

    Made only from the names a text holds: the same few (one or two countries)
    come up again and again across a site, whereas every explainer's whole set
    of names would make a new pattern, slower to compile than the text is to read.
    """
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?:['’]s)?(?!\w)")


def _snippet(md, text: str, path: str, where: dict[str, Pos], key: str, report: Report) -> Markup:
    """Annotation Markdown as HTML; a link or image URL that urls.py refuses is an error at the field."""
    refused: list[tuple[str, str]] = []
    html = markup.render_snippet(md, text, refused)
    for _, problem in refused:
        report.error(path, where.get(key, where["_at"]), f"{key}: {problem}")
    return html


def _check_mentions(notes: Annotations, seen: set[str], report: Report) -> None:
    path = notes.paths.get("countries", "")
    for country in notes.countries:
        for name in [country.name, *country.aliases]:
            if name not in seen:
                field = "name" if name == country.name else "aliases"
                report.warning(path, country.where.get(field, country.where["_at"]),
                               f"{quote(name)} is never mentioned in the article, so nothing links to this fact box")


def _line_of(article: Article, needle: str) -> Pos:
    """Where a value first appears in article.md, for messages about the body."""
    index = article.body.find(needle)
    if index < 0:
        return Pos(article.body_line, 1)
    line = article.body.count("\n", 0, index)
    col = index - (article.body.rfind("\n", 0, index) + 1) + 1
    return Pos(article.body_line + line, col)


def _place(item: Placed, texts: list[tuple[Block, str]], slot: str | None, path: str, report: Report) -> Placed:
    """Finds the paragraph an annotation's anchor names and attaches the annotation to it (to `slot`, if given)."""
    if not item.anchor:
        return item
    wanted = normalize(item.anchor)
    matches = [block for block, text in texts if wanted in text]
    where = item.where.get("anchor", item.where["_at"])
    if not matches:
        report.error(path, where, f"anchor {quote(item.anchor)} is not in the article{hint(item.anchor, Passages(texts))}")
        return item
    if len(matches) > 1:
        report.warning(path, where, f"anchor {quote(item.anchor)} is in {len(matches)} paragraphs; using the first")
    placed = replace(item, anchor_id=matches[0].id)
    if slot:
        getattr(matches[0], slot).append(placed)
    return placed


# A quote card set beside its own passage is read twice in a row: it goes this many
# blocks of text after the passage (or before it, near the end of the article).
CARD_DISTANCE = 2
TEXT_TAGS = {"p", "blockquote", "ul", "ol", "dl", "table"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _put_card(card: page.Quote, blocks: list[Block], texts: list[tuple[Block, str]], path: str, report: Report) -> None:
    """Sets a quote card after the paragraph the author chose with `after`, else near its anchor."""
    if card.after:
        wanted = normalize(card.after)
        host = next((block for block, text in texts if wanted in text), None)
        if host is None:
            where = card.where.get("after", card.where["_at"])
            report.error(path, where, f"after {quote(card.after)} is not in the article{hint(card.after, Passages(texts))}")
            return
        host.quotes.append(card)
        return
    if not card.anchor_id:
        return
    at = next(i for i, block in enumerate(blocks) if block.id == card.anchor_id)
    host = _card_host(card, blocks, at)
    if host is None:  # a short article: beside its passage, left out on phones (see style.css)
        blocks[at].quotes.append(replace(card, beside=True))
    else:
        host.quotes.append(card)


def _card_host(card: page.Quote, blocks: list[Block], at: int) -> Block | None:
    """The paragraph CARD_DISTANCE blocks of text after block `at` (or before it) that neither
    holds the card's words nor has a card already, in the same section if it can be;
    None when the article is too short for one."""
    words = normalize(card.text).strip("\"' .,;:!?")
    heads = [i for i, block in enumerate(blocks) if block.tag in HEADINGS]
    start = max((i for i in heads if i < at), default=-1)
    end = min((i for i in heads if i > at), default=len(blocks))
    text_at = [i for i, block in enumerate(blocks) if block.tag in TEXT_TAGS]
    after = [i for i in text_at if i > at][CARD_DISTANCE - 1:]
    before = [i for i in reversed(text_at) if i < at][CARD_DISTANCE:]
    runs = ([i for i in after if i < end], [i for i in before if i > start], after, before)
    for run in runs:
        for i in run:
            block = blocks[i]
            if block.tag == "p" and not block.quotes and words not in normalize(block.text):
                return block
    return None


def _image(article: Article, root: Path, report: Report) -> ImageView | None:
    image = article.image
    if image is None:
        return None
    local = not paths.is_remote(image.src)
    if local and not (article.folder / image.src).is_file():
        report.error(article.path, article.where.get("image", Pos()), f"image {quote(image.src)} is not in {article.folder.name}/")
    # A link to outside the site is not read even for its size: _assets reports it.
    size = image_size(article.folder / image.src) if local and is_inside(article.folder / image.src, root) else None
    return ImageView(image.src, image.alt, image.caption, image.credit, *(size or (0, 0)))


# Files a browser runs script from when opened from the site's own address.
ACTIVE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".svgz", ".xml", ".xsl", ".xslt",
                             ".js", ".mjs"})
# What makes an SVG drawing run script or load another document when it is opened on its own.
SVG_ACTIVE = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"})


def _asset_problem(path: Path, rel: Path, trusted: bool) -> str | None:
    """Why a file beside article.md cannot be published as it is; None when it can.

    With unsafe_html: false no author markup may run script, and a page or a
    drawing copied as it is would, from the site's own address.
    """
    try:
        rel.as_posix().encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not UTF-8 text; rename the file"
    if not path.is_file():  # a named pipe or a device would hang the build that reads it
        return "this is not a regular file (a pipe, socket or device); remove it or replace it with a file"
    if trusted:
        return None
    if path.suffix.lower() in ACTIVE_SUFFIXES:
        return (f"with unsafe_html: false a {path.suffix.lower()} file is not published, as it could run "
                "script on the site; use an image (PNG, JPEG, WebP) or PDF, or remove the file")
    if path.suffix.lower() == ".svg" and not _inert_svg(path):
        return ("with unsafe_html: false an SVG drawing may not hold scripts, event attributes, embedded "
                "documents or links other than to its own parts (#id); export it again without them")
    return None


def _inert_svg(path: Path) -> bool:
    """Whether an SVG file is a plain drawing: nothing in it runs or loads when it is opened on its own."""
    try:
        root = etree.parse(path).getroot()
    except (etree.ParseError, OSError, ValueError):
        return False
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag.rpartition("}")[2].lower() in SVG_ACTIVE:
            return False
        for name, value in el.attrib.items():
            local = name.rpartition("}")[2].lower()
            if local.startswith("on") or (local == "href" and not value.strip().startswith("#")):
                return False
    return True


def _shown(article: Article, rel: Path) -> str:
    return f"{article.path.rsplit('/', 1)[0]}/{rel.as_posix()}"


def _files_below(folder: Path, article: Article, site: Site, report: Report,
                 on_the_way: frozenset[str] = frozenset()) -> list[Path]:
    """The files below an explainer's folder, sorted, but hidden ones and those in hidden folders.
    A link to a folder inside the site is followed, as the page may show an image through it (and
    its fingerprint counts what is there); one to outside is reported and not looked into, and
    one to a folder on the way here is not followed again."""
    on_the_way = on_the_way or frozenset({os.path.realpath(folder)})
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if not path.is_dir():
            found.append(path)
            continue
        if not path.is_symlink():
            found += _files_below(path, article, site, report, on_the_way)
            continue
        real = os.path.realpath(path)  # as fingerprint.files_under follows it, so the fingerprint counts it
        shown = _shown(article, path.relative_to(article.folder))
        if real not in on_the_way and contained(path, site.root, shown, report, what="folder"):
            found += _files_below(path, article, site, report, on_the_way | {real})
    return sorted(found)


def _assets(article: Article, site: Site, report: Report) -> list[Path]:
    """Files beside article.md that the page may use: images, downloads."""
    found = []
    for path in _files_below(article.folder, article, site, report):
        rel = path.relative_to(article.folder)
        if rel.as_posix() in AUTHOR_FILES:
            continue
        shown = _shown(article, rel)
        if not contained(path, site.root, shown, report):
            continue
        problem = generated_name(rel) or _asset_problem(path, rel, site.unsafe_html)
        if problem:
            report.error(shown.encode("utf-8", "backslashreplace").decode(), Pos(), problem)
            continue
        found.append(rel)
    return found
