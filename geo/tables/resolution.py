"""Region keys of a table: find the region column, resolve each distinct spelling once, find duplicates.

*Context rule.* A bare "Almaty" fits Almaty Region (KZ-19) and Almaty city (KZ-75). When the same table also
has a row that resolves unambiguously to one of the candidates ("Almaty oblast" -> KZ-19) and exactly one
candidate is left, the ambiguous rows are read as that one (KZ-75): a table does not normally list a region
twice. Every such decision is listed in the report (``JoinReport.decisions``); the duplicate check that follows
would catch a wrong one.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.aggregates import Resolution
from geo.catalog import catalog
from geo.errors import GeoInputError, TableError
from geo.tables.report import MAX_ROWS, Issue

#: Column names tried, case-insensitively and in this order, when ``region`` is not given.
REGION_COLUMNS = [
    "code",
    "region_code",
    "iso",
    "iso_code",
    "iso_3166_2",
    "region",
    "region_name",
    "oblast",
    "subject",
    "name",
    "регион",
    "область",
    "субъект",
    "субъект рф",
    "облыс",
    "аймақ",
    "код",
]
#: How many distinct unknown spellings get closest-match suggestions (difflib is the slow part).
MAX_SUGGEST = 200


def find_region_column(df: pd.DataFrame, region: str | None, label: str, country: str | None) -> str:
    """The region column: ``region`` when named (case-insensitively), else by name or by the values that resolve."""
    columns = [str(c) for c in df.columns]
    if region is not None:
        if region in columns:
            return region
        folded = {c.casefold(): c for c in columns}
        if region.casefold() in folded:
            return folded[region.casefold()]
        close = difflib.get_close_matches(region, columns, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        msg = f"{label}: no column {region!r}; the columns are {', '.join(map(repr, columns))}{hint}"
        raise TableError(msg)
    folded = {c.casefold(): c for c in columns}
    for name in REGION_COLUMNS:
        if name in folded and _resolvable_share(df[folded[name]], country) > 0.5:
            return folded[name]
    best, share = None, 0.0
    for col in columns:
        if pd.api.types.is_numeric_dtype(df[col]):
            continue
        s = _resolvable_share(df[col], country)
        if s > share:
            best, share = col, s
    if best is None or share < 0.5:
        msg = (
            f"{label}: could not find the column with region names or codes (columns: "
            f"{', '.join(map(repr, columns))}); name it with region= (CLI: --region)"
        )
        raise TableError(msg)
    return best


def _resolvable_share(values: pd.Series, country: str | None) -> float:
    sample = pd.Series(values.dropna().unique()[:200])
    if sample.empty:
        return 0.0
    cat = catalog()
    hits = 0
    for v in sample:
        with contextlib.suppress(GeoInputError):
            hits += bool(cat.candidates(v, country=country))
    return hits / len(sample)


def _rows_of(codes: np.ndarray, wanted: Iterable[int]) -> dict[int, tuple[list[int], int]]:
    """For each factor code in ``wanted``: (first MAX_ROWS 1-based rows, number of rows)."""
    wanted = np.fromiter(wanted, dtype=np.int64)
    if wanted.size == 0:
        return {}
    positions = np.flatnonzero(np.isin(codes, wanted))
    groups = pd.Series(positions + 1).groupby(codes[positions])
    return {int(k): (g.iloc[:MAX_ROWS].tolist(), len(g)) for k, g in groups}


@dataclass
class ColumnResolution:
    """A region column read as a whole: current codes, aggregate rows and every issue by kind.

    ``codes`` holds the current code of each row (``<NA>`` where unresolved and on aggregate rows);
    ``aggregates`` the aggregate id of each aggregate row (``<NA>`` elsewhere); ``issues`` the issues by kind:
    ``"unknown"``, ``"ambiguous"``, ``"missing_region"``, ``"context"`` (decisions), ``"aggregate"`` (total rows,
    information), ``"footnote"`` (markers stripped, information), ``"resolver_note"`` (how the resolver read a
    label, information).
    """

    codes: pd.Series
    aggregates: pd.Series
    issues: dict[str, list[Issue]]


@dataclass
class _LabelKinds:
    """The distinct labels of a column sorted by what the resolver made of them (by position)."""

    resolved: np.ndarray
    aggregate_ids: np.ndarray
    unknown: list[int]
    ambiguous: dict[int, list[str]]
    blank: list[int]
    found_as: dict[int, Resolution]

    @classmethod
    def of(cls, labels: list[str], classified: dict[str, Resolution]) -> _LabelKinds:
        out = cls(
            np.full(len(labels), None, dtype=object), np.full(len(labels), None, dtype=object), [], {}, [], {}
        )
        for i, label in enumerate(labels):
            res = classified.get(label)
            if res is None:  # empty or whitespace-only label
                out.blank.append(i)
                continue
            out.found_as[i] = res
            if res.status == "region":
                out.resolved[i] = res.codes[0]
            elif res.status == "aggregate" and res.aggregate is not None:
                out.aggregate_ids[i] = res.aggregate.id
            elif res.status == "ambiguous":
                out.ambiguous[i] = list(res.codes)
            else:
                out.unknown.append(i)
        return out


def classify_column(
    values: pd.Series, *, column: str = "", country: str | None = None, context: bool = True
) -> ColumnResolution:
    """Resolve a column of region labels with :meth:`Catalog.classify_all`, each distinct label once.

    Parameters
    ----------
    values
        Region names or codes, any spelling the catalogue resolves, and the total rows statistical tables print
        ("Республика Казахстан", federal districts, Tyumen with its okrugs).
    column
        Column name used in the issues.
    country
        ``"RU"`` or ``"KZ"`` to restrict resolution to one country.
    context
        Apply the context rule (see the module docstring) to ambiguous spellings.

    Returns
    -------
    ColumnResolution
    """
    cat = catalog()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    labels = [str(u) for u in uniques]
    classified = cat.classify_all(labels, country=country)
    sorted_ = _LabelKinds.of(labels, classified)
    resolved, aggregate_ids, found_as = sorted_.resolved, sorted_.aggregate_ids, sorted_.found_as
    unknown, ambiguous, blank = sorted_.unknown, sorted_.ambiguous, sorted_.blank
    issues: dict[str, list[Issue]] = {
        "unknown": [],
        "ambiguous": [],
        "missing_region": [],
        "context": [],
        "aggregate": [],
        "footnote": [],
        "resolver_note": [],
    }
    decided, first_spelling = _context(resolved, labels, ambiguous) if context else ({}, {})
    informative = [i for i, r in found_as.items() if r.status == "aggregate" or r.stripped or r.note]
    rows = _rows_of(codes, [*unknown, *ambiguous, *blank, *informative])
    for i, (code, here) in decided.items():
        resolved[i] = code
        others = "; ".join(
            f"{cat.describe(c)} is already in the table as {first_spelling[c]!r}" for c in here
        )
        r, n = rows[i]
        issues["context"].append(
            Issue("context", labels[i], r, n, column, f"read as {cat.describe(code)} because {others}")
        )
    for i, found in ambiguous.items():
        if i in decided:
            continue
        r, n = rows[i]
        options = " or ".join(f"{cat.describe(c)}" for c in found)
        hint = found_as[i].note or "use the code or a fuller name"
        issues["ambiguous"].append(
            Issue("ambiguous", labels[i], r, n, column, f"it could be {options}; {hint}")
        )
    for k, i in enumerate(unknown):
        r, n = rows[i]
        res = found_as[i]
        if res.suggestions or res.note:  # a known reason (a contradicting kind): say it
            hint = "; ".join(filter(None, [res.note, " or ".join(res.suggestions)]))
        else:
            close = cat.suggest(uniques[i], country=country) if k < MAX_SUGGEST else []
            hint = f"did you mean {' or '.join(close)}?" if close else "no close match in the catalogue"
        issues["unknown"].append(Issue("unknown", labels[i], r, n, column, hint))
    for i in informative:
        for kind, hint in _information(found_as[i]):
            issues[kind].append(Issue(kind, labels[i], *rows[i], column, hint))
    missing_positions = np.flatnonzero((codes < 0) | np.isin(codes, blank))
    if missing_positions.size:
        issues["missing_region"].append(
            Issue(
                "missing_region",
                "",
                (missing_positions[:MAX_ROWS] + 1).tolist(),
                int(missing_positions.size),
                column,
                "fill in the region",
            )
        )

    def spread(per_unique: np.ndarray, name: str) -> pd.Series:
        mapped = per_unique[codes] if len(uniques) else np.full(len(values), None)
        mapped = np.where(codes < 0, np.array(None, dtype=object), mapped)
        return pd.Series(pd.array(mapped, dtype="string"), index=values.index, name=name)

    return ColumnResolution(spread(resolved, "code"), spread(aggregate_ids, "aggregate"), issues)


def _context(
    resolved: np.ndarray, labels: list[str], ambiguous: dict[int, list[str]]
) -> tuple[dict[int, tuple[str, list[str]]], dict[str, str]]:
    """The context rule (module docstring): ambiguous labels settled by the table's other rows."""
    present = {c for c in resolved if c is not None}
    first_spelling: dict[str, str] = {}
    for i, c in enumerate(resolved):
        if c is not None and c not in first_spelling:
            first_spelling[c] = labels[i]
    decided = {}
    for i, found in ambiguous.items():
        here = [c for c in found if c in present]
        left = [c for c in found if c not in present]
        if here and len(left) == 1:
            decided[i] = (left[0], here)
    return decided, first_spelling


