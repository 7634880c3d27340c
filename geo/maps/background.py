"""A light background drawn from shipped data: the land around the border region.

Self-contained maps have no web tiles, so without context the border region would float on an empty page. The
embedded boundary file holds every Russian region; the land of all regions that reach into the map's view is
drawn as one faint, non-interactive shape beneath the choropleth (its own entry in the layer control, so a
reader can hide it). It is clipped to the view, merged (inner edges would cost bytes and add no context),
simplified hard (0.06°, about a pixel at the opening zoom) and sent on a 0.03° grid: about 2 kB. The map's own
regions are part of the land, so no sliver of sea shows between them and the background. Online maps, which
have web tiles for context, leave it out unless asked for.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo.maps.geometry import features, round_coordinates
from geo.maps.layer import VectorLayer

__all__ = ["BACKGROUND_STYLE", "background_layer", "background_regions", "country_outlines"]

#: How the background regions are drawn, in both renderers.
BACKGROUND_STYLE = {
    "fillColor": "#e8e8e3",
    "fillOpacity": 1.0,
    "color": "#b8b8b0",
    "weight": 0.6,
    "opacity": 1.0,
}
_TOLERANCE = 0.06
_DECIMALS = 2  # rounding before the union
#: Grid of the page's coordinates: 0.03°, half the tolerance (see geo.maps.geometry.web_scale).
_SCALE = 33


def background_regions(
    every: gpd.GeoDataFrame, shown: np.ndarray, bounds: np.ndarray, *, margin: float = 0.25
) -> gpd.GeoDataFrame | None:
    """The land of the regions in the map's view (``bounds`` widened by ``margin`` of its size), as one shape.

    Parameters
    ----------
    every
        All regions (columns of :func:`geo.regions`).
    shown
        Boolean mask of the regions drawn by the map itself (``None`` when every region is drawn already).
    bounds
        (minx, miny, maxx, maxy) of the map's subject.
    margin
        How far beyond ``bounds`` to keep, as a share of its width and height.

    Returns
    -------
    geopandas.GeoDataFrame or None
        One row (``code`` "land") with the merged land, or ``None`` when no other region reaches the view.
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    dx, dy = (maxx - minx) * margin, (maxy - miny) * margin
    if np.asarray(shown, dtype=bool).all():
        return None
    geoms = shapely.clip_by_rect(every.geometry.to_numpy(), minx - dx, miny - dy, maxx + dx, maxy + dy)
    keep = np.isin(shapely.get_type_id(geoms), [3, 6]) & ~shapely.is_empty(geoms)
    if not keep.any():
        return None
    land = shapely.coverage_union_all(geoms[keep])
    land = round_coordinates(np.array([shapely.simplify(land, _TOLERANCE)], dtype=object), _DECIMALS)[0]
    if land is None or land.is_empty or land.area == 0:
        return None
    return gpd.GeoDataFrame({"code": ["land"]}, geometry=[land], crs=every.crs)


def background_layer(regions: gpd.GeoDataFrame, *, name: str) -> VectorLayer:
    """The background regions as one faint, non-interactive layer (listed in the layer control as ``name``)."""
    props: list[dict] = [{} for _ in range(len(regions))]
    return VectorLayer(
        features(regions, props, scale=_SCALE),
        style=BACKGROUND_STYLE,
        name=name,
        class_name="rk-background",
        pane="rk-background",
        interactive=False,
        scale=_SCALE,
    )


def country_outlines(every: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each country's outline west of the antimeridian, coarse enough for the overview minimap (about 1° a pixel).

    The regions of a country are merged (a coverage: fast), parts smaller than 0.5 square degrees left out, the
    rest simplified to 0.25° (Douglas–Peucker: the topology-preserving simplifier takes ten times as long over
    Russia's 40,000 vertices and changes nothing visible at this scale), rounded to 0.1° and made valid.

    Parameters
    ----------
    every
        All regions (columns of :func:`geo.regions`).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per country (``country``, sorted) with a (Multi)Polygon.
    """
    clipped = shapely.clip_by_rect(every.geometry.to_numpy(), 19.0, 35.0, 180.0, 82.0)
    countries, geoms = [], []
    for country in sorted(set(every["country"])):
        part = clipped[(every["country"] == country).to_numpy() & ~shapely.is_empty(clipped)]
        parts = shapely.get_parts(shapely.coverage_union_all(part))
        parts = parts[shapely.area(parts) >= 0.5]
        if len(parts):
            countries.append(country)
            geoms.append(shapely.simplify(shapely.multipolygons(parts), 0.25, preserve_topology=False))
    rounded = round_coordinates(np.array(geoms, dtype=object), 1)
    valid = shapely.make_valid(rounded, method="structure", keep_collapsed=False)
    return gpd.GeoDataFrame({"country": countries}, geometry=valid, crs=every.crs)
