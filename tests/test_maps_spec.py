"""Maps: what the default map and a user's table put on the map (layers, tooltips, labels, languages)."""

from __future__ import annotations

import maps_common
import numpy as np
import pandas as pd
import pytest
from maps_common import layers, write_table

import geo
from geo.maps import build_map, map_html

# fixtures shared by the map tests
default_html = maps_common.default_html
default_map = maps_common.default_map


# -- the default map ---------------------------------------------------------------------------------
def test_default_map_has_every_layer(default_map):
    found = layers(default_map)
    assert found["rk-region"].n_features == 32  # 12 Russian border regions + all 20 Kazakh units
    codes = [f["properties"]["code"] for f in found["rk-region"].data["features"]]
    assert sum(c.startswith("RU-") for c in codes) == 12
    assert sum(c.startswith("KZ-") for c in codes) == 20
    assert found["rk-labels"].n_features == 29 + 3  # Astana, Almaty, Shymkent: labelled as points
    assert [c.label.code for c in default_map.spec.cities] == ["KZ-71", "KZ-75", "KZ-79"]
    assert found["rk-city"].n_features == 3
    assert (
        found["rk-border"].n_features >= 1 and found["rk-border"].halo
    )  # the line (+ rings at point contacts)
    assert found["rk-link"].n_features == len(geo.links())
    mappable = geo.projects()[geo.projects()["mappable"]]
    parts = sum(len(g.geoms) if g.geom_type == "MultiPoint" else 1 for g in mappable.geometry)
    assert found["rk-project-line"].n_features == parts  # one marker per point of a MultiPoint


def test_default_map_names_sources_and_merges_no_unit(default_map, default_html):
    assert not any("incl." in label.text("en") for label in default_map.spec.labels)  # 20 units, 20 polygons
    assert "Natural Earth" in default_html and "© OpenStreetMap contributors" in default_html
    assert "Sources" in default_html
    assert "Border with the other country" in default_html  # legend / subtitle
    assert "(km)" in default_html


def test_schematic_and_approximate_locations_say_so(default_map):
    feats = layers(default_map)["rk-project-line"].data["features"]
    by_quality = {}
    for f in feats:
        by_quality.setdefault(f["properties"]["quality"], []).append(f["properties"])
    assert all(
        "location: schematic" in p["popup"] and p["style"]["dashArray"] for p in by_quality["schematic"]
    )
    assert all(
        "placed at regional centre" in p["popup"] and "rk-approx" in p["icon"]["className"]
        for p in by_quality["region"]
    )
    assert all("rk-approx" not in p["icon"]["className"] for p in by_quality["published"])


def test_vintage_map_says_incl(tmp_path):
    html = map_html(build_map(boundaries=geo.regions(vintage="2017"), projects=False, links=False))
    assert "East Kazakhstan Region incl. Abai Region" in html  # 2017: one unit, today two polygons
    assert "Turkistan Region incl. Shymkent" in html


def test_single_point_contact_is_noted():
    import geopandas as gpd
    import shapely

    kz = shapely.box(50, 50.5, 52, 51.5)  # around Oral
    ore = shapely.Polygon([(50, 51.5), (52, 51.5), (56, 51.5), (56, 52.5), (50, 52.5)])
    sam = shapely.box(49, 51.5, 50, 52.5)  # touches West Kazakhstan at (50, 51.5) only
    frame = gpd.GeoDataFrame({"code": ["KZ-27", "RU-ORE", "RU-SAM"]}, geometry=[kz, ore, sam], crs=4326)
    m = build_map(boundaries=frame, projects=False, links=False)
    tips = {f["properties"]["code"]: f["properties"]["tip"] for f in layers(m)["rk-region"].data["features"]}
    assert "single point" in tips["RU-SAM"] and "single point" not in tips["RU-ORE"]
    assert layers(m)["rk-border"].n_features == 2  # the line and the ring at the point
    # The pairs measured for the default metric are handed to the border layer rather than measured again …
    contact = m.spec.border.set_index("ru_code")["contact"]
    assert contact["RU-SAM"] == "point" and contact["RU-ORE"] == "line"
    # … and a map of a table, which measures no border, finds the same ring on the drawn regions.
    table = pd.DataFrame({"region": ["KZ-27", "RU-ORE", "RU-SAM"], "value": [1, 2, 3]})
    with_data = build_map(table, boundaries=frame, projects=False, links=False)
    assert with_data.spec.border is None and layers(with_data)["rk-border"].n_features == 2
    ring = layers(with_data)["rk-border"].data["features"][-1]
    assert ring == layers(m)["rk-border"].data["features"][-1]


