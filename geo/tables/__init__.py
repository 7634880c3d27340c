"""The user's attribute tables, one module per job, :func:`read_table` on top.

=========================  =========================================================================
``geo.tables.reading``     bytes to a raw frame: decoding, delimiter sniffing, CSV/Excel/Parquet
``geo.tables.numbers``     :func:`parse_numbers`: separators, missing markers, infinities
``geo.tables.resolution``  the region column, :func:`resolve_column` (context rule), duplicate keys
``geo.tables.report``      :class:`JoinReport` and :class:`Issue`: every problem by file, row and value
``geo.tables.read``        :func:`read_table`: the four above in order
=========================  =========================================================================
"""

from __future__ import annotations

from geo.tables.numbers import MISSING, parse_numbers
from geo.tables.read import read_table
from geo.tables.report import Issue, JoinReport
from geo.tables.resolution import REGION_COLUMNS, resolve_column

__all__ = [
    "MISSING",
    "REGION_COLUMNS",
    "Issue",
    "JoinReport",
    "parse_numbers",
    "read_table",
    "resolve_column",
]
