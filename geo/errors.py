"""Every error the package raises, in one place (all exported from :mod:`geo`).

Two families:

- :class:`GeoInputError` and its subclasses: something the *user* gave is wrong (a name, a table, a boundary
  file, an option, an output path). The message says what was given, where (file, row), what was expected and,
  where one exists, a suggestion. The CLI prints it on one line and exits with code 2.
- :class:`DataDefectError`: the data *shipped with the package* (catalogue, boundaries, attribute tables) is
  inconsistent. Not the user's fault: the CLI asks for a report and exits with code 3.

=========================  =====================================================================
``UnknownRegionError``     a region name or code the catalogue does not know (with suggestions)
``AggregateRegionError``   a total (country, federal district, Tyumen with its okrugs), not one region
``AmbiguousRegionError``   a name that fits several units (with the candidates)
``BoundaryFileError``      a boundary file that cannot be read, matched or used
``TableError``             an attribute table that cannot be read, or whose report has problems
``OutputError``            an output path that cannot be written (``OutputWriteError``: the write failed)
``MapOptionError``         a map option the map cannot use (scheme, language, basemap, number)
``GeometryError``          geometry that cannot be made web-ready
``OfflineAssetError``      the package that provides Leaflet for offline maps is missing
``DataDefectError``        a defect in the shipped data (please report it)
=========================  =====================================================================
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "AggregateRegionError",
    "AmbiguousRegionError",
    "BoundaryFileError",
    "DataDefectError",
    "GeoInputError",
    "GeometryError",
    "MapOptionError",
    "OfflineAssetError",
    "OutputError",
    "OutputWriteError",
    "TableError",
    "UnknownRegionError",
    "shipped_data",
]


class GeoInputError(ValueError):
    """Base class: bad input from the user (a name, a file, an option, an output path)."""


class UnknownRegionError(GeoInputError):
    """A region name or code that the catalogue does not know."""

    def __init__(self, value: str, suggestions: list[str] | None = None, *, where: str = "") -> None:
        self.value = value
        self.suggestions = list(suggestions or [])
        hint = f"; did you mean {_or_list(self.suggestions)}?" if self.suggestions else ""
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}unknown region {value!r}{hint}")


class AmbiguousRegionError(GeoInputError):
    """A region name that fits several units (e.g. "Almaty": the city or the region)."""

    def __init__(self, value: str, candidates: list[str], *, where: str = "") -> None:
        self.value = value
        self.candidates = list(candidates)
        prefix = f"{where}: " if where else ""
        super().__init__(
            f"{prefix}region {value!r} is ambiguous: it could be {_or_list(self.candidates)}; "
            "use the code or a fuller name"
        )


class BoundaryFileError(GeoInputError):
    """A boundary file that cannot be read or matched to the catalogue."""


class TableError(GeoInputError):
    """An attribute table that cannot be read or fails the join report (then ``report`` holds the report)."""

    def __init__(self, message: str, *, report: object = None) -> None:
        super().__init__(message)
        self.report = report


class OutputError(GeoInputError):
    """An output path that cannot be written."""


class OutputWriteError(OutputError, OSError):
    """Writing an output failed (disk full, no permission, a special file system such as ``/proc``).

    An :class:`OutputError` (one line for the user, exit code 2 from the CLI) that is still an
    :class:`OSError` for callers that catch those (for instance a cache that may fail to be written).
    """


class MapOptionError(GeoInputError):
    """A map option with a value the map cannot use (unknown scheme, language, basemap, bad number)."""


class GeometryError(GeoInputError):
    """Geometry that cannot be made web-ready (e.g. a coverage that is not valid after simplification)."""


class OfflineAssetError(GeoInputError):
    """The package that provides Leaflet for offline maps is missing or incomplete."""


class DataDefectError(RuntimeError):
    """The data shipped with the package is inconsistent (a bug to report, not a user error; CLI exit code 3)."""


def _or_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


class AggregateRegionError(UnknownRegionError):
    """A name of a total (a country, a Russian federal district, Tyumen Oblast with its okrugs), not of one region.

    A subclass of :class:`UnknownRegionError` so that callers that skip what is not a region keep working; its
    message says what the total is instead of suggesting a region.
    """

    def __init__(self, value: str, description: str, *, where: str = "") -> None:
        self.value = value
        self.suggestions = []
        self.description = description
        prefix = f"{where}: " if where else ""
        GeoInputError.__init__(
            self, f"{prefix}{value!r} is a total, not a region: {description}; list it as an aggregate"
        )


F = TypeVar("F", bound=Callable[..., Any])


def shipped_data(func: F) -> F:
    """Mark a loader whose ``directory=None`` means the data shipped with the package.

    A :class:`GeoInputError` from the shipped files is not the user's to fix: it is re-raised as a
    :class:`DataDefectError` (exit code 3, "please report it"). With a ``directory`` of the user's, the error stays a
    user error.
    """
    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GeoInputError as exc:
            if signature.bind(*args, **kwargs).arguments.get("directory") is None:
                msg = f"{exc} (in the data shipped with rukz-geo)"
                raise DataDefectError(msg) from exc
            raise

    return wrapper  # type: ignore[return-value]
