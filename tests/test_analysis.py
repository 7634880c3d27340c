"""Border figures: the state border by region pair, per-region totals, areas and distances, all geodesic."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import geo
from geo.analysis import GEOD, border_line, border_segments, border_totals, distance_to_border

# Official areas (km², FACTS.md) of regions whose polygon is the region itself (no 2018/2022 split inside).
OFFICIAL_AREAS = {
    "RU-AST": 49_024, "RU-VGG": 112_877, "RU-SAR": 101_240, "RU-SAM": 53_565, "RU-ORE": 123_702,
    "RU-CHE": 88_529, "RU-KGN": 71_488, "RU-TYU": 160_122, "RU-OMS": 141_140, "RU-NVS": 177_756,
    "RU-ALT": 167_996, "RU-AL": 92_903, "KZ-11": 146_219, "KZ-15": 300_629, "KZ-23": 118_631,
    "KZ-27": 151_339, "KZ-31": 144_264, "KZ-39": 196_001, "KZ-43": 226_000, "KZ-47": 165_642,
    "KZ-55": 124_800, "KZ-59": 97_993,
}  # fmt: skip
# Containing polygons (Natural Earth shows Kazakhstan before 2018): compare with the area before the split.
OFFICIAL_BEFORE_SPLIT = {"KZ-63": 283_226, "KZ-19": 223_911, "KZ-35": 427_980}


@pytest.fixture(scope="module")
def segments(all_regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return border_segments(all_regions)


def test_state_border_total_is_the_sum_of_the_pairs(all_regions, segments) -> None:
    total = segments["length_km"].sum()
    assert total == pytest.approx(6657.6, abs=0.1)
    # The merged line and the pairs measure the same linework.
    assert border_line(all_regions)["length_km"].iloc[0] == pytest.approx(total, rel=1e-9)


def test_eighteen_pairs_and_samara_touches_in_a_point(segments) -> None:
    assert len(segments) == 18
    samara = segments[segments["ru_code"] == "RU-SAM"]
    assert samara[["kz_code", "contact", "length_km"]].values.tolist() == [["KZ-27", "point", 0.0]]
    assert (segments["contact"] == "line").sum() == 17
    assert segments["length_km"].is_monotonic_decreasing
    top = segments.iloc[0]
    assert (top["ru_code"], top["kz_code"]) == ("RU-ORE", "KZ-15")
    assert top["length_km"] == pytest.approx(859.2, abs=0.1)


def test_border_totals_per_region_add_up_on_both_sides(all_regions, segments) -> None:
    totals = border_totals(all_regions)
    assert set(totals["country"]) == {"RU", "KZ"}
    assert (totals["country"] == "RU").sum() == 12  # the 12 Russian border regions, Samara included
    assert (totals["country"] == "KZ").sum() == 7
    by_country = totals.groupby("country")["border_km"].sum()
    assert by_country["RU"] == pytest.approx(segments["length_km"].sum())
    assert by_country["KZ"] == pytest.approx(segments["length_km"].sum())
    ore = totals.set_index("code").loc["RU-ORE"]
    assert ore["pairs"] == 3 and ore["neighbours"] == "KZ-15;KZ-27;KZ-39"
    assert ore["border_km"] == pytest.approx(1504.2, abs=0.1)
    wko = totals.set_index("code").loc["KZ-27"]
    assert (
        wko["pairs"] == 5
    )  # "with five Russian regions" (bko.gov.kz): Saratov, Orenburg, Volgograd, Astrakhan, Samara
    assert totals.set_index("code").loc["RU-SAM", "border_km"] == 0.0


def test_border_length_is_geodesic_not_planar_degrees(segments) -> None:
    line = segments.geometry.iloc[0]
    planar_degrees = line.length
    assert segments["length_km"].iloc[0] == pytest.approx(GEOD.geometry_length(line) / 1000)
    assert abs(segments["length_km"].iloc[0] - planar_degrees) > 100  # not a number of degrees


def test_areas_match_official_figures_within_seven_percent(all_regions) -> None:
    areas = geo.areas_km2(all_regions).set_axis(all_regions["code"])
    for code, official in OFFICIAL_AREAS.items():
        assert areas[code] == pytest.approx(official, rel=0.07), code
    for code, official in OFFICIAL_BEFORE_SPLIT.items():
        assert areas[code] == pytest.approx(official, rel=0.02), code


def test_area_is_the_same_in_a_projected_crs(all_regions) -> None:
    kz = all_regions[all_regions["code"].isin(["KZ-39", "KZ-71"])]
    assert geo.areas_km2(kz.to_crs(3857)).to_numpy() == pytest.approx(geo.areas_km2(kz).to_numpy(), rel=1e-6)


@pytest.fixture(scope="module")
def project_distances(all_regions) -> pd.Series:
    projects = geo.projects()
    return distance_to_border(projects, regions=all_regions).set_axis(projects["id"])


def test_distance_of_shipped_projects_to_the_border(project_distances) -> None:
    d = project_distances
    assert 5 < d["karachaganak-field"] < 40  # ~15 km from the border at 1:10m
    assert 400 < d["baikonur-cosmodrome"] < 700
    assert d["atyrau-samara-pipeline"] == 0.0 and d["cpc-pipeline"] == 0.0  # schematic lines cross it
    assert np.isnan(d["stainless-steel-raw-material-plant"])  # only the country is known: no geometry
    assert d.name == "border_distance_km"


def test_distance_agrees_with_brute_force_geodesic_minimum(all_regions, segments, project_distances) -> None:
    # Densify the border to ~200 m and take the geodesic minimum over all its vertices: an independent answer.
    border = shapely.segmentize(shapely.union_all(segments.geometry.to_numpy()), 0.002)
    bx, by = shapely.get_coordinates(border).T
    projects = geo.projects().set_index("id")
    for pid in ("karachaganak-field", "baikonur-cosmodrome", "csu-kostanay-branch"):
        point = projects.geometry[pid]
        _, _, dist = GEOD.inv(np.full_like(bx, point.x), np.full_like(by, point.y), bx, by)
        brute = dist.min() / 1000
        assert project_distances[pid] == pytest.approx(brute, abs=0.3), pid


def test_distance_accepts_projected_input_and_rejects_missing_crs(all_regions, project_distances) -> None:
    projects = geo.projects()
    again = distance_to_border(projects.to_crs(3857), regions=all_regions).set_axis(projects["id"])
    pd.testing.assert_series_equal(again, project_distances, atol=1e-3)
    with pytest.raises(ValueError, match="no CRS"):
        distance_to_border(gpd.GeoSeries([shapely.Point(50, 50)]), regions=all_regions)
