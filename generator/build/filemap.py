"""The output files of the last build, kept by a running process (the preview) between builds.

A build told which explainers changed (by the preview's file watcher) starts from the
last build's map and replaces only those explainers' files, so its work grows with what
changed, not with the site: the names it may have changed (`touched`) are all the write
stage needs to look at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .sources import Content, Staged

Entries = dict[str, tuple[Content, str]]  # output name -> (content, digest)


@dataclass
class FileMap:
    files: dict[str, Content] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    owners: dict[Path, list[str]] = field(default_factory=dict)  # explainer folder -> its output names
    touched: set[str] | None = None  # names that may differ from the last build; None: any

    def add(self, folder: Path, entries: Entries) -> None:
        self.owners[folder] = list(entries)
        for name, (content, digest) in entries.items():
            self.files[name] = content
            self.digests[name] = digest

    def put(self, name: str, content: Content, digest: str) -> None:
        """A site-wide file: its name counts as touched."""
        self.files[name] = content
        self.digests[name] = digest
        if self.touched is not None:
            self.touched.add(name)

    def drop(self, names: Iterable[str]) -> None:
        for name in names:
            self.files.pop(name, None)
            self.digests.pop(name, None)
            if self.touched is not None:
                self.touched.add(name)

    def patch(self, keep: set[Path], wanted: list[Path], entries: Callable[[Path], Entries]) -> None:
        """Changes the map in place (the caller drops it if the build fails): the explainers
        in `wanted` but not in `keep` have their files made anew by `entries`, and those no
        longer wanted lose theirs; what differs is `touched`."""
        touched = self.touched = set()
        for folder in [f for f in self.owners if f not in keep]:
            self.drop(self.owners.pop(folder))
        for folder in wanted:
            if folder not in self.owners:
                made = entries(folder)
                self.add(folder, made)
                touched.update(made)

    def settled(self) -> FileMap:
        """The map as kept once written: what was bytes or in the Stage is in the output now."""
        names = self.files if self.touched is None else self.touched
        for name in names:
            content = self.files.get(name)
            if isinstance(content, (bytes, Staged)):
                self.files[name] = None
        self.touched = None
        return self

