"""From degrees to map units: the frame around a country and the projection into it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .geometry import Box, Point, Ring, area, bounds
from .world import World

WIDTH, HEIGHT = 192, 144  # the map's own units: one CSS pixel each in a fact box (12rem)
PAD = 0.9  # room around the country, as a share of its extent ...
MAX_PAD = 18.0  # ... up to this many degrees on each side
MIN_FRAME = 14.0  # degrees of width: a small country still shows its neighbours


@dataclass(frozen=True)
class View:
    """How degrees become map units: equirectangular around `lon0`, squeezed by `k` = cos(latitude)."""

    lon0: float
    k: float
    frame: Box  # in projected degrees
    scale: float  # map units per projected degree
    main: Box  # the country's main landmass, in map units

    def point(self, p: Point) -> Point:
        return (((p[0] - self.lon0) * self.k - self.frame.x0) * self.scale, (-p[1] - self.frame.y0) * self.scale)

    @property
    def period(self) -> float:
        """Once round the world, in map units: what a longitude 360° on moves a point."""
        return 360 * self.k * self.scale

    def line(self, points: Ring) -> Ring:
        """A line in map units, its longitudes made continuous across the antimeridian and
        started within half a world of the map's middle: unwrap and point in one loop, for
        every map projects tens of thousands of points."""
        lon0, k, x0, y0, scale = self.lon0, self.k, self.frame.x0, self.frame.y0, self.scale
        turns = math.floor((points[0][0] - lon0 + 180) / 360)
        out: Ring = []
        last = None
        for lon, lat in points:
            if last is not None:
                lon -= 360 * round((lon - last) / 360)
            last = lon
            out.append((((lon - 360 * turns - lon0) * k - x0) * scale, (-lat - y0) * scale))
        return out

    def box(self, box: Box) -> Box:
        """A box in degrees, in map units."""
        (ax, ay), (bx, by) = self.point((box.x0, box.y1)), self.point((box.x1, box.y0))
        return Box(ax, ay, bx, by)


def view_of(world: World, code: str) -> View:
    """The part of the world shown: the country's main landmass with room around it, 4:3."""
    main = max((unwrap(world.ring(polygon[0])) for polygon in world.countries[code]), key=area)
    box = bounds(main)
    lon0, lat0 = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    k = max(math.cos(math.radians(lat0)), 0.2)
    x0, x1 = (box.x0 - lon0) * k, (box.x1 - lon0) * k
    y0, y1 = -box.y1, -box.y0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    extent = max(x1 - x0, (y1 - y0) * WIDTH / HEIGHT)
    width = max(extent + 2 * min(extent * PAD, MAX_PAD), MIN_FRAME * k)
    height = width * HEIGHT / WIDTH
    frame = Box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
    scale = WIDTH / width
    return View(lon0, k, frame, scale, Box((x0 - frame.x0) * scale, (y0 - frame.y0) * scale,
                                           (x1 - frame.x0) * scale, (y1 - frame.y0) * scale))


def unwrap(points: Ring) -> Ring:
    """Longitudes made continuous: a step of more than half the world crosses the antimeridian."""
    out: Ring = []
    for lon, lat in points:
        if out:
            step = lon - out[-1][0]
            lon -= 360 * round(step / 360)
        out.append((lon, lat))
    return out


def join(pieces: list[Ring], period: float) -> Ring:
    """Arcs (in map units) joined into a ring, each moved by whole turns of the world to start
    where the last ended: arcs drawn apart on either side of the antimeridian meet again."""
    ring: Ring = []
    for piece in pieces:
        if ring and piece:
            shift = period * round((ring[-1][0] - piece[0][0]) / period)
            if shift:
                piece = [(x + shift, y) for x, y in piece]
        ring.extend(piece[1:] if ring else piece)
    return ring
