"""A user's boundary file: one country combined with the embedded other, OCHA columns, context, no 0 km border."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box

import geo
from geo.analysis import border_segments
from geo.cli import main
from geo.errors import BoundaryFileError


@pytest.fixture(scope="module")
def kz_shifted(tmp_path_factory, all_regions) -> Path:
    """Today's Kazakh units moved by 1e-7° (about 1 cm): edges no longer match the embedded Russia's."""
    kz = all_regions[all_regions["country"] == "KZ"][["code", "name_en", "geometry"]]
    path = tmp_path_factory.mktemp("user") / "kz_shifted.gpkg"
    kz.set_geometry(kz.translate(1e-7, 1e-7)).to_file(path, engine="pyogrio")
    return path


@pytest.fixture(scope="module")
def combined(kz_shifted) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # combining is not a problem to warn about
        return geo.regions(boundaries=kz_shifted)


def test_a_partial_file_of_one_country_keeps_the_neighbour_whole(all_regions) -> None:
    """Orenburg alone: Kazakhstan gets Orenburg's border, not the rest of Russia as "strips"."""
    ore = all_regions[all_regions["code"] == "RU-ORE"][["code", "geometry"]]
    out = geo.regions(boundaries=ore).set_index("code")
    assert list(out.index[out["country"] == "RU"]) == ["RU-ORE"]
    kz_areas = geo.areas_km2(out[out["country"] == "KZ"])
    today = geo.areas_km2(all_regions.set_index("code").loc[kz_areas.index].reset_index())
    assert kz_areas.to_numpy() == pytest.approx(today.to_numpy(), rel=1e-4)
    assert border_segments(out.reset_index())["length_km"].sum() == pytest.approx(1941.5, abs=0.5)


def test_a_file_of_one_country_is_combined_with_the_embedded_other(combined) -> None:
    assert (combined["country"] == "KZ").sum() == 20 and (combined["country"] == "RU").sum() == 83
    segments = border_segments(combined)
    # Not a 0 km border, not 18 "point" contacts: the same 19 pairs and (to a few metres) the same length.
    assert len(segments) == 19 and (segments["contact"] == "line").all()
    assert segments["length_km"].sum() == pytest.approx(7680.8, abs=1.0)
    ru = shapely.union_all(combined.geometry[combined["country"] == "RU"].to_numpy())
    kz = shapely.union_all(combined.geometry[combined["country"] == "KZ"].to_numpy())
    assert shapely.area(shapely.intersection(ru, kz)) < 1e-9


def test_the_report_says_what_was_combined(all_regions) -> None:
    from geo.boundaries import _both_countries

    gdf, report = geo.read_boundaries(all_regions[all_regions["code"] == "KZ-27"][["code", "geometry"]])
    _both_countries(gdf, report)
    assert "only Kazakh regions in the file" in str(report) and "conformed" in str(report)


def test_cli_border_on_a_one_country_file_is_not_zero(kz_shifted, capsys) -> None:
    assert main(["border", "--boundaries", str(kz_shifted)]) == 0
    out = capsys.readouterr().out
    assert "total: 0.0 km" not in out and "over 19 region pairs" in out


def test_two_countries_that_share_no_border_are_refused(all_regions) -> None:
    moved = all_regions[["code", "name_en", "country", "geometry"]].copy()
    ru = moved["country"] == "RU"
    moved.loc[ru, "geometry"] = moved.geometry[ru].translate(0, 0.5)  # Russia 55 km north
    # Refused either way: as 0 km of border, or (as here, where Astrakhan slides onto Atyrau) as overlapping.
    with pytest.raises(BoundaryFileError, match=r"share no border line.*0 km|polygons overlap each other"):
        geo.regions(boundaries=moved.drop(columns="country"))
    apart = gpd.GeoDataFrame(
        {"name": ["Orenburg Oblast", "Aktobe Region"]},
        geometry=[box(55, 51, 60, 53), box(55, 48, 60, 50.9)],
        crs=4326,
    )
    with pytest.raises(BoundaryFileError, match=r"share no border line \(they are 11\.\d km apart\)"):
        geo.regions(boundaries=apart)


def test_a_one_country_file_far_from_the_other_is_refused() -> None:
    far = gpd.GeoDataFrame({"name": ["Kostanay"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    with pytest.raises(BoundaryFileError, match=r"far \(over 1°\) from the region's administrative centre"):
        geo.regions(boundaries=far)
    near = far.set_geometry([box(63, 52.8, 64, 53.6)], crs="EPSG:4326")  # around the city of Kostanay
    assert list(geo.regions(boundaries=near, country="KZ")["code"]) == ["KZ-39"]  # alone, when asked for


def test_ocha_columns_are_recognised() -> None:
    gdf = gpd.GeoDataFrame(
        {"ADM1_EN": ["Kostanay Region", "Akmola Region"], "ADM1_PCODE": ["KZ999", "KZ998"]},
        geometry=[box(60, 50, 65, 54), box(66, 50, 70, 54)],
        crs="EPSG:4326",
    )
    out, report = geo.read_boundaries(gdf)
    assert list(out["code"]) == ["KZ-11", "KZ-39"] and not report.problems


def test_the_almaty_context_rule_applies_to_boundary_files() -> None:
    gdf = gpd.GeoDataFrame(
        {"name": ["Almaty Region", "Almaty"]},
        geometry=[box(76, 43, 80, 46).difference(box(76.8, 43.2, 77, 43.4)), box(76.8, 43.2, 77, 43.4)],
        crs=4326,
    )  # the city is an enclave of the region: shared borders, no shared area
    out, report = geo.read_boundaries(gdf)
    assert sorted(out["code"]) == ["KZ-19", "KZ-75"] and not report.problems
    assert any("'Almaty' read as" in d and "KZ-75" in d for d in report.decided)
    # Without Almaty Region in the file, "Almaty" stays ambiguous: reported with both candidates, never a guess.
    other = gpd.GeoDataFrame(
        {"name": ["Almaty", "Kostanay"]},
        geometry=[box(76.8, 43.2, 77, 43.4), box(63, 52.8, 64, 53.6)],
        crs=4326,
    )
    out, report = geo.read_boundaries(other)
    assert list(out["code"]) == ["KZ-39"] and not report.decided
    assert any(u.startswith("row 1: 'Almaty'") and "ambiguous" in u for u in report.unmatched)


def test_the_no_crs_message_suggests_options_that_exist(tmp_path: Path) -> None:
    shp = tmp_path / "nocrs.shp"
    gpd.GeoDataFrame({"name": ["Kostanay"]}, geometry=[box(60, 50, 65, 54)]).to_file(shp)
    with pytest.raises(BoundaryFileError, match="boundaries_crs='EPSG:4326'") as err:
        geo.regions(boundaries=shp)
    assert "ogr2ogr -a_srs EPSG:4326" in str(err.value) and "--boundaries-crs" not in str(err.value)
    out = geo.regions(boundaries=shp, boundaries_crs="EPSG:4326", country="KZ")
    assert list(out["code"]) == ["KZ-39"]
