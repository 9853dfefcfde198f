"""Making explainers: load, resolve and render one folder, in this process or in workers.

A cold build of a newsroom's archive is mostly this work, one explainer at
a time and each on its own, so it is spread over worker processes. Results
come back in folder order, so the output does not depend on the workers.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import TemplateError

from generator.errors import Pos, Problem, Report
from generator.load.content import load_article
from generator.load.files import relpath
from generator.model.types import Article, Explainer, Site
from generator.render import paths
from generator.render.environment import Renderer, report_template_error

from .tuning import frozen, in_one_job_fork, in_pool_worker

TEMPLATE_ERRORS = (TemplateError, TypeError, AttributeError, ValueError)

PARALLEL_FROM = 24  # fewer explainers than this are made in this process: starting workers costs more
PER_WORKER = 8  # explainers a worker takes at a time


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
    share: bool = True  # share pages and images
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
        from generator.features.registry import explainer_files
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
                extras = explainer_files(self.renderer, explainer, self.setup.share, self.setup.images)
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


Job = tuple[Path, str | None]  # an explainer folder and its fingerprint, if known yet
Made = tuple[Done | None, list[Problem]]
Run = Callable[[Maker, Job], Made]


def make_all(maker: Maker, jobs: list[Job], workers: int | None, run: Run | None = None,
             each: Callable[[Made], None] | None = None) -> list[Made]:
    """Makes every job with `run` (Maker.make unless given), in worker processes when there are enough.

    `run` runs in the process that makes the job: a worker writes the page
    itself and sends back only the stub, which costs far less than sending
    the page to be written here. `each` is told of every job made, in this
    process, as its result comes back (the build's progress).
    """
    run = run or _make_only
    count = _worker_count(len(jobs), workers)
    # Workers are forked: they share the loaded modules and compiled templates
    # at no cost. Forking is unsafe once other threads run (the preview's
    # server), and starting fresh interpreters would run the caller's main
    # module again, so then this process makes everything itself.
    if count <= 1 or not can_fork():
        return [_told(each, run(maker, job)) for job in jobs]
    with frozen(), multiprocessing.get_context("fork").Pool(count, initializer=_start,
                                                          initargs=(maker, run)) as pool:
        return [_told(each, _raise(sent)) for sent in pool.imap(_make, jobs, chunksize=PER_WORKER)]


def _told(each: Callable[[Made], None] | None, made: Made) -> Made:
    if each is not None:
        each(made)
    return made


def can_fork() -> bool:
    """Whether worker processes may be forked: never once other threads run."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def in_forks(run: Callable, items: list, processes: int) -> list:
    """`run(item)` for each item, in forked processes that share this one's memory; results in order."""
    _FORKED["run"] = run
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            return [_raise(sent) for sent in pool.map(_run_forked, items, chunksize=1)]
    finally:
        _FORKED.clear()


_FORKED: dict[str, Callable] = {}  # what in_forks runs: set before forking, so children have it


def _run_forked(item):
    in_one_job_fork()
    _die_with_parent()
    return _sent(_FORKED["run"], item)


def _sent(run: Callable, *args) -> tuple[bool, object]:
    """What a worker sends back: (False, result), or (True, the exception it raised).

    Even KeyboardInterrupt is sent: a worker that dies of it would leave
    the pool waiting for its result for ever.
    """
    try:
        return False, run(*args)
    except BaseException as exc:  # noqa: BLE001  # re-raised in the parent by _raise
        return True, exc


def _raise(sent: tuple[bool, object]):
    raised, value = sent
    if raised and isinstance(value, BaseException):
        raise value
    return value


def _make_only(maker: Maker, job: Job) -> Made:
    folder, fingerprint = job
    return maker.make((folder, fingerprint or ""))  # without a fingerprint, never taken for the same later


def _worker_count(jobs: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, min(workers, jobs))
    if jobs < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, jobs // PER_WORKER))


PR_SET_PDEATHSIG = 1  # prctl(2)


def _die_with_parent() -> None:
    """Ends this worker quietly when the build that forked it is killed (kill -9): left
    running, it would only fail to send its result back and print a traceback about it."""
    forked_by = multiprocessing.parent_process()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: such a worker ends with its next job
        return
    if forked_by is not None and os.getppid() != forked_by.pid:  # killed before the call above
        os._exit(1)


# One Maker per worker process, set up once by the pool's initializer.
_WORKER: dict[str, tuple[Maker, Run]] = {}


def _start(maker: Maker, run: Run) -> None:
    _die_with_parent()
    _WORKER["maker"] = (maker, run)
    in_pool_worker()


def _make(job: Job) -> tuple[bool, object]:
    maker, run = _WORKER["maker"]
    return _sent(run, maker, job)
