"""The ``geo`` command: a thin layer over the public functions the notebooks use.

User errors (:class:`geo.errors.GeoInputError`) print one line on stderr and exit with code 2; nothing else is
caught, so a bug still shows its traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable, Sequence

import pandas as pd

from geo.errors import GeoInputError

EXAMPLES = """\
examples:
  geo regions --country KZ                 list the Kazakh regions
  geo regions --border --format csv        the border regions as CSV
  geo resolve "Qostanay oblysy" ВКО "Оренбургская обл."
  geo border                               shared border length by region pair
  geo check my_trade.csv                   the join report of a table (exit 2 on problems)
  geo join my_trade.csv -o out/trade.gpkg  regions with the table's columns
  geo map -o out/map.html                  the default map (projects, links, border length)
  geo map --data my_trade.csv --metric turnover -o out/trade.html
  geo export -f gpkg -o out/rukz.gpkg      regions, border, projects, links for QGIS
"""


def _print_table(df: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(df.to_csv(index=False, lineterminator="\n"))
    elif fmt == "json":
        sys.stdout.write(json.dumps(df.to_dict("records"), ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
            sys.stdout.write(df.to_string(index=False) + "\n")


def _boundaries_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--boundaries",
        metavar="PATH",
        help="boundary file to use instead of the embedded Natural Earth polygons (any CRS)",
    )


# -- regions ---------------------------------------------------------------------------------------
def _add_regions(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "regions",
        help="list regions (code, names, kind, border)",
        description="List the regions of the embedded boundaries (or of --boundaries).",
        epilog="example: geo regions --country KZ --format csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--country", type=str.upper, choices=["RU", "KZ"], help="one country only")
    p.add_argument("--border", action="store_true", help="only regions on the Russia–Kazakhstan border")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    _boundaries_arg(p)
    p.set_defaults(func=_cmd_regions)


def _cmd_regions(args: argparse.Namespace) -> int:
    from geo.boundaries import regions

    gdf = regions(country=args.country, border_only=args.border, boundaries=args.boundaries)
    cols = ["code", "country", "kind", "name_en", "name_ru", "border", "includes"]
    _print_table(pd.DataFrame(gdf[cols]), args.format)
    return 0


# -- resolve ---------------------------------------------------------------------------------------
def _add_resolve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "resolve",
        help="current ISO 3166-2 code for any spelling of a region",
        description="Print the current code of each NAME (any language, legacy code, HASC).",
        epilog='example: geo resolve "Qostanay oblysy" KZ-KUS "Оренбургская обл."',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("names", nargs="+", metavar="NAME")
    p.add_argument("--country", type=str.upper, choices=["RU", "KZ"])
    p.set_defaults(func=_cmd_resolve)


def _cmd_resolve(args: argparse.Namespace) -> int:
    from geo.catalog import catalog

    cat = catalog()
    status = 0
    for name in args.names:
        try:
            code = cat.resolve(name, country=args.country)
            print(f"{name}\t{code}\t{cat.get(code)['name_en']}")
        except GeoInputError as exc:
            print(f"geo: error: {exc}", file=sys.stderr)
            status = 2
    return status


# -- border ----------------------------------------------------------------------------------------
def _add_border(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "border",
        help="shared border length by Russian–Kazakh region pair (geodesic)",
        description="Shared border length per region pair, per region and in total, "
        "computed geodesically on WGS84 from the boundaries.",
    )
    p.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="table: pairs, per-region totals and the total; csv: one table (see --by); "
        "json: an object with pairs, regions and the total",
    )
    p.add_argument(
        "--by",
        choices=["pair", "region"],
        default="pair",
        help="which table --format csv prints (default: pair)",
    )
    _boundaries_arg(p)
    p.set_defaults(func=_cmd_border)


def _cmd_border(args: argparse.Namespace) -> int:
    from geo.analysis import border_pairs, border_totals
    from geo.boundaries import regions

    every = regions(boundaries=args.boundaries)
    pairs = border_pairs(every)
    totals = border_totals(every)
    total = float(pairs["length_km"].sum())
    points = int((pairs["contact"] == "point").sum())
    pairs["length_km"] = pairs["length_km"].round(1)
    totals["border_km"] = totals["border_km"].round(1)
    if args.format == "json":
        doc = {
            "total_km": round(total, 1),
            "pairs_count": len(pairs),
            "point_contacts": points,
            "pairs": pairs.to_dict("records"),
            "regions": totals.to_dict("records"),
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n")
    elif args.format == "csv":
        _print_table(pairs if args.by == "pair" else totals, "csv")
    else:
        _print_table(pairs, "table")
        print()
        _print_table(totals, "table")
        print(
            f"\ntotal: {total:,.1f} km over {len(pairs)} region pairs ({points} touching in a single point)"
        )
    return 0


# -- check / join (issue 3: attribute tables; owned by geo/tables.py, geo/join.py) ----------------------
def _table_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "table", metavar="TABLE", help="CSV/TSV (any delimiter, UTF-8 or cp1251), .xlsx or .parquet"
    )
    p.add_argument("--region", metavar="COL", help="column with region names or codes (found by default)")
    p.add_argument(
        "--keys",
        nargs="+",
        default=[],
        metavar="COL",
        help="further key columns of a long table, e.g. --keys year (duplicates judged on them)",
    )
    p.add_argument(
        "--numeric", nargs="+", metavar="COL", help="columns to parse as numbers (detected by default)"
    )
    p.add_argument(
        "--country", type=str.upper, choices=["RU", "KZ"], help="resolve names in one country only"
    )
    p.add_argument("--sheet", help="Excel sheet name (the first sheet by default)")
    p.add_argument("--delimiter", help="CSV delimiter (sniffed by default)")
    p.add_argument("--encoding", help="file encoding (UTF-8, then cp1251, by default)")
    p.add_argument(
        "--decimal", choices=[",", "."], help="decimal separator of the numbers (inferred by default)"
    )
    p.add_argument(
        "--no-context",
        action="store_true",
        help="do not let the table's other rows settle ambiguous names such as 'Almaty'",
    )


def _read_args(args: argparse.Namespace, *, strict: bool):
    from geo.tables import read_table

    return read_table(
        args.table,
        args.region,
        keys=args.keys,
        numeric=args.numeric,
        country=args.country,
        strict=strict,
        context=not args.no_context,
        decimal=args.decimal,
        unique=getattr(args, "many", "error") != "aggregate",
        delimiter=args.delimiter,
        encoding=args.encoding,
        sheet=args.sheet,
    )


def _add_check(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="check a table's region names and numbers (the join report)",
        description="Resolve every region of TABLE and print the join report: rows matched, "
        "unknown (with suggestions), ambiguous, duplicated keys, cells that are not "
        "numbers. Exit code 0 when the table joins cleanly, 2 when it has problems.",
        epilog="example: geo check trade.csv --keys year",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _table_args(p)
    p.set_defaults(func=_cmd_check)


def _cmd_check(args: argparse.Namespace) -> int:
    _table, report = _read_args(args, strict=False)
    print(report)
    return 0 if report.ok else 2


def _parse_pairs(items: Sequence[str], what: str) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            msg = f"{what} {item!r}: expected COLUMN=VALUE"
            raise GeoInputError(msg)
        out[key.strip()] = value.strip()
    return out


def _where_values(raw: dict[str, str]) -> dict[str, list[object]]:
    where: dict[str, list[object]] = {}
    for col, text in raw.items():
        values: list[object] = [text]
        for convert in (int, float):
            try:
                values.append(convert(text))
            except ValueError:
                continue
        where[col] = values
    return where


def _add_join(sub: argparse._SubParsersAction) -> None:
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
    _table_args(p)
    p.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="output file: .gpkg, .geojson or .json"
    )
    p.add_argument("--where", nargs="+", default=[], metavar="COL=VALUE", help="keep only these rows")
    p.add_argument("--pivot", metavar="COL", help="one column per value of COL (e.g. turnover_2021)")
    p.add_argument(
        "--many",
        choices=["error", "aggregate"],
        default="error",
        help="several rows per region: refuse (default) or combine like a vintage merge",
    )
    p.add_argument("--additive", nargs="+", default=[], metavar="COL", help="columns that may be summed")
    p.add_argument(
        "--aggregate",
        nargs="+",
        default=[],
        metavar="COL=FUNC",
        help="aggregation of other columns: mean, median, min, max, first, last, count, sum",
    )
    p.add_argument(
        "--how",
        choices=["left", "inner"],
        default="left",
        help="left: every region (default); inner: only regions with data",
    )
    p.add_argument("--lenient", action="store_true", help="join even when the report has problems")
    p.add_argument("--force", action="store_true", help="overwrite OUT")
    _boundaries_arg(p)
    p.set_defaults(func=_cmd_join)


def _cmd_join(args: argparse.Namespace) -> int:
    from pathlib import Path

    from geo._io import check_writable
    from geo.boundaries import regions
    from geo.errors import OutputError
    from geo.exports import write_layer
    from geo.join import join

    out = Path(args.output)
    if out.suffix.lower() not in (".gpkg", ".geojson", ".json"):
        msg = f"{out}: unknown output format {out.suffix!r}; use .gpkg, .geojson or .json"
        raise OutputError(msg)
    check_writable(out, force=args.force)
    table, report = _read_args(args, strict=not args.lenient)
    if not report.ok:
        left_out = int(table["code"].isna().sum())
        print(
            f"geo: warning: {report.summary()}; joined anyway (--lenient), leaving out {left_out} row(s) "
            "without a region code",
            file=sys.stderr,
        )
        table = table[table["code"].notna()]
    joined = join(
        regions(boundaries=args.boundaries),
        table,
        how=args.how,
        where=_where_values(_parse_pairs(args.where, "--where")) or None,
        pivot=args.pivot,
        many=args.many,
        additive=args.additive,
        aggregate=_parse_pairs(args.aggregate, "--aggregate"),
    )

    write_layer(joined, out, force=args.force)
    with_data = int(joined["code"].isin(set(table["code"].dropna())).sum())
    merged = int((joined["merged_units"] != "").sum())
    print(
        f"wrote {out}: {len(joined)} regions, {with_data} with data"
        + (f", {merged} combining units without a polygon of their own" if merged else "")
    )
    return 0


# -- map (issue 4: folium maps; owned by geo/maps/) ------------------------------------------------
MAP_EXAMPLES = """\
examples:
  geo map -o map.html                                  the default map (border length, projects, links)
  geo map --data trade.csv --metric turnover_usd_mn -o trade.html --scheme quantiles --k 4
  geo map --offline -o map.html --png map.png          one self-contained file, and a PNG for print
  geo map --lang ru --basemap none -o map_ru.html
