"""Maps: classes of a choropleth (numpy schemes equal mapclassify's, awkward data)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from geo.errors import MapOptionError
from geo.maps.choropleth import NO_DATA_COLOR, _native_bins, classify, classify_categories
from geo.maps.palettes import ZERO_COLOR, palette_colors


# -- classes -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("scheme", ["quantiles", "natural_breaks", "equal_interval"])
def test_native_schemes_equal_mapclassify(scheme):
    mapclassify = pytest.importorskip("mapclassify")
    rng = np.random.default_rng(7)
    for _ in range(40):
        y = np.round(rng.lognormal(3, 1, int(rng.integers(6, 60))), 1)
        k = int(min(rng.integers(2, 8), np.unique(y).size))
        name = "fisher_jenks" if scheme == "natural_breaks" else scheme
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = mapclassify.classify(y, name, k=k).bins
        assert np.allclose(_native_bins(y, name, k), expected)


def test_classify_single_value_negative_and_missing():
    one = classify([5, 5, 5], scheme="quantiles", k=5)
    assert one.k == 1 and list(one.index) == [0, 0, 0] and one.labels == ["5"]
    neg = classify([-30.5, -2, 0, 4, 10, np.nan], scheme="equal_interval", k=3)
    assert neg.lower[0] == -30.5 and neg.index[-1] == -1 and neg.n_missing == 1
    assert neg.labels[0].startswith("−30.5")
    none = classify([np.nan, None, pd.NA], scheme="natural_breaks")
    assert none.k == 0 and none.n_missing == 3 and none.color_of(-1) == NO_DATA_COLOR


def test_classify_fewer_distinct_values_than_k_and_ties():
    c = classify([1, 1, 1, 1, 2, 2, 9], scheme="quantiles", k=5)
    assert c.k <= 3 and all(n > 0 for n in c.counts) and sum(c.counts) == 7


@pytest.mark.parametrize("scheme", ["maximum_breaks", "headtail_breaks", "std_mean", "box_plot"])
def test_other_schemes_through_mapclassify(scheme):
    mapclassify = pytest.importorskip("mapclassify")
    y = np.arange(30.0) ** 1.5
    c = classify(y, scheme=scheme, k=4, zero_class=False)  # 0 is in y: here mapclassify's own classes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = mapclassify.classify(y, scheme, k=4)
    # mapclassify's classes, without its empty ones (std_mean and box_plot start below the minimum) and
    # with the top edge at the largest value (theirs may lie above it).
    kept = np.asarray(expected.counts) > 0
    bins = np.asarray(expected.bins, dtype=float)[kept]
    bins[-1] = y.max()
    assert np.allclose(c.bins, bins)
    assert list(c.counts) == list(np.asarray(expected.counts)[kept]) and sum(c.counts) == 30


def test_zero_is_a_class_of_its_own():
    # inland units (0 km of border) must not share a class with Tyumen's 164 km
    c = classify([0, 0, 0, 164, 507, 929, 1277, 1504], scheme="natural_breaks", k=5)
    assert c.zero and c.labels[0] == "0" and c.counts[0] == 3
    assert set(c.index[:3]) == {0} and c.index[3] != 0
    assert c.colors[0] == ZERO_COLOR and ZERO_COLOR not in c.colors[1:]
    assert c.lower[1] == 164  # the first class of the others starts at the smallest non-zero value
    # not when there is no zero, or with negative values (zero is then an ordinary value)
    assert not classify([1, 2, 3], k=2).zero
    assert not classify([-1, 0, 3, 5], k=2).zero


def test_palette_by_name_and_unknown_palette():
    c = classify([1, 2, 3, 4, 5, 6], scheme="quantiles", k=3, palette="viridis")
    assert c.colors == palette_colors("viridis", 3)
    assert classify([1, 2, 3, 4, 5, 6], k=3, palette="blues").colors == palette_colors("Blues", 3)
    with pytest.raises(MapOptionError, match="unknown palette 'nope'"):
        classify([1, 2], palette="nope")


def test_categorical_classes_most_frequent_first():
    c = classify_categories(["gas", "oil", "gas", None, "", "coal", "gas", "oil"])
    assert c.categorical and c.labels == ["gas", "oil", "coal"] and c.counts == [3, 2, 1]
    assert list(c.index) == [0, 1, 0, -1, -1, 2, 0, 1] and c.n_missing == 2
    assert c.colors == palette_colors("Set2", 3)
    with pytest.raises(MapOptionError, match="not enough for 13 categories"):
        classify_categories([f"c{i}" for i in range(13)], palette="Set2")
