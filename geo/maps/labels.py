"""Region labels as data: a region's names and the units it includes, turned into text only when drawn.

"East Kazakhstan Region incl. Abai Region" is never built and parsed apart again: a :class:`RegionLabel`
keeps the parts, and each renderer asks for the text it needs (long for tooltips, short for map labels, with a
line break on print).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd

from geo.catalog import catalog

__all__ = ["MINOR_LABELS", "RegionLabel", "names_of", "region_labels", "short_keep"]

#: Small cities: their polygon labels show only when zoomed in (Astana, Almaty and Shymkent are drawn as
#: labelled points instead, see :mod:`geo.maps.cities`).
MINOR_LABELS = frozenset({"KZ-71", "KZ-75", "KZ-79", "RU-MOW", "RU-SPE"})
#: How a polygon that also holds other units says so: "East Kazakhstan incl. Abai"; in Kazakh "… және …"
#: ("… and …": the polygon holds both units).
_INCL = {"en": " incl. ", "ru": " вкл. ", "kk": " және "}
LANG_NAMES = ("en", "ru", "kk")


def names_of(code: str) -> dict[str, str]:
    """A unit's names by language from the catalogue.

    A unit without a sourced Kazakh name (``name_kk`` empty) shows its Russian name in Kazakh maps. An unknown code
    names itself.
    """
    return dict(_catalogue_names().get(code) or dict.fromkeys(LANG_NAMES, code))


@lru_cache(maxsize=1)
def _catalogue_names() -> dict[str, dict[str, str]]:
    """Every catalogue unit's names by language, read once (a map asks for them a few hundred times)."""
    table = catalog().table
    out = {}
    for code, en, ru, kk in zip(
        table.index, table["name_en"], table["name_ru"], table["name_kk"], strict=True
    ):
        names = {lang: str(v or "").strip() for lang, v in zip(LANG_NAMES, (en, ru, kk), strict=True)}
        names["kk"] = names["kk"] or names["ru"]
        out[code] = {lang: names[lang] or code for lang in LANG_NAMES}
    return out


@dataclass(frozen=True)
class RegionLabel:
    """A region's label as data: its code, its names by language and the units it includes.

    Names in ``en``, ``ru`` and ``kk``; the included units by code.
    """

    code: str
    names: dict[str, str]
    includes: tuple[str, ...] = ()
    minor: bool = False

    def text(
        self, lang: str, *, short: bool = False, keep: frozenset[str] = frozenset(), sep: str = ""
    ) -> str:
        """The label in ``lang``: "East Kazakhstan Region incl. Abai Region", or shortened.

        ``short`` drops the generic words "Region"/"Oblast" ("область", "облысы" -> "обл.") except for names in ``keep``
        (a name whose short form would read like another unit's, e.g. "Almaty Region" beside the city);
        "Krai" and "Republic" stay. ``sep`` replaces the space before "incl." (a line break on print).
        """
        table = catalog().table
        names = [self.names[lang], *(names_of(c)[lang] for c in self.includes if c in table.index)]
        if short:
            names = [n if n in keep else _short(n, lang) for n in names]
        if len(names) == 1:
            return names[0]
        incl = _INCL[lang] if not sep else sep + _INCL[lang].lstrip()
        return names[0] + incl + ", ".join(names[1:])


def _short(name: str, lang: str) -> str:
    if lang == "en":
        return name.removesuffix(" Region").removesuffix(" Oblast")
    if lang == "kk":
        return name.replace(" облысы", " обл.")
    return name.replace(" область", " обл.")


def short_keep(names: Sequence[str], lang: str) -> frozenset[str]:
    """Names whose short form is another name of the set (they are kept whole: "Almaty Region")."""
    known = set(names)
    return frozenset(n for n in known if _short(n, lang) in known and _short(n, lang) != n)


def _includes(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(c for c in value.split(";") if c)
    if isinstance(value, Sequence):
        return tuple(str(c) for c in value)
    return ()


def _names(code: str, en: str, ru: str) -> dict[str, str]:
    """Names of a row: English and Russian as in the boundaries, Kazakh from the catalogue."""
    return {"en": en, "ru": ru, "kk": names_of(code)["kk"] if code in catalog().table.index else ru}


def region_labels(regions: gpd.GeoDataFrame) -> tuple[RegionLabel, ...]:
    """One :class:`RegionLabel` per row of ``regions`` (columns of :func:`geo.regions`)."""
    includes = regions["includes"] if "includes" in regions.columns else pd.Series([()] * len(regions))
    return tuple(
        RegionLabel(code, _names(code, en, ru), _includes(inc), code in MINOR_LABELS)
        for code, en, ru, inc in zip(
            regions["code"], regions["name_en"], regions["name_ru"], includes, strict=True
        )
    )
