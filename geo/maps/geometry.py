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

from geo.errors import GeometryError

__all__ = [
    "DEFAULT_PRECISION",
    "DEFAULT_TOLERANCE",
    "collection_js",
    "decode_coords",
    "encode_coords",
    "features",
    "geometry_of",
    "round_coordinates",
    "simplify_regions",
    "web_scale",
]

DEFAULT_TOLERANCE = 0.01
#: Decimal places of the coordinates on the page: 0.001° (about 100 m) is below a pixel up to zoom 10, the
#: map's maximum zoom (see :func:`geo.maps.folium_map.render_folium`).
DEFAULT_PRECISION = 3


def round_coordinates(geoms: np.ndarray, decimals: int = DEFAULT_PRECISION) -> np.ndarray:
    """Round every coordinate to ``decimals`` places and drop the repeated vertices this creates.

    Shared vertices round to the same value, so shared edges stay shared.

    A polygon part or hole narrower than the grid collapses to a line or a point when rounded (e.g. a sliver
    of a few thousand m² along a river border); it has no area left to draw, so it is dropped rather than
    kept as an invalid ring. The neighbours' shared edges round to the same collapsed line, so the coverage
    stays valid (checked by :func:`simplify_regions`).
    """
    rounded = shapely.transform(np.asarray(geoms, dtype=object), lambda xy: np.round(xy, decimals))
    try:
        rounded = shapely.remove_repeated_points(rounded)
    except shapely.errors.GEOSException:  # a tiny ring collapsed: keep its repeated points, one by one
        rounded = np.array([_dedupe(g) for g in rounded], dtype=object)
    polygonal = np.isin(shapely.get_type_id(rounded), [3, 6])
    bad = polygonal & ~shapely.is_valid(rounded)
    for i in np.flatnonzero(bad):
        rounded[i] = _drop_collapsed(rounded[i])
    return rounded


def _drop_collapsed(geom: shapely.Geometry) -> shapely.Geometry:
    """``geom`` without the polygon parts and holes that rounding collapsed to no area."""
    polys = []
    for part in shapely.get_parts(geom):
        shell = shapely.Polygon(part.exterior)
        if len(set(part.exterior.coords)) < 3 or shell.area == 0:
            continue
        holes = [h for h in part.interiors if len(set(h.coords)) >= 3 and shapely.Polygon(h).area > 0]
        polys.append(shapely.Polygon(part.exterior, holes))
    if geom.geom_type == "Polygon" and len(polys) == 1:
        return polys[0]
    return shapely.MultiPolygon(polys) if polys else shapely.Polygon()


