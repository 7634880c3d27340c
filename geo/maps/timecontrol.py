"""The year control of a map with a time dimension, and the screen-reader table of every map's values.

:class:`TimeControl` is a range input (arrow keys, Home/End work as in any slider) with previous/next buttons
and the year shown in an ``<output>`` that screen readers announce. Moving it swaps each region's fill and
tooltip for the ones of that period, which every feature carries (:func:`geo.maps.regions.regions_layer`);
the geometry is the same for all periods and is shipped once. All of it is written here (no plugin).

:class:`ValuesTable` is the text alternative of the map: a table of the regions and their values (one column
per period on a time map), visually hidden but read by screen readers and shown when it receives focus.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from branca.element import MacroElement
from folium.template import Template

from geo.maps.html import esc, js_data

__all__ = ["MapLabel", "TimeControl", "ValuesTable"]


class TimeControl(MacroElement):
    """A keyboard-usable year slider that swaps the values of ``layers`` (VectorLayers of regions)."""

    _template = Template(
        """
{% macro html(this, kwargs) %}
<div class="rk-time leaflet-control" id="{{ this.get_name() }}" role="group" aria-label="{{ this.label }}">
<button type="button" class="rk-time-prev" aria-label="{{ this.prev_label }}">&#8249;</button>
<label><span class="rk-sr-only">{{ this.label }}</span>
<input type="range" min="0" max="{{ this.last }}" step="1" value="{{ this.frame }}"></label>
<button type="button" class="rk-time-next" aria-label="{{ this.next_label }}">&#8250;</button>
<output aria-live="polite"></output>
</div>
{% endmacro %}
{% macro script(this, kwargs) %}
(function (map) {
    var el = document.getElementById({{ this.get_name()|tojson }});
    var frames = {{ this.frames_js }};
    var layers = [{% for name in this.layer_names %}{{ name }}_main{% if not loop.last %}, {% endif %}{% endfor %}];
    var input = el.querySelector("input"), out = el.querySelector("output");
    function show(i) {
        i = Math.max(0, Math.min(frames.length - 1, i));
        input.value = i;
        input.setAttribute("aria-valuetext", frames[i]);
        out.textContent = frames[i];
        layers.forEach(function (group) {
            group.eachLayer(function (layer) {
                var p = layer.feature.properties;
                if (!p.fills) { return; }
                p.style.fillColor = p.fills[i];
                layer.setStyle({fillColor: p.fills[i]});
                layer.setTooltipContent(p.tips[i]);
            });
        });
        map.getContainer().setAttribute("data-rk-frame", frames[i]);
    }
    window.rkShowFrame = show;
    input.addEventListener("input", function () { show(+input.value); });
    el.querySelector(".rk-time-prev").addEventListener("click", function () { show(+input.value - 1); });
    el.querySelector(".rk-time-next").addEventListener("click", function () { show(+input.value + 1); });
    var ctl = L.control({position: "topleft"});
    ctl.onAdd = function () { L.DomEvent.disableClickPropagation(el); L.DomEvent.disableScrollPropagation(el); return el; };
    ctl.addTo(map);
    show({{ this.frame }});
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(
        self,
        frames: Sequence[str],
        layer_names: Sequence[str],
        *,
        frame: int,
        label: str,
        prev: str,
        next_: str,
    ) -> None:
        super().__init__()
        self._name = "TimeControl"
        self.frames_js = js_data([str(f) for f in frames])
        self.layer_names = list(layer_names)
        self.frame = int(frame)
        self.last = len(frames) - 1
        self.label, self.prev_label, self.next_label = esc(label), esc(prev), esc(next_)


class ValuesTable(MacroElement):
    """The values per region as an HTML table, for screen readers (shown when it receives focus)."""

    _template = Template(
        """
{% macro html(this, kwargs) %}
<section class="rk-values rk-sr-only" tabindex="0" aria-label="{{ this.caption }}">{{ this.body }}</section>
{% endmacro %}
"""
    )

    def __init__(
        self,
        *,
        caption: str,
        region_header: str,
        headers: Sequence[str],
        names: Sequence[str],
        cells: Sequence[Sequence[str]],
    ) -> None:
        super().__init__()
        self._name = "ValuesTable"
        self.caption = esc(caption)
        head = f'<th scope="col">{esc(region_header)}</th>' + "".join(
            f'<th scope="col">{esc(h)}</th>' for h in headers
        )
        rows = "".join(
            f'<tr><th scope="row">{esc(name)}</th>' + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
            for name, row in zip(names, cells, strict=True)
        )
        self.body = f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def value_cells(values: np.ndarray, fmt, no_data: str) -> list[list[str]]:
    """Rows of formatted values (``values``: (n_rows, n_columns)); ``no_data`` where there is none."""
    return [[fmt(v) or no_data for v in row] for row in values]


class MapLabel(MacroElement):
    """Names the map for assistive technology: the page language, and the map as a labelled region."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
    var el = map.getContainer();
    document.documentElement.setAttribute("lang", {{ this.lang|tojson }});
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", {{ this.title|tojson }});
    var legend = el.querySelector(".rk-legend");
    if (legend) { legend.setAttribute("role", "group"); legend.setAttribute("aria-label", {{ this.legend|tojson }}); }
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, title: str, lang: str, legend: str = "Legend") -> None:
        super().__init__()
        self._name = "MapLabel"
        self.title = str(title)
        self.lang = str(lang)
        self.legend = {"en": "Legend", "ru": "Легенда", "kk": "Шартты белгілер"}.get(lang, legend)
