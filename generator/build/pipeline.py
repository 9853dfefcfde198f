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
import functools
import hashlib
import importlib.util
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import DISTRIBUTION
from generator.config import check_public_url, load_site, with_slash
from generator.errors import BuildError, Pos, Problem, Report, os_problem
from generator.features import search
from generator.features.countries import hubs
from generator.features.export import site_file
from generator.features.images import cards, fonts
from generator.features.images import store as imagestore
from generator.features.registry import hub_files
from generator.load.content import check_unique_slugs, explainer_folders
from generator.load.files import is_inside
from generator.model.types import Explainer, Site
from generator.render import paths
from generator.render.environment import THEME, Renderer, report_template_error, template_folders
from generator.render.i18n import report_missing, report_untranslated, translation_links
from generator.render.meta import site_text

from . import tuning
from .cache import Cache, loads
from .explainer import TEMPLATE_ERRORS, Done, Maker, Setup, can_fork, in_forks, make_all, summary_of
from .filemap import Digests, Entries, FileMap
from .folders import MARKER, marker_text
from .output import STAGED, check_out_folder, present, update, write
from .stage import Stage
from .swap import locked, output_path, tidy

Written = dict[str, tuple[str, int, int]]  # output name -> (digest, size, mtime_ns) as written
# What renders pages and images besides the generator: an upgrade of one makes every page again.
# Pillow draws the share images and isal deflates them, rcssmin and rjsmin minify stylesheets and
# scripts (the maps' data is the generator's own).
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "babel", "yaml", "pycountry", "PIL", "isal", "rcssmin",
             "rjsmin")
FORK_GROUPS_FROM = 300  # explainers from which the site-wide groups are made in forked processes


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
    # Share pages, the search index and the site-wide annotations.json are for publishing; the
    # preview leaves them out, since a save would rewrite thousands of files and re-index the site.
    extras: bool = True
    # The preview updates its folder file by file; a published build is made in a new folder,
    # complete, and exchanged with the output in one step, so a build interrupted or killed at
    # any moment leaves the previous output exactly as it was.
    in_place: bool = False
    # A build to publish: a base_url without a host is warned about (the preview's pages are served from /).
    public: bool = True


@dataclass
class Result:
    explainers: int
    files: int
    seconds: float
    rendered: int = 0  # explainers rendered anew (the others came from the cache)
    warnings: list[Problem] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # output files whose bytes changed


