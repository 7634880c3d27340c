"""The print atlas: one A4 page per unit in one PDF (matplotlib's ``PdfPages``).

Each page has the unit's names, a map of the unit and its neighbours (legend, scale bar true at the map's middle
latitude, north arrow), the key figures, the neighbours across the border with the shared length, the trade
statements (chart and list), forums hosted, projects and links, the sources and a footer with the page number
and the boundary credit. Fonts are embedded as TrueType (``pdf.fonttype`` 42), so the text can be searched and
extracted (``pdftotext``), Cyrillic and Kazakh letters included. No creation date is written: equal inputs give
equal files.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl

from geo.report.figures import Basemap, draw_trade, draw_unit_map, legend_handles
from geo.report.format import area_text, km_text, value_text
from geo.report.profile import UnitProfile

__all__ = ["A4_INCHES", "write_atlas"]

A4_INCHES = (8.27, 11.69)
_LINE = 0.0125  # height of a 7-pt line as a fraction of the page
_BOTTOM = 0.045  # above the footer (two lines at most)
_MAX_LINKS = 6
_MAX_TRADE = 10


class _Column:
    """Lines of text written downwards from ``top`` at ``x`` (fractions of the page)."""

    def __init__(self, fig, x: float, top: float, width_chars: int) -> None:
        self.fig, self.x, self.y, self.width = fig, x, top, width_chars

    def heading(self, text: str) -> None:
        self.y -= _LINE * 0.6
        self.fig.text(self.x, self.y, text, fontsize=8.5, fontweight="bold", va="top")
        self.y -= _LINE * 1.35

    def line(self, text: str, *, size: float = 7.0, clip: bool = False) -> None:
        """Write ``text``, wrapped to the column (at most five lines), or ``clip``-ped to one line with "…"."""
        width = round(self.width * 7.0 / size)
        if clip:
            parts = [textwrap.shorten(text, width, placeholder=" …")]
        else:
            parts = textwrap.wrap(text, width, subsequent_indent="  ", max_lines=5, placeholder=" …") or [""]
        for part in parts:
            self.fig.text(self.x, self.y, part, fontsize=size, va="top")
            self.y -= _LINE * size / 7.0


def _trade_line(row) -> str:
    value = value_text(row.value)
    mark = {"about": "about ", "over": "over ", "under": "under ", "almost": "almost "}.get(
        str(row.qualifier), ""
    )
    amount = f"{mark}{value} {row.currency or ''} {row.unit or ''}".replace("  ", " ").strip()
    period = row.period if isinstance(row.period, str) and row.period else "period not stated"
    return f"{period}: {row.measure} {row.region}–{row.partner} {amount}"


def _key_figures(left: _Column, p: UnitProfile) -> None:
    left.heading("Key figures")
    left.line(f"Area (geodesic): {area_text(p.area_km2)}")
    other = "Kazakhstan" if p.country == "RU" else "Russia"
    of = f" (of the polygon {p.polygon})" if p.polygon and p.polygon != p.code else ""
    left.line(f"Border with {other}{of}: {km_text(p.border_km)}")
    if p.centre_en:
        where = f", {p.centre_lat:.4f}° N {p.centre_lon:.4f}° E" if p.centre_lat is not None else ""
        left.line(f"Administrative centre: {p.centre_en} ({p.centre_ru}){where}")
    if p.established:
        left.line(f"Established: {p.established}")
    for note in p.notes:
        left.line(note)
    left.heading("Neighbours across the border")
    for n in p.neighbours:
        length = km_text(n.length_km) if n.contact == "line" else "touch at a point"
        left.line(f"{n.code} {n.name}: {length}")
    if not p.neighbours:
        left.line("none")


def _records(left: _Column, p: UnitProfile) -> None:
    left.heading("Interregional forums hosted")
    forums = "; ".join(f"{r.number} ({r.year}, {r.host_city})" for r in p.forums.itertuples())
    left.line(forums or "none in the data")
    left.heading("Projects")
    for r in p.projects.itertuples():
        left.line(f"{r.name_en} ({r.type}, {r.status})", clip=True)
    if p.projects.empty:
        left.line("none in the data")
    left.heading("Cooperation links")
    for r in p.links.head(_MAX_LINKS).itertuples():
        year = f" {r.year}" if str(r.year) != "<NA>" else ""
        left.line(f"{r.from_code}–{r.to_code} {r.kind}{year}: {r.label_en}", clip=True)
    if len(p.links) > _MAX_LINKS:
        left.line(f"… and {len(p.links) - _MAX_LINKS} more (see the HTML profile)")
    if p.links.empty:
        left.line("none in the data")


def _trade(fig, right: _Column, p: UnitProfile) -> None:
    right.heading("Trade statements (chart: USD million by period)")
    draw_trade(fig.add_axes((0.58, 0.395, 0.37, 0.125)), p.trade)
    right.y = 0.335
    for row in p.trade.head(_MAX_TRADE).itertuples():
        right.line(_trade_line(row), size=6.5, clip=True)
    if len(p.trade) > _MAX_TRADE:
        right.line(f"… and {len(p.trade) - _MAX_TRADE} more (see the HTML profile)", size=6.5)
    if p.trade.empty:
        right.line("no trade statement in the data")


def _sources(sources: _Column, p: UnitProfile) -> None:
    sources.heading("Sources")
    for i, text in enumerate(p.sources, start=1):
        if sources.y < _BOTTOM + 2 * _LINE:  # room for this line and the "more" line, above the footer
            sources.line(f"… and {len(p.sources) - i + 1} more sources (see the HTML profile)", size=5.5)
            break
        sources.line(f"{i}. {text}", size=5.5, clip=True)


def _page(fig, p: UnitProfile, base: Basemap, number: int, total: int, credit: str) -> None:
    fig.text(0.06, 0.965, p.name_en, fontsize=17, fontweight="bold", va="top")
    names = " · ".join(x for x in (p.name_ru, p.name_kk, p.code) if x)
    fig.text(0.06, 0.935, names, fontsize=10, va="top", color="#444444")
    box = (0.06, 0.585, 0.64, 0.335)
    ax = fig.add_axes(box)
    draw_unit_map(ax, p, base, ratio=box[2] * A4_INCHES[0] / (box[3] * A4_INCHES[1]))
    fig.legend(handles=legend_handles(p), loc="upper left", bbox_to_anchor=(0.715, 0.92), fontsize=6.5,
               frameon=False, title="Legend", title_fontsize=8, alignment="left")  # fmt: skip
    left = _Column(fig, 0.06, 0.57, 70)
    _key_figures(left, p)
    _records(left, p)
    right = _Column(fig, 0.53, 0.57, 62)
    _trade(fig, right, p)
    _sources(_Column(fig, 0.06, min(left.y, right.y) - 0.005, 132), p)
    footer = textwrap.fill(f"rukz-geo region atlas · {credit}", 115)  # clear of the page number
    fig.text(0.06, 0.014, footer, fontsize=5.5, color="#555555", va="bottom")
    fig.text(0.94, 0.014, f"page {number} of {total}", fontsize=8, ha="right", va="bottom")


def write_atlas(path: Path, profiles: Sequence[UnitProfile], base: Basemap, *, credit: str) -> int:
    """Write the atlas PDF to ``path`` (already a temporary name of an atomic write); returns its page count."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    metadata = {"Title": "Russia–Kazakhstan cross-border regions: atlas", "Creator": "rukz-geo",
                "Producer": "rukz-geo (matplotlib)", "CreationDate": None}  # fmt: skip
    with (
        mpl.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans"}),
        PdfPages(path, metadata=metadata) as pdf,
    ):
        for number, profile in enumerate(profiles, start=1):
            fig = Figure(figsize=A4_INCHES)
            _page(fig, profile, base, number, len(profiles), credit)
            pdf.savefig(fig)
    return len(profiles)
