"""Region profiles and the print atlas: what each page says equals what the API computes.

One default report (32 units, HTML and PDF) is written once for the module (about 30 s on a 2-core machine);
the other tests use one or two units. The PDF is checked with poppler's ``pdfinfo``, ``pdftotext`` and
``pdftoppm`` (Debian ``poppler-utils``): skipped with the reason when they are missing, failing under CI=true.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import geo
from geo.errors import GeoInputError, OutputError, TableError
from geo.report import profiles
from geo.report.figures import HIGHLIGHT_FILL
from geo.report.format import area_text, km_text
from geo.report.profile import default_units

POPPLER = ("pdfinfo", "pdftotext", "pdftoppm")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} (poppler-utils) is required under CI")
        pytest.skip(f"{name} not installed (apt-get install poppler-utils)")
    return path


def _run(*args: str) -> str:
    proc = subprocess.run([_tool(args[0]), *args[1:]], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("report") / "out"
    return folder, geo.report(folder)


@pytest.fixture(scope="module")
def built() -> list:
    return profiles()


@pytest.fixture(scope="module")
def api() -> dict:
    regions = geo.regions()
    return {
        "areas": pd.Series(geo.areas_km2(regions).to_numpy(), index=regions["code"]),
        "pairs": geo.border_pairs(regions),
        "totals": geo.border_totals(regions).set_index("code")["border_km"],
    }


def _page_text(pdf: Path, number: int) -> str:
    return " ".join(_run("pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-").split())


# -- what the profiles hold -----------------------------------------------------------------------------
def test_default_units_are_the_russian_border_regions_and_every_kazakh_unit(built) -> None:
    cat = geo.catalog().table
    ru = set(cat[(cat["country"] == "RU") & cat["border"]]["code"])
    kz = set(cat[cat["country"] == "KZ"]["code"])
    codes = [p.code for p in built]
    assert len(ru) == 12 and len(kz) == 20 and len(codes) == 32
    assert set(codes) == ru | kz and codes == default_units(cat)
    assert [p.country for p in built] == ["RU"] * 12 + ["KZ"] * 20


def test_profile_figures_are_the_api_figures(built, api) -> None:
    pairs = api["pairs"]
    for p in built:
        if p.polygon == p.code:
            assert p.area_km2 == pytest.approx(api["areas"][p.code], abs=1e-3), p.code
        else:
            assert p.area_km2 is None, p.code  # never the containing polygon's area as the unit's
        mine = pairs[(pairs["ru_code"] == p.polygon) | (pairs["kz_code"] == p.polygon)]
        assert len(p.neighbours) == len(mine), p.code
        for n in p.neighbours:
            row = mine[(mine["ru_code"] == n.code) | (mine["kz_code"] == n.code)].iloc[0]
            expected = 0.0 if row["contact"] == "point" else row["length_km"]
            assert n.length_km == pytest.approx(expected, abs=1e-3), (p.code, n.code)
        assert p.border_km == pytest.approx(api["totals"].get(p.polygon, 0.0), abs=0.01), p.code


def test_profile_records_come_from_the_shipped_tables(built) -> None:
    trade, coop, projects = geo.trade(), geo.cooperation(), geo.projects()
    for p in built:
        expected = trade[(trade["region"] == p.code) | (trade["partner"] == p.code)]
        assert sorted(p.trade["id"]) == sorted(expected["id"]), p.code
        hosted = coop[(coop["kind"] == "forum") & (coop["host_region"] == p.code)]
        assert sorted(p.forums["id"]) == sorted(hosted["id"]), p.code
        touching = projects[
            projects["regions"].fillna("").str.split(";").map(lambda c, code=p.code: code in c)
        ]
        assert sorted(p.projects["id"]) == sorted(touching["id"]), p.code
        for source in p.trade["source"].dropna():
            assert source.split(" | ")[0] in p.sources, p.code
    orenburg = next(p for p in built if p.code == "RU-ORE")
    assert len(orenburg.forums) >= 2  # VI (2009) and XVIII (2022) were held in Orenburg


def test_a_unit_without_its_own_polygon_is_located_by_the_one_that_holds_it() -> None:
    """Built on a frame where Abai is merged into East Kazakhstan, whatever the embedded boundaries are."""
    regions = geo.regions()
    if "KZ-10" in set(regions["code"]):
        east = regions["code"] == "KZ-63"
        union = regions[regions["code"].isin(["KZ-63", "KZ-10"])].union_all()
        regions.loc[east, "geometry"] = gpd.GeoSeries([union], crs=regions.crs).to_numpy()
        regions.loc[east, "includes"] = "KZ-10"
        regions = regions[regions["code"] != "KZ-10"].reset_index(drop=True)
    (abai,) = profiles(units=["Abai"], regions=regions)
    assert abai.code == "KZ-10" and abai.polygon == "KZ-63" and abai.area_km2 is None
    assert "shown within" in abai.notes[0] and "not this unit's" in abai.notes[0]
    assert {n.code for n in abai.neighbours} >= {"RU-ALT"}


# -- the HTML pages ------------------------------------------------------------------------------------
def test_index_and_one_self_contained_page_per_unit(written, built) -> None:
    folder = written[0]
    pages = sorted(p.name for p in folder.glob("*.html"))
    assert pages == sorted(["index.html", *(f"{p.code}.html" for p in built)])
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{p.code}.html"' in index for p in built) and 'href="atlas.pdf"' in index
    for p in built:
        text = (folder / f"{p.code}.html").read_text(encoding="utf-8")
        # nothing loaded from anywhere: no script, stylesheet link, external image or font
        assert "<script" not in text and "<link" not in text and "<img" not in text and "@import" not in text
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text.split("<h2>Sources</h2>")[0]), p.code
        assert text.count("<svg") >= 1  # the locator, inline
        assert area_text(p.area_km2) in text
        for n in p.neighbours:
            if n.contact == "line":
                assert km_text(n.length_km) in text, (p.code, n.code)


def test_user_text_is_escaped_on_the_page(tmp_path: Path) -> None:
    table = pd.DataFrame({"region": ["Kostanay"], "note": ['<img src=x onerror=alert(1)> & "q"']})
    geo.report(tmp_path, units=["Kostanay"], data=table, pdf=False)
    text = (tmp_path / "KZ-39.html").read_text(encoding="utf-8")
    assert "<h2>Your table</h2>" in text and "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;" in text
    assert "<img" not in text


def test_pages_are_byte_identical_for_equal_inputs(tmp_path: Path) -> None:
    for name in ("a", "b"):
        geo.report(tmp_path / name, units=["RU-ORE"], pdf=False)
    for page in ("index.html", "RU-ORE.html"):
        assert (tmp_path / "a" / page).read_bytes() == (tmp_path / "b" / page).read_bytes()


# -- the PDF atlas -------------------------------------------------------------------------------------
def test_atlas_has_one_a4_page_per_unit(written, built) -> None:
    folder, paths = written
    assert paths[-1] == folder / "atlas.pdf"
    info = _run("pdfinfo", str(folder / "atlas.pdf"))
    assert re.search(r"^Pages:\s+32$", info, re.M)
    assert "(A4)" in info and len(built) == 32


def test_each_atlas_page_carries_the_api_figures(written, built, api) -> None:
    pdf = written[0] / "atlas.pdf"
    for number, p in enumerate(built, start=1):
        text = _page_text(pdf, number)
        assert text.startswith(p.name_en) or p.name_en in text[:80], number
        assert p.name_ru in text and f"page {number} of 32" in text
        assert f"Area (geodesic): {area_text(p.area_km2)}" in text, p.code
        if p.polygon == p.code:
            assert area_text(round(float(api["areas"][p.code]), 3)) in text
        for n in p.neighbours:
            shown = km_text(n.length_km) if n.contact == "line" else "touch at a point"
            assert f"{n.code} {n.name}: {shown}" in text, (p.code, n.code)
        for word in ("Legend", "state border", "km (at", "Sources", "Boundaries:"):
            assert word in text, (p.code, word)
        assert " N " in f" {text} "  # the north arrow's letter


def test_atlas_pages_render_with_the_unit_highlighted(written, built, tmp_path: Path) -> None:
    """Two pages rendered to PNG (a Russian region; a Kazakh unit): the map shows the unit's fill colour."""
    from PIL import Image

    pdf = written[0] / "atlas.pdf"
    codes = [p.code for p in built]
    highlight = tuple(int(HIGHLIGHT_FILL[i : i + 2], 16) for i in (1, 3, 5))
    for code in ("RU-ORE", "KZ-39"):
        number = codes.index(code) + 1
        _run(
            "pdftoppm",
            "-f",
            str(number),
            "-l",
            str(number),
            "-r",
            "40",
            "-png",
            str(pdf),
            str(tmp_path / code),
        )
        (png,) = tmp_path.glob(f"{code}*.png")
        pixels = np.asarray(Image.open(png).convert("RGB"))
        assert pixels.shape[0] > pixels.shape[1] > 250  # portrait
        share = (np.abs(pixels.astype(int) - highlight).sum(axis=2) < 30).mean()
        assert 0.005 < share < 0.4, (code, share)  # the unit is drawn, and is not the whole page
        assert (pixels.min(axis=2) > 245).mean() > 0.3  # a page with white margins, not a blank or black one


