"""The Russia–Kazakhstan border crossing points of ``data/attributes/crossings.csv``.

A point gets a geometry only where a source publishes its coordinates (``coord_source`` names it; OpenStreetMap
coordinates carry ``licence`` "ODbL" and must be credited "© OpenStreetMap contributors" wherever they are
shown or exported). Points without published coordinates are kept, with ``mappable`` False and no geometry:
the table still says which crossings exist, on which side of which regions. The region codes say how they were
obtained (``kz_region_basis`` / ``ru_region_basis``: ``stated`` by the source, ``adjacency`` = the other unit
borders only that one region, ``geonames`` = the place's GeoNames admin area).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.attributes import _numbers, _read
from geo.catalog import catalog
from geo.errors import GeoInputError, shipped_data

__all__ = ["OSM_ATTRIBUTION", "crossings"]

#: The credit line OpenStreetMap-derived coordinates must carry (ODbL).
OSM_ATTRIBUTION = "© OpenStreetMap contributors"

_OPTIONAL = [
    "name_ru",
    "ru_checkpoint_ru",
    "regime",
    "status",
    "kz_region_basis",
    "ru_region_basis",
    "lon",
    "lat",
    "coord_source",
    "licence",
    "source",
    "source_date",
    "url",
    "note",
]
_TYPES = {"road", "rail"}
_BASES = {"", "stated", "adjacency", "geonames"}


@shipped_data
def crossings(*, directory: str | Path | None = None) -> gpd.GeoDataFrame:
    """Border crossing points, with a Point only where coordinates are published.

    Parameters
    ----------
    directory
        Folder holding ``crossings.csv``; the shipped ``data/attributes/`` by default.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per crossing (none dropped), EPSG:4326: the columns of ``crossings.csv`` (``lon``/``lat`` as
        Float64, every other column a plain string, empty where unknown), ``mappable`` (bool) and ``geometry``
        (a Point at the published coordinates, or ``None``).

    Raises
    ------
    GeoInputError
        The file is missing or malformed, a region code is not in the catalogue (or on the wrong side), a
        ``type`` or basis is unknown, coordinates come without their source, or OpenStreetMap coordinates
        lack the ODbL licence.
    """
    df, path = _read(
        "crossings.csv", directory, ["id", "name_en", "type", "kz_region", "ru_region"], _OPTIONAL
    )
    df = _numbers(df, {"lon": "Float64", "lat": "Float64"}, path)
    known = set(catalog().codes)
    for col, prefix in (("kz_region", "KZ-"), ("ru_region", "RU-")):
        wrong = sorted({c for c in df[col] if c and (c not in known or not c.startswith(prefix))})
        if wrong:
            msg = f"{path}: column {col!r} holds {', '.join(wrong)}; use a catalogue code starting with {prefix!r}"
            raise GeoInputError(msg)
    for col, allowed in (("type", _TYPES), ("kz_region_basis", _BASES), ("ru_region_basis", _BASES)):
        bad = sorted(set(df[col]) - allowed)
        if bad:
            msg = f"{path}: column {col!r} holds {', '.join(map(repr, bad))}; use one of {sorted(allowed)}"
            raise GeoInputError(msg)
    has_xy = df["lon"].notna() & df["lat"].notna()
    if (df["lon"].notna() ^ df["lat"].notna()).any():
        row = df.loc[df["lon"].notna() ^ df["lat"].notna(), "id"].iloc[0]
        msg = f"{path}: crossing {row!r} has only one of lon/lat"
        raise GeoInputError(msg)
    unsourced = has_xy & df["coord_source"].str.strip().eq("")
    if unsourced.any():
        msg = f"{path}: crossing {df.loc[unsourced, 'id'].iloc[0]!r} has coordinates but no coord_source"
        raise GeoInputError(msg)
    osm = df["coord_source"].str.contains("openstreetmap", case=False) & ~df["licence"].str.contains("ODbL")
    if osm.any():
        msg = f"{path}: crossing {df.loc[osm, 'id'].iloc[0]!r} uses OpenStreetMap coordinates; set licence to 'ODbL'"
        raise GeoInputError(msg)
    geoms = [
        shapely.Point(float(x), float(y)) if ok else None
        for x, y, ok in zip(df["lon"], df["lat"], has_xy, strict=True)
    ]
    df["mappable"] = has_xy.to_numpy(dtype=bool)
    return gpd.GeoDataFrame(pd.DataFrame(df), geometry=geoms, crs="EPSG:4326")
