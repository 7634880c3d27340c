"""Exports checked by tools we did not write: GDAL's ogrinfo, two RFC 7946 validators, and geopandas read-back.

- ``ogrinfo`` (Debian ``gdal-bin``) opens every GeoJSON and GeoPackage file.
- ``@placemarkio/check-geojson`` (npm, pinned in ``tests/tools/package-lock.json``, installed into
  ``.cache/npm`` by ``make test`` or on first use here) checks RFC 7946 structure and syntax.
- ``geojson-validator`` (PyPI, a test dependency) checks the RFC 7946 geometry rules: closed rings, exterior
  counter-clockwise and holes clockwise, no ``crs`` member, positions in range.

The tools are skipped locally, with the reason, when missing, and fail when ``CI=true``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.exports import LAYERS, build_layers, export
from geo.exports.writers import for_writing

ROOT = Path(__file__).resolve().parent.parent
TOOLS = Path(__file__).resolve().parent / "tools"
CHECK_GEOJSON = ROOT / ".cache" / "npm" / "node_modules" / "@placemarkio" / "check-geojson"
PRECISION = 6
DATA = pd.DataFrame(
    {
        "region": ["Оренбургская обл.", "Aktobe", "Qostanay oblysy"],
        "turnover_usd_mn": [627.0, 1124.8, None],
        "reported": ["2026-02-24", "2018-01-01", ""],
    }
)


def _missing(what: str) -> None:
    """Skip locally, fail in CI: a validation that did not run must not look like one that passed."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} (required when CI=true)")
    pytest.skip(what)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        _missing(f"{name} not found on PATH")
    return path


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One export in every format, plus Russia complete (Chukotka at the antimeridian) as GeoJSON."""
    base = tmp_path_factory.mktemp("exports")
    (base / "geojson").mkdir()
    (base / "csv").mkdir()
    (base / "context").mkdir()
    export(base / "geojson", fmt="geojson", data=DATA, precision=PRECISION)
    export(base / "csv", fmt="csv", data=DATA, precision=PRECISION)
    export(base / "rukz.gpkg", data=DATA, precision=PRECISION)
    export(base / "context", fmt="geojson", layers="regions", context=True)
    return {
        "geojson": base / "geojson",
        "csv": base / "csv",
        "gpkg": base / "rukz.gpkg",
        "context": base / "context",
    }


@pytest.fixture(scope="module")
def built() -> dict[str, gpd.GeoDataFrame]:
    return build_layers(data=DATA, precision=PRECISION)


def _geojson_files(out: dict[str, Path]) -> list[Path]:
    return [out["geojson"] / f"{name}.geojson" for name in LAYERS] + [out["context"] / "regions.geojson"]


# -- GDAL ---------------------------------------------------------------------------------------------
def _ogrinfo(*args: str) -> str:
    proc = subprocess.run([_tool("ogrinfo"), "-ro", *args], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "ERROR" not in proc.stderr and "Warning" not in proc.stderr, proc.stderr
    return proc.stdout


def test_ogrinfo_opens_every_geojson_layer(out, built) -> None:
    for name in LAYERS:
        text = _ogrinfo("-al", "-so", str(out["geojson"] / f"{name}.geojson"))
        assert f"Feature Count: {len(built[name])}" in text, name
    text = _ogrinfo("-al", "-so", str(out["context"] / "regions.geojson"))
    assert "Feature Count: 103" in text


def test_ogrinfo_reads_names_and_ids_from_geojson(out) -> None:
    text = _ogrinfo("-al", "-where", "code = 'KZ-39'", str(out["geojson"] / "regions.geojson"))
    assert "name_ru (String) = Костанайская область" in text
    assert "name_kk (String) = Қостанай облысы" in text


def test_ogrinfo_opens_the_geopackage_with_typed_fields(out, built) -> None:
    listing = _ogrinfo(str(out["gpkg"]))
    for i, (name, kind) in enumerate(
        [
            ("regions", "Multi Polygon"),
            ("border", "Multi Line String"),
            ("projects_points", "Multi Point"),
            ("projects_lines", "Line String"),
            ("links", "Line String"),
        ],
        start=1,
    ):
        assert f"{i}: {name}" in listing
        if kind:
            assert f"{name} ({kind})" in listing
    regions = _ogrinfo("-so", str(out["gpkg"]), "regions")
    for field in ("code: String", "area_km2: Real", "border_km: Real", "border: Integer(Boolean)",
                  "upstream_ne_id: Integer", "turnover_usd_mn: Real", "reported: Date"):  # fmt: skip
        assert field in regions, field
    projects = _ogrinfo("-so", str(out["gpkg"]), "projects_points")
    for field in ("year: Integer64", "lon: Real", "border_distance_km: Real", "mappable: Integer(Boolean)"):
        assert field in projects, field
    links = _ogrinfo("-so", str(out["gpkg"]), "links")
    assert "directed: Integer(Boolean)" in links
    kind = (
        "Integer64" if (built["links"]["value"].dropna() % 1 == 0).all() else "Real"
    )  # whole numbers: integers
    assert f"value: {kind}" in links


# -- RFC 7946 validators ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def check_geojson() -> Path:
    if not CHECK_GEOJSON.exists():
        if shutil.which("npm") is None:
            _missing("npm not found: cannot install @placemarkio/check-geojson")
        proc = subprocess.run(["sh", str(TOOLS / "install_validators.sh")], capture_output=True, text=True)
        if proc.returncode != 0 or not CHECK_GEOJSON.exists():
            _missing(f"installing @placemarkio/check-geojson failed: {proc.stderr.strip()[-300:]}")
    _tool("node")
    return CHECK_GEOJSON


def _npm_issues(module: Path, files: list[Path]) -> dict[str, list]:
    proc = subprocess.run(
        ["node", str(TOOLS / "check_geojson.cjs"), str(module), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_npm_check_geojson_finds_no_issue(out, check_geojson: Path) -> None:
    issues = _npm_issues(check_geojson, _geojson_files(out))
    assert len(issues) == 5 and all(v == [] for v in issues.values()), issues


def test_npm_check_geojson_does_catch_bad_files(tmp_path: Path, check_geojson: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
                   '"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}}]}')  # fmt: skip
    assert _npm_issues(check_geojson, [bad])[str(bad)]  # an unclosed ring of three positions


@pytest.fixture(scope="module")
def geojson_validator():
    try:
        import geojson_validator
    except ImportError:
        _missing("geojson-validator (PyPI) not installed: pip install -e '.[test]'")
    return geojson_validator


def test_python_geojson_validator_structure_and_geometry(out, geojson_validator) -> None:
    for path in _geojson_files(out):
        assert geojson_validator.validate_structure(path, check_crs=True) == {}, path
        result = geojson_validator.validate_geometries(path)
        assert result["invalid"] == {}, (
            path,
            result["invalid"],
        )  # includes exterior_not_ccw, interior_not_cw
        problematic = set(result["problematic"])
        # Holes (Astana in Akmola) and many vertices are legitimate; nothing else may be flagged ...
        assert problematic <= {"holes", "excessive_vertices", "crosses_antimeridian"}, (path, problematic)
        # ... and "crosses_antimeridian" only where Chukotka's split parts end at +180 (next test).
        if "crosses_antimeridian" in problematic:
            assert path.parent == out["context"]


def test_antimeridian_flag_is_only_chukotka_split_as_the_rfc_requires(out, geojson_validator) -> None:
    doc = json.loads((out["context"] / "regions.geojson").read_text(encoding="utf-8"))
    flagged = geojson_validator.validate_geometries(doc)["problematic"]["crosses_antimeridian"]
    indices = [next(iter(f)) if isinstance(f, dict) else f for f in flagged]
    assert [doc["features"][i]["id"] for i in indices] == ["RU-CHU"]
    # The validator normalises +180 to -180 and so flags any edge that ends on +180, including the
    # split that RFC 7946 §3.1.9 itself shows; no edge of ours jumps across the antimeridian.
    rfc_example = {"type": "MultiLineString", "coordinates": [[[170.0, 45.0], [180.0, 45.0]],
                                                              [[-180.0, 45.0], [-170.0, 45.0]]]}  # fmt: skip
    assert geojson_validator.validate_geometries(rfc_example)["problematic"].get("crosses_antimeridian")
    chukotka = shapely.geometry.shape(doc["features"][indices[0]]["geometry"])
    for part in chukotka.geoms:
        x = shapely.get_coordinates(part.exterior)[:, 0]
        assert np.abs(np.diff(x)).max() < 180 and x.max() - x.min() < 180


# -- round trip ---------------------------------------------------------------------------------------
def _plain(value: object) -> object:
    """One comparable Python value: missing -> None, numbers -> float, dates -> ISO text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if math.isnan(value) else float(value)
    return str(value)


