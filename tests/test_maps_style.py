"""Maps: colours for every reader (palettes, colour-blind simulation), and one "no data" style everywhere."""

from __future__ import annotations

import numpy as np
import pytest

from geo.maps.choropleth import classify
from geo.maps.palettes import (
    DEFAULT_PALETTE,
    MIN_DELTA_E,
    MIN_DELTA_E_ANY_K,
    ZERO_COLOR,
    palette_colors,
    palette_kind,
    palette_names,
)
from geo.maps.style import FILL_OPACITY, HIGHLIGHT, NO_DATA_FILL

cs = pytest.importorskip("colorspacious")
VISIONS = [None, "deuteranomaly", "protanomaly", "tritanomaly"]  # at severity 100: -opia


def rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)]) / 255


def adjacent_delta_e(colors: list[str], cvd: str | None) -> np.ndarray:
    """ΔE (CAM02-UCS) between neighbouring colours, as seen with normal vision or a simulated deficiency."""
    srgb = np.array([rgb(c) for c in colors])
    if cvd is not None:
        space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
        srgb = np.clip(cs.cspace_convert(srgb, space, "sRGB1"), 0, 1)
    ucs = cs.cspace_convert(srgb, "sRGB1", "CAM02-UCS")
    return np.linalg.norm(np.diff(ucs, axis=0), axis=1)


@pytest.mark.parametrize("cvd", VISIONS)
def test_default_palette_classes_stay_apart_for_colour_blind_readers(cvd):
    for k in range(2, 10):
        colors = classify([0, *range(1, 40)], scheme="quantiles", k=k).colors  # zero class + k classes
        assert colors[0] == ZERO_COLOR and colors[1:] == palette_colors(DEFAULT_PALETTE, len(colors) - 1)
        least = adjacent_delta_e(colors, cvd).min()
        assert least >= (MIN_DELTA_E if k <= 5 else MIN_DELTA_E_ANY_K), (k, cvd, least)


def test_a_palette_that_fails_the_check_is_caught():
    # the check can fail: two neighbouring colours of ColorBrewer Set2 merge for protanopes
    colors = palette_colors("Set2", 5)
    assert adjacent_delta_e(colors, None).min() > 20
    assert adjacent_delta_e(colors, "protanomaly").min() < 3


def test_palette_names_from_branca_cover_colorbrewer_and_viridis():
    names = palette_names()
    assert {"YlOrRd", "Blues", "RdBu", "BrBG", "Set2", "Paired", "viridis", "magma"} <= set(names)
    assert palette_kind("RdBu") == "Diverging" and palette_kind("Set2") == "Qualitative"
    assert palette_colors("YlOrRd", 5) == [
        "#ffffb2",
        "#fecc5c",
        "#fd8d3c",
        "#f03b20",
        "#bd0026",
    ]  # ColorBrewer
    assert len(set(palette_colors("viridis", 9))) == 9


def test_legend_swatch_equals_fill_and_no_data_is_one_pattern():
    assert FILL_OPACITY == 1.0 and "fillOpacity" not in HIGHLIGHT  # the swatch colour is what is drawn
    c = classify([np.nan, 1, 2, 3], k=2)
    assert c.fill_of(-1) == NO_DATA_FILL and c.fill_of(0) == c.colors[0]
