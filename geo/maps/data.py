"""What the map shows: the default metric (shared border length), user tables, projects, links, sources.

A user's table goes through :func:`geo.tables.read_table` (any spelling of a region resolves to its code) and
:func:`geo.join.join` (units without a polygon of their own land on the polygon that holds them, summed only
when the caller says the measure is additive), so the map shows exactly what a join in a notebook would give.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.attach import TableOptions, attach
from geo.errors import GeoInputError, TableError
from geo.maps.i18n import text
from geo.tables import JoinReport

__all__ = ["default_metric", "load_links", "load_projects", "metric_values", "short_sources"]

#: Unit guessed from the end of a column name when none is given.
_UNIT_SUFFIXES = {
    "_km2": "km²",
    "_km": "km",
    "_usd_mn": "million USD",
    "_usd": "USD",
    "_pct": "%",
    "_percent": "%",
    "_share": "%",
    "_count": "",
    "_n": "",
}


def guess_unit(column: str) -> str:
    """A unit guessed from a column name (``length_km`` -> ``km``); empty when nothing fits."""
    for suffix, unit in _UNIT_SUFFIXES.items():
        if column.lower().endswith(suffix):
            return unit
    return ""


def default_metric(
    every: gpd.GeoDataFrame, shown: gpd.GeoDataFrame, *, lang: str = "en", pairs: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Shared border length with the other country per region (geodesic km), for the default choropleth.

    Parameters
    ----------
    every
        All regions of both countries at full resolution (lengths are measured on them, not on the web copy).
    shown
        The regions on the map.
    lang
        Language of the notes.
    pairs
        :func:`geo.analysis.border_pairs` of ``every``, when measured already.

    Returns
    -------
    pandas.DataFrame
        ``value`` (km, ``0`` for regions that do not touch the other country) and ``note`` (regions touching it
        at a single point say so), indexed like ``shown``.
    """
    if pairs is None:
        from geo.analysis import border_pairs

        pairs = border_pairs(every)
    length = pd.concat(
        [pairs.groupby("ru_code")["length_km"].sum(), pairs.groupby("kz_code")["length_km"].sum()]
    )
    points = set(pairs.loc[pairs["contact"] == "point", "ru_code"]) | set(
        pairs.loc[pairs["contact"] == "point", "kz_code"]
    )
    values = shown["code"].map(length).fillna(0.0).round(0)
    note = text(lang)["point_contact"]
    notes = shown["code"].map(lambda c: note if c in points and length.get(c, 0) == 0 else "")
    return pd.DataFrame({"value": values.to_numpy(), "note": notes.to_numpy()}, index=shown.index)


def metric_values(
    shown: gpd.GeoDataFrame,
    data: str | Path | pd.DataFrame,
    *,
    metric: str | None,
    options: TableOptions | None = None,
    text: bool = False,
    prepared: tuple[pd.DataFrame, JoinReport] | None = None,
) -> tuple[pd.DataFrame, str]:
    """The values of ``metric`` from a user's table, put onto the regions shown by :func:`geo.attach.attach`.

    Parameters
    ----------
    shown
        Regions on the map (:func:`geo.regions` columns).
    data
        Table path (CSV, Excel, Parquet) or DataFrame with a region column (any spelling).
    metric
        Numeric column to map; may be omitted when the table has exactly one numeric column.
    options
        How the table is read and joined (:class:`geo.attach.TableOptions`; strict by default). Units without
        a polygon of their own are added to the polygon that holds them only when ``metric`` is in
        ``options.additive``; otherwise such a unit is an error, never summed silently.
    text
        Accept a text column too (a categorical choropleth): its values are returned as text.
    prepared
        ``options.read(data)`` done already (rows of one period of a table read once): not read again.

    Returns
    -------
    (pandas.DataFrame, str)
        ``value`` (float, NaN where the table has none) and ``note`` (what was combined) indexed like
        ``shown``; and the metric column's name.

    Raises
    ------
    TableError
        Unreadable table, metric missing or not numeric, or (strict) a table whose report has problems.
    """
    options = options or TableOptions()
    table, report = prepared if prepared is not None else options.read(data)
    label = report.source
    if metric is None:
        numeric = list(report.numeric_columns)
        if len(numeric) != 1:
            msg = (
                f"{label}: name the column to map with --metric (numeric columns: "
                f"{', '.join(numeric) or 'none'})"
            )
            raise TableError(msg)
        metric = numeric[0]
    if metric not in table.columns:
        msg = (
            f"{label}: no column {metric!r} to map; numeric columns: "
            f"{', '.join(report.numeric_columns) or 'none'}"
        )
        raise TableError(msg)
    is_number = metric in report.numeric_columns and pd.api.types.is_numeric_dtype(table[metric])
    bad = [i for i in report.non_numeric if getattr(i, "column", None) == metric]
    if not is_number and (bad or not text):  # numbers with some unreadable cells are a defect, not categories
        hint = f" (e.g. {bad[0]})" if bad else ""
        msg = f"{label}: column {metric!r} is not numeric{hint}; --metric needs a column of numbers"
        raise TableError(msg)
    joined = attach(
        shown[["code", "geometry"]], data, options=options, columns=[metric], prepared=(table, report)
    )
    joined = joined.regions
    joined = joined.set_index("code")
    joined = _onto_parts(joined, set(shown["code"]))
    mapped = shown["code"].map(joined[metric])
    values = (
        pd.to_numeric(mapped, errors="coerce").astype(float)
        if is_number
        else mapped.map(lambda v: None if v is None or v != v or str(v).strip() == "" else str(v)).astype(
            object
        )
    )
    notes = shown["code"].map(joined["merged_note"]).fillna("")
    return pd.DataFrame({"value": values.to_numpy(), "note": notes.to_numpy()}, index=shown.index), metric


