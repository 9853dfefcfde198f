"""Loading an explainer's timeline.yaml, countries.yaml and quotes.yaml.

Each file kind has one declarative schema; loading checks the file against
it and turns the entries into plain dataclasses with stable ids.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from generator.errors import Pos, Report, quote
from generator.model.common import Source
from generator.model.source import Annotations, Country, Event, Fact, Quote
from generator.resolve.dates import EVENT_DATE
from generator.resolve.ids import IdMaker, slugify
from generator.validate.limits import MAX_YAML_BYTES
from generator.validate.nodes import compose
from generator.validate.schema import (
    COUNTRY_CODE,
    DATE,
    MARKDOWN,
    NONEMPTY_TEXT,
    SLUG,
    SOURCE,
    TEXT,
    TEXTS,
    Ctx,
    Entry,
    Field,
    ListOf,
    Record,
    check_document,
    country_codes,
)

from .content import folder_view, to_source
from .files import contained, read_text, relpath

# The last fields of timeline entries and quote cards, which have share and embed pages: the
# source, and the id that names those pages (made from the entry when left out).
SOURCE_AND_ID = {"source": Field(SOURCE), "id": Field(SLUG)}

TIMELINE = ListOf(Record("a timeline entry", {
    "date": Field(EVENT_DATE, required=True),
    "display": Field(TEXT),
    "title": Field(NONEMPTY_TEXT, required=True),
    "body": Field(MARKDOWN),
    "anchor": Field(TEXT),
    "location": Field(NONEMPTY_TEXT),
    **SOURCE_AND_ID,
}))

FACT = Record("a fact", {
    "label": Field(NONEMPTY_TEXT, required=True),
    "value": Field(NONEMPTY_TEXT, required=True),
    "as_of": Field(DATE),
    "source": Field(SOURCE),
})

COUNTRIES = ListOf(Record("a fact box", {
    "code": Field(COUNTRY_CODE, required=True),
    "name": Field(NONEMPTY_TEXT, required=True),
    "aliases": Field(TEXTS),
    "summary": Field(MARKDOWN),
    "facts": Field(ListOf(FACT)),
    "source": Field(SOURCE),
}))

QUOTES = ListOf(Record("a quote card", {
    "speaker": Field(NONEMPTY_TEXT, required=True),
    "role": Field(TEXT),
    "text": Field(NONEMPTY_TEXT, required=True),
    "anchor": Field(TEXT),
    "after": Field(TEXT),
    **SOURCE_AND_ID,
}))

SCHEMAS = {"timeline": TIMELINE, "countries": COUNTRIES, "quotes": QUOTES}


FILES = tuple((kind, f"{kind}.yaml", schema) for kind, schema in SCHEMAS.items())


def load_annotations(folder: Path, root: Path, report: Report) -> Annotations:
    """Reads whichever annotation files the explainer folder has."""
    annotations = Annotations()
    ids = IdMaker()
    # Quote and entry ids name folders beside the timeline's and each fact box's embed
    # (embed/timeline/, embed/country-xx/), and the fact boxes' own ids on the page.
    ids.taken.update(["timeline", *(f"country-{code.lower()}" for code in country_codes())])
    prefix: str | None = ""
    plain = None  # not looked at yet: see folder_view
    for kind, name, schema in FILES:
        path = folder / name
        regular = _is_regular_file(path)  # a file that is no link: one look for both questions
        if not (regular or path.is_file()):
            continue
        if plain is None:
            prefix, plain = folder_view(folder, root)
        shown = relpath(path, root) if prefix is None else prefix + name
        annotations.paths[kind] = shown
        # Known inside, without a walk, for a file in a plain folder that is no link itself
        inside = contained(path, root, shown, report, inside=(plain and regular) or None)
        entries = _load_file(path, shown, inside, schema, report)
        if kind == "timeline":
            annotations.timeline = [_event(e.values, e, ids) for e in entries
                                    if "date" in e.values and "title" in e.values]
        elif kind == "countries":
            annotations.countries = _countries(entries, shown, report)
        else:
            annotations.quotes = [_quote(e.values, e, ids) for e in entries
                                  if "speaker" in e.values and "text" in e.values]
    return annotations


def _is_regular_file(path: Path) -> bool:
    """True for a regular file that is not a link (then Path.is_file is True and os.path.islink False)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False


def _load_file(path: Path, shown: str, inside: bool, schema: ListOf, report: Report) -> list[Entry]:
    if not inside:
        return []
    text = read_text(path, shown, report, limit=MAX_YAML_BYTES)
    if text is None:
        return []
    if not text or text.isspace():  # blank; tells without copying the text
        report.error(shown, Pos(), "the file is empty: write a list of entries or delete the file")
        return []
    entries = check_document(compose(text, shown, report), schema, Ctx(shown, report))
    return entries or []


def _where(entry: Entry) -> dict[str, Pos]:
    """Where each field was written and, as "_at", the entry itself: the entry's own dict, used once."""
    where = entry.where
    where["_at"] = entry.at
    return where


def _source(values: dict) -> Source | None:
    source = values.get("source")
    return None if source is None else to_source(source)


def _event(values: dict, entry: Entry, ids: IdMaker) -> Event:
    date = values["date"]
    title = values["title"]
    wanted = values.get("id") or f"t-{date.iso}-{slugify(title, words=4)}"
    return Event(date=date, title=title, **_texts(values, "body", "display", "location"),
                 **_shared(values, entry, ids, wanted))


def _quote(values: dict, entry: Entry, ids: IdMaker) -> Quote:
    speaker = values["speaker"]
    text = values["text"]
    words = speaker.split()
    surname = words[-1] if words else "quote"
    wanted = values.get("id") or f"q-{slugify(surname, words=1)}-{slugify(text, words=4)}"
    return Quote(speaker=speaker, text=text, **_texts(values, "role", "after"), **_shared(values, entry, ids, wanted))


def _texts(values: dict, *keys: str) -> dict[str, Any]:
    """Optional texts of an entry, "" when left out."""
    return {key: values.get(key, "") for key in keys}


def _shared(values: dict, entry: Entry, ids: IdMaker, wanted: str) -> dict[str, Any]:
    """What timeline entries and quote cards both have: the id claimed as `wanted`, the
    anchor, the source, and where each field was written."""
    return {"id": ids.claim(wanted, given="id" in values), "anchor": values.get("anchor", ""),
            "source": _source(values), "where": _where(entry)}


def _countries(entries: list[Entry], shown: str, report: Report) -> list[Country]:
    countries: list[Country] = []
    seen: set[str] = set()
    for entry in entries:
        values = entry.values
        if "code" not in values or "name" not in values:
            continue
        code = values["code"]
        if code in seen:
            report.error(shown, entry.pos("code"), f"duplicate country code {quote(code)}: each country gets one fact box")
            continue
        seen.add(code)
        countries.append(Country(
            id=f"country-{code.lower()}",
            code=code,
            name=values["name"],
            aliases=values.get("aliases", []),
            summary=values.get("summary", ""),
            facts=[_fact(f.values, f) for f in values.get("facts", []) if "label" in f.values and "value" in f.values],
            source=_source(values),
            where=_where(entry),
        ))
    return countries


def _fact(values: dict, entry: Entry) -> Fact:
    return Fact(values["label"], values["value"], values.get("as_of"), _source(values), _where(entry))
