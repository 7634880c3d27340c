"""The figures of a profile, drawn with matplotlib: the locator map, the unit map of the atlas, the trade chart.

Maps are drawn in longitude/latitude with the aspect of the map's middle latitude (1/cos φ), so shapes look
right and a scale bar is true at that latitude (said beside it). Figures are returned as SVG text (HTML pages,
deterministic: fixed ids, no date) or drawn onto the axes of an atlas page.
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd

from geo.maps.style import BORDER_COLOR, COUNTRY_FILL, REGION_EDGE
from geo.report.profile import UnitProfile

__all__ = [
    "Basemap",
    "draw_trade",
    "draw_unit_map",
    "legend_handles",
    "locator_svg",
    "prepare_basemap",
    "svg_of",
    "trade_svg",
]

HIGHLIGHT_FILL = "#08519c"
NEIGHBOUR_FILL = {"RU": "#9ecae1", "KZ": "#fdae6b"}
CENTRE_COLOR = "#111111"
_SCALE_STEPS_KM = (10, 20, 25, 50, 100, 200, 250, 500, 1000)


@dataclass(frozen=True)
class Basemap:
    """The polygons every profile map draws, simplified once, and the state border as lines."""

    regions: gpd.GeoDataFrame
    border: gpd.GeoDataFrame
    bounds: tuple[float, float, float, float]


def prepare_basemap(regions: gpd.GeoDataFrame, *, tolerance: float = 0.02, decimals: int = 3) -> Basemap:
    """Kazakhstan and the Russian border regions simplified for small maps (coverage kept), and the border."""
    from geo.analysis import border_segments
    from geo.exports.layers import focus_regions
    from geo.maps.geometry import simplify_regions

    shown = focus_regions(regions).reset_index(drop=True)
    simple = simplify_regions(shown, tolerance=tolerance, decimals=decimals)
    segs = border_segments(shown)
    lines = segs[segs["contact"] == "line"]
    x0, y0, x1, y1 = (float(v) for v in shown.total_bounds)
    return Basemap(simple, lines, (x0, y0, x1, y1))


def _aspect(lat: float) -> float:
    return 1.0 / max(math.cos(math.radians(lat)), 0.2)


def _draw_base(ax, base: Basemap, profile: UnitProfile, *, linewidth: float) -> None:
    regions = base.regions
    colours = regions["country"].map(COUNTRY_FILL).fillna("#eeeeee").copy()
    others = {n.code for n in profile.neighbours}
    for country, fill in NEIGHBOUR_FILL.items():
        colours[(regions["code"].isin(others) & (regions["country"] == country)).to_numpy()] = fill
    colours[(regions["code"] == profile.polygon).to_numpy()] = HIGHLIGHT_FILL
    regions.plot(ax=ax, color=list(colours), edgecolor=REGION_EDGE, linewidth=linewidth)
    if len(base.border):
        base.border.plot(ax=ax, color=BORDER_COLOR, linewidth=linewidth * 3, zorder=3)
    if profile.centre_lon is not None and profile.centre_lat is not None:
        ax.plot(
            profile.centre_lon, profile.centre_lat, marker="*", ms=6 + 4 * linewidth, color="white",
            markeredgecolor=CENTRE_COLOR, markeredgewidth=0.8, zorder=5, linestyle="none",
        )  # fmt: skip


def _frame(ax, bounds: tuple[float, float, float, float], pad: float, ratio: float | None = None) -> float:
    """Set the view to ``bounds`` plus ``pad`` (fraction); returns the middle latitude.

    With ``ratio`` (width / height of the axes on the page) the view is widened or heightened to fill the box.
    """
    x0, y0, x1, y1 = bounds
    dx, dy = (x1 - x0) * pad + 0.3, (y1 - y0) * pad + 0.3
    x0, x1, y0, y1 = x0 - dx, x1 + dx, y0 - dy, y1 + dy
    mid = (y0 + y1) / 2
    aspect = _aspect(mid)
    if ratio:
        width, height = x1 - x0, (y1 - y0) * aspect
        if width < ratio * height:
            grow = (ratio * height - width) / 2
            x0, x1 = x0 - grow, x1 + grow
        else:
            grow = (width / ratio - height) / aspect / 2
            y0, y1 = y0 - grow, y1 + grow
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(aspect)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    return mid


def locator_figure(profile: UnitProfile, base: Basemap, *, width_in: float = 3.2):
    """A small overview: the whole cross-border area with the unit in dark blue, its neighbours lighter."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, width_in * 0.62))
    ax = fig.add_axes((0, 0, 1, 1))
    _draw_base(ax, base, profile, linewidth=0.25)
    _frame(ax, base.bounds, 0.01, width_in / (width_in * 0.62))
    ax.set_axis_off()
    return fig


def _nice_length(km_across: float) -> int:
    target = km_across / 4
    return max((s for s in _SCALE_STEPS_KM if s <= target), default=_SCALE_STEPS_KM[0])


