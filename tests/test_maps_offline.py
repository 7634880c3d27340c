"""Maps: the self-contained default and the online variant."""

from __future__ import annotations

import re

import maps_common
import pytest
from maps_common import layers

import geo
from geo.maps import build_map, map_html

# fixtures shared by the map tests
default_html = maps_common.default_html
default_map = maps_common.default_map


# -- offline -----------------------------------------------------------------------------------------
def test_offline_html_loads_nothing_from_the_network(default_html):
    assert not re.search(r"<script[^>]+src=", default_html)
    assert not re.search(r"<link[^>]+href=", default_html)
    assert "url(http" not in default_html and "url(//" not in default_html
    assert "L.tileLayer" not in default_html
    assert "Leaflet 1.9.4" in default_html or "1.9.4" in default_html


def test_online_map_uses_cdn_and_basemap():
    html = map_html(build_map(online=True, basemap="osm", projects=False, links=False))
    assert "leaflet@1.9.4/dist/leaflet.js" in html and "tile.openstreetmap.org" in html
    assert build_map(offline=False, projects=False, links=False).spec.offline is False  # the old switch


def test_self_contained_is_the_default():
    m = build_map(projects=False, links=False)
    assert m.spec.offline and m.spec.basemap is None
    html = map_html(m)
    assert not re.search(r"<script[^>]+src=", html) and "L.tileLayer" not in html
    with pytest.raises(geo.GeoInputError, match="contradict"):
        build_map(online=True, offline=True)


def test_background_of_other_regions_is_an_optional_layer():
    m = build_map(projects=False, links=False)
    bg = layers(m)["rk-background"]
    land = m.spec.background.geometry.iloc[0]
    assert len(m.spec.background) == 1 and bg.n_features == 1  # one merged land shape
    every = geo.regions().set_index("code")
    for code in ("RU-BA", "RU-TOM", "RU-ORE", "KZ-39"):  # regions off the map reach into the view, and it
        assert land.intersects(every.geometry[code].representative_point())  # lies under the map's own
    assert bg.interactive is False and bg.control  # listed in the layer control, takes no clicks
    assert "rk-background" not in layers(build_map(projects=False, links=False, background=False))
    assert build_map(projects=False, links=False, context=True).spec.background is None
    assert build_map(online=True, projects=False, links=False).spec.background is None  # tiles instead


def test_minimap_draws_each_country_outline_coarse_and_valid(default_map):
    import shapely

    from geo.maps.background import country_outlines

    outlines = default_map.spec.overview
    assert list(outlines["country"]) == ["KZ", "RU"] and outlines.is_valid.all()
    every = geo.regions().set_index("code")
    for code in ("KZ-71", "KZ-39", "RU-ORE", "RU-MOW", "RU-KHA"):  # inside its country's outline
        country = code[:2]
        point = every.geometry[code].representative_point()
        assert outlines.set_index("country").geometry[country].buffer(0.3).contains(point), code
    assert shapely.get_num_coordinates(outlines.geometry.to_numpy()).max() < 2000  # coarse: ~1° a pixel
    assert outlines.total_bounds[0] >= 19 and outlines.total_bounds[2] <= 180  # west of the antimeridian
    assert "rk-minimap" in map_html(default_map)
    one = country_outlines(every.reset_index()[every.reset_index()["country"] == "KZ"])
    assert list(one["country"]) == ["KZ"]


def test_basemap_none_and_local_tiles_offline():
    html = map_html(build_map(offline=True, basemap="tiles/{z}/{x}/{y}.png", projects=False, links=False))
    assert "tiles/{z}/{x}/{y}.png" in html
    with pytest.raises(geo.GeoInputError, match=r"self-contained .* --online"):
        build_map(basemap="osm")
