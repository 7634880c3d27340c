"""Region boundaries: the embedded polygons, or a user's boundary file matched to the catalogue.

The embedded file (``data/boundaries/regions.geojson``) is built by ``pipeline.build`` (build tooling, outside the
package): Kazakhstan's 20 current units from OpenStreetMap (ODbL, "© OpenStreetMap contributors") and Russia from
Natural Earth (public domain), its border regions conformed to the Kazakh outline so the two form one valid
coverage. Earlier Kazakh units (before 2018 and 2022) are exact unions of current polygons: ``vintage=``
(:mod:`geo.units`). A polygon that stands for several current units (a former unit, or a user's file drawn before
the reforms) lists the others in ``includes`` and its ``label_en``/``label_ru`` say so ("East Kazakhstan Region
incl. Abai Region").
"""

from __future__ import annotations

import contextlib
import hashlib
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet
import shapely

from geo._io import write_with
from geo._paths import cache_dir, data_dir
from geo.boundary_checks import check_boundaries, context_rule
from geo.catalog import catalog
from geo.constants import WGS84
from geo.errors import BoundaryFileError, GeoInputError
from geo.units import apply_vintage

__all__ = ["BoundaryReport", "read_boundaries", "regions"]

#: Column names that hold a region code or name in common boundary datasets, tried in this order.
CODE_COLUMNS = ["code", "iso_3166_2", "shapeISO", "ISO_1", "iso", "ISO", "HASC_1", "code_hasc", "hasc"]
NAME_COLUMNS = [
    "ADM1_EN",
    "ADM1_RU",
    "ADM1_KK",
    "name_en",
    "name",
    "shapeName",
    "NAME_1",
    "name_ru",
    "NL_NAME_1",
    "VARNAME_1",
    "name:en",
    "name:ru",
    "NAME",
    "Name",
    "region",
    "Region",
]
#: OCHA place codes (``ADM1_PCODE``) are tried last: they look like ISO codes but need not be the same ones.
LAST_RESORT_COLUMNS = ["ADM1_PCODE"]
COLUMNS = [
    "code",
    "country",
    "name_en",
    "name_ru",
    "name_kk",
    "kind",
    "border",
    "includes",
    "label_en",
    "label_ru",
]


@dataclass
class BoundaryReport:
    """What happened while matching a boundary file to the catalogue."""

    path: str
    matched: int = 0
    unmatched: list[str] = field(
        default_factory=list
    )  # "row 7: 'Foo' (unknown region 'Foo'; did you mean …)"
    repaired: list[str] = field(default_factory=list)  # "row 3: KZ-39 invalid geometry repaired (…)"
    other_country: int = 0  # rows of other countries, ignored
    decided: list[str] = field(default_factory=list)  # "row 4: 'Almaty' read as Almaty (KZ-75) because …"
    completed: str = ""  # what was added from the embedded boundaries (a file of one country)

    @property
    def problems(self) -> list[str]:
        """Everything that needs the user's attention: unmatched rows and repaired geometries."""
        return [*self.unmatched, *self.repaired]

    def __str__(self) -> str:
        lines = [f"{self.path}: {self.matched} regions matched"]
        if self.other_country:
            lines.append(f"  {self.other_country} rows outside Russia and Kazakhstan ignored")
        lines += [f"  {d}" for d in self.decided]
        if self.completed:
            lines.append(f"  {self.completed}")
        lines += [f"  unmatched {u}" for u in self.unmatched]
        lines += [f"  {r}" for r in self.repaired]
        return "\n".join(lines)


@lru_cache(maxsize=1)
def _embedded_cached(path: Path) -> gpd.GeoDataFrame:
    """Read the embedded GeoJSON, through a GeoParquet copy in the user cache (10x faster to read).

    The copy is keyed by the GeoJSON's SHA-256, so a rebuilt file is never served stale; when the cache cannot
    be written the GeoJSON is simply read every time.
    """
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    cached = cache_dir() / f"regions-{digest}.parquet"
    if cached.exists():
        try:
            # One file read whole: pyarrow's ParquetFile, not gpd.read_parquet's dataset machinery (9x slower).
            table = pyarrow.parquet.ParquetFile(cached).read()
            return gpd.GeoDataFrame.from_arrow(table).set_crs(WGS84, allow_override=True)
        except (OSError, ValueError):
            pass  # a damaged cache file: fall through and rewrite it
    gdf = gpd.read_file(path, engine="pyogrio")
    # GDAL also exposes the GeoJSON feature id (the code again) as a column.
    gdf = gdf.drop(columns=[c for c in ("id",) if c in gdf.columns])
    for column in ("upstream_ne_id", "osm_relation"):
        if column in gdf.columns:
            gdf[column] = gdf[column].astype("Int64")
    with contextlib.suppress(OSError):
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_with(cached, lambda tmp: gdf.to_parquet(tmp, index=False))
    return gdf


