"""The features every site has, registered in the order their files are made.

Per explainer: its annotations.json, its card image, its embed pages, its share
pages and images. Site-wide: annotations.json, country pages and their maps,
the index, feed, sitemap and not-found page, then the search index, which reads
the pages the others make.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.model.common import Site
from generator.model.page import Explainer
from generator.render import paths
from generator.render.i18n import direction
from generator.render.meta import explainer_text, site_text

from . import search
from .base import Feature, ForExplainer, Group, GroupFiles, SiteWide, Switches
from .countries import hubs
from .country_pages import hub_files
from .embeds import code, embed_files, embeds, oembed_href
from .export import explainer_file, site_file
from .images import cards
from .images.cards import explainer_card_name, lead_photo


class Base:
    """A feature with no files of its own: each one says what it makes."""

    name = ""
    wave = 0

    def on(self, switches: Switches) -> bool:
        return True

    def explainer_files(self, it: ForExplainer) -> dict[str, bytes]:
        return {}

    def explainer_note(self, it: ForExplainer, page: bytes) -> object | None:
        return None

    def groups(self, site: SiteWide) -> list[Group]:
        return []


class Export(Base):
    """annotations.json: each explainer's, and the site's, joined from theirs (publishing only)."""

    name = "export"

    def explainer_files(self, it: ForExplainer) -> dict[str, bytes]:
        return {paths.annotations(it.explainer.slug): explainer_file(it.renderer.site, it.explainer)}

    def groups(self, site: SiteWide) -> list[Group]:
        if not site.switches.extras:
            return []
        key = _digest("\n".join(f"{d.slug} {d.annotations}" for d in site.listed).encode())
        return [Group("annotations", key, lambda: {paths.ANNOTATIONS: site_file(
            site.renderer.site, [site.kept(paths.annotations(d.slug)) for d in site.listed])})]


class Cards(Base):
    """Each explainer's og:image."""

    name = "cards"

    def explainer_files(self, it: ForExplainer) -> dict[str, bytes]:
        e = it.explainer
        rtl = direction(e.language) == "rtl"
        return {explainer_card_name(e): explainer_card(it.renderer.site, e, rtl, it.images)}


class Embeds(Base):
    """Each explainer's embed pages and their oEmbed responses."""

    name = "embeds"

    def on(self, switches: Switches) -> bool:
        return switches.embeds

    def explainer_files(self, it: ForExplainer) -> dict[str, bytes]:
        return embed_files(it.renderer, it.explainer, it.switches.share_pages)


class Share(Base):
    """A share page and image for each quote card (publishing only)."""

    name = "share"

    def on(self, switches: Switches) -> bool:
        return switches.share_pages

    def explainer_files(self, it: ForExplainer) -> dict[str, bytes]:
        from .share import cards as quote_cards  # Pillow loads only when share images are made
        from .share import share_image, share_meta

        renderer, e = it.renderer, it.explainer
        rtl = direction(e.language) == "rtl"
        codes = {embed.id: embed for embed in embeds(e)} if it.switches.embeds else {}
        files = {}
        for card in quote_cards(e):
            folder = paths.share(e.slug, card.id)
            meta = share_meta(renderer.site, e, card)
            embed = codes.get(card.id)
            files[paths.page(folder)] = renderer.page(
                "share.html", paths.root(folder), e.language, explainer=e, card=card, page=meta,
                code=embed and code(renderer.site, e, embed),
                oembed_url=embed and oembed_href(renderer.site, e, embed, folder)).encode()
            files[paths.share_image(e.slug, card.id)] = share_image(card, renderer.site.title, e.title, rtl, it.images)
        return files


class Countries(Base):
    """A page for each country with fact boxes, its locator map and its card."""

    name = "countries"

    def groups(self, site: SiteWide) -> list[Group]:
        # Both this and the pages merge the country boxes (hubs), the pages for the sitemap's list:
        # in two processes, each does it rather than wait for the other.
        return [Group("countries", site.listings,
                      lambda: hub_files(site.renderer, hubs(site.explainers()), site.images))]


class Pages(Base):
    """The index, feed, sitemap, not-found page, robots.txt and the index's card."""

    name = "pages"

    def groups(self, site: SiteWide) -> list[Group]:
        return [Group("pages", site.listings, lambda: _pages(site))]


def _pages(site: SiteWide) -> dict[str, bytes]:
    renderer, explainers = site.renderer, site.explainers()
    pages = {paths.PAGE: renderer.index(explainers), **renderer.extras(explainers, hubs(explainers))}
    explainers_word = renderer.languages.ui(renderer.site.language).gettext("Explainers")
    card = {cards.DRAWN: cards.drawn(site_text(renderer.site, explainers_word), site.images)}  # the index's and 404's og:image
    return {**{name: text.encode() for name, text in pages.items()}, **card}


class Search(Base):
    """The search index, made from the explainer and country pages once they are made."""

    name = "search"
    wave = 1  # it reads the pages the other features make

    def on(self, switches: Switches) -> bool:
        return switches.search

    def explainer_note(self, it: ForExplainer, page: bytes) -> object | None:
        """The page's search record, taken by the worker that made the page: a cold build
        indexes its pages side by side rather than one after another at the end."""
        return search.record(page).packed()

    def groups(self, site: SiteWide) -> list[Group]:
        """Kept while the explainer and country pages' bytes stay the same, and changed page by
        page when they don't (search.Index)."""
        digests = site.digests
        # Without a look at every file: each explainer's page, and the other groups' pages indexed.
        pages = {name: digests[name] for d in site.listed if (name := paths.page(paths.explainer(d.slug))) in digests}
        pages.update((name, digests[name]) for group, (_, names) in site.groups.items() if group != self.name
                     for name in names if search.indexed(name) and name in digests)
        if not pages:
            return []  # nothing published yet (drafts only): nothing to search
        code_ = site.code()  # a new generator may read pages otherwise
        key = _digest("\n".join([code_, *(f"{n} {d}" for n, d in sorted(pages.items()))]).encode())

        def make() -> GroupFiles:
            index = site.search_index(code_)
            noted = search.Noted({paths.page(paths.explainer(d.slug)): (d.digest, note)
                                  for d in site.listed if isinstance(note := d.notes.get(self.name), bytes)})
            files = index.update(pages, site.output, site.before, site.in_output, noted)
            return files, index.digests

        return [Group(self.name, key, make, forkable=False)]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


FEATURES: list[Feature] = [Export(), Cards(), Embeds(), Share(), Countries(), Pages(), Search()]


def explainer_files(it: ForExplainer) -> dict[str, bytes]:
    """Output name -> bytes: the files every feature on makes for one explainer."""
    files: dict[str, bytes] = {}
    for feature in FEATURES:
        if feature.on(it.switches):
            files.update(feature.explainer_files(it))
    return files


def explainer_notes(it: ForExplainer, page: bytes) -> dict[str, object]:
    """Feature name -> what it noted of one explainer's page, for the features on that note anything."""
    notes = {}
    for feature in FEATURES:
        if feature.on(it.switches) and (note := feature.explainer_note(it, page)) is not None:
            notes[feature.name] = note
    return notes


def explainer_card(site: Site, e: Explainer, rtl: bool, images: Path | None) -> bytes:
    """The explainer's og:image: its lead photo fitted to the card, or a drawn card."""
    photo = lead_photo(e)
    if photo:
        return cards.photo(e.folder / photo.src, images)
    return cards.drawn(explainer_text(site, e, rtl), images)
