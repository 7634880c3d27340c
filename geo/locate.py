"""Spatial joins: which region each point (or line, or polygon) lies in.

:func:`locate` takes lon/lat columns or geometries in any CRS and adds ``code``, ``codes``, ``outside`` and
``near_boundary``. It is built for millions of points:

1. Points are binned into a grid of small cells. A cell that lies, with a margin of ``tolerance_m``, wholly inside
   one region gives all its points that region without a geometry test; a cell farther than the margin from
   every region gives ``outside``. Only the cells on a boundary go on.
2. Their points are joined to the regions with an STRtree-backed :func:`geopandas.sjoin` (the tree on the
   points, each region polygon prepared once), and checked against the region boundaries, split into short
   pieces in an STRtree, for ``near_boundary``.

Boundaries at 1:10m are generalised by hundreds of metres, so a point within ``tolerance_m`` of a region
boundary (1 km by default) is flagged: its region is the one the polygons say, but it deserves a look. Lines and
polygons get every region they touch, largest share first.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geo.analysis import TOLERANCE_CRS
from geo.errors import GeoInputError

__all__ = ["locate"]

#: Grid cell size (degrees) of the first, geometry-free pass.
CELL_DEG = 0.25
_M_PER_DEG = 111_000.0


def _coordinates(points: pd.DataFrame, lon: str, lat: str) -> tuple[np.ndarray, np.ndarray]:
    for col in (lon, lat):
        if col not in points.columns:
            msg = (
                f"no column {col!r} for {'longitude' if col == lon else 'latitude'}; columns are "
                f"{', '.join(map(repr, points.columns))}; name them with lon=…, lat=…"
            )
            raise GeoInputError(msg)
    out = []
    for col in (lon, lat):
        values = pd.to_numeric(points[col], errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero(np.isnan(values))
        if bad.size:
            shown = ", ".join(f"{r + 1} ({points[col].iloc[r]!r})" for r in bad[:10])
            msg = (
                f"column {col!r}: {bad.size} row(s) without a usable number: rows {shown}"
                f"{' …' if bad.size > 10 else ''}; fix or drop them before locating"
            )
            raise GeoInputError(msg)
        out.append(values)
    return out[0], out[1]


def _check_range(x: np.ndarray, y: np.ndarray, lon: str, lat: str) -> None:
    bad_lat = np.abs(y) > 90
    bad_lon = np.abs(x) > 180
    if bad_lat.any() or bad_lon.any():
        rows = np.flatnonzero(bad_lat | bad_lon)
        shown = ", ".join(f"{r + 1} (lon {x[r]:g}, lat {y[r]:g})" for r in rows[:10])
        swapped = bad_lat.any() and (np.abs(x[rows]) <= 90).all() and (np.abs(y[rows]) <= 180).all()
        hint = (
            f"latitude and longitude look swapped: pass lon={lat!r}, lat={lon!r}"
            if swapped
            else "longitude must be within ±180 and latitude within ±90; are these projected coordinates? "
            "then pass crs=… (e.g. crs='EPSG:32641')"
        )
        msg = f"{rows.size} row(s) out of range: rows {shown}{' …' if rows.size > 10 else ''}; {hint}"
        raise GeoInputError(msg)


def _boundary_pieces(regions: gpd.GeoDataFrame, to_m: Transformer) -> shapely.STRtree:
    """Region boundaries in metres (Albers), as single segments so the tree stays selective."""
    lines = shapely.get_parts(shapely.boundary(regions.geometry.to_numpy()))
    coords, index = shapely.get_coordinates(lines, return_index=True)
    mx, my = to_m.transform(coords[:, 0], coords[:, 1])
    xy = np.column_stack([mx, my])
    same = index[:-1] == index[1:]
    segments = shapely.linestrings(np.stack([xy[:-1][same], xy[1:][same]], axis=1))
    return shapely.STRtree(segments)


def _near(
    tree: shapely.STRtree, x: np.ndarray, y: np.ndarray, to_m: Transformer, tolerance_m: float
) -> np.ndarray:
    if x.size == 0:
        return np.zeros(0, dtype=bool)
    mx, my = to_m.transform(x, y)
    idx, _ = tree.query(shapely.points(mx, my), predicate="dwithin", distance=tolerance_m)
    near = np.zeros(x.size, dtype=bool)
    near[idx] = True
    return near


def _cells(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ix = np.floor(x / CELL_DEG).astype(np.int64)
    iy = np.floor(y / CELL_DEG).astype(np.int64)
    keys = ix * 1_000_003 + iy
    return np.unique(keys, return_inverse=True)


def _locate_points(
    x: np.ndarray,
    y: np.ndarray,
    regions: gpd.GeoDataFrame,
    tolerance_m: float,
    to_m: Transformer,
    tree: shapely.STRtree,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``code`` (object array, None outside), ``codes`` (str) and ``near`` for lon/lat arrays."""
    n = x.size
    codes_arr = regions["code"].astype(str).to_numpy()
    polys = regions.geometry.to_numpy()
    code = np.full(n, None, dtype=object)
    codes = np.full(n, "", dtype=object)
    near = np.zeros(n, dtype=bool)
    if n == 0:
        return code, codes, near
    keys, inverse = _cells(x, y)
    ix = keys // 1_000_003
    iy = keys - ix * 1_000_003
    x0, y0 = ix * CELL_DEG, iy * CELL_DEG
    # Margin of tolerance_m around each cell, in degrees (longitude degrees shrink towards the pole).
    dy = tolerance_m / _M_PER_DEG
    cos = np.cos(np.radians(np.minimum(np.maximum(np.abs(y0), np.abs(y0 + CELL_DEG)), 89.0)))
    dx = dy / cos
    boxes = shapely.box(x0 - dx, y0 - dy, x0 + CELL_DEG + dx, y0 + CELL_DEG + dy)
    cell_tree = shapely.STRtree(boxes)
    inside_poly, inside_cell = cell_tree.query(polys, predicate="contains_properly")
    touch_poly, touch_cell = cell_tree.query(polys, predicate="intersects")
    state = (
        np.zeros(keys.size, dtype=np.int64) - 1
    )  # -1: outside every region, -2: boundary cell, k: region k
    state[np.unique(touch_cell)] = -2
    state[inside_cell] = inside_poly
    del touch_poly
    point_state = state[inverse]
    interior = point_state >= 0
    code[interior] = codes_arr[point_state[interior]]
    codes[interior] = code[interior]
    todo = np.flatnonzero(point_state == -2)
    if todo.size:
        pts = gpd.GeoDataFrame(geometry=shapely.points(x[todo], y[todo]), crs="EPSG:4326")
        hits = gpd.sjoin(
            regions[["code", regions.geometry.name]].reset_index(drop=True),
            pts,
            predicate="intersects",
            how="inner",
        )
        pairs = pd.DataFrame({"p": hits["index_right"].to_numpy(), "code": hits["code"].to_numpy()})
        pairs = pairs.sort_values(["p", "code"], kind="stable")
        first = pairs.drop_duplicates("p")
        code[todo[first["p"].to_numpy()]] = first["code"].to_numpy()
        codes[todo[first["p"].to_numpy()]] = first["code"].to_numpy()
        multi = pairs["p"].duplicated(keep=False).to_numpy()
        if multi.any():  # on a shared boundary: rare, so a small Python groupby is fine
            joined = pairs[multi].groupby("p", sort=False)["code"].agg(";".join)
            codes[todo[joined.index.to_numpy()]] = joined.to_numpy()
            near[todo[joined.index.to_numpy()]] = True
        near[todo] |= _near(tree, x[todo], y[todo], to_m, tolerance_m)
    return code, codes, near


