"""The shipped attribute tables of ``data/attributes/``: projects, region-pair links, trade and cooperation.

Every value in these tables comes from a named public source (see ``data/attributes/README.md``); an empty
cell means *unknown*, never zero. The loaders read every cell as text and convert the numeric columns
themselves, so an empty cell becomes a missing value (``<NA>``), never a number, and a cell that is not a
number is an error in the shipped data rather than something coerced silently. Text columns stay plain
strings, empty where the source gives nothing; whoever renders them (maps, exports) escapes them.

Locations are never invented. ``projects()`` places an item only where a source publishes coordinates
(``geometry_quality="published"``), draws a schematic line through named city waypoints (``"schematic"``),
or puts it at the administrative centre of the region or the city named in ``anchor`` (``"region"``); the
column ``placed_at`` says which, in words a map can show. An item known only by country gets no geometry.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo._paths import data_dir
from geo.catalog import catalog
from geo.errors import GeoInputError, shipped_data

__all__ = ["cooperation", "links", "projects", "trade"]

#: What ``links()`` uses as the end point of a link: the catalogue's administrative centre of each region.
LINK_ANCHOR = "administrative centre"

_COUNTRIES = {"RU": "Russia", "KZ": "Kazakhstan"}


def _read(
    name: str, directory: str | Path | None, required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[pd.DataFrame, Path]:
    """Read ``name`` (every cell as text) from ``directory``, with its columns checked.

    The ``required`` columns must be there; missing ``optional`` ones are added as empty (unknown). Every reading
    problem is a :class:`GeoInputError` naming the file.
    """
    path = (Path(directory) if directory else data_dir() / "attributes") / name
    if not path.exists():
        msg = f"{path}: attribute table not found"
        raise GeoInputError(msg)
    if path.is_dir():
        msg = f"{path}: is a folder, not a CSV table"
        raise GeoInputError(msg)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError as exc:
        msg = f"{path}: the file is empty; a {name} table needs a header row with {', '.join(required)}"
        raise GeoInputError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason}); save the table as CSV UTF-8"
        raise GeoInputError(msg) from exc
    except (pd.errors.ParserError, ValueError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        msg = f"{path}: not a valid comma-separated table ({first})"
        raise GeoInputError(msg) from exc
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        msg = (
            f"{path}: missing column(s) {', '.join(map(repr, missing))}; a {name} table needs "
            f"{', '.join(required)} (the columns are {', '.join(map(repr, df.columns))}; "
            "see data/attributes/README.md)"
        )
        raise GeoInputError(msg)
    for col in optional:
        if col not in df.columns:
            df[col] = ""  # an absent descriptive column is unknown, like an empty cell
    return df, path


def _numbers(df: pd.DataFrame, columns: dict[str, str], path: Path) -> pd.DataFrame:
    """Convert ``columns`` ({name: "Float64" | "Int64"}) strictly: empty -> <NA>, anything else must parse."""
    df = df.copy()
    for col, dtype in columns.items():
        text = df[col].str.strip()
        values = pd.to_numeric(text.mask(text.eq("")), errors="coerce").astype(float)
        values = values.mask(~np.isfinite(values))  # "inf" is not a value
        bad = values.isna() & text.ne("")
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0]) + 2  # header is line 1
            msg = f"{path}: line {row}, column {col!r}: {text[bad].iloc[0]!r} is not a number"
            raise GeoInputError(msg)
        if dtype == "Int64" and (values.dropna() % 1 != 0).any():
            msg = f"{path}: column {col!r} must hold whole numbers"
            raise GeoInputError(msg)
        df[col] = values.astype(dtype)
    return df


def _flag(series: pd.Series) -> pd.Series:
    return series.str.strip().str.lower().eq("true")


def _centre(code: str) -> tuple[shapely.Point, str]:
    """The catalogue's administrative centre of a region and a label for it."""
    row = catalog().get(code)
    point = shapely.Point(float(row["centre_lon"]), float(row["centre_lat"]))
    return point, f"the administrative centre of {row['name_en']} ({row['centre_en']})"


def _city(name: str) -> tuple[shapely.Point, str] | None:
    """A city the catalogue knows as an administrative centre (``centre_en`` or ``centre_ru``)."""
    table = catalog().table
    wanted = name.strip().casefold()
    hit = table[table["centre_en"].str.casefold().eq(wanted) | table["centre_ru"].str.casefold().eq(wanted)]
    if hit.empty:
        return None
    row = hit.iloc[0]
    return shapely.Point(float(row["centre_lon"]), float(row["centre_lat"])), f"{row['centre_en']} (city)"


