"""One table of output formats: the suffix of a path says its format, for every command."""

from __future__ import annotations

import pytest

from geo.errors import OutputError
from geo.formats import FORMATS, format_of


@pytest.mark.parametrize(
    ("path", "expected"),
    [("a.geojson", "geojson"), ("a.JSON", "geojson"), ("x/a.gpkg", "gpkg"), ("a.csv", "csv"), ("m.htm", "html"),
     ("m.PNG", "png"), ("m.svg", "svg"), ("m.pdf", "pdf")],
)  # fmt: skip
def test_suffix_to_format(path: str, expected: str) -> None:
    assert format_of(path) == expected


def test_every_suffix_names_one_format() -> None:
    suffixes = [s for f in FORMATS.values() for s in f.suffixes]
    assert len(suffixes) == len(set(suffixes))


def test_allowed_formats_and_explicit_format() -> None:
    assert format_of("out", "GPKG", allowed=("gpkg", "csv")) == "gpkg"
    with pytest.raises(OutputError, match=r"unknown output format '\.shp'; use \.gpkg, \.geojson, \.json"):
        format_of("a.shp", allowed=("gpkg", "geojson"))
    with pytest.raises(OutputError, match="unknown format 'shp'; choose one of gpkg, csv"):
        format_of("a", "shp", allowed=("gpkg", "csv"))
    with pytest.raises(OutputError, match="cannot tell the format from out"):
        format_of("out", allowed=("gpkg",))
    with pytest.raises(OutputError, match="unknown output format"):
        format_of("map.png", allowed=("gpkg", "geojson"))  # a figure is no GIS layer