def test_samara_touches_west_kazakhstan_along_a_line(default_map):
    tips = {
        f["properties"]["code"]: f["properties"]["tip"]
        for f in layers(default_map)["rk-region"].data["features"]
    }
    assert "single point" not in tips["RU-SAM"] and " km</td>" in tips["RU-SAM"]


def test_tooltips_have_names_in_both_languages_code_and_value(default_map):
    tips = {
        f["properties"]["code"]: f["properties"]["tip"]
        for f in layers(default_map)["rk-region"].data["features"]
    }
    tip = tips["RU-ORE"]
    assert "Orenburg Oblast" in tip and "Оренбургская область" in tip and "RU-ORE" in tip and " km" in tip


def test_lang_ru(tmp_path):
    m = build_map(lang="ru", offline=True)
    html = map_html(m)
    assert "Российско-казахстанский приграничный регион" in html
    names = {label.code: label.text("ru") for label in m.spec.labels}
    assert names["KZ-63"] in html and names["KZ-63"].startswith("Восточно-Казахстанская обл")
    assert not any("вкл." in n for n in names.values()) and "Абайская" in names["KZ-10"]
    vintage = map_html(
        build_map(lang="ru", boundaries=geo.regions(vintage="2017"), projects=False, links=False)
    )
    assert "Восточно-Казахстанская область вкл. Абайская область" in vintage


def test_context_adds_other_russian_regions():
    found = layers(build_map(offline=True, context=True, projects=False, links=False))
    assert found["rk-region"].n_features == 32
    assert found["rk-context"].n_features == len(geo.regions(country="RU")) - 12


# -- user data ---------------------------------------------------------------------------------------
def test_user_table_choropleth(tmp_path):
    path = write_table(
        tmp_path / "t.csv", {"Kostanay": 10, "Оренбургская обл.": 30, "ЗКО": 20}, "trade_usd_mn"
    )
    m = build_map(path, metric="trade_usd_mn", offline=True, scheme="quantiles", k=3)
    tips = {f["properties"]["code"]: f["properties"]["tip"] for f in layers(m)["rk-region"].data["features"]}
    assert "30 million USD" in tips["RU-ORE"]
    assert "no data" in tips["KZ-11"]
    assert "no data" in map_html(m)  # legend swatch


def test_units_without_polygon_summed_only_when_additive(tmp_path):
    path = write_table(tmp_path / "t.csv", {"KZ-63": 10, "Abai Region": 5, "KZ-39": 1}, "count")
    v2017 = geo.regions(vintage="2017")  # Abai (2022) has no polygon of its own in 2017's units
    with pytest.raises(geo.GeoInputError, match=r"column 'count' would be combined .* not declared additive"):
        build_map(path, metric="count", offline=True, boundaries=v2017)
    m = build_map(path, metric="count", offline=True, additive=True, boundaries=v2017)
    tips = {f["properties"]["code"]: f["properties"]["tip"] for f in layers(m)["rk-region"].data["features"]}
    assert "<th>count</th><td>15</td>" in tips["KZ-63"]  # 10 + 5, not 150 or 1.5
    assert "count summed" in tips["KZ-63"]
    assert "<th>count</th><td>1</td>" in tips["KZ-39"]


