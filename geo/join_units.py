"""Each row on its own unit's geometry, and never a partial sum (DESIGN.md section 4).

*Former units.* A row read at its period as a former unit (``unit_id`` ``KZ-63@1997``, from
:func:`geo.read_table` with a period) is drawn on the union of its parts' polygons: :func:`draw_units` dissolves
the parts (KZ-63 and KZ-10) into one polygon that keeps the code the unit is known by (KZ-63), with ``unit_id``,
``unit_parts`` and ``includes`` as :func:`geo.regions` gives them for a vintage. When the regions already show the
unit (``geo.regions(vintage="2019")``) nothing is dissolved. A part's own row on a dissolved polygon (the empty
"Абай" row of 2019) is left out when it has no value, and refused when it has one (the table mixes periods).

*Never a partial sum.* A polygon stands for every current unit inside it: its own code, the units it
``includes`` (a user's boundary file drawn before the reforms, a vintage) and, for a former unit, its parts. It
shows the table's values only when the rows that land on it cover all of those units (a former unit's row covers
its parts). Otherwise :func:`incomplete` names the missing parts and :func:`geo.join` leaves the polygon's values
empty, whatever the strictness: a missing part never turns into a partial total.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.catalog import catalog
from geo.errors import GeoInputError
from geo.tables.periods import unit_parts

__all__ = [
    "covers",
    "draw_units",
    "incomplete",
    "no_territory_change",
    "partial_notes",
    "parts_of_drawn",
    "redrawn_layer",
    "row_parts",
]


def row_parts(codes: pd.Series, units: pd.Series | None) -> list[tuple[str, ...]]:
    """The current units each row covers: a former unit's parts, else the row's code."""
    keys = (
        codes.astype(str) if units is None else units.astype(object).where(units.notna(), codes).astype(str)
    )
    factor, uniques = pd.factorize(pd.Series(keys.to_numpy(), dtype=object))
    parts = [unit_parts(u) if "@" in u else (u,) for u in uniques]
    return [parts[f] for f in factor]


def _union(geoms: np.ndarray) -> shapely.Geometry:
    if shapely.coverage_is_valid(geoms):
        return shapely.coverage_union_all(geoms)
    return shapely.union_all(geoms)


def draw_units(
    regions: gpd.GeoDataFrame, codes: pd.Series, units: pd.Series | None
) -> tuple[gpd.GeoDataFrame, dict[str, str]]:
    """Regions with each former unit of the table drawn as the union of its parts.

    Parameters
    ----------
    regions
        Region polygons with a ``code`` column.
    codes, units
        The table's current codes and unit ids (``unit_id`` of :func:`geo.read_table`), row by row.

    Returns
    -------
    (geopandas.GeoDataFrame, dict)
        The regions (a former unit's parts dissolved into the polygon of its code) and, for every part whose
        polygon was dissolved, the code of the polygon that now holds it.

    Raises
    ------
    GeoInputError
        Two former units of the table share a part (the rows mix periods).
    """
    if units is None:
        return regions, {}
    pairs = pd.DataFrame({"code": codes.astype(str).to_numpy(), "unit": units.to_numpy(dtype=object)})
    pairs = pairs.dropna().drop_duplicates("unit")  # each distinct unit once, not each row
    formers = {
        str(u): c
        for c, u in zip(pairs["code"], pairs["unit"], strict=True)
        if "@" in str(u) and len(unit_parts(str(u))) > 1
    }
    if not formers:
        return regions, {}
    from geo.units import units as unit_table

    info = unit_table().set_index("unit")
    out = regions.copy()
    moved: dict[str, str] = {}
    for unit, code in sorted(formers.items()):
        parts = unit_parts(unit)
        taken = [p for p in parts if p in moved and moved[p] != code]
        if taken:
            msg = (
                f"{unit} and another former unit both contain {', '.join(taken)}: the rows mix periods; join one "
                "period at a time (where={'year': …})"
            )
            raise GeoInputError(msg)
        out = _draw_one(out, unit, code, parts, info.loc[unit])
        moved.update({p: code for p in parts if p != code})
    if "unit_id" in out.columns:
        out["unit_id"] = out["unit_id"].fillna(out["code"])
        out["unit_parts"] = out["unit_parts"].fillna(out["code"])
    return out.reset_index(drop=True), moved


def _draw_one(
    out: gpd.GeoDataFrame, unit: str, code: str, parts: tuple[str, ...], row: pd.Series
) -> gpd.GeoDataFrame:
    """``out`` with ``unit`` drawn on the polygon of ``code``: the union of its parts' polygons."""
    if "unit_id" in out.columns and (out["unit_id"].astype(str) == unit).any():
        return out  # the regions already show this unit (a vintage)
    present = set(out["code"].astype(str))
    cat = catalog().table
    # Each part's polygon: its own, or the one that holds it (a boundary file drawn before the reforms).
    polygons = {p if p in present else cat.at[p, "polygon"] for p in parts if p in present or p in cat.index}
    polygons &= present
    if code not in polygons:
        return out  # the unit's own polygon is not among the regions: nothing to draw it on
    mask = out["code"].astype(str).isin(polygons).to_numpy()
    keep = out.index[(out["code"].astype(str) == code).to_numpy()][0]
    geometry = _union(out.geometry[mask].to_numpy()) if mask.sum() > 1 else out.geometry[keep]
    for col in ("name_en", "name_ru", "name_kk"):
        if col in out.columns:
            out.loc[keep, col] = row[col]
    others = [p for p in parts if p != code]
    for col, value in (("unit_id", unit), ("unit_parts", ";".join(parts)), ("includes", ";".join(others))):
        out.loc[keep, col] = value
    for lang, word in (("en", "incl."), ("ru", "вкл.")):
        if f"label_{lang}" in out.columns:
            names = ", ".join(cat.at[p, f"name_{lang}"] for p in others)
            out.loc[keep, f"label_{lang}"] = f"{row[f'name_{lang}']} {word} {names}"
    if "border" in out.columns:
        out.loc[keep, "border"] = bool(out.loc[mask, "border"].any())
    out.loc[keep, out.geometry.name] = geometry
    return out.drop(index=out.index[mask & (out.index != keep)])


def covers(regions: gpd.GeoDataFrame) -> dict[str, set[str]]:
    """Polygon code -> the current units inside it (itself, ``includes``, ``unit_parts``, the catalogue)."""
    present = set(regions["code"].astype(str))
    out = {c: {c} for c in present}
    for col in ("includes", "unit_parts"):
        if col in regions.columns:
            for code, text in zip(regions["code"].astype(str), regions[col], strict=True):
                if isinstance(text, str) and text:  # a unit with a polygon of its own is not inside another
                    out[code] |= {p for p in text.split(";") if p and (p == code or p not in present)}
    cat = catalog().table
    if "polygon" in cat.columns:
        for code, polygon in cat["polygon"].items():
            if code not in present and polygon in present:
                out[polygon].add(code)
    return out


def incomplete(
    target: pd.Series, parts: list[tuple[str, ...]], inside: dict[str, set[str]]
) -> dict[str, list[str]]:
    """Polygon code -> the units inside it that no row covers, for every polygon that receives rows."""
    covered: dict[str, set[str]] = {}
    for polygon, ps in zip(target.astype(str), parts, strict=True):
        covered.setdefault(polygon, set()).update(ps)
    out = {}
    for polygon, have in covered.items():
        missing = sorted(inside.get(polygon, {polygon}) - have)
        if missing:
            out[polygon] = missing
    return out


def parts_of_drawn(
    table: pd.DataFrame,
    codes: pd.Series,
    units: pd.Series | None,
    parts: list[tuple[str, ...]],
    dissolved: dict[str, str],
    carried: frozenset[str] = frozenset(),
) -> tuple[pd.DataFrame, pd.Series, pd.Series | None, list[tuple[str, ...]], list[str]]:
    """Leave out the empty rows of units drawn inside a former unit's polygon; refuse those with a value.

    The empty "Абай" row of 2019 stands for nothing; a value for Abai beside East Kazakhstan as it was before 2022
    means the rows mix periods.
    """
    inside = codes.isin(list(dissolved)).to_numpy().copy()
    if units is not None:
        inside &= ~units.astype(str).str.contains("@", regex=False).to_numpy()
    if not inside.any():
        return table, codes, units, parts, []
    data = [
        c
        for c in table.columns
        if c != "code"
        and c not in carried
        and pd.api.types.is_numeric_dtype(table[c])
        and not pd.api.types.is_bool_dtype(table[c])
    ]
    valued = table[data].notna().any(axis=1).to_numpy() if data else np.zeros(len(table), dtype=bool)
    cat = catalog()
    if (inside & valued).any():
        i = int(np.flatnonzero(inside & valued)[0])
        code = codes.iloc[i]
        msg = (
            f"{cat.describe(code)} has a value, but the table also has the former unit that contained it "
            f"({cat.describe(dissolved[code])} as it was then): the rows mix periods; join one period at a time "
            "(where={'year': …})"
        )
        raise GeoInputError(msg)
    keep = ~inside
    left = [f"{cat.describe(c)} (no value; part of the former unit)" for c in codes[inside]]
    parts = [p for p, k in zip(parts, keep, strict=True) if k]
    kept_units = None if units is None else units[keep]
    return table[keep], codes[keep], kept_units, parts, left


def partial_notes(rows: pd.DataFrame, partial: dict[str, list[str]]) -> pd.DataFrame:
    """``merged_units``/``merged_note`` of the polygons left without values (never a partial sum)."""
    cat = catalog()
    out = {}
    for polygon, missing in sorted(partial.items()):
        have = tuple(dict.fromkeys(rows.loc[rows["target"] == polygon, "code"]))
        names = ", ".join(cat.describe(c) for c in missing)
        out[polygon] = (
            have,
            f"no value: the polygon of {cat.describe(polygon)} also covers {names}, which the table does not give "
            "(a polygon that combines units shows a value only when every part has one)",
        )
    return pd.DataFrame.from_dict(out, orient="index", columns=["merged_units", "merged_note"])


def redrawn_layer(layer: gpd.GeoDataFrame, joined: gpd.GeoDataFrame, *, tables: int = 1) -> gpd.GeoDataFrame:
    """An export's regions layer after a join that drew former units: figures of a union are its parts' sums.

    Parameters
    ----------
    layer
        The regions layer before the join, with ``area_km2`` and ``border_km`` per current polygon.
    joined
        :func:`geo.join`'s result on ``layer``, where former units (``unit_parts`` with several codes) replace
        their parts.
    tables
        How many tables the export joins: several tables would need one layer per period, which is refused.

    Returns
    -------
    geopandas.GeoDataFrame
        ``joined`` with ``area_km2`` and ``border_km`` of each former unit the sums of its parts' (both are
        additive: the parts do not overlap, and the lines between them are not the state border).

    Raises
    ------
    GeoInputError
        ``tables`` > 1.
    """
    if tables > 1:
        msg = (
            "a table of a former period draws former units (e.g. East Kazakhstan with Abai before 2022), so the "
            "regions layer can hold only that table: export the tables one at a time"
        )
        raise GeoInputError(msg)
    out = joined.copy()
    figures = layer.set_index("code")
    for i, parts in out["unit_parts"].items() if "unit_parts" in out.columns else []:
        codes = [p for p in str(parts).split(";") if p in figures.index]
        if len(codes) > 1:
            for col in ("area_km2", "border_km"):
                if col in out.columns:
                    out.loc[i, col] = round(float(figures.loc[codes, col].sum()), 6)
    return out


def no_territory_change(table: pd.DataFrame, pivot: str | None) -> pd.DataFrame:
    """Before a pivot: refuse periods of different territories on one polygon, then drop ``unit_id``."""
    if pivot is None:
        return table
    if "unit_id" in table.columns:
        units = table["unit_id"].dropna().astype(str).unique()
        changed = [u for u in units if "@" in u and len(unit_parts(u)) > 1]
        if changed:
            unit = sorted(changed)[0]
            msg = (
                f"pivot={pivot!r} would put periods with different territories on one polygon ({unit}: "
                f"{'+'.join(unit_parts(unit))} then); join one period at a time with where={{{pivot!r}: …}}"
            )
            raise GeoInputError(msg)
    return table.drop(columns="unit_id", errors="ignore")
