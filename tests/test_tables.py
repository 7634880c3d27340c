"""Reading a user's table: every spelling resolved, every problem reported with file, row, value and suggestion."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.errors import TableError
from geo.tables import parse_numbers, read_table


def write(tmp_path, text: str, name: str = "t.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_messy_names_resolve(tmp_path):
    path = write(
        tmp_path,
        "region,turnover\n"
        "Qostanay oblysy,1\nОренбургская обл.,2\nВКО,3\nAbai,4\n"
        "ЮКО,6\nShymkent,7\nжетісу облысы,8\n",
    )
    df, report = read_table(path)
    assert report.ok, str(report)
    assert df["code"].tolist() == ["KZ-39", "RU-ORE", "KZ-63", "KZ-10", "KZ-61", "KZ-79", "KZ-33"]
    assert list(df.columns)[:3] == ["code", "unit_id", "region"]
    assert report.matched == 7 and report.region_column == "region"


def test_unknown_name_names_file_row_value_and_suggestion(tmp_path):
    path = write(tmp_path, "oblast,value\nKostanay,1\nKostanaj,2\n")
    df, report = read_table(path)
    assert not report.ok
    [issue] = report.unknown
    assert issue.rows == [2] and issue.value == "Kostanaj"
    line = issue.describe(str(path))
    assert str(path) in line and "row 2 (line 3)" in line and "'Kostanaj'" in line
    assert "Kostanay Region (KZ-39)" in line
    assert pd.isna(df["code"].iloc[1])  # kept, not dropped
    assert len(df) == 2


def test_bare_almaty_is_ambiguous_and_lists_both(tmp_path):
    df, report = read_table(write(tmp_path, "region,v\nAlmaty,1\nAktobe,2\n"))
    [issue] = report.ambiguous
    assert "Almaty Region (KZ-19)" in issue.suggestion and "Almaty (KZ-75)" in issue.suggestion
    assert pd.isna(df["code"].iloc[0])


def test_context_settles_almaty_and_is_reported(tmp_path):
    path = write(tmp_path, "region,v\nAlmaty oblast,1\nAlmaty,2\n")
    df, report = read_table(path)
    assert report.ok
    assert df["code"].tolist() == ["KZ-19", "KZ-75"]
    [decision] = report.decisions
    assert decision.value == "Almaty" and "Almaty (KZ-75)" in decision.suggestion
    assert "'Almaty oblast'" in decision.suggestion
    assert "decided by the table's context" in str(report)
    _, strict_off = read_table(path, context=False)
    assert len(strict_off.ambiguous) == 1


def test_duplicates_and_year_keys(tmp_path):
    path = write(tmp_path, "region,year,v\nKostanay,2020,1\nКостанайская область,2020,2\nKostanay,2021,3\n")
    _, report = read_table(path, period=False)  # no period: the year is not a key
    [dup] = report.duplicates
    assert dup.rows == [1, 2, 3] and "keys=['year']" in dup.suggestion
    for options in ({"keys": ["year"], "period": False}, {}):  # a key when named, or as the detected period
        _, report = read_table(path, **options)
        [dup] = report.duplicates
        assert dup.rows == [1, 2] and "year=2020" in dup.value and "'Костанайская область'" in dup.value


def test_empty_and_header_only_files(tmp_path):
    with pytest.raises(TableError, match=r"t\.csv: the file is empty"):
        read_table(write(tmp_path, ""))
    with pytest.raises(TableError, match="header but no data rows"):
        read_table(write(tmp_path, "region,value\n"))


def test_delimiters_are_sniffed(tmp_path):
    for sep in [";", "\t", "|"]:
        df, report = read_table(write(tmp_path, f"region{sep}value\nOmsk{sep}1\nAktobe{sep}2\n"))
        assert report.ok and df["code"].tolist() == ["RU-OMS", "KZ-15"]


def test_single_column_file_says_delimiter(tmp_path):
    with pytest.raises(TableError, match="delimiter"):
        read_table(write(tmp_path, "region value\nOmsk 1\n"))


def test_cp1251_file(tmp_path):
    path = write(tmp_path, "Регион;Оборот\nОмская область;1 234,5\n", encoding="cp1251")
    df, report = read_table(path)
    assert report.ok and df["code"].tolist() == ["RU-OMS"] and df["Оборот"].tolist() == [1234.5]
    assert "read as cp1251" in str(report)


def test_wrong_encoding_is_a_clear_error(tmp_path):
    with pytest.raises(TableError, match="cannot decode"):
        read_table(write(tmp_path, "region,v\nОмск,1\n", encoding="cp1251"), encoding="utf-8")


def test_numbers_written_by_people(tmp_path):
    text = 'region;a;b\nOmsk;1 234,5;"1,234.5"\nAktobe;1\u00a0000;2 000\nKostanay;-;12\nAtyrau;0,5;n/a\n'
    df, report = read_table(write(tmp_path, text))
    assert report.ok, str(report)
    assert df["a"].tolist()[:2] == [1234.5, 1000.0] and pd.isna(df["a"].iloc[2]) and df["a"].iloc[3] == 0.5
    assert df["b"].tolist()[:3] == [1234.5, 2000.0, 12.0]
    assert report.missing_values == {"a": 1, "b": 1}  # empty cells counted, not turned into zero


def test_non_numeric_cells_are_reported_not_coerced(tmp_path):
    df, report = read_table(write(tmp_path, "region,value,note\nOmsk,12,a\nAktobe,abc,b\nKostanay,3,c\n"))
    [issue] = report.non_numeric
    assert (issue.rows, issue.column, issue.value) == ([2], "value", "abc")
    assert "note" in report.text_columns  # extra columns kept as text
    assert df["note"].tolist() == ["a", "b", "c"]
    with pytest.raises(TableError, match=r"'abc' is not a number") as err:
        read_table(tmp_path / "t.csv", strict=True)
    assert err.value.report.non_numeric


def test_ambiguous_thousands_or_decimal(tmp_path):
    path = write(tmp_path, 'region,value\nOmsk,"1,234"\nAktobe,"5,678"\n')
    _, report = read_table(path)
    assert [i.kind for i in report.non_numeric] == ["ambiguous_number", "ambiguous_number"]
    df, report = read_table(path, decimal=",")
    assert report.ok and df["value"].tolist() == [1.234, 5.678]
    df, _ = read_table(path, decimal=".")
    assert df["value"].tolist() == [1234.0, 5678.0]


def test_column_evidence_settles_separator():
    values, bad, amb = parse_numbers(pd.Series(["1,234", "12,5", "1 000"]))
    assert values.tolist() == [1.234, 12.5, 1000.0] and not bad.any() and not amb.any()
    values, _, _ = parse_numbers(pd.Series(["1,234", "3.5"]))
    assert values.tolist() == [1234.0, 3.5]
    values, _, _ = parse_numbers(pd.Series(["1.234.567,8", "−5", None]))
    assert values.tolist()[:2] == [1234567.8, -5.0] and pd.isna(values.iloc[2])


def test_region_column_that_does_not_exist(tmp_path):
    with pytest.raises(TableError, match=r"no column 'regoin'.*did you mean 'region'"):
        read_table(write(tmp_path, "region,v\nOmsk,1\n"), "regoin")


def test_region_column_found_by_content(tmp_path):
    df, report = read_table(write(tmp_path, "where,v\nOmsk,1\nKZ-39,2\n"))
    assert report.region_column == "where" and df["code"].tolist() == ["RU-OMS", "KZ-39"]


def test_no_region_column_at_all(tmp_path):
    with pytest.raises(TableError, match="region="):
        read_table(write(tmp_path, "a,b\nfoo,1\nbar,2\n"))


def test_missing_region_values_are_reported(tmp_path):
    df, report = read_table(write(tmp_path, "region,v\nOmsk,1\n,2\n   ,3\n"))
    [issue] = report.missing_region
    assert issue.rows == [2, 3] and len(df) == 3


def test_trailing_delimiters_do_not_make_columns(tmp_path):
    _, report = read_table(write(tmp_path, "region;v;\nOmsk;1;\nAktobe;2;\n"))
    assert report.ok and report.numeric_columns == ["v"]


def test_missing_file(tmp_path):
    with pytest.raises(TableError, match="no such file"):
        read_table(tmp_path / "nope.csv")


def test_excel_and_parquet(tmp_path):
    frame = pd.DataFrame({"Область": ["Костанайская обл.", "Orenburg"], "value": ["1 234,5", 7]})
    frame.to_excel(tmp_path / "t.xlsx", index=False)
    df, report = read_table(tmp_path / "t.xlsx")
    assert report.ok and df["code"].tolist() == ["KZ-39", "RU-ORE"] and df["value"].tolist() == [1234.5, 7.0]
    _, report = read_table(write(tmp_path, "region,v\nOmsk,1\nOmsk,2\n"))
    [dup] = report.duplicates
    assert "rows 1, 2 (lines 2, 3)" in dup.describe() and "rows 1, 2 (lines 2, 3)" in str(report)
    pd.DataFrame({"region": ["Omsk", "Omsk"], "v": [1.0, 2.0]}).to_parquet(tmp_path / "t.parquet")
    df, report = read_table(tmp_path / "t.parquet")
    assert df["code"].tolist() == ["RU-OMS", "RU-OMS"]
    [dup] = report.duplicates  # a Parquet file has no text lines: rows only
    assert report.line_offset is None and dup.line_offset is None
    assert "rows 1, 2" in dup.describe() and "(line" not in dup.describe() and "(line" not in str(report)


def test_dataframe_input_keeps_the_callers_frame():
    frame = pd.DataFrame({"region": ["Omsk", "Atyrau"], "v": [1, 2]})
    df, report = read_table(frame)
    assert report.ok and "code" not in frame.columns and df["v"].dtype.kind == "i"


def test_report_renders(tmp_path):
    _, report = read_table(write(tmp_path, "region,v\nKostanaj,1\nAlmaty,abc\nOmsk,2\n"))
    text = str(report)
    assert "1 unknown" in report.summary() and "1 ambiguous" in report.summary()
    assert "unknown regions:" in text and "ambiguous regions:" in text and "not numbers" in text
    assert not report.ok


def test_a_code_column_is_kept_and_reading_twice_works():
    frame = pd.DataFrame({"code": ["kz39", "RU-ORE"], "v": [1.0, 2.0]})
    df, report = read_table(frame)
    assert report.ok and report.region_column == "code_original"
    assert df["code"].tolist() == ["KZ-39", "RU-ORE"] and df["code_original"].tolist() == ["kz39", "RU-ORE"]
    again, report = read_table(df, "code_original")
    assert report.ok and again["code"].tolist() == ["KZ-39", "RU-ORE"]


def test_extra_fields_are_an_error_not_an_index(tmp_path):
    with pytest.raises(TableError, match=r"line 2 has 3 fields but the header has 2"):
        read_table(write(tmp_path, "region,value\nOmsk,1,5\nAktobe,2\n"))
    with pytest.raises(TableError, match=r"line 3"):
        read_table(write(tmp_path, "region,value\nAktobe,2\nOmsk,1,5\n"))


def test_utf16_and_explicit_numeric_columns(tmp_path):
    path = write(tmp_path, "region\tcode_stat\tv\nОмская область\t0012\t5\n", encoding="utf-16")
    df, report = read_table(path, "region", numeric=["v"])
    assert report.ok and "read as utf-16" in report.notes
    assert report.numeric_columns == ["v"] and report.text_columns == ["code_stat"]
    assert report.counts["matched"] == 1 and report.counts["unknown"] == 0
    assert df["code_stat"].tolist() == ["0012"]  # leading zeros of codes are kept


def test_header_only_workbook(tmp_path):
    pd.DataFrame({"region": [], "v": []}).to_excel(tmp_path / "h.xlsx", index=False)
    with pytest.raises(TableError, match="header but no data rows"):
        read_table(tmp_path / "h.xlsx")


def test_infinity_is_not_a_number(tmp_path):
    # pandas reads "inf"/"-Infinity" as floats: they must be reported, never joined as infinite values
    path = write(tmp_path, "region,v\nOmsk,inf\nAktobe,2\nKostanay,-Infinity\nAtyrau,\n")
    df, report = read_table(path)
    assert not report.ok and report.numeric_columns == ["v"]
    assert [(i.kind, i.rows) for i in report.non_numeric] == [("non_numeric", [1]), ("non_numeric", [3])]
    assert "row 1 (line 2), column 'v': 'inf' is not a number" in report.non_numeric[0].describe()
    assert pd.isna(df["v"].iloc[0]) and df["v"].iloc[1] == 2.0 and pd.isna(df["v"].iloc[2])
    assert report.missing_values == {"v": 1}  # the truly empty cell stays missing, not a problem
    # text cells (mixed with other text) follow the same rule
    df, report = read_table(write(tmp_path, "region,v\nOmsk,Infinity\nAktobe,1 000\nKostanay,n/a\n"))
    [issue] = report.non_numeric
    assert (issue.kind, issue.value, issue.rows) == ("non_numeric", "Infinity", [1])
    assert pd.isna(df["v"].iloc[0]) and df["v"].iloc[1] == 1000.0 and report.missing_values == {"v": 1}
    values, bad, amb = parse_numbers(pd.Series(["inf", "-inf", "1e999", "nan", "-", "3"]))
    assert bad.tolist() == [True, True, True, False, False, False] and not amb.any()
    assert values.isna().tolist() == [True, True, True, True, True, False]
    _, report = read_table(pd.DataFrame({"region": ["Omsk", "Aktobe"], "v": [float("inf"), 1.0]}))
    assert [(i.value, i.rows) for i in report.non_numeric] == [("inf", [1])]


def test_a_renamed_csv_is_not_an_excel_workbook(tmp_path, monkeypatch):
    path = write(tmp_path, "region,v\nOmsk,1\n", name="t.xlsx")
    with pytest.raises(TableError, match=r"t\.xlsx: not an Excel workbook \(.*\.csv extension"):
        read_table(path)
    from openpyxl.utils.exceptions import InvalidFileException

    def refuse(*args, **kwargs):
        raise InvalidFileException("unsupported format")

    monkeypatch.setattr(pd, "read_excel", refuse)
    with pytest.raises(TableError, match=r"t\.xlsx: not an Excel workbook \(unsupported format\)"):
        read_table(path)


def test_delimiter_spellings(tmp_path):
    path = write(tmp_path, "region\tv\nOmsk\t1\nAktobe\t2\n")
    for spelling in ["\\t", "tab", "TAB", "\t"]:
        df, report = read_table(path, delimiter=spelling)
        assert report.ok and df["v"].tolist() == [1, 2], spelling
    with pytest.raises(TableError, match=r"t\.csv: delimiter 'ab' is not one character"):
        read_table(path, delimiter="ab")


def test_a_lone_dot_group_is_as_ambiguous_as_a_lone_comma(tmp_path):
    path = write(tmp_path, "region,v\nOmsk,1.500\nAktobe,2\n")
    df, report = read_table(path)
    [issue] = report.non_numeric
    assert (issue.kind, issue.value, issue.rows) == ("ambiguous_number", "1.500", [1])
    assert pd.isna(df["v"].iloc[0])
    assert read_table(path, decimal=".")[0]["v"].tolist() == [1.5, 2.0]
    assert read_table(path, decimal=",")[0]["v"].tolist() == [1500.0, 2.0]
    values, bad, amb = parse_numbers(pd.Series(["1.500", "2.25"]))  # the column shows a decimal point
    assert values.tolist() == [1.5, 2.25] and not bad.any() and not amb.any()
    values, _, amb = parse_numbers(pd.Series(["0.125", "0,250"]))  # a leading 0 is never a thousands group
    assert values.tolist() == [0.125, 0.25] and not amb.any()
    values, _, amb = parse_numbers(pd.Series(["0.125", "3"]))
    assert values.tolist() == [0.125, 3.0] and not amb.any()


def test_binary_content_is_not_a_table(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR,\x00\x01;\x02" * 20)
    with pytest.raises(TableError, match=r"t\.csv: not a text table \(binary content\)"):
        read_table(path)
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00region,v" * 20)  # a workbook saved as .csv
    with pytest.raises(TableError, match=r"not a text table \(binary content\).*\.xlsx extension"):
        read_table(path)
    # UTF-16 text has NUL bytes but is text
    df, report = read_table(write(tmp_path, "region,v\nOmsk,1\n", encoding="utf-16"))
    assert report.ok and df["v"].tolist() == [1]
