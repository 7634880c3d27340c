"""Spatial joins: which region each point (or line, or polygon) lies in.

:func:`locate` takes lon/lat columns or geometries in any CRS and adds ``code``, ``codes``, ``outside`` and
``near_boundary``. It is built for millions of points:

1. Points are binned into a grid of small cells. A cell that lies, with a margin of ``tolerance_m``, wholly inside
   one region gives all its points that region without a geometry test; a cell farther than the margin from
   every region gives ``outside``. Only the cells on a boundary go on.
2. Their points are tested with :func:`shapely.intersects_xy` against the regions their cell touches, each
   polygon prepared once (:mod:`geo._pip`, which keeps the grid between calls), and checked against the region
   boundaries, split into short pieces in an STRtree, for ``near_boundary``.

Boundaries at 1:10m are generalised by hundreds of metres, so a point within ``tolerance_m`` of a region
boundary (1 km by default) is flagged: its region is the one the polygons say, but it deserves a look. Lines and
polygons get every region they touch, largest share first.

Coordinates beyond ±180/±90 are errors naming the rows. A point outside every region that would lie in one with
longitude and latitude swapped is flagged ``swapped_suspect`` (and a table of them is an error); in the west of
both countries swapped points land inside regions and cannot be detected (see :func:`locate`).
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geo import _pip
from geo.analysis import TOLERANCE_CRS
from geo.errors import GeoInputError
from geo.locate_input import check_crs, check_range, check_tolerance, coordinates

__all__ = ["locate"]


def _boundary_pieces(regions: gpd.GeoDataFrame, to_m: Transformer) -> shapely.STRtree:
    """Region boundaries in metres (Albers), as single segments so the tree stays selective."""
    lines = shapely.get_parts(shapely.boundary(regions.geometry.to_numpy()))
    coords, index = shapely.get_coordinates(lines, return_index=True)
    mx, my = to_m.transform(coords[:, 0], coords[:, 1])
    xy = np.column_stack([mx, my])
    same = index[:-1] == index[1:]
    segments = shapely.linestrings(np.stack([xy[:-1][same], xy[1:][same]], axis=1))
    return shapely.STRtree(segments)


def _locate_points(
    x: np.ndarray,
    y: np.ndarray,
    regions: gpd.GeoDataFrame,
    tolerance_m: float,
    to_m: Transformer,
    tree: shapely.STRtree,
    *,
    with_near: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``code`` (object array, None outside), ``codes`` (str) and ``near`` (all False unless ``with_near``).

    The work is done by the grid engine of :mod:`geo._pip` (``tree`` is its boundary-piece tree).
    """
    found, multi, near = _pip.engine(regions, tolerance_m).locate(x, y, with_near=with_near)
    code = np.full(x.size, None, dtype=object)
    inside = found >= 0
    code[inside] = regions["code"].astype(str).to_numpy()[found[inside]]
    codes = np.where(pd.isna(multi), np.where(inside, code, ""), multi).astype(object)
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
        lines, polygons). A dask(-geopandas) frame is located partition by partition and a dask frame
        returned (:mod:`geo.distributed`; files too large for memory: :mod:`geo.stream`).
    lon, lat
        Coordinate columns of a plain DataFrame (WGS84 degrees unless ``crs`` says otherwise).
    crs
        CRS of the ``lon``/``lat`` columns (e.g. ``"EPSG:32641"``), or of a GeoDataFrame that declares none.
    regions
        Region polygons with a ``code`` column; :func:`geo.regions` (both countries) by default.
    tolerance_m
        A feature within this distance (metres) of a region boundary is flagged ``near_boundary``: a finite
        real number from 0 to 1,000,000 (not a string, a boolean, NaN or infinity).

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        A copy of ``points`` (same type and index) with five columns added: ``code`` (the region the feature
        lies in; for a point on a shared boundary, the first code; for a line or polygon, the region holding
        its largest part; ``<NA>`` outside every region), ``codes`` (every region the feature touches,
        ``;``-separated, largest share first), ``outside`` (True when in none of the regions: outside both
        countries for the default regions), ``near_boundary`` (within ``tolerance_m`` of a region boundary,
        including the outer one) and ``swapped_suspect`` (see below).

    Raises
    ------
    GeoInputError
        Missing, duplicated or identical coordinate columns; values that are not numbers (booleans, complex
        numbers and dates are refused, not coerced); a ``tolerance_m`` that is not a finite number of metres
        from 0 to 1,000,000; a ``crs`` pyproj does not know; ``regions`` that are not a GeoDataFrame with a
        ``code`` column and a CRS; geometries without a CRS; coordinates out of range or a whole table that
        looks swapped (the message names the rows and their values). See :mod:`geo.locate_input`.

    Warns
    -----
    UserWarning
        When some points are flagged ``swapped_suspect``; the message names the first rows.

    Notes
    -----
    **Range.** Longitude must lie within ±180 and latitude within ±90: for ``lon``/``lat`` columns (after the
    transformation from ``crs``, if given) and for every coordinate of a GeoDataFrame in a geographic CRS such
    as EPSG:4326 (its points, and its lines' and polygons' vertices), checked as given. Any other value is an
    error naming the rows, suggesting ``lon=``/``lat=`` (or x = longitude) when only the latitude is beyond
    ±90 and the values fit swapped, otherwise a CRS. Coordinates that cannot be transformed to longitude/
    latitude are errors too.

    **Swapped latitude and longitude.** Points (of ``lon``/``lat`` columns, or point geometries in a
    geographic CRS) are checked once more, by row: a point outside every region whose swapped position
    (longitude read as latitude and vice versa) lies inside a region is flagged ``swapped_suspect`` and
    named in a warning. It stays ``outside``, with no ``code``: the row is reported, not guessed. When the
    whole table looks swapped (most of its points outside, and more than 90 % of those inside once
    swapped), that is an error, as nothing useful can be returned. The flag is a hint, not a verdict: a
    point genuinely outside can be flagged too (e.g. one in Uzbekistan at 41 N, 64 E, as 41 E, 64 N, lies in
    Arkhangelsk oblast); multipoints, lines, polygons and geometries in a projected CRS are never flagged.

    **Limitation.** A swapped point is only detectable when its given position falls outside every region.
    Across the west of both countries it does not: there longitude and latitude are both ~45–60, so either
    reading is a plausible place in Russia or Kazakhstan. Orenburg (55.1 E, 51.8 N) read as (51.8 E,
    55.1 N) lies in Tatarstan (RU-TA), the centre of Aktobe oblast (KZ-15) lands in Kirov oblast and that of
    West Kazakhstan (KZ-27, near the lon = lat diagonal) stays in KZ-27. Such rows get a wrong ``code``,
    no flag and no warning, and a table of them cannot be told from a correct one by coordinates alone
    (both readings are valid places inside the regions; no sound signal in the coordinates alone is known).
    Check such rows against another field the table carries, e.g. compare ``code`` with a region name
    resolved with :func:`geo.resolve`.
    """
    from geo import distributed

    if distributed.is_dask(points):  # a dask(-geopandas) frame: the same call, partition by partition
        return distributed.locate(points, lon=lon, lat=lat, crs=crs, regions=regions, tolerance_m=tolerance_m)
    tolerance_m = check_tolerance(tolerance_m)
    source_crs = check_crs(crs)
    ctx = _context(regions, tolerance_m)
    if isinstance(points, gpd.GeoSeries):
        points = gpd.GeoDataFrame(geometry=points)
    if isinstance(points, gpd.GeoDataFrame):
        code, codes, near, suspect = _locate_geodataframe(points, source_crs, ctx)
    elif isinstance(points, pd.DataFrame):
        code, codes, near, suspect = _locate_dataframe(points, lon, lat, source_crs, ctx)
    else:
        msg = f"points must be a DataFrame with {lon}/{lat} columns or a GeoDataFrame"
        raise GeoInputError(msg)
    out = points.copy()
    out["code"] = pd.array(code, dtype="string")
    out["codes"] = pd.array(codes, dtype="str") if len(codes) else pd.array([], dtype="str")
    out["outside"] = pd.isna(out["code"]).to_numpy()
    out["near_boundary"] = near
    out["swapped_suspect"] = suspect
    return out


class _Context(NamedTuple):
    """What every step of a join needs: the regions in EPSG:4326, the tolerance and the boundary tree."""

    regions: gpd.GeoDataFrame
    tolerance_m: float
    to_m: Transformer
    tree: shapely.STRtree


def _context(regions: gpd.GeoDataFrame | None, tolerance_m: float) -> _Context:
    if regions is None:
        from geo.boundaries import regions as load_regions

        regions = load_regions()
    if not isinstance(regions, gpd.GeoDataFrame):
        msg = f"regions must be a GeoDataFrame such as geo.regions(), not {type(regions).__name__}"
        raise GeoInputError(msg)
    if "code" not in regions.columns:
        msg = "regions must have a 'code' column (geo.regions())"
        raise GeoInputError(msg)
    if regions.crs is None:
        msg = "regions have no CRS; pass geo.regions() or set one with regions.set_crs(…)"
        raise GeoInputError(msg)
    regions = regions.to_crs("EPSG:4326")
    to_m = Transformer.from_crs("EPSG:4326", TOLERANCE_CRS, always_xy=True)
    return _Context(regions, tolerance_m, to_m, _pip.engine(regions, tolerance_m).segments)


def _locate_geodataframe(gdf: gpd.GeoDataFrame, crs, ctx: _Context) -> tuple[np.ndarray, ...]:
    """``code``, ``codes``, ``near`` and ``suspect`` of the geometries of ``gdf`` (any CRS)."""
    if gdf.crs is None:
        if crs is None:
            msg = "the geometries have no CRS; pass crs='EPSG:4326' if they are longitude/latitude"
            raise GeoInputError(msg)
        gdf = gdf.set_crs(crs)
    source = gdf.geometry.to_numpy()
    empty = shapely.is_missing(source) | shapely.is_empty(source)
    if empty.any():
        rows = np.flatnonzero(empty)[:10] + 1
        msg = f"{int(empty.sum())} feature(s) without geometry: rows {', '.join(map(str, rows))}"
        raise GeoInputError(msg)
    geographic = bool(gdf.crs.is_geographic)
    other_hint = (
        "longitude must be within ±180 and latitude within ±90; if these are projected coordinates, "
        "declare their CRS with gdf.set_crs(…, allow_override=True)"
        if geographic
        else f"they cannot be transformed from {gdf.crs.to_string()} to longitude/latitude; is that their CRS?"
    )
    hints = {"swap_hint": _GEOMETRY_SWAP_HINT, "other_hint": other_hint}
    if geographic:  # in degrees: check them as given, before any transformation
        coords, row = shapely.get_coordinates(source, return_index=True)
        check_range(coords[:, 0], coords[:, 1], row=row, **hints)
    geoms = gdf.to_crs("EPSG:4326").geometry.to_numpy()
    coords, row = shapely.get_coordinates(geoms, return_index=True)
    check_range(coords[:, 0], coords[:, 1], row=row, **hints)
    is_point = shapely.get_type_id(geoms) == 0
    code = np.full(len(geoms), None, dtype=object)
    codes = np.full(len(geoms), "", dtype=object)
    near = np.zeros(len(geoms), dtype=bool)
    suspect = np.zeros(len(geoms), dtype=bool)
    regions, tolerance_m, to_m, tree = ctx
    if is_point.any():
        xy = shapely.get_coordinates(geoms[is_point])
        code[is_point], codes[is_point], near[is_point] = _locate_points(
            xy[:, 0], xy[:, 1], regions, tolerance_m, to_m, tree
        )
        if geographic:
            given = shapely.get_coordinates(source[is_point])
            back = Transformer.from_crs(gdf.crs, "EPSG:4326", always_xy=True)
            suspect[is_point] = _swap_suspects(
                code[is_point],
                given,
                lambda i, g=given, t=back: t.transform(g[i, 1], g[i, 0]),
                np.flatnonzero(is_point),
                _GEOMETRY_SWAP_HINT,
                ctx,
            )
    if (~is_point).any():
        code[~is_point], codes[~is_point], near[~is_point] = _locate_shapes(
            geoms[~is_point], regions, tolerance_m, to_m, tree
        )
    return code, codes, near, suspect


def _locate_dataframe(points: pd.DataFrame, lon, lat, crs, ctx: _Context) -> tuple[np.ndarray, ...]:
    """``code``, ``codes``, ``near`` and ``suspect`` of the ``lon``/``lat`` columns of ``points``."""
    raw_x, raw_y = coordinates(points, lon, lat)
    x, y = raw_x, raw_y
    if crs is None:
        swap = lambda i: (raw_y[i], raw_x[i])  # noqa: E731
    else:
        back = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        x, y = (np.asarray(v) for v in back.transform(raw_x, raw_y))
        swap = lambda i: back.transform(raw_y[i], raw_x[i])  # noqa: E731
    check_range(
        x,
        y,
        swap_hint=f"latitude and longitude look swapped: pass lon={lat!r}, lat={lon!r}",
        other_hint="longitude must be within ±180 and latitude within ±90; are these projected "
        "coordinates? then pass crs=… (e.g. crs='EPSG:32641')",
    )
    code, codes, near = _locate_points(x, y, *ctx)
    given = np.column_stack([raw_x, raw_y]) if crs is None else np.column_stack([x, y])
    suspect = _swap_suspects(code, given, swap, np.arange(x.size), f"pass lon={lat!r}, lat={lon!r}", ctx)
    return code, codes, near, suspect


_GEOMETRY_SWAP_HINT = (
    "the points look built with x=latitude, y=longitude: build them with x=longitude, y=latitude "
    "(geopandas.points_from_xy(lon, lat))"
)


def _swap_suspects(
    code: np.ndarray,
    given: np.ndarray,
    swap,
    rows: np.ndarray,
    hint: str,
    ctx: _Context,
) -> np.ndarray:
    """Points outside every region whose swapped position lies in one: flag them, or raise for a swapped table.

    ``swap(i)`` gives the lon/lat (EPSG:4326) of points ``i`` with their two input coordinates exchanged;
    ``given`` holds the coordinates as given (for messages) and ``rows`` the 0-based row of each point.
    Returns a boolean array (True: outside, but inside a region once swapped).
    """
    regions, tolerance_m, to_m, tree = ctx
    suspect = np.zeros(code.size, dtype=bool)
    outside = np.flatnonzero(pd.isna(code))
    if outside.size == 0:
        return suspect
    sx, sy = (np.asarray(v, dtype=float) for v in swap(outside))
    minx, miny, maxx, maxy = regions.total_bounds
    cand = (sx >= minx) & (sx <= maxx) & (sy >= miny) & (sy <= maxy)  # cheap: NaN, out of range fail here
    if not cand.any():
        return suspect
    found, _, _ = _locate_points(sx[cand], sy[cand], regions, tolerance_m, to_m, tree, with_near=False)
    inside = pd.notna(found)
    hit = outside[cand][inside]
    if hit.size == 0:
        return suspect
    suspect[hit] = True
    first = hit[:5]
    shown = ", ".join(
        f"{rows[i] + 1} (lon {given[i, 0]:g}, lat {given[i, 1]:g}, swapped in {c})"
        for i, c in zip(first, found[inside][:5], strict=True)
    )
    more = " …" if hit.size > 5 else ""
    if outside.size > 0.5 * code.size and hit.size > 0.9 * outside.size:
        msg = (
            f"{outside.size} of {code.size} points fall outside every region, but {hit.size} of them inside "
            f"one once longitude and latitude are swapped (rows {shown}{more}): {hint}"
        )
        raise GeoInputError(msg)
    warnings.warn(
        f"{hit.size} of {code.size} point(s) fall outside every region but inside one once longitude and "
        f"latitude are swapped: rows {shown}{more}; they stay outside and are flagged in 'swapped_suspect': "
        "check and correct them",
        stacklevel=3,
    )
    return suspect
