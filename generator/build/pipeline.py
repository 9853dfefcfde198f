"""The build pipeline: load → validate → resolve → render → write.

Each stage reports content problems into one Report; the run stops before
writing if any error was found, so a bad edit never reaches the output.
A Builder remembers each explainer's rendered page under a fingerprint of
its input files and the templates, in memory and in the site's .cache/, so
a rebuild (or the next run) only redoes what changed and writes only the
files whose bytes changed.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.config import check_public_url, load_site, with_slash
from generator.errors import BuildError, Pos, Problem, Report, os_problem
from generator.features import search
from generator.features.builtin import FEATURES
from generator.features.images import cards
from generator.features.images import store as imagestore
from generator.load.files import is_inside
from generator.model.common import Site
from generator.model.page import Explainer
from generator.render.environment import Renderer
from generator.render.i18n import report_untranslated

from . import fingerprint as fp
from . import tuning, uptodate
from .cache import Cache
from .explainer import Maker, Setup
from .explainers import Explainers, Lazy
from .filemap import FileMap
from .fingerprint import FileDigests
from .folders import MARKER, marker_text
from .lastswap import LastSwap, Untrusted
from .output import CACHE, check_out_folder
from .records import Entry
from .sitewide import SiteFiles, make_sitewide
from .swap import locked, output_path, tidy
from .themes import Themes
from .writing import Writer


@dataclass
class Options:
    site: Path
    out: Path
    drafts: bool = False  # preview builds drafts; publishing never does
    strict: bool = False  # warnings count as errors
    hashed_assets: bool = True  # content hashes in CSS/JS names; the preview turns them off
    base_url: str | None = None  # overrides site.yaml's base_url
    workers: int | None = None  # processes that render; None: as many as cores when it pays
    cache: bool = True  # keep what was made in the site's .cache/ for the next run
    # Save the cache at the end of every build; the preview saves it when idle (Builder.save).
    save: bool = True
    # Share pages and the site-wide annotations.json are for publishing; the preview leaves them
    # out, since a save would rewrite thousands of files.
    extras: bool = True
    # The search index: the preview makes it too, so its search box works; a save changes the
    # index page by page (search.Index), not the whole of it.
    search: bool = True
    # The preview updates its folder file by file; a published build is made in a new folder,
    # complete, and exchanged with the output in one step, so a build interrupted or killed at
    # any moment leaves the previous output exactly as it was.
    in_place: bool = False
    # A build to publish: a base_url without a host is warned about (the preview's pages are served from /).
    public: bool = True
    # Read every output file to tell it is as written, rather than trust its size and time: puts right
    # an edit made by hand that kept both (`build --verify`).
    verify: bool = False


@dataclass
class Result:
    explainers: int
    files: int
    seconds: float
    rendered: int = 0  # explainers rendered anew (the others came from the cache)
    warnings: list[Problem] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # output files whose bytes changed


@dataclass
class LastGood:
    """The last good build in this process, which a build told what changed (by a file watcher)
    takes as it was but for the explainer folders named."""

    folders: list[Path]  # its explainer folders
    site: Site
    renderer: Renderer
    theme: str  # the fingerprint of its templates and site.yaml


class Builder:
    """Builds a site again and again, redoing only explainers whose inputs changed."""

    def __init__(self, options: Options):
        self.options = options
        self.root = options.site.resolve()
        self.out = output_path(options.out)
        key = (f"drafts={options.drafts} hashed={options.hashed_assets} extras={options.extras} "
               f"search={options.search}")
        self.cache = Cache(self.root if options.cache else None, key)
        self.files = FileDigests(self.cache.file_digests())
        self.writer = Writer(self.out, self.cache, options.in_place, options.verify)
        self.explainers = Explainers(self.root, self.cache, self.files, self.writer, options.workers)
        self.themes = Themes(self.root, options, self.cache, self.files)
        self.loaded = False  # whether the explainers' records and `sitewide` were read from the cache
        self.sitewide: dict[str, tuple[str, dict[str, str]]] = {}  # group -> (key, digest of each file)
        self.last_good: LastGood | None = None
        # The output files of the last good build, which a build told what changed starts from.
        self.map: FileMap | None = None
        self.documents: dict[str, tuple[str, bytes]] = {}  # explainers' annotations.json, kept for the site's
        self.search: search.Index | None = None  # the search index as last made, once read from the cache
        self.progress = None  # a progress.Progress to tell how the build goes (on a terminal), or None
        # What the command found the build made from, before it began: kept once the build wrote the output.
        self.stamp: uptodate.Stamp | None = None

    @property
    def remade(self) -> set[Path]:
        """The explainer folders made anew in the last build."""
        return self.explainers.remade

    @property
    def renderer(self) -> tuple[tuple, Renderer] | None:
        """The last build's Renderer, and what it was made from."""
        return self.themes.renderer

    def build(self, changed: Iterable[str] | None = None) -> Result:
        """Builds the site or raises BuildError with every problem found.

        `changed` are the paths changed since the last build, when a file watcher
        knows them: explainer folders outside them are then not looked at again.
        An error of the system (a read-only folder, a full disk) is one such problem.
        """
        check_out_folder(self.root, self.out)
        # A link found in a checkout could lead to another site's output; only this tool's own
        # link (where folders can't be exchanged) is kept as the output's path (output_path).
        if self.options.out.is_symlink() and not self.out.is_symlink():
            raise BuildError([Problem(self.options.out.as_posix(), Pos(), "the output folder is a link; a build "
                                      "replaces a real folder only: remove the link, or give its target with --out")])
        try:
            # A published build holds the output's lock, and first removes what killed ones left.
            with contextlib.nullcontext(False) if self.options.in_place else locked(self.out) as held:
                self.writer.locked = held
                if held:
                    tidy(self.out)
                uptodate.forget(self.root, self.out)  # no longer what the output holds, once it changes
                # A published build, which swaps, may make its new output from the last swap's record.
                swaps = held and self.cache.folder is not None and not self.out.is_symlink()
                self.writer.lastswap = LastSwap(self.cache, self.out) if swaps else None
                try:
                    result = self._build_once_more_if_untrusted(changed)
                    if self.writer.lastswap is not None and self.writer.keepable and self.options.save:
                        self.writer.lastswap.keep(self.writer.left, self.writer.taken, self.writer.differ)
                    if self.stamp is not None:
                        self.stamp.save(self.out, {"explainers": result.explainers, "files": result.files,
                                                   "warnings": [str(p) for p in result.warnings]}, self.writer.left)
                    return result
                except OSError:
                    if held:  # whatever failed there (a folder made read-only) would fail the next build too
                        self.writer.drop_spare()
                    raise
        except OSError as exc:
            raise BuildError([os_problem(exc, self.root)]) from exc
        finally:
            self.writer.locked = False

    def _build_once_more_if_untrusted(self, changed: Iterable[str] | None) -> Result:
        try:
            return self._build(changed)
        except Untrusted:  # a file the last swap's record vouched for is gone from the output
            self.writer.written = None  # read again from the cache, and every file looked at
            return self._build(changed)

    def _build(self, changed: Iterable[str] | None) -> Result:
        started = time.perf_counter()
        last_good, self.last_good = self.last_good, None
        last, self.map = self.map, None
        report = Report()
        only = changed_folders(self.root, changed, last_good)  # None: every folder looked at
        if last_good is not None and only is not None:  # site.yaml and the templates are as they were
            site, renderer, theme = last_good.site, last_good.renderer, last_good.theme
        else:
            loaded = site_of(self.root, self.options, report)
            if loaded is None:
                raise BuildError(report.sorted())
            site, (renderer, theme) = loaded, self.themes.get(loaded)
        report.extend(renderer.problems)  # static files that are links to outside the site
        if not self.loaded:
            records, self.sitewide = self.cache.records()
            self.explainers.done = {folder: Entry.of(record) for folder, record in records.items()}
            self.loaded = True
            self.explainers.saved = self.explainers.state(self.sitewide)
        before = self.writer.before = self.writer.found(only is not None)
        maker = Lazy(lambda: Maker(self._setup(site, renderer), renderer))
        self.explainers.progress = self.progress
        try:
            # What the last build left (its records, file map and caches) lives on: the collector
            # would scan all of it again and again while one explainer is made.
            tuning.freeze()
            done, rendered = self.explainers.collect(maker, theme, before, report, only=only,
                                                     known=last_good.folders if last_good else None)
            tuning.freeze()  # what the build holds now lives until it ends
            rendered += self.explainers.translations(site, maker, done, report)
            self._stop_on_errors(report)
            self._stage_reached("the site-wide pages and the search index")
            made = self._files(renderer, maker, theme, done, before, report, last if only is not None else None)
            self._stop_on_errors(report)
            self._stage_reached("writing the output")
            names = self.writer.write(made, before, only is not None)
            for entry in self.explainers.done.values():
                entry.written()
        finally:
            tuning.unfreeze()
            self.writer.discard()  # not swapped in: the build failed or was interrupted
        self.last_good = LastGood(self.explainers.folders, site, renderer, theme)
        self.map = made.settled()
        if self.search is not None:
            self.search.made = {}  # written: the output holds them now
        if self.options.save:
            self.save()
        return Result(len(done), len(made.files), time.perf_counter() - started, rendered, report.warnings, names)

    def check(self) -> tuple[Report, Site | None, list[Explainer]]:
        """Everything build validates, templates included, without writing a file."""
        report = Report()
        site = site_of(self.root, self.options, report)
        if site is None:
            return report, None, []
        renderer, theme = self.themes.get(site)
        report.extend(renderer.problems)
        self.explainers.done, self.sitewide, self.loaded = {}, {}, True
        maker = Lazy(lambda: Maker(replace(self._setup(site, renderer), keep_blocks=True), renderer))
        done, _ = self.explainers.collect(maker, theme, {}, report, write=False)
        self.explainers.translations(site, maker, done, report)
        if not report.errors:
            self._files(renderer, maker, theme, done, {}, report, None)
        explainers = [self.explainers.explainer(folder, d, maker) for folder, d in done]
        report_untranslated(renderer.languages, [site.language, *(e.language for e in explainers)], report)
        return report, site, explainers

    def _setup(self, site: Site, renderer: Renderer) -> Setup:
        return Setup(site, self.options.drafts, self.options.hashed_assets, self.themes.switches(renderer), self._images())

    def _images(self) -> Path | None:
        """The folder of share images kept between runs, while the build keeps a cache."""
        return kept_images(self.root) if self.cache.folder is not None else None

    def _files(self, renderer: Renderer, maker: Lazy, theme: str, done: list[tuple[Path, Entry]],
               before: Mapping[str, str], report: Report, last: FileMap | None) -> FileMap:
        """Every output file and its digest: page text as bytes, copied files as their
        source path, None for a file that is in the output already, Staged for one
        in the Stage already. From `last` (the last build's), only the explainers made
        anew and the site-wide files are looked at again."""
        wanted = {folder: d for folder, d in done}
        if last is None:
            made = FileMap()
            for folder, d in done:
                made.add(folder, self.explainers.entries(folder, d))
        else:
            made = last
            made.patch(wanted.keys() - self.remade, list(wanted), lambda f: self.explainers.entries(f, wanted[f]))
        made.put(MARKER, marker_text(), fp.digest(marker_text()))
        for content, name in renderer.static.values():
            made.put(f"static/{name}", content,
                     self.files.digest(str(content)) if isinstance(content, Path) else fp.digest(content))
        switches = self.themes.switches(renderer)
        listings = fp.digest("\n".join([theme, *(f"{d.slug} {d.summary_digest}" for _, d in done)]).encode())

        def summaries() -> list[Explainer]:  # in the process that makes the group
            self.explainers.summaries(maker, done)
            return [d.summary for _, d in done if d.summary is not None]  # every one, once _summaries is done

        site = SiteFiles(renderer, switches, self._images(), [d for _, d in done], listings, made, self.sitewide,
                         before, self.out, self.writer.stage, summaries, self._search_index, self.documents)
        make_sitewide([f for f in FEATURES if f.on(switches)], site, report, len(self.explainers.folders))
        return made

    def _search_index(self, code: str) -> search.Index:
        """The search index as last made: in memory, else from the cache."""
        if self.search is None or self.search.code != code:
            self.search = search.Index(self.cache.search_index(), code)
        return self.search

    def save(self) -> None:
        """Saves the records and the write manifest when they differ from what the cache holds."""
        if not self.loaded:  # nothing built yet
            return
        self.writer.save()
        if self.files.changed:
            self.cache.save_file_digests(self.files.known)
            self.files.changed = False
        images = self._images()
        imagestore.prune(images)
        imagestore.prune(cards.folder(images))
        self.themes.save()
        if self.search is not None and self.search.changed:
            self.cache.save_search_index(self.search.state())
            self.search.changed = False
        self.explainers.save(self.sitewide)

    def _stage_reached(self, what: str) -> None:
        if self.progress is not None:
            self.progress.stage(what)

    def _stop_on_errors(self, report: Report) -> None:
        if report.errors or (self.options.strict and report.warnings):
            raise BuildError(report.sorted())


