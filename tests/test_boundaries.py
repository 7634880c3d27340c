"""Regions from the embedded data and from a user's boundary file; the border regions derived from geometry."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon, box

import geo
from geo.errors import BoundaryFileError, GeoInputError


def test_regions_filters(all_regions: gpd.GeoDataFrame, ru_border: set[str]) -> None:
    assert len(geo.regions(country="KZ")) == 20
    assert len(geo.regions(country="ru")) == 83
    border = geo.regions(border_only=True)
    assert set(border.loc[border["country"] == "RU", "code"]) == ru_border
    assert set(border.loc[border["country"] == "KZ", "code"]) == {
        "KZ-10",
        "KZ-15",
        "KZ-23",
        "KZ-27",
        "KZ-39",
        "KZ-55",
        "KZ-59",
        "KZ-63",
    }
    with pytest.raises(GeoInputError, match="country"):
        geo.regions(country="CN")


def test_every_current_unit_has_its_own_polygon_and_no_label_says_incl(all_regions) -> None:
    kz = all_regions[all_regions["country"] == "KZ"].set_index("code")
    assert len(kz) == 20 and (kz["includes"] == "").all()
    assert (kz["label_en"] == kz["name_en"]).all()
    assert kz.loc["KZ-79", "label_en"] == "Shymkent" and kz.loc["KZ-10", "osm_relation"] == 14243026


def test_polygons_of_former_units_say_what_they_include() -> None:
    r = geo.regions(vintage="2017").set_index("code")
    assert r.loc["KZ-63", "includes"] == "KZ-10"
    assert r.loc["KZ-63", "label_en"] == "East Kazakhstan Region incl. Abai Region"
    assert r.loc["KZ-61", "label_en"] == "South Kazakhstan Region incl. Shymkent"
    assert r.loc["KZ-35", "label_ru"].startswith("Карагандинская область вкл.")
    assert r.loc["KZ-39", "label_en"] == "Kostanay Region"


# ------------------------------------------------------------------------------------------------
# Border regions from geometry agree with the catalogue
# ------------------------------------------------------------------------------------------------
def test_border_regions_from_geometry_agree_with_the_catalogue(all_regions, catalog, ru_border) -> None:
    derived = geo.border_regions(all_regions)
    ru = set(derived.loc[derived["country"] == "RU", "code"])
    kz = set(derived.loc[derived["country"] == "KZ", "code"])
    assert ru == ru_border
    t = catalog.table
    # Every Kazakh unit has its own polygon: exactly the catalogue's border units.
    expected_kz = set(t.index[(t["country"] == "KZ") & t["border"]])
    assert kz == expected_kz
    # Samara (a single point in regional descriptions) touches the OSM border along 2.5 km: found, and said so.
    samara = derived.set_index("code").loc["RU-SAM"]
    assert samara["contact"] == "line" and samara["border_km"] == pytest.approx(2.5, abs=0.1)
    # Before 2022 Abai was part of East Kazakhstan: the derived border units are then the catalogue's polygons.
    before = geo.border_regions(geo.regions(vintage="2017"))
    assert set(before.loc[before["country"] == "KZ", "code"]) == set(t.loc[list(expected_kz), "polygon"])


def test_tolerance_zero_still_counts_a_touch_and_a_near_miss_needs_tolerance(all_regions) -> None:
    strict = geo.border_regions(all_regions, tolerance_m=0)
    assert "RU-SAM" in set(strict["code"])
    # Move Samara 500 m (about 0.007°) north-west: only a tolerance finds it.
    moved = all_regions.copy()
    i = moved.index[moved["code"] == "RU-SAM"][0]
    moved.loc[i, "geometry"] = gpd.GeoSeries([moved.geometry[i]], crs=4326).translate(-0.006, 0.004).iloc[0]
    gap = geo.border_regions(moved, tolerance_m=0)
    assert "RU-SAM" not in set(gap["code"])
    near = geo.border_regions(moved, tolerance_m=1000).set_index("code")
    assert near.loc["RU-SAM", "contact"] == "near"
    assert 0 < near.loc["RU-SAM", "distance_m"] < 1000


# ------------------------------------------------------------------------------------------------
# A user's boundary file
# ------------------------------------------------------------------------------------------------
def _write(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    gdf.to_file(path, engine="pyogrio")
    return path


def test_user_file_with_the_new_regions_maps_one_to_one(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame(
        {"shapeName": ["Abai Region", "East Kazakhstan", "Kostanay"], "shapeISO": ["KZ-10", "", "KZ-KUS"]},
        geometry=[box(78, 48, 82, 51), box(82, 48, 86, 51), box(60, 50, 65, 54)],
        crs="EPSG:4326",
    )
    out, report = geo.read_boundaries(_write(gdf, tmp_path / "kz.geojson"))
    assert list(out["code"]) == ["KZ-10", "KZ-39", "KZ-63"]
    assert report.matched == 3 and not report.problems
    # With Abai present, East Kazakhstan includes nothing any more.
    assert out.set_index("code").loc["KZ-63", "includes"] == ""


def test_projected_file_is_reprojected(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame({"name": ["Orenburg Oblast"]}, geometry=[box(55, 51, 56, 52)], crs="EPSG:4326")
    path = _write(gdf.to_crs("EPSG:3857"), tmp_path / "ore.gpkg")
    out = geo.regions(boundaries=path, country="RU")
    assert out.crs.to_epsg() == 4326
    assert out.total_bounds == pytest.approx([55, 51, 56, 52], abs=1e-6)


def test_file_without_crs_is_refused_unless_told(tmp_path: Path) -> None:
    path = tmp_path / "nocrs.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Omsk"},'
        '"geometry":{"type":"Polygon","coordinates":[[[70,55],[75,55],[75,57],[70,55]]]}}]}'
    )
    # GeoJSON is WGS84 by definition, so GDAL assigns it; a shapefile without .prj is the real case.
    shp = tmp_path / "nocrs.shp"
    gpd.read_file(path).set_crs(None, allow_override=True).to_file(shp)
    with pytest.raises(BoundaryFileError, match="declares no CRS"):
        geo.read_boundaries(shp)
    out, _ = geo.read_boundaries(shp, crs="EPSG:4326")
    assert list(out["code"]) == ["RU-OMS"]


def test_invalid_geometry_is_repaired_and_reported(tmp_path: Path) -> None:
    bowtie = Polygon([(60, 50), (65, 54), (65, 50), (60, 54), (60, 50)])
    gdf = gpd.GeoDataFrame({"name": ["Kostanay"]}, geometry=[bowtie], crs="EPSG:4326")
    out, report = geo.read_boundaries(gdf)
    assert out.is_valid.all()
    assert len(report.repaired) == 1 and "row 1: KZ-39" in report.repaired[0]


def test_unmatched_rows_are_reported_with_row_and_suggestion(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame(
        {"name": ["Kostanay", "Orenbrug", "Almaty", "Xinjiang"], "code": ["", "", "", "CN-XJ"]},
        geometry=[box(63 + i, 53, 64 + i, 54) for i in range(4)],  # row 1 around Kostanay (checked)
        crs="EPSG:4326",
    )
    out, report = geo.read_boundaries(gdf)
    assert list(out["code"]) == ["KZ-39"]
    assert report.other_country == 1
    assert any(u.startswith("row 2: 'Orenbrug'") and "RU-ORE" in u for u in report.unmatched)
    assert any(u.startswith("row 3: 'Almaty'") and "ambiguous" in u for u in report.unmatched)
    with pytest.warns(UserWarning, match="Orenbrug"):
        geo.regions(boundaries=gdf, country="KZ")
    # A Kostanay drawn at (0, 0) is refused (far from its centre), never a map with a 0 km border.
    far = gdf.set_geometry([box(0, 0, 1, 1), *gdf.geometry.iloc[1:]], crs="EPSG:4326")
    with pytest.raises(BoundaryFileError, match=r"row 1 \(KZ-39.*far"):
        geo.regions(boundaries=far)


def test_duplicated_region_is_an_error_naming_the_rows() -> None:
    gdf = gpd.GeoDataFrame(
        {"name": ["Kostanay", "Qostanay oblysy"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs="EPSG:4326",
    )
    with pytest.raises(BoundaryFileError, match=r"KZ-39 appears more than once \(rows 1, 2\)"):
        geo.read_boundaries(gdf)


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"this is not a vector file", "not a vector file"), (b"", "not a vector file")],
)
def test_missing_or_broken_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "b.geojson"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BoundaryFileError, match=message):
        geo.read_boundaries(path)


def test_no_name_column_and_no_match() -> None:
    gdf = gpd.GeoDataFrame({"foo": ["x"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    with pytest.raises(BoundaryFileError, match="no column with region codes or names"):
        geo.read_boundaries(gdf)
    gdf = gpd.GeoDataFrame({"name": ["Atlantis"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    with pytest.raises(BoundaryFileError, match="no row matched"):
        geo.read_boundaries(gdf)
    with pytest.raises(BoundaryFileError, match="no column 'nom'"):
        geo.read_boundaries(gdf, column="nom")
