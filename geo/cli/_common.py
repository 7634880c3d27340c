"""Pieces shared by the ``geo`` sub-commands: output tables, the boundaries option and the table options.

The table options are defined once (:func:`add_table_options`) and turned into one
:class:`geo.attach.TableOptions` (:func:`table_options`), so ``check``, ``join``, ``map``, ``export`` and ``report``
read and join a table alike, and a message never suggests an option the command does not have.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import warnings
from collections.abc import Iterator, Sequence

import pandas as pd

from geo.errors import GeoInputError

SubParsers = argparse._SubParsersAction


def print_table(df: pd.DataFrame, fmt: str) -> None:
    """Print ``df`` as an aligned table, CSV or JSON records on stdout."""
    if fmt == "csv":
        sys.stdout.write(df.to_csv(index=False, lineterminator="\n"))
    elif fmt == "json":
        sys.stdout.write(json.dumps(df.to_dict("records"), ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
            sys.stdout.write(df.to_string(index=False) + "\n")


def add_boundaries_option(p: argparse.ArgumentParser) -> None:
    """``--boundaries PATH`` (a user's boundary file) and ``--vintage`` (the units as they were at a date)."""
    p.add_argument(
        "--boundaries",
        metavar="PATH",
        help="boundary file to use instead of the embedded polygons (any CRS; one country is completed with the "
        "embedded other)",
    )
    p.add_argument(
        "--vintage",
        metavar="YEAR|DATE",
        help="the units as they were at a year or date (e.g. 2017: before the 2018 and 2022 reforms, former units "
        "as unions of today's polygons); today's by default",
    )


def regions_of(args: argparse.Namespace):  # -> geopandas.GeoDataFrame
    """The regions the command works on: ``--boundaries`` and ``--vintage`` applied."""
    from geo.boundaries import regions

    return regions(boundaries=args.boundaries, vintage=args.vintage)


def add_table_options(p: argparse.ArgumentParser) -> None:
    """The options that say how a table is read and put onto the regions: the same on every command."""
    g = p.add_argument_group("table options")
    g.add_argument("--region", metavar="COL", help="column with region names or codes (found by default)")
    g.add_argument(
        "--keys",
        nargs="+",
        default=[],
        metavar="COL",
        help="further key columns of a long table, e.g. --keys year (duplicates judged on them)",
    )
    g.add_argument(
        "--numeric", nargs="+", metavar="COL", help="columns to parse as numbers (detected by default)"
    )
    g.add_argument(
        "--country", type=str.upper, choices=["RU", "KZ"], help="resolve names in one country only"
    )
    g.add_argument("--sheet", help="Excel sheet name (the first sheet by default)")
    g.add_argument("--delimiter", help="CSV delimiter (sniffed by default)")
    g.add_argument("--encoding", help="file encoding (UTF-8, then cp1251, by default)")
    g.add_argument(
        "--decimal", choices=[",", "."], help="decimal separator of the numbers (inferred by default)"
    )
    g.add_argument(
        "--no-context",
        action="store_true",
        help="do not let the table's other rows settle ambiguous names such as 'Almaty'",
    )
    g.add_argument("--where", nargs="+", default=[], metavar="COL=VALUE", help="keep only these rows")
    g.add_argument("--pivot", metavar="COL", help="one column per value of COL (e.g. turnover_2021)")
    g.add_argument(
        "--many",
        choices=["error", "aggregate"],
        default="error",
        help="several rows per region: refuse (default) or combine like a vintage merge",
    )
    g.add_argument(
        "--additive",
        nargs="*",
        default=None,
        metavar="COL",
        help="columns that may be summed (counts, money); with geo map, --additive alone means the --metric",
    )
    g.add_argument(
        "--aggregate",
        nargs="+",
        default=[],
        metavar="COL=FUNC",
        help="aggregation of other columns: mean, median, min, max, first, last, count, sum",
    )
    g.add_argument(
        "--lenient",
        action="store_true",
        help="join even when the table's report has problems, leaving out rows without a region",
    )


def parse_pairs(items: Sequence[str], what: str) -> dict[str, str]:
    """``["a=1", "b=2"]`` -> ``{"a": "1", "b": "2"}``; anything else is a one-line error naming ``what``."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            msg = f"{what} {item!r}: expected COLUMN=VALUE"
            raise GeoInputError(msg)
        out[key.strip()] = value.strip()
    return out


def where_values(raw: dict[str, str]) -> dict[str, list[object]]:
    """Each ``--where`` value as text and, where it reads as one, as a whole number and a float."""
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


def table_options(args: argparse.Namespace, *, metric: str | None = None):  # -> geo.attach.TableOptions
    """The :class:`geo.attach.TableOptions` given on the command line.

    ``--additive`` without column names means the mapped ``metric`` (``geo map``); elsewhere it needs names.
    """
    from geo.attach import TableOptions

    additive = getattr(args, "additive", None) or ()
    if getattr(args, "additive", None) == []:
        if metric is None:
            msg = (
                "--additive needs the names of the columns that may be summed (or, with geo map, a --metric)"
            )
            raise GeoInputError(msg)
        additive = (metric,)

    return TableOptions(
        region=args.region,
        keys=tuple(args.keys),
        numeric=None if args.numeric is None else tuple(args.numeric),
        country=args.country,
        context=not args.no_context,
        decimal=args.decimal,
        delimiter=args.delimiter,
        encoding=args.encoding,
        sheet=args.sheet,
        where=where_values(parse_pairs(getattr(args, "where", []), "--where")) or None,
        pivot=getattr(args, "pivot", None),
        many=getattr(args, "many", "error"),
        additive=tuple(additive),
        aggregate=parse_pairs(getattr(args, "aggregate", []), "--aggregate"),
        strict=not getattr(args, "lenient", False),
    )


@contextlib.contextmanager
def region_set_hint(flag: str) -> Iterator[None]:
    """Re-issue the join's "no polygon among the regions" warnings saying why: the default region set, and ``flag``.

    Commands write Kazakhstan and the 12 Russian border regions by default; a table's other Russian regions are
    left out of that set, not unknown.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        text = str(warning.message)
        if "have no polygon among the regions" in text:
            text += f" (the regions shown are Kazakhstan and the 12 Russian border regions; {flag} adds the others)"
        warnings.warn(text, warning.category, stacklevel=3)
