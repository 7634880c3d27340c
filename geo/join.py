"""Join attribute tables onto regions by code, across administrative vintages, and draw region-pair links.

*Vintages.* The embedded boundaries show Kazakhstan before 2018 (see :mod:`geo.boundaries`): Abai (KZ-10),
Jetisu (KZ-33), Ulytau (KZ-62) and Shymkent (KZ-79) have no polygon of their own. A table keyed by current units
is joined by mapping each such unit onto the polygon that contains it (the catalogue's ``polygon`` column), when
that polygon is among the regions and the unit itself is not. Rows that land on one polygon are combined:

- columns the caller calls *additive* (``additive=["turnover"]``: counts, sums, money) are summed; a missing
  value in any part makes the total missing, because a partial sum is not the total;
- columns the caller gives an aggregation for (``aggregate={"share": "mean"}``) use it;
- any other numeric column is refused with a :class:`~geo.errors.GeoInputError` naming the column and the
  units, because averaging or summing a rate silently would be wrong;
- text columns keep the distinct values, ``"; "``-separated (one common value stays as it is);
- key columns (``read_table(..., keys=["year"])``) and the columns of ``where`` are not measures: they keep
  their common value (the chosen year), and different values on one polygon are refused.

The result says what was combined: ``merged_units`` lists the codes whose rows were combined onto a polygon
("KZ-63;KZ-10") and ``merged_note`` says it in words; the regions' ``label_en`` already reads "East Kazakhstan
Region incl. Abai Region". With boundaries that have the new units (``geo.regions(boundaries=…)``) every unit
maps one-to-one and nothing is combined.

*Units in time* (:mod:`geo.join_units`). A table read with a period (:func:`geo.read_table`) has a ``unit_id`` per
row: a row of East Kazakhstan in 2019 is ``KZ-63@1997`` and is drawn on the union of today's KZ-63 and KZ-10.
Total rows (``unit_id`` of an aggregate) are never joined. *Never a partial sum*: a polygon that stands for
several units (a former unit, or a boundary file drawn before the reforms) shows values only when the table's
rows cover every one of them; otherwise its values stay empty, ``merged_note`` names the missing part and
``result.attrs["partial"]`` lists it (:func:`geo.attach` turns it into a problem of the report).

*Several rows per region* (one per year, …) must be reduced before a join: choose rows with
``where={"year": 2021}``, spread them into columns with ``pivot="year"`` (``turnover_2020``, ``turnover_2021``),
or, for record-level tables (customs declarations, enterprises), combine them with ``many="aggregate"``,
which applies the same rules as a vintage merge.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.catalog import catalog
from geo.errors import GeoInputError
from geo.join_links import links_from_pairs
from geo.join_units import (
    covers,
    draw_units,
    incomplete,
    no_territory_change,
    partial_notes,
    parts_of_drawn,
    row_parts,
)
from geo.merged import Aggregation, merge_accounts, merge_notes, units_of
from geo.tables import read_table

__all__ = ["join", "links_from_pairs", "merge_accounts", "select_rows"]  # merge_accounts: from geo.merged

_SIMPLE = {"sum", "mean", "median", "min", "max", "first", "last", "count"}


def _check_table(table: pd.DataFrame, region: str | None) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        msg = f"table must be a DataFrame (from geo.read_table), not {type(table).__name__}"
        raise GeoInputError(msg)
    if "code" not in table.columns:
        table, _ = read_table(table, region, strict=True)
    if "unit_id" in table.columns:  # total rows (read_table lists them in its report) are never joined
        total = (table["code"].isna() & table["unit_id"].isin(list(catalog().aggregates))).to_numpy()
        table = table[~total]
    missing = table["code"].isna().to_numpy()
    if missing.any():
        rows = np.flatnonzero(missing)[:10] + 1
        msg = (
            f"{int(missing.sum())} table row(s) have no region code (unknown, ambiguous or empty names; "
            f"rows {', '.join(map(str, rows))}); fix them (see the read_table report) or drop them "
            "explicitly: table[table['code'].notna()]"
        )
        raise GeoInputError(msg)
    return table


def select_rows(table: pd.DataFrame, where: Mapping[str, object] | None) -> pd.DataFrame:
    """The rows of ``table`` whose ``where`` columns hold one of the wanted values (all rows without ``where``).

    Raises
    ------
    GeoInputError
        A column that the table does not have, or no row selected.
    """
    if not where:
        return table
    mask = np.ones(len(table), dtype=bool)
    for col, wanted in where.items():
        if col not in table.columns:
            msg = f"where: the table has no column {col!r}; columns are {', '.join(map(repr, table.columns))}"
            raise GeoInputError(msg)
        values = wanted if isinstance(wanted, (list, tuple, set)) else [wanted]
        mask &= table[col].isin(list(values)).to_numpy()
    if not mask.any():
        msg = f"where={dict(where)!r} selects no row of the table"
        raise GeoInputError(msg)
    return table[mask]


def _place(
    regions: gpd.GeoDataFrame,
    table: pd.DataFrame,
    codes: pd.Series,
    units: pd.Series | None,
    carried: frozenset[str],
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, pd.Series, pd.Series, list[tuple[str, ...]], list[str]]:
    """Each row's polygon: former units drawn (:mod:`geo.join_units`), then the polygon that holds each code.

    Returns the regions (former units dissolved), the table, codes, target polygon codes, the current units
    each row covers, and the empty rows left out; codes without a polygon are said in a warning.
    """
    regions, dissolved = draw_units(regions, codes, units)
    parts_of_rows = row_parts(codes, units)
    table, codes, units, parts_of_rows, left_out = parts_of_drawn(
        table, codes, units, parts_of_rows, dissolved, carried
    )
    target, absent = _targets(codes, set(regions["code"].astype(str)))
    target = target.where(~codes.isin(list(dissolved)), codes.map(dissolved))
    if absent:
        warnings.warn(
            f"{len(absent)} code(s) of the table have no polygon among the regions and are not "
            f"joined: {', '.join(absent)}",
            stacklevel=3,
        )
    return regions, table, codes, target, parts_of_rows, left_out


def _pivot(table: pd.DataFrame, pivot: str | None) -> pd.DataFrame:
    if pivot is None:
        return table
    if pivot not in table.columns:
        msg = f"pivot: the table has no column {pivot!r}"
        raise GeoInputError(msg)
    if table.duplicated(["code", pivot]).any():
        dup = table[table.duplicated(["code", pivot], keep=False)].iloc[0]
        msg = f"pivot={pivot!r}: region {dup['code']} has several rows for {pivot}={dup[pivot]!r}"
        raise GeoInputError(msg)
    values = [c for c in table.columns if c not in ("code", pivot)]
    # One column at a time: pivoting them together would turn every column into object dtype.
    parts = []
    for col in values:
        part = table.pivot(index="code", columns=pivot, values=col)
        if isinstance(table[col].dtype, pd.api.extensions.ExtensionDtype):
            part = part.astype(table[col].dtype)  # Float64/Int64/string stay as they were (with <NA>)
        part.columns = [f"{col}_{key}" for key in part.columns]
        parts.append(part)
    wide = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=table["code"].unique())
    wide.index.name = "code"
    return wide.reset_index()


def _targets(codes: pd.Series, present: set[str]) -> tuple[pd.Series, list[str]]:
    """Polygon code for each row's code, and the codes that have no polygon among ``present``."""
    table = catalog().table
    target = {}
    absent = []
    for code in codes.unique():
        if code in present:
            target[code] = code
            continue
        polygon = table.at[code, "polygon"] if code in table.index else ""
        if polygon and polygon != code and polygon in present:
            target[code] = polygon
        else:
            absent.append(code)
    return codes.map(target), sorted(absent)


