"""Statistics as published (issue 11, table level): totals, footnotes, periods and units in time, never a partial sum.

Fixtures are real published tables (tests/data/README.md, tests/data/series/README.md); nothing here is made up.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import geo
from geo.attach import attach
from geo.cli import main
from geo.errors import GeoInputError, TableError
from geo.tables import read_table

DATA = Path(__file__).parent / "data"
SERIES = DATA / "series" / "kz_population_2015_2023.csv"


def fixture(name: str) -> pd.DataFrame:
    """A label/value fixture of tests/data (header comments skipped, our `expected` column dropped)."""
    df = pd.read_csv(DATA / name, comment="#", dtype=str, keep_default_na=False)
    return df.drop(columns="expected")


@pytest.fixture(scope="module")
def series():
    return read_table(SERIES)


@pytest.fixture(scope="module")
def kz():
    return geo.regions(country="KZ")


def unit(df: pd.DataFrame, label: str, year: int) -> str:
    return df.loc[(df["Область"] == label) & (df["Год"] == year), "unit_id"].item()


# -- periods -------------------------------------------------------------------------------------------------
def test_year_column_is_the_period_a_key_never_a_number(series):
    df, report = series
    assert report.ok, str(report)
    assert report.period_column == "Год" and report.key_columns == ["Год"]
    assert report.numeric_columns == ["Население"] and "Год" not in report.text_columns
    assert df.attrs["keys"] == ["Год"]


def test_each_row_is_the_unit_of_its_year(series):
    df, report = series
    assert unit(df, "ВосточноКазахстанская", 2019) == "KZ-63@1997"  # with today's Abai
    assert unit(df, "ВосточноКазахстанская", 2023) == "KZ-63"
    assert unit(df, "Алматинская", 2021) == "KZ-19@1997" and unit(df, "Алматинская", 2022) == "KZ-19"
    assert unit(df, "Туркестанская 1", 2016) == "KZ-61@1997"  # South Kazakhstan, Shymkent included
    # 2017: the bureau gives Shymkent and a Turkistan without it: the period is in today's units, and says so.
    assert unit(df, "Туркестанская 1", 2017) == "KZ-61" and unit(df, "г. Шымкент", 2017) == "KZ-79"
    decided = {i.value for i in report.decisions}
    assert decided == {"Turkistan Region (KZ-61), 2017", "Shymkent (KZ-79), 2017"}
    assert all(i.kind == "period" for i in report.decisions)


def test_totals_listed_apart_and_compared_with_their_parts(series):
    df, report = series
    assert report.count("aggregate") == 9 and not report.unknown  # "Республика Казахстан " each year
    assert df.loc[df["Область"] == "Республика Казахстан ", "unit_id"].unique().tolist() == ["KZ-TOTAL"]
    assert df.loc[df["Область"] == "Республика Казахстан ", "code"].isna().all()
    # Each year's total equals the sum of that year's units (2015-2016 with South Kazakhstan incl. Shymkent).
    assert len(report.totals) == 9
    assert all("the parts sum to the total" in i.suggestion for i in report.totals), report.totals
    assert "17,415,715" in report.totals[0].suggestion and "Год=2015" in report.totals[0].value
    assert "totals (not regions; not joined)" in str(report)


def test_a_wrong_part_shows_the_difference():
    df = pd.read_csv(SERIES)
    df = df[df["Год"] == 2023].copy()
    df.loc[df["Область"] == "г. Шымкент", "Население"] += (
        1000  # one cell changed: the total no longer adds up
    )
    _, report = read_table(df)
    [check] = report.totals
    assert "difference -1,000" in check.suggestion and "(-0.01 %)" in check.suggestion


def test_footnote_markers_are_listed(series):
    _, report = series
    [foot] = report.footnotes
    assert foot.value == "Туркестанская 1" and foot.count == 9 and "'1'" in foot.suggestion
    _, report = read_table(fixture("ru_census_2002_population.csv"))
    assert any("*)" in i.suggestion for i in report.footnotes), report.footnotes


def test_period_names_detected():
    base = pd.read_csv(SERIES).rename(columns={"Область": "region", "Население": "v"})
    for name in ["Жыл", "year", "Year", "date", "период"]:
        _, report = read_table(base.rename(columns={"Год": name}))
        assert report.period_column == name and report.numeric_columns == ["v"], name
    # Not named like a period: a number, unless named with period= (CLI --period).
    _, report = read_table(base.rename(columns={"Год": "yr"}))
    assert report.period_column == "" and "yr" in report.numeric_columns
    _, report = read_table(base.rename(columns={"Год": "yr"}), period="yr")
    assert report.period_column == "yr" and report.numeric_columns == ["v"]
    with pytest.raises(TableError, match="no period column 'when'"):
        read_table(base, period="when")


def test_bad_period_cells_are_problems():
    df = pd.read_csv(SERIES).head(4).astype({"Год": str})
    df.loc[1, "Год"] = "двадцать"
    df.loc[2, "Год"] = "2019-06-30"
    _, report = read_table(df)
    [bad] = report.bad_periods
    assert bad.value == "двадцать" and bad.rows == [2] and not report.ok


def test_without_a_period_changed_units_are_named_once():
    df = pd.read_csv(SERIES)
    df = df[df["Год"] == 2019].drop(columns="Год")
    table, report = read_table(df)
    [note] = [n for n in report.notes if "territory changed" in n]
    assert "East Kazakhstan Region (KZ-63)" in note and "KZ-63@1997" in note and "--period" in note
    assert table.loc[table["Область"] == "ВосточноКазахстанская", "unit_id"].item() == "KZ-63"


def test_tyumen_read_as_the_resolver_reads_it():
    labels = [
        "Тюменская область",
        "Ханты-Мансийский автономный округ - Югра",
        "Ямало-Ненецкий автономный округ",
    ]
    _, report = read_table(pd.DataFrame({"region": labels}))
    [reading] = report.readings
    assert reading.value == "Тюменская область" and "RU-TYU" in reading.suggestion
    labels.append("Тюменская область без автономных округов")
    table, report = read_table(pd.DataFrame({"region": labels}))
    [total] = report.aggregates
    assert total.value == "Тюменская область" and table["unit_id"].iloc[0] == "RU-TYU-TOTAL"
    assert "because the table also has 'Тюменская область без автономных округов'" in total.suggestion


def test_rosstat_districts_are_totals_not_unknown():
    _, report = read_table(fixture("ru_regions_2009_t4_3.csv"), numeric=["value"])
    assert report.ok and report.count("aggregate") == 2
    checks = {i.value.split(",")[0].replace("\n", " "): i.suggestion for i in report.totals}
    assert "15 of its 18 parts" in checks["Центральный федеральный округ"]


# -- joins ----------------------------------------------------------------------------------------------------
def test_join_2019_draws_east_kazakhstan_with_abai(series, kz):
    df, _ = series
    out = geo.join(kz, df, where={"Год": 2019}).set_index("code")
    assert "KZ-10" not in out.index  # dissolved into the former unit
    assert out.loc["KZ-63", "Население"] == 1378527 and out.loc["KZ-63", "unit_id"] == "KZ-63@1997"
    assert out.loc["KZ-63", "unit_parts"] == "KZ-63;KZ-10"
    area = geo.areas_km2(out.loc[["KZ-63"]].reset_index()).item()
    parts = geo.areas_km2(kz[kz["code"].isin(["KZ-63", "KZ-10"])]).sum()
    assert area == pytest.approx(parts, rel=1e-6)
    assert out.loc["KZ-61", "Население"] == 1983969 and out.loc["KZ-61", "unit_id"] == "KZ-61"
    assert out.attrs["left_out"] and "Abai Region (KZ-10)" in out.attrs["left_out"][0]


def test_the_year_is_never_offered_as_additive(series):
    df, _ = series
    before = geo.regions(country="KZ", vintage="2017")  # 2023's new units land on the 2017 polygons
    with pytest.raises(GeoInputError, match="additive=\\['Население'\\]") as error:
        geo.join(before, df, where={"Год": 2023})
    assert "Год" not in str(error.value)
    out = geo.join(before, df, where={"Год": 2023}, additive=["Население"]).set_index("code")
    assert out.loc["KZ-63", "Население"] == 730236 + 610205 and out.loc["KZ-63", "Год"] == 2023


def test_join_2023_draws_today_units(series, kz):
    df, _ = series
    out = geo.join(kz, df, where={"Год": 2023}).set_index("code")
    assert out.loc["KZ-63", "Население"] == 730236 and out.loc["KZ-10", "Население"] == 610205
    assert not out.attrs["partial"] and len(out) == 20


def test_join_on_the_vintage_itself_needs_no_dissolving(series):
    df, _ = series
    regions = geo.regions(country="KZ", vintage="2019")
    out = geo.join(regions, df, where={"Год": 2019}).set_index("code")
    assert out.loc["KZ-63", "Население"] == 1378527 and not out.attrs["partial"]


def test_pivot_across_a_territory_change_is_refused(series, kz):
    df, _ = series
    with pytest.raises(GeoInputError, match=r"different territories.*KZ-.*@1997"):
        geo.join(kz, df, pivot="Год")


def test_mixed_periods_are_refused(series, kz):
    df, _ = series
    with pytest.raises(GeoInputError, match="mix periods"):
        geo.join(kz, df, where={"Год": [2019, 2023]}, many="aggregate", additive=["Население"])


# -- never a partial sum --------------------------------------------------------------------------------------
def the_2023_rows(without: str | None = None, misspell: str | None = None) -> pd.DataFrame:
    df = pd.read_csv(SERIES)
    df = df[df["Год"] == 2023]
    if without:
        df = df[df["Область"] != without]
    if misspell:
        df = df.replace({"Область": {misspell: misspell + "xx"}})
    return df


def test_a_missing_part_leaves_the_polygon_empty_and_is_a_problem():
    before = geo.regions(country="KZ", vintage="2017")  # East Kazakhstan still holds Abai
    df = the_2023_rows(without="ВосточноКазахстанская")
    with pytest.raises(TableError, match="no row for East Kazakhstan Region"):
        attach(before, df, additive=["Население"])
    with pytest.warns(UserWarning, match="never a partial sum"):
        result = attach(before, df, additive=["Население"], strict=False)
    row = result.regions.set_index("code").loc["KZ-63"]
    assert pd.isna(row["Население"]) and "no value" in row["merged_note"]
    [problem] = result.report.partial
    assert problem.kind == "missing_part" and not result.report.ok


def test_lenient_never_turns_a_missing_part_into_a_total():
    # Issue 11: with --lenient, one unrecognised row turned "East Kazakhstan incl. Abai" into Abai's figure alone.
    before = geo.regions(country="KZ", vintage="2017")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = attach(
            before, the_2023_rows(misspell="ВосточноКазахстанская"), additive=["Население"], strict=False
        )
    value = result.regions.set_index("code").loc["KZ-63", "Население"]
    assert pd.isna(value)  # not Abai's 610,205
    complete = attach(before, the_2023_rows(), additive=["Население"]).regions.set_index("code")
    assert complete.loc["KZ-63", "Население"] == 730236 + 610205


def test_geo_check_with_boundaries_is_not_clean_on_a_missing_part(tmp_path, capsys):
    path = tmp_path / "pop2023.csv"
    the_2023_rows(without="Абай").to_csv(path, index=False)
    bnd = tmp_path / "before.gpkg"
    geo.regions(country="KZ", vintage="2017")[["code", "name_en", "geometry"]].to_file(bnd, engine="pyogrio")
    assert main(["check", str(path)]) == 0
    assert main(["check", str(path), "--boundaries", str(bnd)]) == 2
    out = capsys.readouterr().out
    assert "no row for Abai Region (KZ-10)" in out and "never a partial sum" in out
    assert main(["check", str(path), "--vintage", "2017"]) == 2
    assert "no row for Abai Region (KZ-10)" in capsys.readouterr().out


def test_geo_check_prints_totals_and_the_period(capsys):
    df = fixture("kz_population_2000_2023.csv")
    path = DATA / "kz_population_2000_2023.csv"
    assert main(["check", str(path)]) == 2  # the comment lines of the fixture are not a table
    capsys.readouterr()
    tmp = Path(pytest.importorskip("tempfile").mkdtemp()) / "pop.csv"
    df.to_csv(tmp, index=False)
    assert main(["check", str(tmp), "--period", "year"]) == 0
    out = capsys.readouterr().out
    assert "period: 'year'" in out and "the parts sum to the total (19,766,807)" in out


def test_export_of_a_former_period_draws_the_former_units(tmp_path):
    from geo.attach import TableOptions

    [path] = geo.export(
        tmp_path / "pop2019.csv",
        layers="regions",
        data=SERIES,
        table_options=TableOptions(where={"Год": 2019}),
    )
    layer = pd.read_csv(path).set_index("code")
    today = pd.read_csv(geo.export(tmp_path / "today.csv", layers="regions")[0]).set_index("code")
    assert "KZ-10" not in layer.index and layer.loc["KZ-63", "unit_id"] == "KZ-63@1997"
    assert layer.loc["KZ-63", "Население"] == 1378527
    assert layer.loc["KZ-63", "area_km2"] == pytest.approx(
        today.loc[["KZ-63", "KZ-10"], "area_km2"].sum(), abs=0.01
    )
    assert layer.loc["KZ-63", "border_km"] == pytest.approx(
        today.loc[["KZ-63", "KZ-10"], "border_km"].sum(), abs=0.01
    )
    with pytest.raises(GeoInputError, match="one at a time"):
        geo.export(
            tmp_path / "two.csv",
            layers="regions",
            data=[SERIES, SERIES],
            table_options=TableOptions(where={"Год": 2019}),
        )


def test_an_empty_year_in_a_column_of_years_is_a_problem_without_a_pandas_warning(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("region,year,turnover\nKostanay,2021,10\nOmsk,,5\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pandas' FutureWarning on fillna would reach users as "geo: warning"
        _, report = read_table(path)
    (issue,) = report.bad_periods
    assert issue.rows == [2] and "fill in the period" in issue.describe()
