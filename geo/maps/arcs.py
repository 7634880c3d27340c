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

import numpy as np
import shapely

__all__ = ["arcs_between", "rebuild", "topology"]


def _rings(geom: shapely.Geometry, scale: int) -> list[list[np.ndarray]]:
    """Polygons of ``geom`` as lists of closed integer rings ((n, 2) arrays, exterior first), repeats dropped."""
    out = []
    for part in shapely.get_parts(geom):
        rings = []
        for ring in (part.exterior, *part.interiors):
            xy = np.round(shapely.get_coordinates(ring) * scale).astype(np.int64)
            keep = np.concatenate([[True], np.any(np.diff(xy, axis=0) != 0, axis=1)])
            if keep.sum() >= 4:
                rings.append(xy[keep])
        if rings:
            out.append(rings)
    return out


def _user_sets(rings: list[np.ndarray]) -> np.ndarray:
    """For each segment of each ring (rings concatenated), an id of the set of rings that use that segment."""
    points = np.concatenate(rings)
    x, y = points[:, 0] - points[:, 0].min(), points[:, 1] - points[:, 1].min()
    # vertex ids in (x, y) order, then segment ids from the (smaller, larger) vertex pair: 1-D keys sort fast
    height = int(y.max()) + 1
    if (int(x.max()) + 1) * height < 2**62:
        _, vertex = np.unique(x * height + y, return_inverse=True)
    else:  # a grid too fine for one int64 key: sort the rows themselves (same order, slower)
        _, vertex = np.unique(points, axis=0, return_inverse=True)
        vertex = vertex.ravel()
    last = np.cumsum([len(r) for r in rings])
    first = last - np.array([len(r) for r in rings])
    is_start = np.ones(len(points), dtype=bool)
    is_start[last - 1] = False  # a ring's closing point starts no segment
    starts, ends = vertex[is_start], vertex[np.flatnonzero(is_start) + 1]
    owner = np.repeat(np.arange(len(rings)), last - first - 1)
    n_vertices = int(vertex.max()) + 1
    _, segment = np.unique(
        np.minimum(starts, ends) * n_vertices + np.maximum(starts, ends), return_inverse=True
    )
    n_segments = int(segment.max()) + 1
    pairs = np.unique(segment * len(rings) + owner)  # (segment, ring) once each, sorted
    seg_of, ring_of = pairs // len(rings), pairs % len(rings)
    count = np.bincount(seg_of, minlength=n_segments)
    if count.max() <= 2:  # a coverage: one ring on its outside, two along a shared edge
        at = np.searchsorted(seg_of, np.arange(n_segments))
        other = np.where(count == 2, ring_of[np.minimum(at + 1, len(pairs) - 1)], -1)
        _, signature = np.unique(ring_of[at] * (len(rings) + 1) + other + 1, return_inverse=True)
        return signature[segment]
    users: dict[int, set[int]] = {}
    for seg, ring in zip(seg_of.tolist(), ring_of.tolist(), strict=True):
        users.setdefault(seg, set()).add(ring)
    ids: dict[frozenset[int], int] = {}
    per_segment = np.array([ids.setdefault(frozenset(users[s]), len(ids)) for s in range(n_segments)])
    return per_segment[segment]


def topology(
    geoms: Sequence[shapely.Geometry | None], decimals: int, *, scale: int | None = None
) -> tuple[list[np.ndarray], list[list[list[list[int]]] | None]]:
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
        ``arcs``: (n, 2) integer arrays of x, y; ``shapes[i]``: polygons of geometry ``i``, each a list of rings,
        each a list of arc indices (negative: ``~index``, walked backwards).
    """
    scale = scale or 10**decimals
    polys = [None if g is None or shapely.is_empty(g) else _rings(g, scale) for g in geoms]
    rings = [r for p in polys if p for poly in p for r in poly]
    arcs: list[np.ndarray] = []
    index: dict[bytes, int] = {}

    def arc_id(pts: np.ndarray) -> int:
        key = pts.tobytes()
        if key in index:
            return index[key]
        rkey = pts[::-1].tobytes()
        if rkey in index:
            return ~index[rkey]
        index[key] = len(arcs)
        arcs.append(pts)
        return index[key]

    sets = _user_sets(rings) if rings else np.empty(0, dtype=np.int64)
    ring_arcs: list[list[int]] = []
    offset = 0
    for ring in rings:
        open_ring = ring[:-1]
        n = len(open_ring)
        own = sets[offset : offset + n]
        offset += n
        cuts = np.flatnonzero(np.roll(own, 1) != own)  # junctions: the set of users changes there
        if not len(cuts):  # no junction: one closed arc, started at its smallest vertex (so both sides agree)
            start = int(np.lexsort((open_ring[:, 1], open_ring[:, 0]))[0])
            pts = np.concatenate([open_ring[start:], open_ring[: start + 1]])
            ring_arcs.append([arc_id(pts)])  # a hole matching an enclave is found reversed
            continue
        twice = np.concatenate([open_ring, open_ring])
        ends = np.append(cuts[1:], cuts[0] + n)
        ring_arcs.append(
            [arc_id(twice[c : e + 1]) for c, e in zip(cuts.tolist(), ends.tolist(), strict=True)]
        )
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
