"""Export sizes and times per format (the four layers; then Russia complete, for the regions layer).

    python bench/bench_export.py        # or: make bench (runs every bench/bench_*.py)

Each export runs ``REPEAT`` times into a fresh temporary folder; the median wall time is shown. The time
includes building the layers (geodesic areas, border pairs, project distances), which dominates.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import geo
from geo.exports import build_layers

REPEAT = 3
CASES = [
    ("geojson", "all layers", {"fmt": "geojson"}, ""),
    ("gpkg", "all layers", {}, "rukz.gpkg"),
    ("csv", "all layers", {"fmt": "csv"}, ""),
    ("geojson", "regions, Russia complete", {"fmt": "geojson", "layers": "regions", "context": True}, ""),
    ("gpkg", "regions, Russia complete", {"layers": "regions", "context": True}, "rukz.gpkg"),
]


def _run(kwargs: dict, name: str) -> tuple[float, list[Path], Path]:
    folder = Path(tempfile.mkdtemp(prefix="bench_export_"))
    start = time.perf_counter()
    written = geo.export(folder / name if name else folder, **kwargs)
    return time.perf_counter() - start, written, folder


def main() -> None:
    start = time.perf_counter()
    build_layers()
    print(f"build_layers() alone (all four layers, first call): {time.perf_counter() - start:.2f} s")
    print(f"{'format':<8} {'what':<26} {'files':>5} {'size':>12} {'median time':>12}")
    for fmt, what, kwargs, name in CASES:
        times, written = [], []
        for _ in range(REPEAT):
            seconds, written, folder = _run(kwargs, name)
            times.append(seconds)
            sizes = [(p.name, p.stat().st_size) for p in written]
            shutil.rmtree(folder)
        total = sum(size for _, size in sizes)
        print(f"{fmt:<8} {what:<26} {len(sizes):>5} {total:>12,} {statistics.median(times):>10.2f} s")
        for file, size in sizes:
            print(f"{'':<8}   {file:<24} {size:>12,} bytes")


if __name__ == "__main__":
    main()