def build(options: Options) -> Result:
    """One complete build, as `python -m generator build` runs it."""
    return Builder(options).build()


def kept_images(root: Path) -> Path | None:
    """The site's folder of share images; None if it or the page cards' folder beside it is a
    link, or lies outside the site's .cache/ (a link there to the site's sources, say), which a
    build would write into and prune."""
    folder = root / imagestore.FOLDER
    pages = cards.folder(folder)
    top = root / CACHE
    if pages is None or top.is_symlink() or not is_inside(top, root):
        return None
    return folder if all(not p.is_symlink() and is_inside(p, top) for p in (folder, pages)) else None


def _inside(path: Path, folder: Path) -> tuple[str, ...] | None:
    """The steps from `folder` (resolved) down to `path`, also when `path` is named through a
    link (a site folder reached through a linked home or projects folder); None if outside."""
    for named in (path, path.parent.resolve() / path.name):
        try:
            return named.relative_to(folder).parts
        except ValueError:
            continue
    return None


def site_of(root: Path, options: Options, report: Report) -> Site | None:
    """site.yaml, with the base_url given on the command line, if any."""
    site = load_site(root, report)
    if site is None:
        return None
    if options.base_url is not None:
        site = replace(site, base_url=with_slash(options.base_url))
    if options.public:
        check_public_url(site, report, given=options.base_url is not None)
    return site


def changed_folders(root: Path, changed: Iterable[str] | None, last_good: LastGood | None) -> set[Path] | None:
    """The explainer folders holding the changed paths; None to look at every folder.

    Only a change inside known explainer folders, after a good build in this
    process (`last_good`), is taken this way: anything else (a template,
    site.yaml, a folder come or gone) means looking at everything.
    """
    if changed is None or last_good is None:
        return None
    known = set(last_good.folders)
    content = root / "content"
    touched = set()
    for path in changed:
        steps = _inside(Path(path), content)
        if steps is None or len(steps) < 2 or content / steps[0] not in known:
            return None
        touched.add(content / steps[0])
    return touched
