"""Making one explainer: load, validate, resolve and render one folder.

Each explainer is made on its own, so the build spreads them over worker
processes (parallel.py).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, replace
from pathlib import Path

from jinja2 import TemplateError

from generator.errors import Pos, Problem, Report
from generator.features.base import ForExplainer, Switches
from generator.load.content import load_article
from generator.load.files import relpath
from generator.model.common import Site
from generator.model.page import Country, Explainer
from generator.render.environment import Renderer, report_template_error

from .fingerprint import digest
from .records import Entry, Rendered, WorkerResult

# What a template can raise is reported to its author, at the template's line: Jinja's own
# errors, StrictUndefined's UndefinedError among them, and the theme's files and catalogues
# that cannot be read (LinkOutside, CatalogueError). Anything else is a bug in the generator:
# it surfaces as one, never blamed on the author's template.
TEMPLATE_ERRORS = (TemplateError,)


def summary_of(explainer: Explainer) -> Explainer:
    """What the index, feed, sitemap and country pages show: all but the body, timeline and quote cards.

    A change to a timeline entry or a quote card changes only the
    explainer's own page and JSON, so those site-wide pages are not rendered again.
    Source positions are left out: the summaries of a whole site are saved and loaded.
    """
    return replace(explainer, blocks=[], timeline=[], quotes=[], countries=[_unplaced(c) for c in explainer.countries],
                   paths={})


def _unplaced(country: Country) -> Country:
    """A fact box and its facts without their source positions."""
    copy = replace(country, where={})
    copy.facts = [replace(f, where={}) for f in country.facts]
    return copy


@dataclass(frozen=True)
class Setup:
    """What making an explainer depends on besides its folder."""

    site: Site
    drafts: bool
    hashed: bool
    switches: Switches  # the features on
    images: Path | None = None  # the share images kept between runs (imagestore), if any
    keep_blocks: bool = False  # keep the article body in Entry.explainer (for check's editorial checks)


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

    def make(self, job: tuple[Path, str], links: tuple = ()) -> tuple[WorkerResult | None, list[Problem]]:
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

    def _load_and_render(self, job: tuple[Path, str], links: tuple) -> tuple[WorkerResult | None, list[Problem]]:
        from generator.features.builtin import explainer_files, explainer_notes
        from generator.load.annotations import load_annotations
        from generator.render.locales import locale_for
        from generator.resolve.links import resolve
        from generator.validate.editorial import check_quotes

        folder, fingerprint = job
        own = Report()
        site = self.setup.site
        article = load_article(folder, site.root, own)
        if article is None or (article.draft and not self.setup.drafts):
            draft = None if article is None else Entry(fingerprint, replace(article, body=""), False, "", "", [])
            return (None if draft is None else WorkerResult(draft)), own.problems
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
        page, extras, noted = b"", {}, {}
        if not own.errors:
            try:
                page = self.renderer.explainer(explainer).encode()
                it = ForExplainer(self.renderer, explainer, self.setup.switches, self.setup.images)
                extras = explainer_files(it)
                noted = explainer_notes(it, page)
            except TEMPLATE_ERRORS as exc:
                report_template_error(exc, self.renderer, own)
        if own.errors:
            return None, own.problems
        summary = summary_of(explainer)
        entry = Entry(fingerprint, replace(article, body=""), True, digest(page), digest(repr(summary).encode()),
                      own.warnings, explainer.sort_key, explainer.assets, tuple(links),
                      {name: digest(data) for name, data in extras.items()}, summary=summary,
                      explainer=explainer if self.setup.keep_blocks else replace(explainer, blocks=[]),
                      rendered=Rendered(page, extras),
                      summary_pickle=pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL), notes=noted)
        return WorkerResult(entry, drawings=self.renderer.maps.new_drawings()), own.problems
