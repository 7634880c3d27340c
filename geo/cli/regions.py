"""``geo regions``, ``geo resolve`` and ``geo border``: the catalogue and the boundaries as tables."""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd

from geo.cli._common import SubParsers, add_boundaries_option, print_table
from geo.errors import GeoInputError


# -- regions ---------------------------------------------------------------------------------------
def add_regions(sub: SubParsers) -> None:
    """Register ``geo regions``."""
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
    add_boundaries_option(p)
    p.set_defaults(func=run_regions)


def run_regions(args: argparse.Namespace) -> int:
    """List the regions (code, names, kind, border) as a table, CSV or JSON."""
    from geo.boundaries import regions

    gdf = regions(
        country=args.country, border_only=args.border, boundaries=args.boundaries, vintage=args.vintage
    )
    cols = ["code", "country", "kind", "name_en", "name_ru", "border", "includes"]
    print_table(pd.DataFrame(gdf[cols]), args.format)
    return 0


# -- resolve ---------------------------------------------------------------------------------------
def add_resolve(sub: SubParsers) -> None:
    """Register ``geo resolve``."""
    p = sub.add_parser(
        "resolve",
        help="current ISO 3166-2 code for any spelling of a region",
        description="Print the current code of each NAME (any language, legacy code, HASC).",
        epilog='example: geo resolve "Qostanay oblysy" KZ-KUS "Оренбургская обл."',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("names", nargs="+", metavar="NAME")
    p.add_argument("--country", type=str.upper, choices=["RU", "KZ"])
    p.set_defaults(func=run_resolve)


def run_resolve(args: argparse.Namespace) -> int:
    """Print the current code of each name; exit code 2 if any does not resolve."""
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
def add_border(sub: SubParsers) -> None:
    """Register ``geo border``."""
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
    add_boundaries_option(p)
    p.set_defaults(func=run_border)


def run_border(args: argparse.Namespace) -> int:
    """Print the shared border length by region pair, by region and in total."""
    from geo.analysis import border_pairs, border_totals
    from geo.boundaries import regions

    every = regions(boundaries=args.boundaries, vintage=args.vintage)
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
        print_table(pairs if args.by == "pair" else totals, "csv")
    else:
        print_table(pairs, "table")
        print()
        print_table(totals, "table")
        print(
            f"\ntotal: {total:,.1f} km over {len(pairs)} region pairs ({points} touching in a single point)"
        )
    return 0
