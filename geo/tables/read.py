"""The user's attribute tables: read any CSV/Excel/Parquet table, resolve its region keys, report every problem.

:func:`read_table` returns the table with a ``code`` column (current ISO 3166-2 code, ``<NA>`` where a key could
not be resolved) and a :class:`JoinReport` that names, for every problem, the file, the row, the column, the value
and a suggestion. Nothing is dropped silently: rows whose key is unknown or ambiguous stay in the table without a
code, cells that are not numbers stay missing and are listed.

Resolution is vectorised: the region column is factorized and each distinct spelling is resolved once through
the catalogue (:mod:`geo.catalog`), then mapped back to the rows.

Ambiguous names may be settled by the table's context (the rule is in :mod:`geo.tables.resolution`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import TableError
from geo.tables.numbers import INFINITE_HINT, MISSING, parse_numbers
from geo.tables.periods import find_period_column, period_dates, territory_note, units_at_dates
from geo.tables.reading import read_source, tidy_columns
from geo.tables.report import JoinReport, issues_by_value
from geo.tables.resolution import classify_column, duplicates, find_region_column
from geo.tables.totals import compare_totals
from geo.tables.workbook import sheet_hint


def read_table(  # noqa: PLR0913  (public: keyword-only options, one per CLI table option)
    source: str | Path | pd.DataFrame,
    region: str | None = None,
    *,
    keys: Sequence[str] = (),
    numeric: Sequence[str] | None = None,
    country: str | None = None,
    strict: bool = False,
    context: bool = True,
    unique: bool = True,
    decimal: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    period: str | bool | None = None,
    skip_rows: int | None = None,
) -> tuple[pd.DataFrame, JoinReport]:
    """Read a user's table (CSV, Excel, Parquet or a DataFrame) and resolve its region column to codes.

    Parameters
    ----------
    source
        Path of a CSV/TSV/TXT (any of ``, ; tab |`` as delimiter, UTF-8, UTF-16 or Windows-1251),
        an Excel workbook (``.xlsx``), a Parquet file, or a DataFrame.
    region
        Column holding region names or codes; by default a column named like ``region``/``code``/``oblast``/
        ``регион``…, else the column whose values resolve best.
    keys
        Further key columns (e.g. ``["year"]``) of a long table with several rows per region: duplicates are
        judged on ``code`` + ``keys``.
    numeric
        Columns to parse as numbers; by default every column (other than region and keys) whose non-empty
        cells are mostly numbers. Cells that do not parse are reported, never coerced silently.
    country
        ``"RU"`` or ``"KZ"`` to resolve names in one country only.
    strict
        Raise :class:`~geo.errors.TableError` (with the report as ``.report``) when the report has problems;
        by default the table and the report are returned and the caller decides.
    context
        Let the table's context settle ambiguous names (see the module docstring); every decision is reported.
    unique
        Check that ``code`` + ``keys`` identify each row (duplicates are problems). Pass ``False`` for
        record-level tables (one row per declaration, enterprise…) that ``join(..., many="aggregate")``
        combines.
    decimal
        ``","`` or ``"."`` to fix the decimal separator of the numeric columns (inferred by default).
    delimiter, encoding
        Override the CSV delimiter sniffing and the UTF-8/cp1251 detection.
    sheet
        Excel sheet name or index (the first sheet by default). When the sheet read has no region column,
        the message names the workbook's sheets that have one.
    skip_rows
        Lines of a CSV (or rows of a sheet) above the header, such as a title; a workbook's header row is
        found by default (the first row with two filled cells), and header rows over two or three rows (a
        year over its measures) are joined into one name per column ("2021 turnover").
    period
        Column of the period each row is for (a year or a date; see :mod:`geo.tables.periods`): each row
        resolves to the unit valid at its date ("East Kazakhstan" 2019 is ``KZ-63@1997``, today's KZ-63 and
        KZ-10). By default a column named "year", "Год", "Жыл", "date", "period", … whose cells read as years or
        dates; ``False`` for none. The period is always a key: never summed, never a numeric column.

    Returns
    -------
    (pandas.DataFrame, JoinReport)
        The table with a ``code`` column first (current ISO 3166-2 code, ``<NA>`` where unresolved and on total
        rows), then ``unit_id`` (the unit the row stands for: the code for today's units, e.g. ``KZ-63@1997``
        for a former extent, the aggregate's id such as ``KZ-TOTAL`` on a total row), the numeric columns as
        Float64, every other column as read (``attrs["keys"]`` holds the period and ``keys``, which
        :func:`geo.join` carries through a merge); and the report. Total rows stay in the table; they are listed
        in the report and never joined.

    Raises
    ------
    TableError
        The file is missing, empty, header-only or unreadable, a named column does not exist, no region column
        can be found, or (``strict=True``) the report has problems.
    """
    notes: list[str] = []
    df, label, line_offset = read_source(
        source, sheet=sheet, delimiter=delimiter, encoding=encoding, notes=notes, skip_rows=skip_rows
    )
    try:
        df = tidy_columns(df, notes)
    except TableError as exc:
        msg = f"{label}: {exc}"
        raise TableError(msg) from exc
    if df.empty:
        what = "has a header but no data rows" if len(df.columns) else "is empty"
        msg = f"{label}: the table {what}"
        raise TableError(msg)
    df.columns = [str(c) for c in df.columns]
    try:
        region_col = find_region_column(df, region, label, country)
    except TableError as exc:  # a workbook's first sheet of notes: name the sheets that hold a table
        raise TableError(f"{exc}{sheet_hint(source, sheet)}") from exc
    df, region_col = _keep_own_code(df, region_col, notes)
    df, region_col = _keep_own_unit_id(df, region_col, notes)
    keys, period_col = _with_period(df, list(keys), period, numeric, label, region_col)
    for col in [*keys, *(numeric or [])]:
        if col not in df.columns:
            msg = f"{label}: no column {col!r}; the columns are {', '.join(map(repr, df.columns))}"
            raise TableError(msg)
    report = JoinReport(
        source=label,
        rows=len(df),
        region_column=region_col,
        key_columns=keys,
        period_column=period_col or "",
        line_offset=line_offset,
        notes=notes,
    )

    found = classify_column(df[region_col], column=region_col, country=country, context=context)
    codes, issues = found.codes, found.issues
    report.unknown, report.ambiguous = issues["unknown"], issues["ambiguous"]
    report.missing_region, report.decisions = issues["missing_region"], issues["context"]
    report.aggregates, report.footnotes = issues["aggregate"], issues["footnote"]
    report.readings = issues["resolver_note"]
    report.matched = int(codes.notna().sum())

    candidates = [c for c in df.columns if c != region_col and c not in keys and c != "code"]
    _judge_columns(df, candidates, None if numeric is None else list(numeric), decimal, report)
    units = _units(df, codes, period_col, report)
    # One concat, not two inserts: a wide table's columns were judged one by one, and pandas would warn
    # ("highly fragmented") on every insert into it.
    front = pd.DataFrame(
        {"code": codes, "unit_id": units.mask(found.aggregates.notna(), found.aggregates)}, index=df.index
    )
    df = pd.concat([front, df], axis=1)
    df.attrs["keys"] = list(keys)  # geo.join carries key columns (a year) through a vintage merge
    report.totals = compare_totals(df, found.aggregates, units, report.numeric_columns, keys, region_col)
    if unique:
        report.duplicates = duplicates(df, region_col, keys)
    else:
        report.notes.append("duplicates not checked (unique=False: a table of records)")
    for issue in [*report.problems, *report.information]:
        issue.source, issue.line_offset = label, line_offset
    if strict and not report.ok:
        first = report.problems[0].describe()
        msg = (
            f"{report.summary()}; first problem: {first}; "
            "see the full report with geo check TABLE, or read_table(..., strict=False)"
        )
        raise TableError(msg, report=report)
    return df, report


def _keep_own_code(df: pd.DataFrame, region_col: str, notes: list[str]) -> tuple[pd.DataFrame, str]:
    """``code`` is ours: a table read before gets it recomputed, a table's own ``code`` is kept, renamed."""
    if "code" in df.columns and region_col != "code" and "code_original" in df.columns:
        notes.append("the table's previous 'code' column was recomputed")
        return df.drop(columns="code"), region_col
    if "code" not in df.columns:
        return df, region_col
    new = next(
        n for n in ("code_original", *(f"code_original_{i}" for i in range(2, 99))) if n not in df.columns
    )
    notes.append(f"the table's own column 'code' was renamed {new!r}")
    return df.rename(columns={"code": new}), (new if region_col == "code" else region_col)


def _judge_columns(
    df: pd.DataFrame, candidates: list[str], chosen: list[str] | None, decimal: str | None, report: JoinReport
) -> None:
    """Parse the numeric columns in place and record, per column, numbers, text, empty and bad cells."""
    for col in candidates:
        if chosen is not None and col not in chosen:
            report.text_columns.append(col)
            continue
        original = df[col]
        if pd.api.types.is_numeric_dtype(original) and not pd.api.types.is_bool_dtype(original):
            report.numeric_columns.append(col)  # already numbers (typed file or DataFrame): keep the dtype
            if original.isna().any():
                report.missing_values[col] = int(original.isna().sum())
            values, bad, _ = parse_numbers(original)
            if bad.any():  # inf / -inf (pandas reads "inf" and "Infinity" as numbers): not values
                df[col] = values
                mask = bad.to_numpy()
                report.non_numeric += issues_by_value("non_numeric", original, mask, col, INFINITE_HINT)
            continue
        values, bad, ambiguous = parse_numbers(original, decimal=decimal)
        filled = df[col].notna() & ~df[col].astype(str).str.strip().str.lower().isin(MISSING)
        # "inf", "-Infinity", "1e999" are number-shaped (the column is numeric) but not values: reported.
        infinite = bad & np.isinf(pd.to_numeric(original.astype(str).str.strip(), errors="coerce"))
        numbers = values.notna() | ambiguous | infinite
        if chosen is None and (filled.sum() == 0 or numbers.sum() <= filled.sum() / 2):
            report.text_columns.append(col)
            continue
        df[col] = values
        report.numeric_columns.append(col)
        empty = int((~filled).sum())
        if empty:
            report.missing_values[col] = empty
        for kind, mask, hint in [
            ("non_numeric", bad & ~infinite, "fix the cell or leave it empty"),
            ("non_numeric", infinite, INFINITE_HINT),
            ("ambiguous_number", ambiguous, "pass decimal=',' or decimal='.' (CLI: --decimal)"),
        ]:
            report.non_numeric += issues_by_value(kind, original, mask.to_numpy(), col, hint)


def _keep_own_unit_id(df: pd.DataFrame, region_col: str, notes: list[str]) -> tuple[pd.DataFrame, str]:
    """``unit_id`` is ours, like ``code``: a column of that name in the table is kept beside it, renamed."""
    if "unit_id" not in df.columns:
        return df, region_col
    new = next(
        n
        for n in ("unit_id_original", *(f"unit_id_original_{i}" for i in range(2, 99)))
        if n not in df.columns
    )
    notes.append(f"the table's own column 'unit_id' was renamed {new!r}")
    return df.rename(columns={"unit_id": new}), (new if region_col == "unit_id" else region_col)


def _with_period(
    df: pd.DataFrame,
    keys: list[str],
    period: str | bool | None,
    numeric: Sequence[str] | None,
    label: str,
    region_col: str,
) -> tuple[list[str], str | None]:
    """The keys with the period column first (named or detected), and that column; it is never numeric."""
    period_col = find_period_column(df, period, label, {region_col})
    if period_col is None:
        return keys, None
    if numeric is not None and period_col in numeric:
        msg = f"{label}: {period_col!r} is the period column (a key, never summed); leave it out of numeric"
        raise TableError(msg)
    return ([period_col, *keys] if period_col not in keys else keys), period_col


def _units(df: pd.DataFrame, codes: pd.Series, period_col: str | None, report: JoinReport) -> pd.Series:
    """The unit each row stands for at its period (:mod:`geo.tables.periods`); the code without a period."""
    if period_col is None:
        note = territory_note(codes)
        if note:
            report.notes.append(note)
        return codes.rename("unit_id")
    cells = df[period_col]
    dates = period_dates(cells)
    bad = dates.isna().to_numpy()
    empty = cells.isna().to_numpy() | (cells.astype(str).str.strip() == "").to_numpy()
    report.bad_periods += issues_by_value(
        "bad_period", cells, bad & ~empty, period_col, "write a year (2019) or a date (2022-06-07)"
    )
    if (bad & empty).any():
        report.bad_periods += issues_by_value(
            "bad_period", cells.astype(object).fillna(""), bad & empty, period_col, "fill in the period"
        )
    numbers = [c for c in report.numeric_columns if c in df.columns]
    has_value = df[numbers].notna().any(axis=1).to_numpy() if numbers else np.ones(len(df), dtype=bool)
    units, decisions, notes = units_at_dates(codes, cells, has_value, period_col)
    report.decisions += decisions
    report.notes += notes
    return units
