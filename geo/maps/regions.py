"""Region layers: outlines filled by choropleth class, tooltips with names and the mapped value, and labels.

Polygons that also stand for units without a polygon of their own (East Kazakhstan for Abai, …) are labelled
so: "East Kazakhstan incl. Abai", from each region's :class:`~geo.maps.spec.RegionLabel`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops  # polylabel

from geo.maps.choropleth import Classes
from geo.maps.geometry import features
from geo.maps.html import esc, rows_html
from geo.maps.i18n import text
from geo.maps.labels import RegionLabel, short_keep
from geo.maps.layer import VectorLayer
from geo.maps.style import CONTEXT_EDGE, FILL_OPACITY, HIGHLIGHT, REGION_EDGE

__all__ = ["label_points", "labels_layer", "regions_layer"]


def _value_text(value: object, unit: str) -> str:
    """A mapped value as text: a number with its unit, a category as it is, ``""`` for no value."""
    if isinstance(value, str):
        return value
    return _fmt_value(float(value) if isinstance(value, int | float | np.number) else np.nan, unit)


def _fmt_value(value: float, unit: str) -> str:
    if value is None or not np.isfinite(float(value)):
        return ""
    d = 0 if float(value).is_integer() else (2 if abs(value) < 10 else 1)
    return f"{value:,.{d}f}" + (f" {unit}" if unit else "")


def regions_layer(  # noqa: PLR0913  (keyword-only drawing options of one layer)
    regions: gpd.GeoDataFrame,
    *,
    labels: Sequence[RegionLabel],
    values: pd.Series | np.ndarray | None = None,
    classes: Classes | None = None,
    lang: str = "en",
    metric_label: str = "",
    unit: str = "",
    notes: pd.Series | None = None,
    name: str | None = None,
    class_name: str = "rk-region",
    show: bool = True,
    muted: bool = False,
    frames: Sequence[str] = (),
    frame_values: np.ndarray | None = None,
    frame_index: np.ndarray | None = None,
    frame_notes: np.ndarray | None = None,
    frame: int = 0,
    scale: int | None = None,
) -> VectorLayer:
    """Region polygons filled by choropleth class, with a tooltip per region.

    Parameters
    ----------
    regions
        Web-ready regions (see :func:`geo.maps.geometry.simplify_regions`) with the columns of
        :func:`geo.regions`.
    labels
        The label of each row (its names and the units it includes), for the tooltips.
    values
        The mapped value of each row (aligned with ``regions``); ``NaN`` is "no data".
    classes
        Classes of ``values`` (see :func:`geo.maps.choropleth.classify`); ``None`` draws plain outlines.
    lang
        ``"en"`` or ``"ru"``: language of names and words.
    metric_label, unit
        What the value is and its unit, shown in the tooltip.
    notes
        Optional note per row, shown in the tooltip (e.g. "touches … at a single point").
    name
        Name in the layer control.
    class_name
        CSS class of the paths.
    show
        Whether the layer is visible on opening.
    muted
        Draw faintly (for context regions around the focus of the map).
    frames, frame_values, frame_index, frame_notes
        For a map with a time control: the periods, and per period (rows) the value, class and note of each
        region (columns); each feature then carries ``fills`` and ``tips`` per period for the page to swap.
        ``frame`` is the period shown first.
    scale
        Grid of the encoded coordinates (:func:`geo.maps.geometry.web_scale`); 10**3 by default.

    Returns
    -------
    VectorLayer
        One feature per region; tooltips: name (with "incl."), name in the other language, code and value.
    """
    t = text(lang)
    other = "en" if lang == "ru" else "ru"  # the tooltip's second name: Russian, or English on Russian maps
    n = len(regions)
    vals = np.full(n, np.nan) if values is None else np.asarray(values)
    idx = classes.index if classes is not None else np.full(n, -1)
    props = []
    for i, (row, label) in enumerate(zip(regions.itertuples(index=False), labels, strict=True)):
        cls = int(idx[i]) if classes is not None else -1

        def tip(value: object, note: object, period: str = "", row=row, label=label) -> str:
            rows: list[tuple[str, object]] = [(t["name_other"], label.text(other)), (t["code"], row.code)]
            if period:
                rows.append((t["year_control"], period))
            if classes is not None:
                rows.append((metric_label or t["value"], _value_text(value, unit) or t["no_data"]))
            if isinstance(note, str) and note:
                rows.append(("", note))
            return rows_html(rows, title=label.text(lang))

        note = notes.iloc[i] if notes is not None else None
        style = {
            "fillColor": classes.fill_of(cls) if classes is not None else "#ffffff",
            "fillOpacity": (FILL_OPACITY if classes is not None else 0.15) * (0.4 if muted else 1),
            "color": CONTEXT_EDGE if muted else REGION_EDGE,
            "weight": 0.8,
            "opacity": 0.9,
        }
        prop: dict[str, Any] = {"code": esc(row.code), "style": style}
        if frames and frame_values is not None and frame_index is not None and classes is not None:
            fnotes = frame_notes if frame_notes is not None else np.full(frame_values.shape, "", dtype=object)
            prop["fills"] = [classes.fill_of(int(c)) for c in frame_index[:, i]]
            prop["tips"] = [
                tip(v, nt, p) for v, nt, p in zip(frame_values[:, i], fnotes[:, i], frames, strict=True)
            ]
        prop["tip"] = prop["tips"][frame] if "tips" in prop else tip(vals[i], note)
        props.append(prop)
    data = features(regions, props, shared_arcs=True, scale=scale)
    return VectorLayer(
        data,
        name=name or t["regions"],
        class_name=class_name,
        pane="rk-regions",
        scale=scale,
        highlight=HIGHLIGHT,
        show=show,
    )


def label_points(regions: gpd.GeoDataFrame) -> np.ndarray:
    """A point well inside each region (pole of inaccessibility of its largest part) for its label."""
    points = []
    for geom in regions.geometry.to_numpy():
        parts = shapely.get_parts(geom)
        largest = parts[np.argmax(shapely.area(parts))]
        points.append(shapely.ops.polylabel(largest, tolerance=0.05))
    return np.array(points, dtype=object)


def labels_layer(
    regions: gpd.GeoDataFrame,
    labels: Sequence[RegionLabel],
    *,
    lang: str = "en",
    name: str | None = None,
    cities: Sequence = (),
) -> VectorLayer:
    """Permanent text labels at a point inside each region ("East Kazakhstan incl. Abai").

    Parameters
    ----------
    regions
        Regions to label (columns of :func:`geo.regions`).
    labels
        The label of each row; those marked ``minor`` (small units such as cities) show only when zoomed in.
    lang
        ``"en"`` or ``"ru"``.
    name
        Name in the layer control.
    cities
        Cities drawn as points (:func:`geo.maps.cities.city_points`): labelled beside their point, always,
        instead of inside their (tiny) polygon.

    Returns
    -------
    VectorLayer
        One point feature with a text ``divIcon`` per region and per city. Labels carry a priority
        (``rank``, larger regions first); the page hides a label that would overlap one already shown.
    """
    t = text(lang)
    keep = short_keep([label.names[lang] for label in labels], lang)
    city_codes = {c.label.code for c in cities}
    rows = [i for i, label in enumerate(labels) if label.code not in city_codes]
    areas = shapely.area(regions.geometry.to_numpy())
    rank = {i: r for r, i in enumerate(sorted(rows, key=lambda i: -areas[i]))}
    props, geoms = [], []
    points = label_points(regions)
    for i in rows:
        label = labels[i]
        prop = {
            "code": esc(label.code),
            "rank": rank[i],
            "label": esc(label.text(lang, short=True, keep=keep)),
        }
        if label.minor:
            prop["minor"] = 1
        props.append(prop)
        geoms.append(points[i])
    for city in cities:  # beside the point, and ranked before any region label, so never hidden by one
        props.append(
            {"code": esc(city.label.code), "rank": -1, "city": 1, "label": esc(city.label.text(lang))}
        )
        geoms.append(shapely.Point(city.lon, city.lat))
    gdf = gpd.GeoDataFrame(geometry=np.array(geoms, dtype=object), crs=regions.crs)
    gdf.geometry = gpd.GeoSeries(
        shapely.transform(gdf.geometry.to_numpy(), lambda xy: np.round(xy, 3)), crs=regions.crs
    )
    return VectorLayer(features(gdf, props), name=name or t["labels"], class_name="rk-labels")
