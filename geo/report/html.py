"""Profile pages and their index as self-contained HTML, built as strings with every text escaped.

No template engine: each piece of text from data (names, sources, a user's table) goes through
:func:`html.escape` once, where it is placed; the figures are inline SVG produced by matplotlib from our own
drawing code. A page loads nothing from the network (no script, no font, no image file): it opens offline,
years later, from any folder.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import pandas as pd

from geo.report.format import area_text, km_text, value_text
from geo.report.profile import UnitProfile

__all__ = ["index_page", "profile_page", "trade_display"]

TRADE_HEADINGS = (
    "period", "measure", "region", "partner", "as stated", "USD mn", "growth %", "reported by", "source"
)  # fmt: skip

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#222;
background:#fafafa}
main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem 3rem;background:#fff}
h1{margin:.2rem 0 0;font-size:1.7rem}h2{font-size:1.15rem;margin:1.6rem 0 .4rem;border-bottom:1px solid #ddd}
.names{color:#555;margin:.2rem 0 .8rem}.note{background:#fff7e6;border-left:4px solid #f0a030;padding:.4rem .7rem}
.top{display:flex;gap:1.5rem;flex-wrap:wrap;align-items:flex-start}.top svg{max-width:100%;height:auto}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem;margin:0}dt{font-weight:600}dd{margin:0}
table{border-collapse:collapse;font-size:.85rem;margin:.3rem 0}th,td{border:1px solid #ddd;padding:.2rem .45rem;
text-align:left;vertical-align:top;max-width:24rem}td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f0f0f0}
.empty{color:#777;font-style:italic}nav a{margin-right:1rem}ol.sources{font-size:.8rem;color:#444}
footer{font-size:.75rem;color:#777;margin-top:2rem}
"""


