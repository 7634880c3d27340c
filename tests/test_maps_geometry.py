"""Maps: web geometry (coverage simplification, polyline encoding)."""

from __future__ import annotations

import numpy as np
import shapely

from geo.maps import simplify_regions


# -- web geometry ------------------------------------------------------------------------------------
def test_coverage_simplification_keeps_a_valid_coverage(all_regions):
    web = simplify_regions(all_regions, tolerance=0.01)
    geoms = web.geometry.to_numpy()
    assert shapely.coverage_is_valid(geoms)
    assert (
        shapely.get_num_coordinates(geoms).sum()
        < 0.6 * shapely.get_num_coordinates(all_regions.geometry).sum()
    )
    coords = shapely.get_coordinates(geoms)
    assert np.allclose(coords, np.round(coords, 4))


def test_zero_tolerance_keeps_vertices(all_regions):
    sub = all_regions[all_regions["country"] == "KZ"]
    web = simplify_regions(sub, tolerance=0)
    assert (
        shapely.get_num_coordinates(web.geometry).sum()
        >= 0.99 * shapely.get_num_coordinates(sub.geometry).sum()
    )