def _place(anchor: str, path: Path, item: str) -> tuple[shapely.Geometry | None, str]:
    """Geometry and ``placed_at`` text for a ``geometry_quality="region"`` item."""
    parts = [p.strip() for p in anchor.split(";") if p.strip()]
    known = set(catalog().codes)
    if len(parts) == 1 and parts[0].upper() in _COUNTRIES:
        country = _COUNTRIES[parts[0].upper()]
        return None, f"not placed: only the country ({country}) is known, no site or region is published"
    if len(parts) == 1 and parts[0] not in known:
        city = _city(parts[0])
        if city is None:
            msg = f"{path}: item {item!r}: anchor {parts[0]!r} is neither a region code nor a catalogue city"
            raise GeoInputError(msg)
        return city[0], f"approximate: placed at {city[1]}; the site is not published"
    unknown = [p for p in parts if p not in known]
    if unknown or not parts:
        msg = f"{path}: item {item!r}: anchor {anchor!r} names unknown region code(s) {unknown}"
        raise GeoInputError(msg)
    centres = [_centre(p) for p in parts]
    if len(centres) == 1:
        return centres[0][0], f"approximate: placed at {centres[0][1]}; the site is not published"
    where = ", ".join(label.removeprefix("the administrative centre of ") for _, label in centres)
    return (
        shapely.MultiPoint([p for p, _ in centres]),
        f"approximate: one point at the administrative centre of each region it spans ({where}); "
        "the site is not published",
    )


@shipped_data
def projects(*, directory: str | Path | None = None) -> gpd.GeoDataFrame:
    """Projects and sites of Russia–Kazakhstan cooperation, with honest geometries.

    Parameters
    ----------
    directory
        Folder holding ``projects.csv``; the shipped ``data/attributes/`` by default.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per item of ``projects.csv`` (none dropped), EPSG:4326. Columns: ``id``, ``name_en``,
        ``name_ru``, ``type``, ``status``, ``year`` (Int64), ``year_event``, ``regions`` (``;``-separated
        codes, site region first), ``partners``, ``lon``, ``lat`` (Float64, published coordinates only),
        ``length_km`` (Float64, published length of a line), ``geometry_quality`` (``"published"``,
        ``"schematic"`` or ``"region"``), ``anchor``, ``placed_at`` (how the geometry was obtained, in words
        to show on a map), ``mappable`` (bool: False when there is no geometry), ``description_en``,
        ``source``, ``note`` and ``geometry``:

        - ``published``: a Point at the published coordinates;
        - ``schematic``: the LineString of ``wkt`` (a straight line through city waypoints, not the route);
        - ``region`` with one region code or a city as anchor: a Point at that region's administrative
          centre (or that city), ``placed_at`` starting with ``"approximate:"``;
        - ``region`` with several codes (the Vesenne-Aralchinskoye deposit, ``RU-ORE;KZ-15``): a MultiPoint
          with one point at each region's administrative centre, not a guessed site between them;
        - ``region`` with a country as anchor (``KZ``): no geometry (``None``), ``mappable`` False.
    """
    df, path = _read(
        "projects.csv",
        directory,
        ["id", "name_en", "type", "geometry_quality"],
        [
            "name_ru",
            "status",
            "year",
            "year_event",
            "regions",
            "partners",
            "lon",
            "lat",
            "wkt",
            "length_km",
            "anchor",
            "description_en",
            "source",
            "note",
        ],
    )
    df = _numbers(df, {"year": "Int64", "lon": "Float64", "lat": "Float64", "length_km": "Float64"}, path)
    geoms: list[shapely.Geometry | None] = []
    placed: list[str] = []
    for row in df.itertuples(index=False):  # a dozen rows of curated data: clarity over vectorisation
        quality = row.geometry_quality
        if quality == "published":
            if pd.isna(row.lon) or pd.isna(row.lat):
                msg = f"{path}: item {row.id!r}: geometry_quality 'published' needs lon and lat"
                raise GeoInputError(msg)
            geoms.append(shapely.Point(float(row.lon), float(row.lat)))
            placed.append("published coordinates (see source and note)")
        elif quality == "schematic":
            try:
                geoms.append(shapely.from_wkt(row.wkt))
            except shapely.errors.GEOSException as exc:
                msg = f"{path}: item {row.id!r}: invalid wkt ({exc})"
                raise GeoInputError(msg) from exc
            placed.append("schematic: straight line through city waypoints, not the actual route")
        elif quality == "region":
            geom, text = _place(row.anchor, path, row.id)
            geoms.append(geom)
            placed.append(text)
        else:
            msg = f"{path}: item {row.id!r}: unknown geometry_quality {quality!r}"
            raise GeoInputError(msg)
    df = df.drop(columns="wkt")
    df["placed_at"] = placed
    df["mappable"] = [g is not None for g in geoms]
    columns = [
        "id",
        "name_en",
        "name_ru",
        "type",
        "status",
        "year",
        "year_event",
        "regions",
        "partners",
        "lon",
        "lat",
        "length_km",
        "geometry_quality",
        "anchor",
        "placed_at",
        "mappable",
        "description_en",
        "source",
        "note",
    ]
    return gpd.GeoDataFrame(df[columns], geometry=geoms, crs="EPSG:4326")


