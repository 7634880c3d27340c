"""Geodesic figures on WGS84: region areas, the Russia–Kazakhstan border by region pair, border regions.

Lengths and areas use :class:`pyproj.Geod` on the WGS84 ellipsoid, never planar degrees. Contacts between
regions are found from the shared linework of the polygons, which the embedded boundaries draw as one exact
coverage (neighbours share vertices; ``pipeline.build`` checks it), so the state border is the intersection of the
two countries' boundaries.

A region may touch the other country in a single point (Samara Oblast did in Natural Earth's 1:10m Kazakhstan; on
the OSM border it meets West Kazakhstan along 2.5 km): a contact of zero length
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

__all__ = [
    "GEOD",
    "areas_km2",
    "border_line",
    "border_pairs",
    "border_regions",
    "border_segments",
    "length_km",
]

GEOD = pyproj.Geod(ellps="WGS84")
#: Equal-area projection used only to measure *distances to within a tolerance* (Albers, standard parallels
#: 45° and 60° N, central meridian 70° E: scale error under 2 % across both countries).
TOLERANCE_CRS = "+proj=aea +lat_0=50 +lon_0=70 +lat_1=45 +lat_2=60 +datum=WGS84 +units=m +no_defs"


def length_km(geoms: gpd.GeoSeries | np.ndarray | list) -> np.ndarray:
    """Geodesic length (km) of each line geometry (lon/lat, WGS84)."""
    return np.array([GEOD.geometry_length(g) / 1000.0 if g is not None else np.nan for g in geoms])


def areas_km2(regions: gpd.GeoDataFrame) -> pd.Series:
    """Geodesic area (km²) of each region on the WGS84 ellipsoid.

    Parameters
    ----------
    regions
        Region polygons of both countries with ``code`` (:func:`geo.regions`), in any declared CRS.

    Returns
    -------
    pandas.Series
        ``area_km2``, indexed like ``regions``.
    """
    regions = _lonlat(regions)
    values = [abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6 for g in regions.geometry]
    return pd.Series(values, index=regions.index, name="area_km2")


def _lonlat(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        msg = "regions have no CRS; expected EPSG:4326"
        raise ValueError(msg)
    return gdf if gdf.crs.equals("EPSG:4326") else gdf.to_crs("EPSG:4326")


def _shared_lines(a: shapely.Geometry, b: shapely.Geometry) -> shapely.Geometry:
    """Linework shared by two polygons (lines only; isolated touch points dropped).

    Both boundaries are first clipped to the overlap of their bounding boxes (shared linework lies inside it), so
    a region against a whole country intersects only the nearby part of the country's long boundary.
    """
    ax0, ay0, ax1, ay1 = shapely.bounds(a)
    bx0, by0, bx1, by1 = shapely.bounds(b)
    box = (max(ax0, bx0) - 1e-6, max(ay0, by0) - 1e-6, min(ax1, bx1) + 1e-6, min(ay1, by1) + 1e-6)
    if box[0] > box[2] or box[1] > box[3]:
        return shapely.MultiLineString()
    common = shapely.intersection(
        shapely.clip_by_rect(shapely.boundary(a), *box), shapely.clip_by_rect(shapely.boundary(b), *box)
    )
    parts = shapely.get_parts(common)  # thousands of one-segment lines: kept or dropped as one array
    lines = parts[np.isin(shapely.get_type_id(parts), (1, 2)) & ~shapely.is_empty(parts)]
    if not len(lines):
        return shapely.MultiLineString()
    return shapely.line_merge(shapely.multilinestrings(lines))


def border_segments(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The Russia–Kazakhstan state border split by the region pair on either side.

    Parameters
    ----------
    regions
        Region polygons of both countries with ``code`` (:func:`geo.regions`), in any declared CRS.

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
    pairs = gpd.sjoin(
        ru[["code", "name_en", "geometry"]],
        kz[["code", "name_en", "includes", "geometry"]],
        how="inner",
        predicate="intersects",
        lsuffix="ru",
        rsuffix="kz",
    )
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
    return out.reset_index(drop=True)[
        ["ru_code", "kz_code", "ru_name", "kz_name", "kz_includes", "length_km", "contact", "geometry"]
    ]


def border_pairs(regions: gpd.GeoDataFrame) -> pd.DataFrame:
    """Shared border length per (Russian, Kazakh) region pair, as a plain table (no geometry).

    Parameters
    ----------
    regions
        Region polygons of both countries with ``code`` (:func:`geo.regions`), in any declared CRS.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`border_segments` without ``geometry``.
    """
    return pd.DataFrame(border_segments(regions).drop(columns="geometry"))


def border_line(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The state border as one line feature with its geodesic length.

    Parameters
    ----------
    regions
        Region polygons of both countries with ``code`` (:func:`geo.regions`), in any declared CRS.

    Returns
    -------
    geopandas.GeoDataFrame
        One row: ``name``, ``length_km`` (geodesic) and the merged border line, in EPSG:4326.
    """
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
        Touching in a single point is distance 0 and counts; the tolerance also absorbs
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
        # Only the other country's regions whose boxes come within reach of this country's box matter.
        reach_box = shapely.buffer(shapely.box(*mine.total_bounds), tolerance_m)
        others = projected[
            (projected["country"] == other) & shapely.intersects(projected.envelope, reach_box)
        ]
        theirs = shapely.union_all(others.geometry.to_numpy())
        geoms = mine.geometry.to_numpy()
        shapely.prepare(theirs)
        # Touching regions are at distance 0; only the others within reach need the (costly) exact distance.
        distance = np.where(shapely.intersects(geoms, theirs), 0.0, np.inf)
        boxes = shapely.envelope(geoms)
        reach = np.isinf(distance) & (shapely.distance(boxes, shapely.envelope(theirs)) <= tolerance_m)
        reach[reach] = shapely.dwithin(geoms[reach], theirs, tolerance_m)
        distance[reach] = shapely.distance(geoms[reach], theirs)
        near = distance <= tolerance_m
        other_ll = shapely.union_all(regions.geometry[others.index].to_numpy())
        for idx, dist in zip(mine.index[near], distance[near], strict=True):
            lines = _shared_lines(regions.geometry[idx], other_ll)
            km = float(length_km([lines])[0]) if not lines.is_empty else 0.0
            contact = "line" if km > 0 else ("point" if dist == 0 else "near")
            rows.append((regions.at[idx, "code"], country, km, float(dist), contact))
    out = pd.DataFrame(rows, columns=["code", "country", "border_km", "distance_m", "contact"])
    return out.sort_values(["country", "code"], kind="stable").reset_index(drop=True)


