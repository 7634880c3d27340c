"""Output formats: one table from file suffix to format, used by every command that writes a file.

The writers themselves live with what they write (:mod:`geo.exports` for vector layers, :mod:`geo.maps` for
pages and figures); this table only says which format a path means, so the decision is made in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.errors import OutputError

__all__ = ["FORMATS", "Format", "format_of"]


@dataclass(frozen=True)
class Format:
    """An output format: its name, the suffixes that select it and what kind of output it is."""

    name: str
    suffixes: tuple[str, ...]
    kind: str  # "layers" (GIS vector data), "page" (HTML map) or "figure" (static map)
    description: str


#: Every format the package writes, by name.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("geojson", (".geojson", ".json"), "layers", "RFC 7946 GeoJSON, one file per layer"),
        Format("gpkg", (".gpkg",), "layers", "GeoPackage, one layer per kind"),
        Format("csv", (".csv",), "layers", "CSV with a point and WKT, one file per layer"),
        Format("html", (".html", ".htm"), "page", "folium map"),
        Format("png", (".png",), "figure", "static map, raster"),
        Format("svg", (".svg",), "figure", "static map, vector"),
        Format("pdf", (".pdf",), "figure", "static map, vector (print)"),
    )
}
_BY_SUFFIX = {suffix: f.name for f in FORMATS.values() for suffix in f.suffixes}


def format_of(path: str | Path, fmt: str | None = None, *, allowed: Sequence[str] | None = None) -> str:
    """The format a path is written in: ``fmt`` when given, else the one its suffix names.

    Parameters
    ----------
    path
        The output path.
    fmt
        A format name given explicitly (``-f``), checked against ``allowed``.
    allowed
        Format names the caller can write (all by default).

    Returns
    -------
    str
        A key of :data:`FORMATS`.

    Raises
    ------
    OutputError
        An unknown format, or a suffix that names none of ``allowed``.
    """
    allowed = list(allowed or FORMATS)
    if fmt is not None:
        name = str(fmt).lower().lstrip(".")
        if name not in allowed:
            msg = f"unknown format {fmt!r}; choose one of {', '.join(allowed)}"
            raise OutputError(msg)
        return name
    suffix = Path(path).suffix.lower()
    found = _BY_SUFFIX.get(suffix)
    if not suffix:
        msg = f"cannot tell the format from {path}; pass the format (-f/fmt=) {'|'.join(allowed)}"
        raise OutputError(msg)
    if found is None or found not in allowed:
        wanted = ", ".join(s for a in allowed for s in FORMATS[a].suffixes)
        msg = f"{path}: unknown output format {suffix or '(no suffix)'!r}; use {wanted}"
        raise OutputError(msg)
    return found
