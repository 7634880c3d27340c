"""``geo export``: GeoJSON (RFC 7946), GeoPackage or CSV layers for GIS tools."""

from __future__ import annotations

import argparse
import contextlib

from geo.cli._common import (
    SubParsers,
    add_boundaries_option,
    add_table_options,
    region_set_hint,
    regions_of,
    table_options,
)


def add_export(sub: SubParsers) -> None:
    """Register ``geo export``."""
    p = sub.add_parser(
        "export",
        help="GeoJSON (RFC 7946), GeoPackage or CSV of regions, border, projects and links",
        description="Write the layers for GIS tools: GeoJSON (RFC 7946, one file per layer into a folder), "
        "GeoPackage (one file, one layer per kind) or CSV (one file per layer, with a point "
        "and WKT). Writes are atomic; existing files are kept unless --force.",
        epilog="examples:\n"
        "  geo export -f gpkg -o out/rukz.gpkg\n"
        "  geo export -f geojson -o out/ --layers regions,border\n"
        "  geo export -o out/regions.csv --layers regions --data examples/kz_units_areas.csv --additive area_km2_official\n"
        "  geo export -f postgis --dsn postgresql://gis@db.example/rukz --force",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # No argparse `choices`: an unknown format is a one-line error from geo.export, like every other.
    p.add_argument(
        "-f",
        "--format",
        dest="fmt",
        metavar="{geojson,gpkg,csv,postgis}",
        help="output format (default: from the extension of -o); postgis: tables in the database of --dsn",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="GeoPackage file, or an existing folder for geojson/csv (a file name for one layer)",
    )
    p.add_argument(
        "--layers",
        default="regions,border,projects,links",
        help="comma-separated: regions,border,projects,links (default: all)",
    )
    p.add_argument(
        "--data",
        action="append",
        metavar="TABLE",
        help="attribute table joined onto the regions layer (repeatable)",
    )
    p.add_argument(
        "--context", action="store_true", help="all Russian regions, not only the 12 on the border"
    )
    p.add_argument("--precision", type=int, default=6, help="decimal places of coordinates (default 6)")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.add_argument(
        "--csv-formulas",
        choices=["neutralise", "keep"],
        default="neutralise",
        help="-f csv: text cells starting with = + - @ tab or CR get a leading ' so that spreadsheets do not "
        "run them as formulas (neutralise, the default), or are written raw (keep)",
    )
    p.add_argument(
        "--dsn",
        help="with -f postgis: PostgreSQL connection string, e.g. postgresql://user@host/db (password: ~/.pgpass)",
    )
    p.add_argument(
        "--schema", default="public", help="with -f postgis: schema of the tables (default public)"
    )
    add_table_options(p)
    add_boundaries_option(p)
    p.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Write the export and list the files with their sizes."""
    from geo.errors import GeoInputError
    from geo.exports import export

    if (args.fmt or "").lower() == "postgis" or args.dsn:
        return _run_postgis(args)
    if not args.output:
        msg = "give the output with -o PATH (or -f postgis --dsn …)"
        raise GeoInputError(msg)
    hint = region_set_hint("--context") if not args.context else contextlib.nullcontext()
    with hint:
        written = export(
            args.output,
            fmt=args.fmt,
            layers=args.layers,
            data=args.data,
            table_options=table_options(args),
            regions=regions_of(args) if args.vintage else args.boundaries,
            context=args.context,
            force=args.force,
            precision=args.precision,
            csv_formulas=args.csv_formulas,
        )
    for path in written:
        print(f"{path}\t{path.stat().st_size:,} bytes")
    return 0


def _run_postgis(args: argparse.Namespace) -> int:
    """``-f postgis --dsn …``: the layers as PostGIS tables (geo.exports.postgis)."""
    from geo.errors import GeoInputError
    from geo.exports.postgis import export_postgis

    if (args.fmt or "").lower() != "postgis" or not args.dsn or args.output:
        msg = "a PostGIS export takes -f postgis and --dsn CONNINFO, and no -o"
        raise GeoInputError(msg)
    tables = export_postgis(
        args.dsn,
        layers=args.layers,
        schema=args.schema,
        force=args.force,
        data=args.data,
        table_options=table_options(args),
        regions=regions_of(args) if args.vintage else args.boundaries,
        context=args.context,
        precision=args.precision,
    )
    for table in tables:
        print(table)
    return 0
