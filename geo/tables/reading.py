"""Reading a table's bytes: decoding, delimiter sniffing, CSV/Excel/Parquet, header tidying.

The result is a raw :class:`pandas.DataFrame` (cells as read) with a label for messages and the file line of the
first data row; numbers and region keys are judged later (:mod:`geo.tables.numbers`,
:mod:`geo.tables.resolution`).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.errors import GeoInputError, TableError
from geo.tables.cells import MAX_CELL_CHARS, check_cell_sizes
from geo.tables.decoding import decode, is_binary
from geo.tables.files import check_regular, read_bytes, read_parquet
from geo.tables.workbook import names_a_region, read_workbook

if TYPE_CHECKING:
    from geo.catalog import Catalog

_DELIMITERS = [",", ";", "\t", "|"]


#: Spellings of the tab delimiter accepted from users (a shell passes ``\t`` as two characters).
_TAB_NAMES = {"\t", "\\t", "tab", "tsv"}


def _delimiter(value: str | None, label: str) -> str | None:
    r"""The user's delimiter as one character: ``"\t"``, ``"tab"`` and a real tab mean a tab."""
    if not value:
        return None
    if value in _TAB_NAMES or value.strip().lower() in _TAB_NAMES:
        return "\t"
    if len(value) != 1 or value in '\r\n"':
        msg = (
            f"{label}: delimiter {value!r} is not one character; use one of , ; | or a tab "
            "(written \\t or tab), or leave it out to detect it"
        )
        raise TableError(msg)
    return value


