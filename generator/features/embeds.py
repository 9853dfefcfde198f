"""Embeds: an explainer's timeline, fact boxes, quote cards and timeline entries as pages of their own,
to be put into another site's article (a CMS story) with one line.

`<slug>/embed/<id>/index.html` shows the item alone, in the site's theme and
language, with a small link back to the explainer at the item. `<id>` is
`timeline`, a fact box's id (`country-kg`) or a quote card's or timeline
entry's id, the same as its share page's. Beside each page,
`<slug>/embed/<id>/oembed.json` is its static oEmbed response, which the
embed page and the item's share page point to, so a CMS that discovers
oEmbed turns a pasted URL into the embed.

The snippet is an iframe with a height estimated from the item's words, so
it reads well with no script at all, and the site's small parent script
(embed-parent.js, at the top of the site), which sizes it to its content. The embed page
tells its height to the page around it (static/embed.js) in the messages of
Pym.js and @newswire/frames, so a page or CMS plugin that uses either sizes
it too. Every link in an embed opens in the top window (`<base target>`),
and the page has no inline script or style, so it can be served under a
strict Content-Security-Policy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from markupsafe import escape

from generator.model.common import Site
from generator.model.page import Country, Event, Explainer, Quote
from generator.render import paths
from generator.render.meta import absolute, plain

from .images.cards import SIZE

PARENT_SCRIPT = "embed-parent.js"  # at the site's top, under a name that never changes: other sites load it
# What the embedded page may do in the page around it: run its own script (to tell its height),
# and open links in a new tab or, when the reader clicks, in the top window. Without
# allow-same-origin it runs in an origin of its own: no cookies, no storage, no reach into its parent.
SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
SCRIPT_SAFE = {c: f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}  # escaped in oembed.json
WIDTH = 640  # the column width the estimate and the oEmbed response assume, in CSS pixels
MAX_HEIGHT = 4000  # an estimate never asks for more: a long timeline scrolls inside its frame

# The height estimate: lines of text at WIDTH, from the theme's type sizes (style.css, embed.css).
CHARS = {"title": 52, "body": 68, "quote": 58, "small": 80}  # characters a line holds
LINE = {"title": 26, "body": 26, "quote": 26, "small": 19}  # pixels a line takes
TITLE_CHARS = 60  # of a quote in its embed's title
FRAME = 100  # the page's padding, its small heading and the "from" line


@dataclass(frozen=True)
class Embed:
    """One embeddable item of an explainer."""

    id: str  # its folder under <slug>/embed/
    kind: str  # "timeline", "country", "quote" or "event"
    title: str  # what the iframe's title and the oEmbed title say
    anchor: str  # the id it has on the explainer page
    item: list[Event] | Country | Quote | Event
    height: int  # estimated, in CSS pixels at WIDTH


@dataclass(frozen=True)
class Code:
    """What a "Copy embed code" control shows."""

    id: str
    title: str
    snippet: str


def embeds(e: Explainer, timeline_title: str = "Timeline") -> list[Embed]:
    """Every embeddable item: the timeline, each fact box, each quote card and each timeline entry."""
    found = []
    if e.timeline:
        found.append(Embed("timeline", "timeline", f"{timeline_title}: {e.title}", "timeline-heading", e.timeline,
                           _timeline_height(e.timeline)))
    found += [Embed(c.id, "country", f"{c.name}: {e.title}", c.id, c, _country_height(c)) for c in e.countries]
    found += [Embed(q.id, "quote", f"{q.speaker}: “{_short(q.text)}”", q.id, q, _quote_height(q)) for q in e.quotes]
    found += [Embed(ev.id, "event", f"{ev.date.display}: {ev.title}", ev.id, ev, _timeline_height([ev]))
              for ev in e.timeline]
    return found


def _short(text: str, most: int = TITLE_CHARS) -> str:
    """The text, or its first words up to `most` characters and an ellipsis: a frame's title is a label."""
    if len(text) <= most:
        return text
    return text[:most].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def snippet(site: Site, e: Explainer, embed: Embed) -> str:
    """The iframe and the parent script, one line to paste into a story."""
    src = absolute(site, paths.embed(e.slug, embed.id))
    script = absolute(site, PARENT_SCRIPT)
    return (f'<iframe src="{escape(src)}" title="{escape(embed.title)}" width="100%" height="{embed.height}" '
            f'style="width:100%;border:0" loading="lazy" sandbox="{SANDBOX}" data-explainer-embed></iframe>'
            f'<script src="{escape(script)}" async></script>')


