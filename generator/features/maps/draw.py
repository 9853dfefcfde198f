"""One map's elements: the land, the country, its coasts and borders, its marker, labels and inset."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from .clip import clip_line, clip_ring
from .geometry import Box, Ring, bounds
from .inset import CORNER, inset, wants_inset
from .labels import labels
from .pathdata import integer_moves, no_spurs, relative
from .projection import HEIGHT, WIDTH, View, join, view_of
from .simplify import simplify, thin
from .world import World, load_world

TOLERANCE = 0.7  # simplification, in map units
FAR = 12.0  # map units: arcs farther than this outside the frame are simplified coarsely
SPECK = 3  # islands smaller than this many map units are left out
DOT = 5  # radius of the ring drawn around a country too small to see
CLIP = Box(-2, -2, WIDTH + 2, HEIGHT + 2)  # a little outside the frame, so no edge shows
NEAR = Box(CLIP.x0 - FAR, CLIP.y0 - FAR, CLIP.x1 + FAR, CLIP.y1 + FAR)


@functools.lru_cache(maxsize=512)
def drawing(path: Path, code: str, name: str, language: str) -> str:
    """The elements of one map (a pure function of the data, so kept once drawn)."""
    world = load_world(path)
    view = view_of(world, code)
    shown = [c for c in sorted(world.countries) if view.box(world.boxes[c]).overlaps(CLIP)]
    arcs = Arcs(world, view)
    borders, coasts = arcs.edges(shown)
    out = [f'<path class="land" d="{arcs.fill([c for c in shown if c != code])}"/>',
           f'<path class="here" d="{arcs.fill([code])}"/>',
           f'<path class="coast" d="{_lines(coasts)}"/>',
           f'<path class="border" d="{_lines(borders)}"/>',
           _dot(view)]
    with_inset = wants_inset(view)
    out += labels(world, code, name, language, view, [CORNER] if with_inset else [])
    if with_inset:
        out.append(inset(view, path, CORNER))
    return "".join(out)


@dataclass
class Arcs:
    """One map's arcs, each projected and simplified once at the map's resolution: the fills of
    two neighbours and the border between them are the same line, so they meet without gaps."""

    world: World
    view: View
    simplified: dict[int, Ring] = field(default_factory=dict)

    def arc(self, ref: int) -> Ring:
        index = ref if ref >= 0 else ~ref
        if index not in self.simplified:
            points = self.view.line(self.world.arcs[index])
            # An arc wholly away from the frame only closes its country's outline: drawn coarsely,
            # it still never comes nearer the frame than FAR (its error is less than that).
            tolerance = TOLERANCE if bounds(points).overlaps(NEAR) else FAR / 2
            self.simplified[index] = simplify(thin(points, tolerance), tolerance)
        return self.simplified[index] if ref >= 0 else self.simplified[index][::-1]

    def fill(self, codes: list[str]) -> str:
        """The countries' outlines as one path, islands too small to see left out."""
        parts = []
        for c in codes:
            for polygon in self.world.countries[c]:
                for n, ring in enumerate(polygon):
                    points = join([self.arc(r) for r in ring], self.view.period)
                    box = bounds(points)
                    if not box.overlaps(CLIP) or (n == 0 and max(box.x1 - box.x0, box.y1 - box.y0) < SPECK):
                        continue
                    moves = integer_moves(clip_ring(points, CLIP))
                    if len(moves) >= 3:
                        parts.append(relative(moves))
        return "".join(parts)

    def edges(self, shown: list[str]) -> tuple[list[Ring], list[Ring]]:
        """The arcs of the countries shown that cross the frame, as borders (shared by two
        countries) and coasts: each drawn once, as a line of its own."""
        used = sorted({abs_ref for c in shown for polygon in self.world.countries[c] for ring in polygon
                       for abs_ref in (r if r >= 0 else ~r for r in ring)})
        borders: list[Ring] = []
        coasts: list[Ring] = []
        for index in used:
            line = self.arc(index)
            if len(line) < 2 or not bounds(line).overlaps(CLIP):
                continue
            (borders if len(self.world.owners[index]) > 1 else coasts).append(line)
        return borders, coasts


def _lines(lines: list[Ring]) -> str:
    """Open polylines, cut where they leave the frame: `M x y l dx dy ...`."""
    parts = []
    seen: set[tuple[tuple[int, int], ...]] = set()  # two short arcs may round to the same pixels: drawn once
    for line in lines:
        for run in clip_line(line, CLIP):
            moves = no_spurs(integer_moves(run))
            if len(moves) >= 2 and tuple(moves) not in seen:
                seen.update((tuple(moves), tuple(reversed(moves))))
                parts.append(relative(moves)[:-1])  # no closing z: a border is no ring
    return "".join(parts)


def _dot(view: View) -> str:
    """A ring around a country that would be a speck at this scale."""
    box = view.main
    if max(box.x1 - box.x0, box.y1 - box.y0) >= 2 * DOT:
        return ""
    return f'<circle class="dot" cx="{round((box.x0 + box.x1) / 2)}" cy="{round((box.y0 + box.y1) / 2)}" r="{DOT}"/>'
