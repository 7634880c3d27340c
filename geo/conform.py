"""Make two countries' regions one polygon coverage: one country's outline becomes the other's border.

Used at run time for a user's boundary file of one country, combined with the embedded regions of the other
(:func:`complete_with_embedded`), and by the build (``pipeline.coverage``) for the embedded file itself. Shared
edges end up with identical vertices, so the state border is measured from exactly shared linework and is never a
silent 0 km or a scatter of "point" contacts.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis import GEOD
from geo.boundaries import polygonal_part
from geo.errors import BoundaryFileError

__all__ = ["CoverageReport", "complete_with_embedded", "conform_to", "exact_coverage", "shared_border_km"]

#: Grid on which all linework is noded (degrees; 1e-6° ≈ 0.1 m, the precision the embedded file is written at).
GRID = 1e-6


def geodesic_km2(geom: shapely.Geometry) -> float:
    """Geodesic area on WGS84, km²."""
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def conform_to(
    other: gpd.GeoDataFrame,
    outline: shapely.Geometry,
    guide: shapely.Geometry,
    foreign: shapely.Geometry | None = None,
) -> gpd.GeoDataFrame:
    """Make ``outline`` (one country) the border of the ``other`` country's regions.

    Regions of ``other`` lose what overlaps ``outline`` and gain the strips between the two border lines: land in
    ``guide`` (the first country as the other's source drew it) that ``outline`` leaves out goes to the region
    of ``other`` it shares the longest edge with, unless it shares more with ``foreign`` land (third countries),
    in which case it is left out.
    """
    other = other.copy()
    geoms = other.geometry.to_numpy()
    hits = shapely.STRtree(geoms).query(outline, predicate="intersects")
    for i in hits:
        geoms[i] = polygonal_part(shapely.difference(geoms[i], outline, grid_size=GRID))
    original = other.geometry.to_numpy()
    tree = shapely.STRtree(original)
    strips = shapely.get_parts(shapely.difference(guide, outline, grid_size=GRID))
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
        beyond = shapely.intersection(edge, foreign).length if foreign is not None else 0.0
        if shared[best] == 0 or beyond > shared[best]:
            continue
        gained.setdefault(int(near[best]), []).append(piece)
    for i, pieces in gained.items():
        geoms[i] = polygonal_part(shapely.union_all([geoms[i], *pieces], grid_size=GRID))
    return other.set_geometry(gpd.GeoSeries(geoms, index=other.index, crs=other.crs))


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


def shared_border_km(a: shapely.Geometry, b: shapely.Geometry) -> float:
    """Geodesic length (km) of the linework two (multi)polygons share."""
    from geo.analysis import _shared_lines, length_km

    lines = _shared_lines(a, b)
    return 0.0 if lines.is_empty else float(length_km([lines])[0])


def complete_with_embedded(
    user: gpd.GeoDataFrame, embedded: gpd.GeoDataFrame, *, label: str
) -> tuple[gpd.GeoDataFrame, str]:
    """Combine a boundary file of one country with the embedded regions of the other, conformed to it.

    The file's outline becomes the border: the embedded regions of the other country lose what overlaps it and
    gain the strips the embedded polygons of the file's country held beyond it (:func:`conform_to`); then the
    file's regions and the changed ones are rebuilt as one coverage (:func:`exact_coverage`), so the border is
    shared linework. The file's own polygons change only by the nodes added where the other country's lines meet
    them (and snapping to the 1e-6° grid).

    Returns
    -------
    (geopandas.GeoDataFrame, str)
        The file's regions and the other country's, and a sentence saying what was done (for the report).

    Raises
    ------
    BoundaryFileError
        The file's regions do not touch the other country even after conforming (wrong CRS or wrong country?):
        the border would be 0 km.
    """
    mine = str(user["country"].iloc[0])
    theirs = "KZ" if mine == "RU" else "RU"
    other = embedded[embedded["country"] == theirs].reset_index(drop=True)
    outline = shapely.union_all(shapely.set_precision(user.geometry.to_numpy(), GRID), grid_size=GRID)
    # Only the embedded polygons of the units the file has: a file of a few regions must not hand the rest of its
    # country to the neighbour as "strips".
    guide = shapely.union_all(
        embedded.geometry[embedded["code"].isin(user["code"])].to_numpy(), grid_size=GRID
    )
    conformed = conform_to(other, outline, guide)
    changed = ~shapely.equals(conformed.geometry.to_numpy(), other.geometry.to_numpy())
    if not changed.any():
        changed = shapely.intersects(conformed.geometry.to_numpy(), outline)
    cols = [c for c in user.columns if c != "geometry"]
    subset = pd.concat([user, conformed[changed].assign(source_row=pd.NA)], ignore_index=True)
    subset = gpd.GeoDataFrame(subset, geometry="geometry", crs="EPSG:4326")
    fixed, _ = exact_coverage(subset, priority=mine)
    mine_rows = fixed.iloc[: len(user)]
    theirs_rows = pd.concat(
        [fixed.iloc[len(user) :], conformed[~changed].assign(source_row=pd.NA)], ignore_index=True
    )
    km = shared_border_km(
        shapely.union_all(mine_rows.geometry.to_numpy()),
        shapely.union_all(fixed.geometry.iloc[len(user) :].to_numpy()),
    )
    names = {"RU": "Russian", "KZ": "Kazakh"}
    if km == 0:
        msg = (
            f"{label}: the file has only {names[mine]} regions and they do not touch {names[theirs]} ones, so the "
            "state border would be 0 km; check the file's CRS, or give a file with the regions of both countries"
        )
        raise BoundaryFileError(msg)
    out = pd.concat([mine_rows, theirs_rows[[*cols, "geometry"]]], ignore_index=True)
    out = gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")
    out = out.sort_values("code", kind="stable").reset_index(drop=True)
    note = (
        f"only {names[mine]} regions in the file: the {names[theirs]} ones are the embedded boundaries, "
        f"conformed to the file's border ({km:,.1f} km shared)"
    )
    return out, note
