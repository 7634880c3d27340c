"""Colours and styles of every map element, shared by the folium renderer and the static (matplotlib) one.

One place for what a reader sees as the same thing in the HTML map and in the PNG/SVG: the border colour, the
"no data" grey, link colours by kind, project marker shapes and colours by type, region outlines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "BORDER_COLOR",
    "CONTEXT_EDGE",
    "COUNTRY_FILL",
    "FILL_OPACITY",
    "HIGHLIGHT",
    "KIND_COLORS",
    "LINK_COLOR",
    "LINK_DEFAULT_COLOR",
    "NO_DATA_COLOR",
    "NO_DATA_FILL",
    "NO_DATA_HATCH",
    "REGION_EDGE",
    "TYPE_STYLE",
    "link_widths",
    "type_style",
]

#: The Russia–Kazakhstan state border.
BORDER_COLOR = "#b2182b"
#: Regions without a value ("no data"): white hatched with grey lines, in the HTML map (an SVG pattern), its
#: legend (a CSS gradient) and the PNG/SVG (a matplotlib hatch) alike.
NO_DATA_COLOR = "#ffffff"
NO_DATA_HATCH = "#8c8c8c"
#: The SVG pattern of "no data" in the HTML map (referenced as ``fill="url(#rk-hatch)"``).
NO_DATA_FILL = "url(#rk-hatch)"
#: Outline of the focus regions and of the muted context regions.
REGION_EDGE = "#4a4a4a"
CONTEXT_EDGE = "#9a9a9a"
#: Fill opacity of choropleth classes: opaque, so that the legend's swatches are exactly the colours drawn
#: (the plain outline layer without classes uses 0.15).
FILL_OPACITY = 1.0
#: Style of a region under the mouse (the outline only: the fill stays the colour of its class).
HIGHLIGHT = {"weight": 3, "color": "#08306b"}
#: Fill of each country on the overview minimap.
COUNTRY_FILL = {"RU": "#c6dbef", "KZ": "#fdd0a2"}

#: Cooperation links, by ``kind``; :data:`LINK_DEFAULT_COLOR` for any other kind.
KIND_COLORS: dict[str, str] = {
    "trade": "#1b7837",
    "gas_supply": "#2166ac",
    "crude_supply_plan": "#5e3c99",
    "shared_deposit": "#8c510a",
    "education": "#01665e",
}
LINK_DEFAULT_COLOR = "#525252"
#: The swatch of "links" in legends.
LINK_COLOR = "#2166ac"
NEUTRAL_WIDTH = 2.0
MIN_WIDTH, MAX_WIDTH = 3.0, 10.0

#: Project markers by ``type``: (shape, colour); shapes: circle, square, diamond, triangle, line.
TYPE_STYLE: dict[str, tuple[str, str]] = {
    "oil_gas": ("circle", "#6a3d9a"),
    "refinery": ("square", "#e7298a"),
    "pipeline": ("line", "#6a3d9a"),
    "mining": ("diamond", "#a6761d"),
    "space": ("triangle", "#1f78b4"),
    "education": ("square", "#33a02c"),
    "industry": ("diamond", "#ff7f00"),
    "energy": ("triangle", "#e6ab02"),
    "other": ("circle", "#666666"),
}


def type_style(kind: str) -> tuple[str, str]:
    """(shape, colour) of a project type; the style of ``"other"`` for an unknown type."""
    return TYPE_STYLE.get(kind, TYPE_STYLE["other"])


def link_widths(values: pd.Series, units: pd.Series) -> np.ndarray:
    """Line width of each link: 3–10 px by the square root of value / max value of its unit; 2 px if no value."""
    vals = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    units = units.fillna("").astype(str).to_numpy()
    widths = np.full(vals.shape, NEUTRAL_WIDTH)
    for unit in np.unique(units):
        sel = (units == unit) & np.isfinite(vals) & (vals > 0)
        if sel.any():
            widths[sel] = MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * np.sqrt(vals[sel] / vals[sel].max())
    return np.round(widths, 1)
