"""Region identities: the catalogue of current units and the resolution of any spelling to its ISO code.

The catalogue (``data/regions.csv``) lists every current unit with its ISO 3166-2 code, legacy codes, names in
English, Russian and Kazakh, administrative centre and, for the Kazakh units created in 2018 and 2022, the polygon
of the embedded boundaries that contains them. ``data/aliases.csv`` adds historical names, transliterations, the
abbreviations and spellings of statistical tables, and the spellings of the totals of ``data/aggregates.csv``.

Resolution works on a *key* built from a name (:mod:`geo._spelling`): case, punctuation, apostrophes, diacritics,
ё/е and the Kazakh letters are folded, Cyrillic is transliterated, and the words that say what kind of unit it is
("oblast", "обл.", "область", "облысы", "region", "krai", "territory", "city", "г.", …) are set aside as a *kind*.
The key finds the candidate units; the kind chooses between them ("Almaty oblast" vs "Almaty city") and is never
ignored: a kind that contradicts every candidate ("Shymkent oblast": Shymkent is a city) is an error naming the
candidates and why. A key that still fits several units is ambiguous and the error lists them.

:meth:`Catalog.classify` tells what a label of a statistical table is: a region, an aggregate (a country total, a
federal district, an oblast with its autonomous okrugs), ambiguous or unknown, and records how it was read:

- a footnote marker at the end ("Туркестанская 1", "Astana city2)", "*", superscripts) is stripped only when the
  rest resolves, and listed in ``Resolution.stripped``;
- a leading "в том числе:" / "of which" is set aside (``Resolution.lead``);
- "… без автономных округов" / "less autonomous areas" names the oblast alone (Tyumen Oblast proper is ``RU-TYU``);
  "… включая/с автономными округами" / "including the autonomous okrugs" names the aggregate;
- letters that look alike in Latin and Cyrillic are read both ways: "BKO" (Latin) could be ВКО (East Kazakhstan)
  or БҚО (West Kazakhstan), so it is ambiguous, never silently one of them.

A bare "Тюменская область" is ``RU-TYU`` (Tyumen Oblast proper) on its own. Rosstat, though, prints the bare name
as the total including Khanty-Mansi and Yamalo-Nenets whenever it also prints the oblast "без автономных округов"
or its okrugs as "в том числе" rows; :meth:`Catalog.classify_all` reads a table's column as a whole and, in exactly
those two cases, reads the bare name as the aggregate ``RU-TYU-TOTAL`` (likewise Arkhangelsk with Nenets). When the
okrugs appear as plain rows and no "without" row exists, the bare name stays ``RU-TYU`` with a note saying so.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from geo._catalog_index import build_index
from geo._paths import data_dir
from geo._spelling import (
    KIND_COMPATIBLE,
    code_key,
    confusable_readings,
    normalize,
    split_qualifier,
    strip_footnote,
    strip_lead,
)
from geo.aggregates import Aggregate, Resolution, read_aggregates
from geo.errors import (
    AggregateRegionError,
    AmbiguousRegionError,
    GeoInputError,
    UnknownRegionError,
    shipped_data,
)
from geo.names_kk import fill_name_kk

__all__ = ["Aggregate", "Catalog", "Resolution", "catalog", "normalize", "resolve"]

_KIND_LABEL = {"autonomous_okrug": "autonomous okrug", "autonomous_oblast": "autonomous oblast"}


def _a(kind: str) -> str:
    """The kind with its article: "an oblast", "a city"."""
    word = _KIND_LABEL.get(kind, kind).replace("_", " ")
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


@dataclass(frozen=True)
class Catalog:
    """The region catalogue and the indexes that resolve names to codes.

    Build it with :func:`catalog`; it is immutable and cached per file.
    """

    table: pd.DataFrame
    _codes: dict[str, str] = field(repr=False)  # code-like key -> code
    _names: dict[str, dict[str, set[str]]] = field(repr=False)  # key -> {code: kinds stated by aliases}
    _pinned: dict[str, str] = field(repr=False)  # key (no kinds) -> code where an alias settles it
    _display: dict[str, str] = field(repr=False)  # code -> "Name (CODE)"
    aggregates: dict[str, Aggregate] = field(default_factory=dict, repr=False)  # id -> aggregate
    _agg_names: dict[str, dict[str, list[frozenset[str]]]] = field(default_factory=dict, repr=False)

    # -- public ----------------------------------------------------------------------------------
    @property
    def codes(self) -> list[str]:
        """All current codes, sorted."""
        return list(self.table.index)

    def get(self, code: str) -> pd.Series:
        """The catalogue row of a current code."""
        return self.table.loc[code]

    def describe(self, code: str) -> str:
        """Human label used in messages: ``"Kostanay Region (KZ-39)"``."""
        return self._display[code]

    def resolve(self, name: object, *, country: str | None = None, where: str = "") -> str:
        """Current ISO 3166-2 code for any spelling of a region; see :func:`geo.resolve`."""
        res = self.classify(name, country=country)
        if res.status == "region":
            return res.codes[0]
        if res.status == "aggregate":
            assert res.aggregate is not None  # an aggregate resolution always names its aggregate
            raise AggregateRegionError(str(name), res.aggregate.describe(), where=where)
        if res.status == "ambiguous":
            raise AmbiguousRegionError(str(name), list(res.suggestions), where=where)
        hints = list(res.suggestions) or self._suggest(str(name), country.upper() if country else None)
        raise UnknownRegionError(str(name), hints, where=where)

    def candidates(self, name: object, *, country: str | None = None) -> list[str]:
        """All region codes a name could mean (empty when unknown or an aggregate, several when ambiguous)."""
        res = self.classify(name, country=country)
        return list(res.codes) if res.status in ("region", "ambiguous") else []

    def aggregate(self, name: object, *, country: str | None = None) -> Aggregate | None:
        """The aggregate a label names ("Республика Казахстан", "Ural Federal District"), or None."""
        res = self.classify(name, country=country)
        return res.aggregate if res.status == "aggregate" else None

    def classify(self, name: object, *, country: str | None = None) -> Resolution:
        """Tell whether a label is a region, an aggregate, ambiguous or unknown, and how it was read.

        Parameters
        ----------
        name
            A label of a statistical table or any spelling of a region.
        country
            ``"RU"`` or ``"KZ"`` to restrict the search to one country.

        Returns
        -------
        Resolution
            Never raises for a non-empty label; see :class:`Resolution`.

        Raises
        ------
        GeoInputError
            The label is empty or ``country`` is neither ``"RU"`` nor ``"KZ"``.
        """
        if name is None or (isinstance(name, float) and pd.isna(name)) or not str(name).strip():
            raise GeoInputError("empty region name")
        if country is not None:
            country = country.upper()
            if country not in ("RU", "KZ"):
                raise GeoInputError(f"country must be 'RU' or 'KZ', not {country!r}")
        text = str(name)
        return replace(self._read(text, country, depth=0), name=text)

    def classify_all(self, names: Iterable[object], *, country: str | None = None) -> dict[str, Resolution]:
        """Classify the labels of one table column together (each distinct label once).

        Applies the rule of the module docstring: a bare oblast name that Rosstat also prints without its autonomous
        okrugs is the aggregate when the column has its "without" row or its okrugs as "в том числе" rows.
        Empty labels are left out.
        """
        out: dict[str, Resolution] = {}
        for value in dict.fromkeys(str(n) for n in names if n is not None and not pd.isna(n)):
            if value.strip():
                out[value] = self.classify(value, country=country)
        by_base = {a.base: a for a in self.aggregates.values() if a.base}
        for value, res in list(out.items()):
            agg = by_base.get(res.code or "")
            if agg is None or res.qualifier or res.lead:
                continue
            alone = [o for o in out.values() if o.code == agg.base and o.qualifier == "without"]
            parts = [o for o in out.values() if o.lead and o.code in agg.members and o.code != agg.base]
            if alone or parts:
                why = f"the table also has {(alone or parts)[0].name!r}"
                out[value] = replace(
                    res,
                    status="aggregate",
                    codes=agg.members,
                    aggregate=agg,
                    note=f"read as {agg.name_en}, as Rosstat prints it, because {why}",
                )
            elif any(o.code in agg.members and o.code != agg.base for o in out.values()):
                note = (
                    f"read as {self.describe(agg.base)} alone; Rosstat prints this name as the total {agg.name_en} "
                    "when it also prints the oblast without its okrugs: check the values"
                )
                out[value] = replace(res, note=note)
        return out

    def suggest(self, name: object, *, country: str | None = None, n: int = 3) -> list[str]:
        """Closest known names for an unknown one, as ``"Name (CODE)"`` labels (none for an aggregate)."""
        if str(name).strip() and self._read(str(name), country, depth=0).status == "aggregate":
            return []
        return self._suggest(str(name), country, n)

    def _suggest(self, name: str, country: str | None, n: int = 3) -> list[str]:
        key, _ = normalize(name)
        keys = [k for k, v in self._names.items() if self._country_ok(v, country)]
        close = difflib.get_close_matches(key, keys, n=n * 3, cutoff=0.6)
        out: list[str] = []
        for k in close:
            for code in sorted(self._names[k]):
                label = self.describe(code)
                if label not in out and (country is None or code.startswith(country + "-")):
                    out.append(label)
        return out[:n]

    # -- internals -------------------------------------------------------------------------------
    @staticmethod
    def _country_ok(codes: Iterable[str], country: str | None) -> bool:
        return country is None or any(c.startswith(country + "-") for c in codes)

    def _read(self, text: str, country: str | None, depth: int) -> Resolution:
        """Resolve a label, then, if it is not known as it stands, the table markers around it."""
        res = self._with_lookalikes(text, country)
        if res.status != "unknown":
            foot = strip_footnote(text)
            if foot and self._with_lookalikes(foot[0], country).codes == res.codes:
                res = replace(res, stripped=(foot[1],))  # "г.Москва *)": folding drops the marker; list it
            return res
        if depth > 3:
            return res
        lead = strip_lead(text)
        if lead:
            inner = self._read(lead[0], country, depth + 1)
            if inner.status != "unknown":
                return replace(inner, lead=lead[1])
        qualified = split_qualifier(text)
        if qualified:
            inner = self._read(qualified[0], country, depth + 1)
            if inner.status == "region":
                return self._qualify(inner, qualified[1], qualified[0])
        foot = strip_footnote(text)
        if foot:
            inner = self._read(foot[0], country, depth + 1)
            if inner.status != "unknown":
                return replace(inner, stripped=(foot[1], *inner.stripped))
        return res

    def _qualify(self, inner: Resolution, qualifier: str, head: str) -> Resolution:
        agg = next((a for a in self.aggregates.values() if a.base == inner.code), None)
        if agg is None:
            note = f"{head!r} has no autonomous okrugs in the catalogue: 'with/without the okrugs' cannot be matched"
            return Resolution("", "unknown", note=note, suggestions=(self.describe(str(inner.code)),))
        if qualifier == "with":
            return replace(inner, status="aggregate", codes=agg.members, aggregate=agg, qualifier="with")
        note = f"{self.describe(str(inner.code))} without its autonomous okrugs (the catalogue's region)"
        return replace(inner, qualifier="without", note=note)

    def _with_lookalikes(self, text: str, country: str | None) -> Resolution:
        res = self._lookup(text, country)
        if res.status == "aggregate":
            return res
        readings = [(r, self._lookup(r, country)) for r in confusable_readings(text)]
        found = dict.fromkeys(res.codes if res.status in ("region", "ambiguous") else ())
        for _reading, other in readings:
            if other.status in ("region", "ambiguous"):
                found.update(dict.fromkeys(other.codes))
        if len(found) <= len(res.codes if res.status != "unknown" else ()):
            return res
        shown = ", ".join(repr(r) for r, o in readings if o.status in ("region", "ambiguous"))
        note = f"Latin and Cyrillic letters look alike here: {text!r} can also be read as {shown}"
        codes = tuple(sorted(found))
        if len(codes) == 1:
            return Resolution("", "region", codes, note=note)
        return Resolution("", "ambiguous", codes, note=note, suggestions=tuple(map(self.describe, codes)))

    def _lookup(self, text: str, country: str | None) -> Resolution:
        """One spelling, as it stands: a code, an aggregate's name or a region's name and kind."""
        as_code = code_key(text)
        if as_code and as_code in self._codes:
            code = self._codes[as_code]
            ok = country is None or code.startswith(country)
            return Resolution("", "region", (code,)) if ok else Resolution("", "unknown")
        hasc = text.strip().upper().replace(" ", "")
        if hasc in self._codes and (country is None or self._codes[hasc].startswith(country)):
            return Resolution("", "region", (self._codes[hasc],))
        key, kinds = normalize(text)
        for agg_id, kind_sets in self._agg_names.get(key, {}).items():
            agg = self.aggregates[agg_id]
            if (country is None or agg.country == country) and any(
                kinds <= k and (kinds or not k) for k in kind_sets
            ):
                return Resolution("", "aggregate", agg.members, aggregate=agg)
        entry = self._names.get(key, {})
        codes = sorted(c for c in entry if country is None or c.startswith(country + "-"))
        if codes and kinds:
            fitting = [c for c in codes if self._kind_fits(c, kinds, entry[c])]
            if not fitting:
                return self._contradiction(key, kinds, codes, country)
            codes = fitting
        if len(codes) > 1 and not kinds and key in self._pinned:
            pinned = self._pinned[key]
            if country is None or pinned.startswith(country + "-"):
                codes = [pinned]
        if len(codes) == 1:
            return Resolution("", "region", tuple(codes))
        if codes:
            return Resolution("", "ambiguous", tuple(codes), suggestions=tuple(map(self.describe, codes)))
        return Resolution("", "unknown")

    def _contradiction(
        self, key: str, kinds: frozenset[str], codes: list[str], country: str | None
    ) -> Resolution:
        """The kind stated contradicts every unit of that name: list them, and units of that kind with close names."""
        stated = " and ".join(sorted(_KIND_LABEL.get(k, k) for k in kinds))
        labels = [f"{self.describe(c)}, which is {_a(self.table.at[c, 'kind'])}" for c in codes]
        others: list[str] = []
        for k in difflib.get_close_matches(key, list(self._names), n=6, cutoff=0.8):
            for c, alias_kinds in sorted(self._names[k].items()):
                fits = self._kind_fits(c, kinds, alias_kinds) and (
                    country is None or c.startswith(country + "-")
                )
                if fits and c not in codes and c not in others:
                    others.append(c)
        note = f"the name is that of {' or '.join(labels)}, not of {_a(stated)}"
        labels += [f"{self.describe(c)}, {_a(stated)} with a similar (historical) name" for c in others]
        if others:
            return Resolution("", "ambiguous", tuple(codes + others), note=note, suggestions=tuple(labels))
        return Resolution("", "unknown", note=note, suggestions=tuple(labels))

    def _kind_fits(self, code: str, kinds: frozenset[str], alias_kinds: set[str]) -> bool:
        unit_kind = self.table.at[code, "kind"]
        stated = set(alias_kinds) | {unit_kind}
        return all(stated & KIND_COMPATIBLE.get(k, {k}) for k in kinds)


def _build(regions: pd.DataFrame, aliases: pd.DataFrame, aggregates: dict[str, Aggregate]) -> Catalog:
    index = build_index(regions, aliases, aggregates)
    return Catalog(
        table=regions,
        _codes=index.codes,
        _names=index.names,
        _pinned=index.pinned,
        _display=index.display,
        aggregates=aggregates,
        _agg_names=index.aggregate_names,
    )


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@lru_cache(maxsize=4)
@shipped_data
def catalog(directory: str | None = None) -> Catalog:
    """Load the region catalogue (cached).

    Parameters
    ----------
    directory
        Folder holding ``regions.csv``, ``aliases.csv`` and (optionally) ``aggregates.csv``; the shipped ``data/``
        folder by default.

    Returns
    -------
    Catalog
        The catalogue; ``catalog().table`` is a DataFrame indexed by code, ``catalog().aggregates`` the totals.
    """
    folder = Path(directory) if directory else data_dir()
    regions = _read_csv(folder / "regions.csv").set_index("code", drop=False)
    regions.index.name = None
    regions["border"] = regions["border"].str.lower().eq("true")
    regions = fill_name_kk(regions, folder)  # Kazakh names of Russian regions, sourced (geo/names_kk.py)
    for col in ("centre_lat", "centre_lon"):
        regions[col] = pd.to_numeric(regions[col], errors="coerce")
    agg_path = folder / "aggregates.csv"
    aggregates = read_aggregates(_read_csv(agg_path), set(regions.index)) if agg_path.exists() else {}
    return _build(regions, _read_csv(folder / "aliases.csv"), aggregates)


def resolve(name_or_code: object, country: str | None = None) -> str:
    """Current ISO 3166-2 code of a region, from any spelling.

    Parameters
    ----------
    name_or_code
        A name in English, Russian or Kazakh (Latin or Cyrillic), with or without "oblast", "обл.",
        "область", "облысы", "region"; a transliteration or historical name; a label of a statistical table with
        a footnote marker ("Туркестанская 1"); an ISO 3166-2 code (current or legacy, e.g. ``KZ-KUS``) or a HASC
        code (``KZ.QS``).
    country
        ``"RU"`` or ``"KZ"`` to restrict the search to one country.

    Returns
    -------
    str
        The current code, e.g. ``"KZ-39"``.

    Raises
    ------
    UnknownRegionError
        No unit fits, or the kind stated contradicts the only unit of that name ("Orenburg krai"); the message
        lists the closest names. :class:`~geo.errors.AggregateRegionError`, a subclass, when the name is a total
        ("Республика Казахстан", "Ural Federal District"): see :meth:`Catalog.classify`.
    AmbiguousRegionError
        Several units fit (e.g. "Almaty": city or region; "BKO": ВКО or БҚО; "Shymkent oblast": the city, or the
        oblast once called Chimkent/Shymkent Oblast); the message lists them.

    Examples
    --------
    >>> resolve("Qostanay oblysy")
    'KZ-39'
    >>> resolve("Оренбургская обл.")
    'RU-ORE'
    """
    return catalog().resolve(name_or_code, country=country)
