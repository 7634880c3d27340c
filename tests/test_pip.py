"""The grid engine behind locate: the same regions as a plain sjoin, the same near flags as a full test."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import _pip
from geo.locate import locate


def _random_points(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"lon": rng.uniform(46.4, 87.4, n), "lat": rng.uniform(40.5, 55.5, n)})


def test_locate_equals_sjoin_within_on_1e5_points(all_regions):
    pts = _random_points(100_000, 11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # random points outside may look swapped
        out = locate(pts, regions=all_regions)
    gdf = gpd.GeoDataFrame(pts, geometry=gpd.points_from_xy(pts["lon"], pts["lat"]), crs="EPSG:4326")
    ref = gpd.sjoin(gdf, all_regions[["code", "geometry"]], predicate="within", how="left")
    assert not ref.index.duplicated().any()  # no random point lies on a shared boundary
    assert out["code"].fillna("-").tolist() == ref["code"].fillna("-").tolist()
    assert out["outside"].sum() > 1000 and (~out["outside"]).sum() > 50_000  # both kinds are exercised


def test_near_boundary_equals_a_test_of_every_point(all_regions):
    pts = _random_points(100_000, 12)
    regions = all_regions.to_crs("EPSG:4326")
    eng = _pip.engine(regions, 1000.0)
    _, _, near = eng.locate(pts["lon"].to_numpy(), pts["lat"].to_numpy())
    full = eng._near(pts["lon"].to_numpy(), pts["lat"].to_numpy())  # no grid: every point against the pieces
    assert near.sum() > 100
    assert (near == full).all()


def test_engine_is_reused_and_cells_are_classified_once(all_regions):
    regions = all_regions.to_crs("EPSG:4326")
    eng = _pip.engine(regions, 500.0)
    assert _pip.engine(regions.copy(), 500.0) is eng
    assert _pip.engine(regions, 700.0) is not eng
    pts = _random_points(2000, 13)
    first = eng.locate(pts["lon"].to_numpy(), pts["lat"].to_numpy())
    known = (eng.state != -3).sum()
    again = eng.locate(pts["lon"].to_numpy(), pts["lat"].to_numpy())
    assert (eng.state != -3).sum() == known
    assert all((a == b).all() for a, b in zip(first[::2], again[::2], strict=True))


def test_shared_boundary_point_gets_both_regions():
    left = shapely.box(0, 0, 1, 1)
    right = shapely.box(1, 0, 2, 1)
    regions = gpd.GeoDataFrame({"code": ["B", "A"]}, geometry=[left, right], crs="EPSG:4326")
    code, multi, near = _pip.engine(regions, 100.0).locate(
        np.array([1.0, 0.5, 5.0]), np.array([0.5, 0.5, 5.0])
    )
    assert code.tolist() == [1, 0, -1]  # the first code in sort order: "A"
    assert multi[0] == "A;B" and multi[1] is None
    assert near.tolist() == [True, False, False]
