"""Boundary files that read without error but cannot be right: one error line naming the rows (issue 9)."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

import geo
import geo.cli
from geo.errors import BoundaryFileError
from geo.exports import build_layers, export


@pytest.fixture(scope="module")
def shipped() -> gpd.GeoDataFrame:
    """The embedded regions as a plain boundary file would carry them (code + geometry)."""
    return geo.regions()[["code", "geometry"]].copy()


def _read(gdf: gpd.GeoDataFrame):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return geo.read_boundaries(gdf)


def _row(gdf: gpd.GeoDataFrame, code: str) -> int:
    return int(np.flatnonzero(gdf["code"].to_numpy() == code)[0])


def test_the_shipped_regions_pass_every_check(shipped):
    out, report = _read(shipped)
    assert len(out) == len(shipped) and not report.problems


def test_degrees_labelled_as_web_mercator_are_refused_naming_the_crs_mistake(shipped, tmp_path):
    wrong = shipped.set_crs("EPSG:3857", allow_override=True)  # the degrees, declared as metres
    with pytest.raises(BoundaryFileError, match=r"^<GeoDataFrame>: rows 1 \(KZ-10: x 0\.000") as info:
        _read(wrong)
    assert "smaller than 1 km across" in str(info.value) and "EPSG:3857" in str(info.value)
    assert "\n" not in str(info.value)
    path = tmp_path / "mislabelled.gpkg"
    wrong.to_file(path)
    with pytest.raises(BoundaryFileError, match=rf"^{path}: rows .*ogr2ogr -a_srs EPSG:4326"):
        _read(path)


def test_swapped_x_and_y_are_refused(shipped):
    swapped = shipped.copy()
    swapped["geometry"] = shapely.transform(swapped.geometry.to_numpy(), lambda c: c[:, ::-1])
    with pytest.raises(BoundaryFileError, match=r"out of range .*x and y look swapped \(latitude first\)"):
        _read(swapped)
    # Only the Kazakh and border regions, swapped: every latitude stays below 90, the places are wrong.
    kz = shipped[shipped["code"].str.startswith("KZ-")].copy()
    kz["geometry"] = shapely.transform(kz.geometry.to_numpy(), lambda c: c[:, ::-1])
    with pytest.raises(BoundaryFileError, match=r"far \(over 1°\) from .*x and y look swapped"):
        _read(kz)


def test_latitudes_beyond_90_are_refused_naming_the_rows(shipped):
    north = shipped.copy()
    i = _row(north, "KZ-39")
    north.loc[north.index[i], "geometry"] = box(60, 95, 65, 100)
    with pytest.raises(
        BoundaryFileError, match=rf"^<GeoDataFrame>: row {i + 1} \(KZ-39: x 60…65, y 95…100\): out"
    ):
        _read(north)


def test_every_region_the_same_box_is_refused(shipped):
    same = shipped.copy()
    same["geometry"] = box(50, 45, 60, 55)
    with pytest.raises(BoundaryFileError, match=r"and \d+ more: the polygon lies far"):
        _read(same)


def test_overlapping_polygons_are_refused_naming_both_rows(shipped):
    doubled = shipped.copy()
    ore, akt = _row(doubled, "RU-ORE"), _row(doubled, "KZ-15")
    doubled.loc[doubled.index[akt], "geometry"] = shapely.union(
        doubled.geometry.iloc[akt], doubled.geometry.iloc[ore]
    )  # Aktobe's polygon swallows Orenburg's
    with pytest.raises(BoundaryFileError, match=r"1 pair\(s\) of polygons overlap each other") as info:
        _read(doubled)
    first, second = sorted([(akt + 1, "KZ-15"), (ore + 1, "RU-ORE")])
    assert f"rows {first[0]} ({first[1]}) and {second[0]} ({second[1]}) by 100%" in str(info.value)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (None, r"row {row} \(KZ-39\): no geometry"),
        (shapely.Polygon(), r"row {row} \(KZ-39\): no geometry"),
        (shapely.Polygon([(60, 50), (np.nan, 54), (65, 54)]), r"row {row} \(KZ-39\): NaN or infinite"),
        (shapely.Point(63.6, 53.2), r"row {row} \(KZ-39: Point\): not a polygon"),
        (shapely.LineString([(60, 50), (65, 54)]), r"row {row} \(KZ-39: LineString\): not a polygon"),
        (
            shapely.GeometryCollection([box(60, 50, 65, 54), shapely.Point(1, 1)]),
            r"row {row} \(KZ-39: GeometryCollection\): not a polygon",
        ),
    ],
)
def test_rows_without_a_usable_polygon_are_refused(shipped, geometry, message):
    bad = shipped.copy()
    i = _row(bad, "KZ-39")
    bad["geometry"] = bad.geometry.astype(object)
    bad.loc[bad.index[i], "geometry"] = geometry
    bad = gpd.GeoDataFrame(bad, geometry="geometry", crs="EPSG:4326")
    with pytest.raises(BoundaryFileError, match=message.format(row=i + 1)):
        _read(bad)


def test_all_lines_are_refused(shipped):
    lines = shipped.copy()
    lines["geometry"] = lines.geometry.boundary
    with pytest.raises(BoundaryFileError, match=r"and \d+ more: not a polygon"):
        _read(lines)


def test_a_file_of_one_country_is_completed_and_a_frame_of_one_country_names_what_it_cannot(
    shipped, tmp_path: Path
):
    kz = tmp_path / "kz.geojson"
    shipped[shipped["code"].str.startswith("KZ-")].to_file(kz)
    written = export(tmp_path, fmt="geojson", regions=str(kz))  # issue 10: Russia comes from the embedded set
    assert [p.name for p in written] == [
        "regions.geojson",
        "border.geojson",
        "projects.geojson",
        "links.geojson",
    ]
    assert "RU-ORE" in set(gpd.read_file(tmp_path / "regions.geojson")["code"])
    # A regions GeoDataFrame is used as it is: with one country only, the layers that need the border say so.
    only_kz = geo.regions(country="KZ")
    with pytest.raises(BoundaryFileError, match=r"projects layer needs .*no Russian region"):
        build_layers(layers=["projects"], regions=only_kz)
    with pytest.raises(
        BoundaryFileError, match=r"border layer needs .*no Russian region.*--layers regions,links"
    ):
        build_layers(layers=["border"], regions=only_kz)
    far = geo.regions()[
        lambda r: r["code"].isin(["RU-MOS", "KZ-75"])
    ]  # both countries, no pair of regions touching
    with pytest.raises(BoundaryFileError, match=r"no Russian region of the boundaries touches a Kazakh one"):
        build_layers(layers=["border"], regions=far)


def test_cli_export_of_two_countries_that_do_not_touch_is_one_line(shipped, tmp_path: Path, capsys):
    far = tmp_path / "far.geojson"
    shipped[shipped["code"].isin(["RU-MOS", "KZ-75"])].to_file(far)
    out = tmp_path / "out"
    out.mkdir()
    code = geo.cli.main(["export", "-f", "geojson", "-o", str(out), "--boundaries", str(far)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith("geo: error: ") and "\n" not in err
    assert list(out.iterdir()) == []


def test_a_polygon_reprojected_the_long_way_round_is_refused(shipped):
    # All of Russia in a projected CRS: Chukotka crosses ±180° and comes back to degrees spanning the globe.
    with pytest.raises(BoundaryFileError, match=r"\(RU-CHU\): a polygon wider than 180° of longitude"):
        _read(shipped.to_crs("EPSG:32641"))
    border = shipped[shipped["code"].str.startswith("KZ-") | shipped["code"].isin(["RU-ORE", "RU-OMS"])]
    out, report = _read(border.to_crs("EPSG:32641"))  # the border regions in UTM 41N are fine
    assert len(out) == len(border) and not report.problems


def test_invalid_polygons_reach_the_repair_not_a_geos_error(shipped):
    bowtie = shipped.copy()
    i = _row(bowtie, "KZ-39")
    bowtie.loc[bowtie.index[i], "geometry"] = shapely.Polygon(
        [(63, 52.8), (64, 53.6), (64, 52.8), (63, 53.6), (63, 52.8)]  # inside Kostanay oblast
    )
    out, report = _read(bowtie)
    assert out.is_valid.all() and any("KZ-39 invalid geometry repaired" in r for r in report.repaired)


def test_an_invalid_polygon_across_its_neighbours_is_an_overlap_error_not_a_geos_error(shipped):
    bowtie = shipped.copy()
    i = _row(bowtie, "KZ-39")
    bowtie.loc[bowtie.index[i], "geometry"] = shapely.Polygon(
        [(60, 50), (65, 54), (65, 50), (60, 54), (60, 50)]
    )
    with pytest.raises(BoundaryFileError, match=r"pair\(s\) of polygons overlap each other .*KZ-39"):
        _read(bowtie)
