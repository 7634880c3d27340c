"""``geo check`` and ``geo join``: a user's table, its join report, and the regions with its columns."""

from __future__ import annotations

import argparse

from geo.cli._common import (
    SubParsers,
    add_boundaries_option,
    add_table_options,
    region_set_hint,
    regions_of,
    table_options,
)


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
        "numbers. Exit code 0 when the table joins cleanly, 2 when it has problems.",
        epilog="example: geo check examples/trade_by_year.csv --keys year",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_table(p)
    add_table_options(p)
    add_boundaries_option(p)
    p.set_defaults(func=run_check)


def _join_asked(args: argparse.Namespace) -> bool:
    """Whether any option of the join itself was given (then ``geo check`` also tries the join)."""
    return bool(
        args.where or args.pivot or args.additive is not None or args.aggregate or args.many != "error"
    ) or bool(args.lenient)


def run_check(args: argparse.Namespace) -> int:
    """Print the join report; exit code 0 when clean, 2 otherwise.

    With join options (``--where``, ``--pivot``, ``--additive``, ``--aggregate``, ``--many``, ``--lenient``) the
    table is also joined onto the regions of ``geo join`` as that command would, and the outcome printed: the
    exit code then says whether ``geo join`` with the same options would succeed.
    """
    options = table_options(args)
    prepared = options.read(args.table)
    print(prepared[1])
    if not _join_asked(args):
        return 0 if prepared[1].ok else 2
    from geo.attach import attach
    from geo.boundaries import regions
    from geo.errors import GeoInputError
    from geo.exports.layers import focus_regions

    shown = focus_regions(regions(boundaries=args.boundaries)).reset_index(drop=True)
    try:
        result = attach(shown, args.table, options=options, prepared=prepared)
    except GeoInputError as exc:
        print(f"join: not possible with these options: {' '.join(str(exc).split())}")
        return 2
    print(f"join: OK, {len(result.regions)} polygons, {result.with_data} with data")
    return 0


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
        epilog="example: geo join examples/trade_by_year.csv --keys year --where year=2017 "
        "-o out/trade_2017.gpkg",
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
    p.add_argument(
        "--all-regions",
        action="store_true",
        help="write every region (all 83 Russian subjects); by default the regions of geo map and geo export: "
        "Kazakhstan and the 12 Russian border regions",
    )
    p.add_argument("--force", action="store_true", help="overwrite OUT")
    add_table_options(p)
    add_boundaries_option(p)
    p.set_defaults(func=run_join)


def run_join(args: argparse.Namespace) -> int:
    """Join the table onto the regions and write them (format from the suffix of OUT)."""
    import contextlib
    from pathlib import Path

    from geo._io import check_writable
    from geo.attach import attach
    from geo.exports import write_layer
    from geo.exports.layers import focus_regions
    from geo.formats import format_of

    out = Path(args.output)
    format_of(out, allowed=("gpkg", "geojson"))
    check_writable(out, force=args.force)
    shown = focus_regions(regions_of(args), context=args.all_regions)
    hint = region_set_hint("--all-regions") if not args.all_regions else contextlib.nullcontext()
    with hint:
        result = attach(shown.reset_index(drop=True), args.table, options=table_options(args), how=args.how)
    joined = result.regions
    write_layer(joined, out, force=args.force)
    merged = int(joined["merged_units"].map(len).gt(0).sum())
    print(
        f"wrote {out}: {len(joined)} polygons, {result.with_data} with data"
        + (f", {merged} combining units without a polygon of their own" if merged else "")
    )
    return 0
