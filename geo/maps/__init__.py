"""Folium maps of the Russia–Kazakhstan cross-border region, composed of one module per layer.

:func:`build_map` draws the regions (choropleth of any numeric column, or by default the shared border length),
their labels, the state border, projects and cooperation links, with legend, title, sources line, fullscreen
button, minimap and layer control; :func:`save_map` writes it as deterministic HTML (optionally offline, with
Leaflet inlined from an installed package) and :func:`save_figure` as a static PNG/SVG for print.

Modules: :mod:`~geo.maps.geometry` (coverage simplification), :mod:`~geo.maps.choropleth` (classes, legend),
:mod:`~geo.maps.regions`, :mod:`~geo.maps.border`, :mod:`~geo.maps.projects`, :mod:`~geo.maps.links`,
:mod:`~geo.maps.controls`, :mod:`~geo.maps.offline`, :mod:`~geo.maps.static`, :mod:`~geo.maps.html`
(escaping, stable ids) and :mod:`~geo.maps.data` (what is shown).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo._io import atomic_paths, check_writable, write_text
from geo.attach import TableOptions
from geo.errors import MapOptionError, TableError
from geo.maps._checks import LANGS, check_lang
from geo.maps.border import border_layer
from geo.maps.choropleth import SCHEMES, Classes, Legend, classify
from geo.maps.controls import Panes, RawHTML, Stylesheet, add_controls
from geo.maps.data import default_metric, guess_unit, load_links, load_projects, metric_values, short_sources
from geo.maps.geometry import DEFAULT_TOLERANCE, simplify_regions
from geo.maps.html import esc, render
from geo.maps.i18n import text
from geo.maps.links import links_layer
from geo.maps.projects import projects_layer, type_legend_html
from geo.maps.regions import labels_layer, regions_layer

__all__ = [
    "BASEMAPS",
    "DEFAULT_TOLERANCE",
    "LANGS",
    "SCHEMES",
    "MapOptionError",
    "MapSpec",
    "build_map",
    "classify",
    "map_html",
    "save_figure",
    "save_map",
    "save_outputs",
    "simplify_regions",
]

#: Short basemap names (``--basemap``) and the folium/xyzservices tile set each stands for. Any other
#: xyzservices name ("Esri.WorldGrayCanvas") or a URL template with ``{z}/{x}/{y}`` works too.
BASEMAPS: dict[str, str | None] = {
    "none": None,
    "cartodb-positron": "CartoDB.Positron",
    "cartodb-voyager": "CartoDB.Voyager",
    "osm": "OpenStreetMap.Mapnik",
    "esri-gray": "Esri.WorldGrayCanvas",
    "esri-topo": "Esri.WorldTopoMap",
}
#: Units without a polygon of their own that are small cities: their labels show only when zoomed in.
_CITIES = {"KZ-71", "KZ-75", "KZ-79", "RU-MOW", "RU-SPE"}


@dataclass
class MapSpec:
    """What a map shows, kept on the map (``m.rk_spec``) so that :func:`save_figure` draws the same content."""

    regions: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    values: np.ndarray
    classes: Classes
    legend_title: str
    unit: str
    title: str
    subtitle: str
    sources: list[str]
    lang: str
    offline: bool
    projects: gpd.GeoDataFrame | None = None
    links: gpd.GeoDataFrame | None = None
    extra: dict = field(default_factory=dict)


def _tiles(basemap: str | None, offline: bool) -> folium.TileLayer | None:
    """The tile layer for ``basemap`` (None for no basemap); offline maps accept only local tile URLs."""
    if basemap is None:
        basemap = "none" if offline else "esri-gray"
    name = str(basemap)
    if "{z}" in name and "{x}" in name and "{y}" in name:
        remote = name.lower().startswith(("http://", "https://", "//"))
        if offline and remote:
            msg = (
                f"--offline maps load no network resource; basemap {name!r} is remote (use --basemap none "
                "or a local tile folder such as tiles/{z}/{x}/{y}.png)"
            )
            raise MapOptionError(msg)
        return folium.TileLayer(tiles=name, attr="Basemap: " + esc(name), name="Basemap", control=False)
    provider = BASEMAPS.get(name.lower(), name) if name.lower() in BASEMAPS else name
    if provider is None:
        return None
    import xyzservices

    try:
        tiles = xyzservices.providers.query_name(provider)
    except ValueError:
        msg = f"unknown basemap {name!r}; choose one of {', '.join(BASEMAPS)}, an xyzservices name or a URL template"
        raise MapOptionError(msg) from None
    if offline:
        msg = (
            f"--offline maps load no network resource; basemap {name!r} needs the network (use --basemap none "
            "or a local tile URL template)"
        )
        raise MapOptionError(msg)
    return folium.TileLayer(tiles=tiles, name="Basemap", control=False)


def _check_options(scheme: str, k: int, lang: str, tolerance: float) -> str:
    lang = check_lang(lang)
    if scheme not in SCHEMES:
        msg = f"unknown classification scheme {scheme!r}; choose one of {', '.join(SCHEMES)}"
        raise MapOptionError(msg)
    if not isinstance(k, int | np.integer) or isinstance(k, bool) or not 2 <= k <= 9:
        msg = f"k (number of classes) must be a whole number from 2 to 9, not {k!r}"
        raise MapOptionError(msg)
    if not isinstance(tolerance, int | float) or not np.isfinite(tolerance) or tolerance < 0:
        msg = f"tolerance must be a number of degrees >= 0, not {tolerance!r}"
        raise MapOptionError(msg)
    return lang


def build_map(
    data: str | Path | pd.DataFrame | None = None,
    *,
    metric: str | None = None,
    region: str | None = None,
    unit: str | None = None,
    additive: bool = False,
    scheme: str = "natural_breaks",
    k: int = 5,
    lang: str = "en",
    basemap: str | None = None,
    offline: bool = False,
    tolerance: float = DEFAULT_TOLERANCE,
    title: str | None = None,
    source: str | None = None,
    boundaries: str | Path | gpd.GeoDataFrame | None = None,
    context: bool = False,
    projects: bool | str | Path | gpd.GeoDataFrame | None = True,
    links: bool | str | Path | gpd.GeoDataFrame | None = True,
    labels: bool = True,
    cluster: bool | None = None,
    table_options: TableOptions | None = None,
) -> folium.Map:
    """Draw a map of the Russia–Kazakhstan border region, ready for a report.

    With no arguments: the 12 Russian border regions and all Kazakh regions coloured by the length of their
    border with the other country, the state border, the shipped projects and cooperation links.

    Parameters
    ----------
    data
        A table (CSV, Excel, Parquet path or DataFrame) with a region column in any spelling and the column to
        map; ``None`` for the default (shared border length, km).
    metric
        Numeric column of ``data`` to map (optional when it has exactly one).
    region
        Region column of ``data`` (found automatically by default).
    unit
        Unit shown in the legend and tooltips; guessed from the column name (``_km``, ``_usd_mn``, …) if omitted.
    additive
        The metric may be summed: values of units without a polygon of their own (Abai, Jetisu, Ulytau,
        Shymkent on the embedded boundaries) are added to the polygon that holds them. Otherwise such values are
        an error rather than summed silently.
    scheme, k
        Classification (:data:`SCHEMES`: ``quantiles``, ``natural_breaks``, ``equal_interval``, …) and number of
        classes (2–9).
    lang
        ``"en"`` or ``"ru"``: labels, tooltips, legend and title.
    basemap
        ``"none"``, a name of :data:`BASEMAPS`, an xyzservices provider name or a tile URL template; by default
        ``esri-gray`` online (no API key needed) and ``none`` offline.
    offline
        Build for a single self-contained file (see :func:`save_map`): only local tiles, no marker clustering.
    tolerance
        Coverage-simplification tolerance in degrees (``0`` keeps every vertex).
    title
        Map title (a default in ``lang`` otherwise).
    source
        Source of ``data``, for the sources line.
    boundaries
        Boundary file or GeoDataFrame to use instead of the embedded Natural Earth polygons.
    context
        Also draw the other Russian regions (greyed unless the data have values for them).
    projects, links
        ``True`` for the shipped tables, a file (``projects.csv``/``links.csv`` format, or a vector file of
        projects) or GeoDataFrame for one's own, ``False``/``None`` for none.
    labels
        Draw permanent region labels.
    cluster
        Cluster project markers (online only); by default when there are many.
    table_options
        How ``data`` is read and joined (:class:`geo.attach.TableOptions`: keys, where, pivot, additive,
        aggregate, strictness…), as for every command that takes a table; ``region`` and ``additive`` above
        are shortcuts for two of its fields.

    Returns
    -------
    folium.Map
        The map; ``m.rk_spec`` (:class:`MapSpec`) holds what it shows. Save it with :func:`save_map`.

    Raises
    ------
    GeoInputError
        Bad options (:class:`MapOptionError`), unreadable or unusable tables (:class:`~geo.errors.TableError`),
        unreadable boundaries.
    """
    from geo.boundaries import regions as load_regions

    lang = _check_options(scheme, k, lang, tolerance)
    t = text(lang)
    tiles = _tiles(basemap, offline)
    if cluster and offline:
        msg = "marker clustering needs a plugin from the network; it is not available with --offline"
        raise MapOptionError(msg)
    if data is None and metric is not None:
        msg = f"--metric {metric!r} names a column of a table: give the table with --data"
        raise MapOptionError(msg)

    every = load_regions(boundaries=boundaries)
    is_focus = ((every["country"] == "KZ") | every["border"].astype(bool)).to_numpy()
    shown = every if context else every[is_focus]
    web = simplify_regions(shown, tolerance=tolerance)

    sources = (
        [t["boundaries_src"]]
        if boundaries is None
        else [
            f"Boundaries: {Path(str(boundaries)).name}"
            if not isinstance(boundaries, gpd.GeoDataFrame)
            else "Boundaries: user's GeoDataFrame"
        ]
    )
    if data is None:
        table = default_metric(every[is_focus], shown, lang=lang)  # only these regions can touch
        legend_title, unit = t["border_length"], t["km"] if unit is None else unit
        sources.append(
            "border lengths computed geodesically (WGS84) from these boundaries"
            if lang == "en"
            else "длины границ вычислены геодезически (WGS84) по этим границам"
        )
    else:
        options = table_options or TableOptions()
        if region is not None:
            options = replace(options, region=region)
        if additive and metric is not None and metric not in options.additive:
            options = replace(options, additive=(*options.additive, metric))
        table, metric = metric_values(shown, data, metric=metric, options=options)
        legend_title, unit = metric, guess_unit(metric) if unit is None else unit
        label = Path(str(data)).name if isinstance(data, str | Path) else "user table"
        sources.append(f"{metric}: {source or label}")
        if not np.isfinite(table["value"].to_numpy(dtype=float)).any():
            msg = f"column {metric!r} has no values for the regions on the map; nothing to colour"
            raise TableError(msg)
    values = table["value"].to_numpy(dtype=float)
    classes = classify(values, scheme=scheme, k=k)

    proj = load_projects(projects)
    lnk = load_links(links)
    if proj is not None or lnk is not None:
        names = short_sources([proj, lnk])
        if names:
            sources.append(("projects, links: " if lang == "en" else "проекты, связи: ") + ", ".join(names))

    m = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25, zoom_delta=0.5, prefer_canvas=False)
    if offline:
        from geo.maps.offline import leaflet_assets

        js, css = leaflet_assets()
        m.default_js, m.default_css = [], []
        m.get_root().header.add_child(
            RawHTML(f"<style>{css}</style>\n<script>{js}</script>"), name="leaflet_inline"
        )
    else:
        m.default_js = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js")]
        m.default_css = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css")]
    m.get_root().header.add_child(Stylesheet(), name="rk_css")
    Panes().add_to(m)
    if tiles is not None:
        tiles.add_to(m)

    focus_rows = (~shown.index.isin(every.index[~is_focus])) if context else np.ones(len(shown), bool)
    notes = table.get("note", None)
    # The focus regions, then (with --context) the other Russian regions muted beneath the layer control.
    groups = [(focus_rows, {})]
    if context:
        groups.append((~focus_rows, {"name": t["context"], "class_name": "rk-context", "muted": True}))
    for rows, style in groups:
        regions_layer(
            web[rows],
            values=values[rows],
            classes=_subset(classes, rows),
            lang=lang,
            metric_label=legend_title,
            unit=unit,
            notes=None if notes is None else notes[rows],
            **style,
        ).add_to(m)
    if labels:
        labels_layer(web[focus_rows], lang=lang, minor=_CITIES).add_to(m)
    border_layer(web, lang=lang).add_to(m)
    if lnk is not None and len(lnk):
        links_layer(lnk, lang=lang).add_to(m)
    if proj is not None and len(proj):
        projects_layer(proj, lang=lang, cluster=False if offline else cluster).add_to(m)

    key = f'<div class="rk-row rk-sep"><span class="rk-line-key"></span>{esc(t["border"])}</div>'
    if lnk is not None and len(lnk):
        key += (
            f'<div class="rk-row"><span class="rk-line-key" style="border-color:#2166ac"></span>'
            f'{esc(t["links"])}</div><div class="rk-note">{esc(t["links_note"])}</div>'
        )
    if proj is not None and len(proj):
        key += type_legend_html(proj, lang=lang)
    Legend(classes, title=legend_title, unit=unit, no_data=t["no_data"], extra=key).add_to(m)

    map_title = title if title is not None else t["title"]
    subtitle = f"{legend_title} ({unit})" if unit else legend_title
    add_controls(
        m,
        title=map_title,
        subtitle=subtitle,
        sources_label=t["sources"],
        sources=sources,
        overview=_overview(every),
        fullscreen_label="Full screen" if lang == "en" else "Во весь экран",
    )
    minx, miny, maxx, maxy = web[focus_rows].total_bounds
    # Leave room for the title (top) and the legend (right) so that no region hides behind them.
    m.fit_bounds(
        [[round(miny, 3), round(minx, 3)], [round(maxy, 3), round(maxx, 3)]],
        padding_top_left=(10, 60),
        padding_bottom_right=(230, 30),
    )
    m.rk_spec = MapSpec(
        regions=web[focus_rows],
        context=web[~focus_rows] if context else web.iloc[0:0],
        values=values,
        classes=classes,
        legend_title=legend_title,
        unit=unit,
        title=map_title,
        subtitle=subtitle,
        sources=sources,
        lang=lang,
        offline=offline,
        projects=proj,
        links=lnk,
        extra={"focus_rows": focus_rows, "web": web},
    )
    return m


def _subset(classes: Classes, rows: np.ndarray) -> Classes:
    """The same classes, with the class index of a subset of the rows (colours stay those of the whole map)."""
    sub = Classes(
        classes.bins,
        classes.lower,
        classes.colors,
        classes.labels,
        classes.index[rows],
        classes.counts,
        classes.n_missing,
        classes.scheme,
    )
    return sub


def _overview(every: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Both countries west of the antimeridian, for the minimap."""
    clipped = every.copy()
    clipped[clipped.geometry.name] = clipped.geometry.clip_by_rect(19.0, 35.0, 180.0, 82.0)
    return clipped[~clipped.geometry.is_empty]


