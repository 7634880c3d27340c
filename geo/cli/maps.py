"""``geo map``: the folium map (HTML) and its static figures (PNG/SVG)."""

from __future__ import annotations

import argparse
import sys

from geo.cli._common import SubParsers, add_boundaries_option, add_table_options, regions_of, table_options
from geo.errors import GeoInputError

MAP_EXAMPLES = """\
examples:
  geo map -o map.html                                  the default map: one self-contained file, no network
  geo map --data trade.csv --metric turnover_usd_mn -o trade.html --scheme quantiles --k 4
  geo map -o map.html --png map.png                    the map and a PNG for print
  geo map --online -o map.html                         smaller file: Leaflet from its CDN, web tiles
  geo map --lang kk -o map_kk.html                     labels, legend and popups in Kazakh
  geo map --data t.csv --metric turnover --time year   one map with a year control
"""


def add_map(sub: SubParsers) -> None:
    """Register ``geo map``."""
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
    p.add_argument("--unit", help="unit for the legend (guessed from the column name)")
    p.add_argument("--source", metavar="TEXT", help="source of --data, for the sources line")
    p.add_argument(
        "--scheme",
        default="natural_breaks",
        help="classification: quantiles, natural_breaks (default), equal_interval, fisher_jenks, "
        "maximum_breaks, headtail_breaks, std_mean, box_plot, jenks_caspall",
    )
    p.add_argument("--k", type=int, default=5, help="number of classes, 2-9 (default 5)")
    p.add_argument(
        "--palette",
        help="colours: a ColorBrewer name (YlOrRd default, Blues, RdBu, BrBG, Set2 for text columns, ...) or "
        "viridis, plasma, inferno, magma",
    )
    p.add_argument(
        "--time", metavar="COLUMN", help="column of --data with the year: one map with a year control"
    )
    p.add_argument(
        "--lang", default="en", help="language of labels, legend and tooltips: en (default), ru or kk"
    )
    p.add_argument(
        "--basemap",
        help="none (default), esri-gray (default with --online), esri-topo, osm, "
        "cartodb-positron, cartodb-voyager, an xyzservices name, or a tile URL template",
    )
    p.add_argument(
        "--online",
        action="store_true",
        help="load Leaflet from its CDN and draw web tiles (smaller file, needs the network); by default "
        "the map is one self-contained HTML file that loads nothing from the network",
    )
    p.add_argument("--offline", action="store_true", help="the default now (accepted for old scripts)")
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
    p.add_argument(
        "--no-background", action="store_true", help="no light background of the other Russian regions"
    )
    add_table_options(p)
    add_boundaries_option(p)
    p.set_defaults(func=run_map)


def run_map(args: argparse.Namespace) -> int:
    """Draw the map and write the HTML (and PNG/SVG) all together, or nothing."""
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
        unit=args.unit,
        table_options=table_options(args, metric=args.metric),
        scheme=args.scheme,
        k=args.k,
        palette=args.palette,
        time=args.time,
        lang=args.lang,
        basemap=args.basemap,
        online=args.online,
        tolerance=DEFAULT_TOLERANCE if args.tolerance is None else args.tolerance,
        title=args.title,
        source=args.source,
        boundaries=regions_of(args) if args.vintage else args.boundaries,
        context=args.context,
        background=False if args.no_background else None,
        projects=False if args.no_projects else (args.projects or True),
        links=False if args.no_links else (args.links or True),
    )
    # Every file is rendered first, then all are renamed into place together (or none is): a failed PNG
    # leaves no new HTML behind, and a write error (disk full, /proc) is one OutputError line.
    save_outputs(m, args.output, [p for p in (args.png, args.svg) if p], force=args.force)
    print(f"wrote {', '.join(str(p) for p in outputs)}", file=sys.stderr)
    return 0
