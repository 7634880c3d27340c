r"""GIS exports: GeoJSON (RFC 7946), GeoPackage and CSV of the regions, the border, projects and links.

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

Modules: :mod:`geo.exports.layers` (what each layer holds), :mod:`geo.exports.geometry` (the geometry pipeline
above), :mod:`geo.exports.writers` (GeoJSON, CSV and GeoPackage writers).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo._io import atomic_paths, check_writable
from geo.attach import TableOptions
from geo.constants import EXPORT_PRECISION
from geo.errors import GeoInputError, OutputError
from geo.exports.geometry import split_antimeridian
from geo.exports.layers import LAYERS, build_layers, validate_layers, validate_precision
from geo.exports.safe_csv import validate_formulas
from geo.exports.writers import TEXT_WRITERS, csv_sidecars, write_gpkg, write_layer
from geo.formats import FORMATS, format_of

__all__ = ["LAYERS", "LAYER_FORMATS", "build_layers", "export", "split_antimeridian", "write_layer"]


#: Formats and their file extension.
#: The formats :func:`export` writes (see :data:`geo.formats.FORMATS`).
LAYER_FORMATS = ("geojson", "gpkg", "csv")


# -- public -------------------------------------------------------------------------------------------
def export(  # noqa: PLR0913  (public: keyword-only options, one per CLI option)
    path: str | Path,
    *,
    fmt: str | None = None,
    layers: Sequence[str] | str = LAYERS,
    data: str | Path | pd.DataFrame | Sequence[str | Path | pd.DataFrame] | None = None,
    regions: str | Path | gpd.GeoDataFrame | None = None,
    context: bool = False,
    force: bool = False,
    precision: int = EXPORT_PRECISION,
    table_options: TableOptions | None = None,
    csv_formulas: str = "neutralise",
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
        Every table goes through :func:`geo.attach.attach` with ``table_options``.
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
    table_options
        How ``data`` is read and joined (:class:`geo.attach.TableOptions`: keys, where, pivot, additive,
        aggregate, strictness…); strict with the default options.
    csv_formulas
        ``"neutralise"`` (default): in a CSV export, text cells (and column names) starting with ``=``, ``+``,
        ``-``, ``@``, a tab or a carriage return get a leading ``'`` so that a spreadsheet shows them as text
        instead of running them as formulas (numbers, and text that is a plain number such as ``"-5"``, are
        written as they are); ``"keep"``: write such cells raw. See :mod:`geo.exports.safe_csv`.

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
    chosen = validate_layers(layers)
    validate_formulas(csv_formulas)
    fmt = _validate_format(fmt, Path(path))
    if data is not None and "regions" not in chosen:
        msg = "a data table is joined onto the regions layer; add 'regions' to the layers"
        raise GeoInputError(msg)
    precision = validate_precision(precision)
    targets = _targets(Path(path), fmt, chosen)
    for target in targets.values():
        check_writable(target, force=force)
    built = build_layers(
        layers=chosen,
        data=data,
        regions=regions,
        context=context,
        precision=precision,
        table_options=table_options,
    )
    try:
        if fmt == "gpkg":
            write_gpkg(targets["*"], built, force=force)
            return [targets["*"]]
        writer = TEXT_WRITERS[fmt]
        extra = {"formulas": csv_formulas} if fmt == "csv" else {}
        files = {
            targets[name]: writer(built[name], name=name, precision=precision, **extra) for name in chosen
        }
        if fmt == "csv":  # column types and CRS beside each CSV, for GDAL and QGIS (writers.csv_sidecars)
            for name in chosen:
                for suffix, text in csv_sidecars(built[name], precision=precision).items():
                    files[targets[name].with_suffix(suffix)] = text
        paths = list(files)
        # All files are written to temporary names, then renamed into place together; a failed rename puts
        # back the files already replaced.
        with atomic_paths(paths, force=force) as temps:
            for tmp, text in zip(temps, files.values(), strict=True):
                tmp.write_bytes(text.encode("utf-8"))
        return [targets[name] for name in chosen]
    except OutputError:
        raise  # already one line naming the file (geo._io turns OSErrors while writing into OutputError)
    except (OSError, pyogrio.errors.DataSourceError) as exc:
        # The checks above pass for root on a read-only folder, or the disk fills up: still one clear line.
        where = next(iter(targets.values())).parent
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0]
        msg = f"cannot write the export into {where}: {reason}; nothing was written"
        raise OutputError(msg) from exc


_LAYER_SUFFIXES = {suffix for name in LAYER_FORMATS for suffix in FORMATS[name].suffixes}


def _validate_format(fmt: str | None, path: Path) -> str:
    if fmt is None and (path.is_dir() or path.suffix.lower() not in _LAYER_SUFFIXES):
        fmt_msg = f"cannot tell the format from {path}; pass the format (-f/fmt=) {'|'.join(LAYER_FORMATS)}"
        raise OutputError(fmt_msg)
    return format_of(path, fmt, allowed=LAYER_FORMATS)


def _targets(path: Path, fmt: str, layers: list[str]) -> dict[str, Path]:
    """Map each layer to its output file (``"*"``: the one GeoPackage)."""
    ext = FORMATS[fmt].suffixes[0]
    if fmt == "gpkg":
        if path.is_dir():
            msg = f"{path} is a folder; a GeoPackage export needs a file name such as {path / 'rukz.gpkg'}"
            raise OutputError(msg)
        return {"*": path}
    if path.suffix.lower() in FORMATS[fmt].suffixes and not path.is_dir():
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
