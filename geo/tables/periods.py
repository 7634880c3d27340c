"""Units in time: a table's period column, and the unit each row stands for at its date.

The same name is a different territory at different dates: "East Kazakhstan Region" in 2019 includes today's Abai
Region. ``data/units.csv`` (:mod:`geo.units`) records every former extent as a union of current units. A table with
a period column (a year or a date; ``period=`` / CLI ``--period COL``, or detected by its name: "year", "Год",
"Жыл", "date", "period", …) resolves each row to the unit valid at its date:

- a year stands for its 31 December (as ``geo.regions(vintage="2019")``); a date for that day; a month for its
  last day. Dates before 1997, where ``data/units.csv`` starts, are read as in 1997 and the report says so;
- a row whose current code had another extent at that date gets that unit: "East Kazakhstan" 2019 ->
  ``KZ-63@1997`` (parts KZ-63;KZ-10), 2023 -> ``KZ-63``;
- *recalculated periods.* Statistics offices publish back series for units created later (the Bureau of National
  Statistics gives Shymkent from 2017 and Turkistan without it). When a period has a row with a value for a unit
  that did not exist yet (Shymkent in 2017) and also a row for the unit it was part of (Turkistan), the period is
  in today's units: both rows are read as today's units, and the decision is listed. A row of a unit that did not
  exist yet with no value at all (the empty "Абай" rows of 2000-2021) changes nothing.

Without a period, rows of units whose territory changed are read as today's units and the report says so once,
naming them and how to give the period.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from geo.catalog import catalog
from geo.errors import TableError
from geo.tables.report import MAX_ROWS, Issue

__all__ = ["PERIOD_COLUMNS", "find_period_column", "period_dates", "units_at_dates"]

#: Column names (case-folded) read as a period when ``period`` is not given.
PERIOD_COLUMNS = [
    "year",
    "years",
    "date",
    "period",
    "reference_year",
    "reference_date",
    "год",
    "годы",
    "дата",
    "период",
    "отчетный год",
    "отчётный год",
    "жыл",
    "жылы",
    "жылдар",
    "кезең",
    "күні",
]
FIRST_DAY = dt.date(1997, 12, 31)  # data/units.csv starts in 1997 (geo.units.FIRST_YEAR)

_YEAR = re.compile(r"(\d{4})(?:\s*(?:г\.?|год|года|жыл|жылы|y\.?|year))?")
_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def _date_of(value: object) -> dt.date | None:
    """The date a period cell stands for, or None when it is not a year or a date."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | np.integer | float | np.floating) and not isinstance(value, bool):
        if float(value).is_integer() and 1800 <= value <= 2200:
            return dt.date(int(value), 12, 31)
        return None
    text = str(value).strip()
    try:
        if m := _YEAR.fullmatch(text):
            return dt.date(int(m.group(1)), 12, 31)
        if m := _DMY.fullmatch(text):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := _MONTH.fullmatch(text):
            year, month = int(m.group(1)), int(m.group(2))
            nxt = dt.date(year + month // 12, month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[T ].*)?", text):
            return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
    return None


def period_dates(values: pd.Series) -> pd.Series:
    """The date each period cell stands for (object dtype, None where it is not a year or a date).

    Each distinct value is parsed once: ``2019`` / ``"2019"`` / ``"2019 г."`` -> 2019-12-31, ``"2022-06-07"``,
    ``"07.06.2022"``, ``"2022-06"`` -> 2022-06-30, timestamps as they are.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.array([_date_of(u) for u in uniques] + [None], dtype=object)
    return pd.Series(parsed[codes], index=values.index, dtype=object)


def _share_dates(values: pd.Series) -> float:
    filled = pd.Series(values.dropna().unique()[:1000])  # distinct cells: a year column has few
    filled = filled[filled.astype(str).str.strip() != ""]
    if filled.empty:
        return 0.0
    return float(period_dates(filled).notna().mean())


def find_period_column(
    df: pd.DataFrame, period: str | bool | None, label: str, taken: set[str]
) -> str | None:
    """The period column: ``period`` when named, else a column named like a year or date whose cells read so.

    ``period=False`` turns detection off. A named column that does not exist is a :class:`TableError`.
    """
    if period is False:
        return None
    columns = [str(c) for c in df.columns]
    if isinstance(period, str) and period:
        if period in columns:
            return period
        folded = {c.casefold(): c for c in columns}
        if period.casefold() in folded:
            return folded[period.casefold()]
        msg = f"{label}: no period column {period!r}; the columns are {', '.join(map(repr, columns))}"
        raise TableError(msg)
    for col in columns:
        if col in taken:
            continue
        if col.strip().casefold() in PERIOD_COLUMNS and _share_dates(df[col]) > 0.5:
            return col
    return None


@lru_cache(maxsize=1)
def _versions() -> pd.DataFrame:
    """Rows of ``data/units.csv`` (empty frame when the file is not shipped)."""
    try:
        from geo.units import units
    except ImportError:  # pragma: no cover - geo.units comes with data/units.csv
        return pd.DataFrame(columns=["unit", "code", "valid_from", "valid_to", "parts"])
    return units()


def changed_territory() -> dict[str, list[tuple[str, str]]]:
    """Current code -> [(former unit, its end date)] for the codes whose territory changed (several parts)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for row in _versions().itertuples(index=False):
        if len(row.parts.split(";")) > 1:
            out.setdefault(row.code, []).append((row.unit, row.valid_to))
    return out


@lru_cache(maxsize=4096)
def unit_parts(unit: str) -> tuple[str, ...]:
    """The current codes a unit is made of: its parts for a former unit, the code itself otherwise."""
    rows = _versions()
    hit = rows[rows["unit"] == unit]
    if hit.empty:
        return (unit,)
    return tuple(hit.iloc[0]["parts"].split(";"))


@lru_cache(maxsize=4096)
def _version_at(code: str, day: dt.date) -> tuple[str, tuple[str, ...]]:
    rows = _versions()
    iso = day.isoformat()
    mine = rows[rows["code"] == code]
    ok = mine[
        ((mine["valid_from"] == "") | (mine["valid_from"] <= iso))
        & ((mine["valid_to"] == "") | (iso < mine["valid_to"]))
    ]
    if ok.empty:
        return code, (code,)
    row = ok.iloc[0]
    return row["unit"], tuple(row["parts"].split(";"))


@lru_cache(maxsize=1024)
def _absorbed_at(day: dt.date) -> dict[str, str]:
    """Current code -> the former unit it was part of on ``day`` (Abai -> ``KZ-63@1997`` in 2019)."""
    rows = _versions()
    iso = day.isoformat()
    valid = rows[
        ((rows["valid_from"] == "") | (rows["valid_from"] <= iso))
        & ((rows["valid_to"] == "") | (iso < rows["valid_to"]))
    ]
    out = {}
    for row in valid.itertuples(index=False):
        for part in row.parts.split(";"):
            if part != row.code:
                out[part] = row.unit
    return out


def units_at_dates(
    codes: pd.Series, period: pd.Series, has_value: np.ndarray, column: str
) -> tuple[pd.Series, list[Issue], list[str]]:
    """The unit each row stands for at its date (module docstring), with the decisions and notes.

    Vectorised: each distinct (code, period) pair is judged once and mapped back to the rows.

    Parameters
    ----------
    codes
        Current codes of the rows (``<NA>`` where unresolved or a total).
    period
        The period cells as published (a year, a date; see :func:`period_dates`).
    has_value
        Rows with at least one non-empty numeric cell.
    column
        The period column's name.

    Returns
    -------
    (pandas.Series, list[Issue], list[str])
        Unit ids (the code for today's units, e.g. ``KZ-63@1997`` for a former extent), the decisions (kind
        ``"period"``) and notes.
    """
    cat = catalog()
    cid, cu = pd.factorize(codes, use_na_sentinel=True)
    pid, pu = pd.factorize(period, use_na_sentinel=True)
    pdates = [_date_of(p) for p in pu]
    decisions: list[Issue] = []
    notes: list[str] = []
    early = sorted({str(p) for p, d in zip(pu, pdates, strict=True) if d is not None and d < FIRST_DAY})
    if early:
        notes.append(
            f"periods before 1997 ({', '.join(early[:5])}{' …' if len(early) > 5 else ''}): data/units.csv "
            "starts in 1997, so their rows are read with the units of 1997"
        )
    cu_text = np.array([str(c) for c in cu], dtype=object)
    dated = np.array([d is not None for d in pdates] + [False])[pid]
    ok = (cid >= 0) & dated
    n = max(len(cu), 1)
    key = pid[ok].astype(np.int64) * n + cid[ok]
    pairs, inverse = np.unique(key, return_inverse=True)
    valued = np.zeros(len(pairs), dtype=bool)
    np.logical_or.at(valued, inverse, np.asarray(has_value)[ok])
    pair_p, pair_c = pairs // n, pairs % n
    unit_of_pair = cu_text[pair_c].copy()
    ok_rows = np.flatnonzero(ok)

    def rows_of(j: int) -> list[int]:
        return (ok_rows[inverse == j] + 1).tolist()

    for p in np.unique(pair_p):
        day = max(pdates[p], FIRST_DAY)
        label = str(pu[p])
        idx = np.flatnonzero(pair_p == p)
        index_of: dict[str, int] = {cu_text[pair_c[j]]: int(j) for j in idx}
        former: dict[str, tuple[str, tuple[str, ...]]] = {}
        for code in index_of:
            unit, parts = _version_at(code, day)
            if unit != code:
                former[code] = (unit, parts)
        absorbed = _absorbed_at(day)
        early_units = {c for c, j in index_of.items() if valued[j] and c in absorbed}
        for code, (unit, parts) in former.items():
            j = index_of[code]
            recalculated = sorted(c for c in parts if c != code and c in early_units)
            if recalculated and len(parts) > 1:
                names = ", ".join(cat.describe(c) for c in recalculated)
                rows = rows_of(j)
                decisions.append(
                    Issue(
                        "period",
                        f"{cat.describe(code)}, {label}",
                        rows[:MAX_ROWS],
                        len(rows),
                        column,
                        f"read as today's extent, not {unit}, because the table also gives {names} for this "
                        "period (figures recalculated for today's units)",
                    )
                )
                continue
            unit_of_pair[j] = unit
        for code in sorted(early_units):
            rows = rows_of(index_of[code])
            decisions.append(
                Issue(
                    "period",
                    f"{cat.describe(code)}, {label}",
                    rows[:MAX_ROWS],
                    len(rows),
                    column,
                    f"not a unit of its own then (part of {absorbed[code]}); its figure is read as recalculated "
                    "for today's extent",
                )
            )
    units = np.full(len(cid), None, dtype=object)
    known = cid >= 0
    units[known] = cu_text[cid[known]]
    units[ok] = unit_of_pair[inverse]
    return pd.Series(pd.array(units, dtype="string"), index=codes.index, name="unit_id"), decisions, notes


def territory_note(codes: pd.Series) -> str | None:
    """The one note for a table without a period that has units whose territory changed, or None."""
    changed = changed_territory()
    here = sorted({str(c) for c in codes.dropna().unique()} & set(changed))
    if not here:
        return None
    cat = catalog()
    what = "; ".join(
        f"{cat.describe(c)} (before {', '.join(sorted({end for _, end in changed[c] if end}))} it was "
        f"{' / '.join(u for u, _ in changed[c])})"
        for c in here
    )
    return (
        f"no period column: rows of units whose territory changed are read as today's units: {what}; if the "
        "figures are from before, give the period: read_table(..., period='year') (CLI: --period COL)"
    )
