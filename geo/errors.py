"""One small error hierarchy for everything a user can get wrong.

Every error carries a message a user can act on: what was given, where (file, row), what was expected and,
where one exists, a suggestion. The CLI prints ``str(error)`` on one line and exits with code 2.
"""

from __future__ import annotations


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
    """An attribute table that cannot be read or fails the join report."""


class OutputError(GeoInputError):
    """An output path that cannot be written."""


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
