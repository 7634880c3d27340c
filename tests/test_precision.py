"""--precision never writes invalid geometry: every allowed value either writes valid geometry or is refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from geo.errors import GeoInputError
from geo.exports import export
from geo.precision import round_geometries


@pytest.mark.parametrize("precision", range(16))
def test_every_precision_writes_valid_geometry_or_refuses_clearly(tmp_path: Path, precision: int) -> None:
    out = tmp_path / "regions.geojson"
    try:
        export(out, layers="regions", precision=precision)
    except GeoInputError as exc:
        assert precision <= 1, f"precision {precision} refused: {exc}"
        assert "use a precision of" in str(exc)
        assert not out.exists()
        return
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert len(features) == 32
    for feature in features:
        geom = shapely.geometry.shape(feature["geometry"])
        assert geom.is_valid and not geom.is_empty, (precision, feature["id"], shapely.is_valid_reason(geom))
        xy = shapely.get_coordinates(geom)
        assert np.array_equal(np.round(xy, precision), xy)


def test_snap_rounding_repairs_what_plain_rounding_would_fold() -> None:
    # A thin spike that plain rounding to 1 decimal turns into a self-intersecting ring.
    spike = Polygon([(0, 0), (1, 0), (1, 1), (0.52, 1.0), (0.56, 0.04), (0.5, 1.0), (0, 1)])
    assert not shapely.transform(spike, lambda xy: np.round(xy, 1)).is_valid
    out = round_geometries(np.array([spike], dtype=object), 1)
    assert out[0].is_valid and not out[0].is_empty


def test_a_polygon_that_would_vanish_is_named() -> None:
    tiny = Polygon([(0.01, 0.01), (0.02, 0.01), (0.02, 0.02)])
    with pytest.raises(GeoInputError, match=r"would erase KZ-75; use a precision of 2 or more"):
        round_geometries(np.array([tiny], dtype=object), 1, labels=["KZ-75"])


def test_cli_coarse_precision_is_one_line_exit_2(tmp_path: Path) -> None:
    args = ["export", "-o", str(tmp_path / "x.geojson"), "--layers", "regions", "--precision", "0"]
    proc = subprocess.run(
        [sys.executable, "-m", "geo.cli", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "use a precision of" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.geojson").exists()
