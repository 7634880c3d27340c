"""Streaming locate and totals: batch by batch from Parquet/CSV, the same answer as the in-memory path."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from geo import stream
from geo.cli import main
from geo.errors import GeoInputError, OutputError
from geo.locate import locate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def points() -> pd.DataFrame:
    rng = np.random.default_rng(21)
    n = 100_000
    return pd.DataFrame(
        {
            "id": np.arange(n),
            "lon": rng.uniform(46.4, 87.4, n),
            "lat": rng.uniform(40.5, 55.5, n),
            "tonnes": rng.integers(0, 50, n),
            "note": np.where(np.arange(n) % 3 == 0, "=SUM(A1)", "плашка"),
        }
    )


@pytest.fixture(scope="module")
def reference(points, all_regions) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return locate(points, regions=all_regions)


@pytest.mark.parametrize("fmt_in", ["parquet", "csv", "dataset"])
@pytest.mark.parametrize("fmt_out", ["parquet", "csv"])
def test_locate_file_equals_in_memory(tmp_path, points, reference, all_regions, fmt_in, fmt_out):
    if fmt_in == "dataset":  # a folder of Parquet files, as Spark or dask write them
        src = tmp_path / "pts"
        src.mkdir()
        for i, lo in enumerate(range(0, len(points), 40_000)):
            points.iloc[lo : lo + 40_000].to_parquet(src / f"part-{i}.parquet", index=False)
    else:
        src = tmp_path / f"pts.{fmt_in}"
        points.to_parquet(src, index=False) if fmt_in == "parquet" else points.to_csv(src, index=False)
    dst = tmp_path / f"out.{fmt_out}"
    with pytest.warns(UserWarning, match="flagged in 'swapped_suspect'"):
        rows = stream.locate_file(src, dst, regions=all_regions, batch_rows=7_000)  # many batches
    assert rows == len(points)
    back = (
        pd.read_parquet(dst) if fmt_out == "parquet" else pd.read_csv(dst, dtype=str, keep_default_na=False)
    )
    assert back["code"].fillna("").tolist() == reference["code"].fillna("").tolist()
    assert back["codes"].tolist() == reference["codes"].tolist()
    for col in ("outside", "near_boundary", "swapped_suspect"):
        assert back[col].astype(str).str.lower().tolist() == reference[col].astype(str).str.lower().tolist()
    assert back["note"].tolist() == points["note"].tolist()  # text passes through as given
    assert back["id"].astype(int).tolist() == points["id"].tolist()  # order kept


def test_aggregate_file_equals_a_groupby(tmp_path, points, reference, all_regions):
    src = tmp_path / "pts.csv"
    points.to_csv(src, index=False)
    with pytest.warns(UserWarning):
        totals = stream.aggregate_file(src, additive=["tonnes"], regions=all_regions, batch_rows=9_999)
    inside = reference[~reference["outside"]]
    expected = inside.groupby("code")["tonnes"].agg(["size", "sum"])
    assert totals.index.tolist() == expected.index.tolist()
    assert totals["records"].tolist() == expected["size"].tolist()
    assert totals["tonnes"].tolist() == expected["sum"].astype(float).tolist()
    assert totals.attrs["outside"] == int(reference["outside"].sum())


def test_bad_rows_are_named_in_the_whole_file(tmp_path, points, all_regions):
    bad = points.head(30_000).copy()
    bad.loc[25_000, "lat"] = 95.0
    src = tmp_path / "bad.parquet"
    bad.to_parquet(src, index=False)
    dst = tmp_path / "out.parquet"
    with pytest.raises(GeoInputError, match=r"rows 20,001–30,000 .*count from 20,001.*rows 5001 \(lon"):
        stream.locate_file(src, dst, regions=all_regions, batch_rows=10_000)
    assert not dst.exists() and list(tmp_path.iterdir()) == [src]  # nothing half-written is left


def test_not_a_number_in_a_sum_column(tmp_path, all_regions):
    src = tmp_path / "t.csv"
    src.write_text("lon,lat,tonnes\n60,50,3\n61,50,n/a\n", encoding="utf-8")
    with pytest.raises(
        GeoInputError, match=r"column 'tonnes': 1 cell\(s\) that are not numbers: rows 2 \('n/a'\)"
    ):
        stream.aggregate_file(src, additive=["tonnes"], regions=all_regions)


def test_formats_and_existing_output(tmp_path, points, all_regions):
    src = tmp_path / "pts.parquet"
    points.head(10).to_parquet(src, index=False)
    with pytest.raises(GeoInputError, match=r"unknown format '\.txt'"):
        stream.locate_file(src, tmp_path / "out.txt", regions=all_regions)
    (tmp_path / "out.csv").write_text("keep", encoding="utf-8")
    with pytest.raises(OutputError, match="exists"):
        stream.locate_file(src, tmp_path / "out.csv", regions=all_regions, force=False)
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "keep"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_peak_memory_does_not_grow_with_the_input(tmp_path, fmt):
    """A child streaming 10^6 points peaks where one streaming 10^5 does (in memory, 10^6 cost ~+200 MB).

    The inputs carry a 120-byte text column (~120 MB decoded for 10^6 rows), the large Parquet input is a folder
    of ten files: a reader that reads ahead of its consumer (as pyarrow's dataset scanner and its streaming CSV
    reader did) shows here.
    """
    rng = np.random.default_rng(5)
    for n, files in ((100_000, 1), (1_000_000, 10)):
        m = n // files
        parts = []
        for i in range(files):
            frame = pd.DataFrame({"lon": rng.uniform(46.4, 87.4, m), "lat": rng.uniform(40.5, 55.5, m)})
            frame["note"] = pd.Series(np.arange(i * m, (i + 1) * m)).astype(str).str.pad(120, fillchar="x")
            parts.append(frame)
        if fmt == "csv":
            pd.concat(parts).to_csv(tmp_path / f"p{n}.csv", index=False)
            continue
        (tmp_path / f"p{n}.parquet").mkdir()
        for i, frame in enumerate(parts):
            frame.to_parquet(
                tmp_path / f"p{n}.parquet" / f"part-{i}.parquet", index=False, row_group_size=50_000
            )
    code = (
        "import resource, sys, warnings\n"
        "warnings.simplefilter('ignore')\n"
        "from geo import stream\n"
        "stream.locate_file(sys.argv[1], sys.argv[2], batch_rows=50_000)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )

    def peak_mb(n: int) -> float:
        args = [sys.executable, "-c", code, str(tmp_path / f"p{n}.{fmt}"), str(tmp_path / f"o{n}.parquet")]
        env = {"PYTHONPATH": str(ROOT), "PATH": os.environ.get("PATH", "")}
        out = subprocess.run(args, capture_output=True, text=True, check=True, cwd=ROOT, env=env)
        assert pq.read_metadata(tmp_path / f"o{n}.parquet").num_rows == n
        return int(out.stdout.split()[-1]) / 1024

    small, large = peak_mb(100_000), peak_mb(1_000_000)
    assert large < small + 50, (small, large)


def test_cli_locate(tmp_path, capsys):
    src = tmp_path / "fixes.csv"
    src.write_text("id,x,y\n1,51.37,51.23\n2,76.9,43.25\n3,116.4,39.9\n", encoding="utf-8")
    dst = tmp_path / "located.parquet"
    assert main(["locate", str(src), "--lon", "x", "--lat", "y", "-o", str(dst)]) == 0
    assert "3 rows" in capsys.readouterr().out
    back = pd.read_parquet(dst)
    assert back["code"].fillna("-").tolist() == ["KZ-27", "KZ-75", "-"] and back["id"].tolist() == [
        "1",
        "2",
        "3",
    ]
    assert main(["locate", str(src), "--lon", "x", "--lat", "y", "-o", str(dst)]) == 2  # exists, no --force
    assert "exists" in capsys.readouterr().err
    assert main(["locate", str(src), "-o", str(tmp_path / "o.csv")]) == 2
    assert "no column 'lon'" in capsys.readouterr().err


def test_aggregate_by_region_name_across_batches(tmp_path, capsys):
    names = [
        "Оренбургская обл.",
        "KZ-27",
        "West Kazakhstan",
        "Orenburg Oblast",
        "ЗКО",
        "Западно-Казахстанская область",
    ]
    rng = np.random.default_rng(4)
    n = 30_000
    table = pd.DataFrame(
        {"name": np.asarray(names, dtype=object)[rng.integers(0, len(names), n)], "usd": 1.5}
    )
    folder = tmp_path / "records"
    folder.mkdir()
    for i in range(3):
        table.iloc[i * 10_000 : (i + 1) * 10_000].to_parquet(folder / f"part-{i}.parquet", index=False)
    totals = stream.aggregate_names_file(folder, region="name", additive=["usd"], batch_rows=4_000)
    orenburg = int(table["name"].isin(["Оренбургская обл.", "Orenburg Oblast"]).sum())
    assert totals.index.tolist() == ["KZ-27", "RU-ORE"]
    assert totals["records"].tolist() == [n - orenburg, orenburg]
    assert totals["usd"].tolist() == [1.5 * (n - orenburg), 1.5 * orenburg]
    assert (
        main(["aggregate", str(folder), "--region", "name", "--sum", "usd", "-o", str(tmp_path / "t.csv")])
        == 0
    )
    assert pd.read_csv(tmp_path / "t.csv")["records"].tolist() == [n - orenburg, orenburg]
    table.loc[25_001, "name"] = "Almaty"
    table.to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(
        GeoInputError, match=r"row 25,002: 'Almaty' is ambiguous: Almaty Region \(KZ-19\) or Almaty"
    ):
        stream.aggregate_names_file(tmp_path / "bad.csv", region="name", batch_rows=4_000)
    assert (
        main(["aggregate", str(tmp_path / "bad.csv"), "--region", "name", "-o", str(tmp_path / "b.csv")]) == 2
    )
    assert "ambiguous" in capsys.readouterr().err and not (tmp_path / "b.csv").exists()
