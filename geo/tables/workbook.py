"""Excel workbooks as statistics offices publish them (issue 11, item 5).

Title rows above the header, headers over two or three rows (a year over its measures, in merged cells), and a
first sheet of notes.

:func:`read_workbook` reads one sheet cell by cell and finds the header itself: the first row with at least two
filled cells (rows above it with one cell, a title or a unit line, are skipped and noted), or the row after
``skip_rows`` rows. Header rows below it are joined into one name per column when the row above has gaps (merged
cells) and the row below holds labels rather than data (no number other than a year, no region name):
``2021`` over ``turnover`` becomes ``"2021 turnover"``. A sheet with no table, or (with :func:`sheet_hint`) no
region column, names the workbook's other sheets so that the user can pick one with ``sheet=``/``--sheet``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import numbers
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from geo.errors import GeoInputError, TableError

__all__ = ["read_workbook", "sheet_hint"]

#: The header is looked for in the first rows of a sheet only.
HEADER_SEARCH_ROWS = 50
#: At most this many rows of a header are joined (a year over a measure over a unit).
MAX_HEADER_ROWS = 3


@contextlib.contextmanager
def _as_table_error(label: str) -> Iterator[None]:
    """A file that is not a workbook (a CSV renamed .xlsx…) is a TableError, not a zip error."""
    try:
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        InvalidFileException = zipfile.BadZipFile
    try:
        yield
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        msg = (
            f"{label}: not an Excel workbook ({first}); if it is a CSV or text table, give it the .csv "
            "extension, otherwise save it again from Excel as .xlsx"
        )
        raise TableError(msg) from exc


def sheet_names(path: Path, label: str) -> list[str]:
    """The names of a workbook's sheets, in order."""
    import openpyxl

    with _as_table_error(label):
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            return [str(n) for n in book.sheetnames]
        finally:
            book.close()


def _read_sheet(path: Path, label: str, sheet: str | int | None) -> tuple[pd.DataFrame, str, list[str]]:
    """The cells of one sheet (no header), the sheet's name and every sheet's name."""
    want: str | int = 0 if sheet is None else sheet
    try:
        with _as_table_error(label):
            raw = pd.read_excel(path, sheet_name=want, header=None, dtype=object, engine="openpyxl")
    except TableError:
        raise
    except (ValueError, IndexError) as exc:  # no such sheet
        names = sheet_names(path, label)
        if isinstance(want, str) and want.isdigit() and int(want) < len(names):
            return _read_sheet(path, label, int(want))  # --sheet 1: the second sheet, unless one is named "1"
        msg = f"{label}: no sheet {sheet!r}; the sheets are {', '.join(map(repr, names))}"
        raise TableError(msg) from exc
    names = sheet_names(path, label)
    return raw, want if isinstance(want, str) else names[want], names


def _filled(row: pd.Series) -> pd.Series:
    return row.notna() & (row.astype(str).str.strip() != "")


def _label(value: object) -> str:
    """A header cell as text: ``2021.0`` → ``"2021"``, a date → its ISO date."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return str(value).strip()


def _year(value: object) -> bool:
    number: float | None = None
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    return number is not None and float(number).is_integer() and 1900 <= number <= 2100


def names_a_region(cells: Sequence[object]) -> bool:
    """Whether any text cell is a region's name or code (a data row, not a header)."""
    from geo.catalog import catalog

    cat = catalog()
    for v in cells:
        if isinstance(v, str) and v.strip():
            with contextlib.suppress(GeoInputError):
                if cat.candidates(v):
                    return True
    return False


def _labels_only(row: pd.Series) -> bool:
    """A row of header labels: something filled, no number but a year, no region name."""
    from geo.catalog import catalog

    cells = [v for v, f in zip(row, _filled(row), strict=True) if f]
    if not cells:
        return False
    cat = catalog()
    for v in cells:
        if isinstance(v, numbers.Number | dt.date) and not _year(v):
            return False
        if isinstance(v, str):
            with contextlib.suppress(GeoInputError):
                if cat.candidates(v):
                    return False
    return True


