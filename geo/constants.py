"""Constants shared by every stage: coordinate systems, precisions, tolerances, the two countries.

One place, like osmnx's ``settings``: a module that needs one of these imports it from here rather than writing
the literal again, so that changing a precision or a tolerance is one edit.
"""

from __future__ import annotations

#: Geographic coordinates of every frame the package returns and every file it writes (lon/lat, WGS84).
WGS84 = "EPSG:4326"
#: An equal-area projection centred on the region, for tolerances in metres (border-region contact, locate).
REGION_EQUAL_AREA = "+proj=aea +lat_0=50 +lon_0=70 +lat_1=45 +lat_2=60 +datum=WGS84 +units=m +no_defs"
#: Decimal places of coordinates in exports (GeoJSON, GeoPackage, CSV): 6 places ≈ 0.1 m.
EXPORT_PRECISION = 6
#: Decimal places of coordinates in web maps, after simplification: 4 places ≈ 10 m, below what is drawn.
WEB_PRECISION = 4
#: Decimal places of computed figures (km, km²) written to exports.
FIGURE_DECIMALS = 3
#: How far apart (metres) two regions may be and still count as touching (border regions, locate's "near").
TOUCH_TOLERANCE_M = 1000.0
#: The two countries, by ISO 3166-1 alpha-2 code, and their names.
COUNTRIES: dict[str, str] = {"RU": "Russia", "KZ": "Kazakhstan"}

#: Licence notes of the boundary sources, by the start of a region's ``source``: what every map and export that
#: carries the geometry must say (OpenStreetMap data is ODbL 1.0; Natural Earth is public domain).
ATTRIBUTIONS: dict[str, str] = {
    "OpenStreetMap": "© OpenStreetMap contributors, ODbL 1.0",
    "Natural Earth": "Natural Earth, public domain",
}


def attribution_of(source: object) -> str:
    """The licence note for a region's boundary ``source`` (empty for a source of the user's own)."""
    text = str(source or "")
    return next((note for prefix, note in ATTRIBUTIONS.items() if text.startswith(prefix)), "")
