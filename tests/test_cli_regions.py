"""The `geo` command for the foundation: regions, resolve, border; user errors are one line and exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geo.cli import main


def test_regions_table_csv_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["regions", "--country", "KZ"]) == 0
    out = capsys.readouterr().out
    assert "KZ-39" in out and "Костанайская область" in out and "RU-ORE" not in out
    assert main(["regions", "--border", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "code,country,kind,name_en,name_ru,border,includes"
    assert len(lines) == 1 + 12 + 8
    assert main(["regions", "--country", "RU", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 83


def test_resolve_prints_codes_and_fails_on_bad_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resolve", "Qostanay oblysy", "ВКО", "Оренбургская обл."]) == 0
    out = capsys.readouterr().out
    assert [line.split("\t")[1] for line in out.strip().splitlines()] == ["KZ-39", "KZ-63", "RU-ORE"]
    assert main(["resolve", "Almaty", "Kostanay"]) == 2
    captured = capsys.readouterr()
    assert "KZ-39" in captured.out
    assert captured.err.count("\n") == 1 and "ambiguous" in captured.err and "KZ-75" in captured.err


def test_border_prints_pairs_and_total(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["border", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("ru_code,kz_code")
    assert len(out) == 1 + 19
    assert main(["border"]) == 0
    table = capsys.readouterr().out
    # 7,680.8 km on the embedded boundaries (data/boundaries/PROVENANCE.md, "Figures").
    assert "7,680.8 km" in table


def test_bad_boundary_file_is_one_line_exit_2_without_traceback(tmp_path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text("garbage")
    proc = subprocess.run(
        [sys.executable, "-m", "geo.cli", "regions", "--boundaries", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("geo: error: ") and proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr and str(bad) in proc.stderr


def test_help_has_examples() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "geo.cli", "--help"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0 and "examples:" in proc.stdout


def test_file_system_errors_are_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import geo.cli.regions

    def refuse(args):
        raise PermissionError(13, "Permission denied", "/data/locked.csv")

    monkeypatch.setattr(geo.cli.regions, "run_regions", refuse)
    assert main(["regions"]) == 2
    assert capsys.readouterr().err == "geo: error: /data/locked.csv: Permission denied\n"


def test_vintage_gives_the_units_of_a_year(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    assert main(["regions", "--country", "KZ", "--vintage", "2017", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.strip().splitlines()[1:]
    assert len(rows) == 16 and any(r.startswith("KZ-61,KZ,") and "South Kazakhstan" in r for r in rows)
    assert main(["regions", "--country", "KZ", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1 + 20
    table = tmp_path / "t.csv"
    table.write_text("region,n\nAbai,1\nEast Kazakhstan,2\n", encoding="utf-8")
    out = tmp_path / "j.geojson"
    assert main(["join", str(table), "--vintage", "2017", "--additive", "n", "-o", str(out)]) == 0
    import geopandas as gpd

    joined = gpd.read_file(out).set_index("code")
    assert joined.loc["KZ-63", "n"] == 3 and "KZ-10" not in joined.index


def test_map_report_and_locate_take_the_vintage_too(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.html"
    assert main(["map", "--vintage", "2017", "--no-projects", "--no-links", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "East Kazakhstan incl. Abai" in html and "incl. Shymkent" in html  # the units of 2017
    assert main(["map", "--no-projects", "--no-links", "-o", str(tmp_path / "today.html")]) == 0
    assert "incl. Abai" not in (tmp_path / "today.html").read_text(encoding="utf-8")


def test_the_installed_command_runs_main_and_freezes_start_up_objects(monkeypatch, capsys) -> None:
    import gc
    from importlib.metadata import entry_points

    from geo.cli import run

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "geo"]
    assert script.value == "geo.cli:run"
    monkeypatch.setattr(sys, "argv", ["geo", "resolve", "Qostanay oblysy"])
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as exit_:
            run()
        assert exit_.value.code == 0 and "KZ-39" in capsys.readouterr().out
        assert gc.get_freeze_count() > 0  # start-up objects are out of the collector's sight
        monkeypatch.setattr(sys, "argv", ["geo", "resolve", "Nowhere at all"])
        with pytest.raises(SystemExit) as exit_:
            run()
        assert exit_.value.code == 2
    finally:
        gc.unfreeze()  # this test process lives on
