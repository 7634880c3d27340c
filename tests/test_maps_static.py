"""Maps: the static figure (PNG/SVG)."""

from __future__ import annotations

import maps_common

from geo.maps import save_figure

# fixtures shared by the map tests
default_map = maps_common.default_map


# -- static figure -----------------------------------------------------------------------------------
def test_png_and_svg(tmp_path, default_map):
    png = save_figure(default_map, tmp_path / "map.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
    svg = save_figure(default_map, tmp_path / "map.svg")
    text = svg.read_text()
    assert "<svg" in text and "Natural Earth" in text
