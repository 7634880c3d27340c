"""How much of the cross-border region the shipped trade table covers, and the turnover a map can show.

``data/attributes/trade.csv`` holds one row per source statement. For a map of "turnover with the other
country", only some rows qualify: a region row (``scope == "region"``) with ``measure == "turnover"``, a full
calendar year (``period_type == "year"``), a value, and the other country as partner (a Russian region with
``KZ``, a Kazakh unit with ``RU``). :func:`trade_coverage` counts those rows per unit and year;
:func:`turnover_for_map` picks the year that covers the most units (the latest such year on a tie) and returns
its rows. Disagreeing sources are never merged: a unit with two statements for the year gets two rows, both
flagged ``conflict``, and the caller decides how to show them. :func:`search_log` reads what was searched and
not found, so an empty unit can say "searched, not found".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.attributes import _read, trade
from geo.catalog import catalog
from geo.errors import GeoInputError, shipped_data

__all__ = [
    "COVERAGE_YEARS",
    "coverage_markdown",
    "coverage_units",
    "search_log",
    "trade_coverage",
    "turnover_for_map",
]

#: The years the coverage table reports (issue 12: 2015-2025).
COVERAGE_YEARS: tuple[int, ...] = tuple(range(2015, 2026))

_OTHER = {"RU": "KZ", "KZ": "RU"}
_LOG_RESULTS = {"found", "partial", "not_found"}


def coverage_units() -> list[str]:
    """The 32 units the tool is about: the Russian border regions and every current Kazakh unit.

    Returns
    -------
    list of str
        Catalogue codes, Russian border regions first, each group in code order.
    """
    table = catalog().table
    border = table["border"].astype(str).str.lower().eq("true")
    ru = sorted(table.index[border & table["country"].eq("RU")])
    kz = sorted(table.index[table["country"].eq("KZ")])
    return ru + kz


def _full_year_turnover(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows that state a full-year turnover of one unit with the other country."""
    country = rows["region"].str[:2]
    partner_ok = rows["partner"].eq(country.map(_OTHER))
    keep = (
        rows["scope"].eq("region")
        & rows["measure"].eq("turnover")
        & rows["period_type"].eq("year")
        & rows["period"].str.fullmatch(r"\d{4}")
        & rows["value"].notna()
        & partner_ok
    )
    out = rows[keep].copy()
    out["year"] = out["period"].astype(int)
    return out


def _trade_rows(directory: str | Path | None) -> pd.DataFrame:
    rows = trade(directory=directory)
    for col in ("scope", "measure", "region", "partner", "period", "period_type"):
        if col not in rows.columns:
            msg = f"trade.csv: column {col!r} is needed to compute coverage (see data/attributes/README.md)"
            raise GeoInputError(msg)
    return rows