def _information(res: Resolution) -> list[tuple[str, str]]:
    """(kind, text) of what the report says about a label that is a total, had a footnote or a note."""
    cat = catalog()
    out = []
    agg = res.aggregate
    # Catalog.classify sets ``aggregate`` on every "aggregate" resolution (geo/catalog.py, Resolution docstring).
    assert agg is not None or res.status != "aggregate", res
    if agg is not None and res.status == "aggregate":
        why = f"; {res.note}" if res.note else ""
        out.append(("aggregate", f"a total: {agg.describe()}{why}"))
    elif res.note and res.status == "region":
        out.append(("resolver_note", res.note))
    if res.stripped and res.status in ("region", "aggregate"):
        markers = ", ".join(repr(m) for m in res.stripped)
        read = cat.describe(res.codes[0]) if agg is None or res.status == "region" else agg.name_en
        out.append(("footnote", f"footnote marker {markers} set aside; read as {read}"))
    return out


def resolve_column(
    values: pd.Series, *, column: str = "", country: str | None = None, context: bool = True
) -> tuple[pd.Series, dict[str, list[Issue]]]:
    """Resolve a column of region spellings to current codes, each distinct spelling once.

    Parameters
    ----------
    values
        Region names or codes, any spelling the catalogue resolves.
    column
        Column name used in the issues.
    country
        ``"RU"`` or ``"KZ"`` to restrict resolution to one country.
    context
        Apply the context rule (see the module docstring) to ambiguous spellings.

    Returns
    -------
    (pandas.Series, dict)
        Codes (string dtype, ``<NA>`` where unresolved or a total row), indexed like ``values``, and the issues
        by kind (see :class:`ColumnResolution`).
    """
    found = classify_column(values, column=column, country=country, context=context)
    return found.codes, found.issues


