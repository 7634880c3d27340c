"""Offline HTML: Leaflet's JS and CSS inlined from the installed ``django-js-lib-leaflet`` package.

That PyPI package (a dependency of rukz-geo, BSD-licensed like Leaflet) ships Leaflet 1.9.4's ``leaflet.js``,
``leaflet.css`` and marker images; nothing is copied into this repository. The CSS's image references are
turned into ``data:`` URIs so the page loads no network resource at all. Everything else an offline map needs
(markers, legend, title, fullscreen button, minimap) is made by rukz-geo itself; the marker-cluster plugin has
no registry package and is therefore left out offline (markers are drawn unclustered).
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from importlib import resources

from geo.errors import OfflineAssetError

__all__ = ["LEAFLET_VERSION", "leaflet_assets"]

LEAFLET_VERSION = "1.9.4"
_PACKAGE = "js_lib_leaflet"


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS (images inlined as data URIs), read from the installed package.

    Returns
    -------
    (str, str)
        The contents of ``leaflet.js`` and ``leaflet.css``.

    Raises
    ------
    OfflineAssetError
        ``django-js-lib-leaflet`` is not installed (``pip install django-js-lib-leaflet==1.9.4.1``).
    """
    try:
        static = resources.files(_PACKAGE) / "static" / _PACKAGE
        js = (static / "leaflet.js").read_text(encoding="utf-8")
        css = (static / "leaflet.css").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        msg = (
            "offline maps need the package django-js-lib-leaflet (pip install django-js-lib-leaflet==1.9.4.1)"
        )
        raise OfflineAssetError(msg) from exc
    js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", js)  # no request for a source map
    js = js.replace("</script", "<\\/script")  # inlined in a <script> element

    def inline(match: re.Match[str]) -> str:
        if match.group(1) in _UNUSED_IMAGES:
            return "none"
        data = (static / "images" / match.group(1)).read_bytes()
        return f'url("data:image/png;base64,{base64.b64encode(data).decode("ascii")}")'

    css = re.sub(r"url\(\s*['\"]?images/([\w.-]+\.png)['\"]?\s*\)", inline, css)
    return js, _compact_css(css)


#: Images of Leaflet's stylesheet that rukz-geo maps never show: the default marker (every marker is a
#: ``divIcon``) and the toggle of a collapsed layer control (ours is always expanded). Left out of the page
#: ("none"), which saves about 4.5 kB of base64.
_UNUSED_IMAGES = frozenset({"marker-icon.png", "marker-icon-2x.png", "layers.png", "layers-2x.png"})


def _compact_css(css: str) -> str:
    """Leaflet's CSS without comments and layout whitespace (no rule changes: strings hold no such text)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s+", " ", css)
    return re.sub(r"\s*([{};,>])\s*", r"\1", css).strip()
