"""Region profiles: one HTML page per unit with an index, and a print atlas (PDF, one page per unit).

:func:`report` writes them; :func:`profiles` returns what they say as values (:class:`UnitProfile`), for a
notebook or a test. Modules: :mod:`geo.report.profile` (the figures and records of a unit, from the public API),
:mod:`geo.report.figures` (maps and chart, matplotlib), :mod:`geo.report.format` (how numbers are written),
:mod:`geo.report.html` (pages as escaped strings), :mod:`geo.report.atlas` (the PDF).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.attach import TableOptions, TableSource, check
from geo.errors import GeoInputError, OutputError
from geo.report.profile import Neighbour, UnitProfile, boundary_credit, build_profiles

__all__ = ["Neighbour", "UnitProfile", "profiles", "report"]


def _user_table(data: TableSource | None, options: TableOptions | None) -> pd.DataFrame | None:
    """The user's table read with the one set of table options: strict by default, ``where`` applied."""
    if data is None:
        return None
    options = options or TableOptions()
    table, report = options.read(data)
    check(report, strict=options.strict)
    missing = int(table["code"].isna().sum())
    if missing:
        warnings.warn(
            f"{report.summary()}; leaving out {missing} row(s) without a region code (lenient)", stacklevel=3
        )
        table = table[table["code"].notna()]
    for col, wanted in (options.where or {}).items():
        if col not in table.columns:
            msg = f"where: the table has no column {col!r}; columns are {', '.join(map(repr, table.columns))}"
            raise GeoInputError(msg)
        values = list(wanted) if isinstance(wanted, list | tuple | set) else [wanted]
        table = table[table[col].isin(values).to_numpy()]
    return table.reset_index(drop=True)


def _load(regions: str | Path | gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    from geo.boundaries import regions as load

    if isinstance(regions, gpd.GeoDataFrame):
        return regions.to_crs("EPSG:4326").reset_index(drop=True)
    return load(boundaries=regions)


def profiles(
    *,
    units: Sequence[str] | None = None,
    data: TableSource | None = None,
    table_options: TableOptions | None = None,
    regions: str | Path | gpd.GeoDataFrame | None = None,
) -> list[UnitProfile]:
    """The profiles :func:`report` lays out, as values.

    Parameters
    ----------
    units
        Units to profile, in any spelling :func:`geo.resolve` reads; by default the 12 Russian border regions
        and the 20 current Kazakh units.
    data
        A table (path or DataFrame) whose rows for each unit are shown on its page; read with
        ``table_options`` (strict unless ``strict=False``; ``where`` selects rows).
    table_options
        :class:`geo.attach.TableOptions`, the options of every command that reads a table.
    regions
        A boundary file or GeoDataFrame instead of the embedded polygons.

    Returns
    -------
    list of UnitProfile
        One per unit, in order.
    """
    table = _user_table(data, table_options)
    return build_profiles(regions=_load(regions), units=units, table=table, boundaries=regions)


def report(
    output: str | Path,
    *,
    units: Sequence[str] | None = None,
    data: TableSource | None = None,
    table_options: TableOptions | None = None,
    regions: str | Path | gpd.GeoDataFrame | None = None,
    html: bool = True,
    pdf: bool = True,
    force: bool = False,
) -> list[Path]:
    """Write region profiles into the folder ``output``: ``index.html``, one ``CODE.html`` per unit, ``atlas.pdf``.

    Parameters
    ----------
    output
        Folder for the files (created if missing, with its parents).
    units, data, table_options, regions
        As for :func:`profiles`.
    html, pdf
        Write the HTML pages (index and profiles), the PDF atlas, or both (default).
    force
        Replace files that exist already.

    Returns
    -------
    list of pathlib.Path
        The files written: the index, the profile pages in the order of the units, then the atlas.

    Raises
    ------
    GeoInputError
        An unknown unit, or a table whose report is not clean (strict).
    OutputError
        ``output`` is a file, or a file exists already without ``force``; nothing is written then.
    """
    from geo._io import atomic_paths
    from geo.report.atlas import write_atlas
    from geo.report.figures import locator_svg, prepare_basemap, trade_svg
    from geo.report.html import index_page, profile_page

    if not (html or pdf):
        msg = "nothing to write: ask for the HTML pages, the PDF atlas or both"
        raise GeoInputError(msg)
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        msg = (
            f"{folder} is a file; the report is a folder of files (index.html, one page per unit, atlas.pdf)"
        )
        raise OutputError(msg)
    built = profiles(units=units, data=data, table_options=table_options, regions=regions)
    frame = _load(regions)
    base = prepare_basemap(frame)
    # The locators of the HTML pages are small: coarser polygons keep each page light (about 60 kB); 3 decimals,
    # as 2 (0.01°) made Altai Krai self-intersect where it meets the Altai Republic (not a valid coverage).
    small = prepare_basemap(frame, tolerance=0.08, decimals=3) if html else base
    credit = boundary_credit(regions)

    texts: dict[Path, str] = {}
    if html:
        pages = [f"{p.code}.html" for p in built]
        texts[folder / "index.html"] = index_page(built, pages=pages, atlas="atlas.pdf" if pdf else None,
                                                  credit=credit)  # fmt: skip
        for i, (p, page) in enumerate(zip(built, pages, strict=True), start=1):
            texts[folder / page] = profile_page(
                p,
                locator=locator_svg(p, small),
                chart=trade_svg(p.trade),
                position=(i, len(built)),
                credit=credit,
            )
    targets = [*texts, *([folder / "atlas.pdf"] if pdf else [])]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create the folder {folder}: {exc.strerror or exc}"
        raise OutputError(msg) from exc
    with atomic_paths(targets, force=force) as temps:
        for tmp, text in zip(temps, texts.values(), strict=False):
            tmp.write_text(text, encoding="utf-8")
        if pdf:
            write_atlas(temps[-1], built, base, credit=credit)
    return targets
