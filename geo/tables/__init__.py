"""The user's attribute tables, one module per job, :func:`read_table` on top.

=========================  =========================================================================
``geo.tables.reading``     bytes to a raw frame: decoding, delimiter sniffing, CSV/Excel/Parquet
``geo.tables.numbers``     :func:`parse_numbers`: separators, missing markers, infinities
``geo.tables.resolution``  the region column, :func:`resolve_column` (context rule), duplicate keys
``geo.tables.report``      :class:`JoinReport` and :class:`Issue`: every problem by file, row and value
``geo.tables.periods``     the period column and the unit each row stands for at its date
``geo.tables.totals``      total rows compared with the sum of their parts
``geo.tables.read``        :func:`read_table`: the four above in order
=========================  =========================================================================
"""

from __future__ import annotations

from geo.tables.numbers import MISSING, parse_numbers
from geo.tables.periods import PERIOD_COLUMNS
from geo.tables.read import read_table
from geo.tables.report import Issue, JoinReport
from geo.tables.resolution import REGION_COLUMNS, ColumnResolution, classify_column, resolve_column

__all__ = [
    "MISSING",
    "PERIOD_COLUMNS",
    "REGION_COLUMNS",
    "ColumnResolution",
    "Issue",
    "JoinReport",
    "classify_column",
    "parse_numbers",
    "read_table",
    "resolve_column",
]
