"""Shared fixtures: the embedded regions are read once per session (they are immutable)."""

from __future__ import annotations

import geopandas as gpd
import pytest

import geo


@pytest.fixture(scope="session")
def all_regions() -> gpd.GeoDataFrame:
    """The embedded regions of both countries (do not modify: copy first)."""
    return geo.regions()


@pytest.fixture(scope="session")
def catalog():
    return geo.catalog()