class Builder:
    """Builds a site again and again, redoing only explainers whose inputs changed."""

    def __init__(self, options: Options):
        self.options = options
        self.root = options.site.resolve()
        self.out = output_path(options.out)
        key = f"drafts={options.drafts} hashed={options.hashed_assets} extras={options.extras}"
        self.cache = Cache(self.root if options.cache else None, key)
        self.files = FileDigests(self.cache.file_digests())
        self.done: dict[Path, Done] = {}
        self.loaded = False  # whether `done` and `sitewide` were read from the cache
        self.sitewide: dict[str, tuple[str, dict[str, str]]] = {}  # group -> (key, digest of each file)
        self.stage: Stage | None = None  # the new output folder, while a build fills it
        self.locked = False  # whether the build holds the output's lock (output.locked)
        self.before: Mapping[str, str] = {}  # the output as the build found it: see _before()
        # The explainer folders and theme fingerprint of the last good build in this process,
        # which a build told what changed (by a file watcher) takes as they were.
        self.trusted: tuple[list[Path], str] | None = None
        self.folders: list[Path] = []
        self.remade: set[Path] = set()  # explainer folders made anew in this build
        # The output files of the last good build, which a build told what changed starts from.
        self.map: FileMap | None = None
        self.theme = ""  # the fingerprint of the templates, for the explainers made in this build
        self.documents: dict[str, tuple[str, bytes]] = {}  # explainers' annotations.json, kept for the site's
        self.written: Written | None = None  # None until read from the cache
        self.saved_written: Written | None = None  # what the cache holds of it
        self.saved: tuple = ((), {})  # what the cache holds, to save only a change
        self.renderer: tuple[tuple, Renderer] | None = None  # (what it was made from, renderer)
        self.maps_key = ""  # what the renderer's map drawings were made from
        self.search: search.Index | None = None  # the search index as last made, once read from the cache
        self.saved_maps = 0  # how many of them the cache holds
        self.progress = None  # a progress.Progress to tell how the build goes (on a terminal), or None

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
                self.locked = held
                if held:
                    tidy(self.out)
                return self._build(changed)
        except OSError as exc:
            raise BuildError([os_problem(exc, self.root)]) from exc
        finally:
            self.locked = False

    def _build(self, changed: Iterable[str] | None) -> Result:
        started = time.perf_counter()
        trusted, self.trusted = self.trusted, None
        last, self.map = self.map, None
        report = Report()
        site = self._site(report)
        if site is None:
            raise BuildError(report.sorted())
        renderer, theme = self._renderer(site)
        report.extend(renderer.problems)  # static files that are links to outside the site
        if not self.loaded:
            self.done, self.sitewide = self.cache.stubs()
            self.loaded = True
            self.saved = self._state()
        hints = self._hints(changed, trusted, theme)
        before = self.before = self._before(hints is not None)
        maker = _Lazy(lambda: Maker(self._setup(site, renderer), renderer))
        try:
            done, rendered = self._explainers(maker, theme, before, report, hints=hints,
                                              known=trusted[0] if trusted else None)
            tuning.freeze()  # what the build holds now lives until it ends
            rendered += self._translations(site, maker, done, report)
            self._stop_on_errors(report)
            self._stage_reached("the site-wide pages and the search index")
            made = self._files(renderer, maker, theme, done, before, report, last if hints is not None else None)
            self._stop_on_errors(report)
            self._stage_reached("writing the output")
            names = self._write(made, before, hints is not None)
        finally:
            tuning.unfreeze()
            if self.stage is not None:  # not swapped in: the build failed or was interrupted
                self.stage.discard()
                self.stage = None
        self.trusted = (self.folders, theme)
        self.map = made.settled()
        if self.search is not None:
            self.search.made = {}  # written: the output holds them now
        if self.options.save:
            self.save()
        return Result(len(done), len(made.files), time.perf_counter() - started, rendered, report.warnings, names)

    def _hints(self, changed: Iterable[str] | None, trusted: tuple | None, theme: str) -> set[Path] | None:
        """The explainer folders holding the changed paths; None to look at every folder.

        Only a change inside known explainer folders, after a good build in this
        process with the same templates, is taken this way: anything else (a
        template, site.yaml, a folder come or gone) means looking at everything.
        """
        if changed is None or trusted is None or trusted[1] != theme:
            return None
        known = set(trusted[0])
        content = self.root / "content"
        touched = set()
        for path in changed:
            steps = _inside(Path(path), content)
            if steps is None or len(steps) < 2 or content / steps[0] not in known:
                return None
            touched.add(content / steps[0])
        return touched

    def check(self) -> tuple[Report, Site | None, list[Explainer]]:
        """Everything build validates, templates included, without writing a file."""
        report = Report()
        site = self._site(report)
        if site is None:
            return report, None, []
        renderer, theme = self._renderer(site)
        report.extend(renderer.problems)
        self.done, self.sitewide, self.loaded = {}, {}, True
        maker = _Lazy(lambda: Maker(replace(self._setup(site, renderer), keep_blocks=True), renderer))
        done, _ = self._explainers(maker, theme, {}, report, write=False)
        self._translations(site, maker, done, report)
        if not report.errors:
            self._files(renderer, maker, theme, done, {}, report, None)
        explainers = [self._explainer(folder, d, maker) for folder, d in done]
        report_untranslated(renderer.languages, [site.language, *(e.language for e in explainers)], report)
        return report, site, explainers

    def _site(self, report: Report) -> Site | None:
        """site.yaml, with the base_url given on the command line, if any."""
        site = load_site(self.root, report)
        if site is None:
            return None
        if self.options.base_url is not None:
            site = replace(site, base_url=with_slash(self.options.base_url))
        if self.options.public:
            check_public_url(site, report, given=self.options.base_url is not None)
        return site

    def _setup(self, site: Site, renderer: Renderer) -> Setup:
        return Setup(site, self.options.drafts, self.options.hashed_assets, bool(renderer.env.globals["share_pages"]),
                     self._images())

    def _images(self) -> Path | None:
        """The folder of share images kept between runs, while the build keeps a cache."""
        return self.root / imagestore.FOLDER if self.cache.folder is not None else None

    def _renderer(self, site: Site) -> tuple[Renderer, str]:
        """The last build's Renderer, with its compiled templates, while site.yaml
        and the templates stay the same; and the fingerprint pages depend on.

        Static files matter to pages only through content-hashed names, so
        without hashing (the preview) a stylesheet edit re-renders nothing.
        """
        folders = template_folders(self.root)
        extra = repr((site, self.options.drafts, self.options.hashed_assets, self.options.extras, _code()))
        templates = _fingerprint([self.root / "site.yaml", *folders], extra, skip="static", files=self.files,
                                 within=self.root)
        key = (site, tuple(folders), templates)
        if self.renderer is not None and self.renderer[0] == key:
            renderer = self.renderer[1]
            renderer.refresh_static()
        else:
            # Compiled templates are kept for the next run of the command; the preview, which
            # saves the cache only when asked, compiles them once for its whole life anyway.
            compiled = self.cache.compiled_templates(_code()) if self.options.save else None
            renderer = Renderer(site, hashed=self.options.hashed_assets, extras=self.options.extras,
                                compiled=compiled)
            self.renderer = (key, renderer)
            self.maps_key = f"{renderer.maps.identity()}\0{_code()}"
            renderer.maps.learn(self.cache.maps(self.maps_key))
            self.saved_maps = len(renderer.maps.drawn)
        if not self.options.hashed_assets:
            return renderer, templates
        names = sorted(f"{name}={out}" for name, (_, out) in renderer.static.items())
        if isinstance(renderer.parent_script, bytes):  # published beside the site-wide pages: they are made with it
            names.append(f"embed-parent.js={_digest(renderer.parent_script)}")
        return renderer, hashlib.sha256("\n".join([templates, *names]).encode()).hexdigest()

    def _before(self, trusting: bool = False) -> Mapping[str, str]:
        """Digests of the output files that are still as this tool wrote them.

        The preview's folder is its own: after a good build in this process it is
        taken as written, without looking at every file, while it is there at all.
        A file deleted from it by hand fails one build, and the next looks at everything.
        """
        if self.written is None:
            self.written = self.saved_written = self.cache.manifest(self.out)
        if trusting and self.options.in_place and (self.out / MARKER).is_file():
            return Digests(self.written)
        before = {}
        out = str(self.out)  # plain strings: this runs for every output file
        for name, (digest_, size, mtime) in self.written.items():
            try:
                st = os.stat(f"{out}/{name}")
            except OSError:
                continue
            if st.st_size == size and st.st_mtime_ns == mtime:
                before[name] = digest_
        return before

    def _explainers(self, maker: _Lazy, theme: str, before: Mapping[str, str], report: Report, write: bool = True,
                    hints: set[Path] | None = None, known: list[Path] | None = None) -> tuple[list[tuple[Path, Done]], int]:
        """Every published explainer, newest first; made anew where its inputs changed.

        A published build writes each page into its Stage as soon as it is made.
        With `hints`, only those folders are looked at; `known` are the others.
        """
        keep: dict[Path, Done] = {}
        problems: dict[Path, list[Problem]] = {}
        todo: list[tuple[Path, str | None]] = []
        folders = self.folders = known if hints is not None and known is not None else explainer_folders(self.root, report)
        for folder in folders:
            done = self.done.get(folder)
            if hints is not None and folder not in hints and done is not None:
                keep[folder], problems[folder] = done, done.warnings
                continue
            if done is None:  # new: its fingerprint is taken where it is made
                todo.append((folder, None))
                continue
            fingerprint = _fingerprint([folder], theme, files=self.files, within=self.root)
            if done.fingerprint == fingerprint and _page_there(done, before):
                keep[folder], problems[folder] = done, done.warnings
            else:
                todo.append((folder, fingerprint))
        rendered = 0
        self.remade = {folder for folder, _ in todo}
        if todo and write and not self._in_place(before):
            self.stage = self._stage()
        self.theme = theme
        if todo and self.progress is not None:
            self.progress.start(len(todo))
        each = self._made if self.progress is not None else None
        made = make_all(maker.get(), todo, self.options.workers, self._make, each) if todo else []
        for (folder, _), (done, found) in zip(todo, made):
            problems[folder] = found
            if done is None:
                self.cache.drop(folder)
                continue
            if done.sources:
                self.files.learn(done.sources)
                done.sources = {}
            if done.drawings:  # drawn by a worker: the country pages use them too
                maker.get().renderer.maps.learn(done.drawings)
                done.drawings = {}
            keep[folder] = done
            rendered += done.published
        for folder in folders:  # problems in folder order, however they were made
            report.extend(problems.get(folder, []))
        self.done = keep
        unique = {a.path for a in check_unique_slugs([d.article for d in keep.values()], report)}
        published = [(f, d) for f, d in keep.items() if d.published and d.article.path in unique]
        published.sort(key=lambda fd: fd[1].sort_key, reverse=True)  # newest first
        return published, rendered

    def _translations(self, site: Site, maker: _Lazy, done: list[tuple[Path, Done]], report: Report) -> int:
        """Links translations to each other; renders again the pages whose links changed.

        Links come from front matter alone, so they are worked out once every
        explainer is loaded, and a page is made again only when its links differ.
        """
        if not any(d.article.translation_of or d.links for _, d in done):
            return 0
        wanted = translation_links(site, [d.article for _, d in done], report)
        remade = 0
        for i, (folder, d) in enumerate(done):
            links = wanted.get(d.slug, ())
            if links == d.links:
                continue
            made, problems = maker.get().make((folder, d.fingerprint), links)
            if made is None:  # the inputs changed while building: report them as found
                raise BuildError(problems)
            made = self._finish(folder, made)
            done[i] = (folder, made)
            self.done[folder] = made
            self.remade.add(folder)
            remade += 1
        by_slug = {d.slug: (folder, d) for folder, d in done}
        for folder, d in done:
            original = by_slug.get(d.article.translation_of)
            if original is not None:
                report_missing(d.article, self._explainer(folder, d, maker),
                               self._explainer(*original, maker), report)
        return remade

    def _made(self, made: tuple[Done | None, list[Problem]]) -> None:
        """Tells the progress of an explainer made, and how many files it wrote."""
        done = made[0]
        if self.progress is not None:
            self.progress.made(1 + len(done.extra_digests) + len(done.assets) if done is not None and done.published else 0)

    def _make(self, maker: Maker, job: tuple[Path, str | None]) -> tuple[Done | None, list[Problem]]:
        """Makes one explainer and keeps what was made; runs in the process that makes it.

        A new explainer's fingerprint is taken here, before its files are read,
        so the work of reading every file spreads over the workers too.
        """
        folder, fingerprint = job
        sources = FileDigests()
        if fingerprint is None:
            fingerprint = _fingerprint([folder], self.theme, files=sources, within=self.root)
        done, problems = maker.make((folder, fingerprint))
        if done is not None:
            done = self._finish(folder, done)
            done.sources = sources.known
        return done, problems

    def _finish(self, folder: Path, done: Done) -> Done:
        """Keeps what was made: in the cache, and its files in the Stage if there is one.

        Runs in the process that made the explainer, worker or not. Only translations
        are kept whole, for the check that compares them; summaries and stubs are saved
        at the end of the build.
        """
        if done.article.translation_of or done.links:
            self.cache.put(folder, done)
        if self.stage is None or not done.published:
            return done
        page = paths.page(paths.explainer(done.slug))
        files: dict[str, bytes | Path | None] = {page: done.page, **(done.extras or {})}
        digests = {page: done.digest, **done.extra_digests}
        for rel in done.assets:
            name = paths.explainer(done.slug) + rel.as_posix()
            files[name] = folder / rel
            digests[name] = self.files.digest(str(folder / rel))
        self.stage.put(files, digests, self.before)
        # Sent back without the summary object: `packed` holds it, and only the processes
        # that make the site-wide files need it (_summaries).
        return replace(done, explainer=None, page=None, extras=None, staged=True, summary=None)

    def _in_place(self, before: Mapping[str, str]) -> bool:
        """Whether this build updates the output file by file (the preview, once there is output)."""
        return self.options.in_place and bool(before) and (self.out / MARKER).is_file()

    def _files(self, renderer: Renderer, maker: _Lazy, theme: str, done: list[tuple[Path, Done]],
               before: Mapping[str, str], report: Report, last: FileMap | None) -> FileMap:
        """Every output file and its digest: page text as bytes, copied files as their
        source path, None for a file that is in the output already, STAGED for one
        in the Stage already. From `last` (the last build's), only the explainers made
        anew and the site-wide files are looked at again."""
        wanted = {folder: d for folder, d in done}
        if last is None:
            made = FileMap()
            for folder, d in done:
                made.add(folder, self._entries(folder, d))
        else:
            made = last
            made.patch(wanted.keys() - self.remade, list(wanted), lambda f: self._entries(f, wanted[f]))
        made.put(MARKER, marker_text(), _digest(marker_text()))
        for content, name in renderer.static.values():
            made.put(f"static/{name}", content,
                     self.files.digest(str(content)) if isinstance(content, Path) else _digest(content))
        self._sitewide(renderer, maker, theme, done, before, made, report)
        return made

    def _entries(self, folder: Path, d: Done) -> Entries:
        """An explainer's output files: its page, its files, and those its features make."""
        page = paths.page(paths.explainer(d.slug))
        found: Entries = {page: (STAGED if d.staged else d.page, d.digest)}
        for rel in d.assets:
            name, source = paths.explainer(d.slug) + rel.as_posix(), f"{folder}/{rel.as_posix()}"
            found[name] = (STAGED if d.staged else Path(source), self.files.digest(source))
        for name, digest_ in d.extra_digests.items():
            found[name] = (STAGED if d.staged else d.extras[name] if d.extras else None, digest_)
        return found

    def _sitewide(self, renderer: Renderer, maker: _Lazy, theme: str, done: list[tuple[Path, Done]],
                  before: Mapping[str, str], made: FileMap, report: Report) -> None:
        """The files made from every explainer, in groups each kept while nothing it shows changed:
        index, feed and sitemap, and country pages (from the summaries); the site-wide
        annotations.json (from each explainer's own); then the search index, shard by shard
        (from the explainer and country pages), and the list of its shards."""
        listings = _digest("\n".join([theme, *(f"{d.slug} {d.listing}" for _, d in done)]).encode())

        def explainers() -> list[Explainer]:  # in the process that makes the group
            self._summaries(maker, done)
            return [d.summary for _, d in done if d.summary is not None]  # every one, once _summaries is done

        groups = {}  # the longest to make first: they may be made side by side
        if self.options.extras:
            key = _digest("\n".join(f"{d.slug} {d.annotations}" for _, d in done).encode())
            groups["annotations"] = (key, lambda: {paths.ANNOTATIONS: site_file(
                renderer.site, [self._document(d, made.files) for _, d in done])})
        # Both merge the country boxes (hubs), the pages for the sitemap's list: in two processes,
        # each does it rather than wait for the other.
        groups["countries"] = (listings, lambda: hub_files(renderer, hubs(explainers()), self._images()))
        groups["pages"] = (listings, lambda: self._pages(renderer, explainers()))
        waves: list = [groups]
        if renderer.env.globals["search"]:  # the index reads the pages the others make
            waves.append(lambda: self._search_group(made, done))
        for wave in waves:
            wave = wave() if callable(wave) else wave
            todo = {}
            for group, (key, make) in wave.items():
                kept = self.sitewide.get(group)
                if kept and kept[0] == key and all(before.get(name) == d for name, d in kept[1].items()):
                    made.files.update(dict.fromkeys(kept[1]))
                    made.digests.update(kept[1])
                else:
                    todo[group] = make
            for group, files in self._make_groups(todo, renderer, report, fork=wave is groups).items():
                made.drop(self.sitewide.get(group, ("", {}))[1])  # what the group made last: it may make less
                self.sitewide[group] = (wave[group][0], {name: digest_ for name, (_, digest_) in files.items()})
                for name, (content, digest_) in files.items():
                    made.put(name, content, digest_)

    def _make_groups(self, todo: dict[str, Callable], renderer: Renderer, report: Report,
                     fork: bool = True) -> dict[str, dict[str, tuple[bytes | Path, str]]]:
        """Each group's files (content and digest), made side by side: in forked processes
        that write into the Stage when there is one, or (`fork` false: the search index,
        which keeps its state in this process) here; a group with a template error is left out."""

        def make(group: str) -> tuple[dict | None, dict[str, str], list[Problem]]:
            own = Report()
            try:
                made = todo[group]()
            except TEMPLATE_ERRORS as exc:
                report_template_error(exc, renderer, own)
                return None, {}, own.problems
            if isinstance(made, tuple):  # the files and the digests the group keeps of them
                made, known = made
                found = {name: known[name] for name in made}
            else:
                found = {name: _digest(data) for name, data in made.items()}
            if stage is not None:  # forked: written here, and only the digests sent back
                stage.put(made, found, {})
                made = dict.fromkeys(made, STAGED)
            return made, found, own.problems

        forked = fork and self.stage is not None and len(todo) > 1 and len(self.folders) >= FORK_GROUPS_FROM and can_fork()
        stage = self.stage if forked else None
        groups = list(todo)
        side_by_side = min(len(groups), os.cpu_count() or 1)
        if forked:
            results = in_forks(make, groups, side_by_side)
        else:
            results = [make(g) for g in groups]
        made = {}
        for group, (contents, found, problems) in zip(groups, results):
            report.extend(problems)
            if contents is not None:
                made[group] = {name: (STAGED if forked else contents[name], found[name]) for name in found}
        return made

    def _summaries(self, maker: _Lazy, done: list[tuple[Path, Done]]) -> None:
        """Every explainer's summary at hand: from the cache, or made again."""
        if all(d.summary is not None for _, d in done):
            return
        saved = None
        for folder, d in done:
            if d.summary is None and d.packed:  # made in this build, by a worker
                d.summary = pickle.loads(d.packed)
            if d.summary is None:
                saved = self.cache.summaries() if saved is None else saved
                d.summary = _unpacked(*saved.get(folder, ("", b"")), d.listing)
            if d.summary is None:  # not in the cache, or not as it is now
                d.summary = summary_of(self._explainer(folder, d, maker))

    def _pages(self, renderer: Renderer, explainers: list[Explainer]) -> dict[str, bytes]:
        """The index, feed, sitemap and not-found page."""
        pages = {paths.PAGE: renderer.index(explainers), **renderer.extras(explainers, hubs(explainers))}
        explainers_word = renderer.languages.ui(renderer.site.language).gettext("Explainers")
        card = {cards.DRAWN: cards.drawn(site_text(renderer.site, explainers_word), self._images())}  # the index's and 404's og:image
        return {**{name: text.encode() for name, text in pages.items()}, **card}

    def _search_group(self, made: FileMap, done: list[tuple[Path, Done]]) -> dict[str, tuple[str, Callable]]:
        """The search index, kept while the explainer and country pages' bytes stay the same,
        and changed page by page when they don't (search.Index)."""
        candidates = [paths.page(paths.explainer(d.slug)) for _, d in done]  # without a look at every file
        candidates += [name for group, (_, names) in self.sitewide.items() if group != "search" for name in names]
        pages = {name: made.digests[name] for name in candidates if search.indexed(name) and name in made.files}
        if not pages:
            return {}  # nothing published yet (drafts only): nothing to search
        code = _code()  # a new generator may read pages otherwise
        key = _digest("\n".join([code, *(f"{n} {d}" for n, d in sorted(pages.items()))]).encode())

        def make() -> tuple[dict[str, bytes | None], dict[str, str]]:
            if self.search is None or self.search.code != code:
                self.search = search.Index(self.cache.search_index(), code)
            files = self.search.update(pages, lambda name: self._output(name, made.files), self.before,
                                       lambda name: (self.out / name).read_bytes())
            return files, self.search.digests

        return {"search": (key, make)}

    def _document(self, d: Done, files: dict) -> bytes:
        """An explainer's annotations.json, kept in memory between builds in one process."""
        name = paths.annotations(d.slug)
        kept = self.documents.get(name)
        if kept is None or kept[0] != d.annotations:
            kept = self.documents[name] = (d.annotations, self._output(name, files))
        return kept[1]

    def _output(self, name: str, files: dict) -> bytes:
        """The bytes of an output file of this build: in memory, in the Stage, or in the output."""
        content = files[name]
        if isinstance(content, bytes):
            return content
        if content is STAGED and self.stage is not None and self.stage.folder is not None:
            return (self.stage.folder / name).read_bytes()
        return (content or self.out / name).read_bytes()

    def _explainer(self, folder: Path, done: Done, maker: _Lazy) -> Explainer:
        """An explainer for the site-wide pages: in memory, from the cache, or made again."""
        found = done.explainer
        if found is None:
            cached = self.cache.get(folder)
            found = cached.explainer if cached is not None and cached.fingerprint == done.fingerprint else None
        if found is None:  # the entry is damaged or gone: the page is the same, the explainer is needed
            made, problems = maker.get().make((folder, done.fingerprint))
            if made is None or made.explainer is None:  # the inputs changed while building: report them as found
                raise BuildError(problems)
            found = made.explainer
            self.cache.put(folder, made)
        done.explainer = found
        return found

    def _write(self, made: FileMap, before: Mapping[str, str], trusting: bool) -> list[str]:
        """Writes what changed: in place for the preview, else through a new folder swapped in whole (output.write).

        When every file is already in the output as written, there is nothing to do.
        """
        files, digests = made.files, made.digests
        trusting = trusting and self._in_place(before)  # the preview's own folder, as it wrote it
        # Trusted, the folder holds what the last build wrote: only the names touched may differ.
        names = made.touched if trusting else None
        gone: set[str] = set()
        try:
            if names is not None:
                gone = {name for name in names if name not in files and name in before}
                changed = update(self.out, files, digests, before, gone=gone, names=names)
            elif all(before.get(n) == digests[n] for n in files) and (
                    set(before) == set(files) if trusting else present(self.out) == set(files)):
                changed = []  # a Stage made meanwhile holds the same bytes: it is discarded
            elif self._in_place(before):
                changed = update(self.out, files, digests, before, gone=set(before) - set(files) if trusting else None)
            else:
                changed = write(self.out, files, digests, before, self.stage or self._stage())
                self.stage = None  # swapped in: the previous output is the spare now
        except BaseException:
            self.written = {}  # unknown now: the next build checks everything
            raise
        self.written = self._written(files, digests, before, changed, gone if names is not None else None)
        for d in self.done.values():
            d.page = d.extras = None  # written: the output holds them now
            d.staged = False
        return changed

    def _written(self, files: dict, digests: dict[str, str], before: Mapping[str, str], changed: list[str],
                 gone: set[str] | None) -> Written:
        """The write manifest after a write: the last one with the changed and `gone` names
        only, when they are known, else made again for every file."""
        last = self.written or {}
        if gone is not None:
            written = dict(last) if last is self.saved_written else last
            for name in gone:
                written.pop(name, None)
        else:
            written = {name: last[name] for name in files if name in before and name not in changed}
        for name in changed:
            st = os.stat(self.out / name)
            written[name] = (digests[name], st.st_size, st.st_mtime_ns)
        return written

    def _stage(self) -> Stage:
        """The folder the new output is made in: the spare beside the output, which only
        a build holding the output's lock may use."""
        return Stage(self.out, spare=self.locked)

    def save(self) -> None:
        """Saves the stubs and the write manifest when they differ from what the cache holds."""
        if not self.loaded:  # nothing built yet
            return
        if self.written is not None and self.written != self.saved_written:
            self.cache.save_manifest(self.out, self.written)
            self.saved_written = self.written
        if self.files.changed:
            self.cache.save_file_digests(self.files.known)
            self.files.changed = False
        imagestore.prune(self._images())
        imagestore.prune(cards.folder(self._images()))
        drawn = self.renderer[1].maps.drawn if self.renderer else {}
        if len(drawn) != self.saved_maps:  # drawings only come: a new count is a new drawing
            self.cache.save_maps(self.maps_key, drawn)
            self.saved_maps = len(drawn)
        if self.search is not None and self.search.changed:
            self.cache.save_search_index(self.search.state())
            self.search.changed = False
        state = self._state()
        if state == self.saved:
            return
        self.cache.save_stubs(self.done, self.sitewide)
        listings = [(f, d.listing) for f, d in self.done.items() if d.published]
        if listings != [(f, listing) for f, _, _, listing, _ in self.saved[0] if listing] and all(
                self.done[f].summary is not None or self.done[f].packed for f, _ in listings):
            self.cache.save_summaries({f: (listing, _packed(self.done[f])) for f, listing in listings})
        self.saved = state

    def _state(self) -> tuple:
        return tuple((f, d.fingerprint, d.digest, d.published and d.listing, d.links)
                     for f, d in self.done.items()), dict(self.sitewide)

    def _stage_reached(self, what: str) -> None:
        if self.progress is not None:
            self.progress.stage(what)

    def _stop_on_errors(self, report: Report) -> None:
        if report.errors or (self.options.strict and report.warnings):
            raise BuildError(report.sorted())


