"""Types the author's text and the resolved page share.

The site's settings, a citation, an image as named in front matter and the
dates as written: loading makes them, and the resolved page keeps them as
they are (a timeline entry keeps its date as written for the editorial checks).
A fact box and a quote card have the same fields before and after resolving:
they are written once here, with what resolving changes as a type parameter
(Fact, Country) or in a class of each model's own (Quote).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from generator.errors import Pos


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

    @property
    def last_day(self) -> tuple[int, int, int]:
        import calendar

        month = self.month or 12
        return (self.year, month, self.day or calendar.monthrange(self.year, month)[1])


@dataclass(frozen=True)
class EventDate:
    """A timeline date with its honest precision: exact, circa, before, after, or a range."""

    start: PartialDate
    end: PartialDate | None = None  # the last date of a range
    qualifier: str = ""  # "", "circa", "before" or "after"

    @property
    def iso(self) -> str:
        return self.start.iso

    @property
    def sort_key(self) -> tuple[int, int, int, int]:
        # "before X" sorts just ahead of X, "after X" after everything within X.
        if self.qualifier == "after":
            return (*self.start.last_day, 1)
        return (*self.start.sort_key, -1 if self.qualifier == "before" else 0)


@dataclass(frozen=True)
class Source:
    """Where an article, entry, fact box, fact or quote comes from: a citation."""

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
    share_pages: bool = True  # a page and a PNG per quote card and timeline entry
    search: bool = True  # a Pagefind index
    embeds: bool = True  # an embeddable page and oEmbed response per timeline, fact box, quote card and entry
    stale_after_days: int = 365  # `check` flags facts whose as_of is older
    # Where base_url is written in site.yaml (None: not written), for the warning that it is not absolute.
    base_url_pos: Pos | None = field(default=None, compare=False, repr=False)


D = TypeVar("D")  # a date: as written (PartialDate), then formatted for the page (model.page.DateView)
T = TypeVar("T", bound=str)  # a text: the author's Markdown (str), then sanitized HTML (markupsafe.Markup)
F = TypeVar("F")  # a fact box's lines: model.source.Fact, then model.page.Fact


@dataclass(frozen=True)
class Fact(Generic[D]):
    """One line of a fact box: its date as written, then formatted for the page."""

    label: str
    value: str
    as_of: D | None = None
    source: Source | None = None
    where: dict[str, Pos] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class Country(Generic[T, F]):
    """A country fact box: its summary as Markdown, then as HTML; its facts likewise."""

    id: str
    code: str
    name: str
    summary: T
    aliases: list[str] = field(default_factory=list)
    facts: list[F] = field(default_factory=list)
    source: Source | None = None
    where: dict[str, Pos] = field(default_factory=dict)


@dataclass
class QuoteFields:
    """What a quote card holds as written in quotes.yaml; the page's card (model.page.Quote) adds its place."""

    id: str
    speaker: str
    text: str
    role: str = ""
    anchor: str = ""
    source: Source | None = None
    where: dict[str, Pos] = field(default_factory=dict)
    after: str = ""  # a phrase of the paragraph the author wants the card after
