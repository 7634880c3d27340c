"""--basemap is text from the user: validated as a tile URL template, never compiled as a template (issue 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.cli import main
from geo.errors import MapOptionError
from geo.maps.basemap import Basemap, basemap_of

HOSTILE = [
    "tiles/{z}/{x}/{y}.png?{{7*7}}",
    "tiles/{z}/{x}/{y}.png?{{ lipsum.__globals__.os.popen('touch /tmp/rukz-pwned').read() }}",
    "tiles/{z}/{x}/{y}.png{# comment #}",
    "tiles/{z}/{x}/{y}.png{% raw %}",
    "tiles/{z}/{x}/{y}.png{%endraw%}",
    "tiles/{z}/{x}/{y}.png?{q}",
    'tiles/{z}/{x}/{y}.png"><script>alert(1)</script>',
    "javascript:alert(1)//{z}/{x}/{y}",
    "file:///etc/{z}/{x}/{y}",
    "tiles/{z}/{x}/{y}.png\n",
    "tiles/{z}/{x}.png",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_basemap_is_one_clear_error(url: str) -> None:
    with pytest.raises(MapOptionError, match="basemap"):
        basemap_of(url, offline=False)


@pytest.mark.parametrize("url", HOSTILE[:4])
def test_cli_refuses_template_syntax_before_anything_is_written(url: str, tmp_path: Path, capsys) -> None:
    out = tmp_path / "m.html"
    assert main(["map", "--basemap", url, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("geo: error: basemap URL") and err.count("\n") == 1
    assert not out.exists() and not Path("/tmp/rukz-pwned").exists()


def test_good_tile_templates_and_names_pass() -> None:
    assert basemap_of("https://{s}.tile.example.org/{z}/{x}/{y}{r}.png", offline=False) == Basemap(
        url="https://{s}.tile.example.org/{z}/{x}/{y}{r}.png"
    )
    assert basemap_of("tiles/{z}/{x}/{y}.png", offline=True) == Basemap(url="tiles/{z}/{x}/{y}.png")
    assert basemap_of("osm", offline=False) == Basemap(provider="OpenStreetMap.Mapnik")
    assert basemap_of("none", offline=False) is None
    with pytest.raises(MapOptionError, match="remote"):
        basemap_of("https://tile.example.org/{z}/{x}/{y}.png", offline=True)
