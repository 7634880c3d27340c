"""``geo locate``: the region of every point of a Parquet or CSV file, streamed or on dask; totals by region."""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.cli._common import SubParsers, add_boundaries_option
from geo.errors import GeoInputError


def add_locate(sub: SubParsers) -> None:
    """Register ``geo locate``."""
    p = sub.add_parser(
        "locate",
        help="the region of every point of a Parquet/CSV file (streamed, or on dask); totals by region",
        description="Read the points of INPUT (a .parquet file, a folder of Parquet files or a UTF-8 .csv) "
        "in batches, find the region each lies in and write them to OUT with the columns code, codes, "
        "outside, near_boundary, swapped_suspect (.parquet or .csv). Memory is bounded by --batch-rows, "
        "not by the input. With --by-region, OUT gets one row per region instead: the number of records "
        "and the sums of the --sum columns. --engine dask runs the same on a dask cluster (a local one, "
        "or --scheduler ADDRESS); it needs the optional extra: pip install 'rukz-geo[dask]'.",
        epilog="examples:\n"
        "  geo locate fixes.parquet -o located.parquet\n"
        "  geo locate fixes.csv --lon x --lat y -o located.csv\n"
        "  geo locate shipments.parquet --by-region --sum tonnes -o tonnes_by_region.csv\n"
        "  geo locate fixes/ -o located.parquet --engine dask --scheduler tcp://10.0.0.5:8786",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", metavar="INPUT", help=".parquet file, folder of Parquet files, or UTF-8 .csv")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file: .parquet or .csv")
    p.add_argument("--lon", default="lon", metavar="COL", help="longitude column (default: lon)")
    p.add_argument("--lat", default="lat", metavar="COL", help="latitude column (default: lat)")
    p.add_argument("--crs", help="CRS of the coordinate columns (default: EPSG:4326 longitude/latitude)")
    p.add_argument(
        "--tolerance-m",
        type=float,
        default=1000.0,
        metavar="M",
        help="flag points within M metres of a region boundary (default 1000)",
    )
    p.add_argument("--by-region", action="store_true", help="write totals by region instead of the points")
    p.add_argument("--sum", nargs="+", default=[], metavar="COL", help="with --by-region: columns to sum")
    p.add_argument(
        "--batch-rows",
        type=int,
        default=500_000,
        metavar="N",
        help="rows per batch of the streaming engine (default 500000, ~0.3 GB)",
    )
    p.add_argument("--engine", choices=["stream", "dask"], default="stream", help="stream (default) or dask")
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="with --engine dask: an existing scheduler (tcp://host:8786)"
    )
    p.add_argument(
        "--workers", type=int, default=2, metavar="N", help="with --engine dask: local workers (default 2)"
    )
    p.add_argument("--force", action="store_true", help="overwrite OUT")
    add_boundaries_option(p)
    p.set_defaults(func=run_locate)


def run_locate(args: argparse.Namespace) -> int:
    """Locate (or total) the points and write OUT; print a one-line summary."""
    from geo._io import check_writable
    from geo.boundaries import regions

    if args.sum and not args.by_region:
        msg = "--sum needs --by-region (the located points keep every column anyway)"
        raise GeoInputError(msg)
    if args.scheduler and args.engine != "dask":
        msg = "--scheduler needs --engine dask"
        raise GeoInputError(msg)
    out = Path(args.output)
    if out.suffix.lower() not in (".parquet", ".csv"):
        msg = f"output {out}: unknown format {out.suffix!r}; use .parquet or .csv"
        raise GeoInputError(msg)
    if not (args.engine == "dask" and out.is_dir()):
        check_writable(out, force=args.force)
    elif not args.force:
        msg = f"{out} exists; pass --force to overwrite it"
        raise GeoInputError(msg)
    options = {
        "lon": args.lon,
        "lat": args.lat,
        "crs": args.crs,
        "regions": regions(boundaries=args.boundaries, vintage=args.vintage),
        "tolerance_m": args.tolerance_m,
    }
    if args.engine == "dask":
        return _run_dask(args, out, options)
    from geo import stream

    if args.by_region:
        totals = stream.aggregate_file(args.input, additive=args.sum, batch_rows=args.batch_rows, **options)
        _write_totals(totals, out, force=args.force)
        print(f"{out}: {len(totals)} regions, {int(totals['records'].sum()):,} records inside")
        print(f"{totals.attrs['outside']:,} records outside every region")
        return 0
    rows = stream.locate_file(args.input, out, batch_rows=args.batch_rows, force=args.force, **options)
    print(f"{out}: {rows:,} rows")
    return 0


def _run_dask(args: argparse.Namespace, out: Path, options: dict) -> int:
    from geo import distributed

    with distributed.cluster(args.scheduler, n_workers=args.workers):
        if args.by_region:
            located = distributed.locate(distributed.read(args.input), **options)
            totals = distributed.aggregate(located, additive=args.sum)
            _write_totals(totals, out, force=args.force)
            print(f"{out}: {len(totals)} regions, {int(totals['records'].sum()):,} records inside")
            return 0
        distributed.locate_file(args.input, out, force=args.force, **options)
    print(f"{out}: written by dask")
    return 0


def _write_totals(totals, out: Path, *, force: bool) -> None:
    from geo._io import atomic_path

    with atomic_path(out, force=force) as tmp:
        if out.suffix.lower() == ".csv":
            totals.to_csv(tmp)
        else:
            totals.to_parquet(tmp)


def add_aggregate(sub: SubParsers) -> None:
    """Register ``geo aggregate``."""
    p = sub.add_parser(
        "aggregate",
        help="records per region (and sums) of a Parquet/CSV file too large for memory, by region name",
        description="Read RECORDS (a .parquet file, a folder of Parquet files or a UTF-8 .csv) in batches, "
        "resolve the region column (any spelling the catalogue knows, each distinct label once) and write "
        "one row per region to OUT: the number of records and the sums of the --sum columns. An unknown, "
        "ambiguous or aggregate label stops it with the label and its row. For records with coordinates "
        "instead of names: geo locate --by-region.",
        epilog="example: geo aggregate customs_2023.parquet --region region --sum value_usd -o by_region.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("records", metavar="RECORDS", help=".parquet file, folder of Parquet files, or UTF-8 .csv")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file: .csv or .parquet")
    p.add_argument("--region", required=True, metavar="COL", help="column with region names or codes")
    p.add_argument("--sum", nargs="+", default=[], metavar="COL", help="numeric columns to sum")
    p.add_argument(
        "--country", type=str.upper, choices=["RU", "KZ"], help="resolve names in one country only"
    )
    p.add_argument(
        "--batch-rows", type=int, default=500_000, metavar="N", help="rows per batch (default 500000)"
    )
    p.add_argument("--force", action="store_true", help="overwrite OUT")
    p.set_defaults(func=run_aggregate)


def run_aggregate(args: argparse.Namespace) -> int:
    """Total the records by region name and write OUT."""
    from geo import stream
    from geo._io import check_writable

    out = Path(args.output)
    if out.suffix.lower() not in (".parquet", ".csv"):
        msg = f"output {out}: unknown format {out.suffix!r}; use .parquet or .csv"
        raise GeoInputError(msg)
    check_writable(out, force=args.force)
    totals = stream.aggregate_names_file(
        args.records, region=args.region, additive=args.sum, country=args.country, batch_rows=args.batch_rows
    )
    _write_totals(totals, out, force=args.force)
    print(f"{out}: {len(totals)} regions, {int(totals['records'].sum()):,} records")
    return 0
