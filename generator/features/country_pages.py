"""Country pages: the files the countries feature makes (builtin.py), each page with its card and map.

They are made from the explainers' summaries after every page is rendered, and again
only when a summary changes.
"""

from __future__ import annotations

from pathlib import Path

from generator.model.common import Site
from generator.render import paths
from generator.render.environment import Renderer
from generator.render.i18n import direction
from generator.render.meta import PageMeta, absolute, address, card_meta

from .countries import Hub
from .images import cards


def hub_files(renderer: Renderer, country_pages: list[Hub], images: Path | None = None) -> dict[str, bytes]:
    """Output name -> bytes: country pages, their maps and cards."""
    files = {}
    ui = renderer.languages.ui(renderer.site.language)
    for hub in country_pages:
        files[paths.page(hub.path)] = hub_page(renderer, hub).encode()
        files[f"{hub.path}{cards.DRAWN}"] = cards.drawn(hub_text(renderer.site, hub, ui.gettext("Explainers")), images)
        if renderer.maps.has(hub.code):
            title = ui.gettext("%(name)s on a map of the region", name=hub.name)
            files[f"{hub.path}map.svg"] = renderer.maps.file(hub.code, title, hub.name)
    return files


def hub_text(site: Site, hub: Hub, kicker: str = "") -> cards.CardText:
    """A country page's card: the country, and the explainers that have a fact box on it; `kicker`,
    "Explainers" in the site's language, is drawn on the card (its alt text leaves it out)."""
    return cards.CardText(kicker, hub.name, " · ".join(entry.title for entry in hub.entries), site.title,
                          address(absolute(site, hub.path)), direction(site.language) == "rtl")


def hub_page(renderer: Renderer, hub: Hub) -> str:
    site = renderer.site
    meta = PageMeta(title=f"{hub.name} — {site.title}", canonical=absolute(site, hub.path),
                    description=f"{hub.name}: facts from every explainer, with their sources.",
                    **card_meta(site, f"{hub.path}{cards.DRAWN}", hub_text(site, hub).alt))
    return renderer.page("country-hub.html", paths.root(hub.path), hub=hub, page=meta)
