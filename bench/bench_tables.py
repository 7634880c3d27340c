"""Benchmark: reading hostile table shapes (issue 9): wide tables and a huge cell.

    python bench/bench_tables.py          # or: python bench/run.py tables

Columns: a CSV of 3 rows and 2,500 to 20,000 numeric columns, read with ``read_table``; the figure to watch is the
time per column, which stays flat when the cost is linear in columns (before issue 9, tidying the header was
quadratic: 95 s for 10,000 columns). Huge cell: an 18 MB cell is refused (it exceeds a spreadsheet cell) instead of
being resolved and printed in the report (32 s and an 18 MB report before issue 9).
"""

from __future__ import annotations

import tempfile
import time
import warnings
from pathlib import Path

from geo.errors import TableError
from geo.tables import read_table

WIDTHS = [2_500, 5_000, 10_000, 20_000]


def wide(path: Path, n: int) -> Path:
    header = ",".join(["region", *(f"c{i}" for i in range(n))])
    body = "\n".join(",".join([r, *map(str, range(n))]) for r in ["Omsk", "Aktobe", "Kostanay"])
    path.write_text(f"{header}\n{body}\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in WIDTHS:
            path = wide(folder / f"wide{n}.csv", n)
            start = time.perf_counter()
            read_table(path)
            took = time.perf_counter() - start
            print(f"{n:>7,} columns: {took:6.2f} s  ({took / n * 1e6:6.0f} µs per column)", flush=True)
        big = folder / "bigcell.csv"
        big.write_text("region,v\nOmsk,1\n" + "x" * 18_000_000 + ",2\n", encoding="utf-8")
        start = time.perf_counter()
        try:
            read_table(big)
        except TableError as exc:
            print(f"18 MB cell: refused in {time.perf_counter() - start:.2f} s ({str(exc)[:90]}…)")
