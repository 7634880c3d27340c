"""Fast point-in-polygon for :func:`geo.locate`: a fixed grid of cells, classified once, then prepared polygons.

The engine answers, for arrays of longitudes/latitudes (EPSG:4326), which region each point lies in, every region
it touches and whether it lies within ``tolerance_m`` of a region boundary. It works in three steps:

1. Every point falls into a cell of a fixed grid (``CELL_DEG``, aligned on multiples of it, covering the regions'
   bounds plus the tolerance margin): an integer computation, no sorting. Points beyond the grid are outside.
2. Each cell in use is classified once per engine (and remembered for later calls, so batches of a stream pay it
   once): its box grown by the tolerance margin either lies properly inside one region (its points get that
   region, not near a boundary, with no geometry test), touches no region (outside) or is a boundary cell, whose
   candidate regions are the ones its grown box intersects.
3. Points in boundary cells are tested with :func:`shapely.intersects_xy` against each candidate region, each
   polygon prepared once, and against the boundary pieces of :func:`geo.locate._boundary_pieces` for
   ``near_boundary``.

The results equal those of an STRtree join with the ``intersects`` predicate (a point on a shared boundary gets
both regions, the first code in sort order as ``code``); engines are cached by the regions' geometry and codes
and the tolerance (and kept per thread), so repeated calls (streamed batches, dask partitions in one worker)
reuse the grid.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

__all__ = ["CELL_DEG", "PointEngine", "engine"]

#: Grid cell size (degrees), the same as :data:`geo.locate.CELL_DEG`.
CELL_DEG = 0.25
_M_PER_DEG = 111_000.0
_UNKNOWN, _OUTSIDE, _BOUNDARY = -3, -1, -2
_CACHE: OrderedDict[tuple[str, float, int], PointEngine] = OrderedDict()
_CACHE_SIZE = 8
_LOCK = threading.Lock()


@dataclass
class PointEngine:
    """Point-in-region look-ups against one set of regions (EPSG:4326) and one tolerance."""

    polys: np.ndarray
    codes: np.ndarray
    tolerance_m: float
    to_m: Transformer
    x0: float
    y0: float
    nx: int
    ny: int
    state: np.ndarray = field(repr=False)
    cand_start: np.ndarray = field(repr=False)
    cand_poly: list[np.ndarray] = field(repr=False, default_factory=list)
    _segments: shapely.STRtree | None = field(default=None, repr=False)

    @property
    def segments(self) -> shapely.STRtree:
        """Region boundaries in metres as short segments (built on first use)."""
        if self._segments is None:
            from geo.locate import _boundary_pieces

            regions = gpd.GeoDataFrame({"code": self.codes}, geometry=self.polys, crs="EPSG:4326")
            self._segments = _boundary_pieces(regions, self.to_m)
        return self._segments

    def _flat(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Cell number of each point, -1 beyond the grid."""
        fx = np.floor((x - self.x0) / CELL_DEG)
        fy = np.floor((y - self.y0) / CELL_DEG)
        ok = (fx >= 0) & (fx < self.nx) & (fy >= 0) & (fy < self.ny)
        flat = np.full(x.size, -1, dtype=np.int64)
        flat[ok] = fy[ok].astype(np.int64) * self.nx + fx[ok].astype(np.int64)
        return flat

    def _classify(self, cells: np.ndarray) -> None:
        """Classify grid cells not seen yet (see the module docstring, step 2)."""
        iy, ix = np.divmod(cells, self.nx)
        cx0, cy0 = self.x0 + ix * CELL_DEG, self.y0 + iy * CELL_DEG
        dy = self.tolerance_m / _M_PER_DEG
        cos = np.cos(np.radians(np.minimum(np.maximum(np.abs(cy0), np.abs(cy0 + CELL_DEG)), 89.0)))
        dx = dy / cos
        boxes = shapely.box(cx0 - dx, cy0 - dy, cx0 + CELL_DEG + dx, cy0 + CELL_DEG + dy)
        tree = shapely.STRtree(boxes)
        inside_poly, inside_cell = tree.query(self.polys, predicate="contains_properly")
        touch_poly, touch_cell = tree.query(self.polys, predicate="intersects")
        local = np.full(cells.size, _OUTSIDE, dtype=np.int64)
        local[touch_cell] = _BOUNDARY
        local[inside_cell] = inside_poly
        self.state[cells] = local
        boundary = local == _BOUNDARY
        if boundary.any():
            keep = boundary[touch_cell]
            order = np.lexsort((touch_poly[keep], touch_cell[keep]))
            t_cell, t_poly = touch_cell[keep][order], touch_poly[keep][order]
            split = np.flatnonzero(np.diff(t_cell)) + 1
            starts = np.concatenate([[0], split])
            base = len(self.cand_poly)
            self.cand_poly.extend(np.split(t_poly, split))
            self.cand_start[cells[t_cell[starts]]] = base + np.arange(starts.size)

    def locate(
        self, x: np.ndarray, y: np.ndarray, *, with_near: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Region of each point.

        Parameters
        ----------
        x, y
            Longitudes and latitudes (EPSG:4326), finite.
        with_near
            Compute ``near`` (False: all False, faster).

        Returns
        -------
        tuple of numpy.ndarray
            ``code`` (index into :attr:`codes` of the region the point lies in, -1 outside), ``multi`` (for points
            on a shared boundary: a mapping from point position to every code, ``;``-joined, as an object array
            aligned with the points holding ``None`` elsewhere) and ``near`` (bool).
        """
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        n = x.size
        code = np.full(n, -1, dtype=np.int64)
        multi = np.full(n, None, dtype=object)
        near = np.zeros(n, dtype=bool)
        if n == 0:
            return code, multi, near
        flat = self._flat(x, y)
        inside_grid = flat >= 0
        used = np.flatnonzero(np.bincount(flat[inside_grid], minlength=self.state.size))
        new = used[self.state[used] == _UNKNOWN]
        if new.size:
            self._classify(new)
        pstate = np.full(n, _OUTSIDE, dtype=np.int64)
        pstate[inside_grid] = self.state[flat[inside_grid]]
        interior = pstate >= 0
        code[interior] = pstate[interior]
        todo = np.flatnonzero(pstate == _BOUNDARY)
        if todo.size:
            self._test(todo, flat[todo], x, y, code, multi, near)
            if with_near:
                near[todo] |= self._near(x[todo], y[todo])
        return code, multi, near

    def _test(
        self,
        todo: np.ndarray,
        cells: np.ndarray,
        x: np.ndarray,
        y: np.ndarray,
        code: np.ndarray,
        multi: np.ndarray,
        near: np.ndarray,
    ) -> None:
        """Test the points of boundary cells against their candidate regions."""
        slots = self.cand_start[cells]
        counts = np.fromiter((self.cand_poly[s].size for s in range(len(self.cand_poly))), dtype=np.int64)
        counts = counts[slots]
        flat_polys = np.concatenate(self.cand_poly)
        offsets = np.concatenate([[0], np.cumsum([a.size for a in self.cand_poly])])[:-1]
        rep = np.repeat(np.arange(todo.size), counts)
        within = np.arange(rep.size) - np.repeat(np.cumsum(counts) - counts, counts)
        poly = flat_polys[np.repeat(offsets[slots], counts) + within]
        order = np.argsort(poly, kind="stable")
        rep, poly = rep[order], poly[order]
        bounds = np.flatnonzero(np.diff(poly)) + 1
        hit = np.zeros(rep.size, dtype=bool)
        for lo, hi in zip(np.concatenate([[0], bounds]), np.concatenate([bounds, [rep.size]]), strict=True):
            pts = todo[rep[lo:hi]]
            hit[lo:hi] = shapely.intersects_xy(self.polys[poly[lo]], x[pts], y[pts])
        p, k = rep[hit], poly[hit]
        if p.size == 0:
            return
        # The first code in sort order for points on a shared boundary, as an sjoin sorted by code gives.
        rank = np.argsort(np.argsort(self.codes, kind="stable"), kind="stable")
        order = np.lexsort((rank[k], p))
        p, k = p[order], k[order]
        first = np.concatenate([[True], p[1:] != p[:-1]])
        code[todo[p[first]]] = k[first]
        dup = ~first
        if dup.any():  # on a shared boundary: rare
            for q in np.unique(p[dup]):
                found = k[p == q]
                multi[todo[q]] = ";".join(self.codes[found])
                near[todo[q]] = True

    def _near(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        mx, my = self.to_m.transform(x, y)
        idx, _ = self.segments.query(shapely.points(mx, my), predicate="dwithin", distance=self.tolerance_m)
        out = np.zeros(x.size, dtype=bool)
        out[idx] = True
        return out


def _key(regions: gpd.GeoDataFrame, tolerance_m: float) -> tuple[str, float, int]:
    digest = hashlib.sha1()
    for wkb in shapely.to_wkb(regions.geometry.to_numpy()):
        digest.update(wkb)
    digest.update("\x00".join(regions["code"].astype(str)).encode())
    # One engine per thread: prepared GEOS geometries, STRtrees built lazily and pyproj transformers must not
    # be shared between threads (dask workers with several threads segfaulted when they were).
    return digest.hexdigest(), float(tolerance_m), threading.get_ident()


def engine(regions: gpd.GeoDataFrame, tolerance_m: float) -> PointEngine:
    """The (cached) engine for ``regions`` (EPSG:4326, with a ``code`` column) and ``tolerance_m``.

    Parameters
    ----------
    regions
        Region polygons in EPSG:4326 with a ``code`` column.
    tolerance_m
        Distance (metres) to a boundary under which a point is ``near``.

    Returns
    -------
    PointEngine
        An engine; the same object for the same geometries, codes and tolerance (a small LRU cache).
    """
    key = _key(regions, tolerance_m)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    polys = shapely.from_wkb(shapely.to_wkb(regions.geometry.to_numpy()))  # own objects: prepared here only
    shapely.prepare(polys)
    minx, miny, maxx, maxy = regions.total_bounds
    dy = tolerance_m / _M_PER_DEG
    dx = dy / np.cos(np.radians(min(max(abs(miny), abs(maxy)) + dy, 89.0)))
    x0 = np.floor((minx - dx) / CELL_DEG) * CELL_DEG - CELL_DEG
    y0 = np.floor((miny - dy) / CELL_DEG) * CELL_DEG - CELL_DEG
    nx = int(np.ceil((maxx + dx - x0) / CELL_DEG)) + 1
    ny = int(np.ceil((maxy + dy - y0) / CELL_DEG)) + 1
    made = PointEngine(
        polys=polys,
        codes=regions["code"].astype(str).to_numpy(),
        tolerance_m=float(tolerance_m),
        to_m=Transformer.from_crs("EPSG:4326", _tolerance_crs(), always_xy=True),
        x0=float(x0),
        y0=float(y0),
        nx=nx,
        ny=ny,
        state=np.full(nx * ny, _UNKNOWN, dtype=np.int64),
        cand_start=np.full(nx * ny, -1, dtype=np.int64),
    )
    with _LOCK:
        _CACHE[key] = made
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return made


def _tolerance_crs() -> str:
    from geo.analysis import TOLERANCE_CRS

    return TOLERANCE_CRS