def test_text_column_is_a_categorical_choropleth(tmp_path):
    path = write_table(
        tmp_path / "t.csv",
        {"Kostanay": "grain", "Omsk": "oil", "Akmola": "grain", "Pavlodar": "coal"},
        "main",
    )
    m = build_map(path, metric="main", projects=False, links=False)
    c = m.spec.classes
    assert c.categorical and c.labels == ["grain", "coal", "oil"] and m.spec.unit == ""
    feats = {f["properties"]["code"]: f["properties"] for f in layers(m)["rk-region"].data["features"]}
    assert feats["KZ-39"]["style"]["fillColor"] == feats["KZ-11"]["style"]["fillColor"] == c.colors[0]
    assert "<td>oil</td>" in feats["RU-OMS"]["tip"]
    html = map_html(m)
    assert all(f"</i>{label}</div>" in html for label in c.labels)  # legend rows


def test_lang_kk_names_words_and_sourced_russian_names():
    m = build_map(lang="kk", projects=False, links=False)
    names = {label.code: label.text("kk") for label in m.spec.labels}
    assert names["KZ-39"] == "Қостанай облысы" and names["RU-ORE"] == "Орынбор облысы"
    assert names["RU-OMS"] == "Омбы облысы" and names["RU-AL"] == "Алтай Республикасы"
    assert (
        names["RU-SAM"] == "Самара облысы" and names["RU-SAR"] == "Саратов облысы"
    )  # sourced (names_kk.csv)
    assert names["KZ-63"] == "Шығыс Қазақстан облысы" and names["KZ-10"] == "Абай облысы"
    v = build_map(lang="kk", boundaries=geo.regions(vintage="2017"), projects=False, links=False)
    assert "және" in {label.code: label.text("kk") for label in v.spec.labels}["KZ-63"]  # 2017: one unit
    html = map_html(m)
    assert "Ресей мен Қазақстанның шекаралас өңірі" in html and "Басқа елмен шекарасы" in html
    import re

    from geo._paths import data_dir
    from geo.catalog import catalog
    from geo.names_kk import read_names_kk

    kk = catalog().table["name_kk"]
    assert (kk[kk.index.str.startswith("KZ-")] != "").sum() == 20
    border = catalog().table[catalog().table["border"] & catalog().table.index.str.startswith("RU-")]
    assert (border["name_kk"] != "").sum() == 12 and len(border) == 12
    for row in read_names_kk(
        data_dir()
    ).itertuples():  # every name with where it was read, and a date or "undated"
        assert row.name_kk and ("CLDR" in row.source or re.search(r"\d{4}-\d{2}-\d{2}|undated", row.source))
    from geo.maps.labels import names_of

    unnamed = kk[kk == ""].index[
        0
    ]  # a unit without a sourced Kazakh name shows its Russian one in a Kazakh map
    assert names_of(unnamed)["kk"] == catalog().table.at[unnamed, "name_ru"]


