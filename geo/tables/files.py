"""Which files a table is read from, and how much: regular files only, up to a size ceiling.

Parquet columns are checked before anything hashes them.

The ceiling is :data:`MAX_TABLE_BYTES` (512 MiB by default): a table larger than that is refused with a message
naming its size and the ceiling, before it is read. Set the environment variable ``GEO_MAX_TABLE_BYTES`` (a number
of bytes) to raise or lower it, e.g. a service that reads untrusted tables may set ``GEO_MAX_TABLE_BYTES=20000000``.
Devices (``/dev/zero``), FIFOs and sockets are refused: they may never end, or block the reader.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd

from geo.errors import TableError

__all__ = ["MAX_TABLE_BYTES", "check_regular", "max_table_bytes", "read_bytes", "read_parquet"]

#: The default size ceiling of a table file, in bytes (override with ``GEO_MAX_TABLE_BYTES``).
MAX_TABLE_BYTES = 512 * 1024 * 1024


def max_table_bytes() -> int:
    """The size ceiling in force: ``GEO_MAX_TABLE_BYTES`` when set (a positive whole number), else the default."""
    value = os.environ.get("GEO_MAX_TABLE_BYTES", "").strip().replace("_", "")
    if not value:
        return MAX_TABLE_BYTES
    if not value.isdigit() or int(value) <= 0:
        msg = f"GEO_MAX_TABLE_BYTES must be a positive number of bytes, not {value!r}"
        raise TableError(msg)
    return int(value)


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 1024**2 else f"{n / 1024**2:,.1f} MiB"


def check_regular(path: Path, label: str) -> int:
    """The size of ``path`` if it is a regular file (symbolic links followed) within the ceiling.

    Raises
    ------
    TableError
        No such file, a folder, a device/FIFO/socket, or a file larger than :func:`max_table_bytes`.
    """
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        msg = f"{label}: no such file"
        raise TableError(msg) from exc
    except OSError as exc:
        msg = f"{label}: cannot read the table ({exc.strerror or exc})"
        raise TableError(msg) from exc
    if stat.S_ISDIR(info.st_mode):
        msg = f"{label}: is a folder, not a table"
        raise TableError(msg)
    if not stat.S_ISREG(info.st_mode):
        kind = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(info.st_mode)
            else "a socket"
            if stat.S_ISSOCK(info.st_mode)
            else "a device"
        )
        msg = f"{label}: is {kind}, not a regular file; save the table to a file and read that"
        raise TableError(msg)
    ceiling = max_table_bytes()
    if info.st_size > ceiling:
        msg = (
            f"{label}: the file is {_size(info.st_size)}, above the ceiling of {_size(ceiling)} for a table; "
            "split it, or raise the ceiling with the environment variable GEO_MAX_TABLE_BYTES"
        )
        raise TableError(msg)
    return info.st_size


def read_bytes(path: Path, label: str) -> bytes:
    """The bytes of a regular file, never more than the ceiling (a file growing while it is read included)."""
    check_regular(path, label)
    ceiling = max_table_bytes()
    with path.open("rb") as f:
        raw = f.read(ceiling + 1)
    if len(raw) > ceiling:
        msg = (
            f"{label}: the file grew above the ceiling of {_size(ceiling)} while it was read; "
            "raise the ceiling with GEO_MAX_TABLE_BYTES"
        )
        raise TableError(msg)
    return raw


def read_parquet(path: Path, label: str) -> pd.DataFrame:
    """A Parquet table whose columns are all scalar; a list, struct or map column is a :class:`TableError`.

    Such columns would fail later with ``unhashable type``; they are named before the table is read.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        msg = f"{label}: not a readable Parquet file ({first})"
        raise TableError(msg) from exc
    nested = [
        (f.name, str(f.type))
        for f in schema
        if pa.types.is_nested(f.type)
        or (pa.types.is_dictionary(f.type) and pa.types.is_nested(f.type.value_type))
    ]
    if nested:
        what = ", ".join(f"{name!r} ({kind})" for name, kind in nested[:5])
        msg = (
            f"{label}: column(s) {what} hold lists or records, not single values; a region table needs one "
            "value per cell: flatten those columns (one row or one column per item) or drop them"
        )
        raise TableError(msg)
    try:
        df = pd.read_parquet(path)
    except (pa.ArrowException, ValueError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        msg = f"{label}: cannot read the Parquet table ({first})"
        raise TableError(msg) from exc
    df.columns = [str(c) for c in df.columns]
    return df
