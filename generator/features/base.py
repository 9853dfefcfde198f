"""What a feature is: the files it adds beside each explainer's page, and to the whole site.

A feature is on or off for a site (site.yaml's switches, and whether the build
publishes). For one explainer it makes files from that explainer alone, with
its page; for the site it makes groups of files, each kept between builds
while its key stays the same and its files are in the output. Groups of a
later wave are made once the earlier waves' files are known (the search
index reads the pages the others make).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from generator.features.search import Index
from generator.model.page import Explainer
from generator.render.environment import Renderer


@dataclass(frozen=True)
class Switches:
    """What site.yaml and the build turn on."""

    share_pages: bool = True
    embeds: bool = True
    search: bool = True
    extras: bool = True  # files for publishing, which the preview leaves out


@dataclass(frozen=True)
class ForExplainer:
    """What a feature makes one explainer's files from."""

    renderer: Renderer
    explainer: Explainer
    switches: Switches
    images: Path | None  # the folder of share images kept between runs, if any


# A group's files: output name -> bytes; or those (None for a file in the output already)
# with the digests the group keeps of them.
GroupFiles = dict[str, bytes] | tuple[dict[str, bytes | None], dict[str, str]]


@dataclass(frozen=True)
class Group:
    """Site-wide files made together, kept while `key` stays the same and its files are in the output."""

    name: str
    key: str
    make: Callable[[], GroupFiles]
    forkable: bool = True  # may be made in a forked process; False: it keeps its state in this one


class Listed(Protocol):
    """What the site-wide files know of a published explainer without loading it."""

    @property
    def slug(self) -> str: ...

    @property
    def summary_digest(self) -> str: ...  # digest of what site-wide pages show of it

    @property
    def annotations(self) -> str: ...  # digest of its annotations.json

    @property
    def digest(self) -> str: ...  # digest of its page

    @property
    def notes(self) -> Mapping[str, object]: ...  # what features noted of it when it was made in this build


class SiteWide(Protocol):
    """What the build offers a feature making site-wide files."""

    renderer: Renderer
    switches: Switches
    images: Path | None
    listed: list[Listed]  # the published explainers, newest first
    listings: str  # a digest of the templates and of what site-wide pages show of every explainer

    @property
    def digests(self) -> Mapping[str, str]: ...  # the digest of every output file made so far

    @property
    def groups(self) -> Mapping[str, tuple[str, dict[str, str]]]: ...  # each group's key and file digests, as last made

    before: Mapping[str, str]  # the output files as this tool wrote them, and their digests

    def explainers(self) -> list[Explainer]: ...  # their summaries: all but body, timeline, quote cards

    def output(self, name: str) -> bytes: ...  # an output file's bytes, wherever they are

    def kept(self, name: str) -> bytes: ...  # the same, kept in memory between builds while they stay the same

    def in_output(self, name: str) -> bytes: ...  # a file's bytes as the output folder holds them

    def code(self) -> str: ...  # the generator's code fingerprint: a new generator may read pages otherwise

    def search_index(self, code: str) -> Index: ...  # the search index as last made, kept by the build


class Feature(Protocol):
    """One feature: its name, whether it is on, and the files it makes."""

    name: str
    wave: int  # site-wide groups of a later wave are made after those of earlier ones

    def on(self, switches: Switches) -> bool: ...

    def explainer_files(self, it: ForExplainer) -> dict[str, bytes]: ...

    def explainer_note(self, it: ForExplainer, page: bytes) -> object | None:
        """What its site-wide files need of one explainer's page, taken where the explainer is
        made (a worker) rather than read back from the page later; None for nothing."""

    def groups(self, site: SiteWide) -> list[Group]: ...
