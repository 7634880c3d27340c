"""Maps: repeated markup packed per layer and expanded in the page, never confusable with data."""

from __future__ import annotations

from geo.maps.fragments import pack, unpack
from geo.maps.html import esc, rows_html


def test_pack_round_trips_and_data_braces_cannot_expand():
    hostile = "{0}{1} {{7*7}}"
    feats = [
        {"properties": {"tip": rows_html([("Code", f"KZ-{i}"), ("Name", hostile)], title=hostile)}}
        for i in range(5)
    ]
    packed = pack({"type": "FeatureCollection", "features": feats})
    assert packed["frag"] and all("{" not in f for f in packed["frag"])
    for before, after in zip(feats, packed["features"], strict=True):
        text = after["properties"]["tip"]
        assert len(text) < len(before["properties"]["tip"])
        assert unpack(text, packed["frag"]) == before["properties"]["tip"]
        assert esc(hostile) in unpack(text, packed["frag"])  # the user's braces stay entities


def test_nothing_to_pack_leaves_the_collection_alone():
    fc = {"type": "FeatureCollection", "features": [{"properties": {"tip": "<b>x</b>"}}]}
    assert pack(fc) is fc
