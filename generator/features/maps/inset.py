"""The locator inset: the whole world in a corner, with a box where the map is."""

from __future__ import annotations

import functools
from pathlib import Path

from .clip import clip_ring
from .geometry import Box, Point, bounds
from .pathdata import integer_moves, relative
from .projection import HEIGHT, WIDTH, View
from .simplify import simplify
from .world import load_world

INSET_BELOW = 45.0  # frames narrower than this many degrees get a locator inset of the world
INSET = (56, 26)  # the inset's size in map units: the world from 60° S to 84° N
INSET_LATS = (-60.0, 84.0)
CORNER = Box(WIDTH - INSET[0] - 4, HEIGHT - INSET[1] - 4, WIDTH, HEIGHT)  # the inset and its margin


def wants_inset(view: View) -> bool:
    """A region narrower than INSET_BELOW degrees is hard to place: the world in a corner shows where it is."""
    return (view.frame.x1 - view.frame.x0) / view.k < INSET_BELOW


def inset(view: View, path: Path, corner: Box) -> str:
    """A small map of the world in the corner, with a box where the map is."""
    w, h = INSET
    x0, y0 = round(corner.x0 + 2), round(corner.y0 + 2)
    # The frame's corners back in degrees, then in the inset.
    ax, ay = _inset_point((view.lon0 + view.frame.x0 / view.k, -view.frame.y0))
    bx, by = _inset_point((view.lon0 + view.frame.x1 / view.k, -view.frame.y1))
    ax, bx = ax % w, ax % w + (bx - ax)  # the frame's place, once round the world
    mw, mh = max(bx - ax, 3), max(by - ay, 3)
    return (f'<g class="inset-map" transform="translate({x0} {y0})"><rect class="inset" width="{w}" height="{h}"/>'
            f'<path class="inset-land" d="{_inset_land(path)}"/>'
            f'<rect class="here" x="{round(ax - (mw - (bx - ax)) / 2)}" y="{round(ay - (mh - (by - ay)) / 2)}" '
            f'width="{round(mw)}" height="{round(mh)}"/></g>')


def _inset_point(p: Point) -> Point:
    w, h = INSET
    south, north = INSET_LATS
    return ((p[0] + 180) * w / 360, (north - p[1]) * h / (north - south))


@functools.lru_cache(maxsize=2)
def _inset_land(path: Path) -> str:
    """The world's land at the inset's size, once per process: the same for every map."""
    world = load_world(path)
    w, h = INSET
    clip = Box(0, 0, w, h)
    parts = []
    for polygon in world.land:
        ring = [_inset_point(p) for p in world.ring(polygon[0])]
        box = bounds(ring)
        if max(box.x1 - box.x0, box.y1 - box.y0) < 1.5 or not box.overlaps(clip):
            continue
        moves = integer_moves(clip_ring(simplify(ring, 0.5), clip))
        if len(moves) >= 3:
            parts.append(relative(moves))
    return "".join(parts)
