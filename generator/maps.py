"""Locator maps: a small inline SVG of the region with one country highlighted.

The shapes are Natural Earth's admin-0 countries at 1:50m (public domain),
kept in `generator/data/countries-50m.json.gz` as TopoJSON (see
docs/make_map_data.py): every border between two countries is one arc,
shared by both. A map projects its region (equirectangular, true to scale at
the country's middle latitude), simplifies each arc once at the map's own
resolution and builds both countries' fills from that same line, so
neighbours meet without gaps; the border itself is drawn once, as a line of
its own, and so is the coastline. The country and its neighbours are named
in the page's font (CSS classes, so the page's colours apply, light and
dark); a country small enough to be hard to place gets a locator inset of
the world. Integer coordinates keep a map to a few kilobytes and the same
bytes each time. No tiles, no network.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import re
from dataclasses import dataclass
from itertools import accumulate, islice
from pathlib import Path

from markupsafe import Markup, escape

from .locales import locale_for

DATA = Path(__file__).resolve().parent / "data" / "countries-50m.json.gz"
WIDTH, HEIGHT = 192, 144  # the map's own units: one CSS pixel each in a fact box (12rem)
PAD = 0.9  # room around the country, as a share of its extent ...
MAX_PAD = 18.0  # ... up to this many degrees on each side
MIN_FRAME = 14.0  # degrees of width: a small country still shows its neighbours
TOLERANCE = 0.7  # simplification, in map units
FAR = 12.0  # map units: arcs farther than this outside the frame are simplified coarsely
SPECK = 3  # islands smaller than this many map units are left out
DOT = 5  # radius of the ring drawn around a country too small to see
LABEL_SIZE = {"name": 13, "near": 11}  # font sizes in map units, as the CSS sets them
CHAR_WIDTH = 0.58  # of a font size: an average letter of the sans, for placing labels
INSET_BELOW = 45.0  # frames narrower than this many degrees get a locator inset of the world
INSET = (56, 26)  # the inset's size in map units: the world from 60° S to 84° N
INSET_LATS = (-60.0, 84.0)
FILE_STYLE = (".sea{fill:#f1ede4}.land{fill:#ddd6c9}.here{fill:#a51f17}.border{fill:none;stroke:#fbf9f4;"
              "stroke-width:1}.coast{fill:none;stroke:#b9b0a1;stroke-width:.6}.dot{fill:none;stroke:#a51f17;"
              "stroke-width:1.5}.label{font:11px DejaVu Sans,Verdana,sans-serif;fill:#5a544b;text-anchor:middle;"
              "paint-order:stroke;stroke:#fbf9f4;stroke-width:3px;stroke-linejoin:round}.label.name{font-size:13px;"
              "font-weight:700;fill:#1c1a17}.inset{fill:#fbf9f4;stroke:#9a9184;stroke-width:.6}"
              ".inset-land{fill:#c9c1b3}@media(prefers-color-scheme:dark){.sea{fill:#211f1c}.land{fill:#3d3934}"
              ".here{fill:#f3907f}.border{stroke:#161513}.coast{stroke:#6b645a}.dot{stroke:#f3907f}"
              ".label{fill:#cfc8bb;stroke:#161513}.label.name{fill:#fbf9f4}.inset{fill:#161513;stroke:#6b645a}"
              ".inset-land{fill:#4a453f}}")
COMMAND = re.compile(r"([MmLlHhVvCcSsQqTtAaZz])([^MmLlHhVvCcSsQqTtAaZz]*)")
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[list[int]]  # rings of arc references: n is arc n, ~n arc n reversed


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


@dataclass(frozen=True)
class World:
    """Natural Earth's countries as shared arcs, in degrees (longitude, latitude)."""

    arcs: list[Ring]
    countries: dict[str, list[Polygon]]  # ISO code (upper case), or "~Name" for an area without one
    land: list[Polygon]
    owners: list[frozenset[str]]  # per arc, the countries whose outline runs along it
    boxes: dict[str, Box]  # per country, in degrees

    def ring(self, refs: list[int]) -> Ring:
        return _chain([self.arcs[r] if r >= 0 else self.arcs[~r][::-1] for r in refs])


