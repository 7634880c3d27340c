"""``geo report``: region profiles (HTML pages with an index) and a print atlas (PDF, one page per unit)."""

from __future__ import annotations

import argparse

from geo.cli._common import SubParsers, add_boundaries_option, add_table_options, regions_of, table_options


def add_report(sub: SubParsers) -> None:
    """Register ``geo report``."""
    p = sub.add_parser(
        "report",
        help="region profiles (HTML) and a print atlas (PDF), one page per unit",
        description="Write into the folder OUT an index.html, one self-contained HTML profile per unit "
        "(locator map, neighbours across the border with the shared length, area, centre, trade "
        "statements over the years, forums hosted, projects, links, sources) and atlas.pdf with one "
        "A4 page per unit. By default the 12 Russian border regions and the 20 Kazakh units; "
        "--data adds the rows of your table to each unit's page (read with the table options).",
        epilog="examples:\n"
        "  geo report -o out/report\n"
        "  geo report -o out/report --units KZ-39 RU-ORE --no-pdf\n"
        "  geo report -o out/report --data examples/trade_by_year.csv --keys year",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output folder (created if missing)")
    p.add_argument(
        "--units", nargs="+", metavar="REGION", help="units to profile, any spelling (default: all 32)"
    )
    p.add_argument("--data", metavar="TABLE", help="a table whose rows are shown on each unit's page")
    p.add_argument("--no-pdf", action="store_true", help="write the HTML pages only")
    p.add_argument("--no-html", action="store_true", help="write the PDF atlas only")
    p.add_argument("--force", action="store_true", help="replace existing files in OUT")
    add_table_options(p)
    add_boundaries_option(p)
    p.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Write the profiles and the atlas; print each file with its size."""
    from geo.report import report

    written = report(
        args.output,
        units=args.units,
        data=args.data,
        table_options=table_options(args),
        regions=regions_of(args) if args.vintage else args.boundaries,
        html=not args.no_html,
        pdf=not args.no_pdf,
        force=args.force,
    )
    pages = sum(p.suffix == ".html" and p.name != "index.html" for p in written)
    total = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files into {args.output} ({total:,} bytes): {pages} profile pages", end="")
    print(", index.html" if any(p.name == "index.html" for p in written) else "", end="")
    print(", atlas.pdf" if any(p.suffix == ".pdf" for p in written) else "")
    return 0
