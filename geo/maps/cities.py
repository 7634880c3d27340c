"""Cities of republican significance (Astana, Almaty, Shymkent) as labelled points.

Their polygons are a few pixels wide at the zoom where the whole border region fits the screen (and Shymkent
has none of its own on the embedded boundaries: it lies inside Turkistan Region), so each is also drawn as a
point at its centre (the catalogue's ``centre_lat``/``centre_lon``) with a permanent label. A city with a
polygon of its own shows its class colour and value; a city inside another unit's polygon is a white point
whose tooltip says which polygon holds its values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from geo.catalog import catalog
from geo.maps.labels import RegionLabel, names_of

__all__ = ["CITY_KINDS", "City", "city_points"]

#: Catalogue kinds drawn as points.
CITY_KINDS = frozenset({"city"})


@dataclass(frozen=True)
class City:
    """A city drawn as a point: its label, place, and the row of the map's regions that holds its value."""

    label: RegionLabel
    lon: float
    lat: float
    row: int | None  # its own polygon's row, or None
    within: int | None  # the row of the polygon that includes it, when it has none


def city_points(
    regions: gpd.GeoDataFrame, labels: Sequence[RegionLabel], focus: np.ndarray
) -> tuple[City, ...]:
    """The cities of republican significance on the map (own polygon or included in one), in catalogue order."""
    table = catalog().table
    codes = list(regions["code"])
    own = {c: i for i, c in enumerate(codes) if focus[i]}
    holder = {inc: i for i, label in enumerate(labels) if focus[i] for inc in label.includes}
    out = []
    for code, row in table[table["kind"].isin(CITY_KINDS)].iterrows():
        if code not in own and code not in holder:
            continue
        lat, lon = float(row["centre_lat"]), float(row["centre_lon"])
        if not (np.isfinite(lat) and np.isfinite(lon)):
            continue
        label = RegionLabel(code, names_of(code), (), minor=False)
        out.append(City(label, round(lon, 3), round(lat, 3), own.get(code), holder.get(code)))
    return tuple(out)


def city_geometries(cities: Sequence[City]) -> np.ndarray:
    """Points of the cities (lon, lat)."""
    return shapely.points([(c.lon, c.lat) for c in cities]) if cities else np.array([], dtype=object)
