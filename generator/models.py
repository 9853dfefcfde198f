"""The plain data that flows from one build stage to the next.

Loading produces Site, Article and Annotations; resolving turns an article
and its annotations into an Explainer, the object the templates see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Pos


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        """The value for <time datetime>, at the precision the author gave."""
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        # A partial date sorts as its first day.
        return (self.year, self.month or 1, self.day or 1)


@dataclass(frozen=True)
class DateView:
    """A date as templates show it, already formatted for the page language."""

    iso: str
    display: str
    short: str


@dataclass(frozen=True)
class Source:
    name: str
    url: str = ""


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True)
class Site:
    root: Path
    title: str
    base_url: str = "/"
    language: str = "en"
    description: str = ""
    unsafe_html: bool = True


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
    language: str = ""  # empty: the site's language
    translation_of: str = ""  # slug of the explainer this one translates


@dataclass
class Event:
    """A timeline entry.

    Once resolved, `body` holds HTML instead of Markdown and `date` a DateView
    formatted for the page instead of the PartialDate the author wrote.
    """

    id: str
    date: PartialDate | DateView
    title: str
    body: str = ""
    anchor: str = ""
    source: Source | None = None
    where: dict[str, Pos] = field(default_factory=dict)
    anchor_id: str | None = None  # the paragraph the anchor matched


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass
class Country:
    """A country fact box. `summary` is Markdown until resolved, then HTML."""

    id: str
    code: str
    name: str
    aliases: list[str] = field(default_factory=list)
    summary: str = ""
    facts: list[Fact] = field(default_factory=list)
    source: Source | None = None
    where: dict[str, Pos] = field(default_factory=dict)


@dataclass
class Quote:
    id: str
    speaker: str
    text: str
    role: str = ""
    anchor: str = ""
    source: Source | None = None
    where: dict[str, Pos] = field(default_factory=dict)
    anchor_id: str | None = None


@dataclass
class Annotations:
    """The three optional annotation files of one explainer."""

    timeline: list[Event] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)  # kind -> path for messages


@dataclass
class Block:
    """One top-level element of the article body, ready for a template."""

    tag: str | None  # None for raw HTML, rendered as `inner` alone
    id: str | None
    inner: str  # HTML
    text: str = ""  # plain text, for matching anchors
    attrs: dict[str, str] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class ImageView:
    src: str
    alt: str
    caption: str
    credit: str


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
    language: str = "en"
    translations: list = field(default_factory=list)  # i18n.Translation, this explainer included

    @property
    def loose_quotes(self) -> list[Quote]:
        return [q for q in self.quotes if not q.anchor]
