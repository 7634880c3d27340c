"""Benchmark: locate against a plain sjoin, and locate in memory, streamed from Parquet and on dask.

    python bench/bench_locate.py                 # everything (or: python bench/run.py locate)
    python bench/bench_locate.py sjoin           # locate vs geopandas.sjoin(predicate="within"), 10^6 points
    python bench/bench_locate.py stream 1e7      # 10^6 and 10^7 points: in memory, streamed, dask

Points are uniform random lon/lat over Kazakhstan's bounding box (46.4–87.4 E, 40.5–55.5 N), seeded. ``sjoin``
runs both on the same points in one process, in alternation (best of three each), checks that they give the
same region for every point and prints the ratio. The other figures run each engine in a fresh subprocess and
report its wall time and peak memory (``ru_maxrss`` of the child): in memory (``geo.locate`` on the whole
frame), streaming (:func:`geo.stream.locate_file`, Parquet in and out) and dask (:func:`geo.distributed.locate`
on a local cluster, Parquet in and out).
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
KZ_BOX = (46.4, 87.4, 40.5, 55.5)


def points(n: int, seed: int = 42) -> pd.DataFrame:
    """``n`` uniform random points over Kazakhstan's bounding box."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"lon": rng.uniform(*KZ_BOX[:2], n), "lat": rng.uniform(*KZ_BOX[2:], n)})


def bench_sjoin(n: int = 1_000_000, repeat: int = 3) -> None:
    """locate vs a plain sjoin(within) on the same points, alternating, best of ``repeat``."""
    import geo
    from geo.locate import locate

    regions = geo.regions()
    pts = points(n)
    warnings.simplefilter("ignore", UserWarning)  # random points outside "look swapped": part of the work
    locate(pts.head(1000), regions=regions)  # warm-up: imports, engine
    t_loc, t_sj = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        out = locate(pts, regions=regions)
        t_loc.append(time.perf_counter() - start)
        start = time.perf_counter()
        gdf = gpd.GeoDataFrame(pts, geometry=gpd.points_from_xy(pts["lon"], pts["lat"]), crs="EPSG:4326")
        ref = gpd.sjoin(gdf, regions[["code", "geometry"]], predicate="within", how="left")
        t_sj.append(time.perf_counter() - start)
    same = out["code"].fillna("-").to_numpy() == ref["code"].fillna("-").to_numpy()
    print(f"{n:,} points over Kazakhstan, {len(regions)} regions; best of {repeat}")
    print(
        f"  geo.locate                    {min(t_loc):6.2f} s   (all runs: {', '.join(f'{t:.2f}' for t in t_loc)})"
    )
    print(
        f"  geopandas.sjoin(within)       {min(t_sj):6.2f} s   (all runs: {', '.join(f'{t:.2f}' for t in t_sj)})"
    )
    print(
        f"  ratio locate/sjoin            {min(t_loc) / min(t_sj):6.2f}   same region for every point: {same.all()}"
    )


def main(argv: list[str]) -> None:
    """Run the parts named in ``argv`` (all by default)."""
    parts = [a for a in argv if not a[0].isdigit()] or ["sjoin"]
    if "sjoin" in parts:
        bench_sjoin()


if __name__ == "__main__":
    main(sys.argv[1:])
