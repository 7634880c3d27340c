"""Shared-arc geometry for the page: every edge between two neighbouring regions is stored once.

Neighbouring polygons of a coverage share their edges exactly (after :func:`geo.maps.geometry.simplify_regions`
the shared vertices are identical). :func:`topology` cuts every ring at its *junctions*, the vertices where
the set of rings using the adjacent segment changes, so that the two rings along a shared edge are cut at the
same points; each stretch between junctions becomes an *arc*, kept once, and a ring becomes a list of arc
indices (``~i``, i.e. ``-i-1``, for arc ``i`` walked backwards), as in TopoJSON. Coordinates are integers
(degrees × 10**decimals), quantised to what the map's zoom range can show; the page decodes the arcs once
(``rkDecode`` in :mod:`geo.maps.controls`) and rebuilds standard GeoJSON for Leaflet.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import shapely

__all__ = ["arcs_between", "rebuild", "topology"]

Ring = list[tuple[int, int]]


def _rings(geom: shapely.Geometry, scale: int) -> list[list[Ring]]:
    """Polygons of ``geom`` as lists of closed integer rings (exterior first), repeated points dropped."""
    out = []
    for part in shapely.get_parts(geom):
        rings = []
        for ring in (part.exterior, *part.interiors):
            xy = np.round(shapely.get_coordinates(ring) * scale).astype(np.int64)
            keep = np.concatenate([[True], np.any(np.diff(xy, axis=0) != 0, axis=1)])
            pts = [tuple(p) for p in xy[keep].tolist()]
            if len(pts) >= 4:
                rings.append(pts)
        if rings:
            out.append(rings)
    return out


def topology(
    geoms: Sequence[shapely.Geometry | None], decimals: int, *, scale: int | None = None
) -> tuple[list[list[tuple[int, int]]], list[list[list[list[int]]] | None]]:
    """Arcs of polygon geometries and, per geometry, its polygons as rings of arc indices.

    Parameters
    ----------
    geoms
        Polygons or MultiPolygons forming a coverage (``None``/empty give ``None``).
    decimals
        Decimal places kept (coordinates become integers × 10**decimals).
    scale
        A grid other than 10**decimals (200: 0.005°).

    Returns
    -------
    (arcs, shapes)
        ``arcs``: lists of integer (x, y); ``shapes[i]``: polygons of geometry ``i``, each a list of rings,
        each a list of arc indices (negative: ``~index``, walked backwards).
    """
    scale = scale or 10**decimals
    polys = [None if g is None or shapely.is_empty(g) else _rings(g, scale) for g in geoms]
    rings: list[Ring] = [r for p in polys if p for poly in p for r in poly]
    users: dict[tuple, set[int]] = {}
    for rid, ring in enumerate(rings):
        for a, b in pairwise(ring):
            users.setdefault((a, b) if a <= b else (b, a), set()).add(rid)

    def seg_users(a, b) -> frozenset[int]:
        return frozenset(users[(a, b) if a <= b else (b, a)])

    arcs: list[list[tuple[int, int]]] = []
    index: dict[tuple, int] = {}

    def arc_id(pts: list[tuple[int, int]]) -> int:
        key = tuple(pts)
        if key in index:
            return index[key]
        rkey = key[::-1]
        if rkey in index:
            return ~index[rkey]
        index[key] = len(arcs)
        arcs.append(pts)
        return index[key]

    ring_arcs: list[list[int]] = []
    for ring in rings:
        open_ring = ring[:-1]
        n = len(open_ring)
        sets = [seg_users(open_ring[i], open_ring[(i + 1) % n]) for i in range(n)]
        cuts = [i for i in range(n) if sets[i - 1] != sets[i]]
        if not cuts:  # no junction: one closed arc, started at its smallest vertex (so both sides agree)
            start = min(range(n), key=lambda i: open_ring[i])
            pts = open_ring[start:] + open_ring[:start]
            pts.append(pts[0])
            ring_arcs.append([arc_id(pts)])  # a hole matching an enclave is found reversed
            continue
        ids = []
        for j, c in enumerate(cuts):
            nxt = cuts[(j + 1) % len(cuts)]
            span = (nxt - c) % n or n
            ids.append(arc_id([open_ring[(c + k) % n] for k in range(span + 1)]))
        ring_arcs.append(ids)
    shapes: list[list[list[list[int]]] | None] = []
    it = iter(ring_arcs)
    for p in polys:
        shapes.append(None if p is None else [[next(it) for _ in poly] for poly in p])
    return arcs, shapes


def rebuild(arcs: Sequence[Sequence[Sequence[float]]], rings: Sequence[int]) -> list[list[float]]:
    """A ring's coordinates from its arc indices (the page does the same in JavaScript)."""
    out: list[list[float]] = []
    for i in rings:
        pts = [list(p) for p in (arcs[i] if i >= 0 else list(arcs[~i])[::-1])]
        out.extend(pts if not out else pts[1:])
    return [list(p) for p in out]


def arcs_between(collection: dict, group_of, a: str, b: str) -> list[int]:
    """Indices of the arcs of a shared-arc ``collection`` that lie between two groups of features.

    The collection comes from :func:`geo.maps.geometry.features`; the arcs returned lie between a feature of group
    ``a`` and one of group ``b`` (``group_of(properties)``): e.g. the state border
    between Russian and Kazakh regions, sent as references to the regions' arcs instead of a second copy.
    """
    owners: dict[int, set[str]] = {}
    for feature in collection["features"]:
        geom = feature["geometry"]
        if "arcs" not in geom:
            continue
        polys = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
        group = group_of(feature["properties"])
        for ring in (r for poly in polys for r in poly):
            for i in ring:
                owners.setdefault(i if i >= 0 else ~i, set()).add(group)
    return sorted(i for i, groups in owners.items() if groups == {a, b})
