"""PostGIS: the export layers as tables with spatial indexes, and tables read back as GeoDataFrames.

:func:`export_postgis` writes the layers of :func:`geo.exports.build_layers` (regions, border, projects, links:
the same geometry pipeline as every other export format) into a PostgreSQL database with the PostGIS extension,
one table per layer: an identity primary key ``fid``, the attribute columns (bigint, double precision, boolean,
date/timestamp or text) and ``geom`` typed by the layer (``MultiPolygon``, ``MultiLineString``, ``Point``… in
EPSG:4326), with a GiST index and fresh statistics. All tables are written in one transaction: they appear
together or not at all; existing tables are replaced only with ``force``. :func:`read_postgis` reads a table (or
a query's rows) back. It needs the optional extra ``pip install 'rukz-geo[postgis]'`` (psycopg 3).

Column names come from user tables: they are passed as quoted identifiers, never spliced into SQL text. A data
column named ``fid`` or ``geom`` (any case) is renamed ``fid_data``/``geom_data``, as in the GeoPackage.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import GeoInputError, OutputError

__all__ = ["export_postgis", "read_postgis"]

_EXTRA = "install the optional extra: pip install 'rukz-geo[postgis]'"


def _psycopg():
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - installed with the extra
        msg = f"PostGIS export needs psycopg: {_EXTRA}"
        raise GeoInputError(msg) from exc
    return psycopg


def _where(dsn: str) -> str:
    """The DSN without its password, for messages."""
    psycopg = _psycopg()
    try:
        parts = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "the given --dsn"
    host = parts.get("host", "local socket")
    return f"{parts.get('dbname', '(default database)')} on {host}:{parts.get('port', 5432)}"


def _connect(dsn: str):
    psycopg = _psycopg()
    try:
        return psycopg.connect(dsn, connect_timeout=10)
    except psycopg.ProgrammingError as exc:
        msg = f"--dsn is not a valid PostgreSQL connection string: {str(exc).splitlines()[0]}"
        raise GeoInputError(msg) from exc
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        msg = f"cannot connect to PostgreSQL ({_where(dsn)}): {reason}"
        raise OutputError(msg) from exc


def _sql_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "bigint"
    if pd.api.types.is_float_dtype(series):
        return "double precision"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "timestamp"
    values = series.dropna()
    if len(values) and all(type(v).__name__ == "date" for v in values):
        return "date"
    return "text"


_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}
_TO_MULTI = {0: 4, 1: 5, 3: 6}
_MAKERS = {4: shapely.multipoints, 5: shapely.multilinestrings, 6: shapely.multipolygons}


def _geometry_type(geoms: np.ndarray) -> tuple[str, np.ndarray]:
    """The PostGIS geometry type of a layer; single parts promoted to multi when a layer mixes both."""
    ids = shapely.get_type_id(geoms)
    kinds = set(ids[ids >= 0].tolist())
    if len(kinds) == 1:
        return _TYPE_NAMES.get(kinds.pop(), "Geometry"), geoms
    multi = {_TO_MULTI.get(k, k) for k in kinds}
    if len(multi) == 1 and (target := multi.pop()) in _MAKERS:
        out = geoms.copy()
        single = ids == next(k for k, v in _TO_MULTI.items() if v == target)
        out[single] = [_MAKERS[target]([g]) for g in geoms[single]]
        return _TYPE_NAMES[target], out
    return "Geometry", geoms


def _columns(frame: gpd.GeoDataFrame) -> list[tuple[str, str]]:
    """(column in the table, source column) for the attributes, reserved names renamed."""
    taken = {"fid", "geom"}
    out = []
    for col in frame.columns:
        if col == frame.geometry.name:
            continue
        name = str(col)
        if name.lower() in ("fid", "geom"):
            name = f"{name}_data"
        while name.lower() in taken:
            name = f"{name}_2"
        taken.add(name.lower())
        out.append((name, col))
    return out


def _write_table(cur, schema: str, name: str, frame: gpd.GeoDataFrame, *, force: bool) -> None:
    from psycopg import sql

    table = sql.Identifier(schema, name)
    cur.execute("SELECT to_regclass(%s)", [f'"{schema}"."{name}"'])
    if cur.fetchone()[0] is not None:
        if not force:
            msg = f"table {schema}.{name} exists; pass --force (force=True) to replace it"
            raise OutputError(msg)
        cur.execute(sql.SQL("DROP TABLE {}").format(table))
    columns = _columns(frame)
    gtype, geoms = _geometry_type(frame.geometry.to_numpy())
    defs: list[sql.Composable] = [sql.SQL("fid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")]
    defs += [sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(_sql_type(frame[src]))) for c, src in columns]
    defs.append(sql.SQL("geom geometry({}, 4326)").format(sql.SQL(gtype)))
    cur.execute(sql.SQL("CREATE TABLE {} ({})").format(table, sql.SQL(", ").join(defs)))
    wkb = shapely.to_wkb(shapely.set_srid(geoms, 4326), hex=True, include_srid=True)
    names = [sql.Identifier(c) for c, _ in columns] + [sql.Identifier("geom")]
    copy = sql.SQL("COPY {} ({}) FROM STDIN").format(table, sql.SQL(", ").join(names))
    values = [frame[src].astype(object).where(frame[src].notna(), None).tolist() for _, src in columns]
    with cur.copy(copy) as out:
        for row in zip(*values, wkb.tolist(), strict=True):
            out.write_row([_plain(v) for v in row])
    index = sql.Identifier(f"{name}_geom_idx")
    cur.execute(sql.SQL("CREATE INDEX {} ON {} USING GIST (geom)").format(index, table))
    cur.execute(sql.SQL("ANALYZE {}").format(table))


def _plain(value: Any) -> Any:
    """Numpy scalars as Python values for COPY."""
    return value.item() if isinstance(value, np.generic) else value


def export_postgis(
    dsn: str,
    *,
    layers: Sequence[str] | str = ("regions", "border", "projects", "links"),
    schema: str = "public",
    force: bool = False,
    **build: Any,
) -> list[str]:
    """Write the export layers into PostGIS tables with spatial indexes, in one transaction.

    Parameters
    ----------
    dsn
        A libpq connection string or URI (``postgresql://user@host:5432/db``); the password may come from
        ``~/.pgpass`` or ``PGPASSWORD`` rather than the command line.
    layers
        Any of ``"regions"``, ``"border"``, ``"projects"``, ``"links"``; all by default. Each becomes a table of
        that name.
    schema
        The schema that receives the tables (it must exist).
    force
        Replace existing tables of the same names.
    **build
        ``data``, ``regions``, ``context``, ``precision``, ``table_options``, as for :func:`geo.export`.

    Returns
    -------
    list of str
        The tables written, ``schema.name``.

    Raises
    ------
    GeoInputError
        A bad DSN, layer or data table (nothing is written).
    OutputError
        No connection, PostGIS missing and not installable, an existing table without ``force``.
    """
    from geo.exports.layers import build_layers, validate_layers, validate_precision

    chosen = validate_layers(layers)
    if "precision" in build:
        build["precision"] = validate_precision(build["precision"])
    built = build_layers(layers=chosen, **build)
    psycopg = _psycopg()
    with _connect(dsn) as conn:
        try:
            with conn.transaction(), conn.cursor() as cur:
                _ensure_postgis(cur, dsn)
                for name in chosen:
                    _write_table(cur, schema, name, built[name], force=force)
        except psycopg.errors.InvalidSchemaName as exc:
            msg = f"schema {schema!r} does not exist in {_where(dsn)}; create it or pass another"
            raise OutputError(msg) from exc
        except psycopg.Error as exc:
            msg = (
                f"cannot write to PostgreSQL ({_where(dsn)}): {str(exc).splitlines()[0]}; nothing was written"
            )
            raise OutputError(msg) from exc
    return [f"{schema}.{name}" for name in chosen]


def _ensure_postgis(cur, dsn: str) -> None:
    cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
    if cur.fetchone():
        return
    cur.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
    if not cur.fetchone():
        msg = f"the PostgreSQL server of {_where(dsn)} has no PostGIS: install it (Debian: postgresql-NN-postgis-3)"
        raise OutputError(msg)
    cur.execute("CREATE EXTENSION postgis")


def read_postgis(dsn: str, table: str, *, schema: str = "public", geometry: str = "geom") -> gpd.GeoDataFrame:
    """Read a PostGIS table back as a GeoDataFrame (e.g. to pass as ``geo.regions(boundaries=…)``).

    Parameters
    ----------
    dsn
        Connection string or URI.
    table, schema
        The table to read.
    geometry
        Its geometry column.

    Returns
    -------
    geopandas.GeoDataFrame
        Every column, ordered by ``fid`` when the table has one, in the CRS of the geometry column's SRID.
    """
    from psycopg import sql

    psycopg = _psycopg()
    with _connect(dsn) as conn, conn.cursor() as cur:
        try:
            cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s"
                " ORDER BY ordinal_position",
                [schema, table],
            )
            cols = [r[0] for r in cur.fetchall()]
            if not cols:
                msg = f"no table {schema}.{table} in {_where(dsn)}"
                raise GeoInputError(msg)
            if geometry not in cols:
                msg = f"table {schema}.{table} has no geometry column {geometry!r}; columns are {', '.join(cols)}"
                raise GeoInputError(msg)
            ident = sql.Identifier(schema, table)
            cur.execute(
                sql.SQL("SELECT Find_SRID({}, {}, {})").format(
                    sql.Literal(schema), sql.Literal(table), sql.Literal(geometry)
                )
            )
            srid = cur.fetchone()[0]
            picks = [
                sql.SQL("ST_AsBinary({})").format(sql.Identifier(c)) if c == geometry else sql.Identifier(c)
                for c in cols
            ]
            order = sql.SQL(" ORDER BY fid") if "fid" in cols else sql.SQL("")
            cur.execute(sql.SQL("SELECT {} FROM {}{}").format(sql.SQL(", ").join(picks), ident, order))
            rows = cur.fetchall()
        except psycopg.Error as exc:
            msg = f"cannot read {schema}.{table} from {_where(dsn)}: {str(exc).splitlines()[0]}"
            raise GeoInputError(msg) from exc
    frame = pd.DataFrame(rows, columns=cols)
    geoms = shapely.from_wkb(frame.pop(geometry).map(lambda b: bytes(b) if b is not None else None))
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, name=geometry), crs=srid or None)