def _onto_parts(joined: pd.DataFrame, drawn: set[str]) -> pd.DataFrame:
    """Rows of former units (East Kazakhstan in 2019, with Abai) copied onto each of their parts drawn today.

    :func:`geo.join` draws a former unit on the union of its parts; a map keeps today's polygons (the geometry of
    a year control is the same for every year), so each part shows the unit's value, and the note says that it
    is the value of the whole former unit.
    """
    if "unit_parts" not in joined.columns:
        return joined
    from geo.catalog import catalog

    cat = catalog()
    extra = []
    for code, row in joined.iterrows():
        parts = [p for p in str(row["unit_parts"]).split(";") if p and p != code]
        spread = [p for p in parts if p in drawn and p not in joined.index]
        if not spread:  # one polygon for the whole unit (e.g. boundaries of its time): nothing to say
            continue
        note = f"value of {cat.describe(code)} as it was then, one unit with " + ", ".join(
            map(cat.describe, parts)
        )
        joined.loc[code, "merged_note"] = "; ".join(n for n in (row["merged_note"], note) if n)
        extra += [joined.loc[[code]].rename(index={code: part}) for part in spread]
    return pd.concat([joined, *extra]) if extra else joined


def _via_loader(path: Path, name: str, loader) -> gpd.GeoDataFrame:
    """Run a ``geo.attributes`` loader on a user's CSV (which may have any file name)."""
    if path.name == name:
        return loader(directory=path.parent)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copyfile(path, Path(tmp) / name)
        try:
            return loader(directory=tmp)
        except GeoInputError as exc:
            raise GeoInputError(str(exc).replace(str(Path(tmp) / name), str(path))) from exc


def load_projects(source: bool | str | Path | gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    """Projects to draw, from any of the sources a caller may give.

    ``True`` the shipped ones, a CSV in the ``projects.csv`` format, a vector file or GeoDataFrame (with ``name_en``
    and ``type``), ``None``/``False`` none.
    """
    from geo import attributes

    if source is None or source is False:
        return None
    if source is True:
        return attributes.projects()
    if isinstance(source, gpd.GeoDataFrame):
        return source.to_crs("EPSG:4326") if source.crs else source.set_crs("EPSG:4326")
    path = Path(source)
    if not path.exists():
        msg = f"{path}: no such projects file"
        raise GeoInputError(msg)
    if path.suffix.lower() == ".csv":
        return _via_loader(path, "projects.csv", attributes.projects)
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types
        msg = f"{path}: not a CSV or vector file ({str(exc).splitlines()[0]})"
        raise GeoInputError(msg) from exc
    return gdf.to_crs("EPSG:4326") if gdf.crs else gdf.set_crs("EPSG:4326")


def load_links(source: bool | str | Path | gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    """Links to draw: ``True`` the shipped ones, a CSV in the ``links.csv`` format or a GeoDataFrame."""
    from geo import attributes

    if source is None or source is False:
        return None
    if source is True:
        return attributes.links()
    if isinstance(source, gpd.GeoDataFrame):
        return source
    path = Path(source)
    if not path.exists():
        msg = f"{path}: no such links file"
        raise GeoInputError(msg)
    return _via_loader(path, "links.csv", attributes.links)


def short_sources(frames: list[pd.DataFrame | None]) -> list[str]:
    """Distinct short names of the publications in the ``source`` columns ("S-2019", "UK Hansard", …)."""
    names: set[str] = set()
    for df in frames:
        if df is None or "source" not in df:
            continue
        for cell in df["source"].dropna().astype(str):
            for part in cell.split(" | "):
                short = re.split(r"[:(,]| - ", part)[0].strip().strip('"')
                if short:
                    names.add(short)
    return sorted(names, key=str.casefold)


def finite_or_nan(values: pd.Series) -> np.ndarray:
    """Values as a float array with missing values as NaN."""
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
