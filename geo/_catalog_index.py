"""The catalogue's look-up tables, built once from ``data/regions.csv``, ``aliases.csv`` and ``aggregates.csv``.

:func:`build_index` turns the rows into dictionaries keyed by normalised spelling (:func:`geo._spelling.normalize`)
and by code (current, legacy, HASC); :class:`geo.catalog.Catalog` answers questions with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from geo._spelling import code_key, normalize
from geo.aggregates import Aggregate
from geo.errors import GeoInputError

__all__ = ["CatalogIndex", "build_index"]


@dataclass(frozen=True)
class CatalogIndex:
    """Spellings and codes -> units: what :class:`geo.catalog.Catalog` looks names up in."""

    codes: dict[str, str]
    names: dict[str, dict[str, set[str]]]
    pinned: dict[str, str]
    display: dict[str, str]
    aggregate_names: dict[str, dict[str, list[frozenset[str]]]]


class _Names:
    """Normalised names collected while building the catalogue: regions' and aggregates' apart."""

    def __init__(self, aggregates: dict[str, Aggregate]) -> None:
        self.aggregates = aggregates
        self.regions: dict[str, dict[str, set[str]]] = {}
        self.totals: dict[str, dict[str, list[frozenset[str]]]] = {}

    def add(self, code: str, text: object) -> None:
        if not isinstance(text, str) or not text.strip():
            return
        key, kinds = normalize(text)
        if not key:
            return
        if code in self.aggregates:
            self.totals.setdefault(key, {}).setdefault(code, []).append(kinds)
        else:
            self.regions.setdefault(key, {}).setdefault(code, set()).update(kinds)


def _code_index(records: dict[str, dict]) -> dict[str, str]:
    """Every code a unit is known by (current, legacy, HASC) -> its current code."""
    codes: dict[str, str] = {}
    for code, row in records.items():
        codes[code] = code
        for legacy in filter(None, str(row["legacy_codes"] or "").split(";")):
            codes[legacy.strip().upper()] = code
        if row["hasc"]:
            codes[str(row["hasc"]).upper()] = code
    return codes


def _add_aliases(
    aliases: pd.DataFrame, known: set[str], codes: dict[str, str], names: _Names
) -> dict[str, str]:
    """Add ``aliases.csv`` to ``codes``/``names``; returns the pinned spellings (name key -> code)."""
    pinned: dict[str, str] = {}
    for row in aliases.itertuples(index=False):
        if row.code not in known:
            msg = f"data/aliases.csv: alias {row.alias!r} names unknown code {row.code!r}"
            raise GeoInputError(msg)
        if code_key(row.alias) and re.fullmatch(r"[A-Z]{2}[-.][A-Z0-9]+", row.alias):
            codes[row.alias.upper()] = row.code
            continue
        names.add(row.code, row.alias)
        if str(row.pin).lower() == "true":
            pinned[normalize(row.alias)[0]] = row.code
    return pinned


def build_index(
    regions: pd.DataFrame, aliases: pd.DataFrame, aggregates: dict[str, Aggregate]
) -> CatalogIndex:
    """The look-up tables of the catalogue from ``regions.csv``, ``aliases.csv`` and the aggregates."""
    records = regions.to_dict("index")
    codes = _code_index(records)
    names = _Names(aggregates)
    for code, row in records.items():
        for col in ("name_en", "name_ru", "name_kk"):
            names.add(code, row[col])
    for agg in aggregates.values():
        for text in (agg.name_en, agg.name_ru, agg.name_kk):
            names.add(agg.id, text)
    pinned = _add_aliases(aliases, set(regions.index) | set(aggregates), codes, names)
    clash = sorted(set(names.totals) & set(names.regions))
    if clash:
        msg = f"data/aliases.csv: names of both a region and an aggregate: {clash}"
        raise GeoInputError(msg)
    return CatalogIndex(
        codes=codes,
        names=names.regions,
        pinned=pinned,
        display={code: f"{row['name_en']} ({code})" for code, row in records.items()},
        aggregate_names=names.totals,
    )
