"""Joining tables onto regions: one-to-one, across Kazakhstan's 2018/2022 vintages, and region-pair links."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import geo
from geo.errors import GeoInputError
from geo.join import join, links_from_pairs
from geo.tables import read_table


@pytest.fixture(scope="module")
def kz():
    """Kazakhstan before 2018 (16 polygons): the new units have no polygon of their own and are merged."""
    return geo.regions(country="KZ", vintage="2017")


def table(**columns) -> pd.DataFrame:
    df, report = read_table(pd.DataFrame(columns))
    assert report.ok, str(report)
    return df


def test_one_to_one_left_and_inner(kz):
    t = table(region=["Kostanay", "Aktobe"], turnover=[10.0, 20.0])
    left = join(kz, t)
    assert len(left) == len(kz) and left.crs == kz.crs
    assert left.set_index("code").loc["KZ-39", "turnover"] == 10.0
    assert pd.isna(left.set_index("code").loc["KZ-23", "turnover"])
    inner = join(kz, t, how="inner")
    assert sorted(inner["code"]) == ["KZ-15", "KZ-39"]
    assert (inner["merged_units"].map(len) == 0).all()


def test_additive_measure_is_summed_onto_the_containing_polygon(kz):
    t = table(region=["ВКО", "Abai", "Turkistan", "Shymkent"], turnover=[100.0, 50.0, 7.0, 3.0])
    out = join(kz, t, additive=["turnover"]).set_index("code")
    assert out.loc["KZ-63", "turnover"] == 150.0
    assert out.loc["KZ-63", "merged_units"] == ("KZ-63", "KZ-10")
    assert out.loc["KZ-63", "label_en"] == "East Kazakhstan Region incl. Abai Region"
    assert (
        "Abai Region (KZ-10)" in out.loc["KZ-63", "merged_note"]
        and "summed" in out.loc["KZ-63", "merged_note"]
    )
    assert out.loc["KZ-61", "turnover"] == 10.0 and out.loc["KZ-61", "merged_units"] == ("KZ-61", "KZ-79")


def test_non_additive_measure_is_refused_unless_aggregated(kz):
    t = table(region=["ВКО", "Abai"], share=[0.2, 0.4])
    with pytest.raises(GeoInputError, match=r"column 'share'.*KZ-63, KZ-10.*East Kazakhstan.*aggregate="):
        join(kz, t)
    out = join(kz, t, aggregate={"share": "mean"}).set_index("code")
    assert out.loc["KZ-63", "share"] == pytest.approx(0.3)
    assert "share: mean" in out.loc["KZ-63", "merged_note"]


def test_missing_part_makes_the_sum_missing(kz):
    t = table(region=["ВКО", "Abai"], turnover=[100.0, None])
    out = join(kz, t, additive=["turnover"]).set_index("code")
    assert pd.isna(out.loc["KZ-63", "turnover"])  # a partial sum is not the total


def test_only_the_new_unit_is_flagged_partial(kz):
    out = join(kz, table(region=["Jetisu"], n=[5.0]), additive=["n"]).set_index("code")
    assert out.loc["KZ-19", "n"] == 5.0 and out.loc["KZ-19", "merged_units"] == ("KZ-33",)
    assert "partial" in out.loc["KZ-19", "merged_note"]


def test_boundaries_with_the_new_unit_map_one_to_one(kz):
    # A stand-in for a user's boundary file that has Abai as its own polygon (geometry irrelevant here).
    abai = kz[kz["code"] == "KZ-63"].assign(code="KZ-10")
    regions = pd.concat([kz, abai], ignore_index=True)
    out = join(regions, table(region=["ВКО", "Abai"], share=[0.2, 0.4])).set_index("code")
    assert out.loc["KZ-63", "share"] == 0.2 and out.loc["KZ-10", "share"] == 0.4
    assert (out["merged_units"].map(len) == 0).all()


def test_unresolved_rows_are_refused_not_dropped(kz):
    df, _ = read_table(pd.DataFrame({"region": ["Kostanay", "Kostanaj"], "v": [1, 2]}))
    with pytest.raises(GeoInputError, match=r"1 table row\(s\) have no region code.*rows 2"):
        join(kz, df)


def test_a_table_without_code_is_read_strictly(kz):
    out = join(kz, pd.DataFrame({"region": ["Kostanay"], "v": [1.0]}), how="inner")
    assert out["code"].tolist() == ["KZ-39"]


def test_years_need_a_choice(kz):
    df, report = read_table(
        pd.DataFrame(
            {
                "region": ["Omsk", "Omsk", "Aktobe", "Aktobe"],
                "year": [2020, 2021, 2020, 2021],
                "v": [1.0, 2.0, 3.0, 4.0],
            }
        ),
        keys=["year"],
    )
    assert report.ok
    with pytest.raises(GeoInputError, match=r"several rows for region.*where=.*pivot="):
        join(kz, df)
    out = join(geo.regions(), df, where={"year": 2021}, how="inner").set_index("code")
    assert out.loc["KZ-15", "v"] == 4.0 and out.loc["RU-OMS", "v"] == 2.0
    assert out.loc["KZ-15", "year"] == 2021  # the where column is carried, constant
    both = join(geo.regions(), df, pivot="year", how="inner").set_index("code")
    assert both.loc["RU-OMS", "v_2020"] == 1.0 and both.loc["RU-OMS", "v_2021"] == 2.0
    assert (
        both["v_2020"].dtype.kind == "f" and both["v_2021"].dtype.kind == "f"
    )  # pivot keeps numbers numeric
    assert both.loc["RU-OMS", "region_2021"] == "Omsk" and "year" not in both.columns
    with pytest.raises(GeoInputError, match="selects no row"):
        join(kz, df, where={"year": 1999})


@pytest.fixture
def vintage_years():
    """East Kazakhstan and Abai (split off in 2022) for two years, as a long table keyed by year."""
    df, report = read_table(
        pd.DataFrame(
            {
                "region": ["ВКО", "Abai", "ВКО", "Abai", "Aktobe"],
                "year": [2020, 2020, 2021, 2021, 2021],
                "turnover": [1.0, 2.0, 3.0, 4.0, 5.0],
                "unit": ["mn USD"] * 5,
            }
        ),
        keys=["year"],
    )
    assert report.ok, str(report)
    return df


def test_where_and_key_columns_are_carried_through_a_vintage_merge(kz, vintage_years):
    out = join(kz, vintage_years, where={"year": 2021}, additive=["turnover"], how="inner").set_index("code")
    assert out.loc["KZ-63", "turnover"] == 7.0 and out.loc["KZ-63", "merged_units"] == ("KZ-63", "KZ-10")
    assert out.loc["KZ-63", "year"] == 2021 and out.loc["KZ-15", "year"] == 2021
    assert out["year"].dtype.kind == "i"  # the common value, still a number
    assert out.loc["KZ-63", "unit"] == "mn USD"  # equal text is carried as the common value
    # without read_table's keys, the where column alone is carried
    plain = vintage_years.copy()
    plain.attrs = {}
    out = join(kz, plain, where={"year": 2021}, additive=["turnover"], how="inner").set_index("code")
    assert out.loc["KZ-63", "year"] == 2021 and out.loc["KZ-63", "turnover"] == 7.0
    # a measure still needs a rule
    with pytest.raises(GeoInputError, match=r"column 'turnover'.*not declared additive"):
        join(kz, vintage_years, where={"year": 2021})
    # several years on one polygon are refused, naming the column and the years
    with pytest.raises(GeoInputError, match=r"column 'year' has different values \(2020, 2021\).*KZ-63"):
        join(kz, vintage_years, where={"year": [2020, 2021]}, many="aggregate", additive=["turnover"])


def test_pivot_then_vintage_merge(kz, vintage_years):
    additive = ["turnover_2020", "turnover_2021"]
    out = join(kz, vintage_years, pivot="year", additive=additive, how="inner").set_index("code")
    assert out.loc["KZ-63", "turnover_2020"] == 3.0 and out.loc["KZ-63", "turnover_2021"] == 7.0
    assert pd.isna(out.loc["KZ-15", "turnover_2020"]) and out.loc["KZ-15", "turnover_2021"] == 5.0
    assert out["turnover_2020"].dtype.kind == "f" and "year" not in out.columns
    assert "turnover_2020, turnover_2021 summed" in out.loc["KZ-63", "merged_note"]


def test_record_tables_aggregate_when_asked(kz):
    t, report = read_table(
        pd.DataFrame(
            {
                "region": ["Aktobe", "Актюбинская обл.", "Kostanay"],
                "v": [1.0, 2.0, 4.0],
                "sector": ["a", "b", "a"],
            }
        ),
        unique=False,
    )
    assert report.ok
    with pytest.raises(GeoInputError, match="many='aggregate'"):
        join(kz, t)
    out = join(kz, t, many="aggregate", additive=["v"], how="inner").set_index("code")
    assert out.loc["KZ-15", "v"] == 3.0 and out.loc["KZ-15", "sector"] == "a; b"
    assert out.loc["KZ-15", "merged_note"].startswith("2 rows combined")


def test_codes_without_polygon_warn(kz):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = join(kz, table(region=["Omsk", "Aktobe"], v=[1.0, 2.0]))
    assert any("RU-OMS" in str(w.message) for w in caught)
    assert out.attrs["not_joined"] == ["RU-OMS"]


def test_clashing_column_names_get_a_suffix(kz):
    out = join(kz, table(region=["Aktobe"], name_en=["mine"]), how="inner")
    assert out["name_en"].tolist() == ["Aktobe Region"] and out["name_en_table"].tolist() == ["mine"]


def test_bad_options(kz):
    t = table(region=["Aktobe"], v=[1.0])
    with pytest.raises(GeoInputError, match="how"):
        join(kz, t, how="outer")
    with pytest.raises(GeoInputError, match="no column 'year'"):
        join(kz, t, where={"year": 2020})
    with pytest.raises(GeoInputError, match="'x'"):
        join(kz, t, additive=["x"])


def test_links_from_pairs():
    pairs = pd.DataFrame(
        {
            "from": ["Оренбургская обл.", "Chelyabinsk"],
            "to": ["Aktobe", "Qostanay oblysy"],
            "value": ["1 234,5", "7"],
            "note": ["a", "b"],
        }
    )
    links = links_from_pairs(pairs)
    assert links["from_code"].tolist() == ["RU-ORE", "RU-CHE"] and links["to_code"].tolist() == [
        "KZ-15",
        "KZ-39",
    ]
    assert links["value"].tolist() == [1234.5, 7.0] and links["note"].tolist() == ["a", "b"]
    start = geo.catalog().get("RU-ORE")
    assert links.geometry.iloc[0].coords[0] == (start["centre_lon"], start["centre_lat"])
    assert (links["anchor"] == "administrative centre").all() and links.crs.to_epsg() == 4326


def test_links_errors():
    with pytest.raises(GeoInputError, match=r"'Orenbrug'.*Orenburg Oblast \(RU-ORE\)"):
        links_from_pairs(pd.DataFrame({"from": ["Orenbrug"], "to": ["Aktobe"], "value": [1]}))
    with pytest.raises(GeoInputError, match="with itself"):
        links_from_pairs(pd.DataFrame({"from": ["Aktobe"], "to": ["KZ-15"], "value": [1]}))
    with pytest.raises(GeoInputError, match="not a clear number"):
        links_from_pairs(pd.DataFrame({"from": ["Omsk"], "to": ["Aktobe"], "value": ["lots"]}))


def test_joining_twice_keeps_both_accounts_of_merging() -> None:
    regions = geo.regions(country="KZ", vintage="2017")
    first, _ = geo.read_table(pd.DataFrame({"region": ["Abai", "East Kazakhstan"], "turnover": [2, 3]}))
    second, _ = geo.read_table(pd.DataFrame({"region": ["Shymkent", "Turkistan"], "students": [1, 2]}))
    joined = geo.join(geo.join(regions, first, additive=["turnover"]), second, additive=["students"])
    by_code = joined.set_index("code")
    assert by_code.loc["KZ-63", "turnover"] == 5 and by_code.loc["KZ-63", "merged_units"] == (
        "KZ-63",
        "KZ-10",
    )
    assert by_code.loc["KZ-61", "students"] == 3 and by_code.loc["KZ-61", "merged_units"] == (
        "KZ-61",
        "KZ-79",
    )
    assert "turnover summed" in by_code.loc["KZ-63", "merged_note"]
