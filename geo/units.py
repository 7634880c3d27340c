"""Units in time: Kazakh units as they were before the 2018 and 2022 reforms, and the capital's names.

``data/units.csv`` has one row per unit version since 1997 that differs from today's: ``unit`` (``KZ-63@1997`` = the
extent or name recorded from that year: ``valid_from``, or 1997 where the unit is older than the table), ``code``
(the current ISO 3166-2 code it is known by), names in three languages, ``valid_from`` (inclusive) and ``valid_to``
(exclusive, the first day of the next version), ``parts`` (current codes whose polygons make its extent), ``source``
and ``note``. Every former extent is an exact union of current polygons, so vintages share edges and never
disagree. Unknown dates stay empty with the reason in ``note``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import geopandas as gpd
import pandas as pd
import shapely

from geo._paths import data_dir
from geo.errors import GeoInputError

__all__ = ["apply_vintage", "units", "units_at", "vintage_date"]

COLUMNS = [
    "unit",
    "code",
    "country",
    "name_en",
    "name_ru",
    "name_kk",
    "valid_from",
    "valid_to",
    "parts",
    "source",
    "note",
]
#: The first year the table covers; earlier vintages are refused rather than answered wrongly.
FIRST_YEAR = 1997


@lru_cache(maxsize=1)
def _load() -> pd.DataFrame:
    table = pd.read_csv(data_dir() / "units.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        msg = f"data/units.csv lacks the columns {missing}"
        raise ValueError(msg)
    return table


def units() -> pd.DataFrame:
    """The rows of ``data/units.csv`` (all strings; empty where unknown)."""
    return _load().copy()


def vintage_date(vintage: str | int | dt.date | None) -> dt.date | None:
    """The date a vintage stands for: a year means its 31 December; ``"YYYY-MM-DD"`` that day; None today.

    Raises
    ------
    GeoInputError
        Not a year or date, or before :data:`FIRST_YEAR`.
    """
    if vintage is None or (isinstance(vintage, str) and vintage.strip().lower() in ("", "current", "today")):
        return None
    if isinstance(vintage, dt.date):
        day = vintage
    else:
        text = str(vintage).strip()
        if re.fullmatch(r"\d{4}", text):
            day = dt.date(int(text), 12, 31)
        else:
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                msg = f"vintage {vintage!r} is not a year (2017) or a date (2022-06-07); use e.g. vintage='2017'"
                raise GeoInputError(msg) from None
    if day.year < FIRST_YEAR:
        msg = f"vintage {vintage!r}: units before {FIRST_YEAR} are not recorded (data/units.csv starts in {FIRST_YEAR})"
        raise GeoInputError(msg)
    return day


def units_at(vintage: str | int | dt.date | None) -> pd.DataFrame:
    """Rows of ``data/units.csv`` valid on the vintage's date (none for the current vintage)."""
    day = vintage_date(vintage)
    table = units()
    if day is None:
        return table.iloc[0:0]
    iso = day.isoformat()
    start_ok = (table["valid_from"] == "") | (table["valid_from"] <= iso)
    end_ok = (table["valid_to"] == "") | (iso < table["valid_to"])
    return table[start_ok & end_ok].reset_index(drop=True)


def _union(geoms: object) -> shapely.Geometry:
    """Exact union; the fast coverage union where the parts are edge-matched (the embedded polygons are)."""
    if shapely.coverage_is_valid(geoms):
        return shapely.coverage_union_all(geoms)
    return shapely.union_all(geoms)


def apply_vintage(regions: gpd.GeoDataFrame, vintage: str | int | dt.date | None) -> gpd.GeoDataFrame:
    """Regions as they were at ``vintage``: former units as exact unions of their current parts, old names.

    Parameters
    ----------
    regions
        Current regions (:func:`geo.regions` without a vintage), with ``code`` and the catalogue columns.
    vintage
        A year (``"2017"``: as on 31 December 2017), a date, or None for today.

    Returns
    -------
    geopandas.GeoDataFrame
        The same columns plus ``unit_id`` (the ``unit`` of ``data/units.csv``, e.g. ``KZ-63@1997``; the code
        itself for today's units) and ``unit_parts`` (its current parts, ``;``-separated); a former unit's
        ``includes`` lists the current units inside it besides its own code.

    Raises
    ------
    GeoInputError
        A bad vintage, or a former unit whose current parts are not all among ``regions``.
    """
    out = regions.copy()
    out["unit_id"] = out["code"]
    out["unit_parts"] = out["code"]
    rows = units_at(vintage)
    if rows.empty:
        return out
    for row in rows.itertuples(index=False):
        parts = row.parts.split(";")
        mask = out["code"].isin(parts)
        if mask.sum() != len(parts):
            have = sorted(set(out.loc[mask, "code"]))
            msg = f"{row.unit} ({row.name_en}) is made of {row.parts}, but the regions only have {have or 'none'}"
            raise GeoInputError(msg)
        keep = out.index[out["code"] == row.code][0]
        geom = _union(out.geometry[mask].to_numpy()) if len(parts) > 1 else out.geometry[keep]
        out.loc[keep, ["unit_id", "name_en", "name_ru", "name_kk", "unit_parts"]] = [
            row.unit,
            row.name_en,
            row.name_ru,
            row.name_kk,
            row.parts,
        ]
        out.loc[keep, "includes"] = ";".join(p for p in parts if p != row.code)
        if "border" in out.columns:
            out.loc[keep, "border"] = bool(out.loc[mask, "border"].any())
        out.loc[keep, "geometry"] = geom
        out = out.drop(index=out.index[mask & (out.index != keep)])
    return out.reset_index(drop=True)