def _records(text: str, delimiter: str, n: int = 50) -> list[tuple[int, list[str]]]:
    """The first ``n`` non-blank records of a delimited text with the line each starts on.

    A real CSV reader: a quoted newline, U+2028 or any other character inside a cell stays in its cell
    (``str.splitlines`` would split the record there). A last record cut by the sampling is left out.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                out.append((start, row))
                if len(out) > n:
                    break
            start = reader.line_num + 1
    except csv.Error:
        pass  # a stray quote: pandas names the line later
    return out[:n]


def _sniff(text: str, label: str) -> str:
    """The delimiter that splits the first records into the same number (> 1) of fields as the header."""
    lines = [line for line in text.split("\n")[:50] if line.strip()]
    header = lines[0] if lines else ""
    consistent: dict[str, int] = {}
    for d in _DELIMITERS:
        counts = [len(row) for _, row in _records(text, d)]
        if counts and counts[0] > 1 and all(c == counts[0] for c in counts):
            consistent[d] = counts[0]
    if len(consistent) == 1:
        return next(iter(consistent))
    try:
        sample = "\n".join(lines)
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if consistent:
        return sniffed if sniffed in consistent else max(consistent, key=lambda d: consistent[d])
    if sniffed:
        return sniffed  # rows disagree: pandas names the first bad line
    in_header = {d: header.count(d) for d in _DELIMITERS}
    best = max(in_header, key=lambda d: in_header[d])
    if in_header[best] == 0:
        msg = (
            f"{label}: found a single column in the header {header[:60]!r}; a table needs a region column "
            "and values: is the delimiter one of , ; tab | ? Pass delimiter= (CLI: --delimiter); if the "
            "first lines are a title above the header, pass skip_rows= (CLI: --skip-rows)"
        )
        raise TableError(msg)
    return best


def _check_header(text: str, delimiter: str, label: str) -> None:
    """Refuse what pandas would read silently wrong from the first records.

    A header naming a column twice (pandas renames the second ``value.1``), and a first data row with more
    fields than the header (it would silently become pandas' index). Later rows with too many fields make
    pandas raise an error naming the line.
    """
    rows = _records(text, delimiter, n=51)
    if not rows:
        return
    header = [cell.strip() for cell in rows[0][1]]
    check_duplicates(header, label)
    width = len(header)
    for line_no, row in rows[1:]:
        if len(row) > width:
            shown = delimiter.join(row)[:60]
            hint = (
                "if the first lines are a title above the header, pass skip_rows= (CLI: --skip-rows)"
                if width == 1
                else f"is a number written with a decimal comma in a {delimiter!r}-delimited file? Quote it, "
                "or use another delimiter"
            )
            msg = f"{label}: line {line_no} has {len(row)} fields but the header has {width} ({shown!r}); {hint}"
            raise TableError(msg)


def check_duplicates(header: list[str], label: str | None = None) -> None:
    """A header that names a column more than once is refused, naming the columns by position.

    (pandas would rename the second ``value`` to ``value.1``, or keep one ``region`` and ignore the other.)
    Empty header cells are not names and may repeat.
    """
    seen: dict[str, list[int]] = {}
    for i, name in enumerate(header, start=1):
        if name and not name.startswith("Unnamed:"):
            seen.setdefault(name, []).append(i)
    dup = {name: where for name, where in seen.items() if len(where) > 1}
    if dup:
        parts = "; ".join(f"{name!r} in columns {', '.join(map(str, where))}" for name, where in dup.items())
        msg = (
            f"{label + ': ' if label else ''}the header names a column more than once ({parts}); rename the "
            "columns so that each name is used once"
        )
        raise TableError(msg)


def _line_start(text: str, n: int) -> int:
    """The index in ``text`` where line ``n + 1`` starts (-1 when the text has fewer lines)."""
    at = 0
    for _ in range(n):
        at = text.find("\n", at) + 1
        if at == 0:
            return -1
    return at


def _line_start_bytes(raw: bytes, n: int) -> int:
    at = 0
    for _ in range(n):
        at = raw.find(b"\n", at) + 1
    return at


def _title_lines(text: str, delimiter: str) -> int:
    """Lines above the header: leading records with fewer than two filled cells before one with two or more.

    The rule of :mod:`geo.tables.workbook` for title rows, for a CSV saved from such a sheet.
    """
    records = _records(text, delimiter)
    filled = [sum(bool(cell.strip()) for cell in row) for _, row in records]
    if not filled or filled[0] >= 2:
        return 0
    header = next(((line, row) for (line, row), n in zip(records, filled, strict=True) if n >= 2), None)
    if header is None or names_a_region(header[1]):
        return 0  # "region;" over "Omsk;5": a header with an unnamed column, not a title over a header
    return header[0] - 1


def _lines_above_header(
    text: str, delimiter: str | None, skip_rows: int | None, label: str, notes: list[str]
) -> int:
    """``skip_rows`` when given (checked against the text), else the title lines found (and noted)."""
    if skip_rows is None:
        skipped = 0
        with contextlib.suppress(TableError):
            skipped = _title_lines(text[:100_000], delimiter or _sniff(text[:100_000], label))
        if skipped:
            notes.append(
                f"{skipped} title line(s) above the header skipped (the header is line {skipped + 1}; "
                "pass skip_rows= to choose another)"
            )
        return skipped
    at = _line_start(text, skip_rows)
    if at < 0 or not text[at:].strip():
        msg = f"{label}: skip_rows={skip_rows} but the file has no header below line {skip_rows}"
        raise TableError(msg)
    return skip_rows


def _read_csv(
    path: Path,
    label: str,
    *,
    delimiter: str | None,
    encoding: str | None,
    notes: list[str],
    skip_rows: int | None = None,
) -> tuple[pd.DataFrame, int]:
    """The raw table and the number of lines skipped above its header."""
    raw = read_bytes(path, label)
    if not raw.strip():
        msg = f"{label}: the file is empty"
        raise TableError(msg)
    if is_binary(raw):
        hint = (
            "it looks like a zip archive or Excel workbook: give it the .xlsx extension"
            if raw.startswith(b"PK\x03\x04")
            else "save the table as CSV (UTF-8), .xlsx or Parquet"
        )
        msg = f"{label}: not a text table (binary content); {hint}"
        raise TableError(msg)
    text, used = decode(raw, label, encoding)
    if used != "utf-8":
        notes.append(f"read as {used}")
    given = _delimiter(delimiter, label)
    skipped = _lines_above_header(text, given, skip_rows, label, notes)
    if skipped:
        text = text[_line_start(text, skipped) :]
        if used == "utf-8":
            raw = raw[_line_start_bytes(raw, skipped) :]
    delimiter = given or _sniff(text[:100_000], label)
    _check_header(text[:100_000], delimiter, label)

    # UTF-8 bytes go to the C parser as they are (faster than re-reading the decoded text).
    def buffer() -> io.IOBase:
        return io.BytesIO(raw) if used == "utf-8" else io.StringIO(text)

    try:
        # Columns whose cells start with a zero ("0012": statistical or postal codes) stay text; the
        # numeric columns are still detected and parsed afterwards.
        sample = pd.read_csv(
            buffer(), sep=delimiter, skipinitialspace=True, encoding="utf-8-sig", dtype=str, nrows=1000
        )
        zeros = {c: str for c in sample.columns if sample[c].str.match(r"0\d", na=False).any()}
        df = pd.read_csv(buffer(), sep=delimiter, skipinitialspace=True, encoding="utf-8-sig", dtype=zeros)
        # pandas reads "1.500" as 1.5, but "1,500" stays text and is reported ambiguous: re-read the float
        # columns that may hold such a cell as text, so that parse_numbers judges both separators alike.
        # One regex pass over the raw text first: most files have no such cell, and then nothing is re-read.
        has_lone_dot = _has_lone_dot_cell(text, delimiter)
        maybe = [
            i
            for i, c in enumerate(df.columns)
            if has_lone_dot and df[c].dtype.kind == "f" and _maybe_dot_groups(df[c])
        ]
        if maybe:
            text = pd.read_csv(
                buffer(), sep=delimiter, skipinitialspace=True, encoding="utf-8-sig", dtype=str, usecols=maybe
            )
            for k, i in enumerate(maybe):  # usecols keeps the file's order
                cells = text.iloc[:, k]
                if cells.str.strip().str.fullmatch(_LONE_DOT, na=False).any():
                    df[df.columns[i]] = cells.to_numpy()
    except pd.errors.ParserError as exc:
        counted = f"; lines counted from the header, {skipped} line(s) below the top" if skipped else ""
        msg = f"{label}: not a valid {delimiter!r}-delimited table ({str(exc).strip()}{counted})"
        raise TableError(msg) from exc
    except pd.errors.EmptyDataError as exc:
        msg = f"{label}: the file has no header row"
        raise TableError(msg) from exc
    return df, skipped


#: One dot followed by exactly three digits ("1.500"): a decimal point or a thousands separator.
_LONE_DOT = r"[+-]?[1-9]\d{0,2}\.\d{3}"
_DOT_THREE = re.compile(r"\.\d{3}(?![\d.])")


@functools.lru_cache(maxsize=16)
def _lone_dot_cell(delimiter: str) -> re.Pattern[str]:
    """``1.500`` as a whole cell of a ``delimiter``-delimited text (quoted or not, any delimiter)."""
    d = re.escape(delimiter)
    pad = '["]*' if delimiter == " " else '[ "]*'
    return re.compile(rf"(?:^|{d}){pad}{_LONE_DOT}{pad}(?={d}|[\r\n]|$)", re.MULTILINE)


def _has_lone_dot_cell(text: str, delimiter: str) -> bool:
    """Whether any cell of a ``delimiter``-delimited text reads like ``1.500``.

    The same check for every delimiter (``:`` and space included), so that a ``1.500`` cell is judged alike
    whatever the file's delimiter. The full cell pattern is slow on large files (about 1 s for 10^6 rows), so
    a cheap pattern finds the candidates (a dot and exactly three digits) and the full one checks only the
    text around them.
    """
    cell = _lone_dot_cell(delimiter)
    for checked, m in enumerate(_DOT_THREE.finditer(text)):
        if checked == 10_000:  # many near misses ("1234.567"): one full pass is cheaper from here
            return cell.search(text) is not None
        line_start = text.rfind("\n", 0, m.start()) + 1
        if cell.search(text, max(line_start, m.start() - 8), m.end() + 3):
            return True
    return False


def _maybe_dot_groups(values: pd.Series) -> bool:
    """Whether a float column may hold a cell written like ``1.500`` (1 <= |x| < 1000, three decimals)."""
    v = values.to_numpy(dtype=float, na_value=np.nan)
    v = np.abs(v[np.isfinite(v)])
    scaled = v * 1000
    return bool(((v >= 1) & (v < 1000) & np.isclose(scaled, np.round(scaled))).any())


def read_source(
    source: str | Path | pd.DataFrame,
    *,
    sheet: str | int | None,
    delimiter: str | None,
    encoding: str | None,
    notes: list[str],
    skip_rows: int | None = None,
) -> tuple[pd.DataFrame, str, int | None]:
    """The raw table, a label for messages and the line offset of data rows.

    Only regular files are read, up to a size ceiling (:mod:`geo.tables.files`). ``skip_rows`` lines (CSV) or
    sheet rows (workbooks) above the header are skipped; workbooks find their header themselves by default
    (:mod:`geo.tables.workbook`).
    """
    if skip_rows is not None and (
        isinstance(skip_rows, bool) or not isinstance(skip_rows, int) or skip_rows < 0
    ):
        msg = f"skip_rows must be a whole number of rows >= 0, not {skip_rows!r}"
        raise TableError(msg)
    if isinstance(source, pd.DataFrame):
        check_cell_sizes(source, "<DataFrame>", None)
        return source.copy(), "<DataFrame>", None
    path = Path(source)
    label = str(path)
    size = check_regular(path, label)
    df, offset = _read_file(
        path,
        label,
        size,
        sheet=sheet,
        delimiter=delimiter,
        encoding=encoding,
        notes=notes,
        skip_rows=skip_rows,
    )
    if size > MAX_CELL_CHARS:  # a smaller file cannot hold a longer cell
        check_cell_sizes(df, label, offset)
    return df, label, offset


def _read_file(
    path: Path,
    label: str,
    size: int,
    *,
    sheet: str | int | None,
    delimiter: str | None,
    encoding: str | None,
    notes: list[str],
    skip_rows: int | None,
) -> tuple[pd.DataFrame, int | None]:
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            if size == 0:
                msg = f"{label}: the file is empty"
                raise TableError(msg)
            return read_workbook(path, label, sheet=sheet, skip_rows=skip_rows, notes=notes)
        if suffix == ".xls":
            msg = f"{label}: old .xls workbooks are not supported; save it as .xlsx or CSV"
            raise TableError(msg)
        if suffix in (".parquet", ".pq"):
            return read_parquet(path, label), None
        df, skipped = _read_csv(
            path, label, delimiter=delimiter, encoding=encoding, notes=notes, skip_rows=skip_rows
        )
    except TableError:
        raise
    except (ValueError, KeyError, OSError, ImportError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        msg = f"{label}: cannot read the table ({first})"
        raise TableError(msg) from exc
    return df, 1 + skipped


def tidy_columns(df: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Strip header whitespace; drop only columns that are unnamed *and* empty (trailing delimiters).

    Linear in the number of columns (a 10,000-column table is tidied in milliseconds). A header naming a column
    twice, or a first row that is data rather than a header (``KZ-39,10``), is a :class:`TableError`.
    """
    names = [str(c).strip() for c in df.columns]
    unnamed = [i for i, c in enumerate(names) if c.startswith("Unnamed:") or not c]
    empty = [i for i in unnamed if df.iloc[:, i].isna().all()]
    if empty:
        notes.append(f"{len(empty)} unnamed empty column(s) ignored (trailing delimiters)")
        keep = np.ones(len(names), dtype=bool)
        keep[empty] = False
        df = df.iloc[:, keep]
        names = [n for n, k in zip(names, keep, strict=True) if k]
    df.columns = names
    check_duplicates(names)
    _check_not_data(df)
    return df


def _check_not_data(df: pd.DataFrame) -> None:
    """Refuse a header that is a data row: a column named like a region whose values are regions too.

    ``KZ-39,10`` over ``RU-ORE,20`` would otherwise read as a table of one fewer rows with the columns
    ``KZ-39`` and ``10``, and join "cleanly".
    """
    from geo.catalog import catalog  # the catalogue loads on first use

    cat = catalog()
    for i, name in enumerate(df.columns[:50]):
        if not name or pd.api.types.is_numeric_dtype(df.iloc[:, i]):
            continue
        try:
            if cat.classify(name).status != "region":
                continue
        except GeoInputError:
            continue
        values = df.iloc[:, i].dropna().astype(str).unique()[:20]
        hits = sum(bool(_candidates(cat, v)) for v in values)
        if values.size and hits >= values.size / 2:
            msg = (
                f"the first row looks like data, not a header: column {i + 1} is named {name!r}, a region like "
                "the values below it; add a header row naming the columns (for example region,value)"
            )
            raise TableError(msg)


def _candidates(cat: Catalog, value: str) -> list[str]:
    try:
        return cat.candidates(value)
    except GeoInputError:
        return []