def test_time_classes_fixed_over_all_years_geometry_once(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(
        "region,year,turnover\nKostanay,2021,10\nKostanay,2022,40\nOmsk,2021,40\nOmsk,2022,10\nAkmola,2022,0\n",
        encoding="utf-8",
    )
    m = build_map(table, metric="turnover", time="year", projects=False, links=False)
    spec = m.spec
    assert spec.frames == ("2021", "2022") and spec.frame == 1
    codes = list(spec.regions["code"])
    kos, oms = codes.index("KZ-39"), codes.index("RU-OMS")
    # one set of classes for both years: Kostanay 2021 and Omsk 2022 (both 10) share a class
    assert spec.frame_index[0, kos] == spec.frame_index[1, oms] != spec.frame_index[1, kos]
    feats = {f["properties"]["code"]: f["properties"] for f in layers(m)["rk-region"].data["features"]}
    assert feats["KZ-39"]["fills"] == [feats["RU-OMS"]["fills"][1], feats["RU-OMS"]["fills"][0]]
    assert "2021" in feats["KZ-39"]["tips"][0] and "40" in feats["KZ-39"]["tips"][1]
    html = map_html(m)
    assert html.count('"fills"') == 32 + 3  # per region and city with a polygon; geometry once per region
    with pytest.raises(geo.GeoInputError, match="no column 'yr' for --time"):
        build_map(table, metric="turnover", time="yr")


def test_every_shipped_project_type_has_russian_and_kazakh_names():
    from geo.maps.i18n import KIND_KK, KIND_RU

    types = set(geo.projects()["type"].dropna())
    assert types and types <= set(KIND_RU) and types <= set(KIND_KK)


def test_time_map_with_where_keys_and_units_of_their_year(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(
        "region,year,partner,turnover\n"
        "East Kazakhstan,2019,Russia,30\n"  # 2019: East Kazakhstan still held Abai
        "East Kazakhstan,2023,Russia,20\n"
        "Abai,2023,Russia,10\n"
        "Omsk,2023,China,99\n"  # another partner: only in a year that --where leaves out
        "Omsk,2021,China,98\n",
        encoding="utf-8",
    )
    options = {"metric": "turnover", "time": "year", "projects": False, "links": False}
    from geo.attach import TableOptions

    chosen = TableOptions(keys=("year", "partner"), where={"partner": "Russia"})
    m = build_map(table, table_options=chosen, additive=True, **options)
    spec = m.spec
    assert spec.frames == ("2019", "2023")  # the periods of the rows --where keeps; 2021 had none
    codes = list(spec.regions["code"])
    east, abai, omsk = codes.index("KZ-63"), codes.index("KZ-10"), codes.index("RU-OMS")
    values = spec.timeline.values
    # 2019's East Kazakhstan is the unit of its year (today's East Kazakhstan and Abai): its value is on both
    # polygons, and the tooltip says it is one unit's; never as today's East Kazakhstan alone
    assert (
        values[0, east] == values[0, abai] == 30
        and "one unit with Abai Region" in spec.timeline.notes[0, abai]
    )
    assert np.isnan(values[0, omsk]) and values[1, east] == 20 and values[1, abai] == 10
    assert spec.timeline.notes[1, abai] == ""
    spoken = next(c for c in m._children.values() if type(c).__name__ == "ValuesTable").body
    assert (
        spoken.count("one unit with Abai Region") == 2
    )  # screen readers hear the note too, on both polygons
    single = build_map(table, table_options=TableOptions(where={"year": 2019}), **{**options, "time": None})
    assert single.spec.values[abai] == single.spec.values[east] == 30  # the same on a map of one year
    then = geo.regions(vintage="2019")  # boundaries of its time: one polygon for the unit, nothing to explain
    old = build_map(
        table, boundaries=then, table_options=TableOptions(where={"year": 2019}), **{**options, "time": None}
    )
    drawn = list(old.spec.regions["code"])
    assert "KZ-10" not in drawn and old.spec.values[drawn.index("KZ-63")] == 30
    assert old.spec.notes[drawn.index("KZ-63")] == ""
    with pytest.raises(geo.GeoInputError, match="selects no row"):
        build_map(table, table_options=TableOptions(where={"partner": "Mars"}), **options)


def test_a_row_without_its_period_is_named_as_read(tmp_path):
    from geo.attach import TableOptions

    table = tmp_path / "t.csv"
    table.write_text("region,yr,p,turnover\nOmsk,2021,b,5\nKostanay,2021,a,1\nOmsk,,a,2\n", encoding="utf-8")
    chosen = TableOptions(
        keys=("p",), where={"p": "a"}
    )  # --where drops row 1 first: the message counts as read
    with pytest.raises(geo.GeoInputError, match=r"row 3 has no 'yr'"):
        build_map(table, metric="turnover", time="yr", table_options=chosen, projects=False, links=False)
