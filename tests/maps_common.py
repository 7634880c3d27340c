"""Helpers and fixtures shared by the tests/test_maps_*.py files (imported by them, not collected)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import geo
from geo.maps import build_map, map_html
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
