"""A light background drawn from shipped data: the other Russian regions around the border region.

Self-contained maps have no web tiles, so without context the border region would float on an empty page. The
embedded boundary file already holds every Russian region; those that reach into the map's view are drawn as a
faint, non-interactive layer beneath the choropleth (its own entry in the layer control, so a reader can hide
it). They are clipped to the view, simplified hard as a coverage (0.06°, about a pixel at the opening zoom, so
shared edges stay shared) and rounded to 0.01°, and sent as shared arcs: a few kilobytes. Online maps, which
have web tiles for context, leave it out unless asked for.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo.maps.geometry import features, round_coordinates
from geo.maps.layer import VectorLayer

__all__ = ["BACKGROUND_STYLE", "background_layer", "background_regions"]

#: How the background regions are drawn, in both renderers.
BACKGROUND_STYLE = {
    "fillColor": "#e8e8e3",
    "fillOpacity": 1.0,
    "color": "#b8b8b0",
    "weight": 0.6,
    "opacity": 1.0,
}
_TOLERANCE = 0.06
_DECIMALS = 2


def background_regions(
    every: gpd.GeoDataFrame, shown: np.ndarray, bounds: np.ndarray, *, margin: float = 0.25
) -> gpd.GeoDataFrame | None:
    """The regions not on the map that reach into its view (``bounds`` widened by ``margin`` of its size).

    Parameters
    ----------
    every
        All regions (columns of :func:`geo.regions`).
    shown
        Boolean mask of the regions drawn by the map itself (left out here).
    bounds
        (minx, miny, maxx, maxy) of the map's subject.
    margin
        How far beyond ``bounds`` to keep, as a share of its width and height.

    Returns
    -------
    geopandas.GeoDataFrame or None
        ``code`` and geometry of the background regions, or ``None`` when none reaches the view.
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    dx, dy = (maxx - minx) * margin, (maxy - miny) * margin
    rest = every[~np.asarray(shown, dtype=bool)]
    if rest.empty:
        return None
    geoms = shapely.clip_by_rect(rest.geometry.to_numpy(), minx - dx, miny - dy, maxx + dx, maxy + dy)
    keep = np.isin(shapely.get_type_id(geoms), [3, 6]) & ~shapely.is_empty(geoms)
    if not keep.any():
        return None
    geoms = round_coordinates(shapely.coverage_simplify(geoms[keep], _TOLERANCE), _DECIMALS)  # edges shared
    codes = rest["code"].to_numpy()[keep]
    keep = ~(shapely.is_empty(geoms) | shapely.is_missing(geoms)) & (shapely.area(geoms) > 0)
    if not keep.any():
        return None
    return gpd.GeoDataFrame({"code": codes[keep]}, geometry=geoms[keep], crs=every.crs)


def background_layer(regions: gpd.GeoDataFrame, *, name: str) -> VectorLayer:
    """The background regions as one faint, non-interactive layer (listed in the layer control as ``name``)."""
    props = [{} for _ in range(len(regions))]
    return VectorLayer(
        features(regions, props, decimals=_DECIMALS, shared_arcs=True),
        style=BACKGROUND_STYLE,
        name=name,
        class_name="rk-background",
        pane="rk-background",
        interactive=False,
        decimals=_DECIMALS,
    )
