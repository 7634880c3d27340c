"""rukz-geo: maps of the Russia–Kazakhstan cross-border region.

The public API follows the data flow, one module per step:

=====================  ==============================================================================
``geo.catalog``        region identities: :func:`resolve` any spelling to the current ISO 3166-2 code
``geo.boundaries``     :func:`regions` (embedded OSM + Natural Earth polygons, vintages, or a user's file)
``geo.attributes``     the shipped, sourced tables: :func:`projects`, :func:`links`, :func:`trade`, …
``geo.tables``         :func:`read_table`: a user's CSV/Excel/Parquet with every region key resolved
``geo.join``           :func:`join` attributes onto regions (vintage-aware), :func:`links_from_pairs`
``geo.attach``         :func:`attach`: the one path from a table to regions (read, judge, join), :class:`TableOptions`
``geo.locate``         :func:`locate` points in regions (spatial join)
``geo.analysis``       geodesic border lengths, areas, border regions, distances to the border
``geo.maps``           :func:`build_map` (folium), :func:`save_map`, :func:`save_figure`
``geo.exports``        :func:`export` GeoJSON (RFC 7946), GeoPackage, CSV
``geo.report``         :func:`report`: region profiles (HTML) and a print atlas (PDF), one page per unit
``geo.errors``         every error: :class:`GeoInputError` (the user's to fix), :class:`DataDefectError` (ours)
=====================  ==============================================================================

Maps and exports are imported on first use, so the other commands do not pay for folium.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Modules whose name is also the name of a function (geo.catalog, geo.join, geo.locate, geo.report) are imported
# eagerly: importing a submodule sets the package attribute of the same name, which would hide a lazily bound
# function.
from geo.analysis import (
    areas_km2,
    border_line,
    border_pairs,
    border_regions,
    border_segments,
    border_totals,
    distance_to_border,
)
from geo.attach import Attached, TableOptions, attach
from geo.attributes import cooperation, links, projects, trade
from geo.boundaries import read_boundaries, regions
from geo.catalog import catalog, resolve
from geo.crossings import crossings
from geo.errors import (
    AggregateRegionError,
    AmbiguousRegionError,
    BoundaryFileError,
    DataDefectError,
    GeoInputError,
    GeometryError,
    MapOptionError,
    OfflineAssetError,
    OutputError,
    OutputWriteError,
    TableError,
    UnknownRegionError,
)
from geo.join import join, links_from_pairs
from geo.locate import locate
from geo.report import report  # profiles and atlas; matplotlib is imported only when report() runs
from geo.tables import JoinReport, read_table
from geo.trade_coverage import search_log, trade_coverage, turnover_for_map

# Rendering and exporting pull in folium and GDAL writers: imported on first use.
_LAZY: dict[str, str] = {
    "build_map": "geo.maps",
    "MapSpec": "geo.maps",
    "MapOptions": "geo.maps",
    "save_map": "geo.maps",
    "save_figure": "geo.maps",
    "export": "geo.exports",
    "build_layers": "geo.exports",
    "split_antimeridian": "geo.exports",
}

__all__ = [
    "AggregateRegionError",
    "AmbiguousRegionError",
    "Attached",
    "BoundaryFileError",
    "DataDefectError",
    "GeoInputError",
    "GeometryError",
    "JoinReport",
    "MapOptionError",
    "MapOptions",
    "MapSpec",
    "OfflineAssetError",
    "OutputError",
    "OutputWriteError",
    "TableError",
    "TableOptions",
    "UnknownRegionError",
    "areas_km2",
    "attach",
    "border_line",
    "border_pairs",
    "border_regions",
    "border_segments",
    "border_totals",
    "build_layers",
    "build_map",
    "catalog",
    "cooperation",
    "crossings",
    "distance_to_border",
    "export",
    "join",
    "links",
    "links_from_pairs",
    "locate",
    "projects",
    "read_boundaries",
    "read_table",
    "regions",
    "report",
    "resolve",
    "save_figure",
    "save_map",
    "search_log",
    "split_antimeridian",
    "trade",
    "trade_coverage",
    "turnover_for_map",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'geo' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


if TYPE_CHECKING:  # for type checkers and IDEs
    from geo.exports import build_layers, export, split_antimeridian
    from geo.maps import MapOptions, MapSpec, build_map, save_figure, save_map
