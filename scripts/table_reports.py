"""The join report of every real table kept in tests/data/ (issue 11): totals, footnotes, periods, notes.

For the label/value fixtures (header comments skipped, our ``expected`` column dropped) and the multi-year series:
one summary line per table, then each total's comparison with its parts, the period decisions and the notes.

    PYTHONPATH=$PWD python scripts/table_reports.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import geo

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def main() -> None:
    tables = [
        (
            p.name,
            pd.read_csv(p, comment="#", dtype=str, keep_default_na=False).drop(columns="expected"),
            "label",
        )
        for p in sorted(DATA.glob("*.csv"))
    ]
    tables += [(f"series/{p.name}", pd.read_csv(p), None) for p in sorted((DATA / "series").glob("*.csv"))]
    for name, df, region in tables:
        _, report = geo.read_table(df, region)
        print(f"{name}: {report.summary().split(': ', 1)[1]}; period: {report.period_column or '-'}")
        for issue in report.footnotes:
            print(f"  footnote: {issue.value!r} x{issue.count}: {issue.suggestion}")
        for issue in report.totals:
            print(f"  total {issue.value.replace(chr(10), ' ')!r}: {issue.suggestion}")
        for issue in report.decisions:
            print(f"  decision: {issue.value}: {issue.suggestion}")
        for note in report.notes:
            print(f"  note: {note}")
        print(f"  {'OK' if report.ok else 'problems: ' + str(len(report.problems))}")


if __name__ == "__main__":
    main()
