"""Numbers written by people (geo.tables.numbers; issue 9): grouping by three only, the same rules for every
delimiter, and every locale style read back (or reported ambiguous), never a silent wrong value."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.tables import read_table
from geo.tables.numbers import parse_numbers

CODES = ["KZ-39", "KZ-15", "KZ-27", "KZ-23", "KZ-11", "KZ-55", "RU-ORE", "RU-OMS", "RU-AST", "RU-SAM"]


@pytest.mark.parametrize(
    "cell", ["1 2 3", "12 34", "1,234 567", "1 234 56", "1  234", "1 234.567 8", "1'23", "096 648"]
)
def test_loose_grouping_is_not_a_number(cell: str) -> None:
    values, bad, ambiguous = parse_numbers(pd.Series([cell, "5"]))
    assert pd.isna(values.iloc[0]) and bad.iloc[0] and not ambiguous.iloc[0]
    assert values.iloc[1] == 5


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1 234", 1234.0),
        ("12 345 678", 12345678.0),
        ("1\u00a0234,5", 1234.5),
        ("1\u202f234\u202f567,25", 1234567.25),
        ("1'234.5", 1234.5),
        ("−1 234", -1234.0),
        ("- 5", -5.0),
    ],
)
def test_grouping_by_three_is_a_number(cell: str, value: float) -> None:
    values, bad, _ = parse_numbers(pd.Series([cell]))
    assert values.iloc[0] == value and not bad.iloc[0]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|", ":", " "])
def test_a_lone_dot_group_is_ambiguous_with_every_delimiter(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"region{delimiter}v\nOmsk{delimiter}1.500\nAktobe{delimiter}2\n", encoding="utf-8")
    df, report = read_table(path, delimiter=delimiter)
    [issue] = report.non_numeric
    assert (issue.kind, issue.value, issue.rows) == ("ambiguous_number", "1.500", [1])
    assert pd.isna(df["v"].iloc[0]) and df["v"].iloc[1] == 2
    assert read_table(path, delimiter=delimiter, decimal=".")[0]["v"].tolist() == [1.5, 2.0]


# -- property: each locale style parses back ----------------------------------------------------------
STYLES = {
    # name: (thousands separator, decimal separator)
    "ru": ("\u00a0", ","),
    "ru_space": (" ", ","),
    "fr": ("\u202f", ","),
    "en": (",", "."),
    "de": (".", ","),
    "ch": ("'", "."),
    "plain": ("", "."),
    "plain_comma": ("", ","),
}


def fmt(integer: int, decimals: str, style: str, *, negative: bool = False) -> str:
    thousands, decimal = STYLES[style]
    digits = f"{integer:,}".replace(",", thousands) if thousands else str(integer)
    return ("-" if negative else "") + digits + (f"{decimal}{decimals}" if decimals else "")


def value(integer: int, decimals: str, *, negative: bool = False) -> float:
    v = float(f"{integer}.{decimals}" if decimals else integer)
    return -v if negative else v


numbers = st.lists(
    st.tuples(st.integers(0, 10**9), st.text("0123456789", max_size=3), st.booleans()),
    min_size=1,
    max_size=10,
)


@settings(max_examples=150, deadline=None)
@given(style=st.sampled_from(sorted(STYLES)), cells=numbers)
def test_each_locale_style_parses_back_or_is_reported_ambiguous(style: str, cells: list) -> None:
    texts = [fmt(i, d, style, negative=n) for i, d, n in cells]
    expected = [value(i, d, negative=n) for i, d, n in cells]
    # With the decimal separator given, every cell reads back exactly.
    values, bad, ambiguous = parse_numbers(pd.Series(texts), decimal=STYLES[style][1])
    assert not bad.any() and not ambiguous.any(), texts
    assert values.tolist() == pytest.approx(expected), texts
    # Inferred: a cell is read right or reported ambiguous, never read as another number or refused.
    values, bad, ambiguous = parse_numbers(pd.Series(texts))
    assert not bad.any(), texts
    for text, got, amb, want in zip(texts, values.tolist(), ambiguous.tolist(), expected, strict=True):
        assert amb or got == pytest.approx(want), (text, got, want)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    style=st.sampled_from(sorted(STYLES)),
    delimiter=st.sampled_from([",", ";", "\t", "|", ":"]),
    cells=numbers,
)
def test_locale_styles_read_back_from_a_file_whatever_the_delimiter(
    tmp_path: Path, style: str, delimiter: str, cells: list
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["region", "v"])
    rows = cells[: len(CODES)]
    for code, (i, d, n) in zip(CODES, rows, strict=False):
        writer.writerow([code, fmt(i, d, style, negative=n)])
    path = tmp_path / "t.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    df, report = read_table(path, delimiter=delimiter, decimal=STYLES[style][1])
    assert report.ok, str(report)
    assert df["v"].tolist() == pytest.approx([value(i, d, negative=n) for i, d, n in rows])
    df, report = read_table(path, delimiter=delimiter)  # inferred: right or reported, never wrong
    assert not [i for i in report.non_numeric if i.kind != "ambiguous_number"], str(report)
    for got, (i, d, n) in zip(df["v"].tolist(), rows, strict=True):
        assert pd.isna(got) or got == pytest.approx(value(i, d, negative=n))


def test_typed_decimals_are_numbers_not_text_to_judge(tmp_path: Path) -> None:
    from decimal import Decimal

    values, bad, ambiguous = parse_numbers(
        pd.Series([Decimal("1.500"), Decimal("2.250"), None], dtype=object)
    )
    assert values.tolist()[:2] == [1.5, 2.25] and not bad.any() and not ambiguous.any()
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    column = pa.array([Decimal("1.500"), Decimal("2.250")], pa.decimal128(10, 3))
    pq.write_table(pa.table({"region": ["Omsk", "Aktobe"], "v": column}), tmp_path / "t.parquet")
    df, report = read_table(tmp_path / "t.parquet")
    assert report.ok, str(report)
    assert df["v"].tolist() == [1.5, 2.25]