class FileDigests:
    """The digest of each file's bytes, read again only when the file's size,
    modification time or inode changed.

    A file modified in the last seconds is read every time: a second write
    within the same clock tick would not change its modification time.
    """

    SETTLED_NS = 2_000_000_000

    def __init__(self, known: dict[str, tuple[int, int, int, str]] | None = None):
        self.known = known or {}
        self.changed = False  # since loaded or saved

    def learn(self, known: dict[str, tuple[int, int, int, str]]) -> None:
        """Takes the digests another FileDigests found (a worker's)."""
        self.known.update(known)
        self.changed = True

    def digest(self, path: str) -> str:
        st = os.stat(path)
        key = (st.st_size, st.st_mtime_ns, st.st_ino)
        hit = self.known.get(path)
        if hit is not None and hit[:3] == key:
            return hit[3]
        with open(path, "rb") as f:
            found = hashlib.sha256(f.read()).hexdigest()
        if time.time_ns() - st.st_mtime_ns > self.SETTLED_NS:
            self.known[path] = (*key, found)
            self.changed = True
        return found


class _Lazy:
    """Makes a value on first use: the Maker loads Markdown and Babel, which a no-op build skips."""

    def __init__(self, make):
        self.make, self.value = make, None

    def get(self):
        if self.value is None:
            self.value = self.make()
        return self.value