def _dedupe(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    try:
        return shapely.remove_repeated_points(geom)
    except shapely.errors.GEOSException:
        return geom


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
    simplified = regions.geometry.to_numpy()
    if tolerance > 0:
        simplified = shapely.coverage_simplify(simplified, tolerance)
    geoms = round_coordinates(simplified, decimals)
    # Checked once, on the result; only a failure asks which step broke the coverage.
    if not (shapely.coverage_is_valid(geoms) and shapely.is_valid(geoms[~shapely.is_missing(geoms)]).all()):
        if tolerance > 0 and not shapely.coverage_is_valid(simplified):
            msg = (
                "the region polygons are not a valid coverage after simplification; try a smaller --tolerance"
            )
        else:
            msg = (
                f"the region polygons are not a valid coverage after rounding to {decimals} decimal places; "
                "try more decimals"
            )
        raise GeometryError(msg)
    out = regions.copy()
    out[out.geometry.name] = gpd.GeoSeries(geoms, index=regions.index, crs=regions.crs)
    return out


def web_scale(tolerance: float) -> int:
    """The grid of a layer's encoded coordinates for a simplification ``tolerance`` (degrees).

    Half the tolerance (0.005° for the default 0.01°: every vertex moves by at most 0.0025°, a quarter of what the
    simplification allows, and below a pixel up to zoom 7); 10**DEFAULT_PRECISION for ``tolerance`` 0.

    On that grid most steps between neighbouring vertices are below 16 units, one character each in the
    polyline encoding instead of two.
    """
    if tolerance <= 0:
        return 10**DEFAULT_PRECISION
    return int(min(10**DEFAULT_PRECISION, max(10, round(2 / tolerance))))


def _encode_int(value: int) -> str:
    """One signed integer in the polyline algorithm's characters (ASCII 63-126, 5 bits each)."""
    value = ~(value << 1) if value < 0 else value << 1
    out = []
    while value >= 0x20:
        out.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    out.append(chr(value + 63))
    return "".join(out)


def encode_coords(coords: np.ndarray, decimals: int = DEFAULT_PRECISION, *, scale: int | None = None) -> str:
    """Encode (lon, lat) pairs as a polyline string.

    Deltas of the coordinates times 10**decimals (or ``scale``: 200 is a grid of 0.005°).

    About 5 characters per vertex instead of 18 for JSON numbers; decoded in the page by ``rkDecode`` (see
    :mod:`geo.maps.controls`) before Leaflet sees standard GeoJSON.
    """
    ints = np.round(np.asarray(coords, dtype=float)[:, :2] * (scale or 10**decimals)).astype(np.int64)
    deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel()
    # vectorised _encode_int: zigzag, then 5-bit groups, low first, with a continuation bit (0x20)
    v = np.where(deltas < 0, ~(deltas << 1), deltas << 1)
    shifts = 5 * np.arange(8)
    groups = (v[:, None] >> shifts) & 0x1F
    more = (v[:, None] >> (shifts + 5)) > 0
    valid = np.concatenate([np.ones((v.size, 1), dtype=bool), more[:, :-1]], axis=1)
    chars = (groups + 63 + 0x20 * more)[valid]
    return chars.astype(np.uint8).tobytes().decode("ascii")


def decode_coords(
    text: str, decimals: int = DEFAULT_PRECISION, *, scale: int | None = None
) -> list[list[float]]:
    """Inverse of :func:`encode_coords`."""
    values, i = [], 0
    while i < len(text):
        shift = result = 0
        while True:
            b = ord(text[i]) - 63
            i += 1
            result |= (b & 0x1F) << shift
            shift += 5
            if b < 0x20:
                break
        values.append(~(result >> 1) if result & 1 else result >> 1)
    ints = np.cumsum(np.array(values, dtype=np.int64).reshape(-1, 2), axis=0)
    return (ints / (scale or 10**decimals)).tolist()


def _encoded(geom: shapely.Geometry, decimals: int, scale: int | None = None) -> dict:
    kind = geom.geom_type
    if kind == "LineString":
        return {"type": kind, "enc": encode_coords(shapely.get_coordinates(geom), decimals, scale=scale)}
    if kind == "Polygon":
        rings = [geom.exterior, *geom.interiors]
        return {
            "type": kind,
            "enc": [encode_coords(shapely.get_coordinates(r), decimals, scale=scale) for r in rings],
        }
    if kind in ("MultiLineString", "MultiPolygon"):
        return {"type": kind, "enc": [_encoded(part, decimals, scale)["enc"] for part in geom.geoms]}
    return json.loads(shapely.to_geojson(geom))  # points: plain GeoJSON


def features(
    gdf: gpd.GeoDataFrame,
    properties: list[dict],
    *,
    decimals: int = DEFAULT_PRECISION,
    shared_arcs: bool = False,
    scale: int | None = None,
) -> dict:
    """A GeoJSON-like FeatureCollection of ``gdf``'s geometries with the given per-row ``properties``.

    Rows without geometry are left out. Lines and polygons are stored compactly: ``{"type": "Polygon",
    "enc": [ring, …]}`` with each ring a polyline string (:func:`encode_coords`, ``decimals`` places); with
    ``shared_arcs`` (polygon layers), every edge shared by two polygons is stored once: the collection holds
    ``"arcs"`` (polyline strings) and each polygon ``{"type": …, "arcs": [[ring of arc indices], …]}``
    (:mod:`geo.maps.arcs`). The page decodes them to standard GeoJSON before Leaflet reads them. Points stay
    plain GeoJSON. ``scale`` replaces 10**decimals as the grid of the encoded coordinates (see
    :func:`web_scale`).
    """
    geoms = gdf.geometry.to_numpy()
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    polygonal = np.isin(shapely.get_type_id(geoms[keep]), [3, 6]).all() if keep.any() else False
    if shared_arcs and polygonal:
        from geo.maps.arcs import topology

        scale = scale or 10**decimals
        arcs, shapes = topology(list(geoms[keep]), decimals, scale=scale)
        feats = []
        for geom, shape, prop in zip(
            geoms[keep], shapes, [p for p, k in zip(properties, keep, strict=True) if k], strict=True
        ):
            if not shape:
                continue
            if geom.geom_type == "Polygon":
                feats.append(
                    {"type": "Feature", "geometry": {"type": "Polygon", "arcs": shape[0]}, "properties": prop}
                )
            else:
                feats.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "MultiPolygon", "arcs": shape},
                        "properties": prop,
                    }
                )
        encoded = [encode_coords(np.asarray(a, dtype=float) / scale, scale=scale) for a in arcs]
        return {"type": "FeatureCollection", "arcs": encoded, "features": feats}
    props = [p for p, k in zip(properties, keep, strict=True) if k]
    feats = [
        {"type": "Feature", "geometry": _encoded(g, decimals, scale), "properties": p}
        for g, p in zip(geoms[keep], props, strict=True)
    ]
    return {"type": "FeatureCollection", "features": feats}


def geometry_of(
    feature: dict,
    decimals: int = DEFAULT_PRECISION,
    arcs: list[str] | None = None,
    *,
    scale: int | None = None,
) -> dict:
    """The geometry of a feature from :func:`features` as a standard GeoJSON dict.

    ``arcs``: the collection's ``"arcs"`` for a polygon stored as shared arcs).
    """
    geom = feature["geometry"]
    if "arcs" in geom:
        from geo.maps.arcs import rebuild

        decoded = [decode_coords(a, decimals, scale=scale) for a in arcs or []]
        polys = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
        coords = [[rebuild(decoded, ring) for ring in poly] for poly in polys]
        return {"type": geom["type"], "coordinates": coords[0] if geom["type"] == "Polygon" else coords}
    if "enc" not in geom:
        return geom

    def dec(x):
        return decode_coords(x, decimals, scale=scale) if isinstance(x, str) else [dec(p) for p in x]

    return {"type": geom["type"], "coordinates": dec(geom["enc"])}


def collection_js(collection: dict) -> str:
    """Script-safe JSON text of a FeatureCollection from :func:`features` (see :func:`geo.maps.html.js_data`)."""
    from geo.maps.html import js_data

    return js_data(collection)
