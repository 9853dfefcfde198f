"""Dates formatted for readers in the page's language (Babel's CLDR data)."""

from __future__ import annotations

import functools
import re
from datetime import date

from babel import Locale
from babel.dates import format_date, format_skeleton, parse_pattern

from .errors import quote
from .locales import locale_for
from .models import DatePart, DateView, EventDate, PartialDate
from .schema import Scalar, date_hint, parse_partial_date


@functools.lru_cache(maxsize=4096)  # Babel's formatting is slow, and an archive repeats its dates
def view(value: PartialDate, locale: Locale) -> DateView:
    """A date at the precision it was written: "2022", "September 2022", "September 21, 2022"."""
    day = date(value.year, value.month or 1, value.day or 1)
    if value.day:
        display = format_date(day, "long", locale=locale)
        short = format_date(day, "medium", locale=locale)
    elif value.month:
        display = format_skeleton("yMMMM", day, locale=locale)
        short = format_skeleton("yMMM", day, locale=locale)
    else:
        display = short = str(value.year)
    return DateView(iso=value.iso, display=display, short=short)


# Month names as articles write them (English, and Russian in both cases), for reading dates in text.
MONTHS = {name: n for n, names in enumerate([
    ("january", "jan", "января", "январь"), ("february", "feb", "февраля", "февраль"),
    ("march", "mar", "марта", "март"), ("april", "apr", "апреля", "апрель"), ("may", "мая", "май"),
    ("june", "jun", "июня", "июнь"), ("july", "jul", "июля", "июль"), ("august", "aug", "августа", "август"),
    ("september", "sep", "sept", "сентября", "сентябрь"), ("october", "oct", "октября", "октябрь"),
    ("november", "nov", "ноября", "ноябрь"), ("december", "dec", "декабря", "декабрь")], start=1)
    for name in names}


# --- timeline dates with their precision ----------------------------------

EVENT_DATE_RE = re.compile(r"(?:(circa|before|after)\s+)?([0-9-]+)(?:\s*/\s*([0-9-]+))?\Z")
EVENT_DATE_HELP = ('write YYYY, YYYY-MM or YYYY-MM-DD, optionally after "circa", "before" or "after", '
                   'or a range START/END')
SEPARATOR = re.compile(r"[\s\u2009\u202f]*[–—-][\s\u2009\u202f]*\Z")

# The words around an uncertain date, by language; "{}" is the date.
QUALIFIERS = {
    "en": {"circa": "about {}", "before": "before {}", "after": "after {}"},
    "ru": {"circa": "около {}", "before": "до {}", "after": "после {}"},
    "de": {"circa": "um {}", "before": "vor {}", "after": "nach {}"},
    "fr": {"circa": "vers {}", "before": "avant {}", "after": "après {}"},
}

# Month-and-year patterns for languages whose month names change after "before", "after", ...
MONTH_AFTER_WORD = {"ru": "MMMM y\u202f'г'."}  # CLDR's own spacing


def parse_event_date(value: str) -> EventDate:
    """ "2022-09-21", "circa 2001", "before 2022-03", "2022-09-21/2022-09-28"."""
    match = EVENT_DATE_RE.match(value.strip())
    if not match:
        raise ValueError(f"invalid date {quote(value)}: {EVENT_DATE_HELP}")
    qualifier, first, last = match.groups()
    start = parse_partial_date(first)
    if last is None:
        return EventDate(start, None, qualifier or "")
    if qualifier:
        raise ValueError(f"invalid date {quote(value)}: a range cannot also be {qualifier}; write START/END alone")
    end = parse_partial_date(last)
    if end.last_day <= start.last_day:
        raise ValueError(f"invalid date {quote(value)}: the range must end after it starts")
    return EventDate(start, end)


EVENT_DATE = Scalar("a date", parse_event_date, date_hint(EVENT_DATE_RE))


def event_view(value: EventDate, locale: Locale | str = "en", display: str = "") -> DateView:
    """A timeline date read naturally at its precision: "about 2001", "September 21 – 28, 2022"."""
    locale = locale_for(locale) if isinstance(locale, str) else locale
    start = view(value.start, locale)
    if value.end is not None:
        return _range_view(value, start, view(value.end, locale), locale, display)
    if not value.qualifier:
        return DateView(start.iso, display or start.display, display or start.short)
    if display:
        return DateView(start.iso, display, display, (DatePart(display, start.iso),))
    before, after = _qualifier(value.qualifier, locale).split("{}")
    shown = start.display
    if value.start.month and not value.start.day and locale.language in MONTH_AFTER_WORD:
        # "до марта", not "до март": after a word the month takes its grammatical case
        shown = format_date(date(value.start.year, value.start.month, 1), MONTH_AFTER_WORD[locale.language], locale=locale)
    parts = tuple(p for p in (DatePart(before), DatePart(shown, start.iso), DatePart(after)) if p.text)
    text = "".join(p.text for p in parts)
    return DateView(start.iso, text, before + start.short + after, parts)


def _qualifier(kind: str, locale: Locale) -> str:
    return QUALIFIERS.get(locale.language, QUALIFIERS["en"])[kind]


def _range_view(value: EventDate, start: DateView, end: DateView, locale: Locale, display: str) -> DateView:
    if display:
        parts = (DatePart(display, start.iso), DatePart(" – ", hidden=True), DatePart(end.display, end.iso, hidden=True))
        return DateView(start.iso, display, display, parts, end.iso)
    first, second = _interval_texts(value.start, value.end, locale) or (start.display, end.display)
    sep = SEPARATOR.search(first)
    gap = sep.group(0) if sep else " – "
    first = first[: sep.start()] if sep else first
    parts = (DatePart(first, start.iso), DatePart(gap), DatePart(second, end.iso))
    text = "".join(p.text for p in parts)
    return DateView(start.iso, text, text, parts, end.iso)


def _interval_texts(a: PartialDate, b: PartialDate, locale: Locale) -> tuple[str, str] | None:
    """CLDR's interval patterns ("21–28 September 2022"), split into the start's and the end's text."""
    precision = (a.month is not None) + (a.day is not None)
    if precision != (b.month is not None) + (b.day is not None):
        return None  # mixed precision: each end is written in full
    skeleton = ("y", "yMMM", "yMMMd")[precision]
    greatest = "y" if a.year != b.year else "M" if a.month != b.month else "d"
    patterns = locale.interval_formats.get(skeleton, {}).get(greatest)
    if not patterns or len(patterns) != 2:
        return None
    days = [date(*d.sort_key) for d in (a, b)]
    # The abbreviated pattern with full month names, as the other dates are written.
    long = [re.sub(r"(?<![ML])(MMM|LLL)(?![ML])", r"\g<1>M", p).replace("LLLM", "LLLL") for p in patterns]
    return tuple(parse_pattern(p).apply(d, locale) for p, d in zip(long, days))