def build(options: Options) -> Result:
    """One complete build, as `python -m generator build` runs it."""
    return Builder(options).build()


@functools.cache
def _code() -> str:
    """The generator's own code and version, Python's version, the libraries that shape the
    output and the fonts the share images are drawn with: a new version of any may render
    differently (and templates compiled by one Jinja call into its runtime), so pages and
    images are made again and templates compiled anew."""
    inputs = [sys.version, f"generator {_version()}", _installed(LIBRARIES), fonts.identity()]
    return _fingerprint([Path(__file__).parents[1]], "\n".join(inputs), skip="__pycache__")


def _version() -> str:
    """The installed generator's version, from the name of its .dist-info folder ("" when run
    from a checkout never installed). Read without importlib.metadata, whose import alone
    takes longer than a build that changes nothing."""
    prefix = DISTRIBUTION.replace("-", "_").lower() + "-"
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.lower().startswith(prefix) and name.endswith(".dist-info"):
                return name[len(prefix):-len(".dist-info")]
    return ""


def _installed(names: tuple[str, ...]) -> str:
    """Where each library is installed, and its main file's size and time, which installing
    another version changes; found without importing them, as a build may need none."""
    found = []
    for name in names:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        try:
            st = os.stat(origin or "")
        except OSError:  # not there, or not from a file
            found.append(f"{name} -")
            continue
        found.append(f"{name} {origin} {st.st_size} {st.st_mtime_ns}")
    return "\n".join(found)


