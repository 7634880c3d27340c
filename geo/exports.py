"""GIS exports: GeoJSON (RFC 7946), GeoPackage and CSV of the regions, the border, projects and links.

One function, :func:`export`, writes the layers a GIS user opens in QGIS; :func:`build_layers` returns the same
layers as GeoDataFrames for a notebook. Every geometry goes through one pipeline before it is written in any
format, so the three formats carry the same coordinates:

1. reprojected to WGS84 longitude/latitude (EPSG:4326);
2. coordinates rounded to ``precision`` decimal places (default 6: at most 0.11 m; the embedded Natural Earth
   polygons are already on a 1e-6° grid, so the default changes nothing), repeated vertices dropped;
3. geometries that cross the antimeridian split at ±180° (:func:`split_antimeridian`; RFC 7946 §3.1.9);
4. exterior rings counter-clockwise, holes clockwise (RFC 7946 §3.1.6).

GeoJSON is written by this module with :mod:`json`, not by GDAL, so that the output is deterministic and
strictly RFC 7946: a FeatureCollection per layer, no ``crs`` member, the ISO code as the feature ``id`` of regions,
UTF-8 text unescaped (``"Оренбургская область"``, not ``"\\u041e…"``). The GeoPackage is written by GDAL (pyogrio)
as version 1.3 (readable by older GDAL and QGIS), one layer per kind, with integer, real, boolean, date and text
fields. GeoPackage reserves the column names ``fid`` (feature id) and ``geom`` (geometry), compared without
regard to case, and SQLite does not tell ``Value`` from ``value``: such a data column is renamed, with a
warning (``fid`` -> ``fid_data``, ``geom`` -> ``geom_data``, a second ``value`` -> ``value_2``). Text columns
of ISO dates become Date fields only when every value is a real date (``2021-02-30`` keeps the column as
text). The CSV has the attributes plus a representative point (``point_lon``, ``point_lat``: inside the polygon,
on the line) and the geometry as WKT.

Writes are atomic and all-or-nothing: every file is written beside its target under a temporary name and only
renamed into place when all layers of the export have been written; an existing file is replaced only with
``force=True``, and is put back if a later rename fails (:func:`geo._io.atomic_paths`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo._io import atomic_path, atomic_paths, check_writable
from geo.analysis import areas_km2, border_segments, border_totals, distance_to_border
from geo.errors import GeoInputError, OutputError
from geo.precision import round_geometries

__all__ = ["FORMATS", "LAYERS", "build_layers", "export", "split_antimeridian", "write_layer"]

#: Layers in the order they are written.
LAYERS = ("regions", "border", "projects", "links")
#: Formats and their file extension.
FORMATS = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv"}
_SUFFIX_FORMAT = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv"}
#: Decimal places of lengths and areas in the attributes (km and km²: 0.001 = 1 m and 1,000 m²).
FIGURE_DECIMALS = 3


# -- public -------------------------------------------------------------------------------------------
def export(
    path: str | Path,
    *,
    fmt: str | None = None,
    layers: Sequence[str] | str = LAYERS,
    data: str | Path | pd.DataFrame | Sequence[str | Path | pd.DataFrame] | None = None,
    regions: str | Path | gpd.GeoDataFrame | None = None,
    context: bool = False,
    force: bool = False,
    precision: int = 6,
) -> list[Path]:
    """Export the regions, the border, projects and links for GIS tools.

    Parameters
    ----------
    path
        For ``gpkg``: the GeoPackage file (all layers in it). For ``geojson`` and ``csv``: an existing folder
        that receives one file per layer (``regions.geojson``, ``border.geojson``, …), or, when exactly one
        layer is asked for, a file name ending in the format's extension.
    fmt
        ``"geojson"``, ``"gpkg"`` or ``"csv"``; by default taken from the extension of ``path``.
    layers
        Any of ``"regions"``, ``"border"``, ``"projects"``, ``"links"`` (a sequence, or a comma-separated
        string); all four by default.
    data
        An attribute table (path or DataFrame), or several, each read with
        ``geo.tables.read_table(..., strict=True)`` and joined onto the regions layer with
        :func:`geo.join.join` and its default options; the export is refused (nothing written) when a join
        report is not clean. Columns of a later table whose names are taken get the suffix ``_2``, ``_3``….
        For a join that needs options (``additive``, ``where``, ``pivot``), join first and pass the result
        as ``regions``.
    regions
        A boundary file or GeoDataFrame to use instead of the embedded polygons (any CRS: it is reprojected).
        A GeoDataFrame with the columns of :func:`geo.regions` (for instance the result of
        ``geo.join.join(geo.regions(), table, additive=[...])``) is used as it is, extra columns included.
    context
        Include every Russian region, not only the 12 border regions (Kazakhstan is always complete).
        Chukotka is then split at the antimeridian.
    force
        Replace existing output files.
    precision
        Decimal places of the coordinates (0–15; 6 by default, about 0.1 m).

    Returns
    -------
    list of pathlib.Path
        The files written, in layer order (one for ``gpkg``).

    Raises
    ------
    GeoInputError
        Unknown layer or format, bad precision, or a data table whose join report is not clean.
    OutputError
        Missing or read-only output folder, or an existing output without ``force``. Nothing is written then.
    """
    chosen = _validate_layers(layers)
    fmt = _validate_format(fmt, Path(path))
    if data is not None and "regions" not in chosen:
        msg = "a data table is joined onto the regions layer; add 'regions' to the layers"
        raise GeoInputError(msg)
    precision = _validate_precision(precision)
    targets = _targets(Path(path), fmt, chosen)
    for target in targets.values():
        check_writable(target, force=force)
    built = build_layers(layers=chosen, data=data, regions=regions, context=context, precision=precision)
    try:
        if fmt == "gpkg":
            _write_gpkg(targets["*"], built, force=force)
            return [targets["*"]]
        writer = _geojson_text if fmt == "geojson" else _csv_text
        texts = {name: writer(built[name], name=name, precision=precision) for name in chosen}
        paths = [targets[name] for name in chosen]
        # All files are written to temporary names, then renamed into place together; a failed rename puts
        # back the files already replaced.
        with atomic_paths(paths, force=force) as temps:
            for tmp, name in zip(temps, chosen, strict=True):
                tmp.write_bytes(texts[name].encode("utf-8"))
        return paths
    except OutputError:
        raise  # already one line naming the file (geo._io turns OSErrors while writing into OutputError)
    except (OSError, pyogrio.errors.DataSourceError) as exc:
        # The checks above pass for root on a read-only folder, or the disk fills up: still one clear line.
        where = next(iter(targets.values())).parent
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0]
        msg = f"cannot write the export into {where}: {reason}; nothing was written"
        raise OutputError(msg) from exc


def build_layers(
    *,
    layers: Sequence[str] | str = LAYERS,
    data: str | Path | pd.DataFrame | Sequence[str | Path | pd.DataFrame] | None = None,
    regions: str | Path | gpd.GeoDataFrame | None = None,
    context: bool = False,
    precision: int = 6,
) -> dict[str, gpd.GeoDataFrame]:
    """The export layers as GeoDataFrames, with the geometries exactly as :func:`export` writes them.

    Parameters
    ----------
    layers, data, regions, context, precision
        As for :func:`export`.

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        In EPSG:4326, keyed by layer name:

        - ``regions``: one row per polygon, the catalogue columns of :func:`geo.regions` plus ``area_km2``
          (geodesic) and ``border_km`` (geodesic length of its border with the other country, 0 if none),
          plus the columns of ``data`` when given;
        - ``border``: the state border split by region pair (:func:`geo.analysis.border_segments`), one
          MultiLineString per pair with ``pair_id`` (``"RU-ORE/KZ-15"``) and ``length_km``; a pair that
          touches in a single point (Samara) has a null geometry and ``contact="point"``;
        - ``projects``: :func:`geo.attributes.projects` plus ``border_distance_km``; points, schematic lines
          and multipoints in one layer, items without a location with a null geometry;
        - ``links``: :func:`geo.attributes.links` (lines between the regions' administrative centres).
    """
    chosen = _validate_layers(layers)
    precision = _validate_precision(precision)
    every = _load_regions(regions)
    out: dict[str, gpd.GeoDataFrame] = {}
    for name in chosen:
        if name == "regions":
            layer = _regions_layer(every, context=context, data=data)
        elif name == "border":
            layer = _border_layer(every)
        elif name == "projects":
            layer = _projects_layer(every)
        else:
            layer = _links_layer()
        out[name] = _clean_geometries(layer, precision=precision)
    return out


def split_antimeridian(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    """Split a lon/lat geometry that crosses the antimeridian into parts on either side of ±180°.

    A ring or line *crosses* when two consecutive vertices are more than 180° of longitude apart (it then
    takes the short way across ±180°, as RFC 7946 §3.1.9 reads it). Such a part is unwrapped to continuous
    longitudes, cut at 180° and the eastern piece shifted back by -360°, so that no part spans more than
    180° of longitude. Parts that do not cross (including parts that merely end at ±180°, as Natural Earth
    already draws Chukotka) are returned unchanged.

    Parameters
    ----------
    geom
        Any shapely geometry in EPSG:4326, or ``None``.

    Returns
    -------
    shapely.Geometry or None
        The same geometry when nothing crosses; otherwise a Multi* geometry (or GeometryCollection for mixed
        input) of the split parts.
    """
    if geom is None or geom.is_empty:
        return geom
    parts = shapely.get_parts(geom)
    if not any(_crosses(p) for p in parts):
        return geom
    pieces: list[shapely.Geometry] = []
    for part in parts:
        pieces.extend(_split_part(part) if _crosses(part) else [part])
    kinds = {p.geom_type for p in pieces}
    if kinds <= {"Polygon"}:
        return shapely.MultiPolygon(pieces)
    if kinds <= {"LineString"}:
        return shapely.MultiLineString(pieces)
    if kinds <= {"Point"}:
        return shapely.MultiPoint(pieces)
    return shapely.GeometryCollection(pieces)


# -- validation ---------------------------------------------------------------------------------------
def _validate_layers(layers: Sequence[str] | str) -> list[str]:
    names = [s.strip() for s in layers.split(",")] if isinstance(layers, str) else [str(s) for s in layers]
    names = [n for n in names if n]
    unknown = [n for n in names if n not in LAYERS]
    if unknown or not names:
        what = f"unknown layer {unknown[0]!r}" if unknown else "no layer given"
        msg = f"{what}; choose from {', '.join(LAYERS)}"
        raise GeoInputError(msg)
    return [n for n in LAYERS if n in names]  # fixed order, no duplicates


def _validate_format(fmt: str | None, path: Path) -> str:
    if fmt is None:
        fmt = _SUFFIX_FORMAT.get(path.suffix.lower())
        if fmt is None:
            msg = f"cannot tell the format from {path}; pass the format (-f/fmt=) {'|'.join(FORMATS)}"
            raise GeoInputError(msg)
    fmt = str(fmt).lower()
    if fmt not in FORMATS:
        msg = f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}"
        raise GeoInputError(msg)
    return fmt


def _validate_precision(precision: int) -> int:
    if (
        isinstance(precision, bool)
        or not isinstance(precision, (int, np.integer))
        or not 0 <= precision <= 15
    ):
        msg = f"precision must be a whole number of decimal places from 0 to 15, not {precision!r}"
        raise GeoInputError(msg)
    return int(precision)


def _targets(path: Path, fmt: str, layers: list[str]) -> dict[str, Path]:
    """Map each layer to its output file (``"*"``: the one GeoPackage)."""
    ext = FORMATS[fmt]
    if fmt == "gpkg":
        if path.is_dir():
            msg = f"{path} is a folder; a GeoPackage export needs a file name such as {path / 'rukz.gpkg'}"
            raise OutputError(msg)
        return {"*": path}
    if _SUFFIX_FORMAT.get(path.suffix.lower()) == fmt and not path.is_dir():
        if len(layers) != 1:
            msg = (
                f"{path}: a {fmt} export of {len(layers)} layers writes one file per layer into a folder; "
                f"give an existing folder, or one layer"
            )
            raise OutputError(msg)
        return {layers[0]: path}
    if not path.is_dir():
        msg = f"output folder {path} does not exist (a {fmt} export writes one file per layer into it)"
        raise OutputError(msg)
    return {name: path / f"{name}{ext}" for name in layers}


# -- layers -------------------------------------------------------------------------------------------
def _load_regions(regions: str | Path | gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    from geo.boundaries import regions as load

    if isinstance(regions, gpd.GeoDataFrame) and {"code", "country", "name_en"} <= set(regions.columns):
        if regions.crs is None:
            msg = "the regions GeoDataFrame has no CRS; set one (e.g. EPSG:4326) first"
            raise GeoInputError(msg)
        return regions.to_crs("EPSG:4326").reset_index(drop=True)
    return load(boundaries=regions)


def _regions_layer(
    every: gpd.GeoDataFrame,
    *,
    context: bool,
    data: str | Path | pd.DataFrame | Sequence[str | Path | pd.DataFrame] | None,
) -> gpd.GeoDataFrame:
    totals = border_totals(every).set_index("code")["border_km"]
    keep = every if context else every[(every["country"] == "KZ") | every["border"]]
    layer = keep.drop(columns=[c for c in ("id",) if c in keep.columns]).copy()
    layer["area_km2"] = areas_km2(layer).round(FIGURE_DECIMALS).to_numpy()
    layer["border_km"] = layer["code"].map(totals).fillna(0.0).round(FIGURE_DECIMALS).to_numpy()
    if data is not None:
        tables = [data] if isinstance(data, (str, Path, pd.DataFrame)) else list(data)
        layer = _join_tables(layer.reset_index(drop=True), tables)
    layer = layer.sort_values(["country", "code"], ascending=[False, True], kind="stable")
    return layer.reset_index(drop=True)


def _join_tables(layer: gpd.GeoDataFrame, tables: list[str | Path | pd.DataFrame]) -> gpd.GeoDataFrame:
    """Join each table onto the bare regions layer and put their columns side by side.

    Each table is joined on its own (so that each gets its own join report and vintage merge); a column name
    that an earlier table already used gets the suffix ``_2``, ``_3``, … of its table; ``merged_units`` and
    ``merged_note`` say what any of the tables merged.
    """
    out = layer.copy()
    for number, table in enumerate(tables, start=1):
        joined = _join_data(layer, table)
        if len(joined) != len(layer) or not (joined["code"].to_numpy() == layer["code"].to_numpy()).all():
            msg = "internal error: the join changed the rows of the regions layer"
            raise AssertionError(msg)
        new = joined.drop(columns=list(layer.columns))
        for col in new.columns:
            if col in ("merged_units", "merged_note") and col in out.columns:
                sep = ";" if col == "merged_units" else "; "
                both = pd.DataFrame({"a": out[col].astype(str), "b": new[col].astype(str)})
                out[col] = [sep.join(v for v in pair if v) for pair in both.itertuples(index=False)]
            else:
                out[col if col not in out.columns else f"{col}_{number}"] = new[col].to_numpy()
    return out


def _join_data(layer: gpd.GeoDataFrame, data: str | Path | pd.DataFrame) -> gpd.GeoDataFrame:
    """Join a user's attribute table onto the regions layer; refuse it when its join report is not clean."""
    from geo.join import join
    from geo.tables import read_table

    # strict: a table with unknown, ambiguous or duplicated regions or non-numeric cells raises TableError
    # (one line: the report's summary and its first problem), before anything is written.
    table, _report = read_table(data, strict=True)
    return join(layer, table)


def _border_layer(every: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    seg = border_segments(every)
    seg.insert(0, "pair_id", seg["ru_code"] + "/" + seg["kz_code"])
    seg["length_km"] = seg["length_km"].round(FIGURE_DECIMALS)
    geoms = seg.geometry.to_numpy()
    empty = shapely.is_empty(geoms)
    geoms = np.where(empty, None, geoms)
    # One geometry type per layer (GeoPackage, QGIS): every pair as a MultiLineString.
    single = np.array([g is not None and g.geom_type == "LineString" for g in geoms])
    geoms[single] = [shapely.MultiLineString([g]) for g in geoms[single]]
    return seg.set_geometry(gpd.GeoSeries(geoms, index=seg.index, crs="EPSG:4326"))


def _projects_layer(every: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    from geo.attributes import projects

    layer = projects()
    layer["border_distance_km"] = distance_to_border(layer, regions=every).round(FIGURE_DECIMALS)
    return layer.reset_index(drop=True)


def _links_layer() -> gpd.GeoDataFrame:
    from geo.attributes import links

    return links().reset_index(drop=True)


# -- geometry pipeline --------------------------------------------------------------------------------
def _clean_geometries(layer: gpd.GeoDataFrame, *, precision: int) -> gpd.GeoDataFrame:
    layer = layer.to_crs("EPSG:4326") if not layer.crs.equals("EPSG:4326") else layer
    geoms = layer.geometry.to_numpy().copy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    key = next((c for c in ("code", "pair_id", "id") if c in layer.columns), None)
    labels = layer[key].to_numpy()[present] if key else None
    fixed = round_geometries(geoms[present], precision, labels=labels)
    fixed = np.array([split_antimeridian(g) for g in fixed], dtype=object)
    fixed = shapely.orient_polygons(fixed, exterior_cw=False)
    geoms[present] = fixed
    geoms[~present] = None
    return layer.set_geometry(gpd.GeoSeries(geoms, index=layer.index, crs="EPSG:4326"))


def _crosses(part: shapely.Geometry) -> bool:
    rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
    return any(
        len(r.coords) > 1 and np.abs(np.diff(shapely.get_coordinates(r)[:, 0])).max() > 180.0 for r in rings
    )


def _split_part(part: shapely.Geometry) -> list[shapely.Geometry]:
    """Cut one crossing Polygon or LineString at 180° (see :func:`split_antimeridian`)."""

    def unwrap(xy: np.ndarray) -> np.ndarray:
        x = np.unwrap(xy[:, 0], period=360.0)  # continuous longitudes along the ring or line
        x = x + 360.0 * (x.min() < -180.0)  # keep the unwrapped part in (-180, 540)
        return np.column_stack([x, xy[:, 1]])

    if part.geom_type == "Polygon":
        # Unwrap every ring on the same side: shift the holes by the turn that brings them next to the shell.
        shell = unwrap(shapely.get_coordinates(part.exterior))
        holes = []
        for ring in part.interiors:
            xy = unwrap(shapely.get_coordinates(ring))
            xy[:, 0] += 360.0 * round((shell[:, 0].mean() - xy[:, 0].mean()) / 360.0)
            holes.append(xy)
        whole = shapely.Polygon(shell, holes)
    else:
        whole = shapely.transform(part, unwrap)
    west = shapely.clip_by_rect(whole, -180.0, -90.0, 180.0, 90.0)
    east = shapely.clip_by_rect(whole, 180.0, -90.0, 540.0, 90.0)
    east = shapely.transform(east, lambda xy: xy - np.array([360.0, 0.0]))
    wanted = "Polygon" if part.geom_type == "Polygon" else "LineString"
    return [g for piece in (west, east) for g in shapely.get_parts(piece) if g.geom_type == wanted]


# -- writers ------------------------------------------------------------------------------------------
def _json_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()
    return str(value)


def _rounded(coords: object, precision: int) -> object:
    if isinstance(coords, (tuple, list)):
        if coords and isinstance(coords[0], (int, float)):
            return [round(float(c), precision) for c in coords]
        return [_rounded(c, precision) for c in coords]
    return coords


def _geometry_json(geom: shapely.Geometry | None, precision: int) -> dict | None:
    if geom is None:
        return None
    mapping = geom.__geo_interface__
    if mapping["type"] == "GeometryCollection":
        return {
            "type": "GeometryCollection",
            "geometries": [_geometry_json(g, precision) for g in shapely.get_parts(geom)],
        }
    # Rounded again only to drop the float noise of -0.0 and of the shift at the antimeridian.
    return {"type": mapping["type"], "coordinates": _rounded(mapping["coordinates"], precision)}


def _feature_id(layer: gpd.GeoDataFrame, name: str) -> Iterable[object]:
    column = {"regions": "code", "border": "pair_id"}.get(name, "id")
    return layer[column] if column in layer.columns else range(1, len(layer) + 1)


def _geojson_text(layer: gpd.GeoDataFrame, *, name: str, precision: int) -> str:
    """One RFC 7946 FeatureCollection, one feature per line (readable diffs, streaming-friendly)."""
    columns = [c for c in layer.columns if c != layer.geometry.name]
    records = layer[columns].astype(object).to_numpy()
    lines = []
    for fid, values, geom in zip(_feature_id(layer, name), records, layer.geometry.to_numpy(), strict=True):
        feature = {
            "type": "Feature",
            "id": _json_value(fid),
            "properties": {c: _json_value(v) for c, v in zip(columns, values, strict=True)},
            "geometry": _geometry_json(geom, precision),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _csv_text(layer: gpd.GeoDataFrame, *, name: str, precision: int) -> str:
    geoms = layer.geometry.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    points = np.full(len(geoms), None, dtype=object)
    points[present] = shapely.point_on_surface(geoms[present])
    xy = np.full((len(geoms), 2), np.nan)
    xy[present] = shapely.get_coordinates(points[present])
    table = pd.DataFrame(layer.drop(columns=layer.geometry.name))
    table["point_lon"] = np.round(xy[:, 0], precision)
    table["point_lat"] = np.round(xy[:, 1], precision)
    wkt = np.full(len(geoms), "", dtype=object)
    wkt[present] = shapely.to_wkt(geoms[present], rounding_precision=precision, trim=True)
    table["wkt"] = wkt
    return table.to_csv(index=False, lineterminator="\n")


def _gpkg_frame(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns in the types GeoPackage fields should have: text, Integer64, Real, Boolean, Date."""
    layer = layer.copy()
    for col in layer.columns:
        if col == layer.geometry.name:
            continue
        series = layer[col]
        if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
            continue
        if pd.api.types.is_datetime64_any_dtype(series):
            layer[col] = series.dt.date.astype(object)
        elif _is_iso_dates(series) and (dates := _iso_dates(series)) is not None:
            layer[col] = dates
        else:
            layer[col] = series.astype(object).where(series.notna(), None)
    return layer.rename(columns=_gpkg_names(layer))


def _iso_dates(series: pd.Series) -> pd.Series | None:
    """``YYYY-MM-DD`` text as dates, or ``None`` when one of them is no real date (``2021-02-30``)."""
    present = series.notna() & series.astype(str).ne("")
    parsed = pd.to_datetime(series.where(present, None), format="%Y-%m-%d", errors="coerce")
    if bool((parsed.isna() & present).any()):
        return None
    return parsed.dt.date.astype(object).where(present, None)


#: Column names GeoPackage keeps for itself: the feature id and the geometry (see the layer options below).
_GPKG_RESERVED = ("fid", "geom")


def _gpkg_names(layer: gpd.GeoDataFrame) -> dict[str, str]:
    """New names for data columns GeoPackage cannot take: ``fid``/``geom`` and names equal but for case.

    A warning lists the renamings (the CLI prints it on one line).
    """
    used = set(_GPKG_RESERVED)
    renamed: dict[str, str] = {}
    for col in layer.columns:
        if col == layer.geometry.name:
            continue
        name = str(col)
        if name.lower() in used:
            base = f"{name}_data" if name.lower() in _GPKG_RESERVED else name
            name, n = base, 2
            while name.lower() in used or name in layer.columns:
                name, n = f"{base}_{n}", n + 1
            renamed[col] = name
        used.add(name.lower())
    if renamed:
        pairs = ", ".join(f"{old!r} -> {new!r}" for old, new in renamed.items())
        warnings.warn(
            f"GeoPackage reserves the column names fid and geom and ignores case; renamed {pairs}",
            UserWarning,
            stacklevel=4,
        )
    return renamed


def _is_iso_dates(series: pd.Series) -> bool:
    text = series.dropna().astype(str)
    text = text[text.ne("")]
    return not text.empty and bool(text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all())


def write_layer(
    layer: gpd.GeoDataFrame, path: str | Path, *, name: str = "regions", force: bool = False
) -> Path:
    """Write one GeoDataFrame as a GeoPackage (``.gpkg``) or GeoJSON (``.geojson``/``.json``) file, atomically.

    The GeoPackage gets the typed fields and the renaming of reserved columns of :func:`export` (a ``fid``
    or ``geom`` data column becomes ``fid_data``/``geom_data``, with a warning); GeoJSON is written by GDAL
    as RFC 7946. Any failure (disk full, a column GDAL refuses) is one :class:`~geo.errors.OutputError` line
    naming ``path``, and nothing is left behind.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".gpkg":
        _write_gpkg(path, {name: layer}, force=force)
        return path
    if suffix not in (".geojson", ".json"):
        msg = f"{path}: unknown output format {path.suffix!r}; use .gpkg, .geojson or .json"
        raise OutputError(msg)
    try:
        with atomic_path(path, force=force) as tmp:
            layer.to_file(
                tmp, driver="GeoJSON", engine="pyogrio", layer=name, layer_options={"RFC7946": "YES"}
            )
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        msg = f"cannot write {path}: {_first_line(exc)}"
        raise OutputError(msg) from exc
    return path


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _write_gpkg(path: Path, built: dict[str, gpd.GeoDataFrame], *, force: bool) -> None:
    """All layers into one GeoPackage, atomically; a layer GDAL refuses is one OutputError line."""
    try:
        _write_gpkg_layers(path, built, force=force)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        msg = f"cannot write {path}: {_first_line(exc)}; nothing was written"
        raise OutputError(msg) from exc


def _write_gpkg_layers(path: Path, built: dict[str, gpd.GeoDataFrame], *, force: bool) -> None:
    with atomic_path(path, force=force) as tmp:
        for i, (name, layer) in enumerate(built.items()):
            frame = _gpkg_frame(layer)
            kinds = {k.removeprefix("Multi") for k in frame.geometry.dropna().geom_type}
            multi = any(k.startswith("Multi") for k in frame.geometry.dropna().geom_type)
            # One geometry type per layer where the kinds allow (Polygon + MultiPolygon -> MultiPolygon);
            # projects mix points and lines and stay a generic geometry layer.
            geometry_type = ("Multi" * multi + kinds.pop()) if len(kinds) == 1 else "Unknown"
            pyogrio.write_dataframe(
                frame,
                tmp,
                layer=name,
                driver="GPKG",
                use_arrow=True,
                geometry_type=geometry_type,
                promote_to_multi=geometry_type.startswith("Multi"),
                dataset_options={"VERSION": "1.3"} if i == 0 else None,
                layer_options={"FID": "fid", "GEOMETRY_NAME": "geom", "SPATIAL_INDEX": "YES"},
                append=False,
            )
