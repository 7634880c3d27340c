"""Coordinate rounding for exports that never writes invalid geometry.

Rounding each vertex on its own (``numpy.round``) can fold a polygon over itself at coarse precisions: a ring
crosses itself, or two parts overlap. Polygons are therefore rounded with GEOS snap-rounding
(``shapely.set_precision``), which keeps them valid and, applied to a coverage, keeps neighbours edge-matched. A
polygon too small for the grid would vanish; that is refused with the regions named and the precision that keeps
them, rather than silently written as an empty geometry.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely

from geo.errors import GeoInputError

__all__ = ["round_geometries"]

#: Above this many decimals snap-rounding would exceed double precision (1e-13° x 180°): plain rounding is exact
#: enough there and any rare invalid result is repaired by ``make_valid``.
_SNAP_MAX = 12


def round_geometries(geoms: np.ndarray, precision: int, *, labels: Sequence[str] | None = None) -> np.ndarray:
    """Round coordinates to ``precision`` decimals; lines and polygons stay valid and non-empty, or an error.

    Parameters
    ----------
    geoms
        Geometries (no missing ones) in lon/lat.
    precision
        Decimal places, 0–15.
    labels
        Names of the geometries for the error message (e.g. region codes).

    Returns
    -------
    numpy.ndarray
        The rounded geometries, every one valid.

    Raises
    ------
    GeoInputError
        A polygon would vanish at this precision (the message names it and the smallest precision that keeps
        every polygon).
    """
    geoms = np.asarray(geoms, dtype=object)
    polygonal = np.isin(shapely.get_type_id(geoms), [1, 2, 3, 5, 6])  # lines and polygons
    try:
        rounded = shapely.remove_repeated_points(shapely.transform(geoms, lambda xy: np.round(xy, precision)))
        snap = not shapely.is_valid(rounded[polygonal]).all()
    except shapely.errors.GEOSException:  # a ring rounded to fewer than 4 points cannot even be built
        rounded, snap = geoms.copy(), True
    if snap:
        if precision <= _SNAP_MAX:
            try:
                rounded[polygonal] = shapely.set_precision(geoms[polygonal], 10.0**-precision)
            except shapely.errors.GEOSException:  # the grid is far coarser than the features
                msg = (
                    f"precision {precision} ({10.0**-precision:g}° grid) is too coarse for these geometries; "
                    f"use a precision of {_first_that_works(geoms[polygonal], precision)} or more"
                )
                raise GeoInputError(msg) from None
        else:
            rounded[polygonal] = shapely.make_valid(rounded[polygonal])
    lost = polygonal & shapely.is_empty(rounded) & ~shapely.is_empty(geoms)
    if lost.any():
        names = [str(labels[int(i)]) if labels is not None else f"#{i}" for i in np.flatnonzero(lost)]
        keep = _first_that_works(geoms[lost], precision)
        msg = (
            f"precision {precision} ({10.0**-precision:g}° grid) would erase {', '.join(names)}; "
            f"use a precision of {keep} or more"
        )
        raise GeoInputError(msg)
    invalid = ~shapely.is_valid(rounded)
    if invalid.any():  # pragma: no cover - snap-rounding returns valid polygons; kept as a last guard
        names = [str(labels[int(i)]) if labels is not None else f"#{i}" for i in np.flatnonzero(invalid)]
        msg = f"precision {precision} gives invalid geometry for {', '.join(names)}; use a higher precision"
        raise GeoInputError(msg)
    return rounded


def _first_that_works(geoms: np.ndarray, precision: int) -> int:
    """The smallest precision above ``precision`` at which snap-rounding keeps every geometry non-empty."""
    for p in range(precision + 1, _SNAP_MAX + 1):
        try:
            if not shapely.is_empty(shapely.set_precision(geoms, 10.0**-p)).any():
                return p
        except shapely.errors.GEOSException:
            continue
    return _SNAP_MAX + 1