"""


def _add_map(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "map",
        help="draw a folium map (HTML) of the border region, optionally PNG/SVG",
        description="Draw the regions (choropleth of a numeric column, by default the shared "
        "border length), the state border, projects and cooperation links.",
        epilog=MAP_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("-o", "--output", metavar="PATH", default="map.html", help="HTML file (default: map.html)")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.add_argument("--data", metavar="TABLE", help="table (CSV, Excel, Parquet) with a region column")
    p.add_argument("--metric", metavar="COLUMN", help="numeric column of --data to map")
    p.add_argument("--region", metavar="COLUMN", help="region column of --data (found automatically)")
    p.add_argument("--unit", help="unit for the legend (guessed from the column name)")
    p.add_argument(
        "--additive",
        action="store_true",
        help="the metric may be summed: units without their own polygon are added to the one holding them",
    )
    p.add_argument("--source", metavar="TEXT", help="source of --data, for the sources line")
    p.add_argument(
        "--scheme",
        default="natural_breaks",
        help="classification: quantiles, natural_breaks (default), equal_interval, fisher_jenks, "
        "maximum_breaks, headtail_breaks, std_mean, box_plot, jenks_caspall",
    )
    p.add_argument("--k", type=int, default=5, help="number of classes, 2-9 (default 5)")
    p.add_argument("--lang", default="en", help="language of labels and tooltips: en (default) or ru")
    p.add_argument(
        "--basemap",
        help="none (default offline), esri-gray (default online), esri-topo, osm, "
        "cartodb-positron, cartodb-voyager, an xyzservices name, or a tile URL template",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="one self-contained HTML file that loads nothing from the network",
    )
    p.add_argument("--png", metavar="PATH", help="also write a static PNG for print")
    p.add_argument("--svg", metavar="PATH", help="also write a static SVG for print")
    p.add_argument(
        "--tolerance",
        type=float,
        default=None,
        help="simplification tolerance in degrees (default 0.01; 0 keeps every vertex)",
    )
    p.add_argument("--title", help="map title")
    p.add_argument(
        "--projects", metavar="PATH", help="projects file (projects.csv format) instead of the shipped"
    )
    p.add_argument("--links", metavar="PATH", help="links file (links.csv format) instead of the shipped")
    p.add_argument("--no-projects", action="store_true", help="draw no projects")
    p.add_argument("--no-links", action="store_true", help="draw no links")
    p.add_argument("--context", action="store_true", help="also draw the other Russian regions")
    _boundaries_arg(p)
    p.set_defaults(func=_cmd_map)


def _cmd_map(args: argparse.Namespace) -> int:
    from pathlib import Path

    from geo._io import check_writable
    from geo.maps import DEFAULT_TOLERANCE, build_map, save_outputs

    outputs = [Path(args.output), *[Path(p) for p in (args.png, args.svg) if p]]
    for path in outputs:  # fail before any work, and before writing anything
        check_writable(path, force=args.force)
    for option, path, suffix in (("--png", args.png, ".png"), ("--svg", args.svg, ".svg")):
        if path and Path(path).suffix.lower() != suffix:
            msg = (
                f"{option} {path}: the file name must end in {suffix} (.png, .svg or .pdf via the Python API)"
            )
            raise GeoInputError(msg)
    m = build_map(
        args.data,
        metric=args.metric,
        region=args.region,
        unit=args.unit,
        additive=args.additive,
        scheme=args.scheme,
        k=args.k,
        lang=args.lang,
        basemap=args.basemap,
        offline=args.offline,
        tolerance=DEFAULT_TOLERANCE if args.tolerance is None else args.tolerance,
        title=args.title,
        source=args.source,
        boundaries=args.boundaries,
        context=args.context,
        projects=False if args.no_projects else (args.projects or True),
        links=False if args.no_links else (args.links or True),
    )
    # Every file is rendered first, then all are renamed into place together (or none is): a failed PNG
    # leaves no new HTML behind, and a write error (disk full, /proc) is one OutputError line.
    save_outputs(m, args.output, [p for p in (args.png, args.svg) if p], force=args.force)
    print(f"wrote {', '.join(str(p) for p in outputs)}", file=sys.stderr)
    return 0


# -- export (issue 5: GIS exports; owned by geo/exports.py) -----------------------------------------
def _add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="GeoJSON (RFC 7946), GeoPackage or CSV of regions, border, projects and links",
        description="Write the layers for GIS tools: GeoJSON (RFC 7946, one file per layer into a folder), "
        "GeoPackage (one file, one layer per kind) or CSV (one file per layer, with a point "
        "and WKT). Writes are atomic; existing files are kept unless --force.",
        epilog="examples:\n"
        "  geo export -f gpkg -o out/rukz.gpkg\n"
        "  geo export -f geojson -o out/ --layers regions,border\n"
        "  geo export -o out/regions.csv --layers regions --data trade_by_region.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # No argparse `choices`: an unknown format is a one-line error from geo.export, like every other.
    p.add_argument(
        "-f",
        "--format",
        dest="fmt",
        metavar="{geojson,gpkg,csv}",
        help="output format (default: from the extension of -o)",
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
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
    _boundaries_arg(p)
    p.set_defaults(func=_cmd_export)


def _cmd_export(args: argparse.Namespace) -> int:
    from geo.exports import export

    written = export(
        args.output,
        fmt=args.fmt,
        layers=args.layers,
        data=args.data,
        regions=args.boundaries,
        context=args.context,
        force=args.force,
        precision=args.precision,
    )
    for path in written:
        print(f"{path}\t{path.stat().st_size:,} bytes")
    return 0


COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_regions,
    _add_resolve,
    _add_border,
    _add_check,
    _add_join,
    _add_map,
    _add_export,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geo",
        description="Maps of the Russia–Kazakhstan cross-border region.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        # Reports issued as warnings (boundary matching, joins, renamed columns) become one line each.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return int(args.func(args) or 0)
            finally:
                for warning in caught:
                    print(f"geo: warning: {' '.join(str(warning.message).split())}", file=sys.stderr)
    except GeoInputError as exc:
        print(f"geo: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `geo regions | head`
        return 0
    except OSError as exc:
        # The file system said no (permissions, a full disk, a path that vanished): the user's to fix, so one
        # line rather than a traceback. Writers are atomic, so nothing half-written is left behind.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"geo: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
