"""One Leaflet layer type for all our vector data: GeoJSON whose features carry their own style and HTML.

folium's ``GeoJson`` with ``GeoJsonTooltip`` puts property values into the page unescaped and repeats styles
in a ``switch``; this layer instead receives, per feature, a ready ``style`` (Leaflet path options), an
optional ``icon`` (Leaflet ``divIcon`` options, for points) and ``tip``/``popup``/``label`` HTML built by the
layer modules from escaped text (:func:`geo.maps.html.esc`). The data enter the page as script-safe JSON.
Every path of the layer gets the CSS class ``class_name`` (handy for styling and for the browser tests).
"""

from __future__ import annotations

from folium.map import Layer
from folium.template import Template

from geo.maps.fragments import pack
from geo.maps.geometry import DEFAULT_PRECISION, collection_js
from geo.maps.html import js_data

__all__ = ["LAYER_JS", "VectorLayer"]

_SOURCE = """
{% macro script(this, kwargs) %}
var {{ this.get_name() }}_data = rkDecode({{ this.data_js }}, {{ this.scale }}, {{ this.get_name()|tojson }});
var {{ this.get_name() }}_both = rkLayer({{ this.get_name() }}_data, {{ this.options_js }});
var {{ this.get_name() }}_main = {{ this.get_name() }}_both.main;{% if this.halo %}
var {{ this.get_name() }}_halo = {{ this.get_name() }}_both.halo;
var {{ this.get_name() }} = L.featureGroup([{{ this.get_name() }}_halo, {{ this.get_name() }}_main]);{% else %}
var {{ this.get_name() }} = {{ this.get_name() }}_main;{% endif %}
{% endmacro %}
"""

#: The one function that turns decoded data into a layer (defined once per page by
#: :class:`geo.maps.controls.Panes`): features carry ``style``, ``icon`` (a Leaflet ``divIcon``), ``label``
#: (a text label: ``rank``, ``minor``, ``city``), ``tip`` and ``popup``.
LAYER_JS = """
window.rkLayer = function (data, o) {
    function withPane(opts) { if (o.pane) { opts.pane = o.pane; } return opts; }
    var halo = null;
    if (o.halo) {  // created first, so that it is drawn first (under the line)
        halo = L.geoJson(data, withPane({className: o.cls + "-halo", interactive: false,
            filter: function (f) { return f.geometry.type.indexOf("Point") < 0; },
            style: function () { return o.halo; }}));
    }
    var main = L.geoJson(data, withPane({
        className: o.cls, interactive: o.interactive !== false,
        style: function (f) { return f.properties.style || o.style || {}; },
        pointToLayer: function (f, latlng) {
            var p = f.properties;
            if (p.label !== undefined) {
                var icon = p.city
                    ? {className: "rk-label rk-label-city", iconSize: [90, 14], iconAnchor: [-8, 7]}
                    : {className: "rk-label" + (p.minor ? " rk-label-minor" : ""), iconSize: [110, 30],
                       iconAnchor: [55, 15]};
                icon.html = '<span data-rank="' + p.rank + '">' + p.label + "</span>";
                return L.marker(latlng, {icon: L.divIcon(icon), keyboard: false, interactive: false});
            }
            if (p.icon) { return L.marker(latlng, {icon: L.divIcon(p.icon), riseOnHover: true}); }
            return L.circleMarker(latlng, withPane(Object.assign({className: o.cls}, p.style || {})));
        },
        onEachFeature: function (f, layer) {
            var p = f.properties;
            if (p.tip) { layer.bindTooltip(p.tip, {sticky: true, className: "rk-tip"}); }
            if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 340, className: "rk-popup"}); }
            if (o.highlight) {
                layer.on({
                    mouseover: function (e) { if (e.target.setStyle) { e.target.setStyle(o.highlight); } },
                    mouseout: function (e) { if (e.target.setStyle) { main.resetStyle(e.target); } }
                });
            }
        }
    }));
    return {main: main, halo: halo};
};
"""


class VectorLayer(Layer):
    """A GeoJSON overlay whose features carry ``style``, ``icon``, ``tip``, ``popup`` and ``label``.

    Parameters
    ----------
    data
        A GeoJSON FeatureCollection (dict) as made by :func:`geo.maps.geometry.features`.
    name
        Name in the layer control.
    class_name
        CSS class given to every path and marker of the layer.
    pane
        Leaflet pane for the vector paths (to keep e.g. the border above the regions).
    highlight
        Path options applied while the pointer is over a feature (none by default).
    halo
        Path options of a copy of the lines drawn underneath (e.g. a wide white line), from the same data.
    show, control
        As for :class:`folium.map.Layer`.
    interactive
        ``False`` for a layer that takes no pointer events (a background).
    decimals
        Decimal places the lines and rings of ``data`` were encoded with (:func:`geo.maps.geometry.features`).
    style
        Path options of features without a ``style`` of their own (one style for a whole layer).
    scale
        The grid the data were encoded on, when not 10**decimals (:func:`geo.maps.geometry.web_scale`).
    """

    TEMPLATE = _SOURCE
    _template = Template(_SOURCE)

    def __init__(  # noqa: PLR0913  (keyword-only Leaflet options of the layer)
        self,
        data: dict,
        *,
        name: str,
        class_name: str,
        pane: str | None = None,
        highlight: dict | None = None,
        halo: dict | None = None,
        show: bool = True,
        control: bool = True,
        interactive: bool = True,
        decimals: int = DEFAULT_PRECISION,
        style: dict | None = None,
        scale: int | None = None,
    ) -> None:
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = "VectorLayer"
        self.data = data
        self.data_js = collection_js(pack(data))
        given: dict[str, object] = {
            "cls": class_name,
            "pane": pane,
            "highlight": highlight,
            "halo": halo,
            "style": style,
        }
        options = {k: v for k, v in given.items() if v}
        if not interactive:
            options["interactive"] = False
        self.options_js = js_data(options)
        self.class_name = class_name
        self.pane = pane
        self.highlight = highlight
        self.highlight_js = js_data(highlight or {})
        self.halo = halo
        self.halo_js = js_data(halo or {})
        self.interactive = interactive
        self.style_js = js_data(style or {})
        self.scale = int(scale or 10 ** int(decimals))

    @property
    def n_features(self) -> int:
        """Number of features drawn."""
        return len(self.data["features"])
