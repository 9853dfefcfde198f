"""The reader features built beside the pages: JSON export, country hubs, maps, share pages.

They are made from the resolved explainers of the whole site, after every
explainer page is rendered, so each build step stays in its own module.
"""

from __future__ import annotations

from .export import annotation_files
from .hubs import Hub, hubs
from .i18n import ui_for
from .metadata import PageMeta, absolute
from .models import Explainer
from .render import Renderer
from .share import Card, cards, share_image, share_meta


def reader_files(renderer: Renderer, explainers: list[Explainer]) -> dict[str, bytes]:
    """Output name -> bytes for every file the reader features add."""
    files: dict[str, bytes] = {}
    files.update(annotation_files(renderer.site, explainers))
    for hub in hubs(explainers):
        files[f"{hub.path}index.html"] = hub_page(renderer, hub).encode()
        if renderer.maps.has(hub.code):
            title = ui_for(renderer.site.language).text("{name} on a map of the region", name=hub.name)
            files[f"{hub.path}map.svg"] = renderer.maps.file(hub.code, title)
    for e in explainers:
        for card in cards(e):
            folder = f"{e.slug}/q/{card.id}/"
            meta = share_meta(renderer.site, e, card)
            files[f"{folder}index.html"] = renderer.page("share.html", "../../../", e.language, explainer=e, card=card,
                                                         page=meta).encode()
            files[f"{folder}share.png"] = share_image(card, renderer.site.title, e.title,
                                                      ui_for(e.language).dir == "rtl")
    return files


def hub_page(renderer: Renderer, hub: Hub) -> str:
    site = renderer.site
    meta = PageMeta(title=f"{hub.name} — {site.title}", canonical=absolute(site, hub.path),
                    description=f"{hub.name}: facts from every explainer, with their sources.")
    return renderer.page("country-hub.html", "../../", hub=hub, page=meta)
