"""Every explainer of a site: made anew where its inputs changed, kept from the last build otherwise.

An explainer is made again when the fingerprint of its folder and the
templates changed, or its files are no longer in the output as written.
Translations are linked once every explainer is loaded, and a page is made
again only when its links changed.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from itertools import chain
from pathlib import Path

from generator.errors import BuildError, Problem, Report
from generator.load.content import check_unique_slugs, explainer_folders
from generator.model.common import Site
from generator.model.page import Explainer
from generator.render import paths
from generator.render.i18n import report_missing, translation_links

from . import fingerprint as fp
from .cache import Cache, loads
from .explainer import Maker, summary_of
from .filemap import Entries
from .fingerprint import FileDigests
from .parallel import make_all
from .records import Entry, WorkerResult
from .sources import STAGED
from .writing import Writer


class Lazy:
    """Makes a value on first use: the Maker loads Markdown and Babel, which a no-op build skips."""

    def __init__(self, make):
        self.make, self.value = make, None

    def get(self):
        if self.value is None:
            self.value = self.make()
        return self.value


class Explainers:
    """The explainers of one site as a Builder keeps them between builds."""

    def __init__(self, root: Path, cache: Cache, files: FileDigests, writer: Writer, workers: int | None):
        self.root = root
        self.cache = cache
        self.files = files
        self.writer = writer  # its Stage, when there is one, takes each page as soon as it is made
        self.workers = workers  # processes that render; None: as many as cores when it pays
        self.done: dict[Path, Entry] = {}
        self.folders: list[Path] = []
        self.remade: set[Path] = set()  # explainer folders made anew in this build
        self.theme = ""  # the fingerprint of the templates, for the explainers made in this build
        self.progress = None  # a progress.Progress to tell how the build goes, or None
        self.saved: tuple = ((), {})  # what the cache holds (state), to save only a change

    def collect(self, maker: Lazy, theme: str, before: Mapping[str, str], report: Report, write: bool = True,
                only: set[Path] | None = None, known: list[Path] | None = None) -> tuple[list[tuple[Path, Entry]], int]:
        """Every published explainer, newest first; made anew where its inputs changed.

        A published build writes each page into its Stage as soon as it is made.
        With `only`, only those folders are looked at; `known` are the others.
        """
        keep: dict[Path, Entry] = {}
        problems: dict[Path, list[Problem]] = {}
        todo: list[tuple[Path, str | None]] = []
        folders = self.folders = known if only is not None and known is not None else explainer_folders(self.root, report)
        for folder in folders:
            done = self.done.get(folder)
            if only is not None and folder not in only and done is not None:
                keep[folder], problems[folder] = done, done.warnings
                continue
            if done is None:  # new: its fingerprint is taken where it is made
                todo.append((folder, None))
                continue
            fingerprint = fp.fingerprint([folder], theme, files=self.files, within=self.root)
            if done.fingerprint == fingerprint and _page_there(done, before):
                keep[folder], problems[folder] = done, done.warnings
            else:
                todo.append((folder, fingerprint))
        rendered = 0
        self.remade = {folder for folder, _ in todo}
        if todo and write and not self.writer.in_place(before):
            self.writer.stage = self.writer.new_stage()
        self.theme = theme
        if todo and self.progress is not None:
            self.progress.start(len(todo))
        each = self._told if self.progress is not None else None
        made = make_all(maker.get(), todo, self.workers, self._make, each) if todo else []
        for (folder, _), (result, found) in zip(todo, made):
            problems[folder] = found
            if result is None:
                self.cache.drop(folder)
                continue
            if result.sources:
                self.files.add(result.sources)
            if result.drawings:  # drawn by a worker: the country pages use them too
                maker.get().renderer.maps.learn(result.drawings)
            keep[folder] = result.entry
            rendered += result.entry.published
        # problems in folder order, however they were made
        report.extend(chain.from_iterable(problems.get(folder, ()) for folder in folders))
        self.done = keep
        unique = {a.path for a in check_unique_slugs([d.article for d in keep.values()], report)}
        published = [(f, d) for f, d in keep.items() if d.published and d.article.path in unique]
        published.sort(key=lambda fd: fd[1].sort_key, reverse=True)  # newest first
        return published, rendered

    def state(self, sitewide: dict) -> tuple:
        """What the cache keeps of the explainers and the site-wide files' groups."""
        return tuple((f, d.fingerprint, d.digest, d.published and d.summary_digest, d.links)
                     for f, d in self.done.items()), dict(sitewide)

    def save(self, sitewide: dict) -> None:
        """Saves the records, and the summaries when one changed, when they differ from what the cache holds."""
        state = self.state(sitewide)
        if state == self.saved:
            return
        done = self.done
        self.cache.save_records(dict(done), sitewide)
        listings = [(f, d.summary_digest) for f, d in done.items() if d.published]
        if listings != [(f, listing) for f, _, _, listing, _ in self.saved[0] if listing] and all(
                done[f].summary is not None or done[f].summary_pickle for f, _ in listings):
            self.cache.save_summaries({f: (listing, packed_summary(done[f])) for f, listing in listings})
        self.saved = state

    def translations(self, site: Site, maker: Lazy, done: list[tuple[Path, Entry]], report: Report) -> int:
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
            result, problems = maker.get().make((folder, d.fingerprint), links)
            if result is None:  # the inputs changed while building: report them as found
                raise BuildError(problems)
            made = self._finish(folder, result.entry)
            done[i] = (folder, made)
            self.done[folder] = made
            self.remade.add(folder)
            remade += 1
        by_slug = {d.slug: (folder, d) for folder, d in done}
        for folder, d in done:
            original = by_slug.get(d.article.translation_of)
            if original is not None:
                report_missing(d.article, self.explainer(folder, d, maker),
                               self.explainer(*original, maker), report)
        return remade

    def _told(self, made: tuple[WorkerResult | None, list[Problem]]) -> None:
        """Tells the progress of an explainer made, and how many files it wrote."""
        done = made[0].entry if made[0] is not None else None
        if self.progress is not None:
            self.progress.made(1 + len(done.extra_digests) + len(done.assets) if done is not None and done.published else 0)

    def _make(self, maker: Maker, job: tuple[Path, str | None]) -> tuple[WorkerResult | None, list[Problem]]:
        """Makes one explainer and keeps what was made; runs in the process that makes it.

        A new explainer's fingerprint is taken here, before its files are read,
        so the work of reading every file spreads over the workers too.
        """
        folder, fingerprint = job
        sources = FileDigests()
        if fingerprint is None:
            fingerprint = fp.fingerprint([folder], self.theme, files=sources, within=self.root)
        result, problems = maker.make((folder, fingerprint))
        if result is not None:
            result.entry = self._finish(folder, result.entry)
            result.sources = sources.known
        return result, problems

    def _finish(self, folder: Path, done: Entry) -> Entry:
        """Keeps what was made: in the cache, and its files in the Stage if there is one.

        Runs in the process that made the explainer, worker or not. Only translations
        are kept whole, for the check that compares them; summaries and records are saved
        at the end of the build.
        """
        if (done.article.translation_of or done.links) and done.explainer is not None:
            self.cache.put(folder, done, done.explainer)
        stage = self.writer.stage
        if stage is None or not done.published:
            return done
        entries = self.entries(folder, done)
        stage.put({name: content for name, (content, _) in entries.items()},
                  {name: digest_ for name, (_, digest_) in entries.items()}, self.writer.before)
        return done.sent()

    def entries(self, folder: Path, d: Entry) -> Entries:
        """An explainer's output files: its page, its files, and those its features make."""
        page = paths.page(paths.explainer(d.slug))
        rendered = d.rendered
        found: Entries = {page: (STAGED if d.staged else rendered.page if rendered else None, d.digest)}
        for rel in d.assets:
            name, source = paths.explainer(d.slug) + rel.as_posix(), f"{folder}/{rel.as_posix()}"
            found[name] = (STAGED if d.staged else Path(source), self.files.digest(source))
        for name, digest_ in d.extra_digests.items():
            found[name] = (STAGED if d.staged else rendered.extras[name] if rendered else None, digest_)
        return found

    def summaries(self, maker: Lazy, done: list[tuple[Path, Entry]]) -> None:
        """Every explainer's summary at hand: from the cache, or made again."""
        if all(d.summary is not None for _, d in done):
            return
        saved = None
        for folder, d in done:
            if d.summary is None and d.summary_pickle:  # made in this build, by a worker
                d.summary = pickle.loads(d.summary_pickle)
            if d.summary is None:
                saved = self.cache.summaries() if saved is None else saved
                d.summary = _unpacked(*saved.get(folder, ("", b"")), d.summary_digest)
            if d.summary is None:  # not in the cache, or not as it is now
                d.summary = summary_of(self.explainer(folder, d, maker))

    def explainer(self, folder: Path, done: Entry, maker: Lazy) -> Explainer:
        """An explainer for the site-wide pages: in memory, from the cache, or made again."""
        found = done.explainer
        if found is None:
            cached = self.cache.get(folder)
            found = cached[1] if cached is not None and cached[0].fingerprint == done.fingerprint else None
        if found is None:  # the entry is damaged or gone: the page is the same, the explainer is needed
            made, problems = maker.get().make((folder, done.fingerprint))
            if made is None or made.entry.explainer is None:  # the inputs changed while building: report them as found
                raise BuildError(problems)
            found = made.entry.explainer
            self.cache.put(folder, made.entry, found)
        done.explainer = found
        return found


def packed_summary(done: Entry) -> bytes:
    """Its summary, pickled for the cache."""
    return done.summary_pickle or pickle.dumps(done.summary, protocol=pickle.HIGHEST_PROTOCOL)


def _unpacked(summary_digest: str, pickled: bytes, wanted: str) -> Explainer | None:
    """A summary from the cache, if it is the one wanted and can be read."""
    if summary_digest != wanted:
        return None
    try:
        summary = loads(pickled)  # only the classes a summary holds
    except Exception:  # noqa: BLE001  # a damaged entry, whatever unpickling raised: made anew
        return None
    return summary if isinstance(summary, Explainer) else None


def _page_there(done: Entry, before: Mapping[str, str]) -> bool:
    """Whether a cached explainer's page is at hand: in memory, or in the output as written."""
    if not done.published:
        return True
    if done.rendered is None and before.get(paths.page(paths.explainer(done.slug))) != done.digest:
        return False
    if done.rendered is not None:
        return True
    return done.extra_digests.items() <= before.items()  # every file and its digest among the output's
