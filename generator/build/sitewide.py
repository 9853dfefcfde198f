"""The site-wide files: groups made by the features from every explainer, each kept while nothing it shows changed.

A group is kept while its key is the same and its files are in the output as
written; else it is made again, its files replacing the ones it made last.
The groups of one wave are made side by side, in forked processes on a large
site, and a later wave starts once the earlier one's files are known.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problem, Report
from generator.features import search
from generator.features.base import Feature, Group, Listed, Switches
from generator.model.page import Explainer
from generator.render.environment import Renderer, report_template_error

from . import fingerprint as fp
from .explainer import TEMPLATE_ERRORS
from .filemap import FileMap
from .parallel import can_fork, in_forks
from .sources import STAGED, Content, Staged
from .stage import Stage

FORK_GROUPS_FROM = 300  # explainers from which the site-wide groups are made in forked processes

Kept = dict[str, tuple[str, dict[str, str]]]  # group -> (key, digest of each of its files)


@dataclass
class SiteFiles:
    """What the build offers the features making site-wide files (features.base.SiteWide)."""

    renderer: Renderer
    switches: Switches
    images: Path | None
    listed: list[Listed]
    listings: str
    made: FileMap
    groups: Kept
    before: Mapping[str, str]
    out: Path
    stage: Stage | None
    summaries: Callable[[], list[Explainer]]
    index: Callable[[str], search.Index]
    documents: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # kept between builds in one process

    @property
    def digests(self) -> Mapping[str, str]:
        return self.made.digests

    def explainers(self) -> list[Explainer]:
        return self.summaries()

    def output(self, name: str) -> bytes:
        """The bytes of an output file of this build: in memory, in the Stage, or in the output."""
        content = self.made.files[name]
        if isinstance(content, bytes):
            return content
        if isinstance(content, Staged) and self.stage is not None and self.stage.folder is not None:
            return (self.stage.folder / name).read_bytes()
        return (content if isinstance(content, Path) else self.out / name).read_bytes()

    def kept(self, name: str) -> bytes:
        """An output file's bytes, kept in memory between builds in one process while its digest is the same."""
        known = self.documents.get(name)
        if known is None or known[0] != self.made.digests[name]:
            known = self.documents[name] = (self.made.digests[name], self.output(name))
        return known[1]

    def in_output(self, name: str) -> bytes:
        return (self.out / name).read_bytes()

    def code(self) -> str:
        return fp.code()

    def search_index(self, code: str) -> search.Index:
        return self.index(code)


def make_sitewide(features: list[Feature], site: SiteFiles, report: Report, explainers: int) -> None:
    """Puts every feature's site-wide files into the file map, wave after wave: a group kept
    where it may be, else made anew (`explainers`: how many the site has, which decides forking)."""
    made, kept = site.made, site.groups
    for wave in sorted({feature.wave for feature in features}):
        todo = []
        for group in [g for feature in features if feature.wave == wave for g in feature.groups(site)]:
            last = kept.get(group.name)
            if last and last[0] == group.key and _there(last[1], site.before):
                if not last[1].keys() <= made.files.keys():  # the preview's map, kept, holds them already
                    made.files.update(dict.fromkeys(last[1]))
                made.digests.update(last[1])
            else:
                todo.append(group)
        forked = (site.stage is not None and len(todo) > 1 and all(g.forkable for g in todo)
                  and explainers >= FORK_GROUPS_FROM and can_fork())
        for group, files in make_groups(todo, site.renderer, report, site.stage if forked else None).items():
            last_made = kept.get(group.name, ("", {}))[1]
            made.drop([name for name in last_made if name not in files])  # it may make less than last time
            kept[group.name] = (group.key, {name: digest for name, (_, digest) in files.items()})
            for name, (content, digest) in files.items():
                # A file the group says is in the output as it is (None), and that the map holds so
                # already, stays as it is: a search index of 1,000 pages changes a few files an edit.
                if content is not None or made.digests.get(name) != digest or name not in made.files:
                    made.put(name, content, digest)


def _there(files: dict[str, str], before: Mapping[str, str]) -> bool:
    """Whether each of these files (name -> digest) is in the output as the digest says: with
    `before` a dict, as found() gives it, in one comparison rather than a step of Python per file."""
    return files.items() <= before.items()


def make_groups(todo: list[Group], renderer: Renderer, report: Report,
                stage: Stage | None) -> dict[Group, dict[str, tuple[Content, str]]]:
    """Each group's files (content and digest), made side by side: with a `stage`, in forked
    processes that write into it; else here. A group with a template error is left out."""

    def make(group: Group) -> tuple[dict[str, Content] | None, dict[str, str], list[Problem]]:
        own = Report()
        try:
            made = group.make()
        except TEMPLATE_ERRORS as exc:
            report_template_error(exc, renderer, own)
            return None, {}, own.problems
        files: dict[str, Content]
        if isinstance(made, tuple):  # the files and the digests the group keeps of them
            files, found = dict(made[0]), {name: made[1][name] for name in made[0]}
        else:
            files, found = dict(made), {name: fp.digest(data) for name, data in made.items()}
        if stage is not None:  # forked: written here, and only the digests sent back
            stage.put(files, found, {})
            files = dict.fromkeys(files, STAGED)
        return files, found, own.problems

    if stage is not None:
        # Each fork is sent the group's place in `todo`: a group's maker cannot be pickled.
        results = in_forks(lambda i: make(todo[i]), list(range(len(todo))), min(len(todo), os.cpu_count() or 1))
    else:
        results = [make(g) for g in todo]
    made = {}
    for group, (contents, found, problems) in zip(todo, results):
        report.extend(problems)
        if contents is not None:
            made[group] = {name: (STAGED if stage is not None else contents[name], found[name]) for name in found}
    return made