def duplicates(df: pd.DataFrame, region_col: str, keys: list[str]) -> list[Issue]:
    """One ``"duplicate"`` issue per ``code`` + ``keys`` that identifies several rows (total rows have no code)."""
    subset = ["code", *keys]
    dup = (df.duplicated(subset=subset, keep=False) & df["code"].notna()).to_numpy()
    if not dup.any():
        return []
    positions = np.flatnonzero(dup)
    part = df.iloc[positions][[*subset, region_col]].copy()
    part["_row"] = positions + 1
    if keys:
        hint = "several rows for the same region and " + ", ".join(keys) + "; remove or merge the extra rows"
    else:
        hint = (
            "several rows for one region; if the table has one row per region and year (or another key), "
            "name that column: keys=['year'] (CLI: --keys year); otherwise remove or merge the extra rows"
        )
    # Vectorised: rows, counts and distinct spellings per duplicated key, then one Issue per key.
    grouped = part.groupby(subset, sort=True, dropna=False)
    counts = grouped.size()
    heads = grouped.head(MAX_ROWS).groupby(subset, sort=True, dropna=False)["_row"].agg(list)
    names = part.drop_duplicates([*subset, region_col]).groupby(subset, sort=True, dropna=False)[region_col]
    names = names.agg(lambda s: ", ".join(repr(str(v)) for v in s))
    issues = []
    for key, count in counts.items():
        key_t = key if isinstance(key, tuple) else (key,)
        label = str(key_t[0]) + "".join(f", {k}={v}" for k, v in zip(keys, key_t[1:], strict=True))
        issues.append(
            Issue("duplicate", f"{label} (as {names[key]})", heads[key], int(count), region_col, hint)
        )
    return issues
