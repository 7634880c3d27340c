"""The one geometry pipeline of every export: WGS84, rounded, split at the antimeridian, RFC 7946 winding."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo.constants import WGS84
from geo.precision import round_geometries


def split_antimeridian(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    """Split a lon/lat geometry that crosses the antimeridian into parts on either side of ±180°.

    A ring or line *crosses* when two consecutive vertices are more than 180° of longitude apart (it then
    takes the short way across ±180°, as RFC 7946 §3.1.9 reads it). Such a part is unwrapped to continuous
    longitudes, cut at 180° and the eastern piece shifted back by -360°, so that no part spans more than
    180° of longitude. Parts that do not cross (including parts that merely end at ±180°, as Natural Earth
    already draws Chukotka) are returned unchanged.

    Parameters
    ----------
    geom
        Any shapely geometry in EPSG:4326, or ``None``.

    Returns
    -------
    shapely.Geometry or None
        The same geometry when nothing crosses; otherwise a Multi* geometry (or GeometryCollection for mixed
        input) of the split parts.
    """
    if geom is None or geom.is_empty:
        return geom
    parts = shapely.get_parts(geom)
    if not any(_crosses(p) for p in parts):
        return geom
    pieces: list[shapely.Geometry] = []
    for part in parts:
        pieces.extend(_split_part(part) if _crosses(part) else [part])
    kinds = {p.geom_type for p in pieces}
    if kinds <= {"Polygon"}:
        return shapely.MultiPolygon(pieces)
    if kinds <= {"LineString"}:
        return shapely.MultiLineString(pieces)
    if kinds <= {"Point"}:
        return shapely.MultiPoint(pieces)
    return shapely.GeometryCollection(pieces)


# -- geometry pipeline --------------------------------------------------------------------------------
def clean_geometries(layer: gpd.GeoDataFrame, *, precision: int) -> gpd.GeoDataFrame:
    """Every geometry of ``layer`` through the export pipeline (see :mod:`geo.exports`)."""
    layer = layer.to_crs(WGS84) if not layer.crs.equals(WGS84) else layer
    geoms = layer.geometry.to_numpy().copy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    key = next((c for c in ("code", "pair_id", "id") if c in layer.columns), None)
    labels = layer[key].to_numpy()[present] if key else None
    fixed = round_geometries(geoms[present], precision, labels=labels)
    fixed = np.array([split_antimeridian(g) for g in fixed], dtype=object)
    fixed = shapely.orient_polygons(fixed, exterior_cw=False)
    geoms[present] = fixed
    geoms[~present] = None
    return layer.set_geometry(gpd.GeoSeries(geoms, index=layer.index, crs=WGS84))


def _crosses(part: shapely.Geometry) -> bool:
    rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
    return any(
        len(r.coords) > 1 and np.abs(np.diff(shapely.get_coordinates(r)[:, 0])).max() > 180.0 for r in rings
    )


def _split_part(part: shapely.Geometry) -> list[shapely.Geometry]:
    """Cut one crossing Polygon or LineString at 180° (see :func:`split_antimeridian`)."""

    def unwrap(xy: np.ndarray) -> np.ndarray:
        x = np.unwrap(xy[:, 0], period=360.0)  # continuous longitudes along the ring or line
        x = x + 360.0 * (x.min() < -180.0)  # keep the unwrapped part in (-180, 540)
        return np.column_stack([x, xy[:, 1]])

    if part.geom_type == "Polygon":
        # Unwrap every ring on the same side: shift the holes by the turn that brings them next to the shell.
        shell = unwrap(shapely.get_coordinates(part.exterior))
        holes = []
        for ring in part.interiors:
            xy = unwrap(shapely.get_coordinates(ring))
            xy[:, 0] += 360.0 * round((shell[:, 0].mean() - xy[:, 0].mean()) / 360.0)
            holes.append(xy)
        whole = shapely.Polygon(shell, holes)
    else:
        whole = shapely.transform(part, unwrap)
    west = shapely.clip_by_rect(whole, -180.0, -90.0, 180.0, 90.0)
    east = shapely.clip_by_rect(whole, 180.0, -90.0, 540.0, 90.0)
    east = shapely.transform(east, lambda xy: xy - np.array([360.0, 0.0]))
    wanted = "Polygon" if part.geom_type == "Polygon" else "LineString"
    return [g for piece in (west, east) for g in shapely.get_parts(piece) if g.geom_type == wanted]