# -- errors and options --------------------------------------------------------------------------------
def test_an_unknown_unit_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(GeoInputError, match="Kostanaj"):
        geo.report(tmp_path, units=["Kostanaj"])
    assert list(tmp_path.iterdir()) == []


def test_a_table_with_problems_is_refused_unless_lenient(tmp_path: Path) -> None:
    table = pd.DataFrame({"region": ["Kostanay", "Kostanaj"], "v": [1, 2]})
    with pytest.raises(TableError, match="Kostanaj"):
        geo.report(tmp_path / "a", units=["KZ-39"], data=table, pdf=False)
    assert not (tmp_path / "a").exists()
    with pytest.warns(UserWarning, match="leaving out 1 row"):
        geo.report(tmp_path / "b", units=["KZ-39"], data=table, pdf=False,
                   table_options=geo.TableOptions(strict=False))  # fmt: skip
    assert (tmp_path / "b" / "KZ-39.html").exists()


def test_existing_files_are_kept_without_force(tmp_path: Path) -> None:
    geo.report(tmp_path, units=["KZ-39"], pdf=False)
    page = tmp_path / "KZ-39.html"
    page.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="force"):
        geo.report(tmp_path, units=["KZ-39"], pdf=False)
    assert page.read_text(encoding="utf-8") == "mine"
    geo.report(tmp_path, units=["KZ-39"], pdf=False, force=True)
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
