"""The public API: every name in ``geo.__all__`` is listed here, exists, and is documented."""

from __future__ import annotations

import inspect

import geo

PUBLIC = {
    # regions and identities
    "catalog", "resolve", "regions", "read_boundaries",
    # shipped tables
    "projects", "links", "trade", "cooperation", "crossings", "trade_coverage", "turnover_for_map", "search_log",
    # user tables and joins
    "read_table", "JoinReport", "join", "links_from_pairs", "attach", "TableOptions", "Attached",
    # analysis
    "areas_km2", "border_line", "border_pairs", "border_regions", "border_segments", "border_totals",
    "distance_to_border", "locate",
    # maps and exports (imported on first use)
    "build_map", "save_map", "save_figure", "MapSpec", "MapOptions", "export", "build_layers", "split_antimeridian",
    # region profiles and the atlas (matplotlib imported on first use)
    "report",
    # errors
    "GeoInputError", "UnknownRegionError", "AggregateRegionError", "AmbiguousRegionError", "BoundaryFileError",
    "TableError", "OutputError", "OutputWriteError", "MapOptionError", "GeometryError", "OfflineAssetError",
    "DataDefectError",
}  # fmt: skip


def test_all_lists_exactly_the_public_names() -> None:
    assert set(geo.__all__) == PUBLIC
    assert len(geo.__all__) == len(set(geo.__all__))


def test_every_public_name_exists_and_has_a_docstring() -> None:
    for name in geo.__all__:
        obj = getattr(geo, name)
        assert inspect.getdoc(obj), f"geo.{name} has no docstring"


def test_public_functions_document_parameters_and_returns() -> None:
    """numpy docstrings: a function with parameters has a Parameters section, and every one has Returns."""
    for name in geo.__all__:
        obj = getattr(geo, name)
        if not inspect.isfunction(obj):
            continue
        doc = inspect.getdoc(obj) or ""
        params = [p for p in inspect.signature(obj).parameters if p not in ("self", "kwargs", "overrides")]
        if params:
            assert "Parameters\n----------" in doc, f"geo.{name}: no Parameters section"
        assert "Returns\n-------" in doc, f"geo.{name}: no Returns section"


def test_every_error_is_exported_and_user_errors_share_one_base() -> None:
    import geo.errors

    classes = [n for n in geo.errors.__all__ if isinstance(getattr(geo.errors, n), type)]
    assert len(classes) == 12
    for name in classes:
        assert name in geo.__all__
        cls = getattr(geo.errors, name)
        assert issubclass(cls, Exception)
        if name != "DataDefectError":
            assert issubclass(cls, geo.GeoInputError), name
    assert not issubclass(geo.DataDefectError, geo.GeoInputError)  # not the user's fault: exit code 3


def test_lazy_names_do_not_import_folium_until_used() -> None:
    import subprocess
    import sys

    code = "import sys, geo; geo.regions; print('folium' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
