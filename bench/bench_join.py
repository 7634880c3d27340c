"""Benchmark: read_table + join, and locate, on 10^4, 10^5 and 10^6 generated rows.

    python bench/bench_join.py            # or: python bench/run.py join

The table has random spellings of the regions (catalogue names in English, Russian and Kazakh, aliases, legacy
codes, with case changes and "обл."/"oblast" variants), a year and a value; it is resolved and joined onto the
embedded regions, aggregating the records per region (``many="aggregate"``, ``additive=["value"]``). Points are
uniform random lon/lat over the two countries' bounding box. Figures are rows (points) per second; each size is
run once after a warm-up on the smallest size.
"""

from __future__ import annotations

import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import geo
from geo.join import join
from geo.locate import locate
from geo.tables import read_table

SIZES = [10_000, 100_000, 1_000_000]


def spellings() -> list[str]:
    """Spellings users type, each resolving on its own to exactly one unit."""
    cat = geo.catalog()
    table = cat.table
    base = [
        *table["name_en"],
        *table["name_ru"],
        *table["name_kk"].replace("", np.nan).dropna(),
        *table["code"],
        *[c for c in table["legacy_codes"] if c],
    ]
    aliases = pd.read_csv(
        Path(geo.__file__).parent.parent / "data" / "aliases.csv", dtype=str, keep_default_na=False
    )["alias"]
    names = [*base, *aliases]
    variants = []
    for name in names:
        variants += [
            name,
            name.upper(),
            name.lower(),
            name.replace("область", "обл."),
            name.replace("Region", "oblast"),
        ]
    return sorted({v for v in dict.fromkeys(variants) if len(cat.candidates(v)) == 1})


def table(n: int, words: list[str], rng: np.random.Generator) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": np.asarray(words, dtype=object)[rng.integers(0, len(words), n)],
            "year": rng.integers(2015, 2025, n),
            "value": rng.uniform(0, 1000, n).round(2),
        }
    )


def points(n: int, rng: np.random.Generator) -> pd.DataFrame:
    return pd.DataFrame({"lon": rng.uniform(19.6, 180.0, n), "lat": rng.uniform(40.5, 82.0, n)})


def run_join(regions, df: pd.DataFrame) -> float:
    start = time.perf_counter()
    resolved, report = read_table(df, "region", keys=["year"], unique=False)
    assert report.matched == len(df), report.summary()
    join(regions, resolved[["code", "value"]], many="aggregate", additive=["value"])
    return time.perf_counter() - start


def run_csv(regions, df: pd.DataFrame, folder: Path) -> float:
    path = folder / f"table_{len(df)}.csv"
    df.to_csv(path, index=False)
    start = time.perf_counter()
    resolved, _ = read_table(path, "region", keys=["year"], unique=False)
    join(regions, resolved[["code", "value"]], many="aggregate", additive=["value"])
    return time.perf_counter() - start


def run_locate(regions, pts: pd.DataFrame) -> float:
    start = time.perf_counter()
    with warnings.catch_warnings():
        # Uniform random points over the bounding box: many fall outside and some "look swapped"; that
        # warning is part of the work measured, not something to print at every size.
        warnings.simplefilter("ignore", UserWarning)
        locate(pts, regions=regions)
    return time.perf_counter() - start


def main() -> None:
    rng = np.random.default_rng(42)
    regions = geo.regions()
    words = spellings()
    print(f"{len(words)} distinct spellings; regions: {len(regions)} polygons")
    run_join(regions, table(1000, words, rng))  # warm-up: imports, catalogue cache
    run_locate(regions, points(1000, rng))
    print(
        f"{'rows':>10} {'read_table+join (DataFrame)':>30} {'read_table+join (CSV file)':>30} {'locate':>22}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            df = table(n, words, rng)
            t_join = run_join(regions, df)
            t_csv = run_csv(regions, df, Path(tmp))
            t_loc = run_locate(regions, points(n, rng))
            print(
                f"{n:>10,} {t_join:>8.2f} s {n / t_join:>12,.0f} rows/s {t_csv:>8.2f} s "
                f"{n / t_csv:>12,.0f} rows/s {t_loc:>6.2f} s {n / t_loc:>10,.0f} pts/s",
                flush=True,
            )


if __name__ == "__main__":
    main()
