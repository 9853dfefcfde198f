"""What the build holds of one explainer: kept between builds, held in memory, sent back by a worker.

A `Record` is what the cache keeps between builds: enough to list the
explainer and to know its files are in the output, without loading it. An
`Entry` is a record as a build holds it, with what is at hand in memory (its
summary, its bytes not written yet). A `WorkerResult` is what the process
that made an explainer sends back. The conversions between them are here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from generator.errors import Problem
from generator.model.page import Explainer
from generator.model.source import Article
from generator.render import paths


@dataclass
class Record:
    """One explainer's outcome, kept between builds while its inputs stay the same.

    Its page is in the output (digest `digest`); what the index, feed, sitemap
    and country pages show of it is saved apart, under `summary_digest` (Cache.summaries).
    """

    fingerprint: str
    article: Article  # without its body: for slug checks and messages
    published: bool  # False for a draft left out of this build
    digest: str  # of the page
    summary_digest: str  # digest of its summary: what site-wide pages show of it
    warnings: list[Problem]
    sort_key: tuple = ()
    assets: list[Path] = field(default_factory=list)  # files copied beside the page, relative to the folder
    links: tuple = ()  # the translation links its page was rendered with
    extra_digests: dict[str, str] = field(default_factory=dict)  # its annotations.json, share pages and images

    @property
    def slug(self) -> str:
        return self.article.slug

    @property
    def annotations(self) -> str:
        """The digest of its annotations.json, which the site-wide one shows."""
        return self.extra_digests.get(paths.annotations(self.slug), "")

    def kept(self) -> Record:
        """The plain record, as the cache saves it."""
        return Record(**{f.name: getattr(self, f.name) for f in fields(Record)})


@dataclass
class Rendered:
    """An explainer's bytes not written yet: its page, and the files its features made."""

    page: bytes
    extras: dict[str, bytes]


@dataclass
class Entry(Record):
    """A record as a build holds it, with what is at hand in memory."""

    summary: Explainer | None = None  # what site-wide pages show of it
    explainer: Explainer | None = None  # without body blocks; None while not loaded
    rendered: Rendered | None = None  # until written
    staged: bool = False  # its files written into this build's new output folder already
    summary_pickle: bytes = b""  # `summary` pickled for the cache, by the process that made it
    # What features noted of its page as it was made (Feature.explainer_note), for their
    # site-wide files in this build; not kept: what they make of it is kept by them.
    notes: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, record: Record) -> Entry:
        """An entry for a record read from the cache: nothing of it in memory yet."""
        return cls(**{f.name: getattr(record, f.name) for f in fields(Record)})

    def sent(self) -> Entry:
        """What a worker sends back once it has written the files into the Stage: `summary_pickle`
        holds the summary, and only the processes that make the site-wide files need it."""
        return replace(self, explainer=None, rendered=None, staged=True, summary=None)

    def written(self) -> None:
        """Takes note that the output holds its files now."""
        self.rendered = None
        self.staged = False


@dataclass
class WorkerResult:
    """What the process that made an explainer sends back."""

    entry: Entry
    sources: dict = field(default_factory=dict)  # digests of its files learned while making it (FileDigests)
    drawings: dict[str, str] = field(default_factory=dict)  # maps first drawn while making it (LocatorMaps)
