"""Folium maps of the Russia–Kazakhstan cross-border region, composed of one module per layer.

:func:`build_map` draws the regions (choropleth of any numeric or text column, by default the shared border
length, with zero as its own neutral class), Astana, Almaty and Shymkent as labelled points, region labels
that do not collide, the state border, projects (fanned out where they share a place) and cooperation links,
with legend, title, sources line, fullscreen button, minimap, layer control and a screen-reader table of the
values; with ``time=`` one map with a year control. :func:`save_map` writes it as deterministic HTML,
self-contained by default (Leaflet inlined from an installed package, a light background of the land from the
shipped boundaries; ``online=True`` for the CDN and web tiles), and :func:`save_figure` as a static PNG/SVG
for print (small multiples for a map with periods). Labels, legend and popups in English, Russian or Kazakh.

The map is a value: :func:`~geo.maps.spec.build_spec` turns the inputs into a :class:`MapSpec` (what is shown:
:mod:`~geo.maps.data`, :mod:`~geo.maps.timeline`; classes: :mod:`~geo.maps.choropleth` with
:mod:`~geo.maps.palettes`; labels: :mod:`~geo.maps.labels`, :mod:`~geo.maps.cities`; basemap:
:mod:`~geo.maps.basemap`, :mod:`~geo.maps.background`), and two renderers draw it: :mod:`~geo.maps.folium_map`
(one module per layer: :mod:`~geo.maps.regions`, :mod:`~geo.maps.border`, :mod:`~geo.maps.projects`,
:mod:`~geo.maps.links`, :mod:`~geo.maps.controls`, :mod:`~geo.maps.timecontrol`; :mod:`~geo.maps.offline` for
inlined Leaflet, :mod:`~geo.maps.html` for escaping and stable ids, :mod:`~geo.maps.arcs` and
:mod:`~geo.maps.fragments` for compact data) and :mod:`~geo.maps.static` (matplotlib). Both take their colours
from :mod:`~geo.maps.style`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from geo._io import atomic_paths, check_writable, write_text
from geo.attach import TableOptions
from geo.errors import MapOptionError
from geo.maps._checks import LANGS
from geo.maps.basemap import BASEMAPS
from geo.maps.choropleth import SCHEMES, classify
from geo.maps.folium_map import RukzMap, render_folium
from geo.maps.geometry import DEFAULT_TOLERANCE, simplify_regions
from geo.maps.html import render
from geo.maps.palettes import palette_names
from geo.maps.spec import MapOptions, MapSpec, build_spec

__all__ = [
    "BASEMAPS",
    "DEFAULT_TOLERANCE",
    "LANGS",
    "SCHEMES",
    "MapOptionError",
    "MapOptions",
    "MapSpec",
    "RukzMap",
    "build_map",
    "build_spec",
    "classify",
    "map_html",
    "palette_names",
    "render_folium",
    "save_figure",
    "save_map",
    "save_outputs",
    "simplify_regions",
]


def build_map(  # noqa: PLR0913  (public: keyword-only options, one per `geo map` option)
    data: str | Path | pd.DataFrame | None = None,
    *,
    metric: str | None = None,
    region: str | None = None,
    unit: str | None = None,
    additive: bool = False,
    scheme: str = "natural_breaks",
    k: int = 5,
    palette: str | None = None,
    time: str | None = None,
    lang: str = "en",
    basemap: str | None = None,
    online: bool = False,
    offline: bool | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    title: str | None = None,
    source: str | None = None,
    boundaries: str | Path | gpd.GeoDataFrame | None = None,
    context: bool = False,
    projects: bool | str | Path | gpd.GeoDataFrame | None = True,
    links: bool | str | Path | gpd.GeoDataFrame | None = True,
    labels: bool = True,
    cluster: bool | None = None,
    background: bool | None = None,
    table_options: TableOptions | None = None,
) -> RukzMap:
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
    palette
        Colours of the classes: a name of :func:`geo.maps.palettes.palette_names` (ColorBrewer sequential,
        diverging and qualitative, and the viridis family); ``YlOrRd`` for numbers (checked for colour-blind
        readers) and ``Set2`` for a text column (a categorical choropleth) by default.
    time
        Column of ``data`` holding the year (or any period): one map with a year control that swaps the
        values; the classes are computed over all years together and stay fixed, the geometry is shipped once.
        PNG/SVG figures show one panel per year.
    lang
        ``"en"``, ``"ru"`` or ``"kk"``: labels, tooltips, legend and title.
    basemap
        ``"none"``, a name of :data:`BASEMAPS`, an xyzservices provider name or a tile URL template; by default
        ``none`` for the self-contained default and ``esri-gray`` with ``online`` (no API key needed).
    online
        Load Leaflet from its CDN and draw web tiles (``esri-gray`` by default): a smaller file that needs the
        network. By default the map is self-contained: Leaflet is inlined, no tiles, and the page loads nothing.
    offline
        The former switch for a self-contained map, kept as an alias: ``True`` is the default now, ``False``
        means ``online=True``.
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
    background
        Draw the other Russian regions around the border region as a light background layer (from the
        shipped boundaries; not with ``context``, which draws them as regions). By default in self-contained
        maps (online maps have web tiles).
    table_options
        How ``data`` is read and joined (:class:`geo.attach.TableOptions`: keys, where, pivot, additive,
        aggregate, strictness…), as for every command that takes a table; ``region`` and ``additive`` above
        are shortcuts for two of its fields.

    Returns
    -------
    RukzMap
        The folium map; ``m.spec`` (:class:`MapSpec`) holds what it shows. Save it with :func:`save_map`.

    Raises
    ------
    GeoInputError
        Bad options (:class:`MapOptionError`), unreadable or unusable tables (:class:`~geo.errors.TableError`),
        unreadable boundaries.
    """
    if online and offline:
        msg = "online=True and offline=True contradict each other; a map is either self-contained or online"
        raise MapOptionError(msg)
    options = MapOptions(
        metric=metric,
        unit=unit,
        scheme=scheme,
        k=k,
        palette=palette,
        time=time,
        lang=lang,
        basemap=basemap,
        offline=(not online) if offline is None else bool(offline),
        tolerance=tolerance,
        title=title,
        source=source,
        boundaries=boundaries,
        context=context,
        projects=projects,
        links=links,
        labels=labels,
        cluster=cluster,
        background=background,
        table=_table_options(table_options, region=region, additive=additive, metric=metric),
    )
    return render_folium(build_spec(data, options))


