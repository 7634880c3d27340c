"""GIS exports as a GIS user meets them: files per layer, RFC 7946 rules, field types, safe writes, clear errors."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

import geo
from geo.cli import main
from geo.errors import GeoInputError, OutputError, TableError
from geo.exports import build_layers, export, split_antimeridian


@pytest.fixture(scope="module")
def geojson_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("geojson")
    export(out, fmt="geojson")
    return out


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _all_positions(geometry: dict | None) -> list[list[float]]:
    if geometry is None:
        return []
    coords = np.asarray(
        shapely.get_coordinates(shapely.geometry.shape(geometry)), dtype=float
    )  # the parsed JSON numbers
    return coords.tolist()


# -- antimeridian -------------------------------------------------------------------------------------
def test_split_antimeridian_cuts_a_crossing_polygon_at_180() -> None:
    crossing = shapely.Polygon([(179, 60), (-179, 60), (-179, 61), (179, 61)])  # 2° wide, across ±180
    split = split_antimeridian(crossing)
    assert split.geom_type == "MultiPolygon" and len(split.geoms) == 2
    west, east = sorted(split.geoms, key=lambda g: g.bounds[0])
    assert west.bounds == pytest.approx((-180, 60, -179, 61))
    assert east.bounds == pytest.approx((179, 60, 180, 61))
    # The two halves carry the whole area (about 2° x 1°), nothing of the 358° the naive ring would span.
    assert split.area == pytest.approx(2.0)
    from_the_west = split_antimeridian(shapely.Polygon([(-179, 60), (179, 60), (179, 61), (-179, 61)]))
    assert from_the_west.area == pytest.approx(2.0)
    assert shapely.equals(from_the_west, split)


def test_split_antimeridian_lines_holes_and_untouched_geometries() -> None:
    line = shapely.LineString([(170, 45), (-170, 45)])  # RFC 7946 §3.1.9's own example
    split = split_antimeridian(line)
    assert split.geom_type == "MultiLineString"
    assert sorted(tuple(map(tuple, np.round(g.coords, 9))) for g in split.geoms) == [
        ((-180.0, 45.0), (-170.0, 45.0)),
        ((170.0, 45.0), (180.0, 45.0)),
    ]
    shell = [(178, 60), (-178, 60), (-178, 64), (178, 64)]
    hole = [(179.5, 61), (179.5, 63), (-179.5, 63), (-179.5, 61)]
    holed = split_antimeridian(shapely.Polygon(shell, [hole]))
    assert holed.area == pytest.approx(4 * 4 - 1 * 2)
    assert all(g.bounds[2] - g.bounds[0] <= 180 for g in holed.geoms)
    plain = shapely.Polygon([(50, 50), (51, 50), (51, 51)])
    assert split_antimeridian(plain) is plain
    assert split_antimeridian(None) is None


def test_chukotka_upstream_is_already_split_and_stays_so(all_regions) -> None:
    chukotka = all_regions.set_index("code").geometry["RU-CHU"]
    assert all(p.bounds[2] - p.bounds[0] < 180 for p in chukotka.geoms)  # upstream drew it split
    assert split_antimeridian(chukotka) is chukotka
    layer = build_layers(layers=["regions"], context=True)["regions"].set_index("code")
    exported = layer.geometry["RU-CHU"]
    assert exported.bounds[0] == -180 and exported.bounds[2] == 180
    assert all(p.bounds[2] - p.bounds[0] < 180 for p in exported.geoms)


# -- GeoJSON ------------------------------------------------------------------------------------------
def test_geojson_one_file_per_layer(geojson_dir: Path) -> None:
    assert sorted(p.name for p in geojson_dir.iterdir()) == [
        "border.geojson",
        "links.geojson",
        "projects.geojson",
        "regions.geojson",
    ]
    regions = _load(geojson_dir / "regions.geojson")
    assert regions["type"] == "FeatureCollection" and set(regions) == {"type", "features"}  # no crs member
    ids = [f["id"] for f in regions["features"]]
    assert len(ids) == 12 + 20 and ids == [f["properties"]["code"] for f in regions["features"]]
    assert ids[0].startswith("RU-") and "KZ-39" in ids


def test_geojson_rfc7946_orientation_precision_and_utf8(geojson_dir: Path) -> None:
    raw = (geojson_dir / "regions.geojson").read_text(encoding="utf-8")
    assert "Оренбургская область" in raw and "Қостанай облысы" in raw and "\\u04" not in raw
    decimals = {len(m) for m in re.findall(r"-?\d+\.(\d+)", raw.split('"geometry"', 1)[1])}
    assert max(decimals) <= 6
    for feature in _load(geojson_dir / "regions.geojson")["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        assert geom.is_valid, feature["id"]
        for poly in shapely.get_parts(geom):
            assert poly.exterior.is_ccw, feature["id"]
            assert not any(r.is_ccw for r in poly.interiors), feature["id"]
        lon, lat = np.asarray(_all_positions(feature["geometry"])).T
        assert lon.min() >= -180 and lon.max() <= 180 and lat.min() >= -90 and lat.max() <= 90


def test_geojson_is_deterministic_and_precision_is_honoured(geojson_dir: Path, tmp_path: Path) -> None:
    export(tmp_path, fmt="geojson", layers=["regions", "border"])
    for name in ("regions.geojson", "border.geojson"):
        assert (tmp_path / name).read_bytes() == (geojson_dir / name).read_bytes()
    coarse = export(tmp_path / "coarse.geojson", layers="border", precision=3)[0]
    positions = [p for f in _load(coarse)["features"] for p in _all_positions(f["geometry"])]
    assert positions and all(round(v, 3) == v for p in positions for v in p)


def test_border_layer_has_pairs_lengths_and_samaras_short_contact(geojson_dir: Path) -> None:
    features = _load(geojson_dir / "border.geojson")["features"]
    assert len(features) == 19
    # Samara: a single point in regional descriptions, a 2.5 km line on the OSM border (PROVENANCE.md).
    samara = next(f for f in features if f["id"] == "RU-SAM/KZ-27")
    assert samara["properties"]["contact"] == "line"
    assert samara["properties"]["length_km"] == pytest.approx(2.5, abs=0.1)
    assert {f["geometry"]["type"] for f in features} == {"MultiLineString"}
    assert sum(f["properties"]["length_km"] for f in features) == pytest.approx(7680.8, abs=0.1)


def test_projects_layer_carries_distance_and_honest_geometry(geojson_dir: Path) -> None:
    features = {f["id"]: f for f in _load(geojson_dir / "projects.geojson")["features"]}
    assert features["karachaganak-field"]["geometry"] == {"type": "Point", "coordinates": [53.2111, 51.3535]}
    assert 5 < features["karachaganak-field"]["properties"]["border_distance_km"] < 40
    steel = features["stainless-steel-raw-material-plant"]
    assert steel["geometry"] is None and steel["properties"]["border_distance_km"] is None
    assert features["cpc-pipeline"]["properties"]["geometry_quality"] == "schematic"


# -- GeoPackage and CSV -------------------------------------------------------------------------------
def test_gpkg_one_layer_per_kind_with_typed_fields(tmp_path: Path) -> None:
    path = export(tmp_path / "rukz.gpkg")[0]
    assert [name for name, _ in pyogrio.list_layers(path)] == [
        "regions", "border", "projects_points", "projects_lines", "links"
    ]  # fmt: skip
    info = pyogrio.read_info(path, layer="regions")
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["code"] == "object" and types["area_km2"] == "float64" and types["border"] == "bool"
    assert types["upstream_ne_id"].startswith("int")
    assert info["geometry_type"] == "MultiPolygon" and info["features"] == 32
    # Projects mix sites and schematic lines: one layer per geometry type, every item in one of them.
    points, lines = (pyogrio.read_info(path, layer=f"projects_{k}") for k in ("points", "lines"))
    assert points["geometry_type"] == "MultiPoint" and lines["geometry_type"] == "LineString"
    assert points["features"] + lines["features"] == len(geo.projects())
    ptypes = dict(zip(points["fields"], points["dtypes"], strict=True))
    assert ptypes["year"] == "int64" and ptypes["lat"] == "float64" and ptypes["mappable"] == "bool"
    assert pyogrio.read_info(path, layer="border")["geometry_type"] == "MultiLineString"
    regions = gpd.read_file(path, layer="regions")
    assert regions["code"].is_unique and regions.crs.to_epsg() == 4326


def test_gpkg_writes_iso_dates_as_date_fields(tmp_path: Path) -> None:
    table = pd.DataFrame({"region": ["Оренбургская обл.", "Aktobe"], "turnover": [627.0, 1124.8],
                          "reported": ["2026-02-24", "2018-01-01"]})  # fmt: skip
    path = export(tmp_path / "data.gpkg", layers="regions", data=table)[0]
    info = pyogrio.read_info(path, layer="regions")
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["turnover"] == "float64" and types["reported"].startswith("datetime64")
    back = gpd.read_file(path, layer="regions").set_index("code")
    assert (
        back.loc["RU-ORE", "turnover"] == 627.0 and str(back.loc["KZ-15", "reported"].date()) == "2018-01-01"
    )
    assert pd.isna(back.loc["KZ-39", "turnover"])


def test_csv_has_attributes_point_and_wkt(tmp_path: Path) -> None:
    export(tmp_path, fmt="csv", layers=["regions", "projects"])
    regions = pd.read_csv(tmp_path / "regions.csv", keep_default_na=False)
    assert list(regions.columns[-3:]) == ["point_lon", "point_lat", "wkt"]
    for row in regions.itertuples():
        polygon = shapely.from_wkt(row.wkt)
        assert polygon.contains(shapely.Point(row.point_lon, row.point_lat)), row.code
    projects = pd.read_csv(tmp_path / "projects.csv", keep_default_na=False).set_index("id")
    assert projects.loc["karachaganak-field", "wkt"] == "POINT (53.2111 51.3535)"
    assert projects.loc["stainless-steel-raw-material-plant", "wkt"] == ""


def test_context_adds_every_russian_region(tmp_path: Path) -> None:
    layer = build_layers(layers="regions", context=True)["regions"]
    assert len(layer) == 83 + 20
    totals = layer.set_index("code")["border_km"]
    assert totals["RU-MOW"] == 0.0  # no border with Kazakhstan: exactly 0, not missing
    assert totals["RU-ORE"] > 1000


def test_user_boundaries_in_a_projected_crs_are_reprojected(all_regions, tmp_path: Path) -> None:
    user = tmp_path / "user_3857.gpkg"
    all_regions[["code", "name_en", "geometry"]].to_crs(3857).to_file(user, layer="regions")
    assert pyogrio.read_info(user)["crs"] == "EPSG:3857"
    with warnings.catch_warnings():  # the boundary report may list geometries repaired after reprojection
        warnings.simplefilter("ignore", UserWarning)
        built = build_layers(layers=["regions", "border"], regions=user)
    plain = build_layers(layers=["regions", "border"])
    assert built["regions"].crs.to_epsg() == 4326
    a = built["regions"].set_index("code").geometry
    b = plain["regions"].set_index("code").geometry
    assert a.index.tolist() == b.index.tolist()
    assert shapely.hausdorff_distance(a.to_numpy(), b.reindex(a.index).to_numpy()).max() < 1e-5
    assert built["border"]["length_km"].sum() == pytest.approx(7680.8, abs=1)


# -- bad input: clear one-line errors, nothing written ------------------------------------------------
def test_unknown_layer_format_and_precision(tmp_path: Path) -> None:
    with pytest.raises(GeoInputError, match="unknown layer 'rivers'; choose from regions, border"):
        export(tmp_path, fmt="geojson", layers="regions,rivers")
    with pytest.raises(GeoInputError, match="unknown format 'shp'"):
        export(tmp_path, fmt="shp")
    with pytest.raises(GeoInputError, match="cannot tell the format"):
        export(tmp_path / "out.xyz")
    with pytest.raises(GeoInputError, match="precision"):
        export(tmp_path, fmt="geojson", precision=20)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_and_existing_files(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        export(tmp_path / "nowhere", fmt="geojson")
    with pytest.raises(OutputError, match="does not exist"):
        export(tmp_path / "nowhere" / "rukz.gpkg")
    with pytest.raises(OutputError, match="one file per layer into a folder"):
        export(tmp_path / "all.geojson")
    (tmp_path / "border.geojson").write_text("keep me")
    with pytest.raises(OutputError, match="exists; pass --force"):
        export(tmp_path, fmt="geojson")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["border.geojson"]  # nothing else written
    assert (tmp_path / "border.geojson").read_text() == "keep me"
    export(tmp_path, fmt="geojson", force=True)
    assert _load(tmp_path / "border.geojson")["type"] == "FeatureCollection"


def test_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if _writable_anyway(locked):
            # root writes into a 0555 folder; let the OS answer "not writable" as it does for everyone else.
            real_access = os.access
            monkeypatch.setattr(
                "geo._io.os.access", lambda p, mode: False if Path(p) == locked else real_access(p, mode)
            )
        with pytest.raises(OutputError, match="not writable"):
            export(locked / "rukz.gpkg")
        with pytest.raises(OutputError, match="not writable"):
            export(locked, fmt="geojson")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def _writable_anyway(folder: Path) -> bool:
    try:
        (folder / ".probe").touch()
    except PermissionError:
        return False
    (folder / ".probe").unlink()
    return True


def test_a_failure_midway_leaves_no_partial_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = Path.write_bytes
    written: list[Path] = []

    def disk_full_at_third_file(self: Path, data: bytes) -> int:
        written.append(self)
        if len(written) == 3:  # two layers are already written to their temporary files
            real_write(self, data[: len(data) // 2])
            raise OSError(28, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full_at_third_file)
    with pytest.raises(OutputError, match=r"projects\.geojson: No space left on device; nothing was written"):
        export(tmp_path, fmt="geojson")
    assert len(written) == 3
    assert list(tmp_path.iterdir()) == []  # neither the finished layers nor any temporary file
    monkeypatch.undo()

    module = importlib.import_module("geo.exports")
    real_atomic = importlib.import_module("geo._io").atomic_path

    def half_written_gpkg(path, built, *, force):
        with real_atomic(path, force=force) as tmp:
            tmp.write_bytes(b"half a geopackage")
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(module, "write_gpkg", half_written_gpkg)
    with pytest.raises(OutputError, match=r"rukz\.gpkg: No space left on device"):
        export(tmp_path / "rukz.gpkg")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_rename_puts_back_every_replaced_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in LAYER_FILES:
        (tmp_path / name).write_text(f"old {name}")
    real_replace = os.replace
    renamed: list[Path] = []

    def fail_third_rename(src, dst):
        if Path(dst).name in LAYER_FILES and not Path(src).name.startswith(f".{Path(dst).name}.old."):
            renamed.append(Path(dst))
            if len(renamed) == 3:  # regions and border are already replaced by their new versions
                raise OSError(5, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr("geo._io.os.replace", fail_third_rename)
    with pytest.raises(OutputError, match=r"projects\.geojson: Input/output error; nothing was written"):
        export(tmp_path, fmt="geojson", force=True)
    assert [p.name for p in renamed] == ["regions.geojson", "border.geojson", "projects.geojson"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(LAYER_FILES)  # no temporary or backup file
    for name in LAYER_FILES:
        assert (tmp_path / name).read_text() == f"old {name}"  # all old, none new
    monkeypatch.undo()
    export(tmp_path, fmt="geojson", force=True)  # and with working renames all four are new
    assert all(_load(tmp_path / name)["type"] == "FeatureCollection" for name in LAYER_FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(LAYER_FILES)


LAYER_FILES = ["regions.geojson", "border.geojson", "projects.geojson", "links.geojson"]


# -- GeoPackage: reserved and clashing column names, dates that are no dates -------------------------
def test_gpkg_renames_reserved_and_case_clashing_columns(tmp_path: Path) -> None:
    data = pd.DataFrame(
        {
            "region": ["Aktobe", "Omsk"],
            "fid": ["a", "b"],
            "GEOM": [1.5, 2.5],
            "Value": [1, 2],
            "value": [3, 4],
        }
    )
    with pytest.warns(
        UserWarning, match=r"renamed 'fid' -> 'fid_data', 'GEOM' -> 'GEOM_data', 'value' -> 'value_2'"
    ):
        path = export(tmp_path / "rukz.gpkg", layers="regions", data=data)[0]
    back = gpd.read_file(path, layer="regions").set_index("code")
    assert back.loc["KZ-15", "fid_data"] == "a" and back.loc["RU-OMS", "GEOM_data"] == 2.5
    assert back.loc["KZ-15", "Value"] == 1 and back.loc["KZ-15", "value_2"] == 3
    # An integer `fid` column is kept as data too (GDAL would silently take it as the feature id).
    ints = pd.DataFrame({"region": ["Aktobe"], "fid": [7]})
    with pytest.warns(UserWarning, match="'fid' -> 'fid_data'"):
        path = export(tmp_path / "ints.gpkg", layers="regions", data=ints)[0]
    assert gpd.read_file(path, layer="regions").set_index("code").loc["KZ-15", "fid_data"] == 7


def test_gpkg_dates_become_date_fields_only_when_all_are_real(tmp_path: Path) -> None:
    good = pd.DataFrame({"region": ["Aktobe", "Omsk"], "signed": ["2021-02-28", "2020-02-29"]})
    path = export(tmp_path / "good.gpkg", layers="regions", data=good)[0]
    assert _field_types(path)["signed"] == "datetime64[D]"  # a GeoPackage Date field
    bad = pd.DataFrame({"region": ["Aktobe", "Omsk"], "signed": ["2021-02-28", "2021-02-30"]})
    path = export(tmp_path / "bad.gpkg", layers="regions", data=bad)[0]
    assert _field_types(path)["signed"] == "object"  # 30 February is no date: the column stays text
    back = gpd.read_file(path, layer="regions").set_index("code")
    assert back.loc["RU-OMS", "signed"] == "2021-02-30" and back.loc["KZ-15", "signed"] == "2021-02-28"


def _field_types(path: Path) -> dict[str, str]:
    info = pyogrio.read_info(path, layer="regions")
    return dict(zip(info["fields"], info["dtypes"], strict=True))


@pytest.mark.parametrize(
    ("column", "values", "field", "kept"),
    [
        ("fid", ["a", "b"], "fid_data", "a"),
        ("FID", [7, 8], "FID_data", 7),
        ("geom", [1.5, 2.5], "geom_data", 1.5),
        ("signed", ["2021-02-28", "2021-02-30"], "signed", "2021-02-28"),
    ],
    ids=["fid-text", "fid-integer", "geom", "invalid-date"],
)
def test_cli_export_data_with_reserved_or_bad_date_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str, values: list, field: str, kept: object
) -> None:
    table = tmp_path / "t.csv"
    pd.DataFrame({"region": ["Aktobe", "Omsk"], column: values}).to_csv(table, index=False)
    out = tmp_path / "rukz.gpkg"
    code = main(["export", "-o", str(out), "--layers", "regions", "--data", str(table)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "Traceback" not in err
    if field != column:  # the renaming is said, on one line
        assert (
            err == f"geo: warning: GeoPackage reserves the column names fid and geom and ignores case; "
            f"renamed {column!r} -> {field!r}\n"
        )
    else:
        assert err == ""
    back = gpd.read_file(out, layer="regions").set_index("code")
    assert back.loc["KZ-15", field] == kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rukz.gpkg", "t.csv"]


def test_write_layer_renames_reserved_columns_and_fails_in_one_line(tmp_path: Path) -> None:
    from geo.exports import write_layer

    joined = geo.regions().head(3).assign(fid=["x", "y", "z"], geom=1.0)
    with pytest.warns(UserWarning, match="'fid' -> 'fid_data', 'geom' -> 'geom_data'"):
        path = write_layer(joined, tmp_path / "j.gpkg")
    back = gpd.read_file(path, layer="regions")
    assert back["fid_data"].tolist() == ["x", "y", "z"] and (back["geom_data"] == 1.0).all()
    assert write_layer(joined, tmp_path / "j.geojson").read_text().startswith("{")
    with pytest.raises(OutputError, match=r"unknown output format '\.shp'"):
        write_layer(joined, tmp_path / "j.shp")
    with pytest.raises(OutputError, match=r"j\.gpkg exists; pass --force"):
        write_layer(joined, tmp_path / "j.gpkg")


def test_data_table_that_fails_its_join_report_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "trade.csv"
    bad.write_text("region,turnover\nОренбургская обл.,627\nAtlantis,5\n", encoding="utf-8")
    with pytest.raises(TableError, match="Atlantis"):
        export(tmp_path / "rukz.gpkg", data=bad)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trade.csv"]


# -- command line -------------------------------------------------------------------------------------
def test_cli_export_writes_and_lists_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "-f", "geojson", "-o", str(tmp_path), "--layers", "regions,border"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert [Path(line.split("\t")[0]).name for line in out] == ["regions.geojson", "border.geojson"]
    assert main(["export", "-o", str(tmp_path / "rukz.gpkg")]) == 0  # format from the extension
    assert (tmp_path / "rukz.gpkg").stat().st_size > 100_000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "shp", "-o", "{tmp}"], "unknown format 'shp'"),
        (["-f", "geojson", "-o", "{tmp}", "--layers", "rivers"], "unknown layer 'rivers'"),
        (["-f", "geojson", "-o", "{tmp}/missing"], "does not exist"),
        (["-o", "{tmp}/exists.gpkg"], "exists; pass --force"),
        (["-o", "{tmp}/new.gpkg", "--layers", "border", "--data", "t.csv"], "add 'regions' to the layers"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "exists.gpkg").write_text("x")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    proc = subprocess.run(
        [sys.executable, "-m", "geo.cli", "export", *argv], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("geo: error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert message in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exists.gpkg"]
    assert (tmp_path / "exists.gpkg").read_text() == "x"


def test_cli_border_prints_pairs_region_totals_and_total(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["border"]) == 0
    out = capsys.readouterr().out
    assert "RU-ORE" in out and "1941.5" in out and "total: 7,680.8 km over 19 region pairs" in out
    assert main(["border", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (
        doc["total_km"] == pytest.approx(7680.8, abs=0.1)
        and doc["pairs_count"] == 19
        and doc["point_contacts"] == 0
    )
    assert len(doc["regions"]) == 20
    assert main(["border", "--format", "csv", "--by", "region"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "code,country,name_en,border_km,pairs,neighbours" and len(lines) == 21


def test_public_api_is_exported() -> None:
    for name in ("export", "build_layers", "border_totals", "distance_to_border", "split_antimeridian"):
        assert callable(getattr(geo, name))


def test_several_tables_and_a_pre_joined_regions_frame(tmp_path: Path) -> None:
    from geo.join import join
    from geo.tables import read_table

    first = pd.DataFrame({"region": ["Оренбургская обл."], "value": [1.0]})
    second = pd.DataFrame({"region": ["Aktobe"], "value": [2.0]})
    layer = build_layers(layers="regions", data=[first, second])["regions"].set_index("code")
    assert layer.loc["RU-ORE", "value"] == 1.0 and pd.isna(layer.loc["RU-ORE", "value_2"])
    assert layer.loc["KZ-15", "value_2"] == 2.0
    # A join that needs options is done first; the export keeps its columns.
    abai = pd.DataFrame({"region": ["Abai Region", "East Kazakhstan"], "turnover": [3.0, 4.0]})
    joined = join(geo.regions(vintage="2017"), read_table(abai)[0], additive=["turnover"])
    path = export(tmp_path / "joined.gpkg", layers="regions", regions=joined)[0]
    back = gpd.read_file(path, layer="regions").set_index("code")
    assert back.loc["KZ-63", "turnover"] == 7.0 and back.loc["KZ-63", "merged_units"] == "KZ-63;KZ-10"


def test_osm_derived_polygons_carry_the_odbl_attribution_in_every_format(tmp_path: Path) -> None:
    """Issue 10: '© OpenStreetMap contributors' travels with every exported Kazakh polygon (ODbL 1.0)."""
    import subprocess

    export(tmp_path / "rukz.gpkg", layers=["regions"])
    (tmp_path / "gj").mkdir()
    export(tmp_path / "gj", fmt="geojson", layers=["regions"])
    (tmp_path / "csv").mkdir()
    export(tmp_path / "csv", fmt="csv", layers=["regions"])
    for frame in (
        gpd.read_file(tmp_path / "rukz.gpkg", layer="regions"),
        gpd.read_file(tmp_path / "gj" / "regions.geojson"),
        pd.read_csv(tmp_path / "csv" / "regions.csv"),
    ):
        by_country = frame.groupby("country")["attribution"].unique()
        assert list(by_country["KZ"]) == ["© OpenStreetMap contributors, ODbL 1.0"]
        assert list(by_country["RU"]) == ["Natural Earth, public domain"]
    info = subprocess.run(
        ["ogrinfo", "-so", str(tmp_path / "rukz.gpkg"), "regions"], capture_output=True, text=True, check=False
    )
    if info.returncode == 0:  # GDAL's ogrinfo (installed by .ci/run): the layer's metadata says it too
        assert "© OpenStreetMap contributors, ODbL 1.0" in info.stdout
