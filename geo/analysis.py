"""Geodesic figures on WGS84: region areas, the Russia–Kazakhstan border by region pair, border regions.

Lengths and areas use :class:`pyproj.Geod` on the WGS84 ellipsoid, never planar degrees. Contacts between
regions are found from the shared linework of the polygons, which Natural Earth draws as an exact coverage
(neighbours share vertices), so the state border is the intersection of the two countries' boundaries.

At 1:10m Samara Oblast touches Kazakhstan in a single point although it does border it: a contact of zero length
is reported as ``contact="point"`` rather than dropped, and :func:`border_regions` counts any region within
``tolerance_m`` of the other country (1 km by default) so that such touches and the small gaps of other boundary
files are handled the same way.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

__all__ = ["GEOD", "areas_km2", "border_line", "border_pairs", "border_regions", "border_segments", "length_km"]

GEOD = pyproj.Geod(ellps="WGS84")
#: Equal-area projection used only to measure *distances to within a tolerance* (Albers, standard parallels
#: 45° and 60° N, central meridian 70° E: scale error under 2 % across both countries).
TOLERANCE_CRS = "+proj=aea +lat_0=50 +lon_0=70 +lat_1=45 +lat_2=60 +datum=WGS84 +units=m +no_defs"


def length_km(geoms: gpd.GeoSeries | np.ndarray | list) -> np.ndarray:
    """Geodesic length (km) of each line geometry (lon/lat, WGS84)."""
    return np.array([GEOD.geometry_length(g) / 1000.0 if g is not None else np.nan for g in geoms])


def areas_km2(regions: gpd.GeoDataFrame) -> pd.Series:
    """Geodesic area (km²) of each region, indexed like ``regions``."""
    regions = _lonlat(regions)
    values = [abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6 for g in regions.geometry]
    return pd.Series(values, index=regions.index, name="area_km2")


def _lonlat(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        msg = "regions have no CRS; expected EPSG:4326"
        raise ValueError(msg)
    return gdf if gdf.crs.equals("EPSG:4326") else gdf.to_crs("EPSG:4326")


def _shared_lines(a: shapely.Geometry, b: shapely.Geometry) -> shapely.Geometry:
    """Linework shared by two polygons (lines only; isolated touch points dropped)."""
    common = shapely.intersection(shapely.boundary(a), shapely.boundary(b))
    lines = [g for g in shapely.get_parts(common) if g.geom_type in ("LineString", "LinearRing")]
    if not lines:
        return shapely.MultiLineString()
    return shapely.line_merge(shapely.MultiLineString(lines))


def border_segments(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The Russia–Kazakhstan state border split by the region pair on either side.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per touching (Russian, Kazakh) region pair, sorted by length: ``ru_code``, ``kz_code``,
        ``ru_name``, ``kz_name``, ``kz_includes``, ``length_km`` (geodesic), ``contact`` (``"line"`` or
        ``"point"`` for a touch of zero length) and the shared line as ``geometry`` (empty for point contacts).
    """
    regions = _lonlat(regions)
    ru = regions[regions["country"] == "RU"]
    kz = regions[regions["country"] == "KZ"]
    pairs = gpd.sjoin(ru[["code", "name_en", "geometry"]], kz[["code", "name_en", "includes", "geometry"]],
                      how="inner", predicate="intersects", lsuffix="ru", rsuffix="kz")
    kz_geoms = kz.geometry.to_numpy()[kz.index.get_indexer(pairs["index_kz"])]
    lines = [_shared_lines(a, b) for a, b in zip(pairs.geometry, kz_geoms, strict=True)]
    out = gpd.GeoDataFrame(
        {
            "ru_code": pairs["code_ru"].to_numpy(),
            "kz_code": pairs["code_kz"].to_numpy(),
            "ru_name": pairs["name_en_ru"].to_numpy(),
            "kz_name": pairs["name_en_kz"].to_numpy(),
            "kz_includes": pairs["includes"].fillna("").to_numpy(),
        },
        geometry=lines,
        crs="EPSG:4326",
    )
    out["length_km"] = length_km(out.geometry)
    out["contact"] = np.where(out["length_km"] > 0, "line", "point")
    out = out.sort_values(["length_km", "ru_code", "kz_code"], ascending=[False, True, True], kind="stable")
    return out.reset_index(drop=True)[["ru_code", "kz_code", "ru_name", "kz_name", "kz_includes",
                                      "length_km", "contact", "geometry"]]


def border_pairs(regions: gpd.GeoDataFrame) -> pd.DataFrame:
    """Shared border length per (Russian, Kazakh) region pair, as a plain table (no geometry)."""
    return pd.DataFrame(border_segments(regions).drop(columns="geometry"))


def border_line(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The state border as one line feature with its geodesic length (``length_km``)."""
    segments = border_segments(regions)
    merged = shapely.line_merge(shapely.union_all(segments.geometry.to_numpy()))
    return gpd.GeoDataFrame(
        {"name": ["Russia–Kazakhstan state border"], "length_km": length_km([merged])},
        geometry=[merged],
        crs="EPSG:4326",
    )


def border_regions(regions: gpd.GeoDataFrame, *, tolerance_m: float = 1000.0) -> pd.DataFrame:
    """Which regions border the other country, derived from the geometry alone.

    Parameters
    ----------
    regions
        Regions of both countries (:func:`geo.regions`).
    tolerance_m
        A region counts as a border region when it lies within this distance (metres) of the other country.
        Touching in a single point (Samara Oblast at 1:10m) is distance 0 and counts; the tolerance also absorbs
        the slivers between countries in boundary files that are not an exact coverage.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``country``, ``border_km`` (geodesic length of shared linework; 0 for a touch or near miss),
        ``distance_m`` (distance to the other country, 0 when touching), ``contact`` (``"line"``, ``"point"`` or
        ``"near"``) for every border region, sorted by country and code.
    """
    regions = _lonlat(regions)
    projected = regions.to_crs(TOLERANCE_CRS)
    rows = []
    for country, other in (("RU", "KZ"), ("KZ", "RU")):
        mine = projected[projected["country"] == country]
        theirs = shapely.union_all(projected.geometry[projected["country"] == other].to_numpy())
        distance = shapely.distance(mine.geometry.to_numpy(), theirs)
        near = distance <= tolerance_m
        other_ll = shapely.union_all(regions.geometry[regions["country"] == other].to_numpy())
        for idx, dist in zip(mine.index[near], distance[near], strict=True):
            lines = _shared_lines(regions.geometry[idx], other_ll)
            km = float(length_km([lines])[0]) if not lines.is_empty else 0.0
            contact = "line" if km > 0 else ("point" if dist == 0 else "near")
            rows.append((regions.at[idx, "code"], country, km, float(dist), contact))
    out = pd.DataFrame(rows, columns=["code", "country", "border_km", "distance_m", "contact"])
    return out.sort_values(["country", "code"], kind="stable").reset_index(drop=True)
