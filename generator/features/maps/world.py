"""The packaged shapes: Natural Earth's countries as TopoJSON arcs, read once per process."""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from .geometry import Box, Polygon, Ring, bounds

DATA = Path(__file__).resolve().parents[2] / "data" / "countries-50m.json.gz"


@dataclass(frozen=True)
class World:
    """Natural Earth's countries as shared arcs, in degrees (longitude, latitude)."""

    arcs: list[Ring]
    countries: dict[str, list[Polygon]]  # ISO code (upper case), or "~Name" for an area without one
    land: list[Polygon]
    owners: list[frozenset[str]]  # per arc, the countries whose outline runs along it
    boxes: dict[str, Box]  # per country, in degrees

    def ring(self, refs: list[int]) -> Ring:
        return chain([self.arcs[r] if r >= 0 else self.arcs[~r][::-1] for r in refs])


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
        boxes[code] = bounds([p for polygon in polygons for ref in polygon[0]
                              for p in arcs[ref if ref >= 0 else ~ref]])
    return World(arcs, data["countries"], data["land"], [frozenset(o) for o in owners], boxes)


def chain(pieces: list[Ring]) -> Ring:
    """Arcs joined end to start: each next arc starts where the last one ended."""
    ring: Ring = []
    for piece in pieces:
        ring.extend(piece[1:] if ring else piece)
    return ring
