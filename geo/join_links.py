"""Region-pair tables as cross-border links between administrative centres (:func:`links_from_pairs`)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.attributes import LINK_ANCHOR, _centre_lines
from geo.catalog import catalog
from geo.errors import GeoInputError, TableError
from geo.tables import resolve_column

__all__ = ["links_from_pairs"]


_FROM = ["from", "from_code", "from_region", "origin", "source_region", "region_from", "откуда"]
_TO = ["to", "to_code", "to_region", "destination", "partner", "partner_region", "region_to", "куда"]


def _pick(table: pd.DataFrame, given: str | None, names: list[str], what: str) -> str:
    if given is not None:
        if given not in table.columns:
            msg = f"links: the table has no column {given!r} ({what}); columns are {list(table.columns)}"
            raise GeoInputError(msg)
        return given
    folded = {str(c).casefold(): c for c in table.columns}
    for name in names:
        if name in folded:
            return folded[name]
    msg = f"links: no {what} column found (looked for {', '.join(names)}); name it with {what}_column="
    raise GeoInputError(msg)


def links_from_pairs(
    table: pd.DataFrame,
    *,
    from_column: str | None = None,
    to_column: str | None = None,
    value: str | None = "value",
) -> gpd.GeoDataFrame:
    """Turn a region-pair table (from, to, value) into cross-border link lines.

    Parameters
    ----------
    table
        One row per pair; region names or codes in any spelling the catalogue resolves.
    from_column, to_column
        Columns of the two regions; by default ``from``/``to`` (or ``from_code``/``to_code``,
        ``origin``/``destination``, ``region``/``partner``…).
    value
        Numeric column carried as ``value`` (Float64; ``None`` for no value). Written numbers such as
        ``"1 234,5"`` are parsed as by :func:`geo.read_table`.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per input row: ``from_code``, ``to_code``, ``from_name``, ``to_name``, ``value``,
        the table's other columns, ``anchor`` (``"administrative centre"``) and a LineString between the two
        regions' administrative centres (the catalogue's, so units created in 2018/2022 have their own).

    Raises
    ------
    GeoInputError
        A region that does not resolve (unknown or ambiguous, with row and suggestion), a pair of one region
        with itself, a missing column, or a value that is not a number.
    """
    from geo.tables import parse_numbers

    if not isinstance(table, pd.DataFrame) or table.empty:
        msg = "links: the pair table is empty"
        raise TableError(msg)
    table = table.reset_index(drop=True)
    a = _pick(table, from_column, _FROM, "from")
    b = _pick(table, to_column, _TO, "to")
    resolved = {}
    for col in (a, b):
        codes, issues = resolve_column(table[col], column=col, context=False)
        problems = [*issues["unknown"], *issues["ambiguous"], *issues["missing_region"]]
        if problems:
            msg = f"links: {problems[0].describe(line_offset=None)}" + (
                f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
            )
            raise GeoInputError(msg)
        resolved[col] = codes.astype(str)
    same = (resolved[a] == resolved[b]).to_numpy()
    if same.any():
        row = int(np.flatnonzero(same)[0]) + 1
        msg = f"links: row {row} pairs {resolved[a][row - 1]} with itself"
        raise GeoInputError(msg)
    cat = catalog().table
    out = pd.DataFrame(
        {
            "from_code": resolved[a].to_numpy(),
            "to_code": resolved[b].to_numpy(),
            "from_name": cat.loc[resolved[a], "name_en"].to_numpy(),
            "to_name": cat.loc[resolved[b], "name_en"].to_numpy(),
        }
    )
    if value is not None:
        if value not in table.columns:
            msg = f"links: the table has no value column {value!r}; pass value=None for links without values"
            raise GeoInputError(msg)
        numbers, bad, ambiguous = parse_numbers(table[value])
        if (bad | ambiguous).any():
            row = int(np.flatnonzero((bad | ambiguous).to_numpy())[0]) + 1
            msg = f"links: row {row}, column {value!r}: {table[value].iloc[row - 1]!r} is not a clear number"
            raise GeoInputError(msg)
        out["value"] = numbers.to_numpy()
    rest = [c for c in table.columns if c not in (a, b, value) and c not in out.columns]
    for col in rest:
        out[col] = table[col].to_numpy()
    out["anchor"] = LINK_ANCHOR
    return gpd.GeoDataFrame(out, geometry=_centre_lines(out["from_code"], out["to_code"]), crs="EPSG:4326")
