"""The shipped attribute tables load with honest types and geometries: nothing invented, nothing coerced."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import shapely

import geo
from geo._paths import data_dir
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