def read_workbook(
    path: Path, label: str, *, sheet: str | int | None, skip_rows: int | None, notes: list[str]
) -> tuple[pd.DataFrame, int]:
    """One sheet of an ``.xlsx`` workbook as a raw table with a flat header.

    Parameters
    ----------
    path, label
        The workbook and its name for messages.
    sheet
        Sheet name or 0-based index; the first sheet by default.
    skip_rows
        Rows of the sheet above the header (titles); found by default (the first row with two filled cells).
    notes
        Receives a note for skipped title rows and joined header rows.

    Returns
    -------
    (pandas.DataFrame, int)
        The table (cells as read, numbers as numbers) and the sheet row of the header's last row, so that data
        row ``k`` is sheet row ``k + offset``.

    Raises
    ------
    TableError
        Not a workbook, no such sheet, a sheet without a table (the message names the other sheets), a header
        naming a column twice.
    """
    from geo.tables.reading import check_duplicates

    raw, name, names = _read_sheet(path, label, sheet)
    where = f"{label}, sheet {name!r}" if len(names) > 1 or sheet is not None else label
    raw = raw.loc[:, raw.notna().any(axis=0)] if len(raw) else raw
    filled = raw.apply(_filled, axis=1) if len(raw) else pd.DataFrame()
    counts = filled.sum(axis=1) if len(raw) else pd.Series(dtype=int)
    if skip_rows is not None:
        if skip_rows < 0 or skip_rows >= len(raw):
            msg = f"{where}: skip_rows={skip_rows} but the sheet has {len(raw)} row(s)"
            raise TableError(msg)
        top = skip_rows
    else:
        found = [i for i, c in enumerate(counts.iloc[:HEADER_SEARCH_ROWS]) if c >= 2]
        if not found:
            others = [n for n in names if n != name]
            hint = (
                f"; the workbook's other sheets are {', '.join(map(repr, others))}: pick one with sheet= "
                f"(CLI: --sheet {others[0]!r})"
                if others
                else "; a table needs a region column and values"
            )
            msg = f"{where}: no table found (no row with two filled cells in the first {HEADER_SEARCH_ROWS} rows){hint}"
            raise TableError(msg)
        top = found[0]
        first = int(counts.to_numpy().nonzero()[0][0])
        if first < top and names_a_region(list(raw.iloc[top])):
            top = first  # "region" alone over "Omsk, 5": a header with unnamed columns, not a title
        titles = int((counts.iloc[:top] > 0).sum())
        if titles:
            notes.append(
                f"{titles} title row(s) above the header skipped (the header is row {top + 1} of sheet {name!r}; "
                "pass skip_rows= to choose another)"
            )
    bottom = top
    while (
        bottom + 1 < len(raw)
        and bottom - top + 1 < MAX_HEADER_ROWS
        and not filled.iloc[bottom, 1:].all()
        and _labels_only(raw.iloc[bottom + 1])
    ):
        bottom += 1
    header = raw.iloc[top : bottom + 1].map(_label)
    if bottom > top:  # merged cells leave the value in their first cell: carry it right in the upper rows
        upper = header.iloc[:-1].replace("", pd.NA)
        upper.iloc[:, 1:] = upper.iloc[:, 1:].ffill(axis=1)
        header.iloc[:-1] = upper.fillna("")
        notes.append(f"header rows {top + 1}–{bottom + 1} of sheet {name!r} joined into one name per column")
    columns = [" ".join(p for p in header.iloc[:, i] if p) for i in range(header.shape[1])]
    columns = [c or f"Unnamed: {i}" for i, c in enumerate(columns)]
    check_duplicates(columns, where)
    data = raw.iloc[bottom + 1 :]
    data = data.loc[data.notna().any(axis=1)].reset_index(drop=True)
    data.columns = columns
    return data.infer_objects(), bottom + 1


def sheet_hint(source: object, sheet: str | int | None) -> str:
    """A hint naming the sheets to pick with ``sheet=`` when a workbook's first sheet has no region column.

    ``"; … pick one with sheet= (CLI: --sheet 'Data')"`` when the first sheet of a workbook was read (no sheet
    chosen); ``""`` otherwise (not a workbook, a sheet chosen, one sheet).
    """
    if sheet is not None or not isinstance(source, str | Path):
        return ""
    path = Path(source)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return ""
    from geo.tables.resolution import find_region_column

    try:
        names = sheet_names(path, str(path))
    except TableError:
        return ""
    fitting = []
    for name in names[1:]:
        with contextlib.suppress(TableError, ValueError, KeyError):
            df, _ = read_workbook(path, str(path), sheet=name, skip_rows=None, notes=[])
            find_region_column(df.head(200), None, str(path), None)
            fitting.append(name)
    if len(names) < 2:
        return ""
    if fitting:
        return (
            f"; this is the first sheet ({names[0]!r}) of a workbook whose sheet(s) {', '.join(map(repr, fitting))} "
            f"hold a region column: pick one with sheet= (CLI: --sheet {fitting[0]!r})"
        )
    return (
        f"; this is the first sheet ({names[0]!r}) of a workbook with the sheets {', '.join(map(repr, names))}: "
        "pick one with sheet= (CLI: --sheet NAME)"
    )
