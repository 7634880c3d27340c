"""The ``geo`` command: a thin layer over the public functions the notebooks use.

User errors (:class:`geo.errors.GeoInputError`) print one line on stderr and exit with code 2; nothing else is
caught, so a bug still shows its traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

import pandas as pd

from geo.errors import GeoInputError

EXAMPLES = """\
examples:
  geo regions --country KZ                 list the Kazakh regions
  geo regions --border --format csv        the border regions as CSV
  geo resolve "Qostanay oblysy" ВКО "Оренбургская обл."
  geo border                               shared border length by region pair
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
    p.add_argument("--boundaries", metavar="PATH",
                   help="boundary file to use instead of the embedded Natural Earth polygons (any CRS)")


# -- regions ---------------------------------------------------------------------------------------
def _add_regions(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("regions", help="list regions (code, names, kind, border)",
                       description="List the regions of the embedded boundaries (or of --boundaries).",
                       epilog="example: geo regions --country KZ --format csv",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
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
    p = sub.add_parser("resolve", help="current ISO 3166-2 code for any spelling of a region",
                       description="Print the current code of each NAME (any language, legacy code, HASC).",
                       epilog='example: geo resolve "Qostanay oblysy" KZ-KUS "Оренбургская обл."',
                       formatter_class=argparse.RawDescriptionHelpFormatter)
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
    p = sub.add_parser("border", help="shared border length by Russian–Kazakh region pair (geodesic)",
                       description="Shared border length per region pair, per region and in total, "
                                   "computed geodesically on WGS84 from the boundaries.")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    _boundaries_arg(p)
    p.set_defaults(func=_cmd_border)


def _cmd_border(args: argparse.Namespace) -> int:
    from geo.analysis import border_pairs
    from geo.boundaries import regions

    pairs = border_pairs(regions(boundaries=args.boundaries))
    pairs["length_km"] = pairs["length_km"].round(1)
    _print_table(pairs, args.format)
    if args.format == "table":
        total = pairs["length_km"].sum()
        print(f"\ntotal: {total:,.1f} km over {len(pairs)} region pairs "
              f"({(pairs['contact'] == 'point').sum()} touching in a single point)")
    return 0


# -- check / join (issue 3: attribute tables; owned by geo/tables.py, geo/join.py) ----------------------
# (section for `geo check` and `geo join`)


# -- map (issue 4: folium maps; owned by geo/maps/) ------------------------------------------------
# (section for `geo map`)


# -- export (issue 5: GIS exports; owned by geo/export.py) -----------------------------------------
# (section for `geo export`)


COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_regions,
    _add_resolve,
    _add_border,
    # issue 3: _add_check, _add_join
    # issue 4: _add_map
    # issue 5: _add_export
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
        return int(args.func(args) or 0)
    except GeoInputError as exc:
        print(f"geo: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `geo regions | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
