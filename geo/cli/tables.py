"""``geo check`` and ``geo join``: a user's table, its join report, and the regions with its columns."""

from __future__ import annotations

import argparse

from geo.cli._common import SubParsers, add_boundaries_option, add_table_options, regions_of, table_options


def _add_table(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "table", metavar="TABLE", help="CSV/TSV (any delimiter, UTF-8 or cp1251), .xlsx or .parquet"
    )


def add_check(sub: SubParsers) -> None:
    """Register ``geo check``."""
    p = sub.add_parser(
        "check",
        help="check a table's region names and numbers (the join report)",
        description="Resolve every region of TABLE and print the join report: rows matched, "
        "unknown (with suggestions), ambiguous, duplicated keys, cells that are not "
        "numbers, periods, totals (compared with their parts). With --boundaries or --vintage, also "
        "polygons that combine units a row of which is missing (never a partial sum). Exit code 0 when "
        "the table joins cleanly, 2 when it has problems.",
        epilog="example: geo check trade.csv --keys year; geo check population.csv --vintage 2017",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_table(p)
    add_table_options(p, join=False)
    add_boundaries_option(p)
    p.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Print the join report; exit code 0 when clean, 2 otherwise."""
    options = table_options(args)
    prepared = options.read(args.table)
    report = prepared[1]
    if (
        args.boundaries or args.vintage
    ) and not report.problems:  # polygons that combine units: a part missing?
        import warnings
        from dataclasses import replace

        from geo.attach import attach

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            attach(  # a check: combining rows by sum is enough to see which polygons lack a part
                regions_of(args),
                args.table,
                options=replace(
                    options,
                    strict=False,
                    many="aggregate",
                    additive=(),
                    aggregate=dict.fromkeys(report.numeric_columns, "first"),
                ),
                prepared=prepared,
            )
    print(report)
    return 0 if report.ok else 2


def add_join(sub: SubParsers) -> None:
    """Register ``geo join``."""
    p = sub.add_parser(
        "join",
        help="join a table onto the regions and write GeoPackage or GeoJSON",
        description="Check TABLE (stopping on any problem unless --lenient), join it onto the "
        "regions by code and write the regions with the table's columns to OUT "
        "(.gpkg: GeoPackage; .geojson/.json: RFC 7946 GeoJSON). Units without a "
        "polygon of their own (Abai, Jetisu, Ulytau, Shymkent) are combined onto the "
        "polygon that contains them: name additive columns with --additive, other "
        "numeric columns need --aggregate COL=FUNC.",
        epilog="example: geo join trade.csv --keys year --where year=2021 --additive turnover "
        "-o trade_2021.gpkg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_table(p)
    p.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="output file: .gpkg, .geojson or .json"
    )
    p.add_argument(
        "--how",
        choices=["left", "inner"],
        default="left",
        help="left: every region (default); inner: only regions with data",
    )
    p.add_argument("--force", action="store_true", help="overwrite OUT")
    add_table_options(p)
    add_boundaries_option(p)
    p.set_defaults(func=run_join)


def run_join(args: argparse.Namespace) -> int:
    """Join the table onto the regions and write them (format from the suffix of OUT)."""
    from pathlib import Path

    from geo._io import check_writable
    from geo.attach import attach
    from geo.exports import write_layer
    from geo.formats import format_of

    out = Path(args.output)
    format_of(out, allowed=("gpkg", "geojson"))
    check_writable(out, force=args.force)
    result = attach(regions_of(args), args.table, options=table_options(args), how=args.how)
    joined = result.regions
    write_layer(joined, out, force=args.force)
    merged = int(joined["merged_units"].map(len).gt(0).sum())
    print(
        f"wrote {out}: {len(joined)} regions, {result.with_data} with data"
        + (f", {merged} combining units without a polygon of their own" if merged else "")
    )
    return 0
