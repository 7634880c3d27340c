"""Maps: every string escaped, equal inputs give equal HTML."""

from __future__ import annotations

import re

import maps_common
import numpy as np
import pandas as pd
import shapely
from maps_common import DATA, XSS

from geo.maps import build_map, map_html, simplify_regions
from geo.maps.html import esc, normalise_ids

# fixtures shared by the map tests
xss_projects = maps_common.xss_projects


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
