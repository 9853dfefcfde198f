"""Dates formatted for readers in the page's language (Babel's CLDR data)."""

from __future__ import annotations

from datetime import date

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton

from .models import DateView, PartialDate


def locale_for(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


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