@functools.lru_cache(maxsize=2)
def load_world(path: Path = DATA) -> World:
    """The packaged data, read once per process (it never changes under it). Callers must not modify it."""
    data = json.loads(gzip.decompress(path.read_bytes()))
    (sx, sy), (tx, ty) = data["transform"]["scale"], data["transform"]["translate"]
    arcs = []
    for steps in data["arcs"]:
        xs = accumulate(step[0] for step in steps)
        ys = accumulate(step[1] for step in steps)
        arcs.append([(x * sx + tx, y * sy + ty) for x, y in zip(xs, ys)])
    owners: list[set[str]] = [set() for _ in arcs]
    boxes = {}
    for code, polygons in data["countries"].items():
        for polygon in polygons:
            for ring in polygon:
                for ref in ring:
                    owners[ref if ref >= 0 else ~ref].add(code)
        boxes[code] = _box([p for polygon in polygons for ref in polygon[0]
                            for p in arcs[ref if ref >= 0 else ~ref]])
    return World(arcs, data["countries"], data["land"], [frozenset(o) for o in owners], boxes)


def _chain(pieces: list[Ring]) -> Ring:
    """Arcs joined end to start: each next arc starts where the last one ended."""
    ring: Ring = []
    for piece in pieces:
        ring.extend(piece[1:] if ring else piece)
    return ring


@functools.cache
def country_names(language: str) -> dict[str, str]:
    """Country names in the page's language (CLDR's, through Babel); English when it has none."""
    return dict(locale_for(language).territories)


class LocatorMaps:
    """Draws locator maps from the packaged data, read on first use.

    Drawings made before (by workers, or by an earlier run: see learn()) are
    used as they are, so the data is read only to draw a new country.
    """

    def __init__(self, language: str = "en", source: Path | None = None):
        self.language = language
        self.path = source or DATA
        self.drawn: dict[str, str] = {}  # key (see _key) -> drawing, made here or learned from a worker
        self.fresh: set[str] = set()  # keys drawn here since new_drawings() was last asked

    @functools.cached_property
    def world(self) -> World:
        return load_world(self.path)

    @property
    def shapes(self) -> dict[str, list[Polygon]]:
        """The countries that have a code, as polygons of arc references."""
        return {code.lower(): polygons for code, polygons in self.world.countries.items() if not code.startswith("~")}

    def has(self, code: str) -> bool:
        code = code.upper()
        return not code.startswith("~") and code in self.world.countries

    def identity(self) -> str:
        """What the drawings depend on besides the code that draws them: the data file."""
        try:
            st = self.path.stat()
        except OSError:
            return ""
        return f"{self.path}:{st.st_size}:{st.st_mtime_ns}"

    def svg(self, code: str, title: str, name: str = "") -> Markup:
        """The map to put inside a page, styled by the page's CSS; empty for an unknown code."""
        if not self.has(code):
            return Markup("")
        return Markup(f'<svg class="locator" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">'
                      f"<title>{escape(title)}</title>{self._drawing(code, name)}</svg>")

    def file(self, code: str, title: str, name: str = "") -> bytes:
        """The same map as a file of its own, with its colours, for <img> and sharing."""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH * 2}" '
                f'height="{HEIGHT * 2}" role="img"><title>{escape(title)}</title><style>{FILE_STYLE}</style>'
                f'<rect width="100%" height="100%" class="sea"/>{self._drawing(code, name)}</svg>\n').encode()

    def new_drawings(self) -> dict[str, str]:
        """The drawings made here since last asked: a worker hands them to the build, whose
        country pages then need not draw the same maps again."""
        made = {key: self.drawn[key] for key in sorted(self.fresh)}
        self.fresh.clear()
        return made

    def learn(self, drawn: dict[str, str]) -> None:
        self.drawn.update(drawn)

    def _drawing(self, code: str, name: str) -> str:
        code = code.upper()
        names = country_names(self.language)
        name = name or names.get(code, code)
        key = f"{code}\0{name}\0{self.language}"
        if key not in self.drawn:
            self.drawn[key] = drawing(self.path, code, name, self.language)
            self.fresh.add(key)
        return self.drawn[key]


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
        started within half a world of the map's middle: _unwrap and point in one loop, for
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


def _unwrap(points: Ring) -> Ring:
    """Longitudes made continuous: a step of more than half the world crosses the antimeridian."""
    out: Ring = []
    for lon, lat in points:
        if out:
            step = lon - out[-1][0]
            lon -= 360 * round(step / 360)
        out.append((lon, lat))
    return out


def _join(pieces: list[Ring], period: float) -> Ring:
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


