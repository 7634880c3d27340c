"""Region labels as data: a region's names and the units it includes, turned into text only when drawn.

"East Kazakhstan Region incl. Abai Region" is never built and parsed apart again: a :class:`RegionLabel`
keeps the parts, and each renderer asks for the text it needs (long for tooltips, short for map labels, with a
line break on print).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.catalog import catalog

__all__ = ["MINOR_LABELS", "RegionLabel", "region_labels", "short_keep"]

#: Small cities: their labels show only when zoomed in (and not at all on print).
MINOR_LABELS = frozenset({"KZ-71", "KZ-75", "KZ-79", "RU-MOW", "RU-SPE"})
_INCL = {"en": " incl. ", "ru": " вкл. "}


@dataclass(frozen=True)
class RegionLabel:
    """A region's label as data: its code, its names by language, and the units it includes (by code)."""

    code: str
    names: dict[str, str]
    includes: tuple[str, ...] = ()
    minor: bool = False

    def text(
        self, lang: str, *, short: bool = False, keep: frozenset[str] = frozenset(), sep: str = ""
    ) -> str:
        """The label in ``lang``: "East Kazakhstan Region incl. Abai Region", or shortened.

        ``short`` drops the generic words "Region"/"Oblast" ("область" -> "обл.") except for names in ``keep``
        (a name whose short form would read like another unit's, e.g. "Almaty Region" beside the city);
        "Krai" and "Republic" stay. ``sep`` replaces the space before "incl." (a line break on print).
        """
        table = catalog().table
        names = [self.names[lang], *(table.at[c, f"name_{lang}"] for c in self.includes if c in table.index)]
        if short:
            names = [n if n in keep else _short(n, lang) for n in names]
        if len(names) == 1:
            return names[0]
        incl = _INCL[lang] if not sep else sep + _INCL[lang].lstrip()
        return names[0] + incl + ", ".join(names[1:])


def _short(name: str, lang: str) -> str:
    return (
        name.removesuffix(" Region").removesuffix(" Oblast")
        if lang == "en"
        else name.replace(" область", " обл.")
    )


def short_keep(names: Sequence[str], lang: str) -> frozenset[str]:
    """Names whose short form is another name of the set (they are kept whole: "Almaty Region")."""
    names = set(names)
    return frozenset(n for n in names if _short(n, lang) in names and _short(n, lang) != n)


def _includes(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(c for c in value.split(";") if c)
    if isinstance(value, Sequence):
        return tuple(str(c) for c in value)
    return ()


def region_labels(regions: gpd.GeoDataFrame) -> tuple[RegionLabel, ...]:
    """One :class:`RegionLabel` per row of ``regions`` (columns of :func:`geo.regions`)."""
    includes = regions["includes"] if "includes" in regions.columns else pd.Series([()] * len(regions))
    return tuple(
        RegionLabel(code, {"en": en, "ru": ru}, _includes(inc), code in MINOR_LABELS)
        for code, en, ru, inc in zip(
            regions["code"], regions["name_en"], regions["name_ru"], includes, strict=True
        )
    )
