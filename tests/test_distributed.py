"""geo.locate on a dask frame, on a local cluster of two workers: the same result as the in-memory path."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import geo
from geo import distributed
from geo.cli import main
from geo.errors import GeoInputError

dd = pytest.importorskip("dask.dataframe", reason="the [dask] extra is not installed")
dask_geopandas = pytest.importorskip("dask_geopandas", reason="the [dask] extra is not installed")


@pytest.fixture(scope="module")
def client():
    with distributed.cluster(n_workers=2, processes=False) as c:
        yield c


@pytest.fixture(scope="module")
def million() -> pd.DataFrame:
    rng = np.random.default_rng(8)
    n = 1_000_000
    return pd.DataFrame(
        {
            "lon": rng.uniform(46.4, 87.4, n),
            "lat": rng.uniform(40.5, 55.5, n),
            "tonnes": rng.integers(0, 9, n),
        }
    )


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Sending large graph")  # the test's 10^6 rows travel in the graph
@pytest.mark.filterwarnings("ignore:.*once longitude and latitude are swapped")  # threaded workers
def test_locate_a_dask_frame_equals_in_memory(client, million, all_regions):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        expected = geo.locate(million, regions=all_regions)
    ddf = dd.from_pandas(million, npartitions=4)
    located = geo.locate(ddf, regions=all_regions)
    assert distributed.is_dask(located)  # lazy: a dask frame comes back
    assert len(client.scheduler_info()["workers"]) == 2
    pd.testing.assert_frame_equal(located.compute(), expected)
    totals = distributed.aggregate(located, additive=["tonnes"])
    inside = expected[~expected["outside"]].groupby("code")["tonnes"].agg(["size", "sum"])
    assert totals.index.tolist() == inside.index.tolist()
    assert totals["records"].tolist() == inside["size"].tolist()
    assert totals["tonnes"].tolist() == inside["sum"].tolist()
    assert totals.attrs["outside"] == int(expected["outside"].sum())


def test_dask_geopandas_frame(client, all_regions):
    pts = pd.DataFrame({"lon": [51.4, 76.9, 116.4], "lat": [51.2, 43.25, 39.9]})  # Oral, Almaty, Beijing
    gdf = gpd.GeoDataFrame(pts, geometry=gpd.points_from_xy(pts["lon"], pts["lat"]), crs="EPSG:4326")
    located = geo.locate(dask_geopandas.from_geopandas(gdf, npartitions=2), regions=all_regions)
    assert isinstance(located, dask_geopandas.GeoDataFrame)
    out = located.compute()
    expected = geo.locate(gdf, regions=all_regions)
    assert out["code"].fillna("-").tolist() == expected["code"].fillna("-").tolist()
    assert out["outside"].tolist() == [False, False, True]


def test_errors_surface_before_compute(all_regions):
    ddf = dd.from_pandas(pd.DataFrame({"x": [1.0], "y": [2.0]}), npartitions=1)
    with pytest.raises(GeoInputError, match="no column 'lon'"):
        geo.locate(ddf, regions=all_regions)
    with pytest.raises(GeoInputError, match="no column 'code'"):
        distributed.aggregate(ddf)


def test_cli_engine_dask_matches_stream(client, tmp_path, capsys):
    rng = np.random.default_rng(9)
    n = 20_000
    frame = pd.DataFrame({"lon": rng.uniform(46.4, 87.4, n), "lat": rng.uniform(40.5, 55.5, n), "t": 2})
    frame.to_csv(tmp_path / "p.csv", index=False)
    common = ["locate", str(tmp_path / "p.csv"), "--by-region", "--sum", "t"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assert main([*common, "-o", str(tmp_path / "s.csv")]) == 0
        assert (
            main(
                [
                    *common,
                    "-o",
                    str(tmp_path / "d.csv"),
                    "--engine",
                    "dask",
                    "--scheduler",
                    client.scheduler.address,
                ]
            )
            == 0
        )
    assert (tmp_path / "s.csv").read_text() == (tmp_path / "d.csv").read_text()
    assert (
        main(["locate", str(tmp_path / "p.csv"), "-o", str(tmp_path / "x.csv"), "--scheduler", "tcp://x:1"])
        == 2
    )
    assert "--scheduler needs --engine dask" in capsys.readouterr().err
