"""A static figure of the same content for print (PNG, SVG or PDF), drawn with matplotlib.

It shows what the HTML map shows: the choropleth with its classes and "no data", the state border, links
(width by value), projects (shape and colour by type, hollow or dashed where the location is approximate or
schematic), region labels ("East Kazakhstan incl. Abai"), legend, title and the sources line. Longitudes are
stretched by 1/cos(50°) so that shapes look as on the web map. Output is deterministic (no dates in the files).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from geo._io import check_writable, write_with
from geo.errors import MapOptionError

__all__ = ["render_static", "save_static"]

_MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle": "^", "line": "_"}


def _figure(spec):  # one figure, drawn top to bottom
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import patheffects
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from geo.analysis import border_segments
    from geo.maps.border import BORDER_COLOR
    from geo.maps.choropleth import NO_DATA_COLOR
    from geo.maps.i18n import kind_name, short_label, text
    from geo.maps.links import KIND_COLORS, link_widths
    from geo.maps.projects import TYPE_STYLE
    from geo.maps.regions import label_points

    t = text(spec.lang)
    fig = Figure(figsize=(12, 8.2), dpi=150)
    ax = fig.add_axes((0.01, 0.07, 0.98, 0.84))
    ax.set_axis_off()
    ax.set_facecolor("#f4f7fa")
    focus_rows = spec.extra["focus_rows"]
    regions = spec.regions
    idx = spec.classes.index[focus_rows]
    colors = [spec.classes.color_of(int(i)) for i in idx]
    if len(spec.context):
        ctx_idx = spec.classes.index[~focus_rows]
        spec.context.plot(
            ax=ax,
            color=[spec.classes.color_of(int(i)) for i in ctx_idx],
            edgecolor="#8a8a8a",
            linewidth=0.3,
            alpha=0.6,
        )
    regions.plot(ax=ax, color=colors, edgecolor="#4a4a4a", linewidth=0.4)
    web = spec.extra["web"]
    segs = border_segments(web)
    lines = segs[segs["contact"] == "line"]
    if len(lines):
        lines.plot(ax=ax, color="white", linewidth=3.2, zorder=3)
        lines.plot(ax=ax, color=BORDER_COLOR, linewidth=1.5, zorder=4)
    if spec.links is not None and len(spec.links):
        lk = spec.links[spec.links.geometry.notna()]
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
                color=KIND_COLORS.get(kind, "#525252"),
                linewidth=w * 0.45,
                alpha=0.85,
                linestyle="-" if has else ":",
                solid_capstyle="round",
                zorder=5,
            )
    if spec.projects is not None and len(spec.projects):
        pr = spec.projects[spec.projects.geometry.notna() & ~spec.projects.geometry.is_empty]
        for geom, kind, quality in zip(
            pr.geometry,
            pr.get("type", ["other"] * len(pr)),
            pr.get("geometry_quality", ["published"] * len(pr)),
            strict=True,
        ):
            shape, color = TYPE_STYLE.get(kind, TYPE_STYLE["other"])
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
    names = set(regions[f"name_{spec.lang}"].astype(str))
    keep = frozenset(
        n for n in names if short_label(n, spec.lang) in names and short_label(n, spec.lang) != n
    )
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for pt, code, label in zip(
        label_points(regions), regions["code"], regions[f"label_{spec.lang}"], strict=True
    ):
        if code in ("KZ-71", "KZ-75", "KZ-79"):
            continue  # cities: too small to label at this scale
        ax.text(
            pt.x,
            pt.y,
            short_label(label, spec.lang, keep=keep)
            .replace(" incl. ", "\nincl. ")
            .replace(" вкл. ", "\nвкл. "),
            fontsize=6.3,
            ha="center",
            va="center",
            weight="bold",
            color="#1a1a1a",
            path_effects=halo,
            zorder=8,
        )
    minx, miny, maxx, maxy = regions.total_bounds
    padx, pady = (maxx - minx) * 0.02, (maxy - miny) * 0.03
    ax.set_xlim(minx - padx, maxx + (maxx - minx) * 0.3)
    ax.set_ylim(miny - pady, maxy + pady)
    ax.set_aspect(1 / np.cos(np.radians((miny + maxy) / 2)))

    handles = [
        Patch(facecolor=c, edgecolor="#888", label=lab)
        for c, lab in zip(spec.classes.colors, spec.classes.labels, strict=True)
    ]
    if spec.classes.n_missing or not handles:
        handles.append(Patch(facecolor=NO_DATA_COLOR, edgecolor="#888", hatch="////", label=t["no_data"]))
    handles.append(Line2D([], [], color=BORDER_COLOR, linewidth=2, label=t["border"]))
    if spec.links is not None and len(spec.links):
        handles.append(
            Line2D([], [], color="#2166ac", linewidth=2.5, label=f"{t['links']} ({t['links_note']})")
        )
    if spec.projects is not None and len(spec.projects):
        drawn = spec.projects[spec.projects.geometry.notna() & ~spec.projects.geometry.is_empty]
        for kind in sorted(set(drawn.get("type", pd_empty()).dropna().astype(str))):
            shape, color = TYPE_STYLE.get(kind, TYPE_STYLE["other"])
            if shape == "line":
                handles.append(Line2D([], [], color=color, linestyle="--", label=kind_name(kind, spec.lang)))
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
                        label=kind_name(kind, spec.lang),
                    )
                )
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                markerfacecolor="white",
                markeredgecolor="#666",
                linestyle="none",
                label=t["hollow"],
            )
        )
    title = f"{spec.legend_title} ({spec.unit})" if spec.unit else spec.legend_title
    leg = ax.legend(
        handles=handles,
        loc="lower right",
        fontsize=6.8,
        title=title,
        title_fontsize=7.5,
        frameon=True,
        framealpha=0.95,
        borderpad=0.7,
    )
    leg.get_frame().set_edgecolor("#bbbbbb")
    fig.text(0.5, 0.965, spec.title, ha="center", va="center", fontsize=14, weight="bold", color="#222")
    fig.text(0.5, 0.935, spec.subtitle, ha="center", va="center", fontsize=9.5, color="#444")
    sources = f"{t['sources']}: " + "; ".join(spec.sources)
    fig.text(0.01, 0.012, sources, ha="left", va="bottom", fontsize=6.2, color="#333", wrap=True)
    return fig


def pd_empty():
    """An empty Series (for a projects table without a ``type`` column)."""
    import pandas as pd

    return pd.Series([], dtype=str)


def render_static(spec, fmt: str, *, dpi: int = 150) -> bytes:
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


def save_static(spec, path: Path, *, force: bool = False, dpi: int = 150) -> Path:
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
    write_with(path, lambda tmp: tmp.write_bytes(data), force=force)
    return path
