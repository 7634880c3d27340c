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


def test_a_broken_shipped_table_is_a_defect_but_the_same_file_of_the_users_is_a_user_error(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from geo._paths import data_dir

    shipped = tmp_path / "data"
    shutil.copytree(data_dir(), shipped)
    (shipped / "attributes" / "links.csv").write_text("from_code,to_code\nRU-ORE,KZ-99\n", encoding="utf-8")
    monkeypatch.setenv("GEO_DATA_DIR", str(shipped))
    with pytest.raises(geo.DataDefectError, match=r"KZ-99.*shipped with rukz-geo"):
        geo.links()
    with pytest.raises(geo.GeoInputError, match="KZ-99") as info:
        geo.links(directory=shipped / "attributes")
    assert not isinstance(info.value, geo.DataDefectError)
