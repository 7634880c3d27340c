"""Units in time: data/units.csv, and vintages that are exact unions of today's polygons."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely

import geo
from geo.errors import GeoInputError
from geo.units import COLUMNS, apply_vintage, units, units_at, vintage_date


def test_units_csv_rows_are_complete_and_sourced(catalog) -> None:
    table = units()
    assert list(table.columns[: len(COLUMNS)]) == COLUMNS
    assert table["unit"].is_unique
    for row in table.itertuples(index=False):
        assert row.unit.startswith(row.code + "@"), row.unit
        assert row.code in catalog.table.index and row.country == "KZ"
        assert row.source and row.name_en and row.name_ru and row.name_kk, row.unit
        for part in row.parts.split(";"):
            assert part in catalog.table.index, (row.unit, part)
        for date in (row.valid_from, row.valid_to):
            if date:
                dt.date.fromisoformat(date)
        if not row.valid_from:
            assert "valid_from" in row.note, f"{row.unit}: an empty date needs its reason in the note"
    parts = table.set_index("unit")["parts"]
    assert parts["KZ-63@1997"] == "KZ-63;KZ-10" and parts["KZ-19@1997"] == "KZ-19;KZ-33"
    assert parts["KZ-35@1997"] == "KZ-35;KZ-62" and parts["KZ-61@1997"] == "KZ-61;KZ-79"
    # FACTS.md: the 2022 decree came into force on 8 June 2022.
    assert set(table.set_index("unit").loc[["KZ-63@1997", "KZ-19@1997", "KZ-35@1997"], "valid_to"]) == {
        "2022-06-08"
    }


@pytest.mark.parametrize(
    ("vintage", "expected"),
    [
        ("2017", {"KZ-61@1997", "KZ-19@1997", "KZ-35@1997", "KZ-63@1997"}),
        ("2018", {"KZ-19@1997", "KZ-35@1997", "KZ-63@1997"}),
        ("2020", {"KZ-19@1997", "KZ-35@1997", "KZ-63@1997", "KZ-71@2019"}),
        ("2022-06-07", {"KZ-19@1997", "KZ-35@1997", "KZ-63@1997", "KZ-71@2019"}),
        ("2022-06-08", {"KZ-71@2019"}),
        ("2022", set()),
        (None, set()),
    ],
)
def test_units_valid_at_a_vintage(vintage, expected) -> None:
    assert set(units_at(vintage)["unit"]) == expected


def test_bad_vintages_are_clear_errors() -> None:
    with pytest.raises(GeoInputError, match="not a year"):
        vintage_date("last year")
    with pytest.raises(GeoInputError, match="before 1997"):
        geo.regions(vintage="1990")
    assert vintage_date("2017") == dt.date(2017, 12, 31)


@pytest.mark.parametrize("vintage", ["2017", "2018"])
def test_vintage_polygons_are_exact_unions_of_todays(all_regions, vintage) -> None:
    today = all_regions.set_index("code").geometry
    old = geo.regions(country="KZ", vintage=vintage)
    for row in old.itertuples(index=False):
        parts = row.unit_parts.split(";")
        union = shapely.union_all([today[p] for p in parts])
        assert shapely.equals(row.geometry, union), row.unit_id
        assert shapely.area(shapely.symmetric_difference(row.geometry, union)) < 1e-12, row.unit_id
    # The old units cover exactly what today's do: nothing lost, nothing doubled.
    kz_today = shapely.union_all(today[[c for c in today.index if c.startswith("KZ-")]].to_numpy())
    assert shapely.equals(shapely.union_all(old.geometry.to_numpy()), kz_today)


def test_vintage_2017_and_2018_units_and_names() -> None:
    y2017 = geo.regions(country="KZ", vintage="2017").set_index("unit_id")
    assert len(y2017) == 16  # 14 regions, Almaty, Astana
    assert y2017.loc["KZ-61@1997", "name_en"] == "South Kazakhstan Region"
    assert y2017.loc["KZ-61@1997", "name_kk"] == "Оңтүстік Қазақстан облысы"
    assert y2017.loc["KZ-63@1997", "unit_parts"] == "KZ-63;KZ-10"
    assert y2017.loc["KZ-63@1997", "label_en"] == "East Kazakhstan Region incl. Abai Region"
    y2018 = geo.regions(country="KZ", vintage="2018").set_index("unit_id")
    assert len(y2018) == 17 and "KZ-79" in y2018.index
    assert y2018.loc["KZ-61", "name_en"] == "Turkistan Region"
    assert geo.regions(country="KZ", vintage="2020").set_index("code").loc["KZ-71", "name_en"] == "Nur-Sultan"
    # Russia is the same in every vintage.
    assert len(geo.regions(country="RU", vintage="2017")) == 83


def test_a_former_unit_needs_all_its_parts(all_regions) -> None:
    without_abai = all_regions[all_regions["code"] != "KZ-10"]
    with pytest.raises(GeoInputError, match=r"KZ-63@1997 .* made of KZ-63;KZ-10"):
        apply_vintage(without_abai, "2017")
