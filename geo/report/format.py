"""How figures are written on profile pages and atlas pages: one function per kind, used by both.

Tests format the API's own numbers (:func:`geo.areas_km2`, :func:`geo.border_pairs`) with these functions and
look for the result on each page, so the pages and the API cannot drift apart.
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["area_text", "km_text", "value_text"]


def area_text(area_km2: float | None) -> str:
    """``125,108 km²``; ``"no polygon of its own"`` when the unit has none."""
    if area_km2 is None:
        return "no polygon of its own"
    return f"{area_km2:,.0f} km²"


def km_text(length_km: float) -> str:
    """``859.2 km`` (geodesic lengths to a tenth of a kilometre)."""
    return f"{length_km:,.1f} km"


def value_text(value: object) -> str:
    """A number from a table as printed: thousands separated, no trailing ``.0``; missing as empty."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number) and number == round(number):
            return f"{number:,.0f}"
        return f"{number:,.2f}".rstrip("0").rstrip(".")
    return str(value)
