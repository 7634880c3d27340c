"""Spatial joins: points, lines and multipoints to regions; bad coordinates are named, not guessed."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import geo
from geo.errors import GeoInputError
from geo.locate import locate


def centre(code: str) -> tuple[float, float]:
    row = geo.catalog().get(code)
    return float(row["centre_lon"]), float(row["centre_lat"])


def test_points_in_administrative_centres(all_regions):
    codes = ["RU-ORE", "KZ-39", "KZ-15", "RU-OMS", "KZ-27"]
    pts = pd.DataFrame([centre(c) for c in codes], columns=["lon", "lat"], index=list("abcde"))
    out = locate(pts, regions=all_regions)
    assert out["code"].tolist() == codes
    assert out.index.tolist() == list("abcde") and not out["outside"].any()
    assert out["codes"].tolist() == codes


def test_outside_and_near_boundary(all_regions):
    pts = pd.DataFrame({"lon": [116.4, 55.0], "lat": [39.9, 51.0]})  # Beijing; a point by RU-ORE/KZ-15
    border = shapely.intersection(
        all_regions.set_index("code").geometry["RU-ORE"].boundary,
        all_regions.set_index("code").geometry["KZ-15"].boundary,
    )
    on_border = shapely.line_interpolate_point(shapely.line_merge(border), 0.5, normalized=True)
    pts.loc[1] = [on_border.x, on_border.y + 0.001]  # ~100 m off the state border
    out = locate(pts, regions=all_regions)
    assert out.loc[0, "outside"] and pd.isna(out.loc[0, "code"]) and out.loc[0, "codes"] == ""
    assert out.loc[1, "code"] in ("RU-ORE", "KZ-15") and out.loc[1, "near_boundary"]
    far = locate(
        pd.DataFrame({"lon": [centre("RU-ORE")[0]], "lat": [centre("RU-ORE")[1]]}), regions=all_regions
    )
    assert not far["near_boundary"].iloc[0]


def test_matches_a_plain_sjoin(all_regions):
    rng = np.random.default_rng(3)
    pts = pd.DataFrame({"lon": rng.uniform(45, 90, 3000), "lat": rng.uniform(40, 56, 3000)})
    out = locate(pts, regions=all_regions)
    gdf = gpd.GeoDataFrame(pts, geometry=gpd.points_from_xy(pts["lon"], pts["lat"]), crs="EPSG:4326")
    ref = gpd.sjoin(gdf, all_regions[["code", "geometry"]], how="left", predicate="intersects")
    ref = ref[~ref.index.duplicated()]
    assert (ref["code"].fillna("").to_numpy() == out["code"].fillna("").to_numpy()).all()
    assert out["outside"].to_numpy().tolist() == ref["code"].isna().tolist()


def test_swapped_out_of_range_names_rows(all_regions):
    pts = pd.DataFrame({"lon": [51.77, 53.2], "lat": [55.1, 95.0]})
    with pytest.raises(GeoInputError, match=r"rows 2 \(lon 53.2, lat 95\).*swapped.*lon='lat', lat='lon'"):
        locate(pts, regions=all_regions)


def test_out_of_range_suggests_crs(all_regions):
    with pytest.raises(GeoInputError, match="crs="):
        locate(pd.DataFrame({"lon": [500000.0], "lat": [5700000.0]}), regions=all_regions)


def test_swapped_in_range_is_detected(all_regions):
    codes = ["RU-NVS", "RU-OMS", "KZ-55", "RU-ALT", "KZ-71"]
    pts = pd.DataFrame([centre(c)[::-1] for c in codes], columns=["lon", "lat"])
    with pytest.raises(GeoInputError, match="swapped"):
        locate(pts, regions=all_regions)


def test_non_numeric_and_missing_coordinates(all_regions):
    with pytest.raises(GeoInputError, match=r"column 'lat'.*rows 2 \('x'\)"):
        locate(pd.DataFrame({"lon": [55.0, 56.0], "lat": ["51.0", "x"]}), regions=all_regions)
    with pytest.raises(GeoInputError, match=r"no column 'lon'"):
        locate(pd.DataFrame({"x": [55.0], "lat": [51.0]}), regions=all_regions)


def test_any_crs(all_regions):
    lon, lat = centre("KZ-15")
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(lon, lat)], crs="EPSG:4326").to_crs("EPSG:32640")
    assert locate(gdf, regions=all_regions)["code"].tolist() == ["KZ-15"]
    xy = gdf.geometry.iloc[0]
    plain = pd.DataFrame({"x": [xy.x], "y": [xy.y]})
    assert locate(plain, lon="x", lat="y", crs="EPSG:32640", regions=all_regions)["code"].tolist() == [
        "KZ-15"
    ]
    with pytest.raises(GeoInputError, match="no CRS"):
        locate(gpd.GeoDataFrame(geometry=[shapely.Point(lon, lat)]), regions=all_regions)


def test_lines_spanning_several_regions(all_regions):
    line = shapely.LineString([centre("KZ-23"), centre("RU-SAM")])
    out = locate(gpd.GeoDataFrame(geometry=[line], crs="EPSG:4326"), regions=all_regions)
    codes = out["codes"].iloc[0].split(";")
    assert {"KZ-23", "RU-SAM"} <= set(codes) and len(codes) > 2
    assert out["code"].iloc[0] == codes[0] and out["near_boundary"].iloc[0]


def test_every_shipped_project_lies_in_the_regions_it_claims(all_regions):
    projects = geo.projects()
    placed = projects[projects["mappable"]]
    assert set(projects["id"][~projects["mappable"]]) == {"stainless-steel-raw-material-plant"}
    out = locate(placed, regions=all_regions).set_index("id")
    for pid, row in out.iterrows():
        claimed = set(row["regions"].split(";"))
        found = set(row["codes"].split(";"))
        if row["geometry_quality"] == "schematic":
            ends = shapely.get_point(row.geometry, [0, -1])
            end_codes = locate(gpd.GeoDataFrame(geometry=ends, crs="EPSG:4326"), regions=all_regions)["code"]
            assert set(end_codes) <= claimed, pid  # both ends in claimed regions; transit regions not claimed
        elif row.geometry.geom_type == "MultiPoint":  # the cross-border deposit touches both regions
            assert found == claimed == {"RU-ORE", "KZ-15"}, pid
        else:
            assert row["code"] == row["regions"].split(";")[0], pid  # the site region comes first