def border_totals(regions: gpd.GeoDataFrame) -> pd.DataFrame:
    """Border length with the other country per region, summed over its region pairs.

    Parameters
    ----------
    regions
        Regions of both countries (:func:`geo.regions`).

    Returns
    -------
    pandas.DataFrame
        One row per region in a border pair (point contacts included, with 0 km): ``code``, ``country``,
        ``name_en``, ``border_km`` (geodesic, the sum of its pairs in :func:`border_segments`), ``pairs`` (number
        of neighbours across the border) and ``neighbours`` (their codes, ``;``-separated, longest first),
        sorted by country then by length, longest first. The state border total is ``border_km`` summed over
        one country.
    """
    segments = border_segments(regions)
    parts = []
    for side, other in (("ru", "kz"), ("kz", "ru")):
        part = segments[[f"{side}_code", f"{side}_name", f"{other}_code", "length_km"]].copy()
        part.columns = ["code", "name_en", "neighbour", "length_km"]
        part["country"] = side.upper()
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    out = (
        long.groupby("code", sort=False)
        .agg(
            country=("country", "first"),
            name_en=("name_en", "first"),
            border_km=("length_km", "sum"),
            pairs=("neighbour", "size"),
            neighbours=("neighbour", ";".join),
        )
        .reset_index()
    )
    out["pairs"] = out["pairs"].astype("int64")
    order = out.assign(_c=out["country"].map({"RU": 0, "KZ": 1}))
    order = order.sort_values(["_c", "border_km", "code"], ascending=[True, False, True], kind="stable")
    return order.drop(columns="_c").reset_index(drop=True)


def distance_to_border(
    features: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    regions: gpd.GeoDataFrame | None = None,
) -> pd.Series:
    """Geodesic distance (km) from each feature to the Russia–Kazakhstan state border.

    The nearest point of the border is found in an Albers projection centred on the region
    (:data:`TOLERANCE_CRS`), and the distance between the feature's nearest point and it is then measured
    geodesically on WGS84 with :meth:`pyproj.Geod.inv`. The geodesic step makes the figure exact for the pair
    of points chosen; choosing the pair in the projection can pick a slightly different border point than the
    true geodesic nearest one, which changes the distance by far less than the border's own uncertainty
    (the distortion is second-order: under 0.1 % for points within a few hundred km of the border).

    Parameters
    ----------
    features
        Points, lines or polygons in any CRS (e.g. :func:`geo.projects`). Features that touch or cross the
        border get 0; missing or empty geometries get ``NaN``.
    regions
        Regions of both countries from which the border is derived; the embedded ones by default.

    Returns
    -------
    pandas.Series
        ``border_distance_km``, float, indexed like ``features``.
    """
    if regions is None:
        from geo.boundaries import regions as load_regions

        regions = load_regions()
    geoms = features.geometry if isinstance(features, gpd.GeoDataFrame) else features
    if geoms.crs is None:
        msg = "features have no CRS; expected EPSG:4326 or another declared CRS"
        raise ValueError(msg)
    border = shapely.union_all(border_segments(regions).geometry.to_numpy())
    to_proj = pyproj.Transformer.from_crs("EPSG:4326", TOLERANCE_CRS, always_xy=True)
    to_ll = pyproj.Transformer.from_crs(TOLERANCE_CRS, "EPSG:4326", always_xy=True)
    border_p = shapely.transform(border, lambda xy: np.column_stack(to_proj.transform(xy[:, 0], xy[:, 1])))
    projected = geoms.to_crs(TOLERANCE_CRS).to_numpy()
    out = np.full(len(projected), np.nan)
    present = ~(shapely.is_missing(projected) | shapely.is_empty(projected))
    if present.any():
        lines = shapely.shortest_line(projected[present], border_p)
        xy = shapely.get_coordinates(lines).reshape(-1, 2, 2)  # (feature, [from, to], xy)
        lon, lat = to_ll.transform(xy[:, :, 0].ravel(), xy[:, :, 1].ravel())
        lon, lat = np.asarray(lon).reshape(-1, 2), np.asarray(lat).reshape(-1, 2)
        _, _, dist = GEOD.inv(lon[:, 0], lat[:, 0], lon[:, 1], lat[:, 1])
        dist = np.asarray(dist, dtype=float) / 1000.0
        dist[shapely.intersects(projected[present], border_p)] = 0.0
        out[present] = dist
    return pd.Series(out, index=geoms.index, name="border_distance_km")
