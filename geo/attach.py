"""Put a table onto regions: the one path from a user's table (or DataFrame) to joined regions.

Every entrance that takes a table — ``geo join``, ``geo map --data``, ``geo export --data``, :func:`geo.build_map`,
:func:`geo.export` — goes through :func:`attach`, so reading options, strictness and messages are the same
everywhere:

1. read and resolve the table (:func:`geo.read_table`, with :class:`TableOptions`);
2. judge the report with one policy: ``strict=True`` (the default) refuses a table whose report has any problem
   (unknown, ambiguous or missing regions, duplicated keys, cells that are not numbers) with a
   :class:`~geo.errors.TableError` carrying the report; ``strict=False`` (CLI ``--lenient``) leaves out the rows
   without a region code and says so in a warning;
3. join it onto the regions (:func:`geo.join`, vintage-aware): a polygon that combines units whose table rows
   lack a part gets no values (never a partial sum) and a ``missing_part`` problem in the report, so a strict
   join refuses it and a lenient one warns.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import GeoInputError, TableError
from geo.join import join
from geo.merged import Aggregation
from geo.tables import Issue, JoinReport, read_table
from geo.tables.report import MAX_ROWS

__all__ = ["Attached", "TableOptions", "attach", "check", "rows_with_code"]

#: What a table can be given as: a path (CSV/TSV, .xlsx, Parquet) or a DataFrame.
TableSource: TypeAlias = str | Path | pd.DataFrame


@dataclass(frozen=True)
class TableOptions:
    """How a table is read and put onto regions: one set of options for every command.

    Reading (see :func:`geo.read_table`): ``region``, ``keys``, ``numeric``, ``country``, ``context``,
    ``decimal``, ``delimiter``, ``encoding``, ``sheet``, ``skip_rows``, ``period`` (the period column: each row
    resolves to the unit valid at its date; detected by default, ``False`` for none). Joining (see
    :func:`geo.join`): ``where``, ``pivot``,
    ``many``, ``additive``, ``aggregate``. ``strict`` is the one strictness policy (module docstring).
    """

    region: str | None = None
    keys: Sequence[str] = ()
    numeric: Sequence[str] | None = None
    country: str | None = None
    context: bool = True
    decimal: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | int | None = None
    period: str | bool | None = None
    skip_rows: int | None = None
    where: Mapping[str, object] | None = None
    pivot: str | None = None
    many: str = "error"
    additive: Sequence[str] = ()
    aggregate: Mapping[str, Aggregation] = field(default_factory=dict)
    strict: bool = True

    def read(self, source: TableSource) -> tuple[pd.DataFrame, JoinReport]:
        """Read and resolve ``source`` with these options (the report is returned, not judged)."""
        return read_table(
            source,
            self.region,
            keys=list(self.keys),
            numeric=None if self.numeric is None else list(self.numeric),
            country=self.country,
            context=self.context,
            decimal=self.decimal,
            unique=self.many != "aggregate",
            delimiter=self.delimiter,
            encoding=self.encoding,
            sheet=self.sheet,
            period=self.period,
            skip_rows=self.skip_rows,
        )


@dataclass
class Attached:
    """The result of :func:`attach`.

    ``regions`` are the joined regions; ``table`` the table as read (with its ``code`` column, rows without a
    code included); ``report`` the join report; ``left_out`` how many rows were left out for having no region
    code (always 0 when strict); ``with_data`` how many of the joined polygons hold at least one value of the
    table (after ``where``, ``pivot`` and the vintage merge).
    """

    regions: gpd.GeoDataFrame
    table: pd.DataFrame
    report: JoinReport
    left_out: int
    with_data: int


def check(report: JoinReport, *, strict: bool) -> None:
    """Apply the strictness policy to a report: raise :class:`TableError` when strict and not clean."""
    if strict and not report.ok:
        first = report.problems[0].describe()
        msg = f"{report.summary()}; first problem: {first}; see the full report with geo check TABLE, " + (
            "or join anyway with strict=False (CLI: --lenient): such polygons get no values, never a partial sum"
            if report.problems[0].kind == "missing_part"
            else "or join anyway leaving those rows out with strict=False (CLI: --lenient)"
        )
        raise TableError(msg, report=report)


def rows_with_code(table: pd.DataFrame, report: JoinReport) -> tuple[pd.DataFrame, int]:
    """The rows that have a region code, and how many were left out (said in a warning: the lenient policy)."""
    absent = table["code"].isna()
    if "unit_id" in table.columns:  # total rows have no code on purpose: listed in the report, never joined
        absent &= table["unit_id"].isna()
    missing = int(absent.sum())
    if missing:
        warnings.warn(
            f"{report.summary()}; joined anyway (lenient), leaving out {missing} row(s) without a region code",
            stacklevel=3,
        )
        table = table[~absent]
    return table, missing


def attach(
    regions: gpd.GeoDataFrame,
    source: TableSource,
    *,
    options: TableOptions | None = None,
    how: str = "left",
    columns: Sequence[str] | None = None,
    prepared: tuple[pd.DataFrame, JoinReport] | None = None,
    **overrides: object,
) -> Attached:
    """Read a table, judge its report with one policy and join it onto ``regions``.

    Parameters
    ----------
    regions
        Region polygons with a ``code`` column (:func:`geo.regions` or a user's boundaries).
    source
        Table path (CSV/TSV, ``.xlsx``, Parquet) or DataFrame with a region column in any spelling.
    options
        Reading and joining options (:class:`TableOptions`); ``overrides`` replace single fields, e.g.
        ``attach(r, "t.csv", keys=["year"], where={"year": 2021})``.
    how, columns
        As in :func:`geo.join`.
    prepared
        ``options.read(source)`` already done by the caller (e.g. to choose a column from the report): the
        table is not read twice.

    Returns
    -------
    Attached
        The joined regions, the table as read, its report and the counts of rows left out and regions with
        data.

    Raises
    ------
    TableError
        Unreadable table, or (strict) a report with problems; the error's ``report`` holds the full report.
    GeoInputError
        Join options that do not fit the table (see :func:`geo.join`).
    """
    options = options or TableOptions()
    if overrides:
        unknown = sorted(set(overrides) - set(TableOptions.__dataclass_fields__))
        if unknown:
            msg = f"attach: unknown option(s) {', '.join(unknown)}"
            raise GeoInputError(msg)
        options = replace(options, **overrides)  # type: ignore[arg-type]
    everything, report = prepared if prepared is not None else options.read(source)
    check(report, strict=options.strict)
    table, missing = rows_with_code(everything, report)
    joined = join(
        regions,
        table,
        how=how,
        columns=columns,
        where=options.where,
        pivot=options.pivot,
        many=options.many,
        additive=options.additive,
        aggregate=options.aggregate,
    )
    report.partial = partial_issues(joined.attrs.get("partial", {}), joined, everything, report)
    if report.partial:
        if options.strict:
            check(report, strict=True)
        warnings.warn(
            f"{report.summary()}; {len(report.partial)} polygon(s) left without values, never a partial sum: "
            + "; ".join(i.value for i in report.partial),
            stacklevel=2,
        )
    return Attached(joined, everything, report, missing, polygons_with_data(joined, regions))


def partial_issues(
    partial: Mapping[str, list[str]], joined: gpd.GeoDataFrame, table: pd.DataFrame, report: JoinReport
) -> list[Issue]:
    """One ``"missing_part"`` problem per polygon left without values because a part has no row."""
    from geo.catalog import catalog

    cat = catalog()
    out = []
    units = joined.set_index("code")["merged_units"] if "merged_units" in joined.columns else pd.Series()
    for polygon, missing in sorted(partial.items()):
        here = set(units.get(polygon, ()) or ()) | {polygon}
        rows = (np.flatnonzero(table["code"].isin(list(here)).to_numpy()) + 1).tolist()
        names = ", ".join(cat.describe(c) for c in missing)
        issue = Issue(
            "missing_part",
            f"{cat.describe(polygon)} (no row for {names})",
            rows[:MAX_ROWS],
            len(rows),
            report.region_column,
            f"its polygon also covers {names}; add the missing row(s), or use boundaries in which each unit has "
            "its own polygon (a part is never shown as the total)",
            report.source,
            report.line_offset,
        )
        out.append(issue)
    return out


def polygons_with_data(joined: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> int:
    """How many rows of ``joined`` hold a value in at least one of the table's columns.

    Counted on the joined polygons themselves, after ``where``/``pivot`` and the vintage merge: a table's rows
    for other years, or for a unit merged onto a polygon that lacks one of its parts, do not count.
    """
    added = [
        c for c in joined.columns if c not in regions.columns and c not in ("merged_units", "merged_note")
    ]
    if not added:
        return 0
    return int(joined[added].notna().any(axis=1).sum())
