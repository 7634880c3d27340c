"""Make Russia (Natural Earth) and Kazakhstan (OpenStreetMap) one valid polygon coverage; each step named, tested.

The two sources draw the state border differently (their lines are up to a few km apart): Natural Earth's Russian
regions overlap OSM's Kazakhstan in places and leave gaps in others. The steps below, applied in this order by
``pipeline.build``, turn the two into one coverage (no overlap, no gap, shared edges with identical vertices):

1. :func:`clip_caspian` takes the Caspian Sea, and only the sea, out of Atyrau and Mangystau.
2. :func:`conform_russia` takes the Kazakh outline as the state border: Russian regions lose what overlaps it and
   gain the strips between the two lines that Natural Earth had given to Kazakhstan.
3. :func:`exact_coverage` nodes all linework and rebuilds every polygon from the faces, so shared edges have
   identical vertices (``shapely.coverage_is_valid``).
4. :func:`simplify` simplifies the coverage as a whole (neighbours stay edge-matched).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from geo.analysis import GEOD
from geo.boundaries import polygonal_part

#: Sea pieces smaller than this (km², geodesic) are left alone: they are shoreline noise between two coastlines,
#: not sea, and cutting them would pepper the coast with slivers.
MIN_SEA_KM2 = 1.0
#: Grid on which all linework is noded (degrees; 1e-6° ≈ 0.1 m, the precision the file is written at).
GRID = 1e-6
#: Coverage simplification tolerance, degrees (0.001° ≈ 111 m north–south, 64–79 m east–west at 45–55° N).
SIMPLIFY_TOLERANCE = 0.001
SEA_UNITS = ("KZ-23", "KZ-47")


def geodesic_km2(geom: shapely.Geometry) -> float:
    """Geodesic area on WGS84, km²."""
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def clip_caspian(kz: gpd.GeoDataFrame, land: shapely.Geometry) -> gpd.GeoDataFrame:
    """Take the Caspian Sea out of Atyrau (KZ-23) and Mangystau (KZ-47), and nothing else.

    OSM draws both units out to a line in the Caspian (about 12,500 and 18,800 km² of water beyond the 1:10m
    coastline), so their areas exceed the official ones by 8 % and 11 %. The sea is what lies outside ``land``
    (Natural Earth 1:10m admin-1 land of Kazakhstan, Russia, Turkmenistan and Uzbekistan, whose coastline is the
    1:10m one) in pieces of at least :data:`MIN_SEA_KM2`. Only these two units are clipped: official areas
    include inland waters (Balkhash, Zaysan, Alakol, the Aral), so a full land mask would wrongly take up to 7 %
    off Almaty Region, Jetisu and East Kazakhstan.
    """
    kz = kz.copy()
    for code in SEA_UNITS:
        i = kz.index[kz["code"] == code]
        if len(i) != 1:
            msg = f"expected one {code}, found {len(i)}"
            raise RuntimeError(msg)
        geom = kz.geometry[i[0]]
        outside = shapely.difference(geom, land, grid_size=GRID)
        sea = [p for p in shapely.get_parts(outside) if p.area > 0 and geodesic_km2(p) >= MIN_SEA_KM2]
        if sea:
            geom = shapely.difference(geom, shapely.union_all(sea), grid_size=GRID)
        kz.loc[i[0], "geometry"] = polygonal_part(shapely.make_valid(geom))
    return kz


def conform_russia(
    ru: gpd.GeoDataFrame,
    kazakhstan: shapely.Geometry,
    ne_kazakhstan: shapely.Geometry,
    foreign: shapely.Geometry,
) -> gpd.GeoDataFrame:
    """Make the Kazakh outline the border of the Russian regions: cut the overlap, fill the strips between.

    Parameters
    ----------
    ru
        Russian regions (Natural Earth), with ``code``.
    kazakhstan
        The Kazakh outline (union of the OSM units after :func:`clip_caspian`).
    ne_kazakhstan
        Natural Earth's Kazakhstan: land between the two border lines that Natural Earth gave to Kazakhstan and
        OSM does not is Russian and goes to the Russian region it shares the longest edge with, unless it shares
        more with third countries (``foreign``: Natural Earth land of China, Kyrgyzstan, Turkmenistan,
        Uzbekistan), in which case it is not Russia's to take and is left out.
    """
    ru = ru.copy()
    geoms = ru.geometry.to_numpy()
    hits = shapely.STRtree(geoms).query(kazakhstan, predicate="intersects")
    for i in hits:
        geoms[i] = polygonal_part(shapely.difference(geoms[i], kazakhstan, grid_size=GRID))
    original = ru.geometry.to_numpy()
    tree = shapely.STRtree(original)
    strips = shapely.get_parts(shapely.difference(ne_kazakhstan, kazakhstan, grid_size=GRID))
    gained: dict[int, list[shapely.Geometry]] = {}
    for piece in strips:
        if piece.area == 0:
            continue
        near = tree.query(piece, predicate="intersects")
        if len(near) == 0:
            continue
        edge = piece.boundary
        shared = [shapely.intersection(edge, original[i].boundary).length for i in near]
        best = int(np.argmax(shared))
        if shared[best] == 0 or shapely.intersection(edge, foreign).length > shared[best]:
            continue
        gained.setdefault(int(near[best]), []).append(piece)
    for i, pieces in gained.items():
        geoms[i] = polygonal_part(shapely.union_all([geoms[i], *pieces], grid_size=GRID))
    return ru.set_geometry(gpd.GeoSeries(geoms, index=ru.index, crs=ru.crs))


@dataclass(frozen=True)
class CoverageReport:
    """What :func:`exact_coverage` found before fixing: overlaps and enclosed gaps, km²."""

    overlap_km2: float
    gap_km2: float
    gaps_filled: int


def exact_coverage(gdf: gpd.GeoDataFrame, *, priority: str = "KZ") -> tuple[gpd.GeoDataFrame, CoverageReport]:
    """Rebuild every polygon from the faces of the noded linework so neighbours share identical edges.

    All boundaries are noded on the :data:`GRID` and polygonized; each face goes to the polygon that contains
    it (where two do, an overlap, to the ``priority`` country's; that area is reported). A face enclosed by the
    coverage that no polygon contains (a gap) goes to the neighbour with which it shares the longest edge (its
    area is reported). Faces outside every polygon and not enclosed are the outside world and stay out.
    """
    geoms = gdf.geometry.to_numpy()
    lines = shapely.union_all(shapely.boundary(geoms), grid_size=GRID)
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))
    points = shapely.point_on_surface(faces)
    tree = shapely.STRtree(geoms)
    pt_idx, geom_idx = tree.query(points, predicate="within")
    first = gdf["country"].to_numpy() == priority
    owner = np.full(len(faces), -1)
    overlap = 0.0
    for f in np.unique(pt_idx):
        cands = geom_idx[pt_idx == f]
        if len(cands) > 1:
            overlap += geodesic_km2(faces[f])
            cands = sorted(cands, key=lambda j: (not first[j], j))
        owner[f] = cands[0]
    outline = shapely.union_all(geoms, grid_size=GRID)
    filled = shapely.union_all([shapely.Polygon(r.exterior) for r in shapely.get_parts(outline)])
    gap, n_gaps = 0.0, 0
    face_tree = shapely.STRtree(faces)
    for f in np.flatnonzero(owner < 0):
        if not shapely.within(shapely.point_on_surface(faces[f]), filled):
            continue
        edge = faces[f].boundary
        neighbours = [j for j in face_tree.query(faces[f], predicate="touches") if owner[j] >= 0]
        if not neighbours:
            continue
        lengths = [shapely.intersection(edge, faces[j].boundary).length for j in neighbours]
        owner[f] = owner[neighbours[int(np.argmax(lengths))]]
        gap += geodesic_km2(faces[f])
        n_gaps += 1
    out = []
    for i in range(len(geoms)):
        mine = faces[owner == i]
        out.append(shapely.coverage_union_all(mine) if len(mine) else shapely.Polygon())
    result = gdf.set_geometry(gpd.GeoSeries(out, index=gdf.index, crs=gdf.crs))
    return result, CoverageReport(overlap_km2=overlap, gap_km2=gap, gaps_filled=n_gaps)


def simplify(gdf: gpd.GeoDataFrame, tolerance: float = SIMPLIFY_TOLERANCE) -> gpd.GeoDataFrame:
    """Simplify the whole coverage at ``tolerance`` degrees; shared edges are simplified once, identically."""
    geoms = shapely.coverage_simplify(gdf.geometry.to_numpy(), tolerance)
    geoms = np.array([polygonal_part(g) for g in geoms], dtype=object)
    return gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))
