"""Checks of what :func:`geo.locate` is given: options, coordinate columns and coordinate ranges.

Every bad value is a :class:`~geo.errors.GeoInputError` naming the option (or column and rows) and what is
expected, never a traceback from pandas or pyproj and never a silent coercion: booleans, complex numbers and
dates are not coordinates, and a NaN or infinite tolerance is refused instead of marking every point outside.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo.errors import GeoInputError

__all__ = ["MAX_TOLERANCE_M", "check_crs", "check_range", "check_tolerance", "coordinates"]

#: Largest ``tolerance_m`` accepted (1,000 km: wider than any region is meaningless).
MAX_TOLERANCE_M = 1_000_000.0


def check_tolerance(tolerance_m: object) -> float:
    """``tolerance_m`` as a float, or an error unless it is a finite real number in 0 … 1,000,000 m."""
    if isinstance(tolerance_m, bool | np.bool_) or not isinstance(tolerance_m, numbers.Real):
        msg = f"tolerance_m must be a number of metres (e.g. 1000), not {tolerance_m!r}"
        raise GeoInputError(msg)
    try:
        value = float(tolerance_m)
    except OverflowError:  # an int beyond the float range
        value = math.inf
    if not math.isfinite(value) or not 0 <= value <= MAX_TOLERANCE_M:
        msg = f"tolerance_m must be a finite number of metres from 0 to {MAX_TOLERANCE_M:,.0f}, not {value!r}"
        raise GeoInputError(msg)
    return value


def check_crs(crs: object) -> CRS | None:
    """``crs`` parsed by pyproj, or an error naming it (unknown code, unreadable text, wrong type)."""
    if crs is None:
        return None
    if isinstance(crs, bool) or not isinstance(crs, str | int | CRS | dict):
        msg = f"crs must be a CRS such as 'EPSG:32641', not {crs!r}"
        raise GeoInputError(msg)
    try:
        return CRS.from_user_input(crs)
    except (CRSError, TypeError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        msg = f"unknown crs {crs!r} ({reason}); give one pyproj knows, e.g. 'EPSG:4326' or 'EPSG:32641'"
        raise GeoInputError(msg) from exc


def coordinates(points: pd.DataFrame, lon: object, lat: object) -> tuple[np.ndarray, np.ndarray]:
    """The ``lon`` and ``lat`` columns as float arrays; an error names the column and rows of bad values."""
    if lon == lat:
        msg = f"lon and lat both name column {lon!r}; give the longitude and the latitude column"
        raise GeoInputError(msg)
    for col in (lon, lat):
        if col not in points.columns:
            msg = (
                f"no column {col!r} for {'longitude' if col == lon else 'latitude'}; columns are "
                f"{', '.join(map(repr, points.columns))}; name them with lon=…, lat=…"
            )
            raise GeoInputError(msg)
        count = int((points.columns == col).sum())
        if count > 1:
            msg = f"column {col!r} appears {count} times; keep one (or rename the others) before locating"
            raise GeoInputError(msg)
    return _numbers(points, lon), _numbers(points, lat)


def _numbers(points: pd.DataFrame, col: object) -> np.ndarray:
    series = points[col]
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_complex_dtype(dtype):
        kind = "booleans" if pd.api.types.is_bool_dtype(dtype) else "complex numbers"
        msg = f"column {col!r} holds {kind} ({dtype}), not coordinates; give numbers in degrees (or crs=…)"
        raise GeoInputError(msg)
    text = pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
    if not (pd.api.types.is_numeric_dtype(dtype) or text) or (isinstance(dtype, pd.CategoricalDtype)):
        msg = f"column {col!r} has type {dtype}, not numbers; give coordinates as numbers (or numeric text)"
        raise GeoInputError(msg)
    if text:
        odd = np.flatnonzero([isinstance(v, bool | np.bool_ | complex | np.complexfloating) for v in series])
        if odd.size:
            msg = (
                f"column {col!r}: {odd.size} row(s) hold booleans or complex numbers, not coordinates: rows "
                f"{_rows_shown(series, odd)}"
            )
            raise GeoInputError(msg)
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.flatnonzero(np.isnan(values))
    if bad.size:
        msg = (
            f"column {col!r}: {bad.size} row(s) without a usable number: rows {_rows_shown(series, bad)}; fix or "
            "drop them before locating"
        )
        raise GeoInputError(msg)
    return values


def _rows_shown(series: pd.Series, rows: np.ndarray, most: int = 10) -> str:
    """The first ``most`` of ``rows`` as "3 ('x'), 7 (True)" (1-based, with their values), "…" after more."""
    shown = ", ".join(f"{r + 1} ({series.iloc[r]!r})" for r in rows[:most])
    return shown + (" …" if rows.size > most else "")


def check_range(
    x: np.ndarray, y: np.ndarray, *, swap_hint: str, other_hint: str, row: np.ndarray | None = None
) -> None:
    """Raise naming the rows whose longitude is beyond ±180 or latitude beyond ±90 (or not finite).

    ``row`` maps each coordinate to its (0-based) row when a row has several coordinates (lines, polygons).
    """
    bad = ~((np.abs(x) <= 180) & (np.abs(y) <= 90))  # NaN and inf (failed transformations) are bad too
    if not bad.any():
        return
    idx = np.flatnonzero(bad)
    rows, first = np.unique(idx if row is None else row[idx], return_index=True)
    shown = ", ".join(
        f"{r + 1} (lon {x[i]:g}, lat {y[i]:g})" for r, i in zip(rows[:10], idx[first[:10]], strict=True)
    )
    bx, by = x[idx], y[idx]
    swapped = (np.abs(by) > 90).any() and (np.abs(bx) <= 90).all() and (np.abs(by) <= 180).all()
    msg = (
        f"{rows.size} row(s) out of range: rows {shown}{' …' if rows.size > 10 else ''}; "
        f"{swap_hint if swapped else other_hint}"
    )
    raise GeoInputError(msg)
