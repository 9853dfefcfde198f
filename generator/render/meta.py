"""What machines read about a page: canonical URLs, social cards, JSON-LD.

The data is built here as plain dicts and strings; templates print it with
`tojson` (which escapes <, > and &) so no title can end a <script> block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

from generator.features.images.cards import DRAWN, PHOTO, SIZE, CardText, explainer_card_name, lead_photo
from generator.model.common import Site
from generator.model.page import Explainer

from . import paths

TAG = re.compile(r"<[^>]+>")
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|dd|dt|tr)>|<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class PageMeta:
    title: str  # the <title> text
    description: str
    canonical: str  # absolute when base_url is absolute
    kind: str = "website"  # og:type
    image: str = ""  # absolute URL of the share image, or ""
    image_alt: str = ""
    image_type: str = ""  # its media type, when known (og:image:type)
    image_size: tuple[int, int] | None = None  # its width and height in pixels, when known
    published: str = ""
    modified: str = ""
    jsonld: dict = field(default_factory=dict)


def absolute(site: Site, path: str) -> str:
    """A URL under the site's base_url; stays as written when already absolute."""
    if "://" in path:
        return path
    return site.base_url + path.lstrip("/")


def index_meta(site: Site) -> PageMeta:
    return PageMeta(
        title=site.title,
        description=site.description,
        canonical=absolute(site, ""),
        **site_card_meta(site),
        jsonld={"@context": "https://schema.org", "@type": "WebSite", "name": site.title,
                "url": absolute(site, ""), "inLanguage": site.language},
    )


def card_meta(site: Site, name: str, alt: str) -> dict:
    """The og:image fields of a page card (cards.py): always 1200 × 630, PNG or JPEG by name."""
    return {"image": absolute(site, name), "image_alt": alt, "image_size": SIZE,
            "image_type": "image/jpeg" if name.endswith(PHOTO) else "image/png"}


def site_text(site: Site, kicker: str = "") -> CardText:
    """The card of the index and the not-found page; `kicker`, "Explainers" in the site's
    language, is drawn on the card (its alt text leaves it out)."""
    from .i18n import direction  # i18n reads this module's absolute()

    return CardText(kicker, site.title, site.description, site.title, address(absolute(site, "")),
                    direction(site.language) == "rtl")


def site_card_meta(site: Site) -> dict:
    return card_meta(site, DRAWN, site_text(site).alt)


def explainer_text(site: Site, e: Explainer, rtl: bool = False) -> CardText:
    """The drawn card of an explainer whose lead image cannot be shared as it is."""
    return CardText(e.date.display, e.title, e.dek, site.title, address(absolute(site, paths.explainer(e.slug))), rtl)


def address(url: str) -> str:
    """A page's address as a card's footer shows it: no scheme, no closing slash."""
    return url.split("://", 1)[-1].strip("/") or url


def explainer_meta(site: Site, e: Explainer) -> PageMeta:
    canonical = absolute(site, paths.explainer(e.slug))
    modified = e.modified.iso
    photo = lead_photo(e)
    card = card_meta(site, explainer_card_name(e), photo.alt if photo else explainer_text(site, e).alt)
    image = card["image"]
    return PageMeta(
        title=f"{e.title} — {site.title}",
        description=e.dek or site.description,
        canonical=canonical,
        kind="article",
        **card,
        published=e.date.iso,
        modified=modified,
        jsonld={"@context": "https://schema.org", "@graph": [
            _article(site, e, canonical, image, modified),
            *([_timeline(e, canonical)] if e.timeline else []),
            *[_quotation(q, canonical) for q in e.quotes],
        ]},
    )


def _article(site: Site, e: Explainer, canonical: str, image: str, modified: str) -> dict:
    data = {
        "@type": "NewsArticle",
        "headline": e.title,
        "description": e.dek,
        "datePublished": e.date.iso,
        "dateModified": modified,
        "inLanguage": e.language,
        "mainEntityOfPage": canonical,
        "url": canonical,
        "publisher": {"@type": "Organization", "name": site.title},
        "author": {"@type": "Organization", "name": e.byline or site.title},
        "keywords": e.tags,
    }
    if image:
        data["image"] = [image]
    return data


def _timeline(e: Explainer, canonical: str) -> dict:
    return {
        "@type": "ItemList",
        "name": "Timeline",
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "itemListElement": [_entry(event, n, canonical) for n, event in enumerate(e.timeline, start=1)],
    }


def _entry(event, position: int, canonical: str) -> dict:
    """A timeline entry as a list item. Only an entry whose author names a place becomes
    an Event: Google's rules for Event want a location (and mean something that happens
    somewhere), so an entry without one stays a plain item: its name and where it is on the
    page (what an ItemList needs; its date and text are in the page itself)."""
    url = f"{canonical}#{event.id}"
    if not event.location:
        return {"@type": "ListItem", "position": position, "name": event.title, "url": url}
    return {"@type": "ListItem", "position": position, "item": {
        "@type": "Event", "name": event.title, "startDate": event.date.iso,
        **({"endDate": event.date.end} if event.date.end else {}),
        "location": {"@type": "Place", "name": event.location, "address": event.location},
        "description": plain(event.body), "url": url,
    }}


def _quotation(q, canonical: str) -> dict:
    creator = {"@type": "Person", "name": q.speaker}
    if q.role:
        creator["jobTitle"] = q.role
    return {"@type": "Quotation", "text": q.text, "creator": creator, "url": f"{canonical}#{q.id}"}


def plain(html: str, spaced: bool = True) -> str:
    """Text of an HTML snippet, its white space folded. `spaced`: every tag leaves a space, as
    descriptions and cards have it; else only block ends and line breaks do and inline tags
    vanish, as the annotations.json text has it ("<em>un</em>usual" is "unusual")."""
    text = str(html)
    if not spaced:
        text = BLOCK_END.sub(" ", text)
    return " ".join(unescape(TAG.sub(" " if spaced else "", text)).split())
