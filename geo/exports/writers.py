"""Writers of export layers: RFC 7946 GeoJSON and CSV text (ours, deterministic) and GeoPackage (GDAL)."""

from __future__ import annotations

import datetime as dt
import json
import math
import warnings
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo._io import atomic_path
from geo.errors import OutputError


# -- writers ------------------------------------------------------------------------------------------
def lists_as_text(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns holding tuples or lists of codes (``merged_units``, ``includes``) as ``;``-separated text.

    Structured lists stay lists in the frames the API returns; they become text only here, when written.
    """
    listy = [
        c
        for c in layer.columns
        if c != layer.geometry.name
        and layer[c].dtype == object
        and layer[c].map(lambda v: isinstance(v, tuple | list)).any()
    ]
    if not listy:
        return layer
    layer = layer.copy()
    for col in listy:
        layer[col] = [";".join(map(str, v)) if isinstance(v, tuple | list) else v for v in layer[col]]
    return layer


#: Columns that are measurements by nature and stay real numbers even when every value happens to be whole.
REAL_COLUMNS = frozenset(
    {"area_km2", "border_km", "length_km", "border_distance_km", "lon", "lat", "point_lon", "point_lat"}
)
_EXACT_INT = 2.0**53


def whole_numbers(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Float columns whose values are all whole numbers as nullable integers (``Int64``).

    A join onto every region leaves gaps, and pandas turns an integer column with gaps into floats: a user's
    ``year`` would be written as ``2021.0`` and typed Real in a GeoPackage. Such columns are written as
    integers (Integer64 in GeoPackage, ``2021`` in CSV and GeoJSON), gaps as nulls. The measurements of
    :data:`REAL_COLUMNS` stay real numbers.
    """
    whole = []
    for col in layer.columns:
        if col == layer.geometry.name or col in REAL_COLUMNS:
            continue
        series = layer[col]
        if not pd.api.types.is_float_dtype(series):
            continue
        values = series.dropna().to_numpy(dtype=float)
        finite = len(values) and np.isfinite(values).all() and (np.abs(values) < _EXACT_INT).all()
        if finite and (values == np.round(values)).all():
            whole.append(col)
    if not whole:
        return layer
    layer = layer.copy()
    for col in whole:
        layer[col] = layer[col].astype("Int64")
    return layer


def for_writing(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The layer as every writer writes it: lists as ``;`` text (:func:`lists_as_text`), whole numbers as integers."""
    return whole_numbers(lists_as_text(layer))


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
    layer = for_writing(layer)
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


def _csv_table(layer: gpd.GeoDataFrame, *, precision: int) -> pd.DataFrame:
    """The CSV's columns: the attributes, a point inside the geometry (``point_lon``, ``point_lat``), its WKT."""
    layer = for_writing(layer)
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
    return table


def _csv_text(layer: gpd.GeoDataFrame, *, name: str, precision: int) -> str:
    return _csv_table(layer, precision=precision).to_csv(index=False, lineterminator="\n")


def _csvt_type(name: str, series: pd.Series) -> str:
    if name == "point_lon":
        return "CoordX"
    if name == "point_lat":
        return "CoordY"
    if pd.api.types.is_bool_dtype(series):
        return "String"  # written True/False, which GDAL does not read as a boolean
    if pd.api.types.is_integer_dtype(series):
        return "Integer64"
    if pd.api.types.is_float_dtype(series):
        return "Real"
    if _is_iso_dates(series) and _iso_dates(series) is not None:
        return "Date"
    return "String"


#: The CRS of every CSV (WGS84 longitude/latitude) as ESRI WKT, the form GDAL and QGIS read from a ``.prj``.
WGS84_PRJ = (
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],'
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
)


def csv_sidecars(layer: gpd.GeoDataFrame, *, precision: int) -> dict[str, str]:
    """The files written beside each CSV so that GIS tools open it as a point layer in EPSG:4326.

    ``.csvt`` (GDAL/GeoCSV column types: ``point_lon``/``point_lat`` as ``CoordX``/``CoordY``, integers,
    reals, dates, text) and ``.prj`` (WGS84). GDAL (``ogrinfo``, QGIS's "Add Vector Layer") then reads every row
    as a point with the CRS stated, lines and polygons included through their representative point; the full
    geometry stays in the ``wkt`` column. Keyed by suffix.
    """
    table = _csv_table(layer, precision=precision)
    types = ",".join(f'"{_csvt_type(str(c), table[c])}"' for c in table.columns)
    return {".csvt": types + "\n", ".prj": WGS84_PRJ + "\n"}


def _gpkg_frame(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns in the types GeoPackage fields should have: text, Integer64, Real, Boolean, Date."""
    layer = for_writing(layer).copy()
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
        write_gpkg(path, {name: layer}, force=force)
        return path
    if suffix not in (".geojson", ".json"):
        msg = f"{path}: unknown output format {path.suffix!r}; use .gpkg, .geojson or .json"
        raise OutputError(msg)
    layer = for_writing(layer)
    try:
        with atomic_path(path, force=force) as tmp:
            layer.to_file(
                tmp, driver="GeoJSON", engine="pyogrio", layer=name, layer_options={"RFC7946": "YES"}
            )
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        msg = f"cannot write {path}: {_first_line(exc)}"
        raise OutputError(msg) from exc
    return path


def _description(layer: gpd.GeoDataFrame) -> dict[str, str]:
    """GeoPackage layer metadata: the licence notes of the layer's sources (``gpkg_contents.description``)."""
    if "attribution" not in layer.columns:
        return {}
    notes = sorted({str(n) for n in layer["attribution"] if isinstance(n, str) and n})
    return {"DESCRIPTION": "Boundaries: " + "; ".join(notes)} if notes else {}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def write_gpkg(path: Path, built: dict[str, gpd.GeoDataFrame], *, force: bool) -> None:
    """All layers into one GeoPackage, atomically; a layer GDAL refuses is one OutputError line."""
    try:
        _write_gpkg_layers(path, built, force=force)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        msg = f"cannot write {path}: {_first_line(exc)}; nothing was written"
        raise OutputError(msg) from exc


def split_by_geometry(name: str, layer: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """One layer per kind of geometry, for formats and tools that want one type per layer.

    A layer mixing points and lines (the projects: sites, a MultiPoint deposit, schematic pipelines) becomes
    ``{name}_points`` and ``{name}_lines`` (QGIS would otherwise open it as two sublayers, or load only the rows
    of one type); rows without a geometry go with the points. A layer of one kind is returned as it is.
    """
    kinds = layer.geometry.geom_type.str.removeprefix("Multi")
    present = set(kinds.dropna())
    if len(present) <= 1:
        return {name: layer}
    if present - {"Point", "LineString"}:
        msg = f"layer {name!r} mixes geometry types {sorted(present)}; expected points and lines only"
        raise OutputError(msg)
    lines = (kinds == "LineString").to_numpy()
    return {f"{name}_points": layer[~lines], f"{name}_lines": layer[lines]}


def _write_gpkg_layers(path: Path, built: dict[str, gpd.GeoDataFrame], *, force: bool) -> None:
    parts = {k: v for name, layer in built.items() for k, v in split_by_geometry(name, layer).items()}
    with atomic_path(path, force=force) as tmp:
        for i, (name, layer) in enumerate(parts.items()):
            frame = _gpkg_frame(layer)
            kinds = {k.removeprefix("Multi") for k in frame.geometry.dropna().geom_type}
            multi = any(k.startswith("Multi") for k in frame.geometry.dropna().geom_type)
            # One geometry type per layer (Polygon + MultiPolygon -> MultiPolygon; Point + MultiPoint ->
            # MultiPoint); mixed layers were split above.
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
                layer_options={
                    "FID": "fid",
                    "GEOMETRY_NAME": "geom",
                    "SPATIAL_INDEX": "YES",
                    **_description(layer),
                },
                append=False,
            )


#: Writers of the text formats, by format name (:data:`geo.formats.FORMATS`): layer -> text of one file.
TEXT_WRITERS = {"geojson": _geojson_text, "csv": _csv_text}
