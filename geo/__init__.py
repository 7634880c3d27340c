"""rukz-geo: maps of the Russia–Kazakhstan cross-border region."""

from geo.catalog import catalog, resolve

__all__ = ["catalog", "resolve"]
