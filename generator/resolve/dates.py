"""Dates formatted for readers in the page's language (Babel's CLDR data)."""

from __future__ import annotations

import functools
import re
from datetime import date
from gettext import NullTranslations

from babel import Locale
from babel.dates import format_date, format_skeleton, parse_pattern

from generator.errors import quote
from generator.model.common import EventDate, PartialDate
from generator.model.page import DatePart, DateView
from generator.render.locales import locale_for
from generator.validate.schema import Scalar, date_hint, parse_partial_date


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

def N_(message: str) -> str:
    """Marks a message for pybabel's extraction (babel.cfg); it is translated where it is used."""
    return message


# The words around an uncertain date, in the theme's catalogues (i18n.py) like its other words.
QUALIFIERS = {
    # Translators: an uncertain date, "about 2001"
    "circa": N_("about %(date)s"),
    # Translators: "before March 2022"
    "before": N_("before %(date)s"),
    # Translators: "after 21 September 2022"
    "after": N_("after %(date)s"),
}
DATE = "%(date)s"
MONTH_AND_YEAR = "MMMM y"  # the message below, untranslated: the month written as in other dates


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


def event_view(value: EventDate, locale: Locale | str = "en", display: str = "",
               words: NullTranslations | None = None) -> DateView:
    """A timeline date read naturally at its precision: "about 2001", "September 21 – 28, 2022".

    `words` are the page language's catalogues (i18n.Languages); the theme's alone when not given.
    """
    locale = locale_for(locale) if isinstance(locale, str) else locale
    start = view(value.start, locale)
    if value.end is not None:
        return _range_view(value.start, value.end, start, view(value.end, locale), locale, display)
    if not value.qualifier:
        return DateView(start.iso, display or start.display, display or start.short)
    if display:
        return DateView(start.iso, display, display, (DatePart(display, start.iso),))
    if words is None:
        from generator.render.i18n import theme_languages

        words = theme_languages().ui(str(locale)).catalogue
    before, after = _around(words.gettext(QUALIFIERS[value.qualifier]), QUALIFIERS[value.qualifier])
    shown = start.display
    if value.start.month and not value.start.day:
        # Translators: the CLDR pattern of a month and year after a word
        # ("before March 2022"). Translate it only where the month's form
        # changes there: Russian "MMMM y 'г'." (a narrow no-break space,
        # U+202F, before г) writes "до марта 2022 г.", not "до март 2022 г.".
        pattern = words.pgettext("date pattern", "MMMM y")
        if pattern != MONTH_AND_YEAR:
            shown = _month(value.start.year, value.start.month, pattern, locale) or shown
    parts = tuple(p for p in (DatePart(before), DatePart(shown, start.iso), DatePart(after)) if p.text)
    text = "".join(p.text for p in parts)
    return DateView(start.iso, text, before + start.short + after, parts)


def _around(text: str, english: str) -> tuple[str, str]:
    """The words before and after the date; English when a translation leaves the date out."""
    if text.count(DATE) != 1:
        text = english
    before, after = text.split(DATE)
    return before.replace("%%", "%"), after.replace("%%", "%")


def _month(year: int, month: int, pattern: str, locale: Locale) -> str:
    try:
        return format_date(date(year, month, 1), pattern, locale=locale)
    except ValueError:  # not a pattern Babel reads: the month as in other dates
        return ""


def _range_view(first_day: PartialDate, last_day: PartialDate, start: DateView, end: DateView, locale: Locale,
                display: str) -> DateView:
    if display:
        parts = (DatePart(display, start.iso), DatePart(" – ", hidden=True), DatePart(end.display, end.iso, hidden=True))
        return DateView(start.iso, display, display, parts, end.iso)
    first, second = _interval_texts(first_day, last_day, locale) or (start.display, end.display)
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
    first, second = (parse_pattern(p).apply(d, locale) for p, d in zip(long, days))
    return first, second
