"""Kazakhstan's 20 current units from the pinned OpenStreetMap-Boundaries export (ODbL), matched to the catalogue.

Source: OSM-Boundaries export of Kazakhstan's admin_level 4, dated 2023-06-08, as committed in the GitHub
repository ``sh-i/geoBoundaries`` (see ``../shared/upstream/README.md``). No package registry carries it: the
build reads the copy in ``../shared/upstream/`` when that folder exists and otherwise downloads the same bytes
from the pinned raw address; the SHA-256 is checked either way before anything is read.

Every unit is matched to the catalogue by its OSM relation id (pinned in :data:`OSM_RELATIONS`); the match is
cross-checked against the names upstream gives (:func:`match_to_catalogue`), so a changed upstream is an error,
never a silent mismatch.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.request
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo._paths import cache_dir
from geo.boundaries import polygonal_part
from geo.catalog import catalog
from geo.errors import GeoInputError

OSM_FILE = "OSMB-KZ_obl-2023-06-08.geojson"
OSM_SHA256 = "044fc828645d5530d7f2104d769f6dfe528dcd5e8dd8c99af1f9e62daa4cb6c3"
OSM_REPO = "sh-i/geoBoundaries"
OSM_COMMIT = "1ffb32615749530a63c5ec719f95e5284f50c8d9"
OSM_PATH = "OSMB-KZ_obl.geojson"
OSM_URL = f"https://raw.githubusercontent.com/{OSM_REPO}/{OSM_COMMIT}/{OSM_PATH}"
OSM_DATE = "2023-06-08"
#: The shared folder of upstream copies, beside the repository (``../shared/upstream``).
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "upstream"

#: OSM relation id (positive; upstream writes it negated in ``osm_id``) -> current ISO 3166-2 code.
OSM_RELATIONS: dict[int, str] = {
    14243026: "KZ-10",  # Abay Region
    215743: "KZ-11",  # Akmola Region
    215683: "KZ-15",  # Aqtöbe region
    215718: "KZ-19",  # Almaty Region
    214834: "KZ-23",  # Atyrau Region
    215441: "KZ-27",  # West Kazakhstan Region
    215722: "KZ-31",  # Jambyl Region
    14312169: "KZ-33",  # Jetisu Region
    215776: "KZ-35",  # Karaganda Region
    1288730: "KZ-39",  # Kostanay Region
    215727: "KZ-43",  # Kyzylorda Region
    215686: "KZ-47",  # Mangystau Region
    215772: "KZ-55",  # Pavlodar Region
    215760: "KZ-59",  # North Kazakhstan Region
    215739: "KZ-61",  # Turkistan Region
    14312737: "KZ-62",  # Ulytau Region
    215699: "KZ-63",  # East Kazakhstan Region
    3087155: "KZ-71",  # Astana
    2465058: "KZ-75",  # Almaty (city)
    3389772: "KZ-79",  # Shymkent
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_osm(*, shared: Path | None = SHARED, cache: Path | None = None) -> Path:
    """The verified OSM-Boundaries file: the shared copy when present, else the pinned download (cached).

    Raises
    ------
    RuntimeError
        The download failed, or the file's SHA-256 is not the pinned one.
    """
    if shared is not None and (Path(shared) / OSM_FILE).exists():
        path = Path(shared) / OSM_FILE
    else:
        folder = Path(cache or cache_dir())
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / OSM_FILE
        if not path.exists():
            try:
                with urllib.request.urlopen(OSM_URL, timeout=120) as response:
                    data = response.read()
            except OSError as exc:
                msg = f"download of {OSM_URL} failed ({exc}); put {OSM_FILE} in {shared} instead"
                raise RuntimeError(msg) from exc
            with tempfile.NamedTemporaryFile(dir=folder, delete=False) as tmp:
                tmp.write(data)
            os.replace(tmp.name, path)
    if (got := _sha256(path)) != OSM_SHA256:
        msg = f"{path}: SHA-256 {got} does not match the pinned {OSM_SHA256}"
        raise RuntimeError(msg)
    return path


def read_osm(path: Path) -> gpd.GeoDataFrame:
    """The upstream features: ``osm_relation`` (positive id), ``name``, ``name_en``, ``local_name``, geometry."""
    gdf = gpd.read_file(path, engine="pyogrio")
    gdf = gdf.assign(osm_relation=(-gdf["osm_id"].astype("int64")))
    return gdf[["osm_relation", "name", "name_en", "local_name", "geometry"]].reset_index(drop=True)


def match_to_catalogue(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give every upstream unit its current ISO code from :data:`OSM_RELATIONS`, cross-checked by name.

    The Kazakh name (``local_name``) of each unit must resolve in the catalogue to the same code, except where the
    name alone is ambiguous (``Алматы`` is both the city and the region): there the relation id decides. Every one
    of the catalogue's 20 Kazakh units must appear exactly once.

    Raises
    ------
    RuntimeError
        An unknown relation, a name that resolves to another unit, or a unit missing or repeated.
    """
    cat = catalog()
    codes = []
    for rel, local, name_en in gdf[["osm_relation", "local_name", "name_en"]].itertuples(index=False):
        if rel not in OSM_RELATIONS:
            msg = f"upstream changed: OSM relation {rel} ({name_en}) is not pinned in OSM_RELATIONS"
            raise RuntimeError(msg)
        code = OSM_RELATIONS[rel]
        try:
            by_name = cat.resolve(local)
        except GeoInputError as exc:
            if "ambiguous" not in str(exc) or code not in str(exc):
                msg = f"upstream changed: relation {rel} is named {local!r}, which does not resolve ({exc})"
                raise RuntimeError(msg) from exc
            by_name = code
        if by_name != code:
            msg = f"upstream changed: relation {rel} is named {local!r} = {by_name}, pinned as {code}"
            raise RuntimeError(msg)
        codes.append(code)
    table = cat.table
    expected = set(table.index[table["country"] == "KZ"])
    if len(set(codes)) != len(codes) or set(codes) != expected:
        msg = f"upstream changed: units {sorted(set(codes) ^ expected)} missing or extra"
        raise RuntimeError(msg)
    out = gdf.assign(code=codes)
    geoms = np.array([polygonal_part(shapely.make_valid(g)) for g in out.geometry], dtype=object)
    return out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=out.crs))
