"""Benchmark: locate against a plain sjoin, and locate in memory, streamed from Parquet and on dask.

    python bench/bench_locate.py                 # everything (or: python bench/run.py locate)
    python bench/bench_locate.py sjoin           # locate vs geopandas.sjoin(predicate="within"), 10^6 points
    python bench/bench_locate.py scale 1e6 1e7   # in memory, streamed and dask, Parquet in and out
    python bench/bench_locate.py stream 1e7      # one engine (memory, stream, dask) on one size

Points are uniform random lon/lat over Kazakhstan's bounding box (46.4–87.4 E, 40.5–55.5 N), seeded. ``sjoin``
runs both on the same points in one process, in alternation (best of three each), checks that they give the
same region for every point and prints the ratio. The other figures run each engine in a fresh subprocess and
report its wall time and peak memory (``ru_maxrss`` of the child): in memory (``geo.locate`` on the whole
frame), streaming (:func:`geo.stream.locate_file`, Parquet in and out) and dask (:func:`geo.distributed.locate`
on a local cluster, Parquet in and out).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
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


def write_points(folder: Path, n: int, files: int) -> Path:
    """``n`` points as a Parquet dataset of ``files`` files (row groups of 100k), written chunk by chunk."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    per = n // files
    for i in range(files):
        frame = points(per, seed=1000 + i)
        frame["id"] = np.arange(i * per, (i + 1) * per)
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), folder / f"part-{i:03d}.parquet",
                       row_group_size=100_000)  # fmt: skip
    return folder


CHILD = {
    "memory": ("import pandas as pd, geo\npts = pd.read_parquet(SRC)\ngeo.locate(pts).to_parquet(DST)\n"),
    "stream": ("from geo import stream\nstream.locate_file(SRC, DST + '.parquet', batch_rows=500_000)\n"),
    "dask": (
        "from geo import distributed\n"
        "with distributed.cluster(n_workers=2, threads_per_worker=1, processes=False):\n"
        "    distributed.locate_file(SRC, DST + '.parquet')\n"
    ),
}


def run_child(engine: str, src: Path, dst: Path) -> tuple[float, float]:
    """Wall time (s) and peak memory (MB, ru_maxrss) of one engine in a fresh Python process."""
    code = (
        "import resource, time, warnings\n"
        "warnings.simplefilter('ignore')\n"
        f"SRC, DST = {str(src)!r}, {str(dst)!r}\n"
        "start = time.perf_counter()\n"
        f"{CHILD[engine]}"
        "wall = time.perf_counter() - start\n"
        "peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(wall, peak / 1024)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    wall, peak = out.stdout.split()[-2:]
    return float(wall), float(peak)


def bench_scale(sizes: list[int], engines: list[str]) -> None:
    """Each engine on each size, Parquet in and out, in a fresh process: time and peak memory."""
    print(f"{'points':>12} {'engine':>8} {'time':>9} {'points/s':>12} {'peak memory':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            src = write_points(Path(tmp) / f"in{n}", n, files=max(1, n // 500_000))
            for engine in engines:
                wall, peak = run_child(engine, src, Path(tmp) / f"out{n}-{engine}")
                print(f"{n:>12,} {engine:>8} {wall:>7.1f} s {n / wall:>12,.0f} {peak:>9,.0f} MB", flush=True)


def main(argv: list[str]) -> None:
    """Run the parts named in ``argv`` (all by default); numbers are the sizes of ``scale``."""
    parts = [a for a in argv if not a[0].isdigit()] or ["sjoin", "scale"]
    sizes = [int(float(a)) for a in argv if a[0].isdigit()] or [1_000_000, 10_000_000]
    engines = [p for p in parts if p in CHILD] or list(CHILD)
    if "sjoin" in parts:
        bench_sjoin()
    if "scale" in parts or any(p in CHILD for p in parts):
        bench_scale(sizes, engines)


if __name__ == "__main__":
    main(sys.argv[1:])