def _scale_bar(ax, mid_lat: float) -> str:
    """A scale bar in the lower left, true at ``mid_lat``; returns its label."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    km_per_deg = 111.32 * math.cos(math.radians(mid_lat))
    length_km = _nice_length((x1 - x0) * km_per_deg)
    deg = length_km / km_per_deg
    bx, by = x0 + (x1 - x0) * 0.05, y0 + (y1 - y0) * 0.05
    ax.plot([bx, bx + deg], [by, by], color="black", linewidth=3, solid_capstyle="butt", zorder=6)
    ax.plot([bx, bx + deg / 2], [by, by], color="white", linewidth=1.5, solid_capstyle="butt", zorder=7)
    label = f"{length_km:,} km (at {mid_lat:.0f}° N)"
    box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.5}
    ax.text(bx, by + (y1 - y0) * 0.025, label, fontsize=7, zorder=7, bbox=box)
    return label


def _north_arrow(ax) -> None:
    ax.annotate(
        "N", xy=(0.95, 0.95), xytext=(0.95, 0.84), xycoords="axes fraction", ha="center", va="center",
        fontsize=10, fontweight="bold", arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5},
    )  # fmt: skip


def legend_handles(profile: UnitProfile) -> list:
    """The legend of a unit map (the atlas draws it beside the map)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=HIGHLIGHT_FILL, edgecolor=REGION_EDGE,
              label=textwrap.fill(profile.polygon_label or profile.name_en, 30)),
        Patch(facecolor=NEIGHBOUR_FILL["RU"], edgecolor=REGION_EDGE, label="neighbour across the border (RU)"),
        Patch(facecolor=NEIGHBOUR_FILL["KZ"], edgecolor=REGION_EDGE, label="neighbour across the border (KZ)"),
        Patch(facecolor=COUNTRY_FILL["RU"], edgecolor=REGION_EDGE, label="Russia (border regions)"),
        Patch(facecolor=COUNTRY_FILL["KZ"], edgecolor=REGION_EDGE, label="Kazakhstan"),
        Line2D([], [], color=BORDER_COLOR, linewidth=2, label="state border"),
        Line2D([], [], color="white", marker="*", markeredgecolor=CENTRE_COLOR, ms=9, linestyle="none",
               label=textwrap.fill(f"administrative centre ({profile.centre_en})", 30) if profile.centre_en
               else "centre"),
    ]  # fmt: skip
    return handles


def draw_unit_map(ax, profile: UnitProfile, base: Basemap, *, ratio: float | None = None) -> str:
    """The atlas map of one unit: its polygon and neighbours, legend, scale bar, north arrow, labels.

    Returns the scale bar's label.
    """
    _draw_base(ax, base, profile, linewidth=0.5)
    regions = base.regions
    focus = regions[regions["code"].isin([profile.polygon, *(n.code for n in profile.neighbours)])]
    bounds = tuple(focus.total_bounds) if len(focus) else base.bounds
    mid = _frame(ax, bounds, 0.08, ratio)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    for row in regions.itertuples():
        point = row.geometry.representative_point()
        if x0 < point.x < x1 and y0 < point.y < y1:
            on_dark = row.code == profile.polygon
            ax.text(
                point.x, point.y, row.code, fontsize=6.5, ha="center", va="center", zorder=6,
                color="white" if on_dark else "#222222", fontweight="bold" if on_dark else "normal",
            )  # fmt: skip
    label = _scale_bar(ax, mid)
    _north_arrow(ax)
    return label


def usd_rows(trade: pd.DataFrame) -> pd.DataFrame:
    """The trade rows a chart can show: a stated period and a value in USD millions."""
    if trade.empty or "value_usd_mn" not in trade.columns:
        return trade.iloc[0:0]
    rows = trade[trade["value_usd_mn"].notna() & trade["period"].fillna("").astype(str).ne("")]
    return rows.reset_index(drop=True)


def draw_trade(ax, trade: pd.DataFrame) -> int:
    """Bars of the USD values by period (partial periods hatched, "about"/"over" marked); returns the bar count."""
    rows = usd_rows(trade)
    if rows.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no USD figure with a stated period", ha="center", va="center", fontsize=7)
        return 0
    x = np.arange(len(rows))
    partial = rows["period"].astype(str).str.contains("/")
    values = rows["value_usd_mn"].astype(float).to_numpy()
    bars = ax.bar(x, values, color=["#fdae6b" if p else "#e6550d" for p in partial], edgecolor="#7f2704")
    for bar, p in zip(bars, partial, strict=True):
        if p:
            bar.set_hatch("///")
    marks = {"about": "~", "over": ">", "under": "<"}
    for i, (v, q, partner) in enumerate(
        zip(values, rows["qualifier"].fillna(""), rows["partner"], strict=True)
    ):
        ax.text(i, v, f"{marks.get(str(q), '')}{v:,.0f}\n{partner}", ha="center", va="bottom", fontsize=6)
    ax.set_xticks(x, rows["period"].astype(str), rotation=30, ha="right", fontsize=6)
    ax.tick_params(axis="y", labelsize=6)
    ax.set_ylabel("USD million", fontsize=7)
    ax.set_ylim(0, values.max() * 1.3)
    ax.spines[["top", "right"]].set_visible(False)
    return len(rows)


def trade_svg(trade: pd.DataFrame) -> str | None:
    """The trade chart as SVG text, or ``None`` when no row has a period and a USD value."""
    from matplotlib.figure import Figure

    if usd_rows(trade).empty:
        return None
    fig = Figure(figsize=(4.2, 2.2))
    ax = fig.add_axes((0.14, 0.3, 0.84, 0.66))
    draw_trade(ax, trade)
    return svg_of(fig)


def locator_svg(profile: UnitProfile, base: Basemap) -> str:
    """The locator map as SVG text."""
    return svg_of(locator_figure(profile, base))


def svg_of(fig) -> str:
    """A figure as an ``<svg>`` element to put inline into HTML: fixed ids, no date, text as text."""
    buf = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": "rukz-geo", "svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    return text[text.index("<svg") :]
