"""Named colour palettes for the choropleth, taken from branca's ColorBrewer and viridis tables (not copied here).

branca (a dependency of folium) ships Cynthia Brewer's ColorBrewer tables, one per number of classes
(``YlOrRd_05`` …), and the matplotlib viridis family as sampled ramps. :func:`palette_colors` gives ``n``
colours of a named palette: ColorBrewer's own table for ``n`` classes when it has one, otherwise evenly spaced
colours of the largest table or ramp. :data:`DEFAULT_PALETTE` (``YlOrRd``) is a single-direction lightness ramp:
the tests simulate deuteranopia, protanopia and tritanopia (Machado et al. 2009, via ``colorspacious``) and
check that adjacent classes stay at least :data:`MIN_DELTA_E` apart in CAM02-UCS for every class count.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from geo.errors import MapOptionError

__all__ = [
    "CATEGORICAL_PALETTE",
    "DEFAULT_PALETTE",
    "MIN_DELTA_E",
    "MIN_DELTA_E_ANY_K",
    "ZERO_COLOR",
    "palette_colors",
    "palette_kind",
    "palette_names",
]

DEFAULT_PALETTE = "YlOrRd"
#: The palette of a categorical choropleth (a text column) unless one is named.
CATEGORICAL_PALETTE = "Set2"
#: Fill of the class of zero ("none"): a neutral light blue-grey, apart from every class colour (also under the
#: simulations) and from "no data", which is white hatched with grey.
ZERO_COLOR = "#dde3ea"
#: Least colour difference (ΔE in CAM02-UCS) between adjacent classes of the default palette with the zero
#: class, for normal vision and under simulated deuteranopia, protanopia and tritanopia (full severity):
#: :data:`MIN_DELTA_E` for up to 5 classes (the default), :data:`MIN_DELTA_E_ANY_K` for up to 9 (checked in
#: tests/test_maps_style.py).
MIN_DELTA_E = 10.0
MIN_DELTA_E_ANY_K = 6.0


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, list[str]], dict[str, str]]:
    pkg = resources.files("branca")
    schemes = json.loads(pkg.joinpath("_schemes.json").read_text(encoding="utf-8"))
    kinds = json.loads(pkg.joinpath("scheme_info.json").read_text(encoding="utf-8"))
    return schemes, kinds


def palette_names(kind: str | None = None) -> list[str]:
    """Names accepted by ``--palette`` (``kind``: ``"Sequential"``, ``"Diverging"`` or ``"Qualitative"``)."""
    _, kinds = _tables()
    return sorted((n for n, k in kinds.items() if kind is None or k == kind), key=str.casefold)


def palette_kind(name: str) -> str:
    """``"Sequential"``, ``"Diverging"`` or ``"Qualitative"``; a :class:`MapOptionError` for an unknown name."""
    _, kinds = _tables()
    if name not in kinds:
        lower = {n.lower(): n for n in kinds}
        if name.lower() in lower:
            return kinds[lower[name.lower()]]
        msg = f"unknown palette {name!r}; choose one of {', '.join(palette_names())}"
        raise MapOptionError(msg)
    return kinds[name]


def _canonical(name: str) -> str:
    _, kinds = _tables()
    palette_kind(name)
    return name if name in kinds else {n.lower(): n for n in kinds}[name.lower()]


def palette_colors(name: str, n: int) -> list[str]:
    """``n`` colours (``#rrggbb``) of the palette ``name``, light to dark for sequential ones.

    Raises
    ------
    MapOptionError
        Unknown palette, or more categories than a qualitative palette has colours.
    """
    schemes, _ = _tables()
    name = _canonical(name)
    if n < 1:
        return []
    exact = schemes.get(f"{name}_{n:02d}")
    if exact is not None:
        return [c.lower() for c in exact]
    sizes = sorted(
        int(k.rsplit("_", 1)[1]) for k in schemes if k.rsplit("_", 1)[0] == name and k[-2:].isdigit()
    )
    ramp = schemes[name] if name in schemes else schemes[f"{name}_{sizes[-1]:02d}"]
    if palette_kind(name) == "Qualitative":
        if n > len(ramp):
            msg = f"palette {name!r} has {len(ramp)} colours, not enough for {n} categories"
            raise MapOptionError(msg)
        return [c.lower() for c in ramp[:n]]
    if n > len(ramp):
        msg = f"palette {name!r} has {len(ramp)} colours, not enough for {n} classes"
        raise MapOptionError(msg)
    if n == 1:
        return [ramp[len(ramp) // 2].lower()]
    if n == 2 and sizes:  # ColorBrewer starts at 3 classes: the ends of its 3-class table
        three = schemes[f"{name}_{sizes[0]:02d}"]
        return [three[0].lower(), three[-1].lower()]
    step = (len(ramp) - 1) / (n - 1)
    return [ramp[round(i * step)].lower() for i in range(n)]
