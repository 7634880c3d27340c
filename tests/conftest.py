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


@pytest.fixture(scope="session")
def ru_border() -> set[str]:
    """The 12 Russian regions that border Kazakhstan (DEVELOPERS.md, FACTS.md: 12 of 27 bordering CIS states)."""
    return {
        "RU-AST", "RU-VGG", "RU-SAR", "RU-SAM", "RU-ORE", "RU-CHE",
        "RU-KGN", "RU-TYU", "RU-OMS", "RU-NVS", "RU-ALT", "RU-AL",
    }  # fmt: skip
