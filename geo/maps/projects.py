"""Projects and sites as markers by type, with popups; approximate and schematic geometries drawn as such.

Each type has a shape and a colour (inline SVG in a Leaflet ``divIcon``: no icon font or image to fetch, so
the same markers work offline). An item with published coordinates is a solid marker; one placed at a regional
centre or city (``geometry_quality="region"``) is hollow and dashed, and its popup says "placed at regional
centre"; a schematic line (pipelines through city waypoints) is dashed and its popup says "location:
schematic". Items without any geometry (known only by country) are not drawn; the legend counts them.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.catalog import catalog
from geo.maps.geometry import features, round_coordinates
from geo.maps.html import cell, esc, rows_html
from geo.maps.i18n import kind_name, text
from geo.maps.labels import names_of
from geo.maps.layer import VectorLayer
from geo.maps.style import type_style

__all__ = ["CLUSTER_THRESHOLD", "marker_svg", "projects_layer", "type_legend_html"]

#: Shape and colour of each project type (``projects.csv`` ``type``); others get the last entry.
#: More point markers than this are clustered (online maps only: the cluster plugin is fetched from a CDN).
CLUSTER_THRESHOLD = 40

_SHAPES = {
    "circle": '<circle cx="10" cy="10" r="7"/>',
    "square": '<rect x="3.5" y="3.5" width="13" height="13"/>',
    "diamond": '<polygon points="10,1.5 18.5,10 10,18.5 1.5,10"/>',
    "triangle": '<polygon points="10,2 18.5,17 1.5,17"/>',
    "line": '<line x1="2" y1="10" x2="18" y2="10"/>',
}


def marker_svg(kind: str, *, hollow: bool = False, size: int = 20) -> str:
    """Inline SVG of the marker for project type ``kind`` (solid, or hollow and dashed)."""
    shape, color = type_style(kind)
    if shape == "line":
        paint = f'stroke="{color}" stroke-width="3" stroke-dasharray="4 3" fill="none"'
    elif hollow:
        paint = (
            f'fill="#ffffff" fill-opacity="0.9" stroke="{color}" stroke-width="2.5" stroke-dasharray="3 2"'
        )
    else:
        paint = f'fill="{color}" stroke="#ffffff" stroke-width="1.5"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 20 20">'
        f"<g {paint}>{_SHAPES[shape]}</g></svg>"
    )


def _region_names(codes: str, lang: str) -> str:
    table = catalog().table
    out = []
    for code in [c.strip() for c in str(codes or "").split(";") if c.strip()]:
        out.append(f"{names_of(code)[lang]} ({code})" if code in table.index else code)
    return ", ".join(out)


def projects_layer(
    projects: gpd.GeoDataFrame,
    *,
    lang: str = "en",
    name: str | None = None,
    cluster: bool | None = None,
) -> VectorLayer:
    """Markers (points) and dashed lines (schematic) for projects, with popups.

    Parameters
    ----------
    projects
        Projects in EPSG:4326 with the columns of :func:`geo.attributes.projects` (at least ``name_en`` and
        ``type``; ``geometry_quality`` ``published``/``region``/``schematic``, ``placed_at``, ``status``,
        ``year``, ``regions``, ``partners``, ``source`` where present).
    lang
        ``"en"`` or ``"ru"``: popup words and, where present, ``name_ru``.
    name
        Name in the layer control.
    cluster
        Cluster the point markers; by default when there are more than :data:`CLUSTER_THRESHOLD`.

    Returns
    -------
    VectorLayer
        One feature per mappable project (a MultiPoint item gives a marker at each point).
    """
    t = text(lang)
    gdf = projects[projects.geometry.notna() & ~projects.geometry.is_empty]
    multi = (gdf.geometry.geom_type == "MultiPoint").to_numpy()
    if multi.any():  # one marker per point, so that each can be fanned out on its own
        gdf = pd.concat([gdf[~multi], gdf[multi].explode(index_parts=False)])
    props = []
    for _, row in gdf.iterrows():
        kind = str(cell(row, "type") or "other")
        quality = str(cell(row, "geometry_quality") or "published")
        label = (
            cell(row, f"name_{lang}")
            or (cell(row, "name_ru") if lang == "kk" else None)  # projects have no Kazakh names yet
            or cell(row, "name_en")
            or cell(row, "name")
            or ""
        )
        where = {"schematic": t["schematic"], "region": t["approximate"]}.get(quality, "")
        placed = cell(row, "placed_at")
        location = f"{where}: {placed}" if where and placed else (where or placed)
        year = cell(row, "year")
        year_event = cell(row, "year_event")
        year_text = f"{year} ({year_event})" if year is not None and year_event else year
        length = cell(row, "length_km")
        rows = [
            (t["type"], kind_name(kind, lang)),
            (t["status"], cell(row, "status")),
            (t["year"], year_text),
            (t["involved"], _region_names(str(cell(row, "regions") or ""), lang)),
            (t["partners"], cell(row, "partners")),
            (t["location"], location),
            (t["length"], f"{length:,.0f} km" if isinstance(length, int | float) else None),
            ("", cell(row, "description_en")),
            (t["source"], cell(row, "source")),
        ]
        popup = rows_html(rows, title=label)
        if where:
            popup = f'<div class="rk-quality">{esc(where)}</div>' + popup
        tip = f"<b>{esc(label)}</b>" + (f"<br><i>{esc(where)}</i>" if where else "")
        _, color = type_style(kind)
        hollow = quality != "published"
        props.append(
            {
                "type": esc(kind),
                "quality": esc(quality),
                "tip": tip,
                "popup": popup,
                "style": {
                    "color": color,
                    "weight": 3,
                    "opacity": 0.9,
                    "dashArray": "8 6" if hollow else None,
                },
                "icon": {
                    "className": "rk-project" + (" rk-approx" if hollow else ""),
                    "html": marker_svg(kind, hollow=hollow),
                    "iconSize": [20, 20],
                    "iconAnchor": [10, 10],
                    "popupAnchor": [0, -8],
                },
            }
        )
    web = gdf.copy()
    web[web.geometry.name] = gpd.GeoSeries(
        round_coordinates(gdf.geometry.to_numpy()), index=gdf.index, crs=gdf.crs
    )
    data = features(web, props)
    n_points = int(sum(g.geom_type in ("Point", "MultiPoint") for g in web.geometry))
    if cluster is None:
        cluster = n_points > CLUSTER_THRESHOLD
    cls = ClusteredVectorLayer if cluster else VectorLayer
    return cls(data, name=name or t["projects"], class_name="rk-project-line", pane="rk-links")


class ClusteredVectorLayer(JSCSSMixin, VectorLayer):
    """A :class:`VectorLayer` whose markers are clustered (Leaflet.markercluster, loaded from its CDN)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from folium.plugins import (
            MarkerCluster,  # imported only when needed: folium.plugins is slow to import
        )

        super().__init__(*args, **kwargs)
        self.default_js = MarkerCluster.default_js
        self.default_css = MarkerCluster.default_css

    _template = Template(
        VectorLayer.TEMPLATE.replace(
            "{% endmacro %}",
            "{{ this.get_name() }} = L.markerClusterGroup({maxClusterRadius: 40}).addLayer({{ this.get_name() }});\n"
            "{% endmacro %}",
        )
    )


def type_legend_html(projects: gpd.GeoDataFrame, *, lang: str = "en") -> str:
    """HTML for the legend block listing the project types on the map and the approximate-marker key."""
    t = text(lang)
    drawn = projects[projects.geometry.notna() & ~projects.geometry.is_empty]
    kinds = sorted(set(drawn["type"].dropna().astype(str))) if "type" in drawn else []
    rows = "".join(
        f'<div class="rk-row">{marker_svg(k, size=14)}{esc(kind_name(k, lang))}</div>' for k in kinds
    )
    unplaced = int((projects.geometry.isna() | projects.geometry.is_empty).sum())
    note = f'<div class="rk-note">{marker_svg("other", hollow=True, size=14)}{esc(t["hollow"])}</div>'
    if unplaced:
        word = t["unplaced"]
        note += f'<div class="rk-note">{unplaced} {esc(word)}</div>'
    return f'<div class="rk-legend-title rk-sub">{esc(t["projects_legend"])}</div>{rows}{note}'