def _embedded() -> gpd.GeoDataFrame:
    # Read once per process; callers get a copy so they can modify it freely.
    return _embedded_cached(data_dir() / "boundaries" / "regions.geojson").copy()


def regions(
    country: str | None = None,
    border_only: bool = False,
    boundaries: str | Path | gpd.GeoDataFrame | None = None,
    *,
    vintage: str | int | None = None,
    boundaries_crs: str | None = None,
) -> gpd.GeoDataFrame:
    """Region polygons with their catalogue attributes.

    Parameters
    ----------
    country
        ``"RU"`` or ``"KZ"`` for one country; both by default.
    border_only
        Keep only the regions that border the other country (the 12 Russian regions and the Kazakh units on the
        border, per the catalogue).
    boundaries
        A boundary file (GeoJSON, GeoPackage, Shapefile, … any CRS) or GeoDataFrame to use instead of the embedded
        polygons; its rows are matched to the catalogue by code or name (see
        :func:`read_boundaries`, whose report is issued as a warning). A file with the regions of one country is
        combined with the embedded regions of the other, conformed to the file's border
        (:func:`geo.conform.complete_with_embedded`) unless ``country`` asks for the file's country alone; a file
        whose two countries share no border is refused.
    vintage
        The units as they were at a year (``"2017"``: on 31 December 2017) or date (``"2022-06-07"``); today's
        by default. Former units are exact unions of current polygons (``data/units.csv``, :mod:`geo.units`);
        the result then also has ``unit_id`` (e.g. ``KZ-63@1997``) and ``unit_parts``.
    boundaries_crs
        CRS to assume for a boundary file that declares none (e.g. ``"EPSG:4326"``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per polygon in EPSG:4326, indexed 0..n-1, columns ``code`` (current ISO 3166-2), ``country``,
        ``name_en``, ``name_ru``, ``name_kk``, ``kind``, ``border``, ``includes`` (codes of current units inside
        this polygon that have none of their own, ``;``-separated), ``label_en``, ``label_ru`` and ``geometry``.
    """
    if boundaries is None:
        gdf = _embedded()
    else:
        gdf, report = read_boundaries(boundaries, crs=boundaries_crs)
        if report.problems:
            warnings.warn(str(report), stacklevel=2)
        if country is None or set(gdf["country"]) != {str(country).upper()}:
            gdf = _both_countries(gdf, report)
    if vintage is not None:
        gdf = apply_vintage(gdf, vintage)
    gdf = _with_labels(gdf)
    if country is not None:
        country = str(country).upper()
        if country not in ("RU", "KZ"):
            msg = f"country must be 'RU' or 'KZ', not {country!r}"
            raise GeoInputError(msg)
        gdf = gdf[gdf["country"] == country]
    if border_only:
        gdf = gdf[gdf["border"]]
    return gdf.reset_index(drop=True)


