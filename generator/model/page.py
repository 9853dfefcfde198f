"""The resolved explainer: what render/, features/ and build/ read.

resolve/ makes these from the author's objects (model/source.py) as new
objects: text fields hold sanitized HTML (markupsafe.Markup), dates are
formatted for the page language, ids and anchors are settled. The attribute
names are the ones the theme's templates use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from generator.errors import Pos

from . import common
from .common import EventDate, QuoteFields, Source


@dataclass(frozen=True)
class DatePart:
    """A piece of a date's text: a <time> element when `iso` is set, plain text otherwise."""

    text: str
    iso: str = ""
    hidden: bool = False  # read by screen readers only


@dataclass(frozen=True)
class DateView:
    """A date as templates show it, already formatted for the page language."""

    iso: str
    display: str
    short: str
    parts: tuple[DatePart, ...] = ()  # set when one <time> element cannot say it: circa, ranges, ...
    end: str = ""  # a range's last date, for machines


@dataclass(frozen=True)
class Correction:
    """A correction note with its date formatted for the page."""

    date: DateView
    text: str


@dataclass
class Event:
    """A timeline entry on the page."""

    id: str
    date: DateView  # formatted for the page, in the author's own wording when given
    written: EventDate  # the date as the author wrote it, for the editorial checks
    title: str
    body: Markup = field(default_factory=Markup)
    anchor: str = ""
    source: Source | None = None
    where: dict[str, Pos] = field(default_factory=dict)
    anchor_id: str | None = None  # the paragraph the anchor matched
    location: str = ""  # where it took place, as the author names it ("" when not given)


class Fact(common.Fact[DateView]):
    """One line of a fact box on the page."""


class Country(common.Country[Markup, Fact]):
    """A country fact box on the page, its summary as HTML."""


@dataclass
class Quote(QuoteFields):
    """A quote card, placed."""

    anchor_id: str | None = None  # the paragraph the anchor matched
    beside: bool = False  # set beside its own passage, the article being too short to set it apart


@dataclass
class Block:
    """One top-level element of the article body, ready for a template."""

    tag: str | None  # None for raw HTML, rendered as `inner` alone
    id: str | None
    inner: Markup
    text: str = ""  # plain text, for matching anchors
    attrs: dict[str, str] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)  # first mentioned here: their margin notes


@dataclass
class ImageView:
    src: str
    alt: str
    caption: str
    credit: str
    width: int = 0  # pixels, from the file; 0 when unknown (a remote image)
    height: int = 0


@dataclass(frozen=True)
class Translation:
    """A link from one explainer to a version of it in another language."""

    lang: str
    name: str  # the language's name in that language: "русский"
    title: str
    slug: str
    url: str  # absolute (under base_url), for <link rel="alternate">


@dataclass
class Explainer:
    """Everything one explainer page shows, resolved and formatted."""

    slug: str
    title: str
    dek: str
    byline: str
    date: DateView
    updated: DateView | None
    tags: list[str]
    draft: bool
    source: Source | None
    image: ImageView | None
    blocks: list[Block]
    timeline: list[Event]
    countries: list[Country]
    quotes: list[Quote]
    folder: Path
    sort_key: tuple = ()
    assets: list[Path] = field(default_factory=list)  # files copied beside the page, relative to folder
    paths: dict[str, str] = field(default_factory=dict)  # "article", "timeline", ... -> path for messages
    corrections: list[Correction] = field(default_factory=list)
    language: str = "en"
    translations: list[Translation] = field(default_factory=list)  # this explainer included

    @property
    def modified(self) -> DateView:
        """The latest of publication, update and corrections: what dateModified says."""
        dates = [self.date, *([self.updated] if self.updated else []), *(c.date for c in self.corrections)]
        return max(dates, key=lambda d: d.iso)

    @property
    def loose_quotes(self) -> list[Quote]:
        return [q for q in self.quotes if not (q.anchor or q.after)]
