"""Maps: layers, classes, escaping, determinism, web geometry, offline HTML and the `geo map` command."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

import geo
from geo.cli import main
from geo.errors import OutputError
from geo.maps import build_map, map_html, save_figure, save_map, simplify_regions
from geo.maps.choropleth import NO_DATA_COLOR, _native_bins, classify
from geo.maps.html import esc, normalise_ids
from geo.maps.layer import VectorLayer

XSS = "<img src=x onerror=alert(1)>"
DATA = Path(geo.__file__).resolve().parent.parent / "data" / "attributes"


def layers(m) -> dict[str, VectorLayer]:
    return {c.class_name: c for c in m._children.values() if isinstance(c, VectorLayer)}


@pytest.fixture(scope="module")
def default_map():
    return build_map(offline=True)


@pytest.fixture(scope="module")
def default_html(default_map) -> str:
    return map_html(default_map)


@pytest.fixture
def xss_projects(tmp_path: Path) -> Path:
    df = pd.read_csv(DATA / "projects.csv", dtype=str, keep_default_na=False)
    df.loc[df["id"] == "baikonur-cosmodrome", "name_en"] = XSS
    df.loc[df["id"] == "karachaganak-field", "name_en"] = '<img src=x onerror="window.__xss=1">'
    df.loc[df["id"] == "karachaganak-field", "partners"] = (
        "`${window.__xss=2}` </script><script>window.__xss=3</script>"
    )
    path = tmp_path / "my_projects.csv"
    df.to_csv(path, index=False)
    return path


def write_table(path: Path, rows: dict[str, object], column: str = "value") -> Path:
    pd.DataFrame({"region": list(rows), column: list(rows.values())}).to_csv(path, index=False)
    return path


# -- the default map ---------------------------------------------------------------------------------
def test_default_map_has_every_layer(default_map):
    found = layers(default_map)
    assert found["rk-region"].n_features == 32  # 12 Russian border regions + the 20 Kazakh units
    codes = [f["properties"]["code"] for f in found["rk-region"].data["features"]]
    assert sum(c.startswith("RU-") for c in codes) == 12
    assert sum(c.startswith("KZ-") for c in codes) == 20
    assert found["rk-labels"].n_features == 32
    assert (
        found["rk-border"].n_features >= 1 and found["rk-border"].halo
    )  # the line (+ rings at point contacts)
    assert found["rk-link"].n_features == len(geo.links())
    assert found["rk-project-line"].n_features == int(geo.projects()["mappable"].sum())


def test_default_map_names_sources_and_has_no_merged_labels(default_html):
    assert "incl." not in default_html  # every current unit has its own polygon
    assert "Natural Earth" in default_html
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


def test_merged_polygons_of_a_pre_2018_boundary_file_say_incl():
    html = map_html(build_map(boundaries=geo.regions(vintage="2017"), offline=True))
    assert "East Kazakhstan incl. Abai" in html


def test_samaras_short_contact_is_shown_with_its_length(default_map):
    tips = {
        f["properties"]["code"]: f["properties"]["tip"]
        for f in layers(default_map)["rk-region"].data["features"]
    }
    # A 2.5 km line on the OSM border (regional descriptions: a single point); PROVENANCE.md says so.
    assert "<th>Border with the other country</th><td>2 km</td>" in tips["RU-SAM"]


def test_tooltips_have_names_in_both_languages_code_and_value(default_map):
    tips = {
        f["properties"]["code"]: f["properties"]["tip"]
        for f in layers(default_map)["rk-region"].data["features"]
    }
    tip = tips["RU-ORE"]
    assert "Orenburg Oblast" in tip and "Оренбургская область" in tip and "RU-ORE" in tip and " km" in tip


def test_lang_ru(tmp_path):
    html = map_html(build_map(lang="ru", offline=True, boundaries=geo.regions(vintage="2017")))
    assert "Российско-казахстанский приграничный регион" in html
    assert "Восточно-Казахстанская обл. вкл. Абайская обл." in html


def test_context_adds_other_russian_regions():
    found = layers(build_map(offline=True, context=True, projects=False, links=False))
    assert found["rk-region"].n_features == 32
    assert found["rk-context"].n_features == len(geo.regions(country="RU")) - 12


# -- classes -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("scheme", ["quantiles", "natural_breaks", "equal_interval"])
def test_native_schemes_equal_mapclassify(scheme):
    mapclassify = pytest.importorskip("mapclassify")
    rng = np.random.default_rng(7)
    for _ in range(40):
        y = np.round(rng.lognormal(3, 1, int(rng.integers(6, 60))), 1)
        k = int(min(rng.integers(2, 8), np.unique(y).size))
        name = "fisher_jenks" if scheme == "natural_breaks" else scheme
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = mapclassify.classify(y, name, k=k).bins
        assert np.allclose(_native_bins(y, name, k), expected)


def test_classify_single_value_negative_and_missing():
    one = classify([5, 5, 5], scheme="quantiles", k=5)
    assert one.k == 1 and list(one.index) == [0, 0, 0] and one.labels == ["5"]
    neg = classify([-30.5, -2, 0, 4, 10, np.nan], scheme="equal_interval", k=3)
    assert neg.lower[0] == -30.5 and neg.index[-1] == -1 and neg.n_missing == 1
    assert neg.labels[0].startswith("−30.5")
    none = classify([np.nan, None, pd.NA], scheme="natural_breaks")
    assert none.k == 0 and none.n_missing == 3 and none.color_of(-1) == NO_DATA_COLOR


def test_classify_fewer_distinct_values_than_k_and_ties():
    c = classify([1, 1, 1, 1, 2, 2, 9], scheme="quantiles", k=5)
    assert c.k <= 3 and all(n > 0 for n in c.counts) and sum(c.counts) == 7


@pytest.mark.parametrize("scheme", ["maximum_breaks", "headtail_breaks", "std_mean", "box_plot"])
def test_other_schemes_through_mapclassify(scheme):
    mapclassify = pytest.importorskip("mapclassify")
    y = np.arange(30.0) ** 1.5
    c = classify(y, scheme=scheme, k=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = mapclassify.classify(y, scheme, k=4)
    # mapclassify's classes, without its empty ones (std_mean and box_plot start below the minimum) and
    # with the top edge at the largest value (theirs may lie above it).
    kept = np.asarray(expected.counts) > 0
    bins = np.asarray(expected.bins, dtype=float)[kept]
    bins[-1] = y.max()
    assert np.allclose(c.bins, bins)
    assert list(c.counts) == list(np.asarray(expected.counts)[kept]) and sum(c.counts) == 30


# -- web geometry ------------------------------------------------------------------------------------
def test_coverage_simplification_keeps_a_valid_coverage(all_regions):
    web = simplify_regions(all_regions, tolerance=0.01)
    geoms = web.geometry.to_numpy()
    assert shapely.coverage_is_valid(geoms)
    assert (
        shapely.get_num_coordinates(geoms).sum()
        < 0.6 * shapely.get_num_coordinates(all_regions.geometry).sum()
    )
    coords = shapely.get_coordinates(geoms)
    assert np.allclose(coords, np.round(coords, 4))


def test_zero_tolerance_keeps_vertices(all_regions):
    sub = all_regions[all_regions["country"] == "KZ"]
    web = simplify_regions(sub, tolerance=0)
    assert (
        shapely.get_num_coordinates(web.geometry).sum()
        >= 0.99 * shapely.get_num_coordinates(sub.geometry).sum()
    )


# -- escaping and determinism ------------------------------------------------------------------------
def test_esc_makes_text_inert():
    assert esc(XSS) == "&lt;img src=x onerror=alert(1)&gt;"
    assert esc("`${x}` \\") == "&#96;&#36;&#123;x&#125;&#96; &#92;"
    assert esc(None) == "" and esc(float("nan")) == "" and esc(pd.NA) == ""


def test_every_string_from_data_is_escaped(xss_projects):
    m = build_map(offline=True, projects=xss_projects, title="<b>T</b>")
    html = map_html(m)
    assert "<img src=x" not in html
    assert "window.__xss=3</script>" not in html
    assert "<b>T</b>" not in html and "&lt;b&gt;T&lt;/b&gt;" in html
    # the name is there, as escaped text inside script-safe JSON
    assert r"\u0026lt;img src=x onerror=alert(1)\u0026gt;" in html
    assert "${window" not in html


def test_data_are_not_evaluated_as_templates(tmp_path):
    df = pd.read_csv(DATA / "projects.csv", dtype=str, keep_default_na=False)
    df.loc[df["id"] == "baikonur-cosmodrome", "name_en"] = "{{ 7*7 }} {% if 1 %}x{% endif %} {# c #}"
    path = tmp_path / "projects.csv"
    df.to_csv(path, index=False)
    html = map_html(build_map(offline=True, projects=path, title="{{ 6*7 }}")).replace("\\u0026", "&")
    assert "&#123;&#123; 7*7 &#125;&#125;" in html and "&#123;&#123; 6*7 &#125;&#125;" in html
    assert "&#123;% if 1 %&#125;x&#123;% endif %&#125; &#123;# c #&#125;" in html


def test_polyline_encoding_round_trips(all_regions):
    from geo.maps.geometry import decode_coords, encode_coords, features, geometry_of

    coords = np.array([[51.1234, 50.5], [51.1301, 50.4999], [-179.9, -89.0001], [180.0, 90.0]])
    assert np.allclose(decode_coords(encode_coords(coords)), coords)
    web = simplify_regions(all_regions[all_regions["code"].isin(["KZ-63", "RU-ORE"])])
    feats = features(web, [{}] * len(web))["features"]
    for geom, feat in zip(web.geometry, feats, strict=True):
        back = shapely.geometry.shape(geometry_of(feat))
        assert shapely.equals_exact(shapely.normalize(back), shapely.normalize(geom), tolerance=1e-9)


def test_equal_inputs_give_byte_identical_html():
    a = map_html(build_map(offline=True))
    b = map_html(build_map(offline=True))
    assert a == b
    assert not re.search(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", a.replace("0" * 24, "")), "random ids left"


def test_normalise_ids_is_consistent():
    ids = ["a" * 32, "b" * 32]
    text = f"x_{ids[1]} y_{ids[0]} z_{ids[1]} keep_{'c' * 32}"
    assert normalise_ids(text, ids) == f"x_{1:032x} y_{2:032x} z_{1:032x} keep_{'c' * 32}"


# -- offline -----------------------------------------------------------------------------------------
def test_offline_html_loads_nothing_from_the_network(default_html):
    assert not re.search(r"<script[^>]+src=", default_html)
    assert not re.search(r"<link[^>]+href=", default_html)
    assert "url(http" not in default_html and "url(//" not in default_html
    assert "L.tileLayer" not in default_html
    assert "Leaflet 1.9.4" in default_html or "1.9.4" in default_html


def test_online_map_uses_cdn_and_basemap():
    html = map_html(build_map(basemap="osm", projects=False, links=False))
    assert "leaflet@1.9.4/dist/leaflet.js" in html and "tile.openstreetmap.org" in html


def test_basemap_none_and_local_tiles_offline():
    html = map_html(build_map(offline=True, basemap="tiles/{z}/{x}/{y}.png", projects=False, links=False))
    assert "tiles/{z}/{x}/{y}.png" in html
    with pytest.raises(geo.GeoInputError, match="offline"):
        build_map(offline=True, basemap="osm")


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
    before_2018 = geo.regions(vintage="2017")
    with pytest.raises(geo.GeoInputError, match=r"column 'count' would be combined .* not declared additive"):
        build_map(path, metric="count", offline=True, boundaries=before_2018)
    m = build_map(path, metric="count", offline=True, additive=True, boundaries=before_2018)
    tips = {f["properties"]["code"]: f["properties"]["tip"] for f in layers(m)["rk-region"].data["features"]}
    assert "<th>count</th><td>15</td>" in tips["KZ-63"]  # 10 + 5, not 150 or 1.5
    assert "count summed" in tips["KZ-63"]
    assert "<th>count</th><td>1</td>" in tips["KZ-39"]


# -- static figure -----------------------------------------------------------------------------------
def test_png_and_svg(tmp_path, default_map):
    png = save_figure(default_map, tmp_path / "map.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
    svg = save_figure(default_map, tmp_path / "map.svg")
    text = svg.read_text()
    assert "<svg" in text and "Natural Earth" in text


# -- the command -------------------------------------------------------------------------------------
def run(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err.strip()
    return code, err


def test_cli_default_map_writes_html(tmp_path, capsys):
    out = tmp_path / "map.html"
    code, _ = run(["map", "-o", str(out), "--offline"], capsys)
    assert code == 0 and out.read_text().startswith("<!DOCTYPE html>")
    code, err = run(["map", "-o", str(out), "--offline"], capsys)
    assert code == 2 and "--force" in err


@pytest.mark.parametrize(
    ("extra", "rows", "message"),
    [
        (["--metric", "nope"], {"Kostanay": 1, "Omsk": 2}, "no column 'nope'"),
        (["--metric", "value"], {"Kostanay": "high", "Omsk": "low"}, "not numeric"),
        (
            ["--metric", "value"],
            {"Kostanay": "", "Omsk": ""},
            "column 'value' has no values for the regions on the map; nothing to colour",
        ),
        (
            ["--metric", "value", "--scheme", "magic"],
            {"Kostanay": 1, "Omsk": 2},
            "unknown classification scheme",
        ),
        (["--metric", "value", "--lang", "de"], {"Kostanay": 1, "Omsk": 2}, "unknown language 'de'"),
        (["--metric", "value", "--k", "20"], {"Kostanay": 1, "Omsk": 2}, "from 2 to 9"),
        (["--metric", "value", "--tolerance", "-1"], {"Kostanay": 1, "Omsk": 2}, "tolerance"),
        (["--metric", "value", "--basemap", "no-such-tiles"], {"Kostanay": 1, "Omsk": 2}, "unknown basemap"),
    ],
    ids=["missing", "non-numeric", "all-missing", "scheme", "lang", "k", "tolerance", "basemap"],
)
def test_cli_bad_input_one_line_exit_2_no_file(tmp_path, capsys, extra, rows, message):
    table = write_table(tmp_path / "t.csv", rows)
    out = tmp_path / "map.html"
    code, err = run(["map", "--data", str(table), "-o", str(out), "--offline", *extra], capsys)
    assert code == 2
    assert err.startswith("geo: error:") and "\n" not in err and message in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]  # no partial or temporary file


@pytest.mark.parametrize(
    ("rows", "legend"),
    [({"Kostanay": 7, "Omsk": 7}, "7"), ({"Kostanay": -5, "Omsk": 3, "Altai Krai": -1}, "−5")],
)
def test_cli_single_value_and_negative_values_work(tmp_path, capsys, rows, legend):
    table = write_table(tmp_path / "t.csv", rows)
    out = tmp_path / "map.html"
    code, err = run(["map", "--data", str(table), "--metric", "value", "-o", str(out), "--offline"], capsys)
    assert code == 0, err
    assert legend in out.read_text()


def test_cli_unwritable_output(tmp_path, capsys, monkeypatch):
    code, err = run(["map", "-o", str(tmp_path / "missing" / "map.html"), "--offline"], capsys)
    assert code == 2 and "does not exist" in err
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        # root ignores permissions: let the OS answer "not writable" for this folder as it does for others.
        real_access = os.access
        monkeypatch.setattr(
            "geo._io.os.access", lambda p, mode: False if Path(p) == locked else real_access(p, mode)
        )
        code, err = run(["map", "-o", str(locked / "map.html"), "--offline"], capsys)
        assert code == 2 and err.startswith("geo: error:") and "\n" not in err
        assert f"cannot write {locked / 'map.html'}: folder {locked} is not writable" in err
        assert not any(locked.iterdir())
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("failing", ["map.html", "map.png"])
def test_cli_write_error_is_one_line_and_leaves_no_file(tmp_path, capsys, monkeypatch, failing):
    real_write = Path.write_bytes

    def disk_full(self, data):
        if self.name.startswith(f".{failing}."):  # the temporary file of that output
            real_write(self, data[: len(data) // 2])
            raise OSError(28, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    out, png = tmp_path / "map.html", tmp_path / "map.png"
    code, err = run(["map", "-o", str(out), "--offline", "--png", str(png)], capsys)
    assert code == 2
    assert (
        err == f"geo: error: cannot write {tmp_path / failing}: No space left on device; nothing was written"
    )
    assert list(tmp_path.iterdir()) == []  # neither the HTML nor the PNG nor a temporary file


def test_cli_failed_rename_keeps_the_old_files(tmp_path, capsys, monkeypatch):
    out, png = tmp_path / "map.html", tmp_path / "map.png"
    out.write_text("old html")
    png.write_text("old png")
    real_replace = os.replace

    def png_rename_fails(src, dst):
        if Path(dst) == png:
            raise OSError(5, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr("geo._io.os.replace", png_rename_fails)
    code, err = run(["map", "-o", str(out), "--offline", "--png", str(png), "--force"], capsys)
    assert code == 2 and err == f"geo: error: cannot write {png}: Input/output error; nothing was written"
    assert out.read_text() == "old html" and png.read_text() == "old png"  # the HTML was put back too
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html", "map.png"]


@pytest.mark.skipif(
    not (Path("/proc/self").is_dir() and os.access("/proc", os.W_OK)),
    reason="needs a /proc that os.access calls writable (Linux, as root)",
)
def test_cli_special_file_system_is_one_line(tmp_path, capsys):
    code, err = run(
        ["map", "-o", "/proc/rukz-map.html", "--offline", "--png", str(tmp_path / "m.png")], capsys
    )
    assert code == 2 and err.startswith("geo: error: cannot write /proc/rukz-map.html: ") and "\n" not in err
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_no_partial_file(tmp_path, monkeypatch, default_map):
    real = Path.write_text

    def half_then_fail(self, text, *args, **kwargs):
        real(self, text[: len(text) // 2], *args, **kwargs)
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", half_then_fail)
    with pytest.raises(OutputError, match=r"cannot write .*map\.html: disk full; nothing was written"):
        save_map(default_map, tmp_path / "map.html")
    assert list(tmp_path.iterdir()) == []


def test_cli_lang_ru_and_png(tmp_path, capsys):
    out, png = tmp_path / "map.html", tmp_path / "map.png"
    code, err = run(["map", "-o", str(out), "--lang", "ru", "--offline", "--png", str(png)], capsys)
    assert code == 0, err
    assert "Регионы" in out.read_text() and png.stat().st_size > 50_000


def test_cli_output_is_a_folder_or_bad_suffix(tmp_path, capsys):
    code, err = run(["map", "-o", str(tmp_path), "--offline", "--force"], capsys)
    assert code == 2 and "is a directory" in err
    out = tmp_path / "map.html"
    code, err = run(["map", "-o", str(out), "--offline", "--png", str(tmp_path / "map.gif")], capsys)
    assert code == 2 and "must end in .png" in err and not out.exists()
