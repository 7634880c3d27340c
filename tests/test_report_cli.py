"""`geo report` on the command line, and the one set of table options on every command that reads a table."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from geo.cli import build_parser, main

TABLE_COMMANDS = ("check", "join", "map", "export", "report")
GEO = Path(__file__).resolve().parent.parent / "geo"


def _options(command: str) -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {s for action in sub.choices[command]._actions for s in action.option_strings}


def _table_group(command: str) -> list[tuple[str, ...]]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    group = next(g for g in sub.choices[command]._action_groups if g.title == "table options")
    return [tuple(a.option_strings) for a in group._group_actions]


def test_every_table_command_has_the_same_table_options() -> None:
    first = _table_group("check")
    for command in TABLE_COMMANDS:
        assert _table_group(command) == first, command
    names = {s for strings in first for s in strings}
    assert {
        "--region",
        "--keys",
        "--where",
        "--pivot",
        "--additive",
        "--aggregate",
        "--lenient",
        "--sheet",
    } <= names


def test_messages_suggest_only_options_every_table_command_has() -> None:
    """A "(CLI: --x)" hint in the table path names an option of every command that reads a table."""
    hinted: set[str] = set()
    for path in [*sorted((GEO / "tables").glob("*.py")), GEO / "attach.py", GEO / "join.py"]:
        hinted |= set(re.findall(r"CLI: (--[a-z][a-z-]*)", path.read_text(encoding="utf-8")))
    assert hinted  # the hints exist
    for command in TABLE_COMMANDS:
        assert hinted <= _options(command), (command, hinted - _options(command))


def test_geo_report_writes_pages_and_atlas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "rep"
    assert main(["report", "-o", str(out), "--units", "Kostanay", "Оренбургская обл."]) == 0
    printed = capsys.readouterr().out
    assert "2 profile pages, index.html, atlas.pdf" in printed
    assert sorted(p.name for p in out.iterdir()) == ["KZ-39.html", "RU-ORE.html", "atlas.pdf", "index.html"]
    assert main(["report", "-o", str(out), "--units", "Kostanay", "--no-pdf"]) == 2  # exists, no --force
    assert "--force" in capsys.readouterr().err


def test_geo_report_user_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "-o", str(tmp_path / "r"), "--units", "Atlantis"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("geo: error:") and err.count("\n") == 1
    (tmp_path / "file").write_text("x")
    assert main(["report", "-o", str(tmp_path / "file")]) == 2
    assert "is a file" in capsys.readouterr().err
    assert main(["report", "-o", str(tmp_path / "r"), "--no-pdf", "--no-html"]) == 2


def test_geo_report_with_a_table_and_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "t.csv"
    table.write_text("region,year,v\nKostanay,2020,1\nKostanay,2021,2\n", encoding="utf-8")
    out = tmp_path / "rep"
    args = ["report", "-o", str(out), "--units", "KZ-39", "--no-pdf", "--data", str(table), "--keys", "year"]
    assert main([*args, "--where", "year=2021"]) == 0
    page = (out / "KZ-39.html").read_text(encoding="utf-8")
    assert "<h2>Your table</h2>" in page and "<td>2021</td>" in page and "<td>2020</td>" not in page


def test_check_with_join_options_says_whether_the_join_works(tmp_path: Path, capsys) -> None:
    table = tmp_path / "t.csv"
    table.write_text("region,share\nВКО,0.2\nAbai,0.4\nKostanay,0.1\n", encoding="utf-8")
    assert main(["check", str(table), "--aggregate", "share=mean"]) == 0
    assert "join: OK" in capsys.readouterr().out
    assert main(["check", str(table), "--where", "share=0.2"]) == 0
    assert "join: OK" in capsys.readouterr().out
    assert main(["check", str(table), "--where", "nope=1"]) == 2
    assert "join: not possible" in capsys.readouterr().out


def test_a_region_outside_the_default_set_is_explained(tmp_path: Path, capsys) -> None:
    """Moscow is not unknown: it is outside the default regions, and the warning names the flag that adds it."""
    table = tmp_path / "t.csv"
    table.write_text("region,v\nOrenburg,1\nMoscow,2\n", encoding="utf-8")
    assert main(["join", str(table), "-o", str(tmp_path / "j.geojson")]) == 0
    err = capsys.readouterr().err
    assert "RU-MOW" in err and "12 Russian border regions; --all-regions adds the others" in err
    assert main(["join", str(table), "-o", str(tmp_path / "a.geojson"), "--all-regions"]) == 0
    assert "RU-MOW" not in capsys.readouterr().err
    out = tmp_path / "e.geojson"
    assert main(["export", "-o", str(out), "--layers", "regions", "--data", str(table)]) == 0
    assert "--context adds the others" in capsys.readouterr().err