def _packed(done: Done) -> bytes:
    return done.packed or pickle.dumps(done.summary, protocol=pickle.HIGHEST_PROTOCOL)


def _unpacked(listing: str, packed: bytes, wanted: str) -> Explainer | None:
    """A summary from the cache, if it is the one wanted and can be read."""
    if listing != wanted:
        return None
    try:
        summary = loads(packed)  # only the classes a summary holds
    except Exception:  # noqa: BLE001  # a damaged entry, whatever unpickling raised: made anew
        return None
    return summary if isinstance(summary, Explainer) else None


def _inside(path: Path, folder: Path) -> tuple[str, ...] | None:
    """The steps from `folder` (resolved) down to `path`, also when `path` is named through a
    link (a site folder reached through a linked home or projects folder); None if outside."""
    for named in (path, path.parent.resolve() / path.name):
        try:
            return named.relative_to(folder).parts
        except ValueError:
            continue
    return None


def _page_there(done: Done, before: Mapping[str, str]) -> bool:
    """Whether a cached explainer's page is at hand: in memory, or in the output as written."""
    if not done.published:
        return True
    if done.page is None and before.get(paths.page(paths.explainer(done.slug))) != done.digest:
        return False
    return done.extras is not None or all(before.get(n) == d for n, d in done.extra_digests.items())


