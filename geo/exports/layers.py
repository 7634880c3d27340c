"""The export layers as GeoDataFrames: regions (with figures and joined tables), border, projects, links."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis import areas_km2, border_segments, border_totals, distance_to_border
from geo.attach import TableOptions, attach
from geo.boundary_checks import needs_border
from geo.constants import EXPORT_PRECISION, FIGURE_DECIMALS, WGS84, attribution_of
from geo.errors import GeoInputError
from geo.exports.geometry import clean_geometries
from geo.join_units import redrawn_layer
from geo.merged import merge_accounts

#: Layers in the order they are written.
LAYERS = ("regions", "border", "projects", "links")


def build_layers(
    *,
    layers: Sequence[str] | str = LAYERS,
    data: str | Path | pd.DataFrame | Sequence[str | Path | pd.DataFrame] | None = None,
    regions: str | Path | gpd.GeoDataFrame | None = None,
    context: bool = False,
    precision: int = EXPORT_PRECISION,
    table_options: TableOptions | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """The export layers as GeoDataFrames, with the geometries exactly as :func:`export` writes them.

    Parameters
    ----------
    layers, data, regions, context, precision, table_options
        As for :func:`geo.export`.

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        In EPSG:4326, keyed by layer name:

        - ``regions``: one row per polygon, the catalogue columns of :func:`geo.regions` plus ``area_km2``
          (geodesic) and ``border_km`` (geodesic length of its border with the other country, 0 if none),
          plus the columns of ``data`` when given;
        - ``border``: the state border split by region pair (:func:`geo.analysis.border_segments`), one
          MultiLineString per pair with ``pair_id`` (``"RU-ORE/KZ-15"``) and ``length_km``; a pair that
          touches in a single point (Samara) has a null geometry and ``contact="point"``;
        - ``projects``: :func:`geo.attributes.projects` plus ``border_distance_km``; points, schematic lines
          and multipoints in one layer, items without a location with a null geometry;
        - ``links``: :func:`geo.attributes.links` (lines between the regions' administrative centres).
    """
    chosen = validate_layers(layers)
    precision = validate_precision(precision)
    every = _load_regions(regions)
    out: dict[str, gpd.GeoDataFrame] = {}
    for name in chosen:
        if name == "regions":
            layer = _regions_layer(every, context=context, data=data, options=table_options)
        elif name == "border":
            layer = _border_layer(every)
        elif name == "projects":
            layer = _projects_layer(every)
        else:
            layer = _links_layer()
        out[name] = clean_geometries(layer, precision=precision)
    return out


# -- validation ---------------------------------------------------------------------------------------
def validate_layers(layers: Sequence[str] | str) -> list[str]:
    """The layer names asked for, in the fixed order of :data:`LAYERS`; an error for an unknown one."""
    names = [s.strip() for s in layers.split(",")] if isinstance(layers, str) else [str(s) for s in layers]
    names = [n for n in names if n]
    unknown = [n for n in names if n not in LAYERS]
    if unknown or not names:
        what = f"unknown layer {unknown[0]!r}" if unknown else "no layer given"
        msg = f"{what}; choose from {', '.join(LAYERS)}"
        raise GeoInputError(msg)
    return [n for n in LAYERS if n in names]  # fixed order, no duplicates


def validate_precision(precision: int) -> int:
    """The number of decimal places, checked to be a whole number from 0 to 15."""
    if (
        isinstance(precision, bool)
        or not isinstance(precision, (int, np.integer))
        or not 0 <= precision <= 15
    ):
        msg = f"precision must be a whole number of decimal places from 0 to 15, not {precision!r}"
        raise GeoInputError(msg)
    return int(precision)


# -- layers -------------------------------------------------------------------------------------------
def focus_regions(every: gpd.GeoDataFrame, *, context: bool = False) -> gpd.GeoDataFrame:
    """The regions that maps, exports and ``geo join`` show by default: Kazakhstan and the Russian border regions.

    ``context=True`` keeps every region (all Russian subjects too: ``--context``, ``geo join --all-regions``).
    """
    if context:
        return every
    return every[(every["country"] == "KZ") | every["border"].astype(bool)]


def _load_regions(regions: str | Path | gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    from geo.boundaries import regions as load

    if isinstance(regions, gpd.GeoDataFrame) and {"code", "country", "name_en"} <= set(regions.columns):
        if regions.crs is None:
            msg = "the regions GeoDataFrame has no CRS; set one (e.g. EPSG:4326) first"
            raise GeoInputError(msg)
        return regions.to_crs(WGS84).reset_index(drop=True)
    return load(boundaries=regions)


def _regions_layer(
    every: gpd.GeoDataFrame,
    *,
    context: bool,
    data: str | Path | pd.DataFrame | Sequence[str | Path | pd.DataFrame] | None,
    options: TableOptions | None,
) -> gpd.GeoDataFrame:
    totals = border_totals(every).set_index("code")["border_km"]
    keep = focus_regions(every, context=context)
    layer = keep.drop(columns=[c for c in ("id",) if c in keep.columns]).copy()
    layer["area_km2"] = areas_km2(layer).round(FIGURE_DECIMALS).to_numpy()
    layer["border_km"] = layer["code"].map(totals).fillna(0.0).round(FIGURE_DECIMALS).to_numpy()
    if "source" in layer.columns:  # ODbL: the attribution travels with every exported OSM-derived polygon
        layer["attribution"] = [attribution_of(s) for s in layer["source"]]
    if data is not None:
        tables = [data] if isinstance(data, (str, Path, pd.DataFrame)) else list(data)
        layer = _join_tables(layer.reset_index(drop=True), tables, options)
    layer = layer.sort_values(["country", "code"], ascending=[False, True], kind="stable")
    return layer.reset_index(drop=True)


def _join_tables(
    layer: gpd.GeoDataFrame, tables: list[str | Path | pd.DataFrame], options: TableOptions | None
) -> gpd.GeoDataFrame:
    """Join each table onto the bare regions layer and put their columns side by side.

    Each table is joined on its own (so that each gets its own join report and vintage merge); a column name
    that an earlier table already used gets the suffix ``_2``, ``_3``, … of its table; ``merged_units`` and
    ``merged_note`` say what any of the tables merged.
    """
    out = layer.copy()
    for number, table in enumerate(tables, start=1):
        joined = attach(layer, table, options=options).regions
        if len(joined) != len(layer) and "unit_parts" in joined.columns:  # former units drawn (a period)
            return redrawn_layer(layer, joined, tables=len(tables))
        if len(joined) != len(layer) or not (joined["code"].to_numpy() == layer["code"].to_numpy()).all():
            msg = "internal error: the join changed the rows of the regions layer"
            raise AssertionError(msg)
        new = joined.drop(columns=list(layer.columns))
        if "merged_units" in out.columns:
            out["merged_units"], out["merged_note"] = merge_accounts(out, new)
            new = new.drop(columns=["merged_units", "merged_note"])
        for col in new.columns:
            out[col if col not in out.columns else f"{col}_{number}"] = new[col].to_numpy()
    return out


def _border_layer(every: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    needs_border(every, "border")  # issue 9: one country, or no touching pair, was an IndexError
    seg = border_segments(every)
    seg.insert(0, "pair_id", seg["ru_code"] + "/" + seg["kz_code"])
    seg["length_km"] = seg["length_km"].round(FIGURE_DECIMALS)
    geoms: np.ndarray = np.where(
        shapely.is_empty(seg.geometry.to_numpy()), np.array(None, dtype=object), seg.geometry.to_numpy()
    )
    # One geometry type per layer (GeoPackage, QGIS): every pair as a MultiLineString.
    single = np.array([g is not None and g.geom_type == "LineString" for g in geoms], dtype=bool)
    geoms[single] = [shapely.MultiLineString([g]) for g in geoms[single]]
    return seg.set_geometry(gpd.GeoSeries(geoms, index=seg.index, crs=WGS84))


def _projects_layer(every: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    needs_border(every, "projects")
    from geo.attributes import projects

    layer = projects()
    layer["border_distance_km"] = distance_to_border(layer, regions=every).round(FIGURE_DECIMALS)
    return layer.reset_index(drop=True)


def _links_layer() -> gpd.GeoDataFrame:
    from geo.attributes import links

    return links().reset_index(drop=True)
