"""Total rows of a table checked against their parts: does the country total equal the sum of its regions?

Statistical tables print totals between their regions ("Республика Казахстан", federal districts, Tyumen Oblast
with its okrugs). They are never joined as regions (:mod:`geo.aggregates`); where the table also has every part of
a total (for the same key values: the same year), the report compares the total with the sum of its parts, per
numeric column, and says the difference. A former unit counts with its parts ("East Kazakhstan" 2019 covers
KZ-63 and KZ-10), so a total of 2019 is compared with the 2019 regions. This is information: published totals
differ from sums by rounding, confidential cells and territories the catalogue does not carry (the aggregate's
``outside``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geo.catalog import catalog
from geo.tables.periods import unit_parts
from geo.tables.report import Issue

__all__ = ["compare_totals"]

#: At most this many parts are named when some are missing.
MAX_NAMED = 3


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
    # Rows with no value at all (a unit listed before it existed, its cells empty) stand for nothing.
    valued = df[list(numeric)].notna().any(axis=1).to_numpy() if numeric else np.ones(len(df), dtype=bool)
    region_rows = np.flatnonzero(units.notna().to_numpy() & aggregates.isna().to_numpy() & valued)
    unit_values = units.to_numpy(dtype=object)
    out = []
    for i in agg_rows:
        agg = cat.aggregates[str(aggregates.iloc[i])]
        members = set(agg.members)
        rows = [r for r in region_rows if group_of[r] == group_of[i]]
        covered: list[str] = []
        used = []
        for r in rows:
            parts = unit_parts(str(unit_values[r]))
            if set(parts) <= members:
                covered += parts
                used.append(r)
        label = str(df[column].iloc[i])
        where = "".join(f", {k}={df[k].iloc[i]}" for k in keys)
        missing = sorted(members - set(covered))
        if len(covered) != len(set(covered)):
            text = "its parts appear more than once for the same keys; not compared"
        elif missing:
            names = ", ".join(cat.describe(c) for c in missing[:MAX_NAMED])
            more = f" and {len(missing) - MAX_NAMED} more" if len(missing) > MAX_NAMED else ""
            have = len(members) - len(missing)
            text = f"{have} of its {len(members)} parts are in the table (no {names}{more}); not compared"
        else:
            checks = []
            for col in numeric:
                total = df[col].iloc[i]
                parts = df[col].iloc[used]
                if pd.isna(total):
                    continue
                if parts.isna().any():
                    checks.append(f"{col}: {int(parts.isna().sum())} part(s) have no value, not compared")
                    continue
                s = float(parts.sum())
                diff = float(total) - s
                if diff == 0:
                    checks.append(f"{col}: the parts sum to the total ({_number(s)})")
                else:
                    pct = f" ({100 * diff / float(total):+.2f} %)" if float(total) else ""
                    checks.append(
                        f"{col}: total {_number(float(total))}, sum of the parts {_number(s)}, "
                        f"difference {diff:+,.6g}{pct}"
                    )
            if not checks:
                continue
            text = "; ".join(checks)
            if agg.outside:
                text += f" (the publisher's total may also count: {agg.outside})"
        out.append(Issue("total_check", f"{label}{where}", [int(i) + 1], 1, column, text))
    return out
