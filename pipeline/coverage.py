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

import geopandas as gpd
import numpy as np
import shapely

from geo.boundaries import polygonal_part
from geo.conform import GRID, CoverageReport, conform_to, exact_coverage, geodesic_km2

__all__ = ["CoverageReport", "clip_caspian", "conform_russia", "exact_coverage", "simplify"]

#: Sea pieces smaller than this (km², geodesic) are left alone: they are shoreline noise between two coastlines,
#: not sea, and cutting them would pepper the coast with slivers.
MIN_SEA_KM2 = 1.0

#: Coverage simplification tolerance, degrees (0.001° ≈ 111 m north–south, 64–79 m east–west at 45–55° N).
SIMPLIFY_TOLERANCE = 0.001
SEA_UNITS = ("KZ-23", "KZ-47")


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
    return conform_to(ru, kazakhstan, ne_kazakhstan, foreign)


def simplify(gdf: gpd.GeoDataFrame, tolerance: float = SIMPLIFY_TOLERANCE) -> gpd.GeoDataFrame:
    """Simplify the whole coverage at ``tolerance`` degrees; shared edges are simplified once, identically."""
    geoms = shapely.coverage_simplify(gdf.geometry.to_numpy(), tolerance)
    geoms = np.array([polygonal_part(g) for g in geoms], dtype=object)
    return gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))
