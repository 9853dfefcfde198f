"""Shapes cut to a rectangle: polygons (Sutherland–Hodgman) and open lines (Liang–Barsky)."""

from __future__ import annotations

import operator
from itertools import pairwise

from .geometry import Box, Point, Ring


def clip_ring(ring: Ring, box: Box) -> Ring:
    """Sutherland–Hodgman: the part of a polygon inside a rectangle."""
    edges = [(0, box.x0, True), (0, box.x1, False), (1, box.y0, True), (1, box.y1, False)]
    for axis, limit, low in edges:
        if not ring:
            break
        within = operator.ge if low else operator.le  # the inner side of this edge
        out: Ring = []
        for i, current in enumerate(ring):
            previous = ring[i - 1]
            if within(current[axis], limit):
                if not within(previous[axis], limit):
                    out.append(_cross(previous, current, axis, limit))
                out.append(current)
            elif within(previous[axis], limit):
                out.append(_cross(previous, current, axis, limit))
        ring = out
    return ring


def _cross(a: Point, b: Point, axis: int, limit: float) -> Point:
    t = (limit - a[axis]) / (b[axis] - a[axis])
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def clip_line(line: Ring, box: Box) -> list[Ring]:
    """The runs of a polyline inside a rectangle (each segment cut by Liang–Barsky)."""
    runs: list[Ring] = []
    run: Ring = []
    for a, b in pairwise(line):
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
