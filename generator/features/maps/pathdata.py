"""SVG path data: written from rounded points in relative steps, and read back into outlines."""

from __future__ import annotations

import re
from itertools import accumulate, islice, pairwise

from .geometry import Ring

COMMAND = re.compile(r"([MmLlHhVvCcSsQqTtAaZz])([^MmLlHhVvCcSsQqTtAaZz]*)")
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}


def integer_moves(points: Ring) -> list[tuple[int, int]]:
    """Rounded points with repeats dropped."""
    out: list[tuple[int, int]] = []
    for x, y in points:
        p = (round(x), round(y))
        if not out or p != out[-1]:
            out.append(p)
    return out


def no_spurs(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Rounded points with the steps that only go back where they came from dropped."""
    out: list[tuple[int, int]] = []
    for p in points:
        if len(out) >= 2 and out[-2] == p:
            out.pop()
        elif not out or out[-1] != p:
            out.append(p)
    return out


def relative(points: list[tuple[int, int]]) -> str:
    """`M x y l dx dy ...z`: relative steps are the shortest text."""
    text = [f"M{points[0][0]} {points[0][1]}l"]
    for (ax, ay), (bx, by) in pairwise(points):
        text.append(_pair(bx - ax, by - ay))
    return "".join(text) + "z"


def _pair(dx: int, dy: int) -> str:
    # A minus sign separates numbers by itself; otherwise a space is needed.
    return f"{'' if dx < 0 else ' '}{dx}{'' if dy < 0 else ' '}{dy}"


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
        steps = command.islower()  # relative: each number a step from where the pen is
        if lower == "m":
            x, y = (x + values[0], y + values[1]) if steps else (values[0], values[1])
            if ring:
                rings.append(ring)
            ring, sx, sy = [(x, y)], x, y
            values, lower = values[2:], "l"  # further pairs after a moveto are linetos
        if lower == "h":
            points = [(v, y) for v in (_sums(values, x) if steps else values)]
        elif lower == "v":
            points = [(x, v) for v in (_sums(values, y) if steps else values)]
        else:
            xs, ys = values[arity - 2::arity], values[arity - 1::arity]
            points = list(zip(_sums(xs, x), _sums(ys, y)) if steps else zip(xs, ys))
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
