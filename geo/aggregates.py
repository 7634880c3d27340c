"""Aggregates: the totals that statistical tables print between their regions.

``data/aggregates.csv`` lists each total with its member codes and its source: the two country totals, the eight
Russian federal districts, and the two oblasts that Rosstat also publishes together with the autonomous okrugs
inside them (Tyumen with Khanty-Mansi and Yamalo-Nenets, Arkhangelsk with Nenets). A total is never a region: it is
never joined, never drawn, never "unknown"; a table report lists it under its own heading and can compare it with
the sum of its members. Extra spellings of a total live in ``data/aliases.csv`` under the aggregate's id.

:class:`Resolution` is what :meth:`geo.catalog.Catalog.classify` says of a table's label: a region, an aggregate,
ambiguous or unknown, and how it was read.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.errors import GeoInputError

__all__ = ["Aggregate", "Resolution", "read_aggregates"]


@dataclass(frozen=True)
class Aggregate:
    """A total row's territory: its id, kind, names and the catalogue codes it sums.

    Attributes
    ----------
    id
        Stable id, e.g. ``"KZ-TOTAL"``, ``"RU-FD-URAL"``, ``"RU-TYU-TOTAL"``; never an ISO 3166-2 code.
    kind
        ``"country"``, ``"federal_district"`` or ``"with_okrugs"``.
    members
        The catalogue codes whose sum the total is.
    base
        For ``"with_okrugs"``: the oblast that Rosstat also publishes alone ("… без автономных округов"), e.g.
        ``"RU-TYU"``; empty otherwise.
    outside
        Territories the publisher counts in the total that the catalogue does not carry (empty when none), so a
        sum comparison can allow for them.
    """

    id: str
    kind: str
    country: str
    name_en: str
    name_ru: str
    name_kk: str
    members: tuple[str, ...]
    base: str
    outside: str
    source: str
    note: str

    def describe(self) -> str:
        """Human label used in messages: ``"Ural Federal District (total of 6 units)"``."""
        return f"{self.name_en} (total of {len(self.members)} units)"


@dataclass(frozen=True)
class Resolution:
    """What a label is and how it was read.

    Attributes
    ----------
    name
        The label as given.
    status
        ``"region"``, ``"aggregate"``, ``"ambiguous"`` or ``"unknown"``.
    codes
        Region: its one code; ambiguous: the candidates; aggregate: its member codes; unknown: empty.
    aggregate
        The :class:`~geo.aggregates.Aggregate` when ``status == "aggregate"``.
    stripped
        Footnote markers stripped from the end of the label, in the order they were removed (e.g. ``("2)",)``).
    lead
        A leading "в том числе:" / "of which" that was set aside.
    qualifier
        ``"without"`` or ``"with"`` when the label said "without/with the autonomous okrugs".
    note
        Why the label was read so, or why it could not be (a contradicting kind, look-alike letters, Rosstat's bare
        Tyumen); empty when there is nothing to say.
    suggestions
        For ambiguous labels and for unknown ones with a known reason (a contradicting kind): human labels of the
        units meant, with the reason. Plain unknown labels leave it empty (it costs a fuzzy search): ask
        :meth:`~geo.catalog.Catalog.suggest` for the few a report shows.
    """

    name: str
    status: str
    codes: tuple[str, ...] = ()
    aggregate: Aggregate | None = None
    stripped: tuple[str, ...] = ()
    lead: str = ""
    qualifier: str = ""
    note: str = ""
    suggestions: tuple[str, ...] = ()

    @property
    def code(self) -> str | None:
        """The region's code, None unless ``status == "region"``."""
        return self.codes[0] if self.status == "region" else None


def read_aggregates(
    table: pd.DataFrame, codes: set[str], *, label: str = "data/aggregates.csv"
) -> dict[str, Aggregate]:
    """Build the aggregates from their CSV table, checking every member against the catalogue codes."""
    out: dict[str, Aggregate] = {}
    for row in table.itertuples(index=False):
        members = tuple(m.strip() for m in str(row.members).split(";") if m.strip())
        unknown = [m for m in members if m not in codes]
        if unknown or not members:
            raise GeoInputError(f"{label}: aggregate {row.id!r} has unknown or no members: {unknown}")
        if row.base and row.base not in members:
            raise GeoInputError(f"{label}: aggregate {row.id!r}: base {row.base!r} is not one of its members")
        if row.id in codes or row.id in out:
            raise GeoInputError(f"{label}: aggregate id {row.id!r} is used twice")
        out[row.id] = Aggregate(
            id=row.id,
            kind=row.kind,
            country=row.country,
            name_en=row.name_en,
            name_ru=row.name_ru,
            name_kk=row.name_kk,
            members=members,
            base=row.base,
            outside=row.outside,
            source=row.source,
            note=row.note,
        )
    return out