@functools.lru_cache(maxsize=512)
def drawing(path: Path, code: str, name: str, language: str) -> str:
    """The elements of one map (a pure function of the data, so kept once drawn)."""
    world = load_world(path)
    view = _view(world, code)
    clip = Box(-2, -2, WIDTH + 2, HEIGHT + 2)  # a little outside the frame, so no edge shows
    shown = [c for c in sorted(world.countries) if _projected_box(world.boxes[c], view).overlaps(clip)]
    near = Box(clip.x0 - FAR, clip.y0 - FAR, clip.x1 + FAR, clip.y1 + FAR)
    simplified: dict[int, Ring] = {}

    def arc(ref: int) -> Ring:
        index = ref if ref >= 0 else ~ref
        if index not in simplified:
            points = view.line(world.arcs[index])
            # An arc wholly away from the frame only closes its country's outline: drawn coarsely,
            # it still never comes nearer the frame than FAR (its error is less than that).
            tolerance = TOLERANCE if _box(points).overlaps(near) else FAR / 2
            simplified[index] = _simplify(_thin(points, tolerance), tolerance)
        return simplified[index] if ref >= 0 else simplified[index][::-1]

    def fill(codes: list[str]) -> str:
        parts = []
        for c in codes:
            for polygon in world.countries[c]:
                for n, ring in enumerate(polygon):
                    points = _join([arc(r) for r in ring], view.period)
                    box = _box(points)
                    if not box.overlaps(clip) or (n == 0 and max(box.x1 - box.x0, box.y1 - box.y0) < SPECK):
                        continue
                    moves = _integer_moves(_clip(points, clip))
                    if len(moves) >= 3:
                        parts.append(_relative(moves))
        return "".join(parts)

    used = sorted({abs_ref for c in shown for polygon in world.countries[c] for ring in polygon
                   for abs_ref in (r if r >= 0 else ~r for r in ring)})
    borders, coasts = [], []
    for index in used:
        line = arc(index)
        if len(line) < 2 or not _box(line).overlaps(clip):
            continue
        (borders if len(world.owners[index]) > 1 else coasts).append(line)
    here = [code]
    out = [f'<path class="land" d="{fill([c for c in shown if c != code])}"/>',
           f'<path class="here" d="{fill(here)}"/>',
           f'<path class="coast" d="{_lines(coasts, clip)}"/>',
           f'<path class="border" d="{_lines(borders, clip)}"/>',
           _dot(world, code, view)]
    # A region narrower than INSET_BELOW degrees is hard to place: the world in a corner shows where it is.
    inset = (view.frame.x1 - view.frame.x0) / view.k < INSET_BELOW
    corner = Box(WIDTH - INSET[0] - 4, HEIGHT - INSET[1] - 4, WIDTH, HEIGHT)
    out += _labels(world, code, name, language, view, [corner] if inset else [])
    if inset:
        out.append(_inset(view, path, corner))
    return "".join(out)


def _view(world: World, code: str) -> View:
    """The part of the world shown: the country's main landmass with room around it, 4:3."""
    main = max((_unwrap(world.ring(polygon[0])) for polygon in world.countries[code]), key=_area)
    box = _box(main)
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


def _projected_box(box: Box, view: View) -> Box:
    (ax, ay), (bx, by) = view.point((box.x0, box.y1)), view.point((box.x1, box.y0))
    return Box(ax, ay, bx, by)


def _lines(lines: list[Ring], clip: Box) -> str:
    """Open polylines, cut where they leave the frame: `M x y l dx dy ...`."""
    parts = []
    seen = set()  # two short arcs may round to the same pixels: drawn once
    for line in lines:
        for run in _clip_line(line, clip):
            moves = _no_spurs(_integer_moves(run))
            if len(moves) >= 2 and tuple(moves) not in seen:
                seen.update((tuple(moves), tuple(reversed(moves))))
                parts.append(_relative(moves)[:-1])  # no closing z: a border is no ring
    return "".join(parts)


