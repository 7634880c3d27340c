"""Streaming on one machine: locate points, and total them by region, from Parquet or CSV in batches.

:func:`locate_file` reads a Parquet file or dataset (a folder of Parquet files, found with :mod:`pyarrow.dataset`,
read file by file, a row group at a time) or a UTF-8 CSV file (pandas' chunked parser) batch by batch, runs
:func:`geo.locate` on each batch and appends the result to a Parquet or CSV output, so memory is bounded by the
batch size (``batch_rows``), not by the input. :func:`aggregate_file` does the same but keeps only per-region
totals (record counts and sums of the columns named ``additive``).

Both use the grid engine of :mod:`geo._pip`, built once and reused by every batch. The output appears whole or
not at all (written beside the target and renamed at the end). Errors in a batch name the file and the rows in
the whole input. CSV columns are read as text and written as given (coordinates are parsed by :func:`geo.locate`).
Neither reader runs ahead of the work: both pyarrow readers that did (the dataset scanner, the streaming CSV
reader) held the whole input in memory when the consumer was slower (``tests/test_stream.py`` checks this).
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from geo._io import atomic_path
from geo.errors import GeoInputError, TableError

__all__ = ["DEFAULT_BATCH_ROWS", "aggregate_file", "aggregate_names_file", "iter_batches", "locate_file"]

#: Rows per batch: ~0.3 GB peak for locate with a few extra columns (see bench/bench_locate.py).
DEFAULT_BATCH_ROWS = 500_000
_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}


def _format(path: Path, what: str) -> str:
    if path.is_dir():
        return "parquet"
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        msg = f"{what} {path}: unknown format {path.suffix!r}; use .parquet (or a folder of them) or .csv"
        raise GeoInputError(msg)
    return fmt


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        try:
            return next(csv.reader(fh))
        except StopIteration:
            msg = f"{path} is empty: no header row"
            raise TableError(msg) from None
        except UnicodeDecodeError:
            msg = f"{path} is not UTF-8; save it as UTF-8 (or convert it to Parquet) to stream it"
            raise TableError(msg) from None


def iter_batches(
    source: str | Path, *, columns: Sequence[str] | None = None, batch_rows: int = DEFAULT_BATCH_ROWS
) -> Iterator[pd.DataFrame]:
    """Yield ``source`` as DataFrames of at most ``batch_rows`` rows.

    Parameters
    ----------
    source
        A ``.parquet`` file, a folder of Parquet files (a dataset) or a UTF-8 ``.csv`` file.
    columns
        Only these columns (all by default).
    batch_rows
        Upper bound of the rows per batch.

    Yields
    ------
    pandas.DataFrame
        Consecutive batches, each with a RangeIndex continuing the previous one (row 0 is the first data row).
    """
    path = Path(source)
    if not path.exists():
        msg = f"no such file or folder: {path}"
        raise GeoInputError(msg)
    if batch_rows < 1:
        msg = f"batch_rows must be >= 1, not {batch_rows}"
        raise GeoInputError(msg)
    if _format(path, "input") == "parquet":
        try:
            dataset = pads.dataset(path, format="parquet")
        except (pa.ArrowInvalid, OSError) as exc:
            msg = f"{path} is not a readable Parquet file or dataset: {exc}"
            raise TableError(msg) from exc
        _check_columns(path, dataset.schema.names, columns)
        batches = _parquet_batches(dataset, columns, batch_rows)
    else:
        names = _csv_header(path)
        _check_columns(path, names, columns)
        batches = _csv_batches(path, columns, batch_rows)
    start = 0
    for batch in batches:
        frame = batch if isinstance(batch, pd.DataFrame) else batch.to_pandas()
        if frame.empty:
            continue
        frame.index = pd.RangeIndex(start, start + len(frame))
        start += len(frame)
        yield frame


def _parquet_batches(dataset: pads.Dataset, columns: Sequence[str] | None, batch_rows: int) -> Iterator:
    """The files of a dataset one after the other, a row group at a time.

    The dataset scanner (``dataset.to_batches``) reads ahead as fast as it can: with a slower consumer it held
    the whole input in memory (0.44 GB of 2 * 10^7 points). A file's ``iter_batches`` reads only what is asked.
    """
    schema = dataset.schema if not columns else pa.schema([dataset.schema.field(c) for c in columns])
    for fragment in dataset.get_fragments():
        with pq.ParquetFile(fragment.path, filesystem=dataset.filesystem) as file:
            for batch in file.iter_batches(batch_size=batch_rows, columns=list(columns) if columns else None):
                yield pa.Table.from_batches([batch]).select(schema.names).cast(schema)


def _csv_batches(path: Path, columns: Sequence[str] | None, batch_rows: int) -> Iterator[pd.DataFrame]:
    """The CSV file ``batch_rows`` rows at a time, every cell as text (pandas' chunked C parser).

    pyarrow's streaming CSV reader parsed the whole file ahead of its consumer, threads or not (0.86 GB peak for
    10^7 points against 0.43 GB for 10^6); pandas' chunks are read when asked.
    """
    reader = pd.read_csv(
        path,
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
        usecols=list(columns) if columns else None,
        chunksize=batch_rows,
    )
    with reader:
        yield from reader


def _check_columns(path: Path, names: Sequence[str], wanted: Sequence[str] | None) -> None:
    missing = [c for c in wanted or [] if c not in names]
    if missing:
        msg = f"{path}: no column {', '.join(map(repr, missing))}; columns are {', '.join(map(repr, names))}"
        raise GeoInputError(msg)


def _locate_batch(frame: pd.DataFrame, source: Path, options: dict, suspects: list[int]) -> pd.DataFrame:
    from geo.locate import locate

    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always", UserWarning)
        try:
            out = locate(frame.reset_index(drop=True), **options)
        except GeoInputError as exc:
            first = frame.index[0] + 1
            msg = (
                f"{source}, rows {first:,}–{frame.index[-1] + 1:,} (row numbers below count from {first:,}, "
                f"the first data row of the file being 1): {exc}"
            )
            raise type(exc)(msg) from exc
    suspects.append(int(out["swapped_suspect"].sum()))
    out.index = frame.index
    return out


def _options(
    *,
    lon: str = "lon",
    lat: str = "lat",
    crs: str | None = None,
    regions: gpd.GeoDataFrame | None = None,
    tolerance_m: float = 1000.0,
) -> dict:
    """The keywords of :func:`geo.locate` for every batch, with the regions loaded once."""
    from geo.boundaries import regions as load_regions

    regions = load_regions() if regions is None else regions
    return {"lon": lon, "lat": lat, "crs": crs, "regions": regions, "tolerance_m": tolerance_m}


def locate_file(
    source: str | Path,
    output: str | Path,
    *,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    force: bool = True,
    **options: Any,
) -> int:
    """Locate the points of a Parquet or CSV file batch by batch and write them with their regions.

    Parameters
    ----------
    source
        A ``.parquet`` file, a folder of Parquet files or a UTF-8 ``.csv`` file with ``lon``/``lat`` columns.
    output
        ``.parquet`` or ``.csv``: every input column plus ``code``, ``codes``, ``outside``, ``near_boundary``
        and ``swapped_suspect`` (see :func:`geo.locate`).
    batch_rows
        Rows per batch: the peak memory grows with it, not with the input.
    force
        Overwrite an existing ``output``.
    **options
        ``lon``, ``lat``, ``crs``, ``regions``, ``tolerance_m``, as for :func:`geo.locate`.

    Returns
    -------
    int
        The number of rows written.

    Raises
    ------
    GeoInputError
        A missing column, bad coordinates (naming the rows in the whole file), an unknown format.

    Warns
    -----
    UserWarning
        Once at the end, with the number of points flagged ``swapped_suspect``.
    """
    source, output = Path(source), Path(output)
    out_fmt = _format(output, "output")
    options = _options(**options)
    suspects: list[int] = []
    rows = 0
    with atomic_path(output, force=force) as tmp:
        writer = None
        schema = None
        try:
            for frame in iter_batches(source, batch_rows=batch_rows):
                out = _locate_batch(frame, source, options, suspects)
                table = pa.Table.from_pandas(out, preserve_index=False)
                if schema is None:
                    schema = table.schema.remove_metadata()
                    writer = (
                        pq.ParquetWriter(tmp, schema)
                        if out_fmt == "parquet"
                        else pacsv.CSVWriter(tmp, schema)
                    )
                assert writer is not None  # made together with the schema, on the first batch
                writer.write_table(table.cast(schema))
                rows += len(out)
            if writer is None:
                msg = f"{source} has no data rows"
                raise TableError(msg)
        finally:
            if writer is not None:
                writer.close()
    _warn_suspects(sum(suspects), rows, source)
    return rows


def _warn_suspects(count: int, rows: int, source: Path) -> None:
    if count:
        warnings.warn(
            f"{count:,} of {rows:,} point(s) in {source} fall outside every region but inside one once "
            "longitude and latitude are swapped; they stay outside and are flagged in 'swapped_suspect'",
            stacklevel=3,
        )


def aggregate_file(
    source: str | Path,
    *,
    lon: str = "lon",
    lat: str = "lat",
    additive: Sequence[str] = (),
    crs: str | None = None,
    regions: gpd.GeoDataFrame | None = None,
    tolerance_m: float = 1000.0,
    batch_rows: int = DEFAULT_BATCH_ROWS,
) -> pd.DataFrame:
    """Count the records of a Parquet or CSV file by the region their point lies in, and sum columns.

    Parameters
    ----------
    source
        As for :func:`locate_file`.
    lon, lat, crs, regions, tolerance_m
        As for :func:`geo.locate`.
    additive
        Numeric columns to sum by region (a cell that is not a number is an error naming the row).
    batch_rows
        Rows per batch.

    Warns
    -----
    UserWarning
        Once at the end, with the number of points outside that would lie in a region once swapped.

    Returns
    -------
    pandas.DataFrame
        One row per region with at least one record, indexed by ``code`` (sorted), with ``records`` and one
        column per ``additive`` column; records outside every region are left out (``attrs["outside"]`` holds
        their count). Join it onto the regions with :func:`geo.join`.
    """
    source = Path(source)
    options = _options(lon=lon, lat=lat, crs=crs, regions=regions, tolerance_m=tolerance_m)
    additive = list(additive)
    columns = list(dict.fromkeys([lon, lat, *additive]))
    suspects: list[int] = []
    totals: pd.DataFrame | None = None
    outside = 0
    for frame in iter_batches(source, columns=columns, batch_rows=batch_rows):
        values = {c: _numbers(frame[c], c, source) for c in additive}
        out = _locate_batch(frame[[lon, lat]], source, options, suspects)
        inside = ~out["outside"].to_numpy()
        outside += int((~inside).sum())
        part = pd.DataFrame({"code": out["code"].to_numpy()[inside], "records": 1})
        for c, v in values.items():
            part[c] = v[inside]
        part = part.groupby("code", sort=False).sum()
        totals = part if totals is None else totals.add(part, fill_value=0)
    if totals is None:
        msg = f"{source} has no data rows"
        raise TableError(msg)
    _warn_suspects(sum(suspects), int(totals["records"].sum()) + outside, source)
    totals = totals.sort_index()
    totals["records"] = totals["records"].astype(np.int64)
    totals.attrs["outside"] = outside
    return totals


def _numbers(values: pd.Series, column: str, source: Path) -> np.ndarray:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(
        np.isnan(numbers) & values.notna().to_numpy() & (values.astype(str).str.strip() != "")
    )
    if bad.size:
        shown = ", ".join(f"{values.index[i] + 1} ({values.iloc[i]!r})" for i in bad[:5])
        msg = f"{source}, column {column!r}: {bad.size} cell(s) that are not numbers: rows {shown}"
        raise TableError(msg)
    return np.nan_to_num(numbers)


def aggregate_names_file(
    source: str | Path,
    *,
    region: str,
    additive: Sequence[str] = (),
    country: str | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
) -> pd.DataFrame:
    """Count the records of a Parquet or CSV file by the region their name column names, and sum columns.

    Each distinct label is resolved once (:meth:`geo.catalog.Catalog.classify`), however many batches repeat it;
    memory holds one batch and the totals.

    Parameters
    ----------
    source
        As for :func:`locate_file`.
    region
        The column with region names or codes, in any spelling the catalogue knows.
    additive
        Numeric columns to sum by region.
    country
        ``"RU"`` or ``"KZ"`` to resolve names in one country only.
    batch_rows
        Rows per batch.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code`` (sorted), with ``records`` and one column per ``additive`` column. Join it onto the
        regions with :func:`geo.join` (``many="one"``: one row per code).

    Raises
    ------
    TableError
        An empty, unknown, ambiguous or aggregate label (a country total, a federal district), naming the label,
        its first row in the whole file and, where known, the candidates; a cell of ``additive`` that is not a
        number. Rosstat's column-wide rule for bare oblast names (:meth:`~geo.catalog.Catalog.classify_all`) is
        not applied across batches: read such tables with :func:`geo.read_table`.
    """
    from geo.catalog import catalog

    cat = catalog()
    source = Path(source)
    additive = list(additive)
    resolved: dict[str, str] = {}
    totals: pd.DataFrame | None = None
    for frame in iter_batches(
        source, columns=list(dict.fromkeys([region, *additive])), batch_rows=batch_rows
    ):
        labels = frame[region].astype("string").fillna("").str.strip()
        for label in labels.unique():
            if label not in resolved:
                resolved[label] = _resolve_label(cat, label, labels, source, region, country)
        part = pd.DataFrame({"code": labels.map(resolved).to_numpy(), "records": 1})
        for c in additive:
            part[c] = _numbers(frame[c], c, source)
        part = part.groupby("code", sort=False).sum()
        totals = part if totals is None else totals.add(part, fill_value=0)
    if totals is None:
        msg = f"{source} has no data rows"
        raise TableError(msg)
    totals = totals.sort_index()
    totals["records"] = totals["records"].astype(np.int64)
    return totals


def _resolve_label(cat, label: str, labels: pd.Series, source: Path, column: str, country: str | None) -> str:
    """The code of one label, or a TableError naming it and its first row."""
    row = int(labels.index[(labels == label).to_numpy()][0]) + 1
    where = f"{source}, column {column!r}, row {row:,}"
    if not label:
        msg = f"{where}: empty region name; fill or drop the rows without one"
        raise TableError(msg)
    res = cat.classify(label, country=country)
    if res.status == "region":
        return res.code
    if res.status == "ambiguous":
        msg = f"{where}: {label!r} is ambiguous: {' or '.join(res.suggestions or res.codes)}; use the code"
    elif res.status == "aggregate":
        msg = f"{where}: {label!r} is not one region but an aggregate ({res.note or 'several regions'}); drop it"
    else:
        hint = cat.suggest(label, country=country)
        msg = f"{where}: unknown region {label!r}" + (f"; did you mean {', '.join(hint)}?" if hint else "")
    raise TableError(msg)
