"""The folium renderer: a :class:`~geo.maps.spec.MapSpec` drawn as a Leaflet map, one module per layer.

:func:`render_folium` composes the layers (regions, labels, border, links, projects), the legend and the
controls; the returned :class:`RukzMap` is a ``folium.Map`` that keeps the spec it was drawn from (typed), so
that :func:`geo.save_figure` can draw the same content for print.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import folium
import numpy as np
import pandas as pd

from geo.maps.arcs import arcs_between
from geo.maps.background import background_layer
from geo.maps.basemap import Basemap
from geo.maps.border import border_layer
from geo.maps.choropleth import Classes, Legend
from geo.maps.cities import cities_layer
from geo.maps.controls import Panes, RawHTML, Stylesheet, add_controls, hatch_pattern
from geo.maps.html import esc
from geo.maps.i18n import text
from geo.maps.layer import VectorLayer
from geo.maps.links import links_layer
from geo.maps.projects import projects_layer, type_legend_html
from geo.maps.regions import _value_text, labels_layer, regions_layer
from geo.maps.spec import MapSpec
from geo.maps.style import LINK_COLOR
from geo.maps.timecontrol import MapLabel, TimeControl, ValuesTable

__all__ = ["RukzMap", "render_folium"]

_LEAFLET_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/"


class RukzMap(folium.Map):
    """A ``folium.Map`` drawn from a :class:`~geo.maps.spec.MapSpec`, which it keeps as ``spec``."""

    spec: MapSpec

    @property
    def rk_spec(self) -> MapSpec:
        """The spec (the name used before 0.2)."""
        return self.spec


def _tiles(basemap: Basemap | None) -> folium.TileLayer | None:
    if basemap is None:
        return None
    if basemap.url is not None:
        return folium.TileLayer(
            tiles=basemap.url, attr="Basemap: " + esc(basemap.url), name="Basemap", control=False
        )
    import xyzservices

    return folium.TileLayer(
        tiles=xyzservices.providers.query_name(basemap.provider), name="Basemap", control=False
    )


def _subset(classes: Classes, rows) -> Classes:
    """The same classes, with the class index of a subset of the rows (colours stay those of the whole map)."""
    return replace(classes, index=classes.index[rows])


def _page(m: folium.Map, offline: bool) -> None:
    """Leaflet inlined (offline) or from the CDN, and our stylesheet and panes."""
    root: Any = m.get_root()  # a branca Figure (header, html), typed by branca as a plain Element
    if offline:
        from geo.maps.offline import leaflet_assets

        js, css = leaflet_assets()
        m.default_js, m.default_css = [], []
        root.header.add_child(RawHTML(f"<style>{css}</style>\n<script>{js}</script>"), name="leaflet_inline")
    else:
        m.default_js = [("leaflet", _LEAFLET_CDN + "leaflet.js")]
        m.default_css = [("leaflet_css", _LEAFLET_CDN + "leaflet.css")]
    root.header.add_child(Stylesheet(), name="rk_css")
    root.html.add_child(hatch_pattern(), name="rk_hatch")
    Panes().add_to(m)


def _add_regions(m: folium.Map, spec: MapSpec) -> list[VectorLayer]:
    """The focus regions, then (with context) the other Russian regions muted beneath the layer control.

    Returns the layers (focus first).
    """
    t = text(spec.lang)
    groups: list[tuple[np.ndarray, dict[str, Any]]] = [(spec.focus, {})]
    if spec.has_context:
        groups.append((~spec.focus, {"name": t["context"], "class_name": "rk-context", "muted": True}))
    names = []
    for rows, style in groups:
        timed: dict[str, Any] = {}
        if spec.timeline is not None and spec.frame_index is not None:
            timed = {
                "frames": spec.frames,
                "frame_values": spec.timeline.values[:, rows],
                "frame_index": spec.frame_index[:, rows],
                "frame_notes": spec.timeline.notes[:, rows],
                "frame": spec.frame,
            }
        layer = regions_layer(
            spec.regions[rows],
            labels=[label for label, keep in zip(spec.labels, rows, strict=True) if keep],
            values=spec.values[rows],
            classes=_subset(spec.classes, rows),
            lang=spec.lang,
            metric_label=spec.legend_title,
            unit=spec.unit,
            notes=None if spec.notes is None else pd.Series(spec.notes[rows]),
            scale=spec.scale,
            **style,
            **timed,
        )
        layer.add_to(m)
        names.append(layer)
    return names


def _add_cities(m: folium.Map, spec: MapSpec) -> list[str]:
    if not spec.cities:
        return []
    names = [label.text(spec.lang) for label in spec.labels]
    layer = cities_layer(
        spec.cities,
        classes=spec.classes,
        values=spec.values,
        lang=spec.lang,
        metric_label=spec.legend_title,
        unit=spec.unit,
        region_names=names,
        frames=spec.frames,
        frame_values=None if spec.timeline is None else spec.timeline.values,
        frame_index=spec.frame_index,
        frame=spec.frame,
    )
    layer.add_to(m)
    return [layer.get_name()]


def _values_table(spec: MapSpec) -> ValuesTable:
    """The text alternative: every focus region (and city) with its value, one column per period."""
    t = text(spec.lang)
    rows = np.flatnonzero(spec.focus)
    unit = f" ({spec.unit})" if spec.unit else ""
    if spec.timeline is not None:
        headers = [f"{spec.legend_title}{unit}, {f}" for f in spec.frames]
        values, notes = spec.timeline.values[:, rows].T, spec.timeline.notes[:, rows].T
    else:
        headers = [f"{spec.legend_title}{unit}"]
        values = np.asarray(spec.values, dtype=object)[rows][:, None]
        notes = np.asarray(spec.notes if spec.notes is not None else [""] * len(spec.values), dtype=object)
        notes = notes[rows][:, None]
    # the tooltip's note too (a former unit's value on each of its polygons, a single-point contact)
    cells = [
        [
            (_value_text(v, "") or t["no_data"]) + (f" ({n})" if isinstance(n, str) and n else "")
            for v, n in pair
        ]
        for pair in (zip(vr, nr, strict=True) for vr, nr in zip(values, notes, strict=True))
    ]
    return ValuesTable(
        caption=f"{spec.title}: {t['table_caption']}",
        region_header=t["region"],
        headers=headers,
        names=[spec.labels[i].text(spec.lang) for i in rows],
        cells=cells,
    )


def _legend_key(spec: MapSpec) -> str:
    """The legend's lines below the classes: border, links, project types."""
    t = text(spec.lang)
    key = f'<div class="rk-row rk-sep"><span class="rk-line-key"></span>{esc(t["border"])}</div>'
    if spec.links is not None and len(spec.links):
        key += (
            f'<div class="rk-row"><span class="rk-line-key" style="border-color:{LINK_COLOR}"></span>'
            f'{esc(t["links"])}</div><div class="rk-note">{esc(t["links_note"])}</div>'
        )
    if spec.projects is not None and len(spec.projects):
        key += type_legend_html(spec.projects, lang=spec.lang)
    return key


