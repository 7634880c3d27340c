"""Workbooks as statistics offices publish them (geo.tables.workbook; issue 11 item 5): title rows, multi-row
headers, a first sheet of notes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from geo.errors import TableError
from geo.tables import read_table

openpyxl = pytest.importorskip("openpyxl")
ROOT = Path(__file__).resolve().parents[1]


def book(
    path: Path, sheets: dict[str, list[list[object]]], merged: dict[str, list[str]] | None = None
) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cells in (merged or {}).get(name, []):
            ws.merge_cells(cells)
    wb.save(path)
    return path


GRP = [
    ["Валовой региональный продукт по регионам, млн тенге"],
    ["Бюро национальной статистики, 2023"],
    [],
    ["Регион", "ВРП"],
    ["Актюбинская область", 4_567.8],
    ["Костанайская область", 3_210.5],
    ["Западно-Казахстанская область", 2_987.0],
]


def test_header_is_found_below_title_rows(tmp_path: Path) -> None:
    df, report = read_table(book(tmp_path / "grp.xlsx", {"ВРП": GRP}))
    assert report.ok, str(report)
    assert [c for c in df.columns if c != "unit_id"] == ["code", "Регион", "ВРП"]
    assert df["code"].tolist() == ["KZ-15", "KZ-39", "KZ-27"] and df["ВРП"].tolist() == [
        4567.8,
        3210.5,
        2987.0,
    ]
    assert any("2 title row(s) above the header skipped (the header is row 4" in n for n in report.notes)


def test_rows_are_numbered_as_in_the_sheet(tmp_path: Path) -> None:
    rows = [*GRP, ["Kostanaj oblast", 1.0]]
    _, report = read_table(book(tmp_path / "grp.xlsx", {"ВРП": rows}))
    [issue] = report.unknown
    assert "row 4 (line 8)" in issue.describe()  # line 8 is the sheet's row 8


def test_skip_rows_chooses_the_header(tmp_path: Path) -> None:
    rows = [["Note", "values in thousands"], ["region", "value"], ["Omsk", 1], ["Aktobe", 2]]
    path = book(tmp_path / "t.xlsx", {"Data": rows})
    _, report = read_table(path)  # the note row has two cells: taken as the header, and the report says so
    assert [i.value for i in report.unknown] == ["region"]
    assert [i.value for i in report.non_numeric] == ["value"]
    df, report = read_table(path, skip_rows=1)
    assert report.ok and df["value"].tolist() == [1, 2]
    with pytest.raises(TableError, match=r"skip_rows=9 but the sheet has 4 row\(s\)"):
        read_table(path, skip_rows=9)


def test_multi_row_headers_are_flattened(tmp_path: Path) -> None:
    rows = [
        ["Turnover with Kazakhstan by region, USD mn"],
        ["Region", 2021, None, 2022, None],
        [None, "turnover", "exports", "turnover", "exports"],
        ["Orenburg Oblast", 10.5, 4.0, 12.0, 5.5],
        ["Omsk Oblast", 8.0, 3.0, 9.5, 4.5],
    ]
    path = book(tmp_path / "t.xlsx", {"Sheet1": rows}, merged={"Sheet1": ["B2:C2", "D2:E2", "A2:A3"]})
    df, report = read_table(path)
    assert report.ok, str(report)
    assert [c for c in df.columns if c != "unit_id"] == [
        "code",
        "Region",
        "2021 turnover",
        "2021 exports",
        "2022 turnover",
        "2022 exports",
    ]
    assert df["code"].tolist() == ["RU-ORE", "RU-OMS"] and df["2022 exports"].tolist() == [5.5, 4.5]
    assert any("header rows 2–3" in n and "joined" in n for n in report.notes)


def test_a_data_row_is_never_taken_for_a_second_header_row(tmp_path: Path) -> None:
    rows = [["region", "note", None], ["Omsk", "text", None], ["Aktobe", "more", None]]
    df, report = read_table(book(tmp_path / "t.xlsx", {"S": rows}))
    assert report.ok and df["region"].tolist() == ["Omsk", "Aktobe"]


def test_a_header_with_unnamed_columns_is_not_a_title(tmp_path: Path) -> None:
    df, report = read_table(book(tmp_path / "t.xlsx", {"S": [["region"], ["Omsk", 5], ["Aktobe", 6]]}))
    assert df["region"].tolist() == ["Omsk", "Aktobe"] and df.drop(columns="unit_id", errors="ignore").iloc[
        :, 2
    ].tolist() == [5, 6]
    assert not any("title" in n for n in report.notes)


def test_duplicate_headers_in_a_workbook_are_refused(tmp_path: Path) -> None:
    rows = [["region", "value", "value"], ["Omsk", 1, 2]]
    with pytest.raises(
        TableError, match=r"t\.xlsx: the header names a column more than once \('value' in columns 2, 3"
    ):
        read_table(book(tmp_path / "t.xlsx", {"S": rows}))


NOTES = [["About this workbook"], ["Source: Bureau of National Statistics"], ["Units: million tenge"]]


def test_a_first_sheet_of_notes_names_the_other_sheets(tmp_path: Path) -> None:
    path = book(tmp_path / "t.xlsx", {"Notes": NOTES, "Data": GRP})
    with pytest.raises(
        TableError, match=r"sheet 'Notes': no table found .*other sheets are 'Data'.*--sheet 'Data'"
    ):
        read_table(path)
    df, report = read_table(path, sheet="Data")
    assert report.ok and len(df) == 3
    assert read_table(path, sheet=1)[1].ok
    with pytest.raises(TableError, match=r"no sheet 'Dta'; the sheets are 'Notes', 'Data'"):
        read_table(path, sheet="Dta")


def test_a_first_sheet_without_a_region_column_suggests_the_sheet_that_has_one(tmp_path: Path) -> None:
    contents = [["Indicator", "Definition"], ["GRP", "gross regional product"], ["Pop", "population"]]
    path = book(tmp_path / "t.xlsx", {"Contents": contents, "Data": GRP, "Other": NOTES})
    with pytest.raises(
        TableError,
        match=r"could not find the column .*sheet\(s\) 'Data' hold a region column: .*--sheet 'Data'",
    ):
        read_table(path)


def test_cli_skip_rows_and_sheet(tmp_path: Path) -> None:
    rows = [["Note", "values in thousands"], ["region", "value"], ["Omsk", 1], ["Aktobe", 2]]
    path = book(tmp_path / "t.xlsx", {"Notes": NOTES, "Data": rows})
    cmd = [sys.executable, "-m", "geo.cli", "check", str(path)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 2 and "--sheet 'Data'" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run(
        [*cmd, "--sheet", "Data", "--skip-rows", "1"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "joins cleanly" in done.stdout