def code(site: Site, e: Explainer, embed: Embed) -> Code:
    return Code(f"embed-{embed.id}", embed.title, snippet(site, e, embed))


def codes(site: Site, e: Explainer) -> list[Code]:
    """The snippets the preview shows under an explainer."""
    return [code(site, e, embed) for embed in embeds(e)]


def oembed_href(site: Site, e: Explainer, embed: Embed, links_from: str) -> str:
    """Where a page links to the item's oEmbed response: absolute when base_url is, else
    relative to `links_from`, the folder the page's relative links are read from."""
    path = paths.oembed(e.slug, embed.id)
    if "://" in site.base_url:
        return absolute(site, path)
    return paths.link(links_from, path)


def oembed(site: Site, e: Explainer, embed: Embed, share: bool) -> bytes:
    """The static oEmbed response (https://oembed.com, type rich) for the embed page and its share page.

    `share`: whether share images are made, which quote cards and timeline entries use as thumbnails.
    """
    data = {
        "version": "1.0",
        "type": "rich",
        "title": embed.title,
        "provider_name": site.title,
        "provider_url": absolute(site, ""),
        "html": snippet(site, e, embed),
        "width": WIDTH,
        "height": embed.height,
    }
    if e.byline:
        data["author_name"] = e.byline
    data.update(_thumbnail(site, e, embed, share))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # The same JSON, safe also for a consumer that puts it inside a <script> block as it is.
    # A replace() per character present: str.translate with a mapping looks up every character.
    for char, escaped in SCRIPT_SAFE.items():
        if char in text:
            text = text.replace(char, escaped)
    return (text + "\n").encode()


def _thumbnail(site: Site, e: Explainer, embed: Embed, share: bool) -> dict:
    """The item's share image; for the timeline and fact boxes the lead image, when its size is known,
    else (the timeline) its first entry's share image."""
    if e.image is not None and e.image.width and embed.kind in ("timeline", "country"):
        return {"thumbnail_url": absolute(site, paths.image(e.slug, e.image.src)), "thumbnail_width": e.image.width,
                "thumbnail_height": e.image.height}
    card = {"quote": embed.id, "event": embed.id, "timeline": e.timeline[0].id if e.timeline else ""}.get(embed.kind)
    if not share or not card:
        return {}
    return {"thumbnail_url": absolute(site, paths.share_image(e.slug, card)), "thumbnail_width": SIZE[0],
            "thumbnail_height": SIZE[1]}


def embed_files(renderer, e: Explainer, share: bool) -> dict[str, bytes]:
    """Output name -> bytes: each embed page and its oEmbed response."""
    files = {}
    # The pages' links are written as on the explainer page, relative to its folder
    # (`<base href="../../">`): the theme's partials render here as they are.
    links_from = paths.explainer(e.slug)
    for embed in embeds(e, renderer.languages.ui(e.language).gettext("Timeline")):
        shown = replace(e, timeline=[embed.item]) if isinstance(embed.item, Event) else e  # an entry: it alone
        files[paths.page(paths.embed(e.slug, embed.id))] = renderer.page(
            "embed.html", paths.root(links_from), e.language, explainer=shown, embed=embed,
            oembed_url=oembed_href(renderer.site, e, embed, links_from)).encode()
        files[paths.oembed(e.slug, embed.id)] = oembed(renderer.site, e, embed, share)
    return files


def _lines(text: str, kind: str) -> int:
    return -(-len(text) // CHARS[kind]) if text else 0


def _timeline_height(events: list[Event]) -> int:
    total = FRAME + 40  # and the "Timeline" heading
    for ev in events:
        total += 22 + LINE["title"] * _lines(ev.title, "title") + LINE["body"] * _lines(plain(ev.body), "body")
        total += LINE["small"] * (1 + _lines(ev.source.name if ev.source else "", "small")) + 36
    return min(total, MAX_HEIGHT)


def _country_height(c: Country) -> int:
    total = FRAME + 70 + 146  # the box's heading and padding, and its map
    total += LINE["body"] * _lines(plain(c.summary), "body")
    for fact in c.facts:
        total += 32 + LINE["title"] * _lines(fact.value, "title") + (LINE["small"] if fact.as_of or fact.source else 0)
    total += LINE["small"] * 2 + (LINE["small"] if c.source else 0)
    return min(total, MAX_HEIGHT)


def _quote_height(q: Quote) -> int:
    total = FRAME + 90  # the box's padding and the quotation mark
    total += LINE["quote"] * _lines(q.text, "quote")
    total += LINE["small"] * (1 + _lines(q.role, "small") + (1 if q.source else 0) + 1)
    return min(total, MAX_HEIGHT)
