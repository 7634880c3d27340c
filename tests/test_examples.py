"""examples/: small tables that pass `geo check`, built from the shipped data, and the README's quick start.

Every figure of an example is the shipped, sourced one (never typed in by hand): the files are what
``scripts/make_examples.py`` writes from :func:`geo.trade`, and each trade row matches its ``trade_id``.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import shlex
import shutil
from pathlib import Path

import pandas as pd
import pytest

import geo
from geo.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def make_examples():
    spec = importlib.util.spec_from_file_location("make_examples", ROOT / "scripts" / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_csv_examples_are_what_the_script_writes(make_examples) -> None:
    expected = make_examples.csv_text(make_examples.trade_table())
    assert (EXAMPLES / "trade_by_year.csv").read_text(encoding="utf-8") == expected
    expected = make_examples.csv_text(make_examples.area_table())
    assert (EXAMPLES / "kz_units_areas.csv").read_text(encoding="utf-8") == expected


def test_the_workbook_has_title_rows_above_the_same_rows(make_examples) -> None:
    raw = pd.read_excel(EXAMPLES / "trade_workbook.xlsx", header=None)
    assert raw.iloc[0, 0] == make_examples.TITLE and raw.iloc[1, 0] == make_examples.SUBTITLE
    assert raw.iloc[2].isna().all()  # a blank row, then the header
    table = pd.read_excel(EXAMPLES / "trade_workbook.xlsx", skiprows=3)
    csv = pd.read_csv(EXAMPLES / "trade_by_year.csv")
    pd.testing.assert_frame_equal(table, csv)


def test_every_trade_figure_is_the_shipped_one() -> None:
    trade = geo.trade().set_index("id")
    table = pd.read_csv(EXAMPLES / "trade_by_year.csv")
    assert table["year"].nunique() >= 4  # a multi-year table
    for row in table.itertuples():
        shipped = trade.loc[row.trade_id]
        assert geo.resolve(row.region) == shipped["region"], row.region
        assert row.turnover_usd_mn == shipped["value"] and shipped["currency"] == "USD"
        assert shipped["unit"] == "million" and str(row.year) == shipped["period"]
        assert row.qualifier == shipped["qualifier"] and row.source == shipped["source"]


def test_the_kazakh_table_has_every_current_unit_including_the_new_ones() -> None:
    table, report = geo.read_table(EXAMPLES / "kz_units_areas.csv")
    cat = geo.catalog().table
    assert report.ok and set(table["code"]) == set(cat[cat["country"] == "KZ"]["code"])
    assert {"KZ-10", "KZ-33", "KZ-62", "KZ-79"} <= set(
        table["code"]
    )  # Abai, Jetisu, Ulytau (2022), Shymkent (2018)
    assert table["source"].str.len().gt(0).all()


@pytest.mark.parametrize(
    "args",
    [
        ["examples/trade_by_year.csv", "--keys", "year"],
        ["examples/kz_units_areas.csv"],
        ["examples/kz_units_areas.csv", "--additive", "area_km2_official"],  # the join of units onto polygons
    ],
)
def test_the_examples_pass_geo_check(args, monkeypatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check", *args]) == 0, capsys.readouterr().out


def _header_detection() -> bool:
    """Whether this version reads a workbook's header below title rows (issue 11, item 5)."""
    params = inspect.signature(geo.read_table).parameters
    return bool({"skip_rows", "header"} & set(params))


def test_the_workbook_with_title_rows_passes_geo_check(monkeypatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    code = main(["check", "examples/trade_workbook.xlsx", "--keys", "year"])
    if code != 0 and not _header_detection():
        pytest.skip(
            "reading a header below title rows (issue 11: --skip-rows / header detection) is not merged"
        )
    assert code == 0, capsys.readouterr()


# -- the README's quick start ----------------------------------------------------------------------------
def _quick_start_commands(heading: str = "## Quick start") -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("geo ")]


def test_the_maps_section_commands_run_as_typed(tmp_path: Path, monkeypatch, capsys) -> None:
    """Each `geo map` line of the README's Maps section (year control, palettes, Kazakh…), in a copy of examples/."""
    commands = _quick_start_commands("## Maps")
    assert len(commands) >= 6 and any("--time" in c for c in commands)
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for command in commands:
        assert main(shlex.split(command)[1:]) == 0, (command, capsys.readouterr())
    assert (tmp_path / "years.html").exists() and (tmp_path / "map.png").exists()


def test_the_quick_start_commands_run_as_typed(tmp_path: Path, monkeypatch, capsys) -> None:
    """Each `geo` line of the README's quick start, run in a copy of examples/ (`geo report` is the one line
    left out here: tests/test_report.py writes the same default report)."""
    commands = _quick_start_commands()
    assert len(commands) >= 5
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    for command in commands:
        if command.startswith("geo report"):
            continue
        assert main(shlex.split(command)[1:]) == 0, (command, capsys.readouterr())
    assert (tmp_path / "out" / "trade_2017.gpkg").exists()
