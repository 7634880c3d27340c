"""rukz-geo: maps of the Russia–Kazakhstan cross-border region.

The public API follows the data flow: catalogue and boundaries (load) -> tables and joins (resolve/join) ->
analysis -> maps and exports (render). Each function takes and returns (Geo)DataFrames.
"""

from geo.analysis import areas_km2, border_line, border_pairs, border_regions, border_segments
from geo.boundaries import read_boundaries, regions
from geo.catalog import catalog, resolve
from geo.errors import AmbiguousRegionError, GeoInputError, UnknownRegionError

# issue 3 (tables, joins, locate) imports here
# isort: split
from geo.attributes import cooperation as cooperation
from geo.attributes import links as links
from geo.attributes import projects as projects
from geo.attributes import trade as trade

# isort: split
# issue 4 (maps) imports here
# issue 5 (export) imports here

__all__ = [
    "AmbiguousRegionError",
    "GeoInputError",
    "UnknownRegionError",
    "areas_km2",
    "border_line",
    "border_pairs",
    "border_regions",
    "border_segments",
    "catalog",
    "read_boundaries",
    "regions",
    "resolve",
]