def _assert_same_attributes(back: pd.DataFrame, expected: gpd.GeoDataFrame, name: str) -> None:
    expected = for_writing(expected)  # lists as ';' text, whole numbers as integers: what the writers write
    columns = [c for c in expected.columns if c != expected.geometry.name]
    assert set(columns) <= set(back.columns), (name, set(columns) - set(back.columns))
    for col in columns:
        got = [_plain(v) for v in back[col].astype(object)]
        want = [_plain(v) for v in expected[col].astype(object)]
        if col == "reported":  # a date column: text in GeoJSON/CSV, a date in GeoPackage; empty = missing
            got, want = [g or None for g in got], [w or None for w in want]
        assert got == want, (name, col)


def _assert_same_geometries(back: gpd.GeoSeries, expected: gpd.GeoSeries, name: str) -> None:
    a, b = back.to_numpy(), expected.to_numpy()
    missing_a, missing_b = (
        shapely.is_missing(a) | shapely.is_empty(a),
        shapely.is_missing(b) | shapely.is_empty(b),
    )
    assert (missing_a == missing_b).all(), name
    # Exactly the written coordinates (tolerance: float parsing), same parts, vertex order and orientation;
    # a GeoPackage layer holds one geometry type, so a Polygon comes back as a MultiPolygon of one part.
    for x, y in zip(a[~missing_a], b[~missing_b], strict=True):
        px, py = shapely.get_parts(x), shapely.get_parts(y)
        assert len(px) == len(py) and shapely.equals_exact(px, py, tolerance=1e-9).all(), (name, y.wkt[:60])


