"""Names on the map: the country's at its visual middle, its neighbours' where they fit."""

from __future__ import annotations

import functools

from markupsafe import escape

from generator.render.locales import locale_for

from .clip import clip_ring
from .geometry import Box, Point, Ring, area, bounds, inside, segment_distance
from .projection import HEIGHT, WIDTH, View
from .simplify import simplify, thin
from .world import World

LABEL_SIZE = {"name": 13, "near": 11}  # font sizes in map units, as the CSS sets them
CHAR_WIDTH = 0.58  # of a font size: an average letter of the sans, for placing labels


@functools.cache
def country_names(language: str) -> dict[str, str]:
    """Country names in the page's language (CLDR's, through Babel); English when it has none."""
    return dict(locale_for(language).territories)


def labels(world: World, code: str, name: str, language: str, view: View, taken: list[Box]) -> list[str]:
    """The country's name at its visual middle, then its neighbours' where they fit, none overlapping."""
    names = country_names(language)
    pieces = functools.cache(lambda c: _pieces(world, c, view))  # each country's, for its area and its spot
    neighbours = sorted({other for polygon in world.countries[code] for ring in polygon for r in ring
                         for other in world.owners[r if r >= 0 else ~r]} - {code},
                        key=lambda c: -sum(area(ring) for ring in pieces(c)))
    taken = list(taken)
    out = []
    for other, text, kind in [(code, name, "name")] + [(c, names.get(c, c.lstrip("~")), "near") for c in neighbours]:
        spot = _label_spot(pieces(other), other)
        if spot is None:
            continue
        size = LABEL_SIZE[kind]
        half = len(text) * size * CHAR_WIDTH / 2 + 2
        x = min(max(spot[0], half + 1), WIDTH - half - 1)
        y = min(max(spot[1] + size * 0.35, size + 1), HEIGHT - 3)
        box = Box(x - half, y - size, x + half, y + 3)
        if any(box.overlaps(t) for t in taken) and kind != "name":
            continue
        taken.append(box)
        out.append(f'<text class="label{" name" if kind == "name" else ""}" x="{round(x)}" y="{round(y)}">'
                   f"{escape(text)}</text>")
    return out


def _pieces(world: World, code: str, view: View) -> list[Ring]:
    """The country's outlines in map units, clipped to the frame less a margin for the text."""
    inner = Box(4, 8, WIDTH - 4, HEIGHT - 4)
    pieces = []
    for polygon in world.countries[code]:
        ring = clip_ring(simplify(thin(view.line(world.ring(polygon[0])), 1.5), 1.5), inner)
        if len(ring) >= 3:
            pieces.append(ring)
    return pieces


def _label_spot(pieces: list[Ring], code: str) -> Point | None:
    """The point of the largest visible piece (of a country's `pieces`) farthest from its edges
    (a grid search), or None."""
    if not pieces:
        return None
    piece = max(pieces, key=area)
    box = bounds(piece)
    if area(piece) < 40:  # a sliver at the frame's edge: no room for a name
        return ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2) if code == code.upper() and len(pieces) else None
    best, far = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2), -1.0
    steps = 9
    for i in range(1, steps):
        for j in range(1, steps):
            p = (box.x0 + (box.x1 - box.x0) * i / steps, box.y0 + (box.y1 - box.y0) * j / steps)
            if not inside(p, piece):
                continue
            d = min(segment_distance(p, a, b) for a, b in zip(piece, piece[1:] + piece[:1]))
            d -= abs(p[0] - (box.x0 + box.x1) / 2) * 0.1  # of two equal spots, the one nearer the middle
            if d > far:
                best, far = p, d
    return best
