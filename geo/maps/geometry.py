"""Web-ready geometry: coverage simplification that keeps neighbours' shared edges, and rounded coordinates.

The regions form a *coverage* (neighbours share their edges exactly). Simplifying each polygon on its own would
open gaps and overlaps between neighbours; :func:`shapely.coverage_simplify` simplifies every shared edge once,
so the result is still a valid coverage (:func:`shapely.coverage_is_valid`), checked after every call.

The default tolerance, 0.01° (about 1 km north–south, 0.6–0.8 km east–west at these latitudes), was chosen by
measurement on the default map (see ``bench/bench_map.py``): it halves the vertices of the 1:10m polygons,
which is invisible at the zoom levels where the whole border region fits the screen, while 0.02° starts to show
on the Caspian coast and the Altai. Coordinates are rounded to 4 decimals (about 10 m), far finer than the
tolerance.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely

from geo.errors import GeoInputError

__all__ = ["DEFAULT_PRECISION", "DEFAULT_TOLERANCE", "features", "round_coordinates", "simplify_regions"]

DEFAULT_TOLERANCE = 0.01
DEFAULT_PRECISION = 4


class GeometryError(GeoInputError):
    """Geometry that cannot be made web-ready (e.g. a coverage that is not valid after simplification)."""


def round_coordinates(geoms: np.ndarray, decimals: int = DEFAULT_PRECISION) -> np.ndarray:
    """Round every coordinate to ``decimals`` places and drop the repeated vertices this creates.

    Shared vertices round to the same value, so shared edges stay shared.
    """
    rounded = shapely.transform(np.asarray(geoms, dtype=object), lambda xy: np.round(xy, decimals))
    return shapely.remove_repeated_points(rounded)


def simplify_regions(
    regions: gpd.GeoDataFrame,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    decimals: int = DEFAULT_PRECISION,
) -> gpd.GeoDataFrame:
    """Simplify region polygons as a coverage and round their coordinates, for the web.

    Parameters
    ----------
    regions
        Region polygons in EPSG:4326 forming a coverage (e.g. :func:`geo.regions`).
    tolerance
        Simplification tolerance in degrees (``0`` keeps every vertex). See the module docstring for the
        default.
    decimals
        Decimal places kept in the coordinates.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``regions`` with simplified, rounded geometries; neighbours still share their edges.

    Raises
    ------
    GeometryError
        A negative tolerance, or polygons that do not form a valid coverage after simplification.
    """
    if not np.isfinite(tolerance) or tolerance < 0:
        msg = f"tolerance must be a number of degrees >= 0, not {tolerance!r}"
        raise GeometryError(msg)
    geoms = regions.geometry.to_numpy()
    if tolerance > 0:
        geoms = shapely.coverage_simplify(geoms, tolerance)
        if not shapely.coverage_is_valid(geoms):
            msg = "the region polygons are not a valid coverage after simplification; try a smaller --tolerance"
            raise GeometryError(msg)
    geoms = round_coordinates(geoms, decimals)
    out = regions.copy()
    out[out.geometry.name] = gpd.GeoSeries(geoms, index=regions.index, crs=regions.crs)
    return out


def features(gdf: gpd.GeoDataFrame, properties: list[dict]) -> dict:
    """A GeoJSON FeatureCollection of ``gdf``'s geometries with the given per-row ``properties``.

    Rows without geometry are left out. Geometries are written as they are (round them first).
    """
    feats = []
    for geom, props in zip(gdf.geometry.to_numpy(), properties, strict=True):
        if geom is None or geom.is_empty:
            continue
        feats.append({"type": "Feature", "geometry": json.loads(shapely.to_geojson(geom)), "properties": props})
    return {"type": "FeatureCollection", "features": feats}
