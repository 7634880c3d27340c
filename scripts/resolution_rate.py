"""Resolution rate of the real published tables kept as fixtures in tests/data/ (issue 11, item 3).

For every fixture: rows whose label resolves to the expected unit (region rows) or is recognised as the expected
aggregate (aggregate rows), out of all rows. Regions are resolved as a table would resolve them
(:func:`geo.tables.resolve_column`, context rule included); aggregates through :meth:`Catalog.classify_all` when the
catalogue has it (before issue 11 it had not: every aggregate row then counts as not recognised).

    PYTHONPATH=$PWD python scripts/resolution_rate.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import geo
from geo.tables import resolve_column

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "data"


def rate(path: Path) -> tuple[int, int, list[str]]:
    """(rows right, rows, labels not right) for one fixture."""
    df = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    codes, _ = resolve_column(df["label"], column="label")
    cat = geo.catalog()
    classified = cat.classify_all(df["label"]) if hasattr(cat, "classify_all") else {}
    ok, wrong = 0, []
    for label, expected, code in zip(df["label"], df["expected"], codes, strict=True):
        if expected.startswith("agg:"):
            res = classified.get(label)
            good = res is not None and res.status == "aggregate" and res.aggregate.id == expected[4:]
        else:
            res = classified.get(label)
            # A bare name that the table shows to be an aggregate must not count as its region.
            good = (not pd.isna(code)) and code == expected and (res is None or res.status == "region")
        ok += good
        if not good:
            wrong.append(label)
    return ok, len(df), wrong


def main() -> None:
    total_ok = total = 0
    for path in sorted(FIXTURES.glob("*.csv")):
        ok, n, wrong = rate(path)
        total_ok += ok
        total += n
        print(f"{path.name:36} {ok:3}/{n:<3} {100 * ok / n:5.1f} %  not right: {wrong}")
    print(f"{'all':36} {total_ok:3}/{total:<3} {100 * total_ok / total:5.1f} %")


if __name__ == "__main__":
    main()
