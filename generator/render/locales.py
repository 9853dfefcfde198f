"""Babel's locale for a language tag, as site.yaml and front matter write it (en, pt-BR, sr-Latn)."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError


def parse_locale(language: str) -> Locale | None:
    """The tag's locale; None when CLDR has none for it."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def locale_for(language: str) -> Locale:
    """The tag's locale, or English's when CLDR has none for it."""
    return parse_locale(language) or Locale.parse("en")
