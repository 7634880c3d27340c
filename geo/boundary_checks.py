"""Checks of a user's boundary file once its rows are matched to the catalogue (called by ``read_boundaries``).

A boundary file that reads without error can still be wrong in ways that would silently give wrong borders,
areas and joins: longitude/latitude in a file labelled with a projected CRS (every region shrinks to a few
metres near 0° N 0° E), x and y swapped, latitudes beyond ±90, every region set to the same box, rows without
geometry, NaN coordinates, points or lines instead of polygons. :func:`check_boundaries` refuses each of them
with one line naming the file, the rows (as numbered in the file) and their regions, and a suggestion. Nothing
is repaired silently; invalid polygons are still repaired (and reported) by ``read_boundaries`` afterwards.

Cost: linear in the number of vertices except the overlap test, which intersects only pairs of neighbouring
polygons (an STRtree query), simplified to about 1 km first, and re-checks at full detail only the pairs that
overlap; at most one row per catalogue unit is matched, so the pairs stay few (and the memory bounded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.catalog import catalog
from geo.errors import BoundaryFileError, GeoInputError

if TYPE_CHECKING:
    from geo.boundaries import BoundaryReport

__all__ = [
    "MAX_CENTRE_DEG",
    "MIN_SIZE_DEG",
    "OVERLAP_SHARE",
    "check_boundaries",
    "context_rule",
    "needs_border",
]

#: A region's administrative centre may lie at most this far (degrees, about 70–110 km) outside its polygon.
MAX_CENTRE_DEG = 1.0
#: A region smaller than this (degrees, about 1 km) across both ways is not a region: a CRS mistake.
MIN_SIZE_DEG = 0.01
#: Two polygons overlapping by more than this share of the smaller one are an error.
OVERLAP_SHARE = 0.01
_SHOWN = 5


def check_boundaries(gdf: gpd.GeoDataFrame, label: str) -> None:
    """Raise :class:`~geo.errors.BoundaryFileError` if the matched boundary rows cannot be right.

    Parameters
    ----------
    gdf
        The matched rows in EPSG:4326 with ``code`` and ``source_row`` (1-based row in the file) columns.
    label
        The file name (or ``<GeoDataFrame>``) for the message.

    Raises
    ------
    BoundaryFileError
        One line naming rows and regions, for the first problem found, in this order: rows without geometry;
        rows that are not polygons (points, lines, collections); NaN or infinite coordinates; longitude
        beyond ±180 or latitude beyond ±90 (with a hint when x and y look swapped); a polygon wider than 180°
        of longitude (one across the antimeridian, reprojected the long way round); regions smaller than
        about 1 km (degrees in a file labelled with a projected CRS); regions whose administrative centre
        lies more than about 100 km outside their polygon (swapped x/y, a wrong CRS, misnamed rows); and
        polygons that overlap each other by more than 1 % of the smaller one.
    """
    if gdf.empty:
        return
    geoms = gdf.geometry.to_numpy()
    rows = gdf["source_row"].to_numpy()
    codes = gdf["code"].astype(str).to_numpy()

    def where(mask: np.ndarray, detail=None) -> str:
        idx = np.flatnonzero(mask)
        parts = [f"{rows[i]} ({codes[i]}{detail(i) if detail else ''})" for i in idx[:_SHOWN]]
        more = f" and {idx.size - _SHOWN} more" if idx.size > _SHOWN else ""
        return f"row{'s' if idx.size > 1 else ''} {', '.join(parts)}{more}"

    def fail(text: str) -> None:
        raise BoundaryFileError(f"{label}: {text}")

    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        fail(f"{where(missing)}: no geometry; give each region its polygon, or drop the row")
    kind = shapely.get_type_id(geoms)
    polygonal = (kind == 3) | (kind == 6)  # Polygon, MultiPolygon
    if not polygonal.all():
        fail(
            f"{where(~polygonal, lambda i: ': ' + geoms[i].geom_type)}: not a polygon; a boundary file holds "
            "the regions' areas as polygons (points and lines cannot be regions)"
        )
    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    per_row = np.zeros(len(geoms), dtype=bool)
    per_row[owner[~np.isfinite(coords).all(axis=1)]] = True
    if per_row.any():
        fail(f"{where(per_row)}: NaN or infinite coordinates; fix or drop those vertices")
    x, y = coords[:, 0], coords[:, 1]
    out = np.zeros(len(geoms), dtype=bool)
    out[owner[(np.abs(x) > 180) | (np.abs(y) > 90)]] = True
    if out.any():
        swapped = np.abs(y).max() <= 180 and np.abs(x).max() <= 90
        hint = (
            "x and y look swapped (latitude first): write longitude as x"
            if swapped
            else "longitude must be within ±180 and latitude within ±90: is the file's CRS right?"
        )
        fail(f"{where(out, lambda i: _bounds(geoms[i]))}: out of range for longitude/latitude; {hint}")
    parts, part_row = shapely.get_parts(geoms, return_index=True)
    part_bounds = shapely.bounds(parts)
    wide = np.zeros(len(geoms), dtype=bool)
    wide[part_row[(part_bounds[:, 2] - part_bounds[:, 0]) > 180]] = True
    if wide.any():
        fail(
            f"{where(wide)}: a polygon wider than 180° of longitude, i.e. one that crosses the antimeridian "
            "(±180°) and was read (or reprojected from a projected CRS) as going the long way round; give the "
            "file in EPSG:4326 with such polygons split at ±180° into a MultiPolygon"
        )
    _check_places(geoms, codes, where, fail)
    _check_overlaps(geoms, rows, codes, where, fail)


def _bounds(geom: shapely.Geometry) -> str:
    minx, miny, maxx, maxy = geom.bounds
    return f": x {minx:g}…{maxx:g}, y {miny:g}…{maxy:g}"


def _check_places(geoms: np.ndarray, codes: np.ndarray, where, fail) -> None:
    """Regions of a plausible size, each around its administrative centre (from the catalogue)."""
    from geo.catalog import catalog

    bounds = shapely.bounds(geoms)
    tiny = ((bounds[:, 2] - bounds[:, 0]) < MIN_SIZE_DEG) & ((bounds[:, 3] - bounds[:, 1]) < MIN_SIZE_DEG)
    if tiny.any():
        crs_hint = (
            "longitude/latitude in a file that declares a projected CRS (such as EPSG:3857) are read as "
            "metres: if the coordinates are degrees, declare EPSG:4326 in the file (ogr2ogr -a_srs EPSG:4326) "
            "or, for a GeoDataFrame, .set_crs('EPSG:4326', allow_override=True); crs=… (--boundaries-crs) "
            "applies to a file that declares no CRS"
        )
        fail(f"{where(tiny, lambda i: _bounds(geoms[i]))}: smaller than 1 km across; {crs_hint}")
    table = catalog().table
    known = np.isin(codes, table.index)
    lon = np.full(len(codes), np.nan)
    lat = np.full(len(codes), np.nan)
    lon[known] = table.loc[codes[known], "centre_lon"].to_numpy(dtype=float)
    lat[known] = table.loc[codes[known], "centre_lat"].to_numpy(dtype=float)
    has = np.isfinite(lon) & np.isfinite(lat)
    far = np.zeros(len(codes), dtype=bool)
    far[has] = shapely.distance(shapely.points(lon[has], lat[has]), geoms[has]) > MAX_CENTRE_DEG
    if not far.any():
        return
    swapped = np.zeros(len(codes), dtype=bool)
    swapped[far] = shapely.distance(shapely.points(lat[far], lon[far]), geoms[far]) <= MAX_CENTRE_DEG
    if swapped.sum() > far.sum() / 2:
        hint = "x and y look swapped (latitude first): write longitude as x"
    else:
        hint = "is the file's CRS right, and do these rows name the right regions?"

    def away(i: int) -> str:
        return f": {_bounds(geoms[i])[2:]}, centre {lon[i]:g} E {lat[i]:g} N"

    fail(
        f"{where(far, away)}: the polygon lies far (over {MAX_CENTRE_DEG:g}°) from the region's "
        f"administrative centre; {hint}"
    )


def _check_overlaps(geoms: np.ndarray, rows: np.ndarray, codes: np.ndarray, where, fail) -> None:
    """Polygons that overlap each other (the same box for every region, a duplicated or shifted polygon)."""
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():  # read_boundaries repairs (and reports) them later; overlay needs valid input now
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    rough = shapely.make_valid(shapely.simplify(geoms, MIN_SIZE_DEG))
    a, b = shapely.STRtree(rough).query(rough, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    if a.size == 0:
        return

    def shares(ga: np.ndarray, gb: np.ndarray) -> np.ndarray:
        smaller = np.minimum(shapely.area(ga), shapely.area(gb))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(smaller > 0, shapely.area(shapely.intersection(ga, gb)) / smaller, 0.0)

    suspect = shares(rough[a], rough[b]) > OVERLAP_SHARE
    a, b = a[suspect], b[suspect]
    if a.size == 0:
        return
    share = shares(geoms[a], geoms[b])
    bad = share > OVERLAP_SHARE
    if not bad.any():
        return
    a, b, share = a[bad], b[bad], share[bad]
    mask = np.zeros(len(geoms), dtype=bool)
    mask[np.concatenate([a, b])] = True
    first = [
        f"rows {rows[i]} ({codes[i]}) and {rows[j]} ({codes[j]}) by {s:.0%}"
        for i, j, s in zip(a[:3], b[:3], share[:3], strict=True)
    ]
    fail(
        f"{a.size} pair(s) of polygons overlap each other ({'; '.join(first)}{' …' if a.size > 3 else ''}; "
        f"{where(mask)} involved): each region needs its own polygon; regions may share borders, not area"
    )


def needs_border(every: gpd.GeoDataFrame, layer: str) -> None:
    """Raise :class:`~geo.errors.BoundaryFileError` unless ``every`` has a Russian region touching a Kazakh one.

    The export's ``border`` and ``projects`` layers (the distance to the border) need the state border; with
    regions of one country only (a Kazakh boundary file), or none touching, there is none.
    """
    if missing := sorted({"RU", "KZ"} - set(every["country"])):
        names = {"RU": "Russian", "KZ": "Kazakh"}
        msg = (
            f"the {layer} layer needs the border, so regions of both countries, but the boundaries have no "
            f"{' or '.join(names[c] for c in missing)} region; add them, or leave the layer out "
            "(e.g. --layers regions,links)"
        )
        raise BoundaryFileError(msg)
    ru, kz = (every.geometry[every["country"] == c].to_numpy() for c in ("RU", "KZ"))
    if shapely.STRtree(kz).query(ru, predicate="intersects").size == 0:
        msg = (
            f"the {layer} layer needs the border, but no Russian region of the boundaries touches a Kazakh "
            "one; add the regions along the border, or leave the layer out (e.g. --layers regions,links)"
        )
        raise BoundaryFileError(msg)


def context_rule(values: pd.DataFrame, codes: list[str | None], report: BoundaryReport) -> None:
    """Settle ambiguous names as tables do: "Almaty" is the city when the file already has Almaty Region.

    A name that fits several units of which all but one are already matched in the file is read as the remaining
    one; each decision is reported. ``codes`` and ``report.unmatched`` are updated in place.
    """
    cat = catalog()
    present = {c for c in codes if c}
    for i, row in enumerate(values.itertuples(index=False)):
        if codes[i] is not None:
            continue
        names = [v for v in row if isinstance(v, str) and v.strip()]
        for name in names:
            try:
                found = cat.candidates(name)
            except GeoInputError:
                continue
            left = [c for c in found if c not in present]
            if len(found) > 1 and len(left) == 1:
                codes[i] = left[0]
                present.add(left[0])
                here = ", ".join(cat.describe(c) for c in found if c != left[0])
                report.decided.append(
                    f"row {i + 1}: {name!r} read as {cat.describe(left[0])} because the file already has {here}"
                )
                report.unmatched = [u for u in report.unmatched if not u.startswith(f"row {i + 1}: ")]
                break
