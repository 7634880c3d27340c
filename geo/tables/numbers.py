"""Numbers written by people: thousands and decimal separators, missing markers, infinities."""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd

from geo.errors import GeoInputError

#: Cell values read as missing (besides empty cells); they are counted, not reported as problems.
MISSING = {"", "-", "–", "—", "na", "n/a", "nan", "null", "none", "..", "...", "x", "нет данных", "н/д"}

INFINITE_HINT = "infinity is not a value: write the number, or leave the cell empty if it is unknown"

_SEP_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'’]")
#: A space-like separator between two digits: the cell uses digit grouping by spaces or apostrophes.
_SPACED = re.compile(r"\d[\s\u00a0\u202f\u2009'’]+\d")
#: Grouping by spaces or apostrophes done right: one separator, the same throughout, groups of three digits
#: after a lead of one to three, and nothing grouped after the decimal separator (``1 234 567,5``).
_SPACE_GROUPS = re.compile(r"[+\-−]?\s*[1-9]\d{0,2}([\s\u00a0\u202f\u2009'’])\d{3}(?:\1\d{3})*(?:[.,]\d+)?")
_PAT = {
    "plain": r"[+-]?\d+",
    "t_comma": r"[+-]?(?!0,)\d{1,3}(?:,\d{3})+",  # 1,234 or 1,234,567 (not 0,125: a decimal)
    "t_dot": r"[+-]?(?!0\.)\d{1,3}(?:\.\d{3})+",  # 1.234 or 1.234.567 (not 0.125)
    "dec_comma": r"[+-]?\d*,\d+",
    "dec_dot": r"[+-]?\d*\.\d+",
    "mixed_comma_dec": r"[+-]?\d{1,3}(?:\.\d{3})+,\d+",  # 1.234,5
    "mixed_dot_dec": r"[+-]?\d{1,3}(?:,\d{3})+\.\d+",  # 1,234.5
}


def parse_numbers(values: pd.Series, *, decimal: str | None = None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse numbers written by people: ``"1 234,5"``, ``"1,234.5"``, ``"1 234"``, non-breaking spaces.

    Digits are grouped by three only: ``"1 2 3"``, ``"12 34"`` or ``"1,234 567"`` (two kinds of grouping) are
    not numbers, and the same rules hold whatever the file's delimiter.

    Parameters
    ----------
    values
        Cells of one column (strings, numbers or missing).
    decimal
        ``","`` or ``"."`` to fix the decimal separator; by default it is inferred for the column from the cells
        that show it unambiguously (``"12,5"`` or ``"1.234,5"`` mean a decimal comma). A cell like ``"1,234"``
        in a column that gives no such evidence is *ambiguous* (1234 or 1.234) and is reported, not guessed.

    Returns
    -------
    (pandas.Series, pandas.Series, pandas.Series)
        The values as Float64 (``<NA>`` for missing, unparseable and ambiguous cells), a boolean mask of cells
        that are not numbers, and a boolean mask of ambiguous cells. Missing markers (empty, ``-``, ``—``,
        ``n/a``, …) are missing, not errors.
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        out = values.astype("Float64")
        bad = out.notna() & ~np.isfinite(out.to_numpy(dtype=float, na_value=np.nan))
        out[bad.to_numpy()] = pd.NA  # inf is not a value: reported as not a number
        return (
            out,
            pd.Series(bad.to_numpy(dtype=bool), index=values.index),
            pd.Series(False, index=values.index),
        )
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    u = pd.Series(uniques, dtype=object)
    # Typed numbers (Parquet decimals, a caller's Decimal objects) are values, never text to judge.
    is_num = u.map(
        lambda v: isinstance(v, (int, float, np.integer, np.floating, Decimal)) and not isinstance(v, bool)
    )
    text = u.astype(str).str.strip()
    missing = text.str.lower().isin(MISSING) & ~is_num
    s = text.str.replace(_SEP_SPACES, "", regex=True).str.replace("−", "-", regex=False)
    # "1 2 3", "12 34", "1,234 567" are not numbers: spaces group digits by three, one kind of separator only.
    loose = text.str.contains(_SPACED) & ~text.str.fullmatch(_SPACE_GROUPS)
    s = s.where(~loose, "\x00")  # matches no number pattern: reported as not a number
    shape = {k: s.str.fullmatch(p) for k, p in _PAT.items()}
    if decimal is None:
        comma_ev = (
            (shape["dec_comma"] & ~shape["t_comma"])
            | shape["mixed_comma_dec"]
            | (shape["t_dot"] & s.str.count(r"\.").gt(1))
        ).any()
        dot_ev = (
            (shape["dec_dot"] & ~shape["t_dot"])
            | shape["mixed_dot_dec"]
            | (shape["t_comma"] & s.str.count(",").gt(1))
        ).any()
        decimal = "," if comma_ev and not dot_ev else "." if dot_ev and not comma_ev else None
    elif decimal not in (",", "."):
        msg = f"decimal must be ',' or '.', not {decimal!r}"
        raise GeoInputError(msg)
    one_comma = shape["t_comma"] & s.str.count(",").eq(1)
    one_dot = shape["t_dot"] & s.str.count(r"\.").eq(1)
    conv = s.copy()
    comma_decimal = shape["mixed_comma_dec"] | (shape["dec_comma"] & ~shape["t_comma"])
    comma_decimal |= shape["t_dot"] & ~one_dot  # 1.234.567: dots are thousands
    dot_decimal = shape["mixed_dot_dec"] | (shape["dec_dot"] & ~shape["t_dot"])
    dot_decimal |= shape["t_comma"] & ~one_comma  # 1,234,567
    if decimal == ",":
        comma_decimal |= one_comma | one_dot
    elif decimal == ".":
        dot_decimal |= one_dot | one_comma
    # Without evidence "1,500" and "1.500" are both ambiguous (1500 or 1.5): reported, not guessed.
    conv[comma_decimal] = (
        s[comma_decimal].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    )
    conv[dot_decimal] = s[dot_decimal].str.replace(",", "", regex=False)
    ambiguous = (one_comma | one_dot) & ~comma_decimal & ~dot_decimal & ~is_num
    parsed = pd.to_numeric(conv.where(~ambiguous & ~missing), errors="coerce").astype(float)
    parsed[is_num] = u[is_num].astype(float)
    parsed[~np.isfinite(parsed.to_numpy())] = np.nan  # "inf", "-Infinity", "1e999": not numbers
    bad = parsed.isna() & ~missing & ~ambiguous
    n = len(values)

    def back(arr: pd.Series, fill: object) -> np.ndarray:
        out = np.asarray(arr.to_numpy(), dtype=object)[codes] if len(arr) else np.full(n, fill, dtype=object)
        out[codes < 0] = fill
        return out

    result = pd.Series(pd.array(back(parsed, np.nan).astype(float), dtype="Float64"), index=values.index)
    return (
        result,
        pd.Series(back(bad, False).astype(bool), index=values.index),
        pd.Series(back(ambiguous, False).astype(bool), index=values.index),
    )
