"""Total rows of a table checked against their parts: does a country total equal the sum of its regions.

Statistical tables print totals between their regions ("Республика Казахстан", federal districts, Tyumen Oblast
with its okrugs). They are never joined as regions (:mod:`geo.aggregates`); where the table also has every part of
a total (for the same key values: the same year), the report compares the total with the sum of its parts, per
numeric column, and says the difference. A former unit counts with its parts ("East Kazakhstan" 2019 covers
KZ-63 and KZ-10), so a total of 2019 is compared with the 2019 regions. This is information: published totals
differ from sums by rounding, confidential cells and territories the catalogue does not carry (the aggregate's
``outside``).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.aggregates import Aggregate
from geo.catalog import catalog
from geo.tables.periods import unit_parts
from geo.tables.report import MAX_ROWS, Issue

__all__ = ["compare_totals"]

#: At most this many parts are named when some are missing.
MAX_NAMED = 3
#: At most this many totals are compared (a table of records may repeat its totals thousands of times).
MAX_CHECKS = 200


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 1000 else f"{x:,.3g}"


def compare_totals(
    df: pd.DataFrame,
    aggregates: pd.Series,
    units: pd.Series,
    numeric: Sequence[str],
    keys: Sequence[str],
    column: str,
) -> list[Issue]:
    """One ``"total_check"`` issue per total row: its comparison with the sum of its parts, or why there is none.

    Parameters
    ----------
    df
        The table (numeric columns already parsed).
    aggregates
        Aggregate id per row (``<NA>`` on region rows).
    units
        Unit id per row (``<NA>`` where unresolved); a former unit stands for its parts.
    numeric
        The numeric columns to compare.
    keys
        Key columns (the period first): a total is compared with the rows of its own key values.
    column
        The region column, for the issues.
    """
    cat = catalog()
    agg_rows = np.flatnonzero(aggregates.notna().to_numpy())
    if agg_rows.size == 0:
        return []
    keys = [k for k in keys if k in df.columns]
    group_of = (
        df.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
        if keys
        else np.zeros(len(df), dtype=np.int64)
    )
    numeric = list(numeric)
    # Rows with no value at all (a unit listed before it existed, its cells empty) stand for nothing.
    valued = df[numeric].notna().any(axis=1).to_numpy() if numeric else np.ones(len(df), dtype=bool)
    region_rows = np.flatnonzero(units.notna().to_numpy() & aggregates.isna().to_numpy() & valued)
    # Everything per (key group, unit) once: row counts, sums and missing cells (vectorised over the rows).
    unit_of, unit_names = pd.factorize(units, use_na_sentinel=True)  # ints to group on, names once each
    reg = pd.DataFrame({"g": group_of[region_rows], "u": unit_of[region_rows]})
    values = df[numeric].iloc[region_rows].reset_index(drop=True)
    by = [reg["g"], reg["u"]]
    counts = reg.groupby(["g", "u"]).size()
    sums = values.groupby(by).sum(min_count=1) if numeric else None
    nas = values.isna().groupby(by).sum() if numeric else None
    totals = pd.DataFrame(
        {"g": group_of[agg_rows], "a": aggregates.to_numpy(dtype=object)[agg_rows], "row": agg_rows}
    )
    out: list[Issue] = []
    for (g, agg_id), rows in totals.groupby(["g", "a"], sort=False)["row"]:
        if len(out) >= MAX_CHECKS:
            break
        agg = cat.aggregates[str(agg_id)]
        i = int(rows.iloc[0])
        label = str(df[column].iloc[i])
        where = "".join(f", {k}={df[k].iloc[i]}" for k in keys)
        stats = _Parts(counts, sums, nas, unit_names)
        text = _compare(agg, g, len(rows), stats, {c: df[c].iloc[i] for c in numeric})
        if text:
            out.append(
                Issue(
                    "total_check",
                    f"{label}{where}",
                    [r + 1 for r in rows.iloc[:MAX_ROWS]],
                    len(rows),
                    column,
                    text,
                )
            )
    return out


@dataclass(frozen=True)
class _Parts:
    """Per (key group, unit): rows, sums and missing cells of the numeric columns; the unit names."""

    counts: pd.Series
    sums: pd.DataFrame | None
    nas: pd.DataFrame | None
    names: pd.Index


def _compare(agg: Aggregate, g: int, copies: int, stats: _Parts, total_values: dict[str, object]) -> str:
    """The comparison of one total with its parts in key group ``g``, in words ('' for nothing)."""
    cat = catalog()
    counts, sums, nas, unit_names = stats.counts, stats.sums, stats.nas, stats.names
    if copies > 1:
        return f"the total appears {copies} times for the same keys (name them with keys=…); not compared"
    members = set(agg.members)
    here = counts.loc[g] if g in counts.index.get_level_values(0) else pd.Series(dtype=int)
    covered: list[str] = []
    used = []
    for u, n in here.items():
        parts = unit_parts(str(unit_names[u]))
        if set(parts) <= members:
            covered += list(parts) * int(n)
            used.append(u)
    missing = sorted(members - set(covered))
    if len(covered) != len(set(covered)):
        return "its parts appear more than once for the same keys; not compared"
    if missing:
        names = ", ".join(cat.describe(c) for c in missing[:MAX_NAMED])
        more = f" and {len(missing) - MAX_NAMED} more" if len(missing) > MAX_NAMED else ""
        have = len(members) - len(missing)
        return f"{have} of its {len(members)} parts are in the table (no {names}{more}); not compared"
    checks = []
    for col, total in total_values.items():
        if pd.isna(total):
            continue
        # total_values holds one cell per numeric column, and sums/nas exist whenever there are numeric columns.
        assert sums is not None and nas is not None
        # compare_totals gets df with its numeric columns parsed, so a non-missing cell there is a number.
        assert isinstance(total, numbers.Real), total
        gaps = int(nas.loc[[(g, u) for u in used], col].sum())
        if gaps:
            checks.append(f"{col}: {gaps} part(s) have no value, not compared")
            continue
        s = float(sums.loc[[(g, u) for u in used], col].sum())
        diff = float(total) - s
        if diff == 0:
            checks.append(f"{col}: the parts sum to the total ({_number(s)})")
        else:
            pct = f" ({100 * diff / float(total):+.2f} %)" if float(total) else ""
            checks.append(
                f"{col}: total {_number(float(total))}, sum of the parts {_number(s)}, difference {diff:+,.6g}{pct}"
            )
    if not checks:
        return ""
    text = "; ".join(checks)
    if agg.outside:
        text += f" (the publisher's total may also count: {agg.outside})"
    return text
