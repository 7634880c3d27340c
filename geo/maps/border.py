"""The Russia–Kazakhstan state border as its own highlighted line layer.

The line is the shared linework of the two countries' regions (:func:`geo.analysis.border_segments`), drawn
with a halo: a wide white copy of the line under the dark red one, so it stands out on any fill. Region pairs
that touch in a single point only (Samara Oblast did on Natural Earth 1:10m; a user's boundary file may) get a
small ring with a tooltip that says so.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis import border_segments
from geo.maps.geometry import features, round_coordinates
from geo.maps.html import esc
from geo.maps.i18n import text
from geo.maps.labels import names_of
from geo.maps.layer import VectorLayer
from geo.maps.style import BORDER_COLOR

__all__ = ["border_layer"]


def border_layer(
    regions: gpd.GeoDataFrame,
    *,
    lang: str = "en",
    name: str | None = None,
    scale: int | None = None,
    arcs_of: tuple[str, list[int]] | None = None,
    pairs: pd.DataFrame | None = None,
) -> VectorLayer:
    """The state border between the Russian and Kazakh regions of ``regions``.

    Parameters
    ----------
    regions
        Regions of both countries (web-ready: the border follows their simplified shared edges exactly).
    lang
        ``"en"``, ``"ru"`` or ``"kk"``.
    scale
        Grid of the encoded coordinates (the regions' grid, so that the line lies on their edges).
    name
        Name in the layer control.
    arcs_of
        ``(layer name, arc indices)``: draw the line as these arcs of that regions layer (sent once, with the
        regions; see :func:`geo.maps.arcs.arcs_between`) instead of a copy of its coordinates.
    pairs
        The touching region pairs (:func:`geo.analysis.border_pairs`: ``ru_code``, ``kz_code``, ``contact``), when
        known already (:attr:`geo.maps.MapSpec.border`); measured on ``regions`` otherwise. With ``arcs_of`` and
        ``pairs`` the regions are only intersected where two of them touch in a point.

    Returns
    -------
    VectorLayer
        The border line, drawn over a white halo (none if the regions do not touch), plus a ring at each
        single-point contact.
    """
    t = text(lang)
    geoms, props = [], []
    line_props = {
        "style": {"color": BORDER_COLOR, "weight": 3, "opacity": 1},
        "tip": f"<b>{esc(t['border'])}</b>",
    }
    if arcs_of is None or pairs is None:
        segs = border_segments(regions)
        pairs = segs.drop(columns="geometry")
        lines = segs[segs["contact"] == "line"]
        merged = shapely.line_merge(shapely.union_all(lines.geometry.to_numpy())) if len(lines) else None
        if arcs_of is None and merged is not None and not merged.is_empty:
            merged = round_coordinates(np.array([merged]))[0]
            geoms.append(merged)
            props.append(line_props)
    lookup = regions.set_index("code")
    for row in pairs[pairs["contact"] == "point"].itertuples(index=False):
        touch = shapely.intersection(lookup.geometry[row.ru_code], lookup.geometry[row.kz_code])
        if touch.is_empty:
            continue
        pt = shapely.centroid(touch)
        names = f"{names_of(row.ru_code)[lang]} – {names_of(row.kz_code)[lang]}"
        geoms.append(shapely.Point(round(pt.x, 4), round(pt.y, 4)))
        props.append(
            {
                "style": {"radius": 6, "color": BORDER_COLOR, "weight": 2, "fill": False},
                "tip": f"<b>{esc(names)}</b><br>{esc(t['point_contact'])}",
            }
        )
    gdf = gpd.GeoDataFrame(geometry=geoms, crs="EPSG:4326")
    data = features(gdf, props, scale=scale)
    if arcs_of is not None and arcs_of[1]:
        data["ref"] = arcs_of[0]
        line = {"type": "MultiLineString", "arcs": [[i] for i in arcs_of[1]]}
        data["features"].insert(0, {"type": "Feature", "geometry": line, "properties": line_props})
    return VectorLayer(
        data,
        scale=scale,
        name=name or t["border"],
        class_name="rk-border",
        pane="rk-border",
        halo={"color": "#ffffff", "weight": 7, "opacity": 0.9},
    )
