"""The join report: every problem (and every decision) found while reading a table, by row and value.

:class:`JoinReport` is what :func:`geo.read_table` returns beside the table; each :class:`Issue` names the file,
the rows, the column, the value and a suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import EllipsisType

import numpy as np
import pandas as pd

from geo.tables.cells import shorten

#: How many rows an issue lists before it only counts them.
MAX_ROWS = 10
#: How many issues of one kind ``str(report)`` shows (the lists hold them all).
MAX_SHOWN = 50
#: At most this many distinct bad values are listed per column and kind; the rest are counted in one issue.
MAX_VALUES = 50


@dataclass
class Issue:
    """One problem (or one decision) found in a table, for one distinct value.

    ``rows`` are 1-based data rows (the first row under the header is row 1); ``count`` is the number of rows
    concerned (``rows`` lists at most :data:`MAX_ROWS` of them).
    """

    # problems: unknown | ambiguous | missing_region | duplicate | non_numeric | ambiguous_number | bad_period |
    # missing_part; information: context | period | aggregate | footnote | resolver_note | total_check
    kind: str
    value: str
    rows: list[int]
    count: int
    column: str = ""
    suggestion: str = ""
    source: str = ""  # the file (or "<DataFrame>") the issue was found in
    line_offset: int | None = None  # data row r is file line r + line_offset (None: no file lines)

    def __str__(self) -> str:
        return self.describe(source="")

    def describe(self, source: str | None = None, line_offset: int | EllipsisType | None = ...) -> str:
        """One line: ``file: row 3 (line 4), column 'region': 'Kostanaj' is unknown; did you mean …``.

        ``source`` and ``line_offset`` default to the issue's own.
        """
        source = self.source if source is None else source
        line_offset = self.line_offset if line_offset is ... else line_offset
        shown = ", ".join(map(str, self.rows))
        more = f" and {self.count - len(self.rows)} more" if self.count > len(self.rows) else ""
        where = f"row{'s' if self.count > 1 else ''} {shown}{more}"
        if line_offset is not None and self.rows:
            lines = ", ".join(str(r + line_offset) for r in self.rows)
            where += f" (line{'s' if len(self.rows) > 1 else ''} {lines})"
        what = {
            "unknown": "is not a known region",
            "ambiguous": "is ambiguous",
            "missing_region": "region is missing",
            "duplicate": "appears more than once",
            "non_numeric": "is not a number",
            "ambiguous_number": "is an ambiguous number (thousands separator or decimal separator?)",
            "context": "was resolved by the table's context",
            "period": "was read at its period",
            "aggregate": "is a total, not a region (not joined)",
            "footnote": "had a footnote marker",
            "resolver_note": "was read with a note",
            "total_check": "total compared with its parts",
            "bad_period": "is not a year or a date",
            "missing_part": "has no value: a part is missing (never a partial sum)",
        }.get(self.kind, self.kind)
        column = f", column {self.column!r}" if self.column else ""
        value = {"missing_region": "", "duplicate": f"{self.value} "}.get(
            self.kind, f"{shorten(self.value)!r} "
        )
        prefix = f"{source}: " if source else ""
        hint = f"; {self.suggestion}" if self.suggestion else ""
        return f"{prefix}{where}{column}: {value}{what}{hint}"


@dataclass
class JoinReport:
    """What happened while reading a table and resolving its region keys.

    ``ok`` is true when no row needs attention: every key resolved to exactly one region, no key (with the
    ``keys`` columns) appears twice, every cell of the numeric columns is a number or empty, every period cell is
    a year or a date, and (after a join, :func:`geo.attach`) no polygon that combines units lacks a part
    (``partial``: never a partial sum).

    Information, not problems: ``decisions`` (context rule; rows read at their period), ``aggregates`` (total
    rows: country totals, federal districts, oblasts with their okrugs; never joined), ``totals`` (each total
    compared with the sum of its parts), ``footnotes`` (markers set aside), ``readings`` (how the resolver read a
    label, e.g. a bare "Тюменская область"), ``missing_values`` (empty numeric cells) and ``notes``.
    """

    source: str
    rows: int = 0
    region_column: str = ""
    key_columns: list[str] = field(default_factory=list)
    numeric_columns: list[str] = field(default_factory=list)
    text_columns: list[str] = field(default_factory=list)
    matched: int = 0
    unknown: list[Issue] = field(default_factory=list)
    ambiguous: list[Issue] = field(default_factory=list)
    missing_region: list[Issue] = field(default_factory=list)
    duplicates: list[Issue] = field(default_factory=list)
    non_numeric: list[Issue] = field(default_factory=list)
    decisions: list[Issue] = field(default_factory=list)
    period_column: str = ""
    bad_periods: list[Issue] = field(default_factory=list)
    partial: list[Issue] = field(default_factory=list)
    aggregates: list[Issue] = field(default_factory=list)
    totals: list[Issue] = field(default_factory=list)
    footnotes: list[Issue] = field(default_factory=list)
    readings: list[Issue] = field(default_factory=list)
    missing_values: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    line_offset: int | None = 1  # data row r is file line r + line_offset (None: not a file with lines)

    @property
    def problems(self) -> list[Issue]:
        """Every issue that needs the user's attention."""
        return [
            *self.unknown,
            *self.ambiguous,
            *self.missing_region,
            *self.duplicates,
            *self.non_numeric,
            *self.bad_periods,
            *self.partial,
        ]

    @property
    def information(self) -> list[Issue]:
        """Every issue that is information, not a problem (decisions, totals, footnotes, readings)."""
        return [*self.decisions, *self.aggregates, *self.totals, *self.footnotes, *self.readings]

    @property
    def ok(self) -> bool:
        """True when the table joins cleanly (no problems)."""
        return not self.problems

    def count(self, kind: str) -> int:
        """Number of rows concerned by issues of one kind (``"unknown"``, ``"duplicate"``, …)."""
        return sum(i.count for i in [*self.problems, *self.information] if i.kind == kind)

    @property
    def counts(self) -> dict[str, int]:
        """Rows concerned, by kind.

        Kinds: matched, unknown, ambiguous, missing_region, duplicate, non_numeric, ambiguous_number,
        bad_period, missing_part, context (resolved by the table's context), period (read at its period),
        aggregate (total rows) and footnote.
        """
        kinds = [
            "unknown",
            "ambiguous",
            "missing_region",
            "duplicate",
            "non_numeric",
            "ambiguous_number",
            "bad_period",
            "missing_part",
            "context",
            "period",
            "aggregate",
            "footnote",
        ]
        return {"rows": self.rows, "matched": self.matched, **{k: self.count(k) for k in kinds}}

    def summary(self) -> str:
        """One line: rows, matched, and the problem counts."""
        parts = [f"{self.rows} rows", f"{self.matched} matched"]
        for kind, label in [
            ("unknown", "unknown"),
            ("ambiguous", "ambiguous"),
            ("missing_region", "without region"),
            ("duplicate", "duplicated"),
            ("non_numeric", "non-numeric cells"),
            ("ambiguous_number", "ambiguous numbers"),
            ("bad_period", "periods that are not dates"),
            ("missing_part", "polygons missing a part"),
            ("aggregate", "totals (not joined)"),
        ]:
            n = self.count(kind)
            if n:
                parts.append(f"{n} {label}")
        if self.count("context"):
            parts.append(f"{self.count('context')} resolved by context")
        return f"{self.source}: " + ", ".join(parts)

    def __str__(self) -> str:
        lines = [self.summary()]
        lines.append(
            f"  region column: {self.region_column!r}"
            + (f"; period: {self.period_column!r}" if self.period_column else "")
            + (f"; keys: {', '.join(self.key_columns)}" if self.key_columns else "")
        )
        if self.numeric_columns:
            lines.append(f"  numeric columns: {', '.join(self.numeric_columns)}")
        if self.text_columns:
            lines.append(f"  other columns (kept as text): {', '.join(self.text_columns)}")
        lines += [f"  note: {n}" for n in self.notes]
        sections = [
            ("unknown regions", self.unknown),
            ("ambiguous regions", self.ambiguous),
            ("rows without a region", self.missing_region),
            ("duplicated keys", self.duplicates),
            ("cells that are not numbers", self.non_numeric),
            ("periods that are not years or dates", self.bad_periods),
            ("polygons missing a part (no value shown: never a partial sum)", self.partial),
            ("decided by the table's context or period", self.decisions),
            ("totals (not regions; not joined)", self.aggregates),
            ("totals compared with the sum of their parts", self.totals),
            ("footnote markers set aside", self.footnotes),
            ("how the names were read", self.readings),
        ]
        for title, issues in sections:
            if issues:
                lines.append(f"  {title}:")
                lines += [f"    {i.describe()}" for i in issues[:MAX_SHOWN]]
                if len(issues) > MAX_SHOWN:
                    lines.append(f"    … and {len(issues) - MAX_SHOWN} more ({title})")
        if self.missing_values:
            empty = ", ".join(f"{c} ({n})" for c, n in self.missing_values.items())
            lines.append(f"  empty numeric cells (kept as missing, not zero): {empty}")
        lines.append(
            "  OK: the table joins cleanly"
            if self.ok
            else f"  {len(self.problems)} problem(s): fix the table, or pass strict=False (CLI: --lenient)"
        )
        return "\n".join(lines)


def issues_by_value(kind: str, original: pd.Series, mask: np.ndarray, column: str, hint: str) -> list[Issue]:
    """One issue per distinct value of ``original`` where ``mask`` is set.

    At most :data:`MAX_VALUES` values get their own issue; the rest are counted in one more.
    """
    positions = np.flatnonzero(mask)
    if positions.size == 0:
        return []
    values = original.iloc[positions].astype(str).to_numpy()
    groups = pd.Series(positions + 1).groupby(values, sort=False)
    issues: list[Issue] = []
    rest_rows: list[int] = []
    rest_count = rest_values = 0
    for value, rows in groups:
        if len(issues) < MAX_VALUES:
            issues.append(Issue(kind, str(value), rows.iloc[:MAX_ROWS].tolist(), len(rows), column, hint))
        else:
            rest_values += 1
            rest_count += len(rows)
            rest_rows += rows.iloc[: MAX_ROWS - len(rest_rows)].tolist() if len(rest_rows) < MAX_ROWS else []
    if rest_values:
        issues.append(
            Issue(kind, f"({rest_values} other values)", sorted(rest_rows), rest_count, column, hint)
        )
    return issues
