"""`geo map` versus GeoDataFrame.explore(), side by side on the same regions, and the map in headless Chromium.

python bench/bench_map.py          # or: python bench/run.py map

Figures printed, each with its target (issue 13):
- HTML bytes and in-process build time (build + render to HTML) of the default `geo map` online (CDN, tiles) and
  self-contained (the default: Leaflet inlined), and of ``GeoDataFrame.explore()`` on the same 32 regions,
  unsimplified, coloured by the same values; ratios: online <= 15 %, self-contained <= 45 % of explore();
- process wall time, alternating runs (median of 7): `geo map -o map.html` against a plain geopandas script that
  reads the same boundary file (data/boundaries/regions.geojson) and saves ``explore()``; ratio target <= 0.4;
- navigation to a rendered map in headless Chromium for the default self-contained map (median of 5;
  target <= 0.3 s);
- vertices before and after coverage simplification at several tolerances (how the default was chosen).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import shapely

import geo
from geo.maps import build_map, map_html, simplify_regions
from geo.maps.data import default_metric

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    warnings.simplefilter("ignore")
    every = geo.regions()
    focus = every[(every["country"] == "KZ") | every["border"]].copy()
    focus["border_km"] = default_metric(every, focus)["value"]

    t_ours, html_online = timed(lambda: map_html(build_map(online=True)))
    t_off, html_offline = timed(lambda: map_html(build_map()))
    t_exp, html_explore = timed(lambda: focus.explore(column="border_km").get_root().render())
    b_on, b_off, b_exp = (len(h.encode()) for h in (html_online, html_offline, html_explore))
    n_ru = int((focus["country"] == "RU").sum())
    print(f"regions: {len(focus)} ({n_ru} Russian border regions + {len(focus) - n_ru} Kazakh polygons)")
    print(f"{'':40}{'HTML bytes':>12}{'build+render s':>16}")
    print(f"{'explore() (unsimplified regions)':40}{b_exp:>12,}{t_exp:>16.3f}")
    print(
        f"{'geo map --online (CDN, web tiles)':40}{b_on:>12,}{t_ours:>16.3f}   "
        f"{b_on / b_exp:.1%} of explore() (target <= 15 %)"
    )
    print(
        f"{'geo map (default: self-contained)':40}{b_off:>12,}{t_off:>16.3f}   "
        f"{b_off / b_exp:.1%} of explore() (target <= 45 %)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "map.html"
        plain_out = Path(tmp) / "explore.html"
        script = Path(tmp) / "plain.py"
        script.write_text(
            "import sys\nimport geopandas as gpd\ngpd.read_file(sys.argv[1]).explore().save(sys.argv[2])\n",
            encoding="utf-8",
        )
        boundary_file = ROOT / "data" / "boundaries" / "regions.geojson"
        exe = str(Path(sys.executable).parent / "geo")
        # As `make map` does: byte-compile geo/ so runs under PYTHONDONTWRITEBYTECODE do not recompile it each time.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(geo.__file__).parent)], check=True)
        ours, plain = [], []
        for _ in range(7):  # alternating, so that a busy moment of the machine hits both alike
            start = time.perf_counter()
            subprocess.run([exe, "map", "-o", str(out), "--force"], check=True, stderr=subprocess.DEVNULL)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run([sys.executable, str(script), str(boundary_file), str(plain_out)], check=True)
            plain.append(time.perf_counter() - start)
        m_ours, m_plain = statistics.median(ours), statistics.median(plain)
        print(
            f"process wall time, median of 7: geo map {m_ours:.2f} s, plain geopandas read_file + explore().save "
            f"{m_plain:.2f} s -> {m_ours / m_plain:.2f} x (target <= 0.4)"
        )

        from browser import Browser, chromium_path

        if chromium_path() is None:
            print("browser render: chromium not installed, skipped")
        else:
            with Browser(width=1400, height=900) as b:
                renders = []
                for _ in range(5):
                    b.open("about:blank")
                    start = time.perf_counter()
                    b.open(out.as_uri())
                    # rendered: the region paths exist and a frame has been painted
                    b.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                    assert b.eval('document.querySelectorAll("path.rk-region").length') == 32
                    renders.append(time.perf_counter() - start)
            print(
                f"browser: navigation to rendered self-contained map: median {statistics.median(renders):.3f} s, "
                f"max {max(renders):.3f} s over 5 loads (target <= 0.3 s)"
            )

    raw = shapely.get_num_coordinates(focus.geometry.to_numpy()).sum()
    print(f"vertices of the 32 regions: {raw:,} unsimplified")
    for tol in (0.005, 0.01, 0.02, 0.05):
        web = simplify_regions(focus, tolerance=tol)
        n = shapely.get_num_coordinates(web.geometry.to_numpy()).sum()
        print(
            f"  tolerance {tol:<6} -> {n:>7,} vertices ({n / raw:.0%}), coverage valid: "
            f"{shapely.coverage_is_valid(web.geometry.to_numpy())}"
        )


if __name__ == "__main__":
    main()