def render_folium(spec: MapSpec) -> RukzMap:
    """Draw ``spec`` as a folium map (a :class:`RukzMap` that keeps ``spec``)."""
    t = text(spec.lang)
    # zoom 3-10: from both countries to a city; coordinates are quantised to what zoom 10 shows
    # (geo.maps.geometry.DEFAULT_PRECISION)
    m = RukzMap(
        tiles=None,
        control_scale=False,  # a scale bar in km only: geo.maps.controls.ScaleBar
        zoom_snap=0.25,
        zoom_delta=0.5,
        prefer_canvas=False,
        min_zoom=3,
        max_zoom=10,
    )
    _page(m, spec.offline)
    tiles = _tiles(spec.basemap)
    if tiles is not None:
        tiles.add_to(m)
    if spec.background is not None:
        background_layer(spec.background, name=t["background"]).add_to(m)
    region_layers = _add_regions(m, spec)
    timed = [layer.get_name() for layer in region_layers] + _add_cities(m, spec)
    if spec.show_labels:
        focus_labels = [label for label, keep in zip(spec.labels, spec.focus, strict=True) if keep]
        labels_layer(spec.regions[spec.focus], focus_labels, lang=spec.lang, cities=spec.cities).add_to(m)
    focus = region_layers[0]
    between = arcs_between(focus.data, lambda p: p["code"][:2], "RU", "KZ")
    border_layer(
        spec.regions, lang=spec.lang, scale=spec.scale, arcs_of=(focus.get_name(), between), pairs=spec.border
    ).add_to(m)
    if spec.links is not None and len(spec.links):
        links_layer(spec.links, lang=spec.lang).add_to(m)
    if spec.projects is not None and len(spec.projects):
        projects_layer(spec.projects, lang=spec.lang, cluster=False if spec.offline else spec.cluster).add_to(
            m
        )
    Legend(
        spec.classes, title=spec.legend_title, unit=spec.unit, no_data=t["no_data"], extra=_legend_key(spec)
    ).add_to(m)
    add_controls(
        m,
        title=spec.title,
        subtitle=spec.subtitle,
        sources_label=t["sources"],
        sources=list(spec.sources),
        overview=spec.overview,
        fullscreen_label=t["fullscreen"],
    )
    if spec.frames:
        TimeControl(
            spec.frames,
            timed,
            frame=spec.frame,
            label=t["year_control"],
            prev=f"{t['year_control']} −1",
            next_=f"{t['year_control']} +1",
        ).add_to(m)
    _values_table(spec).add_to(m)
    MapLabel(spec.title, spec.lang).add_to(m)
    minx, miny, maxx, maxy = spec.bounds()
    # Leave room for the title (top) and the legend (right) so that no region hides behind them.
    m.fit_bounds(
        [[round(miny, 3), round(minx, 3)], [round(maxy, 3), round(maxx, 3)]],
        padding_top_left=(10, 60),
        padding_bottom_right=(230, 30),
    )
    m.spec = spec
    return m