def test_round_trip_geojson(out, built) -> None:
    for name in LAYERS:
        back = gpd.read_file(out["geojson"] / f"{name}.geojson")
        assert back.crs.to_epsg() == 4326
        _assert_same_attributes(back, built[name], name)
        _assert_same_geometries(back.geometry, built[name].geometry, name)


def test_round_trip_geopackage(out, built) -> None:
    for name in LAYERS:
        if name == "projects":  # written as two layers, one per geometry type, in the order of the frame
            parts = [gpd.read_file(out["gpkg"], layer=f"projects_{k}") for k in ("points", "lines")]
            back = pd.concat(parts).set_index("id").loc[built[name]["id"]].reset_index()
            back = gpd.GeoDataFrame(back, geometry="geometry", crs=parts[0].crs)
        else:
            back = gpd.read_file(out["gpkg"], layer=name)
        assert back.crs.to_epsg() == 4326
        _assert_same_attributes(back, built[name], name)
        _assert_same_geometries(back.geometry, built[name].geometry, name)


def test_round_trip_csv(out, built) -> None:
    for name in LAYERS:
        back = pd.read_csv(out["csv"] / f"{name}.csv", keep_default_na=False, na_values=[""])
        expected = built[name]
        text_columns = [c for c in expected.columns if c != "geometry" and expected[c].dtype.kind in "OSUT"]
        for col in text_columns:  # read back as text where the export had text ("" = missing either way)
            back[col] = back[col].astype(object).where(back[col].notna(), "")
            expected = expected.assign(**{col: expected[col].astype(object).where(expected[col].notna(), "")})
        _assert_same_attributes(back, expected, name)
        wkt = back["wkt"].fillna("")
        geoms = gpd.GeoSeries([shapely.from_wkt(w) if w else None for w in wkt], crs="EPSG:4326")
        _assert_same_geometries(geoms, expected.geometry, name)


def test_rounding_moves_no_vertex_more_than_half_a_unit(all_regions, built) -> None:
    source = all_regions.set_index("code").geometry
    exported = built["regions"].set_index("code").geometry
    distance = shapely.hausdorff_distance(exported.to_numpy(), source.reindex(exported.index).to_numpy())
    assert distance.max() <= 0.5 * 10**-PRECISION * math.sqrt(2) + 1e-12


def test_ogrinfo_opens_every_csv_as_points_in_wgs84(out, built) -> None:
    """The .csvt beside each CSV types point_lon/point_lat as CoordX/CoordY, the .prj states EPSG:4326: GDAL
    (and QGIS through it) reads every row, lines and polygons included, as a point with its CRS."""
    for name in LAYERS:
        csv = out["csv"] / f"{name}.csv"
        assert csv.with_suffix(".csvt").exists() and csv.with_suffix(".prj").exists()
        text = _ogrinfo("-al", "-so", str(csv))
        assert "Geometry: Point" in text and f"Feature Count: {len(built[name])}" in text, name
        assert 'GEOGCRS["WGS 84"' in text or 'GEOGCS["WGS 84"' in text or "WGS_1984" in text, name
    projects = _ogrinfo("-al", "-so", str(out["csv"] / "projects.csv"))
    assert "year: Integer64" in projects and "lat: Real" in projects
    regions = _ogrinfo("-al", "-so", str(out["csv"] / "regions.csv"))
    assert "area_km2: Real" in regions and "code: String" in regions