def _no_spurs(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Rounded points with the steps that only go back where they came from dropped."""
    out: list[tuple[int, int]] = []
    for p in points:
        if len(out) >= 2 and out[-2] == p:
            out.pop()
        elif not out or out[-1] != p:
            out.append(p)
    return out


def _clip_line(line: Ring, box: Box) -> list[Ring]:
    """The runs of a polyline inside a rectangle (each segment cut by Liang–Barsky)."""
    runs: list[Ring] = []
    run: Ring = []
    for a, b in zip(line, line[1:]):
        cut = _cut(a, b, box)
        if cut is None:
            if run:
                runs.append(run)
                run = []
            continue
        start, end = cut
        if not run or run[-1] != start:
            if run:
                runs.append(run)
            run = [start]
        run.append(end)
        if end != b:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def _cut(a: Point, b: Point, box: Box) -> tuple[Point, Point] | None:
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - box.x0), (dx, box.x1 - a[0]), (-dy, a[1] - box.y0), (dy, box.y1 - a[1])):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    start = a if t0 == 0 else (a[0] + t0 * dx, a[1] + t0 * dy)
    end = b if t1 == 1 else (a[0] + t1 * dx, a[1] + t1 * dy)
    return start, end


def _dot(world: World, code: str, view: View) -> str:
    """A ring around a country that would be a speck at this scale."""
    box = view.main
    if max(box.x1 - box.x0, box.y1 - box.y0) >= 2 * DOT:
        return ""
    return f'<circle class="dot" cx="{round((box.x0 + box.x1) / 2)}" cy="{round((box.y0 + box.y1) / 2)}" r="{DOT}"/>'


def _labels(world: World, code: str, name: str, language: str, view: View, taken: list[Box]) -> list[str]:
    """The country's name at its visual middle, then its neighbours' where they fit, none overlapping."""
    names = country_names(language)
    pieces = functools.cache(lambda c: _pieces(world, c, view))  # each country's, for its area and its spot
    neighbours = sorted({other for polygon in world.countries[code] for ring in polygon for r in ring
                         for other in world.owners[r if r >= 0 else ~r]} - {code},
                        key=lambda c: -sum(_area(ring) for ring in pieces(c)))
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
        ring = _clip(_simplify(_thin(view.line(world.ring(polygon[0])), 1.5), 1.5), inner)
        if len(ring) >= 3:
            pieces.append(ring)
    return pieces


def _label_spot(pieces: list[Ring], code: str) -> Point | None:
    """The point of the largest visible piece (of a country's `pieces`) farthest from its edges
    (a grid search), or None."""
    if not pieces:
        return None
    piece = max(pieces, key=_area)
    box = _box(piece)
    if _area(piece) < 40:  # a sliver at the frame's edge: no room for a name
        return ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2) if code == code.upper() and len(pieces) else None
    best, far = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2), -1.0
    steps = 9
    for i in range(1, steps):
        for j in range(1, steps):
            p = (box.x0 + (box.x1 - box.x0) * i / steps, box.y0 + (box.y1 - box.y0) * j / steps)
            if not _inside(p, piece):
                continue
            d = min(_segment_distance(p, a, b) for a, b in zip(piece, piece[1:] + piece[:1]))
            d -= abs(p[0] - (box.x0 + box.x1) / 2) * 0.1  # of two equal spots, the one nearer the middle
            if d > far:
                best, far = p, d
    return best


def _inside(p: Point, ring: Ring) -> bool:
    inside = False
    for a, b in zip(ring, ring[1:] + ring[:1]):
        if (a[1] > p[1]) != (b[1] > p[1]) and p[0] < a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]):
            inside = not inside
    return inside


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def _inset(view: View, path: Path, corner: Box) -> str:
    """A small map of the world in the corner, with a box where the map is."""
    w, h = INSET
    x0, y0 = round(corner.x0 + 2), round(corner.y0 + 2)
    # The frame's corners back in degrees, then in the inset.
    lon = lambda x: view.lon0 + x / view.k
    ax, ay = _inset_point((lon(view.frame.x0), -view.frame.y0))
    bx, by = _inset_point((lon(view.frame.x1), -view.frame.y1))
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
        box = _box(ring)
        if max(box.x1 - box.x0, box.y1 - box.y0) < 1.5 or not box.overlaps(clip):
            continue
        moves = _integer_moves(_clip(_simplify(ring, 0.5), clip))
        if len(moves) >= 3:
            parts.append(_relative(moves))
    return "".join(parts)


def parse_path(d: str) -> list[Ring]:
    """Outlines of an SVG path; curves are reduced to their end points.

    The world map has 170,000 numbers, read on every cold build: each command's
    numbers are read in one go, and its end points summed with accumulate, which
    adds in the same order (so to the same floats) as a point-by-point loop would.
    """
    rings: list[Ring] = []
    ring: Ring = []
    x = y = sx = sy = 0.0
    for command, numbers in COMMAND.findall(d):
        lower = command.lower()
        if lower == "z":
            if ring:
                rings.append(ring)
            ring, x, y = [], sx, sy
            continue
        values = _numbers(numbers)
        arity = ARITY[lower]
        values = values[:len(values) - len(values) % arity]
        if not values:
            continue
        relative = command.islower()
        if lower == "m":
            x, y = (x + values[0], y + values[1]) if relative else (values[0], values[1])
            if ring:
                rings.append(ring)
            ring, sx, sy = [(x, y)], x, y
            values, lower = values[2:], "l"  # further pairs after a moveto are linetos
        if lower == "h":
            points = [(v, y) for v in (_sums(values, x) if relative else values)]
        elif lower == "v":
            points = [(x, v) for v in (_sums(values, y) if relative else values)]
        else:
            xs, ys = values[arity - 2::arity], values[arity - 1::arity]
            points = list(zip(_sums(xs, x), _sums(ys, y)) if relative else zip(xs, ys))
        if points:
            ring.extend(points)
            x, y = points[-1]
    if ring:
        rings.append(ring)
    return rings


def _numbers(text: str) -> list[float]:
    """The numbers of one command: split at spaces and commas, as the world map writes
    them, unless they run together ("1.5-2.5") or float() would take more than SVG does."""
    if "n" not in text and "N" not in text and "_" not in text:  # inf, nan, 1_000
        try:
            return list(map(float, text.replace(",", " ").split()))
        except ValueError:
            pass
    return [float(n) for n in NUMBER.findall(text)]


def _sums(steps: list[float], start: float):
    """The positions reached from `start` by each relative step in turn."""
    return islice(accumulate(steps, initial=start), 1, None)


def _integer_moves(points: Ring) -> list[tuple[int, int]]:
    """Rounded points with repeats dropped."""
    out: list[tuple[int, int]] = []
    for x, y in points:
        p = (round(x), round(y))
        if not out or p != out[-1]:
            out.append(p)
    return out


def _relative(points: list[tuple[int, int]]) -> str:
    """`M x y l dx dy ...z`: relative steps are the shortest text."""
    text = [f"M{points[0][0]} {points[0][1]}l"]
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        text.append(_pair(bx - ax, by - ay))
    return "".join(text) + "z"


def _pair(dx: int, dy: int) -> str:
    # A minus sign separates numbers by itself; otherwise a space is needed.
    return f"{'' if dx < 0 else ' '}{dx}{'' if dy < 0 else ' '}{dy}"


def _clip(ring: Ring, box: Box) -> Ring:
    """Sutherland–Hodgman: the part of a polygon inside a rectangle."""
    edges = [(0, box.x0, True), (0, box.x1, False), (1, box.y0, True), (1, box.y1, False)]
    for axis, limit, low in edges:
        if not ring:
            break
        inside = (lambda p: p[axis] >= limit) if low else (lambda p: p[axis] <= limit)
        out: Ring = []
        for i, current in enumerate(ring):
            previous = ring[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(_cross(previous, current, axis, limit))
                out.append(current)
            elif inside(previous):
                out.append(_cross(previous, current, axis, limit))
        ring = out
    return ring


def _cross(a: Point, b: Point, axis: int, limit: float) -> Point:
    t = (limit - a[axis]) / (b[axis] - a[axis])
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def _thin(points: Ring, tolerance: float) -> Ring:
    """Points closer than `tolerance` to the last one kept are dropped (the ends stay): a cheap
    first pass that leaves Ramer–Douglas–Peucker far fewer points to weigh."""
    if len(points) < 3:
        return points
    kept = [points[0]]
    limit = tolerance * tolerance
    for p in points[1:-1]:
        last = kept[-1]
        if (p[0] - last[0]) ** 2 + (p[1] - last[1]) ** 2 >= limit:
            kept.append(p)
    kept.append(points[-1])
    return kept


def _simplify(points: Ring, tolerance: float) -> Ring:
    """Ramer–Douglas–Peucker, iterative so long coastlines cannot overflow the stack."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        far, index = _farthest(points, start, end)
        if far > tolerance:
            keep[index] = True
            stack += [(start, index), (index, end)]
    return [p for p, k in zip(points, keep) if k]


def _farthest(points: Ring, start: int, end: int) -> tuple[float, int]:
    """The greatest distance of a point between `start` and `end` from the line through them, and
    its index. The line's terms are worked out once, not for every point: this is most of the time
    a map takes to draw."""
    (ax, ay), (bx, by) = points[start], points[end]
    dx, dy = bx - ax, by - ay
    far, index = 0.0, 0
    if dx == dy == 0:
        for i in range(start + 1, end):
            x, y = points[i]
            d = ((x - ax) ** 2 + (y - ay) ** 2) ** 0.5
            if d > far:
                far, index = d, i
        return far, index
    bxay, byax, norm = bx * ay, by * ax, (dx * dx + dy * dy) ** 0.5
    for i in range(start + 1, end):
        x, y = points[i]
        d = abs(dy * x - dx * y + bxay - byax) / norm
        if d > far:
            far, index = d, i
    return far, index


def _box(points: Ring) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Box(min(xs), min(ys), max(xs), max(ys))


def _area(ring: Ring) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1]))) / 2
