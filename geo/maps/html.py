r"""Safe and stable HTML: escaping every string from data, and rendering a map to byte-identical HTML.

Two rules hold for every layer of :mod:`geo.maps`:

- **Every string that comes from data is escaped** with :func:`esc` before it becomes part of a tooltip, popup,
  label or legend. The HTML fragments travel inside the page as JSON (Jinja's ``tojson`` turns ``<``, ``>``,
  ``&`` and ``'`` into ``\u003c``… escapes), and the browser inserts them with ``innerHTML``: markup written
  by us stays markup, while a project named ``<img src=x onerror=alert(1)>`` shows as text.
- **Equal inputs give byte-identical HTML.** branca gives every element a random 32-digit hex id; :func:`render`
  replaces each distinct id by a counter-based one in order of first appearance, so reports diff cleanly.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable

import pandas as pd

__all__ = ["esc", "js_data", "normalise_ids", "render", "rows_html"]

_JINJA_OPEN = re.compile(r"\{(?=[{%#])")
_INDENT = re.compile(r"\n[ \t\n]+")
_LINE_COMMENT = re.compile(r"(?<=\n)// [^\n]*\n")
_HEX_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


def esc(value: object) -> str:
    r"""Text of ``value`` safe to place in HTML: ``& < > " '`` escaped, plus the backtick, ``$`` and ``\``.

    The extra three make the text inert inside JavaScript template literals too, where some folium templates
    put HTML; braces become entities because branca compiles rendered HTML once more as a Jinja template, where
    ``{{ … }}`` in data would otherwise be evaluated. Missing values (``None``, ``NaN``, ``<NA>``) give an empty string.
    """
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except (TypeError, ValueError):  # pandas.NA refuses comparison
        return ""
    text = html.escape(str(value), quote=True)
    return (
        text.replace("`", "&#96;")
        .replace("$", "&#36;")
        .replace("\\", "&#92;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
    )


def js_data(obj: object) -> str:
    r"""Compact JSON of ``obj`` that is safe inside a ``<script>`` element (``< > & '`` as ``\u`` escapes).

    Keys are sorted so that equal data give equal text.
    """
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, sort_keys=True, allow_nan=False)
    # branca compiles every rendered script once more as a Jinja template: "{{", "{%" and "{#" must not survive.
    # They can only occur inside JSON strings (a structural "{" is followed by '"' or "}"), where \u007b is valid.
    text = _JINJA_OPEN.sub(r"\\u007b", text)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def rows_html(rows: Iterable[tuple[str, object]], *, title: object = None) -> str:
    """A small HTML table of ``(label, value)`` rows; labels and values are escaped, empty values skipped."""
    parts = []
    if title is not None:
        parts.append(f"<b>{esc(title)}</b>")
    body = "".join(
        f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>" for label, value in rows if esc(value) != ""
    )
    if body:
        parts.append(f'<table class="rk-rows">{body}</table>')
    return "".join(parts)


def normalise_ids(text: str, ids: Iterable[str]) -> str:
    """Replace branca's random element ids by stable ones, so that equal maps give equal HTML.

    The new ids count up (``0000…0001``, ``0000…0002``, …) in order of first appearance, so that equal maps give equal HTML.

    Parameters
    ----------
    text
        Rendered HTML.
    ids
        The random ids of the map's elements (collected after rendering, so that elements created while
        rendering are included). Other 32-digit hex strings, e.g. in data, are left alone.

    Returns
    -------
    str
        The HTML with every id replaced consistently (same random id -> same stable id).
    """
    known = set(ids)
    mapping: dict[str, str] = {}

    def repl(match: re.Match[str]) -> str:
        token = match.group(0)
        if token not in known:
            return token
        if token not in mapping:
            mapping[token] = f"{len(mapping) + 1:032x}"
        return mapping[token]

    return _HEX_ID.sub(repl, text)


def _element_ids(element) -> list[str]:
    ids = [element._id]
    for child in element._children.values():
        ids.extend(_element_ids(child))
    return ids


def render(m) -> str:
    """Render a folium map to a complete HTML page with stable ids.

    Parameters
    ----------
    m
        A :class:`folium.Map` (e.g. from :func:`geo.maps.build_map`).

    Returns
    -------
    str
        The HTML page; equal maps give byte-identical text.
    """
    root = m.get_root()
    text = root.render()
    # Indentation of folium's templates carries nothing (no <pre>, no multi-line string in any script: data
    # are JSON, whose strings hold "\n", never a raw line break); blank lines neither.
    text = _INDENT.sub("\n", text)
    text = _LINE_COMMENT.sub("", text)  # our scripts' whole-line "// " comments (Leaflet's code has none)
    return normalise_ids(text, _element_ids(root))  # ids collected after rendering: render() adds elements


def cell(row: pd.Series, col: str) -> object:
    """A row's value, or None when the column is missing or the value is NA (so templates show nothing)."""
    value = row.get(col, None)
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):  # list-like values
        return value
