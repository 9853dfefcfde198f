"""Country hub pages: every explainer with a fact box for one country.

`countries/<code>/index.html` lists the explainers newest first and merges
their boxes' facts, each fact with its source and a link back to its box, so
a reader can follow one country across the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from markupsafe import Markup

from generator.model.common import Source
from generator.model.page import Country, DateView, Explainer, Fact
from generator.render import paths


# NamedTuples, not dataclasses: a large site's country pages hold tens of thousands
# of these, and a tuple is several times quicker to make.
class HubEntry(NamedTuple):
    """One explainer's box for the country."""

    title: str
    url: str  # the explainer page, relative to the hub page
    box_url: str  # the fact box on that page
    date: DateView
    summary: Markup
    source: Source | None


class HubFact(NamedTuple):
    fact: Fact
    entry: HubEntry


@dataclass(frozen=True)
class Hub:
    code: str  # upper case, as in countries.yaml
    name: str
    entries: list[HubEntry]
    facts: list[HubFact]
    modified: str  # the newest box's explainer, for the sitemap

    @property
    def path(self) -> str:
        return paths.hub(self.code)


def hubs(explainers: list[Explainer]) -> list[Hub]:
    """One hub per country code with a box anywhere; explainers come newest first."""
    boxes: dict[str, list[tuple[Explainer, Country]]] = {}
    for e in explainers:
        for country in e.countries:
            boxes.setdefault(country.code, []).append((e, country))
    return [_hub(code, boxes[code]) for code in sorted(boxes)]


def _hub(code: str, boxes: list[tuple[Explainer, Country]]) -> Hub:
    boxes = sorted(boxes, key=lambda pair: pair[0].sort_key, reverse=True)
    entries, facts, seen = [], [], set()
    root = paths.root(paths.hub(code))
    for e, country in boxes:
        page = root + paths.page(paths.explainer(e.slug))
        entry = HubEntry(e.title, page, f"{page}#{country.id}", e.date, country.summary,
                         country.source or e.source)
        entries.append(entry)
        for fact in country.facts:
            # The same fact repeated by a later explainer is shown once, from the newest.
            if (fact.label, fact.value) not in seen:
                seen.add((fact.label, fact.value))
                facts.append(HubFact(fact, entry))
    newest = boxes[0][0]
    return Hub(code, boxes[0][1].name, entries, facts, (newest.updated or newest.date).iso)
