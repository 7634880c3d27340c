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
from geo.join import join as join
from geo.join import links_from_pairs as links_from_pairs
from geo.locate import locate as locate
from geo.tables import JoinReport as JoinReport
from geo.tables import read_table as read_table

# isort: split
from geo.maps import build_map as build_map  # issue 4 (maps)
from geo.maps import save_figure as save_figure
from geo.maps import save_map as save_map

# issue 5 (export) imports here
# isort: split
from geo.analysis import border_totals as border_totals
from geo.analysis import distance_to_border as distance_to_border
from geo.export import build_layers as build_layers
from geo.export import export as export
from geo.export import split_antimeridian as split_antimeridian

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
