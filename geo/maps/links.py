"""Cross-border cooperation links between partner regions, line width by value.

A link joins the administrative centres of two regions (it is not a route, and the popup says so). Its width
grows with the square root of its value relative to the largest value *of the same unit* (a gas flow in
bn m³/yr and a trade turnover in USD are not comparable); a link whose source gives no quantity is drawn
thin and dashed with a neutral width.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.catalog import catalog
from geo.maps.geometry import features, round_coordinates
from geo.maps.html import cell, esc, rows_html
from geo.maps.i18n import kind_name, text
from geo.maps.labels import names_of
from geo.maps.layer import VectorLayer
from geo.maps.style import KIND_COLORS, LINK_DEFAULT_COLOR, link_widths

__all__ = ["links_layer"]


def links_layer(links: gpd.GeoDataFrame, *, lang: str = "en", name: str | None = None) -> VectorLayer:
    """Lines between partner regions, coloured by kind and wide by value, with popups.

    Parameters
    ----------
    links
        Lines in EPSG:4326 with the columns of :func:`geo.attributes.links` (at least ``from_code`` and
        ``to_code``; ``kind``, ``value``, ``value_qualifier``, ``unit``, ``year``, ``label_en``, ``source``,
        ``note`` where present).
    lang
        ``"en"`` or ``"ru"``.
    name
        Name in the layer control.

    Returns
    -------
    VectorLayer
        One line feature per link.
    """
    t = text(lang)
    gdf = links[links.geometry.notna() & ~links.geometry.is_empty]
    table = catalog().table
    values = gdf["value"] if "value" in gdf else pd.Series(np.nan, index=gdf.index)
    units = gdf["unit"] if "unit" in gdf else pd.Series("", index=gdf.index)
    widths = link_widths(values, units)
    props = []
    for width, (_, row) in zip(widths, gdf.iterrows(), strict=True):
        a, b = str(row["from_code"]), str(row["to_code"])
        name_a = names_of(a)[lang] if a in table.index else a
        name_b = names_of(b)[lang] if b in table.index else b
        arrow = " → " if bool(cell(row, "directed")) else " – "
        kind = str(cell(row, "kind") or "")
        value = cell(row, "value")
        value_text = None
        if value is not None:
            qual = cell(row, "value_qualifier")
            qual = "" if qual in (None, "exact") else f"{qual} "
            value_text = f"{qual}{value:g} {cell(row, 'unit') or ''}".strip()
        label = cell(row, "label_en") or f"{name_a}{arrow}{name_b}"
        rows = [
            (t["from_to"], f"{name_a} ({a}){arrow}{name_b} ({b})"),
            (t["kind"], kind_name(kind, lang)),
            (t["value"], value_text),
            (t["year"], cell(row, "year")),
            (t["source"], cell(row, "source")),
            ("", cell(row, "note")),
            ("", t["line_note"]),
        ]
        style = {
            "color": KIND_COLORS.get(kind, LINK_DEFAULT_COLOR),
            "weight": float(width),
            "opacity": 0.85,
            "lineCap": "round",
            "dashArray": None if value is not None else "1 6",
        }
        props.append(
            {
                "kind": esc(kind),
                "style": style,
                "tip": f"<b>{esc(label)}</b><br>{esc(name_a)}{esc(arrow)}{esc(name_b)}",
                "popup": rows_html(rows, title=label),
            }
        )
    web = gdf.copy()
    web[web.geometry.name] = gpd.GeoSeries(
        round_coordinates(gdf.geometry.to_numpy()), index=gdf.index, crs=gdf.crs
    )
    return VectorLayer(
        features(web, props),
        name=name or t["links"],
        class_name="rk-link",
        pane="rk-links",
        highlight={"opacity": 1},
    )
