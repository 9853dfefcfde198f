"""Making one explainer: load, validate, resolve and render one folder.

Each explainer is made on its own, so the build spreads them over worker
processes (parallel.py).
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import TemplateError

from generator.errors import Pos, Problem, Report
from generator.features.base import ForExplainer, Switches
from generator.load.content import load_article
from generator.load.files import relpath
from generator.model.types import Article, Explainer, Site
from generator.render import paths
from generator.render.environment import Renderer, report_template_error

# What a template can raise is reported to its author, at the template's line: Jinja's own
# errors, StrictUndefined's UndefinedError among them, and the theme's files and catalogues
# that cannot be read (LinkOutside, CatalogueError). Anything else is a bug in the generator:
# it surfaces as one, never blamed on the author's template.
TEMPLATE_ERRORS = (TemplateError,)



@dataclass
class Done:
    """One explainer's outcome, kept while its inputs stay the same.

    Between builds only a stub is kept: `summary` holds what the index, feed,
    sitemap and country pages show of the explainer (all but its body,
    timeline and quote cards), and its page is in the output (digest
    `digest`). The explainer itself (without its body blocks) is loaded from
    the cache only for the few checks that compare translations.
    """

    fingerprint: str
    article: Article  # without its body: for slug checks and messages
    published: bool  # False for a draft left out of this build
    digest: str  # of the page
    listing: str  # digest of `summary`
    warnings: list[Problem]
    sort_key: tuple = ()
    assets: list[Path] = field(default_factory=list)  # files copied beside the page, relative to the folder
    summary: Explainer | None = None  # what site-wide pages show of it
    explainer: Explainer | None = None  # without body blocks; None while not loaded
    page: bytes | None = None  # until written
    links: tuple = ()  # the translation links its page was rendered with
    extra_digests: dict[str, str] = field(default_factory=dict)  # its annotations.json, share pages and images
    extras: dict[str, bytes] | None = None  # their bytes, until written
    staged: bool = False  # page and extras written into this build's new output folder already
    sources: dict = field(default_factory=dict)  # digests of its files learned while making it (FileDigests)
    drawings: dict[str, str] = field(default_factory=dict)  # maps first drawn while making it (LocatorMaps)
    packed: bytes = b""  # `summary` pickled for the cache, by the process that made it

    @property
    def slug(self) -> str:
        return self.article.slug

    def stub(self) -> Done:
        return replace(self, explainer=None, page=None, extras=None, staged=False, sources={}, drawings={},
                       packed=b"")

    @property
    def annotations(self) -> str:
        """What the site-wide annotations.json shows of it."""
        return self.extra_digests.get(paths.annotations(self.slug), "")


def summary_of(explainer: Explainer) -> Explainer:
    """What the index, feed, sitemap and country pages show: all but the body, timeline and quote cards.

    A change to a timeline entry or a quote card changes only the
    explainer's own page and JSON, so those site-wide pages are not rendered again.
    Source positions are left out: the summaries of a whole site are saved and loaded.
    """
    countries = [replace(c, where={}, facts=[replace(f, where={}) for f in c.facts]) for c in explainer.countries]
    return replace(explainer, blocks=[], timeline=[], quotes=[], countries=countries, paths={})


@dataclass(frozen=True)
class Setup:
    """What making an explainer depends on besides its folder."""

    site: Site
    drafts: bool
    hashed: bool
    switches: Switches = Switches()  # the features on
    images: Path | None = None  # the share images kept between runs (imagestore), if any
    keep_blocks: bool = False  # keep the article body in Done.explainer (for check's editorial checks)


class Maker:
    """Makes one explainer at a time with one Markdown parser and one Renderer."""

    def __init__(self, setup: Setup, renderer: Renderer | None = None):
        # Babel and the annotation schemas load here, not on import, and Markdown and the
        # world map on first use: a build with nothing to make never needs them.
        from generator.render.locales import locale_for
        from generator.resolve.markup import LazyMarkdown

        self.setup = setup
        self.renderer = renderer or Renderer(setup.site, hashed=setup.hashed)
        self.locale = locale_for(setup.site.language)
        self.md = LazyMarkdown()
        try:  # the site language's words, read here so that forked workers share them
            self.renderer.languages.ui(setup.site.language)
        except TEMPLATE_ERRORS:
            pass  # a catalogue that cannot be read: reported with the first page that needs it

    def make(self, job: tuple[Path, str], links: tuple = ()) -> tuple[Done | None, list[Problem]]:
        """Loads, resolves and renders one explainer; None when it has errors.

        `links` are its translations, known only once every article is loaded.
        """
        try:
            return self._load_and_render(job, links)
        except RecursionError:
            # The limits checked before parsing keep nesting far below this; should some
            # input still nest too deep for a parser, the author hears where, not a traceback.
            own = Report()
            own.error(relpath(job[0] / "article.md", self.setup.site.root), Pos(),
                      "this explainer nests too deeply to be read (lists, quotes, brackets or HTML inside each "
                      "other); flatten the deepest part of the article or its annotation files")
            return None, own.problems

    def _load_and_render(self, job: tuple[Path, str], links: tuple) -> tuple[Done | None, list[Problem]]:
        from generator.features.builtin import explainer_files
        from generator.load.annotations import load_annotations
        from generator.render.locales import locale_for
        from generator.resolve.links import resolve
        from generator.validate.editorial import check_quotes

        folder, fingerprint = job
        own = Report()
        site = self.setup.site
        article = load_article(folder, site.root, own)
        if article is None or (article.draft and not self.setup.drafts):
            done = None if article is None else Done(fingerprint, replace(article, body=""), False, "", "", [])
            return done, own.problems
        notes = load_annotations(folder, site.root, own)
        locale = locale_for(article.language) if article.language else self.locale
        try:
            words = self.renderer.languages.ui(str(locale)).catalogue  # the dates' words follow their locale
        except TEMPLATE_ERRORS as exc:  # a catalogue that cannot be read
            report_template_error(exc, self.renderer, own)
            return None, own.problems
        explainer = resolve(site, article, notes, locale, self.md, own, words)
        check_quotes(explainer, own)
        explainer.translations = list(links)
        page, extras = b"", {}
        if not own.errors:
            try:
                page = self.renderer.explainer(explainer).encode()
                extras = explainer_files(ForExplainer(self.renderer, explainer, self.setup.switches, self.setup.images))
            except TEMPLATE_ERRORS as exc:
                report_template_error(exc, self.renderer, own)
        if own.errors:
            return None, own.problems
        summary = summary_of(explainer)
        done = Done(fingerprint, replace(article, body=""), True, digest(page), digest(repr(summary).encode()),
                    own.warnings, explainer.sort_key, explainer.assets, summary,
                    explainer if self.setup.keep_blocks else replace(explainer, blocks=[]), page,
                    tuple(links), {name: digest(data) for name, data in extras.items()}, extras,
                    drawings=self.renderer.maps.new_drawings(),
                    packed=pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL))
        return done, own.problems


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