def _with_labels(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    cat = catalog().table
    gdf = gdf.copy()
    includes = [
        [c for c in str(v).split(";") if c] if isinstance(v, str) else []
        for v in (gdf["includes"] if "includes" in gdf else [""] * len(gdf))
    ]
    for lang, word in (("en", "incl."), ("ru", "вкл.")):
        names = cat[f"name_{lang}"]
        gdf[f"label_{lang}"] = [
            f"{name} {word} " + ", ".join(names[c] for c in parts) if parts else name
            for name, parts in zip(gdf[f"name_{lang}"], includes, strict=True)
        ]
    extra = [c for c in gdf.columns if c not in COLUMNS and c != "geometry"]
    return gdf[[*COLUMNS, *extra, "geometry"]]


def _in_lonlat(gdf: gpd.GeoDataFrame, label: str, crs: str | None) -> gpd.GeoDataFrame:
    """The file in EPSG:4326; a file without a CRS is refused unless ``crs`` says what it is."""
    if gdf.crs is None:
        if crs is None:
            msg = (
                f"{label}: the file declares no CRS; if its coordinates are longitude/latitude pass "
                "crs='EPSG:4326' (geo.read_boundaries) or boundaries_crs='EPSG:4326' (geo.regions); for the "
                f"command line give the file a CRS first, e.g. ogr2ogr -a_srs EPSG:4326 fixed.gpkg {label}"
            )
            raise BoundaryFileError(msg)
        gdf = gdf.set_crs(crs)
    try:
        return gdf.to_crs(WGS84)
    except Exception as exc:  # pyproj raises several types for unusable CRSs
        msg = f"{label}: cannot reproject from {gdf.crs!r} to EPSG:4326 ({exc})"
        raise BoundaryFileError(msg) from exc


def _key_columns(gdf: gpd.GeoDataFrame, label: str, column: str | None) -> list[str]:
    """The columns whose values name the regions: ``column``, or the known code and name columns present."""
    known = [*CODE_COLUMNS, *NAME_COLUMNS, *LAST_RESORT_COLUMNS]
    if column and column not in gdf.columns:
        msg = f"{label}: no column {column!r}; columns are {', '.join(map(str, gdf.columns))}"
        raise BoundaryFileError(msg)
    columns = [column] if column else [c for c in known if c in gdf.columns]
    if not columns:
        msg = (
            f"{label}: no column with region codes or names found (looked for "
            f"{', '.join(known)}); name it with column=…"
        )
        raise BoundaryFileError(msg)
    return columns


def read_boundaries(
    source: str | Path | gpd.GeoDataFrame,
    *,
    column: str | None = None,
    crs: str | None = None,
) -> tuple[gpd.GeoDataFrame, BoundaryReport]:
    """Read a user's boundary file and match its rows to the catalogue.

    Parameters
    ----------
    source
        Path of any vector file GDAL reads (GeoJSON, GeoPackage, Shapefile, …) or a GeoDataFrame.
    column
        Column holding the region code or name; by default the first of :data:`CODE_COLUMNS` and
        :data:`NAME_COLUMNS` present, codes tried before names row by row.
    crs
        CRS to assume when the file declares none (e.g. ``"EPSG:4326"``); a file without a CRS is refused
        otherwise, because guessing it would silently misplace every region.

    Returns
    -------
    (geopandas.GeoDataFrame, BoundaryReport)
        Matched Russian and Kazakh regions in EPSG:4326 with the columns of :func:`regions` (plus
        ``source_row``), and the report of unmatched rows and repaired geometries.

    Raises
    ------
    BoundaryFileError
        Missing or unreadable file, no CRS, no usable name column, no row matched, or one region matched twice.
    """
    label = str(source) if not isinstance(source, gpd.GeoDataFrame) else "<GeoDataFrame>"
    gdf = _in_lonlat(_read_any(source, label), label, crs)
    columns = _key_columns(gdf, label, column)
    report = BoundaryReport(path=label)
    cat = catalog()
    codes: list[str | None] = []
    for i, row in enumerate(gdf[columns].itertuples(index=False), start=1):
        code, first_error = None, None
        values = [v for v in row if isinstance(v, str) and v.strip()]
        if values and _foreign(values[0]):
            report.other_country += 1
            codes.append(None)
            continue
        for value in values:
            try:
                code = cat.resolve(value)
                break
            except GeoInputError as exc:
                first_error = first_error or exc
        if code is None:
            shown = values[0] if values else ""
            reason = f" ({first_error})" if first_error else " (empty)"
            report.unmatched.append(f"row {i}: {shown!r}{reason}")
        codes.append(code)
    context_rule(gdf[columns], codes, report)
    gdf = gdf.assign(code=codes, source_row=range(1, len(gdf) + 1))
    gdf = gdf[gdf["code"].notna()]
    if gdf.empty:
        msg = f"{label}: no row matched a Russian or Kazakh region ({len(report.unmatched)} unmatched)"
        raise BoundaryFileError(msg)
    dup = gdf["code"][gdf["code"].duplicated(keep=False)]
    if not dup.empty:
        rows = gdf.loc[dup.index, "source_row"].tolist()
        msg = (
            f"{label}: region {dup.iloc[0]} appears more than once (rows {', '.join(map(str, rows))}); "
            "dissolve the parts into one feature per region"
        )
        raise BoundaryFileError(msg)
    check_boundaries(gdf, label)  # issue 9: wrong CRS, swapped x/y, no geometry, not polygons, overlaps
    gdf = _repair(gdf, report)
    report.matched = len(gdf)
    return _conform(gdf), report


def _both_countries(gdf: gpd.GeoDataFrame, report: BoundaryReport) -> gpd.GeoDataFrame:
    """A file of one country gets the other from the embedded boundaries; two that share no border are refused."""
    from geo.conform import complete_with_embedded, shared_border_km

    countries = set(gdf["country"])
    if len(countries) == 1:
        combined, note = complete_with_embedded(gdf, _embedded(), label=report.path)
        report.completed = note
        return combined
    ru = shapely.union_all(gdf.geometry[gdf["country"] == "RU"].to_numpy())
    kz = shapely.union_all(gdf.geometry[gdf["country"] == "KZ"].to_numpy())
    if shared_border_km(ru, kz) == 0:
        gap = ""
        if not shapely.intersects(ru, kz):
            from geo.analysis import TOLERANCE_CRS

            projected = gpd.GeoSeries([ru, kz], crs="EPSG:4326").to_crs(TOLERANCE_CRS)
            gap = f" (they are {shapely.distance(projected.iloc[0], projected.iloc[1]) / 1000:,.1f} km apart)"
        msg = (
            f"{report.path}: its Russian and Kazakh regions share no border line{gap}, so the state border would be "
            "0 km; give a file of one country (it is combined with the embedded other one) or fix the file"
        )
        raise BoundaryFileError(msg)
    return gdf


def _foreign(value: str) -> bool:
    """A code of another country (e.g. ``CN-XJ`` in a file of all of Asia) is ignored, not an error."""
    text = value.strip().upper()
    return len(text) > 3 and text[2] in "-." and text[:2].isalpha() and text[:2] not in ("RU", "KZ")


def _read_any(source: str | Path | gpd.GeoDataFrame, label: str) -> gpd.GeoDataFrame:
    if isinstance(source, gpd.GeoDataFrame):
        return source.copy()
    import pyogrio  # GDAL: imported when a user's file is read, not for the embedded boundaries

    path = Path(source)
    if not path.exists():
        msg = f"{label}: no such file"
        raise BoundaryFileError(msg)
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as exc:
        msg = f"{label}: not a vector file GDAL can read ({str(exc).splitlines()[0]})"
        raise BoundaryFileError(msg) from exc
    if "geometry" not in gdf or gdf.geometry.isna().all():
        msg = f"{label}: the file has no geometries"
        raise BoundaryFileError(msg)
    return gdf


def _repair(gdf: gpd.GeoDataFrame, report: BoundaryReport) -> gpd.GeoDataFrame:
    geoms = gdf.geometry.to_numpy()
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        for row, code, geom in zip(
            gdf["source_row"][invalid], gdf["code"][invalid], geoms[invalid], strict=True
        ):
            reason = shapely.is_valid_reason(geom)
            report.repaired.append(f"row {row}: {code} invalid geometry repaired ({reason})")
        fixed = shapely.make_valid(geoms[invalid])
        geoms = geoms.copy()
        geoms[invalid] = [polygonal_part(g) for g in fixed]
    geoms = shapely.orient_polygons(geoms, exterior_cw=False)
    return gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))


