"""Plain-Python geometry for area outlines: RD New to WGS84, simplification, label points.

Why not pyproj/shapely: the map needs only these three operations on a few thousand rings,
and both packages are large native dependencies. The RD New (EPSG:28992) conversion is the
published polynomial approximation (Schreutelkamp & Strang van Hees, 2001), accurate to
about a metre within the Netherlands, which is far finer than an outline on a city map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[float, float]
Ring = list[Point]

# Coefficients (p, q, K) / (p, q, L) of the RD -> WGS84 polynomial: dX^p * dY^q.
_LAT_TERMS = (
    (0, 1, 3235.65389), (2, 0, -32.58297), (0, 2, -0.2475), (2, 1, -0.84978),
    (0, 3, -0.0655), (2, 2, -0.01709), (1, 0, -0.00738), (4, 0, 0.0053),
    (2, 3, -0.00039), (4, 1, 0.00033), (1, 1, -0.00012),
)
_LON_TERMS = (
    (1, 0, 5260.52916), (1, 1, 105.94684), (1, 2, 2.45656), (3, 0, -0.81885),
    (1, 3, 0.05594), (3, 1, -0.05607), (0, 1, 0.01199), (3, 2, -0.00256),
    (1, 4, 0.00128), (0, 2, 0.00022), (2, 0, -0.00022), (5, 0, 0.00026),
)
_RD_X0, _RD_Y0 = 155000.0, 463000.0
_LAT0, _LON0 = 52.15517440, 5.38720621

# Where RD New coordinates of the Netherlands lie (with a margin), and WGS84 ones.
RD_BOUNDS = (-7000.0, 289000.0, 300000.0, 629000.0)
NL_LONLAT_BOUNDS = (3.0, 50.6, 7.4, 53.7)


def rd_to_wgs84(x: float, y: float) -> Point:
    """(lon, lat) in WGS84 for RD New metres (x east, y north)."""
    dx = (x - _RD_X0) * 1e-5
    dy = (y - _RD_Y0) * 1e-5
    lat = _LAT0 + sum(k * dx**p * dy**q for p, q, k in _LAT_TERMS) / 3600.0
    lon = _LON0 + sum(k * dx**p * dy**q for p, q, k in _LON_TERMS) / 3600.0
    return lon, lat


def within(point: Point, bounds: tuple[float, float, float, float]) -> bool:
    """Whether (x, y) lies in (min x, min y, max x, max y)."""
    return bounds[0] <= point[0] <= bounds[2] and bounds[1] <= point[1] <= bounds[3]


def _distance_to_segment(p: Point, a: Point, b: Point) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - ax, p[1] - ay)
    t = max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy)


def simplify_line(points: Sequence[Point], tolerance: float) -> Ring:
    """Douglas-Peucker: drop points closer than `tolerance` to the line that replaces them."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            distance = _distance_to_segment(points[i], points[first], points[last])
            if distance > worst:
                worst, index = distance, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: Sequence[Point], tolerance: float) -> Ring:
    """A closed ring simplified; an area that would collapse keeps its original points.

    The ring is split at its point farthest from the start, so the closing point is not
    the only anchor (which would let a small ring shrink to a line).
    """
    if len(ring) < 5 or tolerance <= 0:
        return list(ring)
    start = ring[0]
    far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - start[0],
                                                         ring[i][1] - start[1]))
    simple = simplify_line(ring[: far + 1], tolerance)[:-1] + simplify_line(ring[far:], tolerance)
    return simple if len(simple) >= 4 else list(ring)


def round_ring(ring: Sequence[Point], digits: int = 5) -> Ring:
    """Coordinates rounded (5 decimals is about a metre), repeated points removed."""
    out: Ring = []
    for x, y in ring:
        point = (round(x, digits), round(y, digits))
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def ring_area(ring: Sequence[Point]) -> float:
    """Signed shoelace area in squared coordinate units (positive = counter-clockwise)."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False)) / 2.0


def label_point(polygons: Sequence[Sequence[Ring]]) -> Point:
    """A point for the area's label: the centroid of its largest outer ring."""
    outer = max((polygon[0] for polygon in polygons if polygon),
                key=lambda ring: abs(ring_area(ring)))
    area = ring_area(outer)
    if area == 0:
        xs, ys = [p[0] for p in outer], [p[1] for p in outer]
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = cy = 0.0
    for a, b in zip(outer, outer[1:], strict=False):
        cross = a[0] * b[1] - b[0] * a[1]
        cx += (a[0] + b[0]) * cross
        cy += (a[1] + b[1]) * cross
    return cx / (6 * area), cy / (6 * area)


def polygons_of(geometry: dict) -> list[list[Ring]]:
    """The polygons (outer ring first, then holes) of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [[[(p[0], p[1]) for p in ring] for ring in geometry["coordinates"]]]
    return [[[(p[0], p[1]) for p in ring] for ring in polygon]
            for polygon in geometry["coordinates"]]


def geometry_of(polygons: Sequence[Sequence[Ring]]) -> dict:
    """GeoJSON for polygons: a Polygon when there is one, else a MultiPolygon."""
    coords = [[[list(p) for p in ring] for ring in polygon] for polygon in polygons]
    if len(coords) == 1:
        return {"type": "Polygon", "coordinates": coords[0]}
    return {"type": "MultiPolygon", "coordinates": coords}
