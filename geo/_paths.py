"""Where the shipped data lives.

The package is installed in editable mode from the repository (see README), so the data folder is the
repository's ``data/``; ``GEO_DATA_DIR`` points elsewhere (e.g. a copy beside a frozen install).
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The folder holding ``regions.csv``, ``boundaries/`` and ``attributes/``."""
    override = os.environ.get("GEO_DATA_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "data"


def cache_dir() -> Path:
    """Per-user cache (``$XDG_CACHE_HOME/rukz-geo``, else ``~/.cache/rukz-geo``), outside the repository."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "rukz-geo"
