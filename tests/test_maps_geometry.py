"""Maps: web geometry (coverage simplification, polyline encoding)."""

from __future__ import annotations

import json

import numpy as np
import shapely

from geo.maps import simplify_regions


# -- web geometry ------------------------------------------------------------------------------------
def test_coverage_simplification_keeps_a_valid_coverage(all_regions):
    web = simplify_regions(all_regions, tolerance=0.01)
    geoms = web.geometry.to_numpy()
    assert shapely.coverage_is_valid(geoms) and shapely.is_valid(geoms).all()
    assert (
        shapely.get_num_coordinates(geoms).sum()
        < 0.6 * shapely.get_num_coordinates(all_regions.geometry).sum()
    )
    coords = shapely.get_coordinates(geoms)
    assert np.allclose(coords, np.round(coords, 4))


def test_zero_tolerance_keeps_vertices(all_regions):
    sub = all_regions[all_regions["country"] == "KZ"]
    web = simplify_regions(sub, tolerance=0, decimals=4)  # at 0.0001°, rounding merges hardly any vertex
    assert (
        shapely.get_num_coordinates(web.geometry).sum()
        >= 0.99 * shapely.get_num_coordinates(sub.geometry).sum()
    )


def test_shared_arcs_store_each_edge_once_and_rebuild_every_polygon(all_regions):
    from geo.maps.geometry import features, geometry_of

    focus = all_regions[(all_regions["country"] == "KZ") | all_regions["border"]]
    web = simplify_regions(focus)
    plain = features(web, [{}] * len(web))
    shared = features(web, [{}] * len(web), shared_arcs=True)
    assert len(shared["features"]) == len(web)
    for geom, feat in zip(web.geometry, shared["features"], strict=True):
        back = shapely.geometry.shape(geometry_of(feat, arcs=shared["arcs"]))
        assert shapely.equals_exact(shapely.normalize(back), shapely.normalize(geom), tolerance=1e-9)
    # every arc is used by at most two rings, and the encoded size drops by a quarter or more
    uses = {}
    for feat in shared["features"]:
        polys = (
            [feat["geometry"]["arcs"]] if feat["geometry"]["type"] == "Polygon" else feat["geometry"]["arcs"]
        )
        for ring in (r for p in polys for r in p):
            for i in ring:
                uses[i if i >= 0 else ~i] = uses.get(i if i >= 0 else ~i, 0) + 1
    assert max(uses.values()) == 2 and len(uses) == len(shared["arcs"])
    size = lambda fc: len(json.dumps(fc))  # noqa: E731
    assert size(shared) < 0.75 * size(plain)


def test_enclave_ring_and_matching_hole_share_one_arc():
    from geo.maps.arcs import topology

    outer = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(3, 3), (3, 6), (6, 6), (6, 3)]])
    inner = shapely.Polygon([(6, 6), (6, 3), (3, 3), (3, 6)])  # the same ring, other start and direction
    arcs, shapes = topology([outer, inner], 0)
    assert len(arcs) == 2  # the outer ring, and the hole = the enclave
    hole, enclave = shapes[0][0][1], shapes[1][0][0]
    assert len(hole) == len(enclave) == 1 and hole[0] in (enclave[0], ~enclave[0])


def test_arcs_of_two_neighbours_any_grid_and_of_polygons_that_are_no_coverage():
    from geo.maps.arcs import topology

    a, b = shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)
    arcs, shapes = topology([a, b], 0)
    assert len(arcs) == 3  # each outside once, the shared edge once
    shared = set(map(abs_arc, shapes[0][0][0])) & set(map(abs_arc, shapes[1][0][0]))
    assert len(shared) == 1 and sorted(map(tuple, arcs[shared.pop()].tolist())) == [(1, 0), (1, 1)]
    # a grid too fine for one 64-bit key per vertex gives the same arcs
    fine, fine_shapes = topology([a, b], 12)
    assert fine_shapes == shapes and [f.tolist() for f in fine] == [(x * 10**12).tolist() for x in arcs]
    # three rings on one edge (a duplicate polygon: no coverage) still give each ring its arcs
    arcs3, shapes3 = topology([a, a, b], 0)
    assert shapes3[0] == shapes3[1] and len(arcs3) == 3


