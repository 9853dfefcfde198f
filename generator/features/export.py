"""The annotations as JSON, for apps and newsletters that reuse them.

`<slug>/annotations.json` holds one explainer's timeline, fact boxes and
quote cards; the site-wide `annotations.json` holds every explainer's. The
shape is documented by docs/annotations.schema.json; `VERSION` changes when
a field is removed or changes meaning, never when one is added.
"""

from __future__ import annotations

import json

from generator.model.common import Site, Source
from generator.model.page import Country, Event, Explainer, Quote
from generator.render import paths
from generator.render.meta import absolute, plain

VERSION = 1


def explainer_file(site: Site, e: Explainer) -> bytes:
    """`<slug>/annotations.json`."""
    return _dump({"version": VERSION, **_site(site), "explainer": explainer_document(site, e)})


def site_file(site: Site, files: list[bytes]) -> bytes:
    """The site-wide `annotations.json`, from each explainer's own file, newest first.

    Each explainer's document is cut out of its file as written, not made
    again: a rebuild after one edit then needs no other explainer loaded.
    """
    own = _dump({"version": VERSION, **_site(site), "explainer": None})
    head = own[:-len(b"null}\n")]
    whole = _dump({"version": VERSION, **_site(site), "explainers": []})
    # Joined once from views of the files: a large site's JSON is tens of MB, and each copy counts.
    pieces: list[bytes | memoryview] = [whole[:-len(b"[]}\n")], b"["]
    for n, data in enumerate(files):
        if not (data.startswith(head) and data.endswith(b"}\n")):
            raise ValueError("an explainer's annotations.json is not as this version writes it")
        if n:
            pieces.append(b",")
        pieces.append(memoryview(data)[len(head):-2])
    return b"".join([*pieces, b"]}\n"])


def explainer_document(site: Site, e: Explainer) -> dict:
    page = absolute(site, paths.explainer(e.slug))
    return {
        "slug": e.slug,
        "title": e.title,
        "url": page,
        "language": e.language,
        "published": e.date.iso,
        "modified": (e.updated or e.date).iso,
        "source": _source(e.source),
        "timeline": [{**_event(event, page), **_share(site, e, event.id)} for event in e.timeline],
        "countries": [{**_country(country, page), "country_page": absolute(site, paths.hub(country.code))}
                      for country in e.countries],
        "quotes": [{**_quote(q, page), **_share(site, e, q.id)} for q in e.quotes],
    }


def _site(site: Site) -> dict:
    return {"site": {"title": site.title, "url": absolute(site, ""), "language": site.language}}


def _event(event: Event, page: str) -> dict:
    return _item(event, page, date=event.date.iso, date_text=event.date.display, title=event.title,
                 location=event.location or None, body_html=str(event.body),
                 body_text=plain(event.body, spaced=False), passage=_passage(event.anchor_id, page))


def _country(country: Country, page: str) -> dict:
    return _item(country, page, code=country.code, name=country.name, aliases=list(country.aliases),
                 summary_html=str(country.summary), summary_text=plain(country.summary, spaced=False),
                 facts=[{"label": f.label, "value": f.value} for f in country.facts])


def _quote(q: Quote, page: str) -> dict:
    return _item(q, page, speaker=q.speaker, role=q.role, text=q.text, passage=_passage(q.anchor_id, page))


def _item(item: Event | Country | Quote, page: str, **fields) -> dict:
    """A timeline entry's, fact box's or quote card's fields, between its id and link and its source."""
    return {"id": item.id, "permalink": f"{page}#{item.id}", **fields, "source": _source(item.source)}


def _share(site: Site, e: Explainer, item_id: str) -> dict:
    return {"share_page": absolute(site, paths.share(e.slug, item_id)),
            "share_image": absolute(site, paths.share_image(e.slug, item_id))}


def _passage(anchor_id: str | None, page: str) -> str | None:
    return f"{page}#{anchor_id}" if anchor_id else None


def _source(source: Source | None) -> dict | None:
    return {"name": source.name, "url": source.url} if source else None


def _dump(data: dict) -> bytes:
    # Fixed key order: the same input gives the same bytes. Compact, for json's C encoder
    # (indentation falls back to the pure-Python one, several times slower at site scale).
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