def polygonal_part(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep only the polygonal part of a geometry (``make_valid`` can leave slivers as lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom


def catalogue_columns(codes: list[str] | pd.Series) -> pd.DataFrame:
    """Catalogue attributes of polygons with these codes, in the column order of :func:`regions`.

    ``includes`` lists the current units whose polygon is this one (``polygon`` column of the catalogue) and that
    are not among ``codes`` themselves: with the embedded boundaries East Kazakhstan includes Abai; with a user
    file that has Abai's own polygon it includes nothing.
    """
    table = catalog().table
    codes = list(codes)
    present = set(codes)
    inside = table[(table["polygon"] != table["code"]) & ~table["code"].isin(present)]
    includes = inside.groupby("polygon")["code"].agg(lambda c: ";".join(sorted(c)))
    rows = table.loc[codes]
    return pd.DataFrame(
        {
            "code": codes,
            "country": rows["country"].to_numpy(),
            "name_en": rows["name_en"].to_numpy(),
            "name_ru": rows["name_ru"].to_numpy(),
            "name_kk": rows["name_kk"].to_numpy(),
            "kind": rows["kind"].to_numpy(),
            "border": rows["border"].to_numpy(),
            "includes": [includes.get(c, "") for c in codes],
        }
    )


def _conform(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give matched user polygons the catalogue's attributes."""
    attrs = catalogue_columns(gdf["code"]).assign(source_row=gdf["source_row"].to_numpy())
    out = gpd.GeoDataFrame(attrs, geometry=gdf.geometry.to_numpy(), crs="EPSG:4326")
    return out.sort_values("code", kind="stable").reset_index(drop=True)
