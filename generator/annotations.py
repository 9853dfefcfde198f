"""Loading an explainer's timeline.yaml, countries.yaml and quotes.yaml.

Each file kind has one declarative schema; loading checks the file against
it and turns the entries into plain dataclasses with stable ids.
"""

from __future__ import annotations

from pathlib import Path

from .content import to_source
from .dates import EVENT_DATE
from .errors import Pos, Report, quote
from .ids import IdMaker, slugify
from .models import Annotations, Country, Event, Fact, Quote
from .schema import (COUNTRY_CODE, DATE, SLUG, SOURCE, TEXT, TEXTS, Ctx, Entry, Field, ListOf, Record,
                     check_document, compose)
from .sources import is_inside, read_text, relpath

TIMELINE = ListOf(Record("a timeline entry", {
    "date": Field(EVENT_DATE, required=True),
    "display": Field(TEXT),
    "title": Field(TEXT, required=True),
    "body": Field(TEXT),
    "anchor": Field(TEXT),
    "source": Field(SOURCE),
    "id": Field(SLUG),
}))

FACT = Record("a fact", {
    "label": Field(TEXT, required=True),
    "value": Field(TEXT, required=True),
    "as_of": Field(DATE),
    "source": Field(SOURCE),
})

COUNTRIES = ListOf(Record("a fact box", {
    "code": Field(COUNTRY_CODE, required=True),
    "name": Field(TEXT, required=True),
    "aliases": Field(TEXTS),
    "summary": Field(TEXT),
    "facts": Field(ListOf(FACT)),
    "source": Field(SOURCE),
}))

QUOTES = ListOf(Record("a quote card", {
    "speaker": Field(TEXT, required=True),
    "role": Field(TEXT),
    "text": Field(TEXT, required=True),
    "anchor": Field(TEXT),
    "source": Field(SOURCE),
    "id": Field(SLUG),
}))

SCHEMAS = {"timeline": TIMELINE, "countries": COUNTRIES, "quotes": QUOTES}


def load_annotations(folder: Path, root: Path, report: Report) -> Annotations:
    """Reads whichever annotation files the explainer folder has."""
    annotations = Annotations()
    ids = IdMaker()
    for kind, schema in SCHEMAS.items():
        path = folder / f"{kind}.yaml"
        if not path.is_file():
            continue
        shown = relpath(path, root)
        annotations.paths[kind] = shown
        entries = _load_file(path, shown, root, schema, report)
        if kind == "timeline":
            annotations.timeline = [_event(e, ids) for e in entries if _complete(e, "date", "title")]
        elif kind == "countries":
            annotations.countries = _countries(entries, shown, report)
        else:
            annotations.quotes = [_quote(e, ids) for e in entries if _complete(e, "speaker", "text")]
    return annotations


def _load_file(path: Path, shown: str, root: Path, schema: ListOf, report: Report) -> list[Entry]:
    if not is_inside(path, root):
        report.error(shown, Pos(), "this file is a link to outside the site")
        return []
    text = read_text(path, shown, report)
    if text is None:
        return []
    if not text.strip():
        report.error(shown, Pos(), "the file is empty: write a list of entries or delete the file")
        return []
    entries = check_document(compose(text, shown, report), schema, Ctx(shown, report))
    return entries or []


def _complete(entry: Entry, *keys: str) -> bool:
    return all(k in entry.values for k in keys)


def _event(entry: Entry, ids: IdMaker) -> Event:
    date = entry.values["date"]
    title = entry.values["title"]
    wanted = entry.get("id") or f"t-{date.iso}-{slugify(title, words=4)}"
    return Event(
        id=ids.claim(wanted),
        date=date,
        title=title,
        body=entry.get("body", ""),
        anchor=entry.get("anchor", ""),
        source=to_source(entry.get("source")),
        where=dict(entry.where, _at=entry.at),
        display=entry.get("display", ""),
    )


def _quote(entry: Entry, ids: IdMaker) -> Quote:
    speaker = entry.values["speaker"]
    text = entry.values["text"]
    surname = speaker.split()[-1] if speaker.split() else "quote"
    wanted = entry.get("id") or f"q-{slugify(surname, words=1)}-{slugify(text, words=4)}"
    return Quote(
        id=ids.claim(wanted),
        speaker=speaker,
        text=text,
        role=entry.get("role", ""),
        anchor=entry.get("anchor", ""),
        source=to_source(entry.get("source")),
        where=dict(entry.where, _at=entry.at),
    )


def _countries(entries: list[Entry], shown: str, report: Report) -> list[Country]:
    countries: list[Country] = []
    seen: set[str] = set()
    for entry in entries:
        if not _complete(entry, "code", "name"):
            continue
        code = entry.values["code"]
        if code in seen:
            report.error(shown, entry.pos("code"), f"duplicate country code {quote(code)}: each country gets one fact box")
            continue
        seen.add(code)
        countries.append(Country(
            id=f"country-{code.lower()}",
            code=code,
            name=entry.values["name"],
            aliases=entry.get("aliases", []),
            summary=entry.get("summary", ""),
            facts=[_fact(f) for f in entry.get("facts", []) if _complete(f, "label", "value")],
            source=to_source(entry.get("source")),
            where=dict(entry.where, _at=entry.at),
        ))
    return countries


def _fact(entry: Entry) -> Fact:
    return Fact(entry.values["label"], entry.values["value"], entry.get("as_of"), to_source(entry.get("source")),
                dict(entry.where, _at=entry.at))