@shipped_data
def trade_coverage(*, directory: str | Path | None = None) -> pd.DataFrame:
    """Unit × year table of full-year turnover statements with the other country.

    Parameters
    ----------
    directory
        Folder holding ``trade.csv``; the shipped ``data/attributes/`` by default.

    Returns
    -------
    pandas.DataFrame
        Index: the 32 unit codes of :func:`coverage_units`. Columns: ``name_en``, one integer column per year
        of :data:`COVERAGE_YEARS` (how many source statements give that unit's full-year turnover with the
        other country; 0 = none), ``years`` (number of years with at least one statement) and ``rows_any``
        (all rows of any measure or period for the unit, so "no full-year figure" and "nothing at all" differ).
    """
    rows = _trade_rows(directory)
    full = _full_year_turnover(rows)
    units = coverage_units()
    counts = (
        full[full["year"].isin(COVERAGE_YEARS)]
        .groupby(["region", "year"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=units, columns=list(COVERAGE_YEARS), fill_value=0)
        .astype(int)
    )
    counts.columns = [int(c) for c in counts.columns]
    table = catalog().table
    out = pd.DataFrame(
        {"name_en": table.loc[units, "name_en"].to_numpy()}, index=pd.Index(units, name="code")
    )
    out = out.join(counts)
    out["years"] = (counts > 0).sum(axis=1)
    involved = pd.concat([rows["region"], rows["partner"]])
    out["rows_any"] = [int(involved.eq(code).sum()) for code in units]
    return out


@shipped_data
def turnover_for_map(year: int | None = None, *, directory: str | Path | None = None) -> pd.DataFrame:
    """Full-year turnover with the other country for one year, ready to join onto regions.

    Parameters
    ----------
    year
        The year to show. ``None`` picks the year that covers the most units, the latest one on a tie.
    directory
        Folder holding ``trade.csv``; the shipped ``data/attributes/`` by default.

    Returns
    -------
    pandas.DataFrame
        One row per source statement for that year: ``code``, ``year``, ``value``, ``qualifier``, ``currency``,
        ``unit``, ``value_usd_mn``, ``reporting_side``, ``reported_by``, ``source``, ``url``, ``id`` and
        ``conflict`` (True when the unit has more than one statement for the year: show both, never one
        silently). ``attrs["year"]`` and ``attrs["units"]`` hold the year and the number of units covered;
        the table is empty (``attrs["units"] == 0``) when no unit has a figure.
    """
    full = _full_year_turnover(_trade_rows(directory))
    if year is None and not full.empty:
        per_year = full.groupby("year")["region"].nunique()
        best = per_year.max()
        year = int(per_year[per_year.eq(best)].index.max())
    columns = ["code", "year", "value", "qualifier", "currency", "unit", "value_usd_mn", "reporting_side"]
    columns += ["reported_by", "source", "url", "id", "conflict"]
    sel = (
        full[full["year"].eq(year)].rename(columns={"region": "code"}) if year is not None else full.iloc[0:0]
    )
    sel = sel.assign(conflict=sel.groupby("code")["code"].transform("size").gt(1) if len(sel) else False)
    for col in columns:
        if col not in sel.columns:
            sel[col] = ""
    out = sel[columns].sort_values(["code", "id"]).reset_index(drop=True)
    out.attrs["year"] = year
    out.attrs["units"] = int(out["code"].nunique())
    return out


def _marks(rows: pd.DataFrame) -> dict[tuple[str, int], str]:
    """Letter per (unit, year) for what exists besides a full-year turnover: ``m``, ``x``, ``g`` or ``s``."""
    country = rows["region"].str[:2]
    rows = rows[rows["scope"].eq("region") & rows["partner"].eq(country.map(_OTHER))]
    rows = rows[rows["period"].str.match(r"\d{4}")]
    years = rows["period"].str[:4].astype(int)
    kinds = [
        ("m", rows["measure"].eq("turnover") & rows["value"].notna()),
        ("x", rows["measure"].isin(["export", "import"]) & rows["value"].notna()),
        ("g", rows["measure"].str.endswith("_growth")),
        ("s", rows["measure"].eq("share_of_foreign_trade")),
    ]
    marks: dict[tuple[str, int], str] = {}
    for letter, keep in reversed(kinds):  # earlier letters win
        for code, year in zip(rows.loc[keep, "region"], years[keep], strict=True):
            marks[(code, int(year))] = letter
    return marks


def coverage_markdown(*, directory: str | Path | None = None) -> str:
    """The unit × year coverage table of ``data/attributes/README.md`` as Markdown.

    Parameters
    ----------
    directory
        Folder holding ``trade.csv``; the shipped ``data/attributes/`` by default.

    Returns
    -------
    str
        One header row, one separator row and one row per unit of :func:`coverage_units`. A number is how many
        statements give the unit's full-year turnover with the other country for that year (two = two sources,
        shipped side by side). Without one: ``m`` = a turnover figure for some months of that year, ``x`` = an
        export or import figure only, ``g`` = a growth rate only, ``s`` = a share only, ``·`` = nothing. The last
        two columns are :func:`trade_coverage`'s ``years`` and ``rows_any``. Ends with a newline.
    """
    cov = trade_coverage(directory=directory)
    marks = _marks(_trade_rows(directory))
    years = list(COVERAGE_YEARS)
    lines = [
        "| unit | " + " | ".join(map(str, years)) + " | full years | other rows |",
        "|---" * (len(years) + 3) + "|",
    ]
    for code, row in cov.iterrows():
        cells = [str(row[y]) if row[y] > 0 else marks.get((str(code), y), "·") for y in years]
        lines.append(
            f"| {code} {row['name_en']} | " + " | ".join(cells) + f" | {row['years']} | {row['rows_any']} |"
        )
    return "\n".join(lines) + "\n"


@shipped_data
def search_log(*, directory: str | Path | None = None) -> pd.DataFrame:
    """What was searched for which unit, and whether a figure was found (``search_log.csv``).

    Parameters
    ----------
    directory
        Folder holding ``search_log.csv``; the shipped ``data/attributes/`` by default.

    Returns
    -------
    pandas.DataFrame
        The columns of ``search_log.csv`` as plain strings: ``unit`` (a code, several codes separated by
        ``;``, or a topic such as ``forums``), ``topic``, ``query``, ``language``, ``source`` (the collection
        searched), ``result``
        (``found``, ``partial`` or ``not_found``), ``finding`` (row ids or what was learnt) and ``date``.
    """
    df, path = _read(
        "search_log.csv",
        directory,
        ["unit", "query", "result"],
        ["topic", "language", "source", "finding", "date"],
    )
    bad = sorted(set(df["result"]) - _LOG_RESULTS)
    if bad:
        msg = f"{path}: column 'result' holds {', '.join(map(repr, bad))}; use one of {', '.join(sorted(_LOG_RESULTS))}"
        raise GeoInputError(msg)
    return df
