"""The same calls on a dask cluster: :func:`geo.locate` on a dask(-geopandas) frame, totals by region through dask.

Install the optional extra: ``pip install 'rukz-geo[dask]'`` (dask, distributed, dask-geopandas). Each partition
is located with :func:`geo.locate` on the worker (the grid engine of :mod:`geo._pip` is built once per worker
process and reused by its partitions), so the result is the same as the in-memory path, partition by partition.

- :func:`locate` takes a ``dask.dataframe.DataFrame`` with lon/lat columns or a ``dask_geopandas.GeoDataFrame``
  and returns the same kind of frame with ``code``, ``codes``, ``outside``, ``near_boundary`` and
  ``swapped_suspect`` (lazy: nothing runs until you compute or write it). ``geo.locate(ddf)`` calls it.
- :func:`aggregate` totals a located frame by region (record counts and sums), computed on the cluster.
- :func:`cluster` gives a ``distributed.Client``: a local cluster by default, or one connected to a scheduler.
- :func:`locate_file` reads Parquet (a file or a dataset folder) or CSV with dask and writes the located points.

Count the ``swapped_suspect`` column for points that look swapped: the per-partition warning is silenced (on
threaded workers it may still show, as warning filters are process-wide). Errors raised in a
partition (e.g. coordinates out of range) name the rows counted from the start of that partition.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.errors import GeoInputError

__all__ = ["aggregate", "cluster", "is_dask", "locate", "locate_file"]

_EXTRA = "install the optional extra: pip install 'rukz-geo[dask]'"


def is_dask(obj: object) -> bool:
    """True for a dask or dask-geopandas DataFrame/Series (without importing dask when it is not loaded)."""
    if "dask" not in sys.modules:
        return False
    import dask

    return dask.is_dask_collection(obj) and hasattr(obj, "map_partitions")


def _require():
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - the extra is installed in the dev venv
        msg = f"the dask engine needs dask: {_EXTRA}"
        raise GeoInputError(msg) from exc
    return dd


def _locate_partition(part: pd.DataFrame, options: dict) -> pd.DataFrame:
    from geo.locate import locate as locate_frame

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the swapped_suspect column carries it
        return locate_frame(part, **options)


def locate(
    points,
    *,
    lon: str = "lon",
    lat: str = "lat",
    crs: str | None = None,
    regions: gpd.GeoDataFrame | None = None,
    tolerance_m: float = 1000.0,
):
    """Locate the points of a dask frame, partition by partition (lazy).

    Parameters
    ----------
    points
        A ``dask.dataframe.DataFrame`` with ``lon``/``lat`` columns or a ``dask_geopandas.GeoDataFrame``.
    lon, lat, crs, regions, tolerance_m
        As for :func:`geo.locate`.

    Returns
    -------
    dask.dataframe.DataFrame or dask_geopandas.GeoDataFrame
        The frame with the five columns of :func:`geo.locate`, same partitions and index.
    """
    _require()
    if regions is None:
        from geo.boundaries import regions as load_regions

        regions = load_regions()
    options = {"lon": lon, "lat": lat, "crs": crs, "regions": regions, "tolerance_m": tolerance_m}
    meta = _locate_partition(points._meta, options)  # also checks the columns and options early
    return points.map_partitions(_locate_partition, options, meta=meta)


def aggregate(located, *, additive: Sequence[str] = ()) -> pd.DataFrame:
    """Count the located records by region and sum ``additive`` columns, on the cluster.

    Parameters
    ----------
    located
        A dask frame returned by :func:`locate` (or any with a ``code`` column).
    additive
        Numeric columns to sum.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code`` (sorted, regions with records only), with ``records`` and the sums; records
        outside every region are left out and counted in ``attrs["outside"]``.
    """
    missing = [c for c in ["code", *additive] if c not in located.columns]
    if missing:
        msg = f"no column {', '.join(map(repr, missing))} to aggregate; locate the frame first"
        raise GeoInputError(msg)
    frame = located[["code", *additive]]
    if additive:  # CSV columns are read as text: numbers are checked, cell by cell, on the workers
        meta = frame._meta.astype(dict.fromkeys(additive, float))
        frame = frame.map_partitions(_numeric, list(additive), meta=meta)
    inside = frame[frame["code"].notnull()].assign(records=1)
    totals = inside.groupby("code").agg(dict.fromkeys(["records", *additive], "sum"))
    outside = (located["code"].isnull()).sum()
    import dask

    totals, outside = dask.compute(totals, outside)
    totals = totals[["records", *additive]].sort_index()
    totals.index = totals.index.astype(str)
    totals.attrs["outside"] = int(outside)
    return totals


def _numeric(part: pd.DataFrame, additive: list[str]) -> pd.DataFrame:
    from geo.stream import _numbers

    part = part.copy()
    for c in additive:
        part[c] = _numbers(part[c], c, Path("partition"))
    return part


@contextlib.contextmanager
def cluster(
    scheduler: str | None = None, *, n_workers: int = 2, threads_per_worker: int = 1, processes: bool = True
) -> Iterator[Any]:
    """A ``distributed.Client`` for the duration of a ``with`` block.

    Parameters
    ----------
    scheduler
        Address of an existing scheduler (``tcp://host:8786``); by default a local cluster is started.
    n_workers, threads_per_worker, processes
        Shape of the local cluster (ignored with ``scheduler``).

    Yields
    ------
    distributed.Client
        The client; dask computations in the block run on its cluster.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover
        msg = f"the dask engine needs distributed: {_EXTRA}"
        raise GeoInputError(msg) from exc
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            msg = f"cannot reach the dask scheduler at {scheduler}: {exc}"
            raise GeoInputError(msg) from exc
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=threads_per_worker,
            processes=processes,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,  # workers heartbeating while the cluster closes log errors
        ) as local,
        Client(local) as client,
    ):
        yield client