@shipped_data
def links(*, directory: str | Path | None = None) -> gpd.GeoDataFrame:
    """Region-pair cooperation links as lines between the two regions' administrative centres.

    Parameters
    ----------
    directory
        Folder holding ``links.csv``; the shipped ``data/attributes/`` by default.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per link, EPSG:4326. Columns: ``id``, ``from_code``, ``to_code``, ``from_name``, ``to_name``
        (English catalogue names), ``kind``, ``directed`` (bool), ``value`` (Float64, ``<NA>`` when the source
        gives no quantity: draw with a neutral width), ``value_qualifier``, ``unit``, ``year`` (Int64),
        ``label_en``, ``source``, ``note``, ``anchor`` (always ``"administrative centre"``: the line joins the
        catalogue centres of the two regions, it is not a route) and ``geometry`` (LineString from
        ``from_code`` to ``to_code``).
    """
    df, path = _read(
        "links.csv",
        directory,
        ["from_code", "to_code"],
        ["id", "kind", "directed", "value", "value_qualifier", "unit", "year", "label_en", "source", "note"],
    )
    df = _numbers(df, {"value": "Float64", "year": "Int64"}, path)
    df["directed"] = _flag(df["directed"])
    known = set(catalog().codes)
    for col in ("from_code", "to_code"):
        unknown = sorted(set(df[col]) - known)
        if unknown:
            msg = f"{path}: column {col!r} holds unknown region code(s) {', '.join(unknown)}"
            raise GeoInputError(msg)
    table = catalog().table
    df["from_name"] = table.loc[df["from_code"], "name_en"].to_numpy()
    df["to_name"] = table.loc[df["to_code"], "name_en"].to_numpy()
    df["anchor"] = LINK_ANCHOR
    geoms = _centre_lines(df["from_code"], df["to_code"])
    columns = [
        "id",
        "from_code",
        "to_code",
        "from_name",
        "to_name",
        "kind",
        "directed",
        "value",
        "value_qualifier",
        "unit",
        "year",
        "label_en",
        "source",
        "note",
        "anchor",
    ]
    return gpd.GeoDataFrame(df[columns], geometry=geoms, crs="EPSG:4326")


def _centre_lines(from_codes: pd.Series, to_codes: pd.Series) -> list[shapely.LineString]:
    """Straight lines between the administrative centres of two columns of (known) codes."""
    table = catalog().table
    a = table.loc[from_codes, ["centre_lon", "centre_lat"]].to_numpy(dtype=float)
    b = table.loc[to_codes, ["centre_lon", "centre_lat"]].to_numpy(dtype=float)
    coords = [[tuple(p), tuple(q)] for p, q in zip(a, b, strict=True)]
    return list(shapely.linestrings(coords)) if coords else []


@shipped_data
def trade(*, directory: str | Path | None = None) -> pd.DataFrame:
    """Trade turnover statements (national, regional, region pair), one row per source statement.

    Parameters
    ----------
    directory
        Folder holding ``trade.csv``; the shipped ``data/attributes/`` by default.

    Returns
    -------
    pandas.DataFrame
        The columns of ``trade.csv`` (see ``data/attributes/README.md``): ``value``, ``value_usd_mn``
        and ``growth_pct`` as Float64 (``<NA>`` when the source gives none), every other column a plain
        string (``period`` is ``"YYYY"`` or ``"YYYY-MM/YYYY-MM"``, empty when not stated, with
        ``period_type`` ``year``/``months``/``unstated``; ``measure``, ``reporting_side``, ``source_date``,
        ``url``). Rows that disagree are both kept, and a part is never added to its total: read ``note``
        before summing. :func:`geo.trade_coverage.turnover_for_map` picks the rows a map can show.
    """
    df, path = _read("trade.csv", directory, ["value", "value_usd_mn", "growth_pct"])
    return _numbers(df, {"value": "Float64", "value_usd_mn": "Float64", "growth_pct": "Float64"}, path)


@shipped_data
def cooperation(*, directory: str | Path | None = None) -> pd.DataFrame:
    """Interregional forums and other cooperation facts (joint ventures, students, investment, ties).

    Parameters
    ----------
    directory
        Folder holding ``cooperation.csv``; the shipped ``data/attributes/`` by default.

    Returns
    -------
    pandas.DataFrame
        The columns of ``cooperation.csv``: ``number`` and ``year`` as Int64, ``value`` as Float64,
        ``date`` and ``date_end`` as datetime64 (``NaT`` unless a source gives the day; ``date_end`` only for
        events over several days), every other column a plain string (``theme_en``, ``theme_original``,
        ``url``, ``source_date`` ...).
        ``host_region`` and ``partner_region`` hold a region code, ``RU``/``KZ`` for a country, or are
        empty when unknown.
    """
    df, path = _read("cooperation.csv", directory, ["number", "year", "value", "date"], ["date_end"])
    df = _numbers(df, {"number": "Int64", "year": "Int64", "value": "Float64"}, path)
    for col in ("date", "date_end"):
        try:
            df[col] = pd.to_datetime(df[col].mask(df[col].eq("")), format="%Y-%m-%d")
        except ValueError as exc:
            msg = f"{path}: column {col!r} must hold ISO dates (YYYY-MM-DD) ({exc})"
            raise GeoInputError(msg) from exc
    return df
