"""Fewer points for a line at the map's resolution: a distance pass, then Ramer–Douglas–Peucker."""

from __future__ import annotations

from .geometry import Ring


def thin(points: Ring, tolerance: float) -> Ring:
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


def simplify(points: Ring, tolerance: float) -> Ring:
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
