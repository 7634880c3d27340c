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
from geo.maps.choropleth import Classes
from geo.maps.labels import RegionLabel, names_of
from geo.maps.layer import VectorLayer

__all__ = ["CITY_KINDS", "City", "cities_layer", "city_geometries", "city_points"]

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


def cities_layer(  # noqa: PLR0913  (keyword-only drawing options of one layer)
    cities: Sequence[City],
    *,
    classes: Classes,
    values: np.ndarray,
    lang: str,
    metric_label: str,
    unit: str,
    region_names: Sequence[str],
    frames: Sequence[str] = (),
    frame_values: np.ndarray | None = None,
    frame_index: np.ndarray | None = None,
    frame: int = 0,
) -> VectorLayer:
    """The cities as points in their class colour, each with a tooltip.

    Circle markers, 12 px across whatever the zoom, with a tooltip, drawn above the polygons so that each can be
    pointed at. A city inside another unit's polygon is
    white and its tooltip says which polygon holds its values. With ``frames``, fills and tooltips per period
    as for :func:`geo.maps.regions.regions_layer`.
    """
    from geo.maps.geometry import features
    from geo.maps.html import rows_html
    from geo.maps.i18n import text
    from geo.maps.regions import _value_text

    t = text(lang)
    props = []
    for city in cities:
        base = {"radius": 6, "color": "#1a1a1a", "weight": 1.5, "opacity": 1, "fillOpacity": 1}

        def tip(value: object, period: str = "", city=city) -> str:
            rows: list[tuple[str, object]] = [(t["code"], city.label.code)]
            if period:
                rows.append((t["year_control"], period))
            if city.row is not None:
                rows.append((metric_label or t["value"], _value_text(value, unit) or t["no_data"]))
            else:
                rows.append(("", f"{t['city_within']} {region_names[city.within]}"))
            return rows_html(rows, title=city.label.text(lang))

        prop: dict = {"code": city.label.code}
        if city.row is None:
            prop["style"] = {**base, "fillColor": "#ffffff"}
            prop["tip"] = tip(None)
        else:
            prop["style"] = {**base, "fillColor": classes.fill_of(int(classes.index[city.row]))}
            if frames and frame_values is not None and frame_index is not None:
                prop["fills"] = [classes.fill_of(int(c)) for c in frame_index[:, city.row]]
                prop["tips"] = [tip(v, p) for v, p in zip(frame_values[:, city.row], frames, strict=True)]
                prop["tip"] = prop["tips"][frame]
            else:
                prop["tip"] = tip(values[city.row])
        props.append(prop)
    gdf = gpd.GeoDataFrame(geometry=city_geometries(cities), crs="EPSG:4326")
    return VectorLayer(features(gdf, props), name=t["cities"], class_name="rk-city", pane="rk-links")