def _locate_shapes(
    geoms: np.ndarray, regions: gpd.GeoDataFrame, tolerance_m: float, to_m: Transformer, tree: shapely.STRtree
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lines, polygons, multipoints: every region touched, largest share first."""
    n = geoms.size
    code = np.full(n, None, dtype=object)
    codes = np.full(n, "", dtype=object)
    near = np.zeros(n, dtype=bool)
    polys = regions.geometry.to_numpy()
    region_codes = regions["code"].astype(str).to_numpy()
    g_idx, r_idx = shapely.STRtree(polys).query(geoms, predicate="intersects")
    if g_idx.size:
        parts = shapely.intersection(geoms[g_idx], polys[r_idx])
        dim = shapely.get_dimensions(geoms[g_idx])
        measure = np.where(
            dim == 2,
            shapely.area(parts),
            np.where(dim == 1, shapely.length(parts), shapely.get_num_geometries(parts)),
        )
        pairs = pd.DataFrame({"g": g_idx, "code": region_codes[r_idx], "m": measure})
        pairs = pairs.sort_values(["g", "m", "code"], ascending=[True, False, True], kind="stable")
        joined = pairs.groupby("g", sort=False)["code"].agg(list)
        for g, found in joined.items():
            code[g], codes[g] = found[0], ";".join(found)
    for i, geom in enumerate(geoms):
        coords = shapely.get_coordinates(geom)
        if coords.size:
            mx, my = to_m.transform(coords[:, 0], coords[:, 1])
            moved = shapely.transform(geom, lambda _c, mx=mx, my=my: np.column_stack([mx, my]))
            near[i] = tree.query(moved, predicate="dwithin", distance=tolerance_m).size > 0
    return code, codes, near


def locate(
    points: pd.DataFrame | gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    lon: str = "lon",
    lat: str = "lat",
    crs: str | None = None,
    regions: gpd.GeoDataFrame | None = None,
    tolerance_m: float = 1000.0,
) -> pd.DataFrame | gpd.GeoDataFrame:
    """Assign points (or lines, polygons) to the regions they lie in.

    Parameters
    ----------
    points
        A DataFrame with longitude/latitude columns, or a GeoDataFrame/GeoSeries in any CRS (points, multipoints,
        lines, polygons).
    lon, lat
        Coordinate columns of a plain DataFrame (WGS84 degrees unless ``crs`` says otherwise).
    crs
        CRS of the ``lon``/``lat`` columns (e.g. ``"EPSG:32641"``), or of a GeoDataFrame that declares none.
    regions
        Region polygons with a ``code`` column; :func:`geo.regions` (both countries) by default.
    tolerance_m
        A feature within this distance (metres) of a region boundary is flagged ``near_boundary``.

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        A copy of ``points`` (same type and index) with four columns added: ``code`` (the region the feature
        lies in; for a point on a shared boundary, the first code; for a line or polygon, the region holding
        its largest part; ``<NA>`` outside every region), ``codes`` (every region the feature touches,
        ``;``-separated, largest share first), ``outside`` (True when in none of the regions: outside both
        countries for the default regions) and ``near_boundary`` (within ``tolerance_m`` of a region boundary,
        including the outer one).

    Raises
    ------
    GeoInputError
        Missing coordinate columns, values that are not numbers, latitude/longitude out of range or swapped
        (the message names the rows), or geometries without a CRS.
    """
    if regions is None:
        from geo.boundaries import regions as load_regions

        regions = load_regions()
    if "code" not in regions.columns:
        msg = "regions must have a 'code' column (geo.regions())"
        raise GeoInputError(msg)
    if regions.crs is None:
        msg = "regions have no CRS; pass geo.regions() or set one with regions.set_crs(…)"
        raise GeoInputError(msg)
    regions = regions.to_crs("EPSG:4326")
    if tolerance_m < 0:
        msg = f"tolerance_m must be >= 0, not {tolerance_m}"
        raise GeoInputError(msg)
    to_m = Transformer.from_crs("EPSG:4326", TOLERANCE_CRS, always_xy=True)
    tree = _boundary_pieces(regions, to_m)
    if isinstance(points, gpd.GeoSeries):
        points = gpd.GeoDataFrame(geometry=points)
    if isinstance(points, gpd.GeoDataFrame):
        out = points.copy()
        gdf = points
        if gdf.crs is None:
            if crs is None:
                msg = "the geometries have no CRS; pass crs='EPSG:4326' if they are longitude/latitude"
                raise GeoInputError(msg)
            gdf = gdf.set_crs(crs)
        geoms = gdf.to_crs("EPSG:4326").geometry.to_numpy()
        empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
        if empty.any():
            rows = np.flatnonzero(empty)[:10] + 1
            msg = f"{int(empty.sum())} feature(s) without geometry: rows {', '.join(map(str, rows))}"
            raise GeoInputError(msg)
        kind = shapely.get_type_id(geoms)
        is_point = kind == 0
        code = np.full(len(geoms), None, dtype=object)
        codes = np.full(len(geoms), "", dtype=object)
        near = np.zeros(len(geoms), dtype=bool)
        if is_point.any():
            xy = shapely.get_coordinates(geoms[is_point])
            code[is_point], codes[is_point], near[is_point] = _locate_points(
                xy[:, 0], xy[:, 1], regions, tolerance_m, to_m, tree
            )
        if (~is_point).any():
            code[~is_point], codes[~is_point], near[~is_point] = _locate_shapes(
                geoms[~is_point], regions, tolerance_m, to_m, tree
            )
    else:
        if not isinstance(points, pd.DataFrame):
            msg = f"points must be a DataFrame with {lon}/{lat} columns or a GeoDataFrame"
            raise GeoInputError(msg)
        out = points.copy()
        x, y = _coordinates(points, lon, lat)
        if crs is not None:
            x, y = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)
            x, y = np.asarray(x), np.asarray(y)
        _check_range(x, y, lon, lat)
        code, codes, near = _locate_points(x, y, regions, tolerance_m, to_m, tree)
        _check_swapped(x, y, code, regions, lon, lat, tolerance_m, to_m, tree)
    out["code"] = pd.array(code, dtype="string")
    out["codes"] = pd.array(codes, dtype="str") if len(codes) else pd.array([], dtype="str")
    out["outside"] = pd.isna(out["code"]).to_numpy()
    out["near_boundary"] = near
    return out


def _check_swapped(
    x: np.ndarray,
    y: np.ndarray,
    code: np.ndarray,
    regions: gpd.GeoDataFrame,
    lon: str,
    lat: str,
    tolerance_m: float,
    to_m: Transformer,
    tree: shapely.STRtree,
) -> None:
    """Most points outside, but inside once lon and lat are swapped: say so rather than report them outside."""
    outside = np.flatnonzero(pd.isna(code))
    if outside.size == 0 or outside.size < 0.5 * x.size:
        return
    sample = outside[:10_000]
    ok = np.abs(x[sample]) <= 90
    if not ok.all():
        return
    swapped, _, _ = _locate_points(y[sample], x[sample], regions, tolerance_m, to_m, tree)
    if pd.notna(swapped).mean() > 0.9:
        rows = ", ".join(str(r + 1) for r in outside[:10])
        msg = (
            f"{outside.size} of {x.size} points fall outside every region, but inside once longitude and "
            f"latitude are swapped (rows {rows}{' …' if outside.size > 10 else ''}): "
            f"pass lon={lat!r}, lat={lon!r}"
        )
        raise GeoInputError(msg)
