"""Reading a table's bytes (geo.tables.reading, decoding, files, cells; issue 9): no silent mis-read, no traceback,
bounded reads."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import TableError
from geo.tables import read_table
from geo.tables.cells import MAX_CELL_CHARS, shorten
from geo.tables.files import MAX_TABLE_BYTES, max_table_bytes

ROOT = Path(__file__).resolve().parents[1]
TEXT = "region,v\nКостанай,1\nОмск,2\nАктобе,3\n"


def write(tmp_path: Path, data: str | bytes, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# -- 1. encodings -------------------------------------------------------------------------------------
def test_a_stray_byte_in_a_utf8_file_is_an_error_naming_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, TEXT.encode() + b"Aktobe\xff,4\n")
    with pytest.raises(
        TableError, match=r"t\.csv: the file is UTF-8 but 1 byte\(s\) are not valid UTF-8, on line 5"
    ):
        read_table(path)


def test_a_real_cp1251_file_is_still_read_and_noted(tmp_path: Path) -> None:
    df, report = read_table(write(tmp_path, TEXT.encode("cp1251")))
    assert df["region"].tolist() == ["Костанай", "Омск", "Актобе"] and report.ok
    assert "read as cp1251" in report.notes


@pytest.mark.parametrize(
    "raw",
    [
        b"region,v,note\nOmsk,1,Caf\xe9\nAktobe,2,x\n",  # one Latin-1 byte in an ASCII file: not Cyrillic text
        "region,v,note\nOmsk,1,Café crème\n".encode("latin-1"),
    ],
)
def test_neither_utf8_nor_cp1251_is_an_error_naming_the_bytes(tmp_path: Path, raw: bytes) -> None:
    with pytest.raises(TableError, match=r"neither UTF-8 nor Windows-1251 .*line 2: b'\\xe9"):
        read_table(write(tmp_path, raw))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    position=st.integers(0, len(TEXT.encode()) - 1),
    byte=st.integers(0x80, 0xFF),
)
def test_a_stray_byte_never_switches_the_whole_file_to_cp1251(
    tmp_path: Path, position: int, byte: int
) -> None:
    raw = TEXT.encode()
    raw = raw[:position] + bytes([byte]) + raw[position:]
    path = write(tmp_path, raw)
    try:
        df, report = read_table(path, unique=False)
    except TableError as exc:
        assert "line" in str(exc) or "header" in str(exc) or "region" in str(exc)
        return
    # It decoded as UTF-8 (the byte completed a valid sequence): never as cp1251 mojibake.
    assert "read as cp1251" not in report.notes
    assert not df.astype(str).apply(lambda c: c.str.contains("Рљ|Рћ|Рѕ")).any().any()


# -- 3. headers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("region,value,value\nOmsk,1,2\n", r"'value' in columns 2, 3"),
        ("region,region\nOmsk,Omsk\n", r"'region' in columns 1, 2"),
        ("region, v ,v\nOmsk,1,2\n", r"'v' in columns 2, 3"),
    ],
)
def test_duplicate_headers_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TableError, match=r"t\.csv: the header names a column more than once \(" + message):
        read_table(write(tmp_path, text))


def test_duplicate_columns_of_a_dataframe_are_refused() -> None:
    df = pd.DataFrame([["Omsk", 1, 2]], columns=["region", "v", "v"])
    with pytest.raises(TableError, match=r"<DataFrame>: the header names a column more than once"):
        read_table(df)


@pytest.mark.parametrize(
    "text",
    ["KZ-39,10\nRU-ORE,20\nKZ-15,30\n", "Omsk;1\nAktobe;2\nKostanay;3\n", "10,Omsk\n20,Aktobe\n"],
)
def test_a_headerless_file_is_refused_not_read_as_two_rows(tmp_path: Path, text: str) -> None:
    with pytest.raises(TableError, match=r"the first row looks like data, not a header: column \d is named"):
        read_table(write(tmp_path, text))


def test_year_headers_are_headers(tmp_path: Path) -> None:
    df, report = read_table(write(tmp_path, "region,2021,2022\nOmsk,1,2\nAktobe,3,4\n"))
    assert report.ok and list(df.columns) == ["code", "unit_id", "region", "2021", "2022"]


# -- 4. records, sizes, files -------------------------------------------------------------------------
def test_quoted_newlines_and_u2028_in_the_first_lines_are_read(tmp_path: Path) -> None:
    rows = ['Omsk,"a\nb",1', 'Aktobe,"x\u2028y",2', 'Kostanay,"two\r\nlines",3']
    df, report = read_table(write(tmp_path, "region,note,v\n" + "\n".join(rows) + "\n"))
    assert report.ok, str(report)
    assert df["note"].tolist() == ["a\nb", "x\u2028y", "two\r\nlines"] and df["v"].tolist() == [1, 2, 3]


def test_a_first_data_row_wider_than_the_header_is_still_refused_after_a_quoted_newline(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, 'region,note\nOmsk,"a\nb"\nAktobe,1,5\n')
    with pytest.raises(TableError, match=r"line 4 has 3 fields but the header has 2"):
        read_table(path)


def test_a_wide_table_reads(tmp_path: Path) -> None:
    n = 3000  # the cost is linear in columns: bench/bench_tables.py measures 2,500 to 20,000 columns
    header = ",".join(["region", *(f"c{i}" for i in range(n))])
    body = "\n".join(",".join([r, *map(str, range(n))]) for r in ["Omsk", "Aktobe"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no pandas PerformanceWarning reaches the user ("geo: warning: …")
        df, report = read_table(write(tmp_path, f"{header}\n{body}\n"))
    assert report.ok and df.shape == (2, n + 3) and df[f"c{n - 1}"].tolist() == [n - 1, n - 1]


def test_a_huge_cell_is_refused_naming_row_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "region,v\nOmsk,1\n" + "x" * (MAX_CELL_CHARS + 1) + ",2\n")
    with pytest.raises(TableError, match=r"row 2 \(line 3\), column 'region': a cell of 32,768 characters"):
        read_table(path)


def test_report_values_are_shortened() -> None:
    _, report = read_table(pd.DataFrame({"region": ["Omsk", "y" * 5000], "v": [1, 2]}))
    text = str(report)
    assert "… (5,000 characters)" in text and len(text) < 1000
    assert shorten("abc") == "abc" and shorten("a" * 100, 10) == "aaaaaaaaaa… (100 characters)"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_devices_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TableError, match=r"/dev/zero: is a device, not a regular file"):
        read_table("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "t.csv"
    os.mkfifo(fifo)
    with pytest.raises(TableError, match=r"is a FIFO \(named pipe\), not a regular file"):
        read_table(fifo)


def test_the_size_ceiling_is_documented_and_overridable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, TEXT)
    assert max_table_bytes() == MAX_TABLE_BYTES == 512 * 1024 * 1024
    monkeypatch.setenv("GEO_MAX_TABLE_BYTES", "20")
    with pytest.raises(
        TableError, match=r"the file is \d+ bytes, above the ceiling of 20 bytes .*GEO_MAX_TABLE_BYTES"
    ):
        read_table(path)
    monkeypatch.setenv("GEO_MAX_TABLE_BYTES", "lots")
    with pytest.raises(TableError, match="GEO_MAX_TABLE_BYTES must be a positive number"):
        read_table(path)
    monkeypatch.setenv("GEO_MAX_TABLE_BYTES", "1_000_000")
    assert read_table(path)[1].ok


def test_parquet_list_and_struct_columns_are_named(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "t.parquet"
    table = pa.table(
        {"region": ["Omsk", "Aktobe"], "tags": [[1, 2], [3]], "rec": [{"a": 1}, {"a": 2}], "v": [1, 2]}
    )
    pq.write_table(table, path)
    with pytest.raises(
        TableError, match=r"t\.parquet: column\(s\) 'tags' \(list<.*\), 'rec' \(struct<a: int64>\)"
    ):
        read_table(path)
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(TableError, match=r"bad\.parquet: not a readable Parquet file"):
        read_table(tmp_path / "bad.parquet")


def test_title_lines_above_a_csv_header_are_skipped_and_noted(tmp_path: Path) -> None:
    path = write(
        tmp_path, "Turnover by region 2021,,\n,,\nregion,v,w\nOmsk,1,2\nAktobe,abc,3\nKostanay,4,5\n"
    )
    df, report = read_table(path)
    assert [c for c in df.columns if c != "unit_id"] == ["code", "region", "v", "w"] and df["w"].tolist() == [
        2,
        3,
        5,
    ]
    assert any("2 title line(s) above the header skipped" in n for n in report.notes)
    [issue] = report.non_numeric
    assert "row 2 (line 5)" in issue.describe()  # lines count the skipped title


def test_a_header_with_unnamed_columns_is_not_a_title(tmp_path: Path) -> None:
    df, report = read_table(write(tmp_path, "region;\nOmsk;5\nAktobe;6\n"))
    assert [c for c in df.columns if c != "unit_id"] == ["code", "region", "Unnamed: 1"] and df[
        "Unnamed: 1"
    ].tolist() == [5, 6]
    assert report.ok and not any("title" in n for n in report.notes)


def test_skip_rows_for_a_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "region,v\nNote: thousands\nregion,v\nOmsk,1\nAktobe,abc\nKostanay,4\n")
    df, report = read_table(path, skip_rows=2)
    assert df["v"].tolist()[0] == 1 and "row 2 (line 5)" in report.non_numeric[0].describe()
    utf16 = write(tmp_path, "Title\nregion\tv\nOmsk\t1\n".encode("utf-16"), name="u.csv")
    assert read_table(utf16, skip_rows=1)[0]["v"].tolist() == [1]
    with pytest.raises(TableError, match="skip_rows must be a whole number"):
        read_table(path, skip_rows=-1)
    with pytest.raises(TableError, match="skip_rows=9 but the file has no header below line 9"):
        read_table(path, skip_rows=9)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/dev/zero", "is a device"),
        ("nested.parquet", "hold lists or records"),
        ("dup.csv", "more than once"),
    ],
)
def test_cli_refuses_in_one_line_with_exit_2(tmp_path: Path, path: str, message: str) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"region": ["Omsk"], "tags": [[1]]}), tmp_path / "nested.parquet")
    write(tmp_path, "region,v,v\nOmsk,1,2\n", name="dup.csv")
    target = path if path.startswith("/") else str(tmp_path / path)
    done = subprocess.run(
        [sys.executable, "-m", "geo.cli", "check", target],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
