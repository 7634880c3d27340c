"""A static figure of the same content for print (PNG, SVG or PDF), drawn with matplotlib.

It shows what the HTML map shows: the choropleth with its classes and "no data", the state border, links
(width by value), projects (shape and colour by type, hollow or dashed where the location is approximate or
schematic), region labels ("East Kazakhstan incl. Abai"), legend, title and the sources line. Longitudes are
stretched by 1/cos(50°) so that shapes look as on the web map. Output is deterministic (no dates in the files).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shapely

from geo._io import check_writable, write_with
from geo.errors import MapOptionError
from geo.maps.background import BACKGROUND_STYLE
from geo.maps.labels import short_keep
from geo.maps.spec import MapSpec

if TYPE_CHECKING:
    from matplotlib.artist import Artist

from geo.maps.style import (
    BORDER_COLOR,
    KIND_COLORS,
    LINK_COLOR,
    LINK_DEFAULT_COLOR,
    NO_DATA_COLOR,
    NO_DATA_HATCH,
    REGION_EDGE,
    link_widths,
    type_style,
)

__all__ = ["render_static", "save_static"]

_MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle": "^", "line": "_"}


def _draw_regions(ax, spec: MapSpec) -> None:
    """The choropleth: the background and context regions muted beneath, then the focus regions."""
    if spec.background is not None:
        spec.background.plot(
            ax=ax,
            color=BACKGROUND_STYLE["fillColor"],
            edgecolor=BACKGROUND_STYLE["color"],
            linewidth=0.4,
        )
    if spec.has_context:
        ctx = ~spec.focus
        spec.regions[ctx].plot(
            ax=ax,
            color=[spec.classes.color_of(int(i)) for i in spec.classes.index[ctx]],
            edgecolor="#8a8a8a",
            linewidth=0.3,
            alpha=0.6,
        )
    index = spec.classes.index[spec.focus]
    focus = spec.regions[spec.focus]
    colors = [spec.classes.color_of(int(i)) for i in index]
    focus.plot(ax=ax, color=colors, edgecolor=REGION_EDGE, linewidth=0.4)
    if (index < 0).any():  # "no data" hatched as in the HTML map and both legends
        import matplotlib

        with matplotlib.rc_context({"hatch.linewidth": 0.8}):
            focus[index < 0].plot(
                ax=ax,
                facecolor=NO_DATA_COLOR,
                edgecolor=REGION_EDGE,
                hatchcolor=NO_DATA_HATCH,
                linewidth=0.4,
                hatch="/////",
            )


def _draw_border(ax, spec: MapSpec) -> None:
    from geo.analysis import border_segments

    segs = border_segments(spec.regions)
    lines = segs[segs["contact"] == "line"]
    if len(lines):
        lines.plot(ax=ax, color="white", linewidth=3.2, zorder=3)
        lines.plot(ax=ax, color=BORDER_COLOR, linewidth=1.5, zorder=4)


def _draw_links(ax, links) -> None:
    lk = links[links.geometry.notna()]
    widths = link_widths(
        lk["value"] if "value" in lk else lk.geometry * np.nan,
        lk["unit"] if "unit" in lk else lk.geometry.astype(str),
    )
    for geom, kind, w, has in zip(
        lk.geometry,
        lk.get("kind", [""] * len(lk)),
        widths,
        lk["value"].notna() if "value" in lk else [False] * len(lk),
        strict=True,
    ):
        xs, ys = geom.xy
        ax.plot(
            xs,
            ys,
            color=KIND_COLORS.get(kind, LINK_DEFAULT_COLOR),
            linewidth=w * 0.45,
            alpha=0.85,
            linestyle="-" if has else ":",
            solid_capstyle="round",
            zorder=5,
        )


def _draw_projects(ax, projects) -> None:
    pr = projects[projects.geometry.notna() & ~projects.geometry.is_empty]
    for geom, kind, quality in zip(
        pr.geometry,
        pr.get("type", ["other"] * len(pr)),
        pr.get("geometry_quality", ["published"] * len(pr)),
        strict=True,
    ):
        shape, color = type_style(kind)
        hollow = quality != "published"
        if geom.geom_type in ("LineString", "MultiLineString"):
            for part in getattr(geom, "geoms", [geom]):
                xs, ys = part.xy
                ax.plot(xs, ys, color=color, linewidth=1.6, linestyle="--", zorder=6)
            continue
        for pt in getattr(geom, "geoms", [geom]):
            ax.plot(
                pt.x,
                pt.y,
                marker=_MARKERS.get(shape, "o"),
                markersize=7,
                zorder=7,
                markerfacecolor="white" if hollow else color,
                markeredgecolor=color if hollow else "white",
                markeredgewidth=1.4,
                linestyle="none",
            )


def _draw_labels(ax, spec: MapSpec) -> None:
    """Region labels (larger regions first) and the cities beside their points.

    A label that would overlap one already drawn is left out, as in the HTML map.
    """
    from matplotlib import patheffects

    from geo.maps.regions import label_points

    regions = spec.regions[spec.focus]
    labels = [label for label, keep in zip(spec.labels, spec.focus, strict=True) if keep]
    keep = short_keep([label.names[spec.lang] for label in labels], spec.lang)
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    city_codes = {c.label.code for c in spec.cities}
    renderer = ax.figure.canvas.get_renderer()
    ax.apply_aspect()
    kept: list = []

    def place(artist) -> None:
        box = artist.get_window_extent(renderer).expanded(1.04, 1.1)
        if any(box.overlaps(other) for other in kept):
            artist.remove()
        else:
            kept.append(box)

    for city in spec.cities:
        fill = "#ffffff" if city.row is None else spec.classes.color_of(int(spec.classes.index[city.row]))
        ax.plot(
            city.lon, city.lat, "o", markersize=5.5, markerfacecolor=fill, markeredgecolor="#1a1a1a", zorder=9
        )
        place(
            ax.annotate(
                city.label.text(spec.lang),
                (city.lon, city.lat),
                xytext=(5, 0),
                textcoords="offset points",
                fontsize=6.3,
                va="center",
                weight="bold",
                color="#1a1a1a",
                path_effects=halo,
                zorder=10,
            )
        )
    areas = shapely.area(regions.geometry.to_numpy())  # in square degrees: only their order matters
    points = label_points(regions)
    for i in np.argsort(-areas, kind="stable"):
        label = labels[i]
        if label.code in city_codes or label.minor:
            continue
        place(
            ax.text(
                points[i].x,
                points[i].y,
                label.text(spec.lang, short=True, keep=keep, sep="\n"),
                fontsize=6.3,
                ha="center",
                va="center",
                weight="bold",
                color="#1a1a1a",
                path_effects=halo,
                zorder=8,
            )
        )


def _project_handles(projects, lang: str) -> list:
    from matplotlib.lines import Line2D

    from geo.maps.i18n import kind_name, text

    handles = []
    drawn = projects[projects.geometry.notna() & ~projects.geometry.is_empty]
    kinds = drawn["type"].dropna().astype(str) if "type" in drawn else []
    for kind in sorted(set(kinds)):
        shape, color = type_style(kind)
        if shape == "line":
            handles.append(Line2D([], [], color=color, linestyle="--", label=kind_name(kind, lang)))
        else:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=_MARKERS[shape],
                    color=color,
                    markeredgecolor="white",
                    linestyle="none",
                    markersize=7,
                    label=kind_name(kind, lang),
                )
            )
    handles.append(
        Line2D(
            [], [], marker="o", markerfacecolor="white", markeredgecolor="#666", linestyle="none",
            label=text(lang)["hollow"],
        )
    )  # fmt: skip
    return handles


def _legend(ax, spec: MapSpec, loc: str = "lower right") -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from geo.maps.i18n import text

    t = text(spec.lang)
    handles: list[Artist] = [
        Patch(facecolor=c, edgecolor="#888", label=lab)
        for c, lab in zip(spec.classes.colors, spec.classes.labels, strict=True)
    ]
    if spec.classes.n_missing or not handles:
        handles.append(
            Patch(
                facecolor=NO_DATA_COLOR,
                edgecolor="#888",
                hatchcolor=NO_DATA_HATCH,
                hatch="/////",
                label=t["no_data"],
            )
        )
    handles.append(Line2D([], [], color=BORDER_COLOR, linewidth=2, label=t["border"]))
    if spec.links is not None and len(spec.links):
        handles.append(
            Line2D([], [], color=LINK_COLOR, linewidth=2.5, label=f"{t['links']} ({t['links_note']})")
        )
    if spec.projects is not None and len(spec.projects):
        handles += _project_handles(spec.projects, spec.lang)
    title = f"{spec.legend_title} ({spec.unit})" if spec.unit else spec.legend_title
    leg = ax.legend(
        handles=handles,
        loc=loc,
        fontsize=6.8,
        title=title,
        title_fontsize=7.5,
        frameon=True,
        framealpha=0.95,
        borderpad=0.7,
    )
    leg.get_frame().set_edgecolor("#bbbbbb")


def _frame(ax, spec: MapSpec, *, full: bool) -> None:
    """One map in ``ax``: regions, border, (full: links, projects), labels, with the view of the focus."""
    ax.set_axis_off()
    ax.set_facecolor("#f4f7fa")
    _draw_regions(ax, spec)
    _draw_border(ax, spec)
    if full and spec.links is not None and len(spec.links):
        _draw_links(ax, spec.links)
    if full and spec.projects is not None and len(spec.projects):
        _draw_projects(ax, spec.projects)
    minx, miny, maxx, maxy = spec.regions[spec.focus].total_bounds
    padx, pady = (maxx - minx) * 0.02, (maxy - miny) * 0.03
    ax.set_xlim(minx - padx, maxx + (maxx - minx) * (0.3 if full else 0.02))
    ax.set_ylim(miny - pady, maxy + pady)
    ax.set_aspect(1 / np.cos(np.radians((miny + maxy) / 2)))
    if spec.show_labels:
        _draw_labels(ax, spec) if full else _draw_cities(ax, spec)


def _draw_cities(ax, spec: MapSpec) -> None:
    for city in spec.cities:
        fill = "#ffffff" if city.row is None else spec.classes.color_of(int(spec.classes.index[city.row]))
        ax.plot(
            city.lon, city.lat, "o", markersize=4, markerfacecolor=fill, markeredgecolor="#1a1a1a", zorder=9
        )


def _texts(fig, spec: MapSpec, subtitle: str) -> None:
    """Title and subtitle at the top (placed in inches from the top edge), sources at the bottom."""
    from geo.maps.i18n import text

    height = fig.get_figheight()
    fig.text(
        0.5, 1 - 0.29 / height, spec.title, ha="center", va="center", fontsize=14, weight="bold", color="#222"
    )
    fig.text(0.5, 1 - 0.54 / height, subtitle, ha="center", va="center", fontsize=9.5, color="#444")
    sources = f"{text(spec.lang)['sources']}: " + "; ".join(spec.sources)
    fig.text(0.01, 0.012, sources, ha="left", va="bottom", fontsize=6.2, color="#333", wrap=True)


def _new_figure(size: tuple[float, float]):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=150)
    FigureCanvasAgg(fig)  # a renderer, to measure labels
    return fig


def _figure(spec: MapSpec):
    """One figure, drawn bottom layer first: regions, border, links, projects, labels, legend, texts.

    For a map with periods, small multiples (one panel per period, the same fixed classes) and one legend.
    """
    if spec.timeline is not None and spec.frame_index is not None:
        return _small_multiples(spec)
    fig = _new_figure((12, 8.2))
    ax = fig.add_axes((0.01, 0.07, 0.98, 0.84))
    _frame(ax, spec, full=True)
    _legend(ax, spec)
    _texts(fig, spec, spec.subtitle)
    return fig


def _small_multiples(spec: MapSpec):
    from dataclasses import replace

    timeline, frame_index = spec.timeline, spec.frame_index
    if timeline is None or frame_index is None:  # only maps with periods are drawn as small multiples
        msg = "small multiples need a map with periods (build_map(time=...))"
        raise MapOptionError(msg)
    n = len(spec.frames)
    ncols = min(3, n)
    nrows = -(-n // ncols)
    # a panel is about 3.2 in wide; the region's view is about 1.55 times as wide as high on the page
    height_in = 2.35 * nrows + 1.25
    fig = _new_figure((12, height_in))
    top, bottom = 1 - 0.85 / height_in, 0.4 / height_in
    height = (top - bottom) / nrows
    width = 0.82 / ncols
    for i, period in enumerate(spec.frames):
        r, c = divmod(i, ncols)
        ax = fig.add_axes((0.005 + c * width, top - (r + 1) * height, width * 0.98, height * 0.92))
        frame = replace(
            spec,
            values=timeline.values[i],
            classes=replace(spec.classes, index=frame_index[i]),
            projects=None,
            links=None,
        )
        _frame(ax, frame, full=False)
        ax.set_title(period, fontsize=10, weight="bold", color="#222", pad=2)
    legend_ax = fig.add_axes((0.83, bottom, 0.17, top - bottom))
    legend_ax.set_axis_off()
    _legend(legend_ax, replace(spec, projects=None, links=None), loc="center left")
    _texts(fig, spec, f"{spec.subtitle} — {spec.frames[0]}–{spec.frames[-1]}")
    return fig


def render_static(spec: MapSpec, fmt: str, *, dpi: int = 150) -> bytes:
    """The bytes of the figure of ``spec`` as ``fmt`` (``"png"``, ``"svg"`` or ``"pdf"``), written nowhere."""
    import io

    import matplotlib

    fmt = fmt.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        msg = f"a static map is written as .png, .svg or .pdf, not {fmt or 'no suffix'!r}"
        raise MapOptionError(msg)
    fig = _figure(spec)
    metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "rukz-geo", "svg.fonttype": "none"}):
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return buffer.getvalue()


def save_static(spec: MapSpec, path: Path, *, force: bool = False, dpi: int = 150) -> Path:
    """Draw ``spec`` (a :class:`geo.maps.MapSpec`) and write it to ``path`` (``.png``, ``.svg`` or ``.pdf``).

    Raises
    ------
    MapOptionError
        Unknown file type.
    OutputError
        The path cannot be written (nothing is left behind on failure).
    """
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        msg = f"{path}: a static map is written as .png, .svg or .pdf, not {path.suffix or 'no suffix'!r}"
        raise MapOptionError(msg)
    check_writable(path, force=force)
    data = render_static(spec, fmt, dpi=dpi)

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_with(path, write, force=force)
    return path
