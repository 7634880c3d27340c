"""The map as a value: :class:`MapSpec`, built once from the inputs by :func:`build_spec`, read by every renderer.

The folium renderer (:mod:`geo.maps.folium_map`) and the static one (:mod:`geo.maps.static`) draw the same spec,
so the HTML map and its PNG/SVG show the same regions, values, classes, labels, border, projects and links.
Nothing is hung on a folium object and read back, and no label is parsed apart: a region's label is a
:class:`RegionLabel` (its names and the codes of the units it includes), turned into text only when drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import border_pairs
from geo.attach import TableOptions
from geo.errors import MapOptionError, TableError
from geo.maps._checks import check_lang
from geo.maps.background import background_regions, country_outlines
from geo.maps.basemap import Basemap, basemap_of
from geo.maps.choropleth import SCHEMES, Classes, classify, classify_categories
from geo.maps.cities import City, city_points
from geo.maps.data import default_metric, guess_unit, load_links, load_projects, metric_values, short_sources
from geo.maps.geometry import DEFAULT_TOLERANCE, simplify_regions, web_scale
from geo.maps.i18n import text
from geo.maps.labels import RegionLabel, region_labels
from geo.maps.palettes import palette_kind
from geo.maps.timeline import Timeline, time_values

__all__ = ["MapOptions", "MapSpec", "build_spec"]


#: A projects or links source: the shipped table (True), a file, a GeoDataFrame, or none.
Source: TypeAlias = bool | str | Path | gpd.GeoDataFrame | None


@dataclass(frozen=True)
class MapOptions:
    """Everything :func:`geo.build_map` takes besides the table (see its docstring for each option)."""

    metric: str | None = None
    unit: str | None = None
    scheme: str = "natural_breaks"
    k: int = 5
    palette: str | None = None
    time: str | None = None
    lang: str = "en"
    basemap: str | None = None
    offline: bool = True
    tolerance: float = DEFAULT_TOLERANCE
    title: str | None = None
    source: str | None = None
    boundaries: str | Path | gpd.GeoDataFrame | None = None
    context: bool = False
    projects: Source = True
    links: Source = True
    labels: bool = True
    cluster: bool | None = None
    background: bool | None = None
    table: TableOptions = field(default_factory=TableOptions)

    def checked(self) -> MapOptions:
        """The options with ``lang`` normalised; a :class:`MapOptionError` for any value the map cannot use."""
        lang = check_lang(self.lang)
        if self.scheme not in SCHEMES:
            msg = f"unknown classification scheme {self.scheme!r}; choose one of {', '.join(SCHEMES)}"
            raise MapOptionError(msg)
        k = self.k
        if not isinstance(k, int | np.integer) or isinstance(k, bool) or not 2 <= k <= 9:
            msg = f"k (number of classes) must be a whole number from 2 to 9, not {k!r}"
            raise MapOptionError(msg)
        tol = self.tolerance
        if not isinstance(tol, int | float) or isinstance(tol, bool) or not np.isfinite(tol) or tol < 0:
            msg = f"tolerance must be a number of degrees >= 0, not {tol!r}"
            raise MapOptionError(msg)
        if self.cluster and self.offline:
            msg = (
                "marker clustering needs a plugin from the network; it is not available in a self-contained map "
                "(add --online)"
            )
            raise MapOptionError(msg)
        if self.palette is not None:
            palette_kind(self.palette)
        if self.time is not None and (not isinstance(self.time, str) or not self.time.strip()):
            msg = f"time must name a column of the table (e.g. 'year'), not {self.time!r}"
            raise MapOptionError(msg)
        return replace(self, lang=lang)


@dataclass(frozen=True)
class MapSpec:
    """What a map shows, as plain data; every renderer draws it without asking anything else.

    ``regions`` are the web-ready polygons drawn (focus and context), ``focus`` marks the map's subject (the
    rest is muted context), and ``values``, ``notes``, ``labels`` and ``classes.index`` are aligned with their
    rows.
    """

    regions: gpd.GeoDataFrame
    focus: np.ndarray
    values: np.ndarray
    notes: np.ndarray | None
    classes: Classes
    labels: tuple[RegionLabel, ...]
    legend_title: str
    unit: str
    title: str
    subtitle: str
    sources: tuple[str, ...]
    lang: str
    offline: bool
    basemap: Basemap | None
    overview: gpd.GeoDataFrame
    projects: gpd.GeoDataFrame | None = None
    links: gpd.GeoDataFrame | None = None
    show_labels: bool = True
    cluster: bool | None = None
    background: gpd.GeoDataFrame | None = None
    timeline: Timeline | None = None
    frame_index: np.ndarray | None = None  # (n_frames, n_rows): the class of each region in each period
    frame: int = 0  # the period shown first (the latest)
    cities: tuple[City, ...] = ()
    scale: int = 1000  # grid of the page's coordinates (geo.maps.geometry.web_scale of the tolerance)
    #: The (Russian, Kazakh) region pairs that touch (``ru_code``, ``kz_code``, ``contact``: ``"line"`` or
    #: ``"point"``), when measured already (the default map measures the border); renderers measure the drawn
    #: regions otherwise.
    border: pd.DataFrame | None = None

    @property
    def frames(self) -> tuple[str, ...]:
        """The periods of a map with a time control (empty otherwise)."""
        return self.timeline.frames if self.timeline is not None else ()

    @property
    def has_context(self) -> bool:
        """Whether muted context regions are drawn around the focus."""
        return not bool(self.focus.all())

    def bounds(self) -> np.ndarray:
        """(minx, miny, maxx, maxy) of the focus regions (numpy floats, rounded the same way everywhere)."""
        return self.regions[self.focus].total_bounds


def _boundary_source(boundaries: object, lang: str) -> str:
    if boundaries is None:
        return text(lang)["boundaries_src"]
    if isinstance(boundaries, gpd.GeoDataFrame):
        return "Boundaries: user's GeoDataFrame"
    return f"Boundaries: {Path(str(boundaries)).name}"


def build_spec(data: str | Path | pd.DataFrame | None, options: MapOptions) -> MapSpec:
    """Build the :class:`MapSpec` of a map: regions, values and classes, labels, projects, links, sources.

    Parameters
    ----------
    data
        A table (path or DataFrame) with the column to map, or ``None`` for the default (shared border length).
    options
        The map's options (:class:`MapOptions`).

    Returns
    -------
    MapSpec

    Raises
    ------
    GeoInputError
        Bad options (:class:`MapOptionError`), unreadable or unusable tables (:class:`TableError`), unreadable
        boundaries.
    """
    from geo.boundaries import regions as load_regions

    options = options.checked()
    lang, t = options.lang, text(options.lang)
    basemap = basemap_of(options.basemap, offline=options.offline)
    if data is None and options.metric is not None:
        msg = f"--metric {options.metric!r} names a column of a table: give the table with --data"
        raise MapOptionError(msg)

    every = load_regions(boundaries=options.boundaries)
    is_focus = ((every["country"] == "KZ") | every["border"].astype(bool)).to_numpy()
    shown = every if options.context else every[is_focus]
    web = simplify_regions(shown, tolerance=options.tolerance)
    sources = [_boundary_source(options.boundaries, lang)]
    timeline, frame_index, frame = None, None, 0
    if options.time is not None and data is None:
        msg = f"--time {options.time!r} names a column of a table: give the table with --data"
        raise MapOptionError(msg)
    border = None
    if data is None:
        border = border_pairs(every[is_focus])  # only these regions can touch; lengths at full resolution
        table = default_metric(every[is_focus], shown, lang=lang, pairs=border)
        legend_title, unit = t["border_length"], t["km"] if options.unit is None else options.unit
        sources.append(t["border_src"])
    elif options.time is not None:
        timeline = time_values(shown, data, metric=options.metric, time=options.time, options=options.table)
        metric = timeline.metric
        legend_title = metric
        unit = guess_unit(metric) if options.unit is None else options.unit
        label = Path(str(data)).name if isinstance(data, str | Path) else "user table"
        sources.append(f"{metric}: {options.source or label}")
        if not np.isfinite(timeline.values).any():
            msg = f"column {metric!r} has no values for the regions on the map; nothing to colour"
            raise TableError(msg)
        frame = len(timeline.frames) - 1
        table = pd.DataFrame(
            {"value": timeline.values[frame], "note": timeline.notes[frame]}, index=shown.index
        )
    else:
        table, metric = metric_values(shown, data, metric=options.metric, options=options.table, text=True)
        categorical = not pd.api.types.is_numeric_dtype(table["value"])
        legend_title = metric
        unit = ("" if categorical else guess_unit(metric)) if options.unit is None else options.unit
        label = Path(str(data)).name if isinstance(data, str | Path) else "user table"
        sources.append(f"{metric}: {options.source or label}")
        if not table["value"].notna().any():
            msg = f"column {metric!r} has no values for the regions on the map; nothing to colour"
            raise TableError(msg)
    if not pd.api.types.is_numeric_dtype(table["value"]):
        values = table["value"].to_numpy(dtype=object)
        classes = classify_categories(values, palette=options.palette)
    elif timeline is not None:  # classes over all periods together, fixed across periods
        values = table["value"].to_numpy(dtype=float)
        every_period = classify(
            timeline.values.ravel(),
            scheme=options.scheme,
            k=options.k,
            palette=options.palette,
            zero_label=t["zero"],
        )
        frame_index = every_period.index.reshape(timeline.values.shape)
        classes = replace(every_period, index=frame_index[frame])
    else:
        values = table["value"].to_numpy(dtype=float)
        classes = classify(
            values, scheme=options.scheme, k=options.k, palette=options.palette, zero_label=t["zero"]
        )

    proj = load_projects(options.projects)
    lnk = load_links(options.links)
    if proj is not None or lnk is not None:
        names = short_sources([proj, lnk])
        if names:
            sources.append(f"{t['projects_links']}: " + ", ".join(names))

    background = None
    if (options.background if options.background is not None else options.offline) and not options.context:
        background = background_regions(every, is_focus, every[is_focus].total_bounds)
    focus = (~shown.index.isin(every.index[~is_focus])) if options.context else np.ones(len(shown), bool)
    notes = table["note"].to_numpy(dtype=object) if "note" in table.columns else None
    labels = region_labels(web)
    title = options.title if options.title is not None else t["title"]
    return MapSpec(
        regions=web,
        focus=np.asarray(focus, dtype=bool),
        values=values,
        notes=notes,
        classes=classes,
        labels=labels,
        legend_title=legend_title,
        unit=unit,
        title=title,
        subtitle=f"{legend_title} ({unit})" if unit else legend_title,
        sources=tuple(sources),
        lang=lang,
        offline=options.offline,
        basemap=basemap,
        overview=country_outlines(every),
        projects=proj,
        links=lnk,
        show_labels=options.labels,
        cluster=options.cluster,
        background=background,
        timeline=timeline,
        frame_index=frame_index,
        frame=frame,
        cities=city_points(web, labels, focus),
        scale=web_scale(options.tolerance),
        border=None if border is None else pd.DataFrame(border[["ru_code", "kz_code", "contact"]]),
    )