def _combine(
    parts: pd.DataFrame,
    target: pd.Series,
    columns: list[str],
    additive: set[str],
    aggregate: Mapping[str, Aggregation],
    why: str,
    carried: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """Reduce the rows of ``parts`` to one per ``target`` code.

    ``carried`` columns (the table's keys and the ``where`` columns: a year, a period) are not measures: they
    keep their common value, and differing values within one polygon are an error.
    """
    cat = catalog()
    groups = parts.groupby(target.to_numpy(), sort=True)
    out = {}
    for col in columns:
        values = parts[col]
        if col in aggregate:
            func = aggregate[col]
            if isinstance(func, str) and func not in _SIMPLE:
                msg = f"aggregate[{col!r}] = {func!r}: use one of {', '.join(sorted(_SIMPLE))} or a function"
                raise GeoInputError(msg)
            out[col] = groups[col].agg(func)
        elif col in carried:
            distinct = groups[col].nunique(dropna=False)
            if distinct.gt(1).any():
                code = distinct[distinct.gt(1)].index[0]
                seen = list(dict.fromkeys(parts.loc[(target == code).to_numpy(), col].tolist()))
                msg = (
                    f"column {col!r} has different values ({', '.join(map(str, seen))}) in the rows combined "
                    f"onto {cat.describe(code)} over {why}; choose one with where={{{col!r}: …}} "
                    f"or spread it with pivot={col!r}"
                )
                raise GeoInputError(msg)
            out[col] = groups[col].first()
        elif col in additive:
            if not pd.api.types.is_numeric_dtype(values):
                msg = f"additive column {col!r} is not numeric"
                raise GeoInputError(msg)
            total = groups[col].sum(min_count=1)
            incomplete = values.isna().groupby(target.to_numpy(), sort=True).any()
            out[col] = total.mask(incomplete.reindex(total.index, fill_value=False))
        elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            example = parts.groupby(target.to_numpy())["code"].agg(lambda s: list(dict.fromkeys(s)))
            code, units = next(iter(example.items()))
            msg = (
                f"column {col!r} would be combined over {why}, e.g. {', '.join(units)} onto "
                f"{cat.describe(code)}, but it is not declared additive; if it is a count or a sum pass "
                f"additive=[{col!r}], otherwise name an aggregation: aggregate={{{col!r}: 'mean'}} "
                "(CLI: --additive / --aggregate COL=FUNC)"
            )
            raise GeoInputError(msg)
        else:
            distinct = pd.DataFrame({"t": target.to_numpy(dtype=object), "v": values.to_numpy(dtype=object)})
            distinct = distinct.dropna().drop_duplicates()
            text = distinct.groupby("t", sort=True)["v"].agg(lambda s: "; ".join(map(str, s)))
            out[col] = text.reindex(sorted(set(target)), fill_value="")
    return pd.DataFrame(out)


def join(  # noqa: PLR0913  (public: keyword-only options, one per CLI table option)
    regions: gpd.GeoDataFrame,
    table: pd.DataFrame,
    *,
    how: str = "left",
    region: str | None = None,
    columns: Sequence[str] | None = None,
    where: Mapping[str, object] | None = None,
    pivot: str | None = None,
    many: str = "error",
    additive: Sequence[str] = (),
    aggregate: Mapping[str, Aggregation] | None = None,
) -> gpd.GeoDataFrame:
    """Merge a table's attributes onto regions by code, mapping current units onto the polygons that hold them.

    Parameters
    ----------
    regions
        Region polygons with a ``code`` column (:func:`geo.regions`, or a user's boundaries).
    table
        A table with a ``code`` column, as returned by :func:`geo.read_table`; a table without one is read with
        ``read_table(table, region, strict=True)`` first. Rows without a code are refused, not dropped.
    how
        ``"left"``: every region, with missing values where the table has none; ``"inner"``: only regions with
        data.
    region
        Region column, used only when ``table`` has no ``code`` column yet.
    columns
        Table columns to join (all by default).
    where
        Keep only the rows whose columns equal the given values (a list allows several), e.g.
        ``{"year": 2021}``.
    pivot
        Spread a key column into one column per value: ``turnover_2020``, ``turnover_2021``, …
    many
        Several rows for one region after ``where``/``pivot``: ``"error"`` (default) refuses them;
        ``"aggregate"`` combines them by the same rules as a vintage merge (for record-level tables).
    additive
        Numeric columns that may be summed (counts, sums, money).
    aggregate
        Aggregation per column for everything else: ``"mean"``, ``"median"``, ``"min"``, ``"max"``,
        ``"first"``, ``"last"``, ``"count"``, ``"sum"`` or a function of a Series.

    Returns
    -------
    geopandas.GeoDataFrame
        The regions (their columns and CRS unchanged) followed by ``merged_units`` (a tuple of the codes
        whose rows were combined onto the polygon, empty when it maps one-to-one), ``merged_note`` (the same in
        words) and the table's columns (a column whose name the regions already use gets the suffix
        ``_table``). A former unit of the table (``unit_id`` such as ``KZ-63@1997``) is drawn as the union of
        its parts' polygons, and the result then has ``unit_id`` and ``unit_parts`` as ``geo.regions(vintage=…)``
        gives them. ``result.attrs["not_joined"]`` lists the table's codes that have no polygon among
        ``regions`` (also issued as a warning); ``attrs["partial"]`` maps each polygon left without values to
        the units inside it that the table lacks (never a partial sum); ``attrs["left_out"]`` names the empty
        rows of units drawn inside a former unit.

    Raises
    ------
    GeoInputError
        Rows without a code; several rows per region (``many="error"``); a numeric column that would be
        combined over several units without being declared additive or given an aggregation; rows that mix
        periods (a former unit and a part of it with a value); ``pivot`` across a change of territory.
    """
    if "code" not in getattr(regions, "columns", []):
        msg = "regions must be a GeoDataFrame with a 'code' column (geo.regions())"
        raise GeoInputError(msg)
    if how not in ("left", "inner"):
        msg = f"how must be 'left' or 'inner', not {how!r}"
        raise GeoInputError(msg)
    if many not in ("error", "aggregate"):
        msg = f"many must be 'error' or 'aggregate', not {many!r}"
        raise GeoInputError(msg)
    aggregate = dict(aggregate or {})
    summed = set(additive)
    # Key columns (read_table(keys=…)) and where columns hold the same value for every row of a unit after
    # filtering: they are carried through a vintage merge, not summed or refused as measures.
    carried = frozenset([*getattr(table, "attrs", {}).get("keys", ()), *(where or {})]) - {pivot}
    table = select_rows(_check_table(table, region), where)
    table = no_territory_change(table, pivot)
    table = _pivot(table, pivot)
    if columns is not None:
        unknown = [c for c in columns if c not in table.columns]
        if unknown:
            msg = f"columns: the table has no column(s) {unknown}"
            raise GeoInputError(msg)
        keep = [c for c in ("code", "unit_id") if c in table.columns]
        table = table[[*keep, *[c for c in columns if c not in keep]]]
    for col in [*summed, *aggregate]:
        if col not in table.columns:
            msg = f"additive/aggregate name column {col!r}, which the table does not have"
            raise GeoInputError(msg)
    table = table.reset_index(drop=True)
    units = table.pop("unit_id") if "unit_id" in table.columns else None
    codes = table["code"].astype(str)
    dup = codes.duplicated(keep=False)
    if dup.any() and many == "error":
        first = codes[dup].iloc[0]
        rows = (np.flatnonzero((codes == first).to_numpy())[:5] + 1).tolist()
        msg = (
            f"the table has several rows for region {first} (rows {', '.join(map(str, rows))} after "
            "filtering); choose rows with where={'year': 2021}, spread them with pivot='year', or combine "
            "them with many='aggregate' and additive=[…]/aggregate={…}"
        )
        raise GeoInputError(msg)

    regions, table, codes, target, parts_of_rows, left_out = _place(regions, table, codes, units, carried)
    absent = sorted(set(codes[target.isna().to_numpy()]))
    on_map = target.notna().to_numpy()
    table, codes, target = table[on_map], codes[on_map], target[on_map]
    parts_of_rows = [p for p, keep in zip(parts_of_rows, on_map, strict=True) if keep]
    data_columns = [c for c in table.columns if c != "code"]
    # Never a partial sum: a polygon whose rows do not cover every unit inside it gets no values.
    partial = incomplete(target, parts_of_rows, covers(regions))
    gap = target.isin(list(partial)).to_numpy()
    gap_rows = pd.DataFrame({"code": codes[gap].to_numpy(), "target": target[gap].to_numpy()})
    table, codes, target = table[~gap], codes[~gap], target[~gap]
    moved = (codes != target).to_numpy()
    needs = pd.Series(moved).groupby(target.to_numpy()).any() | target.value_counts().gt(1).sort_index()
    merged_targets = set(needs[needs].index)
    merge_rows = target.isin(merged_targets).to_numpy()
    plain = table[~merge_rows].set_index(target[~merge_rows].to_numpy())[data_columns]
    pieces = [plain]
    notes = pd.DataFrame({"merged_units": pd.Series(dtype=object), "merged_note": pd.Series(dtype=str)})
    if merge_rows.any():
        parts = table[merge_rows]
        t = target[merge_rows]
        why = "units without a polygon of their own" if moved.any() else "several rows per region"
        pieces.append(
            _combine(parts, t, data_columns, summed, aggregate, why, carried - summed - set(aggregate))
        )
        notes = merge_notes(parts["code"].astype(str), t, summed, aggregate)
    if partial:
        pieces.append(table.iloc[:0][data_columns].reindex(sorted(partial)))
        notes = pd.concat([notes, partial_notes(gap_rows, partial)])
    joined = pd.concat(pieces)
    joined.index.name = "code"
    joined = joined.join(notes, how="left")
    joined["merged_units"] = units_of(joined["merged_units"])
    joined["merged_note"] = joined["merged_note"].fillna("").astype(str)
    clash = {c: f"{c}_table" for c in data_columns if c in regions.columns}
    joined = joined.rename(columns=clash)[
        ["merged_units", "merged_note", *[clash.get(c, c) for c in data_columns]]
    ]
    # Regions joined before already carry merged_units/merged_note: keep both joins' account of merging.
    prior = regions[["merged_units", "merged_note"]] if "merged_units" in regions.columns else None
    base = regions.drop(columns=["merged_units", "merged_note"], errors="ignore")
    out = base.merge(joined, left_on="code", right_index=True, how=how)
    out["merged_units"] = units_of(out["merged_units"])
    out["merged_note"] = out["merged_note"].fillna("").astype(str)
    if prior is not None:
        out["merged_units"], out["merged_note"] = merge_accounts(
            prior.loc[out.index], out[["merged_units", "merged_note"]]
        )
    out = gpd.GeoDataFrame(out, geometry=regions.geometry.name, crs=regions.crs).reset_index(drop=True)
    out.attrs["not_joined"] = absent
    out.attrs["partial"] = partial
    out.attrs["left_out"] = left_out
    return out
