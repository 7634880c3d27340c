"""The ``geo`` command: a thin layer over the public functions the notebooks use.

One module per group of sub-commands (:mod:`geo.cli.regions`: regions, resolve, border;
:mod:`geo.cli.tables`: check, join; :mod:`geo.cli.maps`: map; :mod:`geo.cli.exports`: export), the options they
share in :mod:`geo.cli._common`. User errors (:class:`geo.errors.GeoInputError`) print one line on stderr and exit
with code 2; defects in the shipped data (:class:`geo.errors.DataDefectError`) one line asking for a report and
exit code 3; nothing else is caught, so a bug still shows its traceback.
"""

from __future__ import annotations

import argparse
import gc
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import NoReturn

from geo.cli import exports, locate, maps, regions, report, tables
from geo.cli._common import SubParsers
from geo.errors import DataDefectError, GeoInputError

__all__ = ["EXIT_DATA_DEFECT", "EXIT_USER_ERROR", "build_parser", "main", "run"]

#: Exit code for a user error (bad input, options or output path): the message says what to change.
EXIT_USER_ERROR = 2
#: Exit code for a defect in the data shipped with the package: not the user's fault, please report it.
EXIT_DATA_DEFECT = 3

EXAMPLES = """\
examples:
  geo regions --country KZ                 list the Kazakh regions
  geo regions --border --format csv        the border regions as CSV
  geo resolve "Qostanay oblysy" ВКО "Оренбургская обл."
  geo border                               shared border length by region pair
  geo check examples/trade_by_year.csv --keys year            the join report (exit 2 on problems)
  geo join examples/kz_units_areas.csv --additive area_km2_official -o out/kz.gpkg
  geo map -o out/map.html                  the default map (projects, links, border length)
  geo map --data examples/kz_units_areas.csv --additive --metric area_km2_official -o out/kz.html
  geo export -f gpkg -o out/rukz.gpkg      regions, border, projects, links for QGIS
  geo report -o out/report                 region profiles (HTML) and a print atlas (PDF)
  geo locate fixes.parquet -o located.parquet   the region of every point, streamed in batches
"""

COMMANDS: list[Callable[[SubParsers], None]] = [
    regions.add_regions,
    regions.add_resolve,
    regions.add_border,
    tables.add_check,
    tables.add_join,
    maps.add_map,
    exports.add_export,
    report.add_report,
    locate.add_locate,
    locate.add_aggregate,
]


def build_parser() -> argparse.ArgumentParser:
    """The ``geo`` argument parser with every sub-command."""
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


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``geo`` with ``argv`` (``sys.argv[1:]`` by default); returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USER_ERROR
    try:
        # Reports issued as warnings (boundary matching, joins, renamed columns) become one line each.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return int(args.func(args) or 0)
            finally:
                for warning in caught:
                    print(f"geo: warning: {_one_line(warning.message)}", file=sys.stderr)
    except DataDefectError as exc:
        print(f"geo: error in the shipped data (please report it): {_one_line(exc)}", file=sys.stderr)
        return EXIT_DATA_DEFECT
    except GeoInputError as exc:
        print(f"geo: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # `geo regions | head`
        return 0
    except OSError as exc:
        # The file system said no (permissions, a full disk, a path that vanished): the user's to fix, so one
        # line rather than a traceback. Writers are atomic, so nothing half-written is left behind.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"geo: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_USER_ERROR


def run() -> NoReturn:
    """The installed ``geo`` command (and ``python -m geo.cli``): :func:`main` in a process of its own, then exit.

    The objects made by importing the package (geopandas, pandas, numpy, pyproj: some 10⁵ of them) live until
    the process ends, so they are taken out of the garbage collector's sight (:func:`gc.freeze`): its collections
    no longer rescan them while the command works, and a last freeze spares the full collection Python makes at
    exit. Garbage the command itself makes is collected as usual. About 0.2 s of the 1.2 s of ``geo map``
    (``bench/bench_map.py``). :func:`main` alone, as tests and notebooks call it in a long-lived process, does
    neither.
    """
    gc.freeze()
    code = main()
    gc.freeze()
    sys.exit(code)