def esc(value: object) -> str:
    """Text from data as HTML text (``<``, ``>``, ``&`` and quotes escaped); missing values as empty."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        value = value.date().isoformat()  # a date, not midnight of it
    return html.escape(str(value), quote=True)


def trade_display(trade: pd.DataFrame) -> pd.DataFrame:
    """The trade statements as a page lists them: the figure as stated (qualifier, currency, unit) in one cell."""
    if trade.empty:
        return trade
    marks = {"exact": "", "about": "about ", "over": "over ", "under": "under ", "almost": "almost "}

    def stated(row: pd.Series) -> str:
        if pd.isna(row.get("value")):
            return ""
        mark = marks.get(str(row.get("qualifier") or ""), f"{row.get('qualifier')} ")
        parts = [f"{mark}{value_text(row['value'])}", row.get("currency"), row.get("unit")]
        return " ".join(str(x) for x in parts if isinstance(x, str) and x)

    by = trade["reporting_side"] if "reporting_side" in trade.columns else trade.get("reported_by")
    return pd.DataFrame(
        {
            "period": trade["period"].fillna("").replace("", "not stated"),
            "measure": trade["measure"],
            "region": trade["region"],
            "partner": trade["partner"],
            "as stated": trade.apply(stated, axis=1),
            "USD mn": trade.get("value_usd_mn"),
            "growth %": trade.get("growth_pct"),
            "reported by": by,
            "source": trade["source"],
        }
    )


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
        "</body>\n</html>\n"
    )


def _table(df: pd.DataFrame | None, columns: Sequence[str], *, numeric: Iterable[str] = ()) -> str:
    if df is None or df.empty:
        return '<p class="empty">none in the shipped data</p>'
    numeric = set(numeric)
    cols = [c for c in columns if c in df.columns]
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    rows = []
    for record in df[cols].itertuples(index=False):
        cells = []
        for col, value in zip(cols, record, strict=True):
            if col in numeric:
                cells.append(f'<td class="n">{esc(value_text(value))}</td>')
            else:
                cells.append(f"<td>{esc(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"


def _source_item(text: str) -> str:
    return f"<li>{esc(text)}</li>"


def _key_figures(p: UnitProfile) -> str:
    other = "Kazakhstan" if p.country == "RU" else "Russia"
    centre = esc(p.centre_en)
    if p.centre_ru:
        centre += f" ({esc(p.centre_ru)})"
    if p.centre_lat is not None and p.centre_lon is not None:
        centre += f", {p.centre_lat:.4f}° N {p.centre_lon:.4f}° E"
    of = f" (of the polygon {esc(p.polygon)})" if p.polygon not in ("", p.code) else ""
    items = [
        ("Code", esc(p.code)),
        ("Country", esc("Russia" if p.country == "RU" else "Kazakhstan")),
        ("Kind", esc(p.kind)),
        ("Area (geodesic)", esc(area_text(p.area_km2))),
        (f"Border with {other}{of}", esc(km_text(p.border_km))),
        ("Administrative centre", centre),
    ]
    if p.established:
        items.append(("Established", esc(p.established)))
    if p.polygon and p.polygon != p.code:
        items.append(("Drawn within", f"{esc(p.polygon_label)} ({esc(p.polygon)})"))
    return "<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items) + "</dl>"


def _neighbours(p: UnitProfile) -> str:
    if not p.neighbours:
        return '<p class="empty">no border with the other country</p>'
    rows = "".join(
        f"<tr><td>{esc(n.code)}</td><td>{esc(n.name)}</td>"
        f'<td class="n">{esc(km_text(n.length_km) if n.contact == "line" else "touch at a point")}</td></tr>'
        for n in p.neighbours
    )
    return (
        "<table><thead><tr><th>code</th><th>region</th><th>shared border</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def profile_page(
    p: UnitProfile, *, locator: str, chart: str | None, position: tuple[int, int], credit: str
) -> str:
    """The HTML page of one unit. ``locator`` and ``chart`` are SVG made by :mod:`geo.report.figures`."""
    parts = [
        '<nav><a href="index.html">All units</a></nav>',
        f"<h1>{esc(p.name_en)}</h1>",
        '<p class="names">' + " · ".join(esc(x) for x in (p.name_ru, p.name_kk, p.code) if x) + "</p>",
        *(f'<p class="note">{esc(n)}</p>' for n in p.notes),
        f'<div class="top"><div>{locator}</div>{_key_figures(p)}</div>',
        "<h2>Neighbours across the border</h2>",
        _neighbours(p),
        "<h2>Trade over the years</h2>",
        '<p class="names">Statements as published, one row per source; rows that disagree are both shown, '
        "and a part (a region pair) is never added to its total. Hatched bars: part of a year.</p>",
        chart or '<p class="empty">no figure in USD with a stated period</p>',
        _table(trade_display(p.trade), TRADE_HEADINGS, numeric=("USD mn", "growth %")),
        "<h2>Interregional forums hosted</h2>",
        _table(p.forums, ["number", "year", "date", "host_city", "theme_en"]),
        "<h2>Projects</h2>",
        _table(p.projects, ["name_en", "type", "status", "regions", "placed_at"]),
        "<h2>Cooperation links</h2>",
        _table(p.links, ["from_code", "to_code", "kind", "year", "label_en"]),
    ]
    if p.table is not None:
        parts += ["<h2>Your table</h2>", _table(p.table, list(p.table.columns))]
    parts += [
        "<h2>Sources</h2>",
        '<ol class="sources">' + "".join(_source_item(s) for s in p.sources) + "</ol>",
        f"<footer>Profile {position[0]} of {position[1]} · made by rukz-geo · {esc(credit)}</footer>",
    ]
    return _page(f"{p.name_en} ({p.code}) — region profile", "\n".join(parts))


def index_page(
    profiles: Sequence[UnitProfile], *, pages: Sequence[str], atlas: str | None, credit: str
) -> str:
    """The index: one row per unit with its key figures and a link to its page."""
    rows = []
    for p, page in zip(profiles, pages, strict=True):
        rows.append(
            f'<tr><td><a href="{esc(page)}">{esc(p.name_en)}</a></td><td>{esc(p.code)}</td>'
            f'<td>{esc(p.name_ru)}</td><td class="n">{esc(area_text(p.area_km2))}</td>'
            f'<td class="n">{esc(km_text(p.border_km))}</td><td class="n">{len(p.trade)}</td>'
            f'<td class="n">{len(p.forums)}</td><td class="n">{len(p.projects)}</td>'
            f'<td class="n">{len(p.links)}</td></tr>'
        )
    head = (
        "<tr><th>unit</th><th>code</th><th>name (ru)</th><th>area</th><th>border</th><th>trade rows</th>"
        "<th>forums hosted</th><th>projects</th><th>links</th></tr>"
    )
    atlas_line = (
        f'<p>Print atlas: <a href="{esc(atlas)}">{esc(atlas)}</a> (one page per unit).</p>' if atlas else ""
    )
    body = (
        "<h1>Russia–Kazakhstan cross-border regions: profiles</h1>\n"
        f"<p>{len(profiles)} units: the Russian regions on the border and the units of Kazakhstan.</p>\n{atlas_line}\n"
        f"<table><thead>{head}</thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>\n"
        f"<footer>Made by rukz-geo · {esc(credit)}</footer>"
    )
    return _page("Region profiles — rukz-geo", body)
