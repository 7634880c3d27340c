"""`geo check` and `geo join`: the report, exit codes 0/2, one-line errors, atomic outputs."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest

import geo
from geo.cli import main
from geo.exports.layers import focus_regions


@pytest.fixture
def clean(tmp_path):
    path = tmp_path / "clean.csv"
    path.write_text("region;turnover;share\nВКО;1 000;0,2\nAbai;500;0,4\nKostanay;20;0,1\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def before_2018(tmp_path_factory):
    """A boundary file drawn before the reforms (Abai inside East Kazakhstan), as users still have them."""
    path = tmp_path_factory.mktemp("bnd") / "before_2018.gpkg"
    geo.regions(vintage="2017")[["code", "name_en", "geometry"]].to_file(path, engine="pyogrio")
    return path


@pytest.fixture
def messy(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text("region,v\nKostanaj,1\nAlmaty,2\nOmsk,abc\n", encoding="utf-8")
    return path


def test_check_clean_exits_0(clean, capsys):
    assert main(["check", str(clean)]) == 0
    out = capsys.readouterr().out
    assert "3 rows, 3 matched" in out and "OK" in out


def test_check_problems_exits_2_with_the_report(messy, capsys):
    assert main(["check", str(messy)]) == 2
    out = capsys.readouterr().out
    assert "'Kostanaj' is not a known region" in out and "Kostanay Region (KZ-39)" in out
    assert "'Almaty' is ambiguous" in out and "'abc' is not a number" in out
    assert "row 1 (line 2)" in out


def test_check_missing_file_one_line(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("geo: error:") and "no such file" in err


def test_check_missing_region_column(clean, capsys):
    assert main(["check", str(clean), "--region", "oblast"]) == 2
    assert "no column 'oblast'" in capsys.readouterr().err


def test_join_writes_geopackage(clean, tmp_path, capsys):
    out = tmp_path / "joined.gpkg"
    assert main(["join", str(clean), "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    gdf = gpd.read_file(out).set_index("code")
    # Today's boundaries: Abai has its own polygon, nothing is merged.
    assert gdf.loc["KZ-63", "turnover"] == 1000 and gdf.loc["KZ-10", "turnover"] == 500
    assert (gdf["merged_units"].fillna("") == "").all()


def test_join_onto_boundaries_before_2018_merges(clean, before_2018, tmp_path, capsys):
    out = tmp_path / "joined.gpkg"
    args = ["join", str(clean), "-o", str(out), "--boundaries", str(before_2018)]
    assert main([*args, "--additive", "turnover", "--aggregate", "share=mean"]) == 0
    assert "wrote" in capsys.readouterr().out
    gdf = gpd.read_file(out).set_index("code")
    assert gdf.loc["KZ-63", "turnover"] == 1500 and gdf.loc["KZ-63", "merged_units"] == "KZ-63;KZ-10"
    assert gdf.loc["KZ-63", "share"] == pytest.approx(0.3)


def test_join_geojson_inner(clean, before_2018, tmp_path):
    out = tmp_path / "joined.geojson"
    assert (
        main(
            [
                "join",
                str(clean),
                "--boundaries",
                str(before_2018),
                "-o",
                str(out),
                "--additive",
                "turnover",
                "--aggregate",
                "share=mean",
                "--how",
                "inner",
            ]
        )
        == 0
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "crs" not in doc and len(doc["features"]) == 2


def test_join_refuses_non_additive_in_one_line(clean, before_2018, tmp_path, capsys):
    args = ["--boundaries", str(before_2018), "--additive", "turnover"]
    assert main(["join", str(clean), "-o", str(tmp_path / "x.gpkg"), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "column 'share'" in err and "--aggregate" in err
    assert not (tmp_path / "x.gpkg").exists()


def test_join_strict_stops_on_problems(messy, tmp_path, capsys):
    assert main(["join", str(messy), "-o", str(tmp_path / "x.gpkg")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "1 unknown" in err and "geo check" in err
    assert not (tmp_path / "x.gpkg").exists()


def test_join_lenient_warns_and_writes(messy, tmp_path, capsys):
    out = tmp_path / "x.geojson"
    assert main(["join", str(messy), "-o", str(out), "--lenient"]) == 0
    err = capsys.readouterr().err
    assert "1 unknown, 1 ambiguous, 1 non-numeric cells" in err
    assert "leaving out 2 row(s) without a region code" in err  # Kostanaj (unknown) and Almaty (ambiguous)
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert len(features) == len(focus_regions(geo.regions()))  # the regions of map/export, joined or not
    props = {f["properties"]["code"]: f["properties"] for f in features}
    assert "RU-OMS" in props and props["RU-OMS"]["v"] is None  # 'abc' stays missing, never 0
    assert [c for c, p in props.items() if p["v"] is not None] == []  # nothing from the left-out rows


def test_join_refuses_overwrite_without_force(clean, tmp_path, capsys):
    out = tmp_path / "x.gpkg"
    out.write_text("keep me")
    args = ["join", str(clean), "-o", str(out), "--additive", "turnover", "--aggregate", "share=mean"]
    assert main(args) == 2
    assert "--force" in capsys.readouterr().err and out.read_text() == "keep me"
    assert main([*args, "--force"]) == 0


def test_join_unknown_extension(clean, tmp_path, capsys):
    assert main(["join", str(clean), "-o", str(tmp_path / "x.shp")]) == 2
    assert ".gpkg" in capsys.readouterr().err


def test_join_where_and_keys(tmp_path, capsys):
    path = tmp_path / "years.csv"
    path.write_text("region,year,v\nOmsk,2020,1\nOmsk,2021,2\nAktobe,2021,3\n", encoding="utf-8")
    out = tmp_path / "y.geojson"
    assert main(["check", str(path)]) == 2
    assert main(["check", str(path), "--keys", "year"]) == 0
    assert (
        main(["join", str(path), "--keys", "year", "--where", "year=2021", "--how", "inner", "-o", str(out)])
        == 0
    )
    props = {f["properties"]["code"]: f["properties"]["v"] for f in json.loads(out.read_text())["features"]}
    assert props == {"RU-OMS": 2.0, "KZ-15": 3.0}


def test_check_delimiter_spellings_and_unreadable_files(tmp_path, capsys):
    path = tmp_path / "t.tsv"
    path.write_text("region\tv\nOmsk\t1\nAktobe\t2\n", encoding="utf-8")
    assert main(["check", str(path), "--delimiter", "\\t"]) == 0  # as typed in a shell
    assert "2 rows, 2 matched" in capsys.readouterr().out
    assert main(["check", str(path), "--delimiter", "ab"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "delimiter 'ab' is not one character" in err
    fake = tmp_path / "t.xlsx"
    fake.write_text("region,v\nOmsk,1\n", encoding="utf-8")
    assert main(["check", str(fake)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "t.xlsx: not an Excel workbook" in err


# -- counts and region set (issue 14) ----------------------------------------------------------------
@pytest.fixture
def two_years(tmp_path):
    path = tmp_path / "two_years.csv"
    rows = ["region,year,turnover"]
    rows += [f"{r},2021,{v}" for r, v in [("Orenburg", 627), ("Aktobe", 1124), ("Kostanay", 5)]]
    rows += [f"{r},2020,{v}" for r, v in [("Orenburg", 1), ("Aktobe", 2), ("Kostanay", 3), ("Omsk", 4),
                                          ("Saratov", 5), ("Atyrau", 6)]]  # fmt: skip
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_join_counts_the_polygons_that_hold_data(two_years, tmp_path, capsys):
    out = tmp_path / "t.geojson"
    assert main(["join", str(two_years), "--keys", "year", "--where", "year=2021", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    with_data = [f["properties"]["code"] for f in features if f["properties"]["turnover"] is not None]
    assert sorted(with_data) == ["KZ-15", "KZ-39", "RU-ORE"]
    assert f"{len(features)} polygons, 3 with data" in printed  # not the 6 regions of the whole table


def test_join_writes_the_map_regions_unless_all_regions(two_years, tmp_path):
    every = geo.regions()
    for flag, expected in (([], len(focus_regions(every))), (["--all-regions"], len(every))):
        out = tmp_path / f"t{len(flag)}.geojson"
        args = ["join", str(two_years), "--keys", "year", "--where", "year=2021", "-o", str(out), *flag]
        assert main(args) == 0
        assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) == expected
    assert len(focus_regions(every)) < len(every)


def test_join_writes_a_year_as_an_integer(two_years, tmp_path):
    import pyogrio

    out = tmp_path / "t.gpkg"
    assert main(["join", str(two_years), "--keys", "year", "--where", "year=2021", "-o", str(out)]) == 0
    info = pyogrio.read_info(out)
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["year"] == "int64" and types["turnover"] == "int64"  # not Real 2021.0
    back = gpd.read_file(out).set_index("code")
    assert back.loc["RU-ORE", "year"] == 2021 and back["year"].isna().sum() == len(back) - 3
