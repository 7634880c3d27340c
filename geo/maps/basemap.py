"""Basemaps: a short name, an xyzservices provider or a tile URL template, validated before it reaches a page.

A tile URL is text from the user: it is checked to be a tile template (``http(s)://``, ``//`` or a relative
path, with the placeholders ``{z}``, ``{x}`` and ``{y}`` and no others than ``{s}`` and ``{r}``), so that no
template syntax (``{{ … }}``, ``{% … %}``, ``{# … #}``) and no markup ever reaches folium's templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.errors import MapOptionError

__all__ = ["BASEMAPS", "Basemap", "basemap_of"]

#: Short basemap names (``--basemap``) and the folium/xyzservices tile set each stands for. Any other
#: xyzservices name ("Esri.WorldGrayCanvas") or a URL template with ``{z}/{x}/{y}`` works too.
BASEMAPS: dict[str, str | None] = {
    "none": None,
    "cartodb-positron": "CartoDB.Positron",
    "cartodb-voyager": "CartoDB.Voyager",
    "osm": "OpenStreetMap.Mapnik",
    "esri-gray": "Esri.WorldGrayCanvas",
    "esri-topo": "Esri.WorldTopoMap",
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ALLOWED = {"z", "x", "y", "s", "r"}
_SCHEME = re.compile(
    r"^(https?:)?//|^[^:]*$", re.IGNORECASE
)  # http(s)://, //host, or a path without a scheme
_FORBIDDEN = set("<>\"'`\\") | {chr(c) for c in range(32)} | {"\x7f"}


@dataclass(frozen=True)
class Basemap:
    """A validated basemap: a tile URL template or an xyzservices provider name."""

    url: str | None = None  # a tile URL template
    provider: str | None = None  # an xyzservices provider name

    @property
    def remote(self) -> bool:
        """Whether the tiles come from the network."""
        return self.provider is not None or (self.url or "").lower().startswith(("http://", "https://", "//"))


def _check_url(url: str) -> None:
    bad = sorted({c for c in url if c in _FORBIDDEN})
    if bad:
        msg = f"basemap URL {url[:80]!r} contains characters a tile URL cannot have: {bad}"
        raise MapOptionError(msg)
    if not _SCHEME.match(url):
        msg = f"basemap URL {url[:80]!r}: only http://, https://, // or a relative tile path are allowed"
        raise MapOptionError(msg)
    names = _PLACEHOLDER.findall(url)
    rest = _PLACEHOLDER.sub("", url)
    if "{" in rest or "}" in rest or set(names) - _ALLOWED:
        msg = (
            f"basemap URL {url[:80]!r}: a tile URL template may hold only the placeholders {{z}}, {{x}}, {{y}}, "
            "{s} and {r}"
        )
        raise MapOptionError(msg)


def basemap_of(name: str | None, *, offline: bool) -> Basemap | None:
    """Validate a ``--basemap`` value; ``None`` for no basemap.

    Parameters
    ----------
    name
        ``"none"``, a key of :data:`BASEMAPS`, an xyzservices provider name or a tile URL template; ``None``
        for the default (``esri-gray`` online, none offline).
    offline
        The map must load nothing from the network: only a local tile template is accepted.

    Returns
    -------
    Basemap or None

    Raises
    ------
    MapOptionError
        Unknown name, a URL that is not a tile template, or a remote basemap for an offline map.
    """
    if name is None:
        name = "none" if offline else "esri-gray"
    name = str(name)
    if "{" in name or "}" in name:
        _check_url(name)
        if "{z}" not in name or "{x}" not in name or "{y}" not in name:
            msg = f"basemap URL {name[:80]!r} needs the placeholders {{z}}, {{x}} and {{y}}"
            raise MapOptionError(msg)
        basemap = Basemap(url=name)
        if offline and basemap.remote:
            msg = (
                f"self-contained maps load no network resource (add --online for web tiles); basemap {name!r} "
                "is remote (use --basemap none or a local tile folder such as tiles/{z}/{x}/{y}.png)"
            )
            raise MapOptionError(msg)
        return basemap
    provider = BASEMAPS.get(name.lower(), name) if name.lower() in BASEMAPS else name
    if provider is None:
        return None
    import xyzservices

    try:
        xyzservices.providers.query_name(provider)
    except ValueError:
        msg = f"unknown basemap {name!r}; choose one of {', '.join(BASEMAPS)}, an xyzservices name or a URL template"
        raise MapOptionError(msg) from None
    if offline:
        msg = (
            f"self-contained maps load no network resource (add --online for web tiles); basemap {name!r} "
            "needs the network (use --basemap none or a local tile URL template)"
        )
        raise MapOptionError(msg)
    return Basemap(provider=provider)
