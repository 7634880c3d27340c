"""The OSM + Natural Earth build: each coverage step on small shapes it builds, and the shipped coverage."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box

from geo._paths import data_dir
from pipeline import coverage, osm_boundaries

SHIPPED = data_dir() / "boundaries"


def _frame(rows: list[tuple[str, str, shapely.Geometry]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": [r[0] for r in rows], "country": [r[1] for r in rows]},
        geometry=[r[2] for r in rows],
        crs="EPSG:4326",
    )


# -- clip_caspian ------------------------------------------------------------------------------------
def test_clip_caspian_takes_the_sea_out_of_atyrau_and_mangystau_only() -> None:
    # Land is x >= 50; the "OSM" units reach 1° into the sea (x 49..50); an inland lake is not land either.
    land = box(50, 40, 60, 50).difference(box(55, 45, 55.5, 45.5))
    kz = _frame(
        [
            ("KZ-23", "KZ", box(49, 46, 53, 48)),
            ("KZ-47", "KZ", box(49, 42, 53, 46)),
            ("KZ-19", "KZ", box(54, 44, 57, 46)),  # holds the "lake": must not be clipped
        ]
    )
    out = coverage.clip_caspian(kz, land).set_index("code")
    assert out.geometry["KZ-23"].equals(box(50, 46, 53, 48))
    assert out.geometry["KZ-47"].equals(box(50, 42, 53, 46))
    assert out.geometry["KZ-19"].equals(box(54, 44, 57, 46))


def test_clip_caspian_leaves_shoreline_noise_below_the_threshold() -> None:
    land = box(50, 40, 60, 50)
    noise = box(49.9999, 46, 50, 46.01)  # ~8 m x 1.1 km of "sea" between two coastlines
    assert coverage.geodesic_km2(noise) < coverage.MIN_SEA_KM2
    atyrau = shapely.union(noise, box(50, 46, 53, 48))
    kz = _frame([("KZ-23", "KZ", atyrau), ("KZ-47", "KZ", box(50, 42, 53, 46))])
    out = coverage.clip_caspian(kz, land).set_index("code")
    assert out.geometry["KZ-23"].equals(atyrau)


# -- conform_russia ----------------------------------------------------------------------------------
def test_conform_russia_cuts_the_overlap_and_takes_the_strip_between_the_lines() -> None:
    # Natural Earth: Russia y >= 50, Kazakhstan y < 50. OSM Kazakhstan: y < 50.2 for x < 5 (overlap) and
    # y < 49.8 for x >= 5 (a strip Natural Earth gave Kazakhstan that OSM does not).
    ru = _frame([("RU-A", "RU", box(0, 50, 5, 55)), ("RU-B", "RU", box(5, 50, 10, 55))])
    kazakhstan = shapely.union(box(0, 45, 5, 50.2), box(5, 45, 10, 49.8))
    ne_kz = box(0, 45, 10, 50)
    out = coverage.conform_russia(ru, kazakhstan, ne_kz, foreign=shapely.Polygon()).set_index("code")
    assert out.geometry["RU-A"].equals(box(0, 50.2, 5, 55))
    assert shapely.equals(out.geometry["RU-B"], box(5, 49.8, 10, 55))
    assert shapely.intersection(out.geometry["RU-A"], kazakhstan).area == 0


def test_conform_russia_leaves_a_strip_that_borders_a_third_country() -> None:
    ru = _frame([("RU-A", "RU", box(0, 50, 1, 55))])
    kazakhstan = box(0, 45, 10, 49.5)
    ne_kz = box(0, 45, 10, 50)  # the strip y 49.5..50 touches Russia along 1°, China along 9°
    china = box(1, 50, 10, 55)
    out = coverage.conform_russia(ru, kazakhstan, ne_kz, foreign=china)
    assert out.geometry[0].equals(box(0, 50, 1, 55))


# -- exact_coverage and simplify ---------------------------------------------------------------------
def test_exact_coverage_nodes_shared_edges_and_reports_overlap_and_gap() -> None:
    # A's right edge has a vertex B lacks (not a valid coverage), B overlaps A a little, and a gap is enclosed.
    a = shapely.Polygon([(0, 0), (1, 0), (1, 0.5), (1, 1), (0, 1)])
    b = shapely.Polygon([(0.999, 0), (2, 0), (2, 1), (0.999, 1)])
    c = box(0, 1, 2, 2).difference(box(0.5, 1, 0.6, 1.1))  # a notch: the gap below it is enclosed
    gdf = _frame([("A", "KZ", a), ("B", "RU", b), ("C", "RU", c)])
    assert not shapely.coverage_is_valid(gdf.geometry.to_numpy())
    out, report = coverage.exact_coverage(gdf)
    assert shapely.coverage_is_valid(out.geometry.to_numpy()) and out.is_valid.all()
    assert report.overlap_km2 > 0 and report.gap_km2 > 0 and report.gaps_filled == 1
    # The overlap went to Kazakhstan (priority); the gap to the neighbour with the longest shared edge (C).
    assert shapely.equals(out.geometry[0], a)
    assert shapely.equals(out.geometry[1], box(1, 0, 2, 1))
    assert shapely.equals(out.geometry[2], box(0, 1, 2, 2))
    assert shapely.union_all(out.geometry.to_numpy()).equals(box(0, 0, 2, 2))


def test_simplify_keeps_the_coverage_valid() -> None:
    wiggle = [(x / 100, 0.5 + 0.001 * ((-1) ** x)) for x in range(101)]
    top = shapely.Polygon([*[(0, 1), *wiggle, (1, 1)][::-1], (0, 1)])
    bottom = shapely.Polygon([(0, 0), (1, 0), *wiggle[::-1], (0, 0)])
    gdf = _frame([("T", "RU", shapely.make_valid(top)), ("B", "KZ", shapely.make_valid(bottom))])
    gdf, _ = coverage.exact_coverage(gdf)
    out = coverage.simplify(gdf, 0.01)
    assert shapely.coverage_is_valid(out.geometry.to_numpy())
    assert len(shapely.get_coordinates(out.geometry.to_numpy())) < len(shapely.get_coordinates(gdf.geometry))


# -- the OSM input -----------------------------------------------------------------------------------
def test_a_tampered_osm_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / osm_boundaries.OSM_FILE).write_text('{"type":"FeatureCollection","features":[]}')
    with pytest.raises(RuntimeError, match="SHA-256"):
        osm_boundaries.fetch_osm(shared=tmp_path)


def test_match_to_catalogue_pins_relations_and_cross_checks_names() -> None:
    def fake(rel: int, local: str) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {"osm_relation": [rel], "name": [local], "name_en": [local], "local_name": [local]},
            geometry=[box(0, 0, 1, 1)],
            crs="EPSG:4326",
        )

    with pytest.raises(RuntimeError, match="not pinned"):
        osm_boundaries.match_to_catalogue(fake(1, "Абай облысы"))
    with pytest.raises(RuntimeError, match="pinned as KZ-39"):
        osm_boundaries.match_to_catalogue(
            fake(1288730, "Ақтөбе облысы")
        )  # Kostanay's relation, Aktobe's name
    with pytest.raises(RuntimeError, match="missing or extra"):
        osm_boundaries.match_to_catalogue(fake(1288730, "Қостанай облысы"))  # only one of 20


@pytest.mark.skipif(
    not (osm_boundaries.SHARED / osm_boundaries.OSM_FILE).exists(), reason="../shared/upstream/ not present"
)
def test_the_pinned_osm_file_matches_all_twenty_units() -> None:
    kz = osm_boundaries.match_to_catalogue(osm_boundaries.read_osm(osm_boundaries.fetch_osm()))
    assert len(kz) == 20 and kz["code"].is_unique
    # The two Almaty units share the Kazakh name "Алматы": the relation id decides.
    almaty = kz.set_index("osm_relation").loc[[2465058, 215718], "code"].tolist()
    assert almaty == ["KZ-75", "KZ-19"]


# -- the shipped file --------------------------------------------------------------------------------
def test_shipped_regions_are_one_valid_coverage_within_the_size_budget(all_regions) -> None:
    assert shapely.coverage_is_valid(all_regions.geometry.to_numpy())
    assert (SHIPPED / "regions.geojson").stat().st_size <= 6_000_000
    ru = shapely.union_all(all_regions.geometry[all_regions["country"] == "RU"].to_numpy())
    kz = shapely.union_all(all_regions.geometry[all_regions["country"] == "KZ"].to_numpy())
    assert coverage.geodesic_km2(shapely.intersection(ru, kz)) < 1e-6  # no overlap
