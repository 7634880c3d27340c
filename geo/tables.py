"""The user's attribute tables: read any CSV/Excel/Parquet table, resolve its region keys, report every problem.

:func:`read_table` returns the table with a ``code`` column (current ISO 3166-2 code, ``<NA>`` where a key could
not be resolved) and a :class:`JoinReport` that names, for every problem, the file, the row, the column, the value
and a suggestion. Nothing is dropped silently: rows whose key is unknown or ambiguous stay in the table without a
code, cells that are not numbers stay missing and are listed.

Resolution is vectorised: the region column is factorized and each distinct spelling is resolved once through
the catalogue (:mod:`geo.catalog`), then mapped back to the rows.

*Context rule.* A bare "Almaty" fits Almaty Region (KZ-19) and Almaty city (KZ-75). When the same table also
has a row that resolves unambiguously to one of the candidates ("Almaty oblast" -> KZ-19) and exactly one
candidate is left, the ambiguous rows are read as that one (KZ-75): a table does not normally list a region
twice. Every such decision is listed in the report (``JoinReport.decisions``); the duplicate check that follows
would catch a wrong one.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geo.catalog import catalog
from geo.errors import GeoInputError, TableError

__all__ = ["Issue", "JoinReport", "parse_numbers", "read_table"]

#: Column names tried, case-insensitively and in this order, when ``region`` is not given.
REGION_COLUMNS = [
    "code",
    "region_code",
    "iso",
    "iso_code",
    "iso_3166_2",
    "region",
    "region_name",
    "oblast",
    "subject",
    "name",
    "регион",
    "область",
    "субъект",
    "субъект рф",
    "облыс",
    "аймақ",
    "код",
]
#: Cell values read as missing (besides empty cells); they are counted, not reported as problems.
MISSING = {"", "-", "–", "—", "na", "n/a", "nan", "null", "none", "..", "...", "x", "нет данных", "н/д"}
#: How many rows an issue lists before it only counts them.
MAX_ROWS = 10
#: How many issues of one kind ``str(report)`` shows (the lists hold them all).
MAX_SHOWN = 50
#: How many distinct unknown spellings get closest-match suggestions (difflib is the slow part).
MAX_SUGGEST = 200

_DELIMITERS = [",", ";", "\t", "|"]


@dataclass
class Issue:
    """One problem (or one decision) found in a table, for one distinct value.

    ``rows`` are 1-based data rows (the first row under the header is row 1); ``count`` is the number of rows
    concerned (``rows`` lists at most :data:`MAX_ROWS` of them).
    """

    kind: str  # unknown | ambiguous | missing_region | duplicate | non_numeric | ambiguous_number | context
    value: str
    rows: list[int]
    count: int
    column: str = ""
    suggestion: str = ""
    source: str = ""  # the file (or "<DataFrame>") the issue was found in
    line_offset: int | None = None  # data row r is file line r + line_offset (None: no file lines)

    def __str__(self) -> str:
        return self.describe(source="")

    def describe(self, source: str | None = None, line_offset: object = ...) -> str:
        """One line: ``file: row 3 (line 4), column 'region': 'Kostanaj' is unknown; did you mean …``.

        ``source`` and ``line_offset`` default to the issue's own.
        """
        source = self.source if source is None else source
        line_offset = self.line_offset if line_offset is ... else line_offset
        shown = ", ".join(map(str, self.rows))
        more = f" and {self.count - len(self.rows)} more" if self.count > len(self.rows) else ""
        where = f"row{'s' if self.count > 1 else ''} {shown}{more}"
        if line_offset is not None and self.rows:
            lines = ", ".join(str(r + line_offset) for r in self.rows)
            where += f" (line{'s' if len(self.rows) > 1 else ''} {lines})"
        what = {
            "unknown": "is not a known region",
            "ambiguous": "is ambiguous",
            "missing_region": "region is missing",
            "duplicate": "appears more than once",
            "non_numeric": "is not a number",
            "ambiguous_number": "is an ambiguous number (thousands separator or decimal separator?)",
            "context": "was resolved by the table's context",
        }.get(self.kind, self.kind)
        column = f", column {self.column!r}" if self.column else ""
        value = {"missing_region": "", "duplicate": f"{self.value} "}.get(self.kind, f"{self.value!r} ")
        prefix = f"{source}: " if source else ""
        hint = f"; {self.suggestion}" if self.suggestion else ""
        return f"{prefix}{where}{column}: {value}{what}{hint}"


@dataclass
class JoinReport:
    """What happened while reading a table and resolving its region keys.

    ``ok`` is true when no row needs attention: every key resolved to exactly one region, no key (with the
    ``keys`` columns) appears twice and every cell of the numeric columns is a number or empty. ``decisions``
    (context-rule resolutions) and ``missing_values`` (empty numeric cells) are information, not problems.
    """

    source: str
    rows: int = 0
    region_column: str = ""
    key_columns: list[str] = field(default_factory=list)
    numeric_columns: list[str] = field(default_factory=list)
    text_columns: list[str] = field(default_factory=list)
    matched: int = 0
    unknown: list[Issue] = field(default_factory=list)
    ambiguous: list[Issue] = field(default_factory=list)
    missing_region: list[Issue] = field(default_factory=list)
    duplicates: list[Issue] = field(default_factory=list)
    non_numeric: list[Issue] = field(default_factory=list)
    decisions: list[Issue] = field(default_factory=list)
    missing_values: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    line_offset: int | None = 1  # data row r is file line r + line_offset (None: not a file with lines)

    @property
    def problems(self) -> list[Issue]:
        """Every issue that needs the user's attention."""
        return [*self.unknown, *self.ambiguous, *self.missing_region, *self.duplicates, *self.non_numeric]

    @property
    def ok(self) -> bool:
        """True when the table joins cleanly (no problems)."""
        return not self.problems

    def count(self, kind: str) -> int:
        """Number of rows concerned by issues of one kind (``"unknown"``, ``"duplicate"``, …)."""
        return sum(i.count for i in [*self.problems, *self.decisions] if i.kind == kind)

    @property
    def counts(self) -> dict[str, int]:
        """Rows concerned, by kind: matched, unknown, ambiguous, missing_region, duplicate, non_numeric,
        ambiguous_number and context (resolved by the table's context)."""
        kinds = [
            "unknown",
            "ambiguous",
            "missing_region",
            "duplicate",
            "non_numeric",
            "ambiguous_number",
            "context",
        ]
        return {"rows": self.rows, "matched": self.matched, **{k: self.count(k) for k in kinds}}

    def summary(self) -> str:
        """One line: rows, matched, and the problem counts."""
        parts = [f"{self.rows} rows", f"{self.matched} matched"]
        for kind, label in [
            ("unknown", "unknown"),
            ("ambiguous", "ambiguous"),
            ("missing_region", "without region"),
            ("duplicate", "duplicated"),
            ("non_numeric", "non-numeric cells"),
            ("ambiguous_number", "ambiguous numbers"),
        ]:
            n = self.count(kind)
            if n:
                parts.append(f"{n} {label}")
        if self.decisions:
            parts.append(f"{self.count('context')} resolved by context")
        return f"{self.source}: " + ", ".join(parts)

    def __str__(self) -> str:
        lines = [self.summary()]
        lines.append(
            f"  region column: {self.region_column!r}"
            + (f"; keys: {', '.join(self.key_columns)}" if self.key_columns else "")
        )
        if self.numeric_columns:
            lines.append(f"  numeric columns: {', '.join(self.numeric_columns)}")
        if self.text_columns:
            lines.append(f"  other columns (kept as text): {', '.join(self.text_columns)}")
        lines += [f"  note: {n}" for n in self.notes]
        sections = [
            ("unknown regions", self.unknown),
            ("ambiguous regions", self.ambiguous),
            ("rows without a region", self.missing_region),
            ("duplicated keys", self.duplicates),
            ("cells that are not numbers", self.non_numeric),
            ("decided by the table's context", self.decisions),
        ]
        for title, issues in sections:
            if issues:
                lines.append(f"  {title}:")
                lines += [f"    {i.describe()}" for i in issues[:MAX_SHOWN]]
                if len(issues) > MAX_SHOWN:
                    lines.append(f"    … and {len(issues) - MAX_SHOWN} more ({title})")
        if self.missing_values:
            empty = ", ".join(f"{c} ({n})" for c, n in self.missing_values.items())
            lines.append(f"  empty numeric cells (kept as missing, not zero): {empty}")
        lines.append(
            "  OK: the table joins cleanly"
            if self.ok
            else f"  {len(self.problems)} problem(s): fix the table, or pass strict=False (CLI: --lenient)"
        )
        return "\n".join(lines)


