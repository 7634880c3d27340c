"""Maps: the static figure (PNG/SVG)."""

from __future__ import annotations

import maps_common

from geo.maps import build_map, save_figure
from geo.maps.static import render_static

# fixtures shared by the map tests
default_map = maps_common.default_map


# -- static figure -----------------------------------------------------------------------------------
def test_png_and_svg(tmp_path, default_map):
    png = save_figure(default_map, tmp_path / "map.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
    svg = save_figure(default_map, tmp_path / "map.svg")
    text = svg.read_text()
    assert "<svg" in text and "Natural Earth" in text


def test_static_no_data_hatched_and_small_multiples(tmp_path):
    import io

    from PIL import Image

    table = tmp_path / "t.csv"
    table.write_text(
        "region,year,v\nKostanay,2021,1\nKostanay,2022,2\nOmsk,2021,3\nOmsk,2022,4\nAkmola,2023,5\n",
        encoding="utf-8",
    )
    m = build_map(table, metric="v", time="year", projects=False, links=False)
    svg = render_static(m.spec, "svg").decode()
    assert svg.count(">2021<") + svg.count(">2022<") + svg.count(">2023<") >= 3  # one panel title per year
    assert 'id="h' in svg or "<pattern" in svg  # matplotlib hatches are SVG patterns: no data hatched
    png = Image.open(io.BytesIO(render_static(m.spec, "png")))
    assert png.size[0] > png.size[1]  # panels side by side
