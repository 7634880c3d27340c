"""A time dimension: the values of one metric per year (or any period), classed together over all years.

``geo map --data t.csv --metric turnover --time year`` reads the table once (with a period column, found by its
name or given with ``--period``, each row is resolved to the unit of its date), splits it by the ``year`` column
and puts each year's values onto the regions through the same path as a single map
(:func:`geo.maps.data.metric_values`, so every spelling, aggregate and strictness rule holds for each year).
The classes are computed over the values of all years together and stay fixed, so that a colour means the
same amount in every year; the geometry is shipped once and the page swaps only the colours and tooltips.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.attach import TableOptions, check, rows_with_code
from geo.errors import TableError
from geo.join import select_rows
from geo.maps.data import metric_values

__all__ = ["MAX_FRAMES", "Timeline", "time_values"]

#: More periods than this would not fit a year control (or a page of small multiples).
MAX_FRAMES = 24


@dataclass(frozen=True)
class Timeline:
    """Values per period: ``values[i]`` (aligned with the regions) and ``notes[i]`` for ``frames[i]``."""

    column: str
    frames: tuple[str, ...]
    values: np.ndarray  # (n_frames, n_regions)
    notes: np.ndarray  # (n_frames, n_regions) of str
    metric: str


def _label(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def time_values(
    shown: gpd.GeoDataFrame,
    data: str | Path | pd.DataFrame,
    *,
    metric: str | None,
    time: str,
    options: TableOptions,
) -> Timeline:
    """The values of ``metric`` for each distinct value of the ``time`` column, on the regions ``shown``.

    The table is read once, with ``time`` among its keys (a region has one row per period) and, when the table has
    a period column (``year``/``date``/… by name, or ``options.period``), each row resolved to the unit of its date
    (East Kazakhstan in 2019 still held Abai); the report is judged once; ``where`` chooses the rows, and the
    periods are those of the rows chosen. A ``time`` column that is not a date (a scenario, ``2021-Q1``) still
    gives one frame per value, its rows read as today's units.

    Raises
    ------
    TableError
        No column ``time``, rows without a period, more than :data:`MAX_FRAMES` periods, or any error a
        single map of one period would raise (named with the period).
    GeoInputError
        ``where`` names a column the table lacks, or selects no row.
    """
    keys = tuple(options.keys) if time in options.keys else (*options.keys, time)
    options = replace(options, keys=keys)
    if metric is not None and options.numeric is None:
        options = replace(
            options, numeric=(metric,)
        )  # the period column stays as written ("2021-01/2021-07")
    try:
        table, report = options.read(data)
    except TableError as exc:  # the period column is a key now: say which option named it
        if f"no column {time!r};" in str(exc):
            raise TableError(
                str(exc).replace(f"no column {time!r};", f"no column {time!r} for --time;")
            ) from exc
        raise
    label = report.source
    check(report, strict=options.strict)
    if not options.strict:
        table, _ = rows_with_code(table, report)
    table = select_rows(table, options.where)
    periods = table[time]
    if periods.isna().any():
        row = int(
            periods.index[np.flatnonzero(periods.isna().to_numpy())[0]]
        )  # as read: before where/lenient
        msg = f"{label}: row {row + 1} has no {time!r}; every row of a --time table needs its period"
        raise TableError(msg)
    order = sorted(periods.unique(), key=lambda v: (isinstance(v, str), v))
    if len(order) > MAX_FRAMES:
        msg = f"{label}: {len(order)} distinct values in {time!r}; a year control shows at most {MAX_FRAMES}"
        raise TableError(msg)
    each = replace(options, where=None)  # rows chosen above
    values, notes, name = [], [], metric
    for period in order:
        part = table[periods.to_numpy() == period]
        part.attrs = table.attrs  # the key columns travel with the rows (geo.join carries them)
        try:
            frame, name = metric_values(shown, part, metric=metric, options=each, prepared=(part, report))
        except TableError as exc:
            raise TableError(f"{label}, {time} {_label(period)}: {exc}") from exc
        values.append(frame["value"].to_numpy(dtype=float))
        notes.append(frame["note"].to_numpy(dtype=object))
    return Timeline(time, tuple(_label(p) for p in order), np.vstack(values), np.vstack(notes), str(name))
