"""The account of merged units: which codes were combined onto a polygon (``merged_units``) and how, in words.

:func:`geo.join` combines rows onto a polygon that stands for several units (a former unit, or a user's file drawn
before the reforms); these helpers keep that account as data (tuples of codes) and merge two joins' accounts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeAlias

import pandas as pd

from geo.catalog import catalog

__all__ = ["Aggregation", "merge_accounts", "merge_notes", "units_of"]

#: How a column is combined: a pandas aggregation name or a function of a Series.
Aggregation: TypeAlias = str | Callable[[pd.Series], object]


def units_of(values: pd.Series) -> pd.Series:
    """``merged_units`` as tuples of codes (empty where nothing was combined)."""
    return pd.Series(
        [tuple(v) if isinstance(v, tuple | list) else () for v in values], index=values.index, dtype=object
    )


def merge_accounts(a: pd.DataFrame, b: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Two joins' ``merged_units``/``merged_note`` for the same rows, combined (codes and notes once each).

    Parameters
    ----------
    a, b
        Frames with ``merged_units`` (tuples of codes) and ``merged_note`` (text), aligned row by row.

    Returns
    -------
    (pandas.Series, pandas.Series)
        The union of the codes (order kept) and the distinct notes joined by ``"; "``, indexed like ``b``.
    """
    units = [
        tuple(dict.fromkeys((*units_of(pd.Series([x]))[0], *units_of(pd.Series([y]))[0])))
        for x, y in zip(a["merged_units"], b["merged_units"], strict=True)
    ]
    notes = [
        "; ".join(dict.fromkeys(n for n in (x, y) if isinstance(n, str) and n))
        for x, y in zip(a["merged_note"], b["merged_note"], strict=True)
    ]
    return pd.Series(units, index=b.index, dtype=object), pd.Series(notes, index=b.index, dtype=str)


def merge_notes(
    codes: pd.Series, target: pd.Series, additive: set[str], aggregate: Mapping[str, Aggregation]
) -> pd.DataFrame:
    """``merged_units`` (tuples of codes) and ``merged_note`` (words) per polygon that rows were combined onto."""
    cat = catalog()
    rows = {}
    how = []
    if additive:
        how.append(f"{', '.join(sorted(additive))} summed")
    how += [
        f"{c}: {f if isinstance(f, str) else getattr(f, '__name__', 'function')}"
        for c, f in aggregate.items()
    ]
    pairs = pd.DataFrame({"polygon": target.to_numpy(dtype=object), "unit": codes.to_numpy(dtype=object)})
    counts = pairs.groupby("polygon").size()
    pairs = pairs.drop_duplicates()
    for polygon, units in pairs.groupby("polygon", sort=True)["unit"]:
        present = list(units)
        inside = sorted(c for c in present if c != polygon)
        distinct = [polygon, *inside] if polygon in present else inside  # the polygon's own unit first
        if inside:
            names = ", ".join(cat.describe(c) for c in inside)
            text = (
                " + ".join(cat.describe(c) for c in distinct) + f" combined on the polygon of "
                f"{cat.describe(polygon)} ({names}: no polygon of its own in these boundaries)"
            )
            if polygon not in distinct:
                text += f"; the table has no row for {cat.describe(polygon)} itself: partial"
        else:
            text = f"{counts[polygon]} rows combined"
        if how:
            text += "; " + "; ".join(how)
        rows[polygon] = (tuple(distinct), text)
    return pd.DataFrame.from_dict(rows, orient="index", columns=["merged_units", "merged_note"])
