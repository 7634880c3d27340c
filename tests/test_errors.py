"""Errors: user errors are one line and exit code 2; a defect in the shipped data asks for a report (exit 3)."""

from __future__ import annotations

import pytest

import geo
from geo.cli import EXIT_DATA_DEFECT, EXIT_USER_ERROR, main


def test_user_error_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "--lang", "xx", "-o", "/nonexistent-dir/m.html"]) == EXIT_USER_ERROR == 2
    err = capsys.readouterr().err
    assert err.startswith("geo: error: ") and err.count("\n") == 1


def test_shipped_data_defect_is_exit_3_and_asks_for_a_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import geo.cli.regions

    def broken(args):
        raise geo.DataDefectError("data/regions.csv: row 7 has no code")

    monkeypatch.setattr(geo.cli.regions, "run_regions", broken)
    assert main(["regions"]) == EXIT_DATA_DEFECT == 3
    assert capsys.readouterr().err == (
        "geo: error in the shipped data (please report it): data/regions.csv: row 7 has no code\n"
    )


def test_table_error_carries_its_report() -> None:
    error = geo.TableError("bad", report="the report")
    assert str(error) == "bad" and error.report == "the report"
    assert geo.TableError("plain").report is None


def test_output_write_error_is_both_an_output_error_and_an_os_error() -> None:
    assert issubclass(geo.OutputWriteError, geo.OutputError) and issubclass(geo.OutputWriteError, OSError)