def _table_options(
    options: TableOptions | None, *, region: str | None, additive: bool, metric: str | None
) -> TableOptions:
    """``table_options`` with the ``region`` and ``additive`` shortcuts of :func:`build_map` applied."""
    options = options or TableOptions()
    if region is not None:
        options = replace(options, region=region)
    if additive and metric is not None and metric not in options.additive:
        options = replace(options, additive=(*options.additive, metric))
    return options


def _spec(m: RukzMap | MapSpec) -> MapSpec:
    spec = m if isinstance(m, MapSpec) else getattr(m, "spec", None)
    if not isinstance(spec, MapSpec):
        msg = "save_figure draws a map from geo.build_map (or its MapSpec), not a plain folium.Map"
        raise MapOptionError(msg)
    return spec


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
        ``build_map()`` without ``online``. ``None``: as built.
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
    spec = getattr(m, "spec", None)
    if offline and not (spec is not None and spec.offline):
        msg = "this map was built online; build it without online=True to save it self-contained"
        raise MapOptionError(msg)
    path = check_writable(Path(path), force=force)
    return write_text(path, map_html(m), force=force)


def save_figure(m: RukzMap | MapSpec, path: str | Path, *, force: bool = False, dpi: int = 150) -> Path:
    """Write the same content as a static figure for print (PNG, SVG or PDF by the file suffix).

    Parameters
    ----------
    m
        A map from :func:`build_map`, or its :class:`MapSpec` (drawn with matplotlib: choropleth, border, links,
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

    return save_static(_spec(m), Path(path), force=force, dpi=dpi)


def save_outputs(
    m: RukzMap,
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
    contents += [render_static(_spec(m), p.suffix, dpi=dpi) for p in paths[len(contents) :]]
    with atomic_paths(paths, force=force) as temps:
        for tmp, data in zip(temps, contents, strict=True):
            tmp.write_bytes(data)
    return paths