def abs_arc(i: int) -> int:
    return i if i >= 0 else ~i


def test_border_is_sent_as_references_to_the_regions_arcs(all_regions):
    from geo.maps.arcs import arcs_between
    from geo.maps.geometry import decode_coords, features

    focus = all_regions[(all_regions["country"] == "KZ") | all_regions["border"]]
    web = simplify_regions(focus)
    fc = features(web, [{"code": c} for c in web["code"]], shared_arcs=True, scale=200)
    ids = arcs_between(fc, lambda p: p["code"][:2], "RU", "KZ")
    lines = shapely.MultiLineString([decode_coords(fc["arcs"][i], scale=200) for i in ids])
    from geo.analysis import border_segments

    segs = border_segments(web)
    border = shapely.union_all(segs[segs["contact"] == "line"].geometry.to_numpy())
    # the arcs between the two countries are the border: same length within the 0.005° grid's rounding
    assert abs(lines.length - border.length) / border.length < 0.01
    assert lines.hausdorff_distance(border) < 0.01


def test_rounding_drops_a_sliver_narrower_than_the_grid_and_keeps_the_coverage():
    import geopandas as gpd

    sliver = [(1, 0.5), (1.0004, 0.5003), (1, 0.5006)]  # about 40 m wide: collapses on the 0.001° grid
    a = shapely.MultiPolygon(
        [shapely.Polygon([(0, 0), (1, 0), (1, 0.5), (1, 0.5006), (1, 1), (0, 1)]), shapely.Polygon(sliver)]
    )
    b = shapely.Polygon([(1, 0), (2, 0), (2, 1), (1, 1), (1, 0.5006), (1.0004, 0.5003), (1, 0.5)])
    frame = gpd.GeoDataFrame({"code": ["A", "B"]}, geometry=[a, b], crs=4326)
    assert shapely.coverage_is_valid(frame.geometry.to_numpy())
    web = simplify_regions(frame, tolerance=0, decimals=3)
    geoms = web.geometry.to_numpy()
    assert shapely.is_valid(geoms).all() and shapely.coverage_is_valid(geoms)
    assert shapely.get_num_geometries(geoms[0]) == 1  # the sliver is gone, the square stays
    assert abs(shapely.area(geoms).sum() - 2) < 1e-6


def test_rounding_that_breaks_a_polygon_is_refused():
    import geopandas as gpd
    import pytest

    from geo.errors import GeometryError

    # a notch 4 m deep: on the 0.01° grid the ring crosses itself
    bow = shapely.Polygon(
        [(0, 0), (0.02, 0), (0.02, 0.02), (0.011, 0.02), (0.0149, 0.0049), (0.009, 0.02), (0, 0.02)]
    )
    assert bow.is_valid
    frame = gpd.GeoDataFrame({"code": ["A"]}, geometry=[bow], crs=4326)
    with pytest.raises(GeometryError, match="not a valid coverage after rounding"):
        simplify_regions(frame, tolerance=0, decimals=2)


def test_polygons_that_overlap_are_refused_naming_the_simplification():
    import geopandas as gpd
    import pytest

    from geo.errors import GeometryError

    overlapping = [shapely.box(0, 0, 1, 1), shapely.box(0.5, 0, 1.5, 1)]  # not a coverage to begin with
    frame = gpd.GeoDataFrame({"code": ["A", "B"]}, geometry=overlapping, crs=4326)
    with pytest.raises(GeometryError, match="not a valid coverage after simplification; try a smaller"):
        simplify_regions(frame, tolerance=0.01)
