"""The shipped attribute tables load with honest types and geometries: nothing invented, nothing coerced."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import shapely

import geo
from geo._paths import data_dir
from geo.crossings import crossings
from geo.errors import GeoInputError

PROJECT_COLUMNS = [
    "id",
    "name_en",
    "name_ru",
    "type",
    "status",
    "year",
    "year_event",
    "regions",
    "partners",
    "lon",
    "lat",
    "length_km",
    "geometry_quality",
    "anchor",
    "placed_at",
    "mappable",
    "description_en",
    "source",
    "note",
    "geometry",
]
LINK_COLUMNS = [
    "id",
    "from_code",
    "to_code",
    "from_name",
    "to_name",
    "kind",
    "directed",
    "value",
    "value_qualifier",
    "unit",
    "year",
    "label_en",
    "source",
    "note",
    "anchor",
    "geometry",
]


def _centre(code: str) -> tuple[float, float]:
    row = geo.catalog().get(code)
    return float(row["centre_lon"]), float(row["centre_lat"])


def _raw(name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir() / "attributes" / name, dtype=str, keep_default_na=False)


def test_projects_contract():
    p = geo.projects()
    assert list(p.columns) == PROJECT_COLUMNS
    assert p.crs.to_epsg() == 4326
    assert len(p) == len(_raw("projects.csv"))  # nothing dropped
    assert str(p["year"].dtype) == "Int64" and str(p["lon"].dtype) == "Float64"
    for col in ["name_en", "regions", "placed_at", "source", "note", "anchor"]:
        assert p[col].map(type).eq(str).all(), col  # plain strings, empty where unknown


def test_published_points_are_the_published_coordinates():
    p = geo.projects().set_index("id")
    raw = _raw("projects.csv").set_index("id")
    for pid in p.index[p["geometry_quality"] == "published"]:
        geom = p.at[pid, "geometry"]
        assert geom.geom_type == "Point"
        assert (geom.x, geom.y) == (float(raw.at[pid, "lon"]), float(raw.at[pid, "lat"]))
        assert p.at[pid, "placed_at"].startswith("published")


def test_region_items_sit_at_catalogue_centres_and_say_so():
    p = geo.projects().set_index("id")
    plant = p.loc["orenburg-gas-processing-plant"]
    assert (plant.geometry.x, plant.geometry.y) == _centre("RU-ORE")
    assert plant["placed_at"].startswith("approximate:") and "Orenburg Oblast" in plant["placed_at"]
    assert pd.isna(plant["lon"]) and pd.isna(plant["lat"])  # no invented coordinates in the data columns
    branch = p.loc["csu-kostanay-branch"]  # anchored to a city the catalogue knows
    assert (branch.geometry.x, branch.geometry.y) == _centre("KZ-39")
    assert "Kostanay (city)" in branch["placed_at"]


def test_cross_border_deposit_is_not_put_in_one_region():
    deposit = geo.projects().set_index("id").loc["vesenne-aralchinsky-deposit"]
    assert deposit.geometry.geom_type == "MultiPoint"
    points = {(g.x, g.y) for g in deposit.geometry.geoms}
    assert points == {_centre("RU-ORE"), _centre("KZ-15")}
    assert "each region it spans" in deposit["placed_at"]


def test_country_only_item_has_no_geometry():
    p = geo.projects().set_index("id")
    plant = p.loc["stainless-steel-raw-material-plant"]
    assert plant.geometry is None and not plant["mappable"]
    assert "only the country" in plant["placed_at"]
    assert p["mappable"].sum() == len(p) - 1


def test_schematic_lines_keep_the_published_length():
    p = geo.projects().set_index("id")
    cpc = p.loc["cpc-pipeline"]
    assert cpc.geometry.geom_type == "LineString" and cpc["length_km"] == 1511
    assert "not the actual route" in cpc["placed_at"]


def test_links_are_lines_between_administrative_centres():
    links = geo.links()
    assert list(links.columns) == LINK_COLUMNS
    assert links.crs.to_epsg() == 4326
    assert (links["anchor"] == "administrative centre").all()
    for row in links.itertuples():
        coords = list(row.geometry.coords)
        assert coords == [_centre(row.from_code), _centre(row.to_code)]
    assert links["directed"].dtype == bool
    gas = links.set_index("id").loc["gas-kz27-ruore-karachaganak"]
    assert gas["value"] == 9 and gas["value_qualifier"] == "up to about"
    deposit = links.set_index("id").loc["deposit-ruore-kz15-vesenne-aralchinsky"]
    assert pd.isna(deposit["value"])  # empty means unknown, never zero


def test_trade_and_cooperation_types():
    trade = geo.trade()
    assert str(trade["value"].dtype) == "Float64" and str(trade["growth_pct"].dtype) == "Float64"
    growth_only = trade.set_index("id").loc["ru-kz-2018-growth-inform"]
    assert pd.isna(growth_only["value"]) and growth_only["growth_pct"] == 14
    coop = geo.cooperation()
    assert str(coop["year"].dtype) == "Int64" and str(coop["number"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(coop["date"])
    assert coop.set_index("id").loc["forum-16", "date"] == pd.Timestamp("2019-11-07")


def test_shipped_codes_are_in_the_catalogue():
    known = set(geo.catalog().codes) | {"RU", "KZ", ""}
    trade = geo.trade()
    assert set(trade["region"]) <= known and set(trade["partner"]) <= known
    coop = geo.cooperation()
    assert set(coop["host_region"]) <= known and set(coop["partner_region"]) <= known
    for regions in geo.projects()["regions"]:
        assert set(regions.split(";")) <= known


def test_a_broken_number_in_a_shipped_table_is_an_error(tmp_path):
    shutil.copy(data_dir() / "attributes" / "links.csv", tmp_path / "links.csv")
    text = (tmp_path / "links.csv").read_text(encoding="utf-8").replace(",89.5,", ",89.5x,", 1)
    (tmp_path / "links.csv").write_text(text, encoding="utf-8")
    with pytest.raises(GeoInputError, match=r"links.csv: line \d+, column 'value'"):
        geo.links(directory=tmp_path)


def test_geometries_are_valid():
    p = geo.projects()
    geoms = p.geometry[p["mappable"]].to_numpy()
    assert shapely.is_valid(geoms).all()


def _user_file(tmp_path, name: str, data: bytes):
    (tmp_path / name).write_bytes(data)
    return tmp_path


def test_user_tables_missing_columns_are_named(tmp_path):
    folder = _user_file(tmp_path, "links.csv", b"from,to,value\nRU-ORE,KZ-15,1\n")
    with pytest.raises(
        GeoInputError, match=r"links\.csv: missing column\(s\) 'from_code', 'to_code'.*'from'"
    ):
        geo.links(directory=folder)
    folder = _user_file(tmp_path, "projects.csv", b"id,name_en\np1,Plant\n")
    with pytest.raises(GeoInputError, match=r"projects\.csv: missing column\(s\) 'type', 'geometry_quality'"):
        geo.projects(directory=folder)


def test_user_tables_need_only_the_essential_columns(tmp_path):
    folder = _user_file(tmp_path, "links.csv", b"from_code,to_code,value\nRU-ORE,KZ-15,12.5\nRU-OMS,KZ-55,\n")
    links = geo.links(directory=folder)
    assert links["from_code"].tolist() == ["RU-ORE", "RU-OMS"] and links["value"].iloc[0] == 12.5
    assert pd.isna(links["value"].iloc[1]) and pd.isna(links["year"]).all()  # absent means unknown
    assert links["note"].tolist() == ["", ""] and not links["directed"].any()
    folder = _user_file(
        tmp_path, "projects.csv", b"id,name_en,type,geometry_quality,anchor\np1,Plant,plant,region,RU-ORE\n"
    )
    p = geo.projects(directory=folder)
    assert p.geometry.iloc[0].equals(shapely.Point(*_centre("RU-ORE"))) and p["source"].tolist() == [""]


def test_user_tables_unreadable_files_are_input_errors(tmp_path):
    folder = _user_file(tmp_path, "links.csv", b"")
    with pytest.raises(GeoInputError, match=r"links\.csv: the file is empty; .*from_code, to_code"):
        geo.links(directory=folder)
    folder = _user_file(
        tmp_path, "links.csv", "from_code,to_code,note\nRU-ORE,KZ-15,Оренбург\n".encode("cp1251")
    )
    with pytest.raises(GeoInputError, match=r"links\.csv: not UTF-8 text .*save the table as CSV UTF-8"):
        geo.links(directory=folder)
    folder = _user_file(tmp_path, "links.csv", b"from_code,to_code,value\nRU-ORE,KZ-15,inf\n")
    with pytest.raises(GeoInputError, match=r"line 2, column 'value': 'inf' is not a number"):
        geo.links(directory=folder)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "links.csv").mkdir()
    with pytest.raises(GeoInputError, match="is a folder"):
        geo.links(directory=tmp_path / "sub")


def test_a_users_links_file_for_the_map_names_the_users_file(tmp_path):
    from geo.maps.data import load_links

    path = tmp_path / "my pairs.csv"
    path.write_text("region,partner\nRU-ORE,KZ-15\n", encoding="utf-8")
    with pytest.raises(GeoInputError, match=r"my pairs\.csv: missing column\(s\) 'from_code', 'to_code'"):
        load_links(path)


# --- issue 12: the record of cooperation, complete --------------------------------------------------------

_QUALIFIERS = {"exact", "about", "over", "almost", "up to about"}
_MEASURES = {
    "turnover",
    "export",
    "import",
    "turnover_growth",
    "export_growth",
    "import_growth",
    "share_of_foreign_trade",
    "interregional_share",
}
_SIDES = {
    "ru_statistics",
    "kz_statistics",
    "ru_customs",
    "governor",
    "akimat",
    "ru_federal",
    "kz_national",
    "media",
    "unknown",
}


def _known() -> set[str]:
    return set(geo.catalog().codes)


@pytest.mark.parametrize(
    "name", ["trade.csv", "cooperation.csv", "links.csv", "projects.csv", "crossings.csv"]
)
def test_every_shipped_row_names_its_source(name):
    raw = _raw(name)
    assert not raw.empty and raw["source"].str.strip().ne("").all(), raw.loc[
        raw["source"].str.strip().eq(""), "id"
    ].tolist()
    assert raw["id"].is_unique


def test_every_trade_row_has_a_period_or_says_why():
    raw = _raw("trade.csv")
    year = raw["period"].str.fullmatch(r"(19|20)\d{2}")
    months = raw["period"].str.fullmatch(r"(20\d{2})-(0[1-9]|1[0-2])/(20\d{2})-(0[1-9]|1[0-2])")
    assert (raw.loc[year, "period_type"] == "year").all()
    assert (raw.loc[months, "period_type"] == "months").all()
    unstated = raw["period"].eq("")
    assert (raw.loc[unstated, "period_type"] == "unstated").all()
    assert raw.loc[unstated, "note"].str.len().gt(20).all()  # the reason the period is missing
    assert (year | months | unstated).all(), raw.loc[~(year | months | unstated), "period"].tolist()
    start, end = raw.loc[months, "period"].str.split("/", expand=True).T.to_numpy()
    assert (start <= end).all()


def test_trade_vocabularies_and_units():
    raw = _raw("trade.csv")
    assert set(raw["measure"]) <= _MEASURES
    assert set(raw["reporting_side"]) <= _SIDES
    valued = raw["value"].ne("")
    assert set(raw.loc[valued, "qualifier"]) <= _QUALIFIERS
    assert raw.loc[~valued, "qualifier"].eq("").all()
    money = raw["measure"].isin({"turnover", "export", "import"}) & valued
    assert raw.loc[money, "currency"].isin({"USD", "RUB", "KZT", "EUR"}).all()
    assert raw.loc[money, "unit"].isin({"million", "billion", "trillion"}).all()
    rates = raw["measure"].str.endswith(("_growth", "_share", "foreign_trade"))
    assert raw.loc[rates, "unit"].isin({"percent", "times"}).all() and raw.loc[rates, "currency"].eq("").all()
    usd = raw["value_usd_mn"].ne("")
    assert raw.loc[usd & raw["currency"].ne("USD"), "id"].tolist() == [
        "ru-kz-2022-ru-data"
    ]  # the one source-given equivalent


def test_trade_region_is_on_its_side_and_partner_on_the_other():
    raw = _raw("trade.csv")
    region = raw[raw["scope"].isin({"region", "region_pair"})]
    assert region["region"].isin(_known()).all() and region["partner"].isin(_known() | {"RU", "KZ"}).all()
    assert (region["region"].str[:2] != region["partner"].str[:2]).all()  # always across the border


def test_notes_point_only_at_rows_that_exist():
    names = ("trade.csv", "cooperation.csv", "projects.csv", "links.csv", "crossings.csv")
    tables = {name: _raw(name) for name in names}
    ids = set().union(*(set(t["id"]) for t in tables.values()))
    for name, raw in tables.items():
        mentioned = (
            raw["note"].str.findall(r"\brows? ([a-z0-9][a-z0-9-]*-[a-z0-9-]*[a-z0-9])").explode().dropna()
        )
        assert set(mentioned) <= ids, (name, sorted(set(mentioned) - ids))
        assert len(mentioned) > 0 or name in {"crossings.csv", "projects.csv"}  # the pattern finds references


def test_forums_one_to_twenty_one_complete():
    coop = geo.cooperation()
    forums = coop[coop["kind"] == "forum"].sort_values("number")
    assert forums["number"].tolist() == list(range(1, 22))
    assert forums["year"].notna().all() and forums["year"].is_monotonic_increasing
    assert forums["host_city"].str.len().gt(0).all() and forums["host_region"].isin(_known()).all()
    assert forums["url"].str.startswith("http").all()
    dated = forums[forums["date"].notna()]
    assert (dated["date"].dt.year == dated["year"]).all() and len(dated) >= 15
    ends = forums[forums["date_end"].notna()]
    assert (ends["date_end"] >= ends["date"]).all()
    # since the III forum the host alternates between the two countries
    hosts = forums.set_index("number")["host_region"].str[:2]
    assert all(hosts[n] != hosts[n + 1] for n in range(3, 21))
    assert forums.set_index("number").at[21, "host_city"] == "Uralsk"


def test_cooperation_rows_have_a_year_or_say_why():
    coop = geo.cooperation()
    no_year = coop[coop["year"].isna()]
    assert no_year["note"].str.contains("not in the stored text|not stated", regex=True).all(), no_year[
        "id"
    ].tolist()
    codes = set(coop["host_region"]) | set(coop["partner_region"])
    assert codes <= _known() | {"RU", "KZ", ""}


def test_agreements_join_a_russian_and_a_kazakh_region():
    links = geo.links()
    agreements = links[links["kind"] == "agreement"]
    assert len(agreements) >= 20
    assert (
        agreements["from_code"].str.startswith("RU-").all()
        and agreements["to_code"].str.startswith("KZ-").all()
    )
    no_year = agreements[agreements["year"].isna()]
    assert no_year["note"].str.contains("not in the stored text|not stated|date not", regex=True).all()


@pytest.fixture(scope="module")
def region_polygons():
    return geo.regions().set_index("code").geometry


def test_published_and_schematic_coordinates_lie_in_the_regions_claimed(region_polygons):
    p = geo.projects()
    for row in p[p["geometry_quality"].isin({"published", "schematic"})].itertuples():
        codes = [c for c in row.regions.split(";") if c in region_polygons.index]
        if row.geometry_quality == "published":  # the site region comes first
            assert region_polygons[codes[0]].contains(row.geometry), row.id
        else:  # every waypoint of a schematic line is in one of the regions listed
            area = shapely.union_all(list(region_polygons[codes]))
            assert all(area.contains(shapely.Point(xy)) for xy in row.geometry.coords), row.id
    cx = crossings()
    for row in cx[cx["mappable"]].itertuples():
        for code in (row.kz_region, row.ru_region):
            if code:
                assert region_polygons[code].distance(row.geometry) < 0.05, row.id  # on or near its side


def test_crossing_codes_inferred_from_adjacency_are_the_only_neighbour():
    from geo.analysis import border_pairs

    pairs = border_pairs(geo.regions())
    cx = crossings()
    for row in cx[cx["ru_region_basis"] == "adjacency"].itertuples():
        assert set(pairs.loc[pairs["kz_code"] == row.kz_region, "ru_code"]) == {row.ru_region}, row.id
    for row in cx[cx["kz_region_basis"] == "adjacency"].itertuples():
        assert set(pairs.loc[pairs["ru_code"] == row.ru_region, "kz_code"]) == {row.kz_region}, row.id


def test_crossings_contract_and_honest_gaps():
    cx = crossings()
    assert cx.crs.to_epsg() == 4326 and len(cx) == len(_raw("crossings.csv"))
    assert str(cx["lon"].dtype) == "Float64" and cx["mappable"].dtype == bool
    assert cx["kz_region"].str.len().gt(0).sum() >= 26
    unplaced = cx[~cx["mappable"]]
    assert unplaced.geometry.isna().all() and unplaced["note"].str.contains("No coordinates").all()


def test_crossings_refuse_unsourced_or_unlicensed_coordinates(tmp_path):
    head = "id,name_en,type,kz_region,ru_region,lon,lat,coord_source,licence,source\n"
    (tmp_path / "crossings.csv").write_text(head + "x,X,road,KZ-27,RU-ORE,52.1,51.0,,,s\n", encoding="utf-8")
    with pytest.raises(GeoInputError, match="coordinates but no coord_source"):
        crossings(directory=tmp_path)
    (tmp_path / "crossings.csv").write_text(
        head + "x,X,road,KZ-27,RU-ORE,52.1,51.0,OpenStreetMap node 1,,s\n", encoding="utf-8"
    )
    with pytest.raises(GeoInputError, match="ODbL"):
        crossings(directory=tmp_path)
    (tmp_path / "crossings.csv").write_text(head + "x,X,road,RU-ORE,RU-ORE,,,,,s\n", encoding="utf-8")
    with pytest.raises(GeoInputError, match="'kz_region' holds RU-ORE"):
        crossings(directory=tmp_path)
    ok = head + "x,X,road,KZ-27,RU-ORE,52.1,51.0,OpenStreetMap node 1,ODbL,s\n"
    (tmp_path / "crossings.csv").write_text(ok, encoding="utf-8")
    cx = crossings(directory=tmp_path)
    assert cx["mappable"].tolist() == [True] and (cx.geometry.x.iloc[0], cx.geometry.y.iloc[0]) == (
        52.1,
        51.0,
    )


def test_coverage_table_and_the_year_a_map_would_show():
    from geo.trade_coverage import COVERAGE_YEARS, coverage_units, trade_coverage, turnover_for_map

    cov = trade_coverage()
    assert list(cov.index) == coverage_units() and len(cov) == 32
    assert cov.index.str.startswith("RU-").sum() == 12
    years = cov[list(COVERAGE_YEARS)].gt(0).sum()  # units covered per year
    shown = turnover_for_map()
    best = int(years[years.eq(years.max())].index.max())
    assert shown.attrs == {"year": best, "units": int(years.max())}
    raw = _raw("trade.csv").set_index("id")
    for row in shown.itertuples():
        assert raw.at[row.id, "period"] == str(best) and raw.at[row.id, "region"] == row.code


def test_turnover_for_map_prefers_coverage_then_recency_and_flags_conflicts(tmp_path):
    from geo.trade_coverage import turnover_for_map

    head = "id,scope,measure,region,partner,period,period_type,value,value_usd_mn,growth_pct,source\n"
    body = (
        "a,region,turnover,RU-ORE,KZ,2020,year,1,,,s\n"
        "b,region,turnover,KZ-15,RU,2020,year,2,,,s\n"
        "c,region,turnover,RU-OMS,KZ,2022,year,3,,,s\n"
        "d,region,turnover,RU-OMS,KZ,2022,year,4,,,s2\n"
        "e,region,turnover,RU-AST,KZ,2022,year,5,,,s\n"
        "f,region,turnover,RU-CHE,RU-ORE,2022,year,6,,,s\n"  # not with the other country
        "g,region,turnover_growth,RU-SAR,KZ,2022,year,7,,,s\n"  # not a turnover value
    )
    (tmp_path / "trade.csv").write_text(head + body, encoding="utf-8")
    shown = turnover_for_map(directory=tmp_path)
    assert shown.attrs == {"year": 2022, "units": 2}  # tie 2 vs 2 units: the later year
    assert shown.set_index("id")["conflict"].to_dict() == {"c": True, "d": True, "e": False}
    assert turnover_for_map(2020, directory=tmp_path)["code"].tolist() == ["KZ-15", "RU-ORE"]
    assert turnover_for_map(1999, directory=tmp_path).attrs["units"] == 0


def test_search_log_says_searched_for_every_unit():
    from geo.trade_coverage import coverage_units, search_log

    log = search_log()
    units = set(log["unit"].str.split(";").explode().str.strip())
    assert set(coverage_units()) <= units
    assert log["query"].str.len().gt(5).all() and log["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    tokens = {u for u in units if u[:3] in {"RU-", "KZ-"}}
    assert tokens <= _known()


def test_readme_coverage_table_is_the_generated_one():
    from geo.trade_coverage import coverage_markdown

    readme = (data_dir() / "attributes" / "README.md").read_text(encoding="utf-8")
    assert coverage_markdown() in readme  # regenerate with geo.trade_coverage.coverage_markdown()


def test_coverage_markdown_marks_what_exists_besides_a_full_year(tmp_path):
    from geo.trade_coverage import coverage_markdown

    head = "id,scope,measure,region,partner,period,period_type,value,value_usd_mn,growth_pct,source\n"
    body = (
        "a,region,turnover,RU-ORE,KZ,2020,year,1,,,s\n"
        "b,region,turnover,RU-ORE,KZ,2021-01/2021-06,months,2,,,s\n"
        "c,region,turnover_growth,RU-ORE,KZ,2021,year,3,,,s\n"  # months figure wins over growth
        "d,region,turnover_growth,KZ-15,RU,2022-01/2022-03,months,4,,,s\n"
        "e,region,export,KZ-15,RU,2023,year,5,,,s\n"
        "f,region_pair,turnover,KZ-15,RU-ORE,2024,year,6,,,s\n"  # a pair is not the unit's total
        "g,region,share_of_foreign_trade,KZ-15,RU,2025,year,7,,,s\n"
    )
    (tmp_path / "trade.csv").write_text(head + body, encoding="utf-8")
    lines = {
        line.split(" |")[0][2:].split(" ")[0]: line
        for line in coverage_markdown(directory=tmp_path).splitlines()
    }
    assert lines["RU-ORE"].split(" | ")[6:8] == ["1", "m"]  # 2020, 2021
    assert lines["KZ-15"].split(" | ")[8:12] == ["g", "x", "·", "s"]  # 2022-2025
    assert lines["RU-ORE"].endswith("| 1 | 4 |") and len(lines) == 34  # 4 rows name RU-ORE (f as partner)