# -- reading ---------------------------------------------------------------------------------------------------
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
        has_lone_dot = _has_lone_dot_cell(text)
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
#: The same as a whole cell of a delimited text (quoted or not), to find out cheaply whether a file has any.
_LONE_DOT_CELL = re.compile(r'(?:^|[,;\t|])[ "]*' + _LONE_DOT + r'[ "]*(?=[,;\t|\r\n]|$)', re.MULTILINE)
_DOT_THREE = re.compile(r"\.\d{3}(?![\d.])")


def _has_lone_dot_cell(text: str) -> bool:
    """Whether any cell of a delimited text reads like ``1.500``.

    The full cell pattern is slow on large files (about 1 s for 10^6 rows), so a cheap pattern finds the
    candidates (a dot and exactly three digits) and the full one checks only the text around them.
    """
    for checked, m in enumerate(_DOT_THREE.finditer(text)):
        if checked == 10_000:  # many near misses ("1234.567"): one full pass is cheaper from here
            return _LONE_DOT_CELL.search(text) is not None
        line_start = text.rfind("\n", 0, m.start()) + 1
        if _LONE_DOT_CELL.search(text, max(line_start, m.start() - 8), m.end() + 3):
            return True
    return False


def _maybe_dot_groups(values: pd.Series) -> bool:
    """Whether a float column may hold a cell written like ``1.500`` (1 <= |x| < 1000, three decimals)."""
    v = values.to_numpy(dtype=float, na_value=np.nan)
    v = np.abs(v[np.isfinite(v)])
    scaled = v * 1000
    return bool(((v >= 1) & (v < 1000) & np.isclose(scaled, np.round(scaled))).any())


