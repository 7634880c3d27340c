"""Repeated markup in a layer's tooltips and popups sent once: a small dictionary of fragments per layer.

Every tooltip of the regions repeats ``<tr><th>Russian name</th><td>``, every project popup
``<tr><th>Status</th><td>``, every marker the same inline SVG. :func:`pack` replaces each fragment of our
own markup that occurs more than once by ``{n}`` and returns the fragments; the page expands them
(``rkDecode`` in :mod:`geo.maps.controls`) before Leaflet sees the text.

This is safe because braces never come from data: :func:`geo.maps.html.esc` turns every ``{`` and ``}`` of a
user's text into ``&#123;``/``&#125;``, so a ``{n}`` in a packed string can only be one we wrote. Fragments
are taken only from markup we write (tags, and the escaped labels between them).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

__all__ = ["PACKED_KEYS", "pack", "unpack"]

#: Feature properties whose text is packed.
PACKED_KEYS = ("tip", "popup", "tips", "icon.html")
_FRAGMENT = re.compile(
    r'<tr><th>[^<{}]*</th><td>|</td></tr>|<table class="rk-rows">|</table>|<b>|</b>|<br>|'
    r"<svg [^<>{}]*>(?:<g [^<>{}]*>)?(?:<[a-z]+ [^<>{}]*/>)+(?:</g>)?</svg>|<div class=\"[^\"<>{}]*\">|</div>"
)


def _strings(props: dict) -> list[str]:
    out = [props[k] for k in ("tip", "popup") if isinstance(props.get(k), str)]
    out += [t for t in props.get("tips") or [] if isinstance(t, str)]
    icon = props.get("icon")
    if isinstance(icon, dict) and isinstance(icon.get("html"), str):
        out.append(icon["html"])
    return out


def pack(collection: dict) -> dict:
    """A copy of ``collection`` whose repeated markup fragments are ``{n}``, with ``"frag"``: the fragments.

    Fragments are chosen by the bytes they save (used more than once and longer than their reference).
    """
    counts: Counter[str] = Counter()
    for feature in collection["features"]:
        for text in _strings(feature.get("properties", {})):
            counts.update(_FRAGMENT.findall(text))
    chosen = [f for f, n in counts.most_common() if n > 1 and len(f) > 4]
    if not chosen:
        return collection
    ref = {f: "{" + str(i) + "}" for i, f in enumerate(chosen)}

    def sub(text: str) -> str:
        return _FRAGMENT.sub(lambda m: ref.get(m.group(0), m.group(0)), text)

    def packed_props(props: dict) -> dict:
        out: dict[str, Any] = dict(props)
        for key in ("tip", "popup"):
            if isinstance(out.get(key), str):
                out[key] = sub(out[key])
        if isinstance(out.get("tips"), list):
            out["tips"] = [sub(t) if isinstance(t, str) else t for t in out["tips"]]
        if isinstance(out.get("icon"), dict) and isinstance(out["icon"].get("html"), str):
            out["icon"] = {**out["icon"], "html": sub(out["icon"]["html"])}
        return out

    features = [{**f, "properties": packed_props(f.get("properties", {}))} for f in collection["features"]]
    return {**collection, "features": features, "frag": chosen}


def unpack(text: str, fragments: list[str]) -> str:
    """The inverse of the packing of one string (what the page does)."""
    return re.sub(r"\{(\d+)\}", lambda m: fragments[int(m.group(1))], text)
