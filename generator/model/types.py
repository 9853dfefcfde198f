"""The plain data that flows from one build stage to the next.

Loading produces Site, Article and Annotations; resolving turns an article
and its annotations into an Explainer, the object the templates see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
class Source:
    name: str
    url: str = ""


@dataclass(frozen=True)
class Correction:
    """A dated correction note; `date` is a PartialDate until resolved, then a DateView."""

    date: PartialDate | DateView
    text: str


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
    """A timeline entry.

    Once resolved, `body` holds HTML instead of Markdown and `date` a DateView
    formatted for the page instead of the PartialDate the author wrote.
    """

    id: str
    date: EventDate | DateView
    title: str
    body: str = ""
    anchor: str = ""
    source: Source | None = None
    where: dict[str, Pos] = field(default_factory=dict)
    anchor_id: str | None = None  # the paragraph the anchor matched
    display: str = ""  # the author's own wording of the date
    written: EventDate | None = None  # the date as written, kept for checks once `date` is a view
    location: str = ""  # where it took place, as the author names it ("" when not given)


@dataclass(frozen=True)
class Fact:
    """One line of a fact box; `as_of` is a PartialDate until resolved, then a DateView."""

    label: str
    value: str
    as_of: PartialDate | DateView | None = None
    source: Source | None = None
    where: dict[str, Pos] = field(default_factory=dict, compare=False, hash=False)


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
    after: str = ""  # a phrase of the paragraph the author wants the card after
    beside: bool = False  # set beside its own passage, the article being too short to set it apart


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
    countries: list[Country] = field(default_factory=list)  # first mentioned here: their margin notes


@dataclass
class ImageView:
    src: str
    alt: str
    caption: str
    credit: str
    width: int = 0  # pixels, from the file; 0 when unknown (a remote image)
    height: int = 0


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

    @property
    def modified(self) -> DateView:
        """The latest of publication, update and corrections: what dateModified says."""
        dates = [self.date, *([self.updated] if self.updated else []), *(as_view(c.date) for c in self.corrections)]
        return max(dates, key=lambda d: d.iso)
    language: str = "en"
    translations: list = field(default_factory=list)  # i18n.Translation, this explainer included

    @property
    def loose_quotes(self) -> list[Quote]:
        return [q for q in self.quotes if not (q.anchor or q.after)]


# The dates of Event, Fact and Correction are as written until resolve() formats them for the
# page: these say which of the two a step has, and stop at once where it has the other.

def as_written(date: EventDate | DateView) -> EventDate:
    """A timeline entry's date as loaded, before resolve()."""
    if not isinstance(date, EventDate):
        raise TypeError(f"a timeline date already formatted: {date!r}")
    return date


def as_view(date: PartialDate | EventDate | DateView) -> DateView:
    """A date formatted by resolve()."""
    if not isinstance(date, DateView):
        raise TypeError(f"a date not formatted yet: {date!r}")
    return date
