"""Kazakh names of units whose catalogue row has none (the Russian border regions), each with its source.

``data/names_kk.csv`` holds ``code, name_kk, source``: the twelve Russian border regions, ten from the Unicode
CLDR Kazakh subdivision names, Samara and Saratov oblasts (absent from CLDR) from Kazakh-language media that use the
name (quoted, with the publication and its date). Other Russian regions have none: a Kazakh map shows their
Russian name. :func:`fill_name_kk` is called by the catalogue loader; a name from the file
never replaces one already in ``regions.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.errors import DataDefectError

__all__ = ["fill_name_kk", "read_names_kk"]


def read_names_kk(folder: Path) -> pd.DataFrame:
    """``names_kk.csv`` of ``folder`` (``code``, ``name_kk``, ``source``), empty when the file is absent.

    Raises
    ------
    DataDefectError
        A row without a source, or a code listed twice.
    """
    path = Path(folder) / "names_kk.csv"
    if not path.exists():
        return pd.DataFrame(columns=["code", "name_kk", "source"])
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if (df["source"].str.strip() == "").any() or df["code"].duplicated().any():
        msg = f"{path}: every row needs a source and each code may appear once"
        raise DataDefectError(msg)
    return df


def fill_name_kk(regions: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """``regions`` (indexed by code) with empty ``name_kk`` filled from ``names_kk.csv``."""
    names = read_names_kk(folder)
    names = names[names["name_kk"].str.strip() != ""].set_index("code")["name_kk"]
    empty = regions["name_kk"].fillna("").str.strip() == ""
    fill = regions.index.to_series().map(names)
    regions.loc[empty & fill.notna(), "name_kk"] = fill[empty & fill.notna()]
    return regions