def map_html(m: folium.Map) -> str:
    """The complete HTML page of a map, with stable element ids (equal maps give equal text)."""
    return render(m)


def save_map(m: folium.Map, path: str | Path, *, offline: bool | None = None, force: bool = False) -> Path:
    """Write a map as one HTML file, atomically (a failed write leaves no partial file).

    Parameters
    ----------
    m
        A map from :func:`build_map`.
    path
        Output ``.html`` path; its folder must exist.
    offline
        Require a self-contained file that loads no network resource; the map must have been built with
        ``build_map(offline=True)``. ``None``: as built.
    force
        Overwrite an existing file.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    OutputError
        The path exists (without ``force``), is a folder, its folder is missing or not writable, or the write
        fails (disk full, a read-only file system): one line naming the path, and no file is left behind.
    MapOptionError
        ``offline=True`` for a map built online.
    """
    spec = getattr(m, "rk_spec", None)
    if offline and not (spec is not None and spec.offline):
        msg = "this map was built online; build it with build_map(..., offline=True) to save it offline"
        raise MapOptionError(msg)
    path = check_writable(Path(path), force=force)
    return write_text(path, map_html(m), force=force)


def save_figure(m: folium.Map, path: str | Path, *, force: bool = False, dpi: int = 150) -> Path:
    """Write the same content as a static figure for print (PNG, SVG or PDF by the file suffix).

    Parameters
    ----------
    m
        A map from :func:`build_map` (its ``rk_spec`` is drawn with matplotlib: choropleth, border, links,
        projects, labels, legend, title and sources).
    path
        Output path ending in ``.png``, ``.svg`` or ``.pdf``.
    force
        Overwrite an existing file.
    dpi
        Resolution of a PNG.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    from geo.maps.static import save_static

    return save_static(m.rk_spec, Path(path), force=force, dpi=dpi)


def save_outputs(
    m: folium.Map,
    html: str | Path | None = None,
    figures: list[str | Path] | tuple[str | Path, ...] = (),
    *,
    force: bool = False,
    dpi: int = 150,
) -> list[Path]:
    """Write the HTML map and static figures all together: either every file is written, or none.

    Everything is rendered in memory first; then each file is written beside its target under a temporary
    name, and the files are renamed into place only when all of them are written (an existing file is put
    back if a later rename fails).

    Parameters
    ----------
    m
        A map from :func:`build_map`.
    html
        Output ``.html`` path, or ``None`` for figures only.
    figures
        Paths ending in ``.png``, ``.svg`` or ``.pdf``.
    force
        Overwrite existing files.
    dpi
        Resolution of a PNG.

    Returns
    -------
    list of pathlib.Path
        The paths written, HTML first.

    Raises
    ------
    OutputError
        A path exists (without ``force``), is a folder, its folder is missing or not writable, or writing
        fails (disk full, a read-only file system): one line naming the path; nothing is written then.
    MapOptionError
        A figure path with another suffix.
    """
    from geo.maps.static import render_static

    paths = ([Path(html)] if html is not None else []) + [Path(p) for p in figures]
    for path in paths[1 if html is not None else 0 :]:
        if path.suffix.lower() not in (".png", ".svg", ".pdf"):
            msg = f"{path}: a static map is written as .png, .svg or .pdf, not {path.suffix or 'no suffix'!r}"
            raise MapOptionError(msg)
    for path in paths:
        check_writable(path, force=force)
    contents: list[bytes] = [map_html(m).encode("utf-8")] if html is not None else []
    contents += [render_static(m.rk_spec, p.suffix, dpi=dpi) for p in paths[len(contents) :]]
    with atomic_paths(paths, force=force) as temps:
        for tmp, data in zip(temps, contents, strict=True):
            tmp.write_bytes(data)
    return paths