def read(source: str | Path, *, blocksize: str = "64MB"):
    """A dask frame of a Parquet file or dataset folder, or of a CSV file (columns as text but lon/lat)."""
    dd = _require()
    path = Path(source)
    if not path.exists():
        msg = f"no such file or folder: {path}"
        raise GeoInputError(msg)
    if path.is_dir() or path.suffix.lower() in (".parquet", ".pq"):
        return dd.read_parquet(str(path))
    if path.suffix.lower() == ".csv":
        return dd.read_csv(str(path), dtype=str, keep_default_na=False, blocksize=blocksize)
    msg = f"input {path}: unknown format {path.suffix!r}; use .parquet (or a folder of them) or .csv"
    raise GeoInputError(msg)


def locate_file(
    source: str | Path,
    output: str | Path,
    *,
    force: bool = True,
    blocksize: str = "64MB",
    **options: Any,
) -> Path:
    """Locate the points of ``source`` with dask (on the current client) and write them to ``output``.

    Parameters
    ----------
    source
        ``.parquet`` file, folder of Parquet files, or ``.csv``.
    output
        ``.csv`` (one file) or ``.parquet`` (a folder of Parquet files, one per partition, as dask writes).
    force
        Replace an existing ``output``.
    blocksize
        CSV bytes per partition.
    **options
        ``lon``, ``lat``, ``crs``, ``regions``, ``tolerance_m`` as for :func:`geo.locate`.

    Returns
    -------
    pathlib.Path
        ``output``, written whole (in a temporary sibling, renamed at the end).
    """
    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        msg = f"output {output}: unknown format {output.suffix!r}; use .parquet (a folder) or .csv"
        raise GeoInputError(msg)
    if output.exists() and not force:
        msg = f"{output} exists; pass --force (force=True) to overwrite it"
        raise GeoInputError(msg)
    located = locate(read(source, blocksize=blocksize), **options)
    parent = output.parent if str(output.parent) else Path(".")
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=parent))
    try:
        if suffix == ".csv":
            located.to_csv(str(tmp / "all.csv"), single_file=True, index=False)
            written = tmp / "all.csv"
        else:
            located.to_parquet(str(tmp / "parts"), write_index=False)
            written = tmp / "parts"
        if output.is_dir():
            shutil.rmtree(output)
        os.replace(written, output)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return output