def _fingerprint(paths: list[Path], extra: str = "", skip: str = "", files: FileDigests | None = None,
                 within: Path | None = None) -> str:
    """A digest of every file under `paths` (but not under a top-level `skip` folder).

    With `within` (the site folder), a file that is a link to outside it (the theme's
    files: outside the theme) is not read, not even for its digest (it could be
    /proc/kcore): the build refuses it (sources.contained), and its name stands in.
    """
    files = files or FileDigests()
    h = hashlib.sha256(extra.encode())
    for top in paths:
        limit = THEME if top == THEME else within
        links: set[str] = set()
        listed = _files_under(str(top), skip, links) if top.is_dir() else [str(top)]
        plain = limit is None or is_inside(top, limit)
        for path in listed:
            if not plain or (limit is not None and path in links and not is_inside(Path(path), limit)):
                h.update(os.fsencode(path) + b"\0outside\0")
                continue
            # os.fsencode: a file name need not be UTF-8 (the build reports such a name)
            h.update(os.fsencode(path) + f"\0{files.digest(path)}\0".encode())
    return h.hexdigest()


def _files_under(top: str, skip: str = "", links: set[str] | None = None) -> list[str]:
    """Every file below `top`, sorted as paths: os.scandir, for it runs once per explainer per build.
    The files that are links are added to `links`."""
    found = []
    for entry in os.scandir(top):
        if entry.is_dir():
            if entry.name != skip and not entry.is_symlink():  # as Path.rglob: links to folders not followed
                found += _files_under(entry.path, links=links)
        elif entry.is_file():
            found.append(entry.path)
            if links is not None and entry.is_symlink():
                links.add(entry.path)
    return sorted(found, key=lambda p: p.split(os.sep))  # the order of sorted Paths


def _digest(content: bytes | Path) -> str:
    data = content.read_bytes() if isinstance(content, Path) else content
    return hashlib.sha256(data).hexdigest()
