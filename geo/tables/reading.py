"""Reading a table's bytes: decoding, delimiter sniffing, CSV/Excel/Parquet, header tidying.

The result is a raw :class:`pandas.DataFrame` (cells as read) with a label for messages and the file line of the
first data row; numbers and region keys are judged later (:mod:`geo.tables.numbers`,
:mod:`geo.tables.resolution`).
"""

from __future__ import annotations

import csv
import functools
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import TableError

_DELIMITERS = [",", ";", "\t", "|"]


def _decode(raw: bytes, label: str, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            msg = f"{label}: cannot decode the file as {encoding} ({exc})"
            raise TableError(msg) from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # cp1251 decodes almost any byte string; accept it only if the text looks like Cyrillic or plain ASCII.
    text = raw.decode("cp1251", errors="replace")
    letters = [c for c in text if c.isalpha() and not c.isascii()]
    if letters and sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters) < 0.9:
        msg = f"{label}: the file is neither UTF-8 nor Windows-1251 (cp1251); save it as UTF-8 or pass encoding="
        raise TableError(msg)
    return text, "cp1251"


#: Spellings of the tab delimiter accepted from users (a shell passes ``\t`` as two characters).
_TAB_NAMES = {"\t", "\\t", "tab", "tsv"}


def _delimiter(value: str | None, label: str) -> str | None:
    """The user's delimiter as one character: ``"\\t"``, ``"tab"`` and a real tab mean a tab."""
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


def _binary(raw: bytes) -> bool:
    """True when the bytes are not text: NUL bytes (outside UTF-16) or many control characters."""
    head = raw[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        chars = head.decode("utf-16", errors="replace")
        controls = sum(c < " " and c not in "\t\n\r\f" for c in chars)
        return "\x00" in chars or controls > 0.05 * len(chars)
    if b"\x00" in head:
        return True
    controls = sum(b < 32 and b not in (9, 10, 12, 13) for b in head)
    return controls > 0.05 * len(head)


def _sniff(text: str, label: str) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of fields as the header."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    header = lines[0] if lines else ""
    consistent = {}
    for d in _DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=d)]
        if counts and counts[0] > 1 and all(c == counts[0] for c in counts):
            consistent[d] = counts[0]
    if len(consistent) == 1:
        return next(iter(consistent))
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if consistent:
        return sniffed if sniffed in consistent else max(consistent, key=lambda d: consistent[d])
    if sniffed:
        return sniffed  # rows disagree: pandas names the first bad line
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        msg = (
            f"{label}: found a single column in the header {header[:60]!r}; a table needs a region column "
            "and values: is the delimiter one of , ; tab | ? Pass delimiter= (CLI: --delimiter)"
        )
        raise TableError(msg)
    return best


def _check_fields(text: str, delimiter: str, label: str) -> None:
    """A first data row with more fields than the header would silently become pandas' index: refuse it.

    (Later rows with too many fields make pandas raise an error naming the line.)
    """
    numbered = [(i, line) for i, line in enumerate(text.splitlines()[:51], start=1) if line.strip()]
    rows = list(csv.reader([line for _, line in numbered], delimiter=delimiter))
    if len(rows) < 2:
        return
    width = len(rows[0])
    for (line_no, line), row in zip(numbered[1:], rows[1:], strict=True):
        if len(row) > width:
            msg = (
                f"{label}: line {line_no} has {len(row)} fields but the header has {width} ({line[:60]!r}); "
                f"is a number written with a decimal comma in a {delimiter!r}-delimited file? Quote it, or "
                "use another delimiter"
            )
            raise TableError(msg)


def _read_csv(
    path: Path, label: str, *, delimiter: str | None, encoding: str | None, notes: list[str]
) -> pd.DataFrame:
    raw = path.read_bytes()
    if not raw.strip():
        msg = f"{label}: the file is empty"
        raise TableError(msg)
    if _binary(raw):
        hint = (
            "it looks like a zip archive or Excel workbook: give it the .xlsx extension"
            if raw.startswith(b"PK\x03\x04")
            else "save the table as CSV (UTF-8), .xlsx or Parquet"
        )
        msg = f"{label}: not a text table (binary content); {hint}"
        raise TableError(msg)
    text, used = _decode(raw, label, encoding)
    if used != "utf-8":
        notes.append(f"read as {used}")
    delimiter = _delimiter(delimiter, label) or _sniff(text[:100_000], label)
    _check_fields(text[:100_000], delimiter, label)

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
        msg = f"{label}: not a valid {delimiter!r}-delimited table ({str(exc).strip()})"
        raise TableError(msg) from exc
    except pd.errors.EmptyDataError as exc:
        msg = f"{label}: the file has no header row"
        raise TableError(msg) from exc
    return df


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
) -> tuple[pd.DataFrame, str, int | None]:
    """The raw table, a label for messages and the line offset of data rows."""
    if isinstance(source, pd.DataFrame):
        return source.copy(), "<DataFrame>", None
    path = Path(source)
    label = str(path)
    if not path.exists():
        msg = f"{label}: no such file"
        raise TableError(msg)
    if path.is_dir():
        msg = f"{label}: is a folder, not a table"
        raise TableError(msg)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            if path.stat().st_size == 0:
                msg = f"{label}: the file is empty"
                raise TableError(msg)
            df = _read_excel(path, label, sheet)
        elif suffix == ".xls":
            msg = f"{label}: old .xls workbooks are not supported; save it as .xlsx or CSV"
            raise TableError(msg)
        elif suffix in (".parquet", ".pq"):
            df = pd.read_parquet(path)
            return df, label, None
        else:
            df = _read_csv(path, label, delimiter=delimiter, encoding=encoding, notes=notes)
    except TableError:
        raise
    except (ValueError, KeyError, OSError, ImportError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        msg = f"{label}: cannot read the table ({first})"
        raise TableError(msg) from exc
    return df, label, 1


def _read_excel(path: Path, label: str, sheet: str | int | None) -> pd.DataFrame:
    """An .xlsx workbook; a file that is not one (a CSV renamed .xlsx…) is a TableError, not a zip error."""
    try:
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        InvalidFileException = zipfile.BadZipFile
    try:
        return pd.read_excel(path, sheet_name=0 if sheet is None else sheet, engine="openpyxl")
    except (zipfile.BadZipFile, InvalidFileException) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        msg = (
            f"{label}: not an Excel workbook ({first}); if it is a CSV or text table, give it the .csv "
            "extension, otherwise save it again from Excel as .xlsx"
        )
        raise TableError(msg) from exc


def tidy_columns(df: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Strip header whitespace; drop only columns that are unnamed *and* empty (trailing delimiters)."""
    df.columns = [str(c).strip() for c in df.columns]
    unnamed = [c for c in df.columns if c.startswith("Unnamed:") or not c]
    empty = [c for c in unnamed if df[c].isna().all()]
    if empty:
        notes.append(f"{len(empty)} unnamed empty column(s) ignored (trailing delimiters)")
        df = df.drop(columns=empty)
    dup = [c for c in df.columns if list(df.columns).count(c) > 1]
    if dup:
        msg = f"the header names column(s) {sorted(set(dup))} more than once"
        raise TableError(msg)
    return df
