"""What the author wrote: an article and its annotations, as loaded and checked.

load/ makes these and validate/ checks them; text fields hold the author's
Markdown and dates are as written. resolve/ reads them and makes the page's
own objects (model/page.py); nothing here is changed into HTML in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Pos

from . import common
from .common import EventDate, Image, PartialDate, QuoteFields, Source


@dataclass(frozen=True)
class Correction:
    """A dated correction note in the article's front matter."""

    date: PartialDate
    text: str


@dataclass
class Article:
    """One explainer's article.md, as written."""

    slug: str
    folder: Path  # absolute
    path: str  # article.md relative to the site, for messages
    title: str
    date: PartialDate
    body: str  # Markdown
    body_line: int  # line of article.md where the body starts
    dek: str = ""
    byline: str = ""
    updated: PartialDate | None = None
    tags: list[str] = field(default_factory=list)
    draft: bool = False
    source: Source | None = None
    image: Image | None = None
    where: dict[str, Pos] = field(default_factory=dict)
    corrections: list[Correction] = field(default_factory=list)
    language: str = ""  # empty: the site's language
    translation_of: str = ""  # slug of the explainer this one translates


@dataclass
class Event:
    """A timeline entry as written in timeline.yaml."""

    id: str
    date: EventDate
    title: str
    body: str = ""  # Markdown
    anchor: str = ""
    source: Source | None = None
    where: dict[str, Pos] = field(default_factory=dict)
    display: str = ""  # the author's own wording of the date
    location: str = ""  # where it took place, as the author names it ("" when not given)


class Fact(common.Fact[PartialDate]):
    """One line of a fact box as written in countries.yaml."""


class Country(common.Country[str, Fact]):
    """A country fact box as written in countries.yaml, its summary in Markdown."""


@dataclass
class Quote(QuoteFields):
    """A quote card as written in quotes.yaml."""


@dataclass
class Annotations:
    """The three optional annotation files of one explainer."""

    timeline: list[Event] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)  # kind -> path for messages
