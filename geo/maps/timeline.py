"""A time dimension: the values of one metric per year (or any period), classed together over all years.

``geo map --data t.csv --metric turnover --time year`` reads the table once, splits it by the ``year`` column
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

from geo.attach import TableOptions
from geo.errors import TableError
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

    Raises
    ------
    TableError
        No column ``time``, rows without a period, more than :data:`MAX_FRAMES` periods, or any error a
        single map of one period would raise (named with the period).
    """
    if metric is not None and options.numeric is None:
        options = replace(
            options, numeric=(metric,)
        )  # the period column stays as written ("2021-01/2021-07")
    table, report = options.read(data)
    label = report.source
    if time not in table.columns:
        msg = f"{label}: no column {time!r} for --time; columns: {', '.join(map(str, table.columns))}"
        raise TableError(msg)
    periods = table[time]
    if periods.isna().any():
        row = int(np.flatnonzero(periods.isna().to_numpy())[0])
        msg = f"{label}: row {row + 1} has no {time!r}; every row of a --time table needs its period"
        raise TableError(msg)
    order = sorted(periods.unique(), key=lambda v: (isinstance(v, str), v))
    if len(order) > MAX_FRAMES:
        msg = f"{label}: {len(order)} distinct values in {time!r}; a year control shows at most {MAX_FRAMES}"
        raise TableError(msg)
    raw = table.drop(columns=[c for c in ("code",) if c in table.columns])
    values, notes, name = [], [], metric
    for period in order:
        part = raw[periods.to_numpy() == period].drop(columns=[time]).reset_index(drop=True)
        try:
            frame, name = metric_values(shown, part, metric=metric, options=options)
        except TableError as exc:
            raise TableError(f"{label}, {time} {_label(period)}: {exc}") from exc
        values.append(frame["value"].to_numpy(dtype=float))
        notes.append(frame["note"].to_numpy(dtype=object))
    return Timeline(time, tuple(_label(p) for p in order), np.vstack(values), np.vstack(notes), str(name))