def _read_source(
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


def _tidy_columns(df: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
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


# -- numbers ---------------------------------------------------------------------------------------------------
_SEP_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'’]")
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
    is_num = u.map(lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool))
    text = u.astype(str).str.strip()
    missing = text.str.lower().isin(MISSING) & ~is_num
    s = text.str.replace(_SEP_SPACES, "", regex=True).str.replace("−", "-", regex=False)
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
    ambiguous = (one_comma | one_dot) & ~comma_decimal & ~dot_decimal
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


# -- regions ---------------------------------------------------------------------------------------------------
def _find_region_column(df: pd.DataFrame, region: str | None, label: str, country: str | None) -> str:
    columns = [str(c) for c in df.columns]
    if region is not None:
        if region in columns:
            return region
        folded = {c.casefold(): c for c in columns}
        if region.casefold() in folded:
            return folded[region.casefold()]
        close = difflib.get_close_matches(region, columns, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        msg = f"{label}: no column {region!r}; the columns are {', '.join(map(repr, columns))}{hint}"
        raise TableError(msg)
    folded = {c.casefold(): c for c in columns}
    for name in REGION_COLUMNS:
        if name in folded and _resolvable_share(df[folded[name]], country) > 0.5:
            return folded[name]
    best, share = None, 0.0
    for col in columns:
        if pd.api.types.is_numeric_dtype(df[col]):
            continue
        s = _resolvable_share(df[col], country)
        if s > share:
            best, share = col, s
    if best is None or share < 0.5:
        msg = (
            f"{label}: could not find the column with region names or codes (columns: "
            f"{', '.join(map(repr, columns))}); name it with region= (CLI: --region)"
        )
        raise TableError(msg)
    return best


def _resolvable_share(values: pd.Series, country: str | None) -> float:
    sample = pd.Series(values.dropna().unique()[:200])
    if sample.empty:
        return 0.0
    cat = catalog()
    hits = 0
    for v in sample:
        with contextlib.suppress(GeoInputError):
            hits += bool(cat.candidates(v, country=country))
    return hits / len(sample)


def _rows_of(codes: np.ndarray, wanted: Iterable[int]) -> dict[int, tuple[list[int], int]]:
    """For each factor code in ``wanted``: (first MAX_ROWS 1-based rows, number of rows)."""
    wanted = np.fromiter(wanted, dtype=np.int64)
    if wanted.size == 0:
        return {}
    positions = np.flatnonzero(np.isin(codes, wanted))
    groups = pd.Series(positions + 1).groupby(codes[positions])
    return {int(k): (g.iloc[:MAX_ROWS].tolist(), len(g)) for k, g in groups}


def resolve_column(
    values: pd.Series, *, column: str = "", country: str | None = None, context: bool = True
) -> tuple[pd.Series, dict[str, list[Issue]]]:
    """Resolve a column of region spellings to current codes, each distinct spelling once.

    Parameters
    ----------
    values
        Region names or codes, any spelling the catalogue resolves.
    column
        Column name used in the issues.
    country
        ``"RU"`` or ``"KZ"`` to restrict resolution to one country.
    context
        Apply the context rule (see the module docstring) to ambiguous spellings.

    Returns
    -------
    (pandas.Series, dict)
        Codes (string dtype, ``<NA>`` where unresolved), indexed like ``values``, and the issues by kind:
        ``"unknown"``, ``"ambiguous"``, ``"missing_region"``, ``"context"``.
    """
    cat = catalog()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    resolved = np.full(len(uniques), None, dtype=object)
    unknown: list[int] = []
    ambiguous: dict[int, list[str]] = {}
    blank: list[int] = []
    for i, value in enumerate(uniques):
        try:
            found = cat.candidates(value, country=country)
        except GeoInputError:  # empty or whitespace-only name
            blank.append(i)
            continue
        if len(found) == 1:
            resolved[i] = found[0]
        elif found:
            ambiguous[i] = found
        else:
            unknown.append(i)
    issues: dict[str, list[Issue]] = {"unknown": [], "ambiguous": [], "missing_region": [], "context": []}
    present = {c for c in resolved if c is not None}
    first_spelling = {}
    for i, c in enumerate(resolved):
        if c is not None and c not in first_spelling:
            first_spelling[c] = str(uniques[i])
    decided: dict[int, tuple[str, list[str]]] = {}
    if context:
        for i, found in ambiguous.items():
            here = [c for c in found if c in present]
            left = [c for c in found if c not in present]
            if here and len(left) == 1:
                decided[i] = (left[0], here)
    rows = _rows_of(codes, [*unknown, *ambiguous, *blank])
    for i, (code, here) in decided.items():
        resolved[i] = code
        others = "; ".join(
            f"{cat.describe(c)} is already in the table as {first_spelling[c]!r}" for c in here
        )
        r, n = rows[i]
        issues["context"].append(
            Issue("context", str(uniques[i]), r, n, column, f"read as {cat.describe(code)} because {others}")
        )
    for i, found in ambiguous.items():
        if i in decided:
            continue
        r, n = rows[i]
        options = " or ".join(f"{cat.describe(c)}" for c in found)
        issues["ambiguous"].append(
            Issue(
                "ambiguous",
                str(uniques[i]),
                r,
                n,
                column,
                f"it could be {options}; use the code or a fuller name",
            )
        )
    for k, i in enumerate(unknown):
        r, n = rows[i]
        close = cat.suggest(uniques[i], country=country) if k < MAX_SUGGEST else []
        hint = f"did you mean {' or '.join(close)}?" if close else "no close match in the catalogue"
        issues["unknown"].append(Issue("unknown", str(uniques[i]), r, n, column, hint))
    missing_positions = np.flatnonzero((codes < 0) | np.isin(codes, blank))
    if missing_positions.size:
        issues["missing_region"].append(
            Issue(
                "missing_region",
                "",
                (missing_positions[:MAX_ROWS] + 1).tolist(),
                int(missing_positions.size),
                column,
                "fill in the region",
            )
        )
    mapped = np.asarray(resolved, dtype=object)[codes] if len(uniques) else np.full(len(values), None)
    mapped = np.where(codes < 0, None, mapped)
    return pd.Series(pd.array(mapped, dtype="string"), index=values.index, name="code"), issues


# -- public ----------------------------------------------------------------------------------------------------
def read_table(
    source: str | Path | pd.DataFrame,
    region: str | None = None,
    *,
    keys: Sequence[str] = (),
    numeric: Sequence[str] | None = None,
    country: str | None = None,
    strict: bool = False,
    context: bool = True,
    unique: bool = True,
    decimal: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> tuple[pd.DataFrame, JoinReport]:
    """Read a user's table (CSV, Excel, Parquet or a DataFrame) and resolve its region column to codes.

    Parameters
    ----------
    source
        Path of a CSV/TSV/TXT (any of ``, ; tab |`` as delimiter, UTF-8, UTF-16 or Windows-1251),
        an Excel workbook (``.xlsx``), a Parquet file, or a DataFrame.
    region
        Column holding region names or codes; by default a column named like ``region``/``code``/``oblast``/
        ``регион``…, else the column whose values resolve best.
    keys
        Further key columns (e.g. ``["year"]``) of a long table with several rows per region: duplicates are
        judged on ``code`` + ``keys``.
    numeric
        Columns to parse as numbers; by default every column (other than region and keys) whose non-empty
        cells are mostly numbers. Cells that do not parse are reported, never coerced silently.
    country
        ``"RU"`` or ``"KZ"`` to resolve names in one country only.
    strict
        Raise :class:`~geo.errors.TableError` (with the report as ``.report``) when the report has problems;
        by default the table and the report are returned and the caller decides.
    context
        Let the table's context settle ambiguous names (see the module docstring); every decision is reported.
    unique
        Check that ``code`` + ``keys`` identify each row (duplicates are problems). Pass ``False`` for
        record-level tables (one row per declaration, enterprise…) that ``join(..., many="aggregate")``
        combines.
    decimal
        ``","`` or ``"."`` to fix the decimal separator of the numeric columns (inferred by default).
    delimiter, encoding
        Override the CSV delimiter sniffing and the UTF-8/cp1251 detection.
    sheet
        Excel sheet name or index (the first sheet by default).

    Returns
    -------
    (pandas.DataFrame, JoinReport)
        The table with a ``code`` column first (current ISO 3166-2 code, ``<NA>`` where unresolved), the
        numeric columns as Float64, every other column as read (``attrs["keys"]`` holds ``keys``, which
        :func:`geo.join` carries through a vintage merge); and the report.

    Raises
    ------
    TableError
        The file is missing, empty, header-only or unreadable, a named column does not exist, no region column
        can be found, or (``strict=True``) the report has problems.
    """
    notes: list[str] = []
    df, label, line_offset = _read_source(
        source, sheet=sheet, delimiter=delimiter, encoding=encoding, notes=notes
    )
    try:
        df = _tidy_columns(df, notes)
    except TableError as exc:
        msg = f"{label}: {exc}"
        raise TableError(msg) from exc
    if df.empty:
        what = "has a header but no data rows" if len(df.columns) else "is empty"
        msg = f"{label}: the table {what}"
        raise TableError(msg)
    df.columns = [str(c) for c in df.columns]
    region_col = _find_region_column(df, region, label, country)
    if "code" in df.columns and region_col != "code" and "code_original" in df.columns:
        df = df.drop(columns="code")  # a table read before: its `code` is recomputed from the region column
        notes.append("the table's previous 'code' column was recomputed")
    elif "code" in df.columns:  # the result's `code` is ours; keep the table's own column beside it
        new = next(
            n for n in ("code_original", *(f"code_original_{i}" for i in range(2, 99))) if n not in df.columns
        )
        df = df.rename(columns={"code": new})
        notes.append(f"the table's own column 'code' was renamed {new!r}")
        region_col = new if region_col == "code" else region_col
    keys = list(keys)
    for col in [*keys, *(numeric or [])]:
        if col not in df.columns:
            msg = f"{label}: no column {col!r}; the columns are {', '.join(map(repr, df.columns))}"
            raise TableError(msg)
    report = JoinReport(
        source=label,
        rows=len(df),
        region_column=region_col,
        key_columns=keys,
        line_offset=line_offset,
        notes=notes,
    )

    codes, issues = resolve_column(df[region_col], column=region_col, country=country, context=context)
    report.unknown, report.ambiguous = issues["unknown"], issues["ambiguous"]
    report.missing_region, report.decisions = issues["missing_region"], issues["context"]
    report.matched = int(codes.notna().sum())

    candidates = [c for c in df.columns if c != region_col and c not in keys and c != "code"]
    chosen = list(numeric) if numeric is not None else None
    for col in candidates:
        if chosen is not None and col not in chosen:
            report.text_columns.append(col)
            continue
        original = df[col]
        if pd.api.types.is_numeric_dtype(original) and not pd.api.types.is_bool_dtype(original):
            report.numeric_columns.append(col)  # already numbers (typed file or DataFrame): keep the dtype
            if original.isna().any():
                report.missing_values[col] = int(original.isna().sum())
            values, bad, _ = parse_numbers(original)
            if bad.any():  # inf / -inf (pandas reads "inf" and "Infinity" as numbers): not values
                df[col] = values
                mask = bad.to_numpy()
                report.non_numeric += _issues_by_value("non_numeric", original, mask, col, _INFINITE_HINT)
            continue
        values, bad, ambiguous = parse_numbers(original, decimal=decimal)
        filled = df[col].notna() & ~df[col].astype(str).str.strip().str.lower().isin(MISSING)
        # "inf", "-Infinity", "1e999" are number-shaped (the column is numeric) but not values: reported.
        infinite = bad & np.isinf(pd.to_numeric(original.astype(str).str.strip(), errors="coerce"))
        numbers = values.notna() | ambiguous | infinite
        if chosen is None and (filled.sum() == 0 or numbers.sum() <= filled.sum() / 2):
            report.text_columns.append(col)
            continue
        df[col] = values
        report.numeric_columns.append(col)
        empty = int((~filled).sum())
        if empty:
            report.missing_values[col] = empty
        for kind, mask, hint in [
            ("non_numeric", bad & ~infinite, "fix the cell or leave it empty"),
            ("non_numeric", infinite, _INFINITE_HINT),
            ("ambiguous_number", ambiguous, "pass decimal=',' or decimal='.' (CLI: --decimal)"),
        ]:
            report.non_numeric += _issues_by_value(kind, original, mask.to_numpy(), col, hint)
    df.insert(0, "code", codes)
    df.attrs["keys"] = list(keys)  # geo.join carries key columns (a year) through a vintage merge
    if unique:
        report.duplicates = _duplicates(df, region_col, keys)
    else:
        report.notes.append("duplicates not checked (unique=False: a table of records)")
    for issue in [*report.problems, *report.decisions]:
        issue.source, issue.line_offset = label, line_offset
    if strict and not report.ok:
        first = report.problems[0].describe()
        msg = (
            f"{report.summary()}; first problem: {first}; "
            "see the full report with geo check TABLE, or read_table(..., strict=False)"
        )
        error = TableError(msg)
        error.report = report
        raise error
    return df, report


_INFINITE_HINT = "infinity is not a value: write the number, or leave the cell empty if it is unknown"

#: At most this many distinct bad values are listed per column and kind; the rest are counted in one issue.
MAX_VALUES = 50


def _issues_by_value(kind: str, original: pd.Series, mask: np.ndarray, column: str, hint: str) -> list[Issue]:
    positions = np.flatnonzero(mask)
    if positions.size == 0:
        return []
    values = original.iloc[positions].astype(str).to_numpy()
    groups = pd.Series(positions + 1).groupby(values, sort=False)
    issues = []
    rest_rows: list[int] = []
    rest_count = rest_values = 0
    for value, rows in groups:
        if len(issues) < MAX_VALUES:
            issues.append(Issue(kind, str(value), rows.iloc[:MAX_ROWS].tolist(), len(rows), column, hint))
        else:
            rest_values += 1
            rest_count += len(rows)
            rest_rows += rows.iloc[: MAX_ROWS - len(rest_rows)].tolist() if len(rest_rows) < MAX_ROWS else []
    if rest_values:
        issues.append(
            Issue(kind, f"({rest_values} other values)", sorted(rest_rows), rest_count, column, hint)
        )
    return issues


def _duplicates(df: pd.DataFrame, region_col: str, keys: list[str]) -> list[Issue]:
    subset = ["code", *keys]
    dup = (df.duplicated(subset=subset, keep=False) & df["code"].notna()).to_numpy()
    if not dup.any():
        return []
    positions = np.flatnonzero(dup)
    part = df.iloc[positions][[*subset, region_col]].copy()
    part["_row"] = positions + 1
    if keys:
        hint = "several rows for the same region and " + ", ".join(keys) + "; remove or merge the extra rows"
    else:
        hint = (
            "several rows for one region; if the table has one row per region and year (or another key), "
            "name that column: keys=['year'] (CLI: --keys year); otherwise remove or merge the extra rows"
        )
    # Vectorised: rows, counts and distinct spellings per duplicated key, then one Issue per key.
    grouped = part.groupby(subset, sort=True, dropna=False)
    counts = grouped.size()
    heads = grouped.head(MAX_ROWS).groupby(subset, sort=True, dropna=False)["_row"].agg(list)
    names = part.drop_duplicates([*subset, region_col]).groupby(subset, sort=True, dropna=False)[region_col]
    names = names.agg(lambda s: ", ".join(repr(str(v)) for v in s))
    issues = []
    for key, count in counts.items():
        key_t = key if isinstance(key, tuple) else (key,)
        label = str(key_t[0]) + "".join(f", {k}={v}" for k, v in zip(keys, key_t[1:], strict=True))
        issues.append(
            Issue("duplicate", f"{label} (as {names[key]})", heads[key], int(count), region_col, hint)
        )
    return issues
