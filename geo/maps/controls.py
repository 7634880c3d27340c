"""Map furniture: panes, stylesheet, title, sources line, fullscreen button, minimap and layer control.

All of it is rukz-geo's own small HTML/CSS/JS (no plugin fetched from a CDN), so it works in offline maps and
renders deterministically. Every string that comes from data or options is escaped here.
"""

from __future__ import annotations

import folium
import geopandas as gpd
from branca.element import Element, MacroElement
from folium.template import Template

from geo.maps.geometry import collection_js, features
from geo.maps.html import esc, js_data
from geo.maps.layer import LAYER_JS
from geo.maps.style import COUNTRY_FILL, NO_DATA_COLOR, NO_DATA_HATCH

__all__ = [
    "CSS",
    "MiniMap",
    "Panes",
    "RawHTML",
    "SourcesLine",
    "Stylesheet",
    "Title",
    "add_controls",
    "hatch_pattern",
    "layer_control",
]

#: Panes above Leaflet's overlay pane (400), below markers (600): background < regions < border < links.
PANES = {"rk-background": 401, "rk-regions": 405, "rk-border": 420, "rk-links": 430}

CSS = """
body, html .leaflet-container { font: 12px/1.35 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
html .leaflet-container { background: #f4f7fa; }
html .leaflet-control-layers { font-size: 11.5px; line-height: 1.3; }
.leaflet-control-layers label { margin: 1px 0; }
.rk-title { position: absolute; top: 10px; left: 50%; transform: translateX(-50%); z-index: 1000;
  background: rgba(255,255,255,.92); padding: 6px 14px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3);
  text-align: center; pointer-events: none; max-width: 60%; }
.rk-title h1 { font-size: 17px; margin: 0; font-weight: 600; color: #222; }
.rk-title div { font-size: 12px; color: #444; margin-top: 2px; }
.rk-sources { position: absolute; left: 0; bottom: 0; z-index: 1000; background: rgba(255,255,255,.85);
  padding: 2px 8px; font-size: 10.5px; color: #333; max-width: 70%; }
.rk-legend { background: rgba(255,255,255,.94); padding: 6px 9px; border-radius: 4px; font-size: 11px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); line-height: 15px; color: #222; max-width: 230px; }
.rk-legend-title { font-weight: 600; margin-bottom: 3px; }
.rk-legend-title.rk-sub { margin-top: 7px; }
.rk-unit { font-weight: normal; color: #555; }
.rk-legend .rk-row { display: flex; align-items: center; gap: 6px; }
.rk-legend .rk-sep { margin-top: 5px; }
.rk-legend i { display: inline-block; width: 18px; height: 11px; border: 1px solid #888; flex: none; }
.rk-legend i.rk-nodata { background: #ffffff repeating-linear-gradient(45deg, transparent 0 3px, #8c8c8c 3px 4.4px); }
.rk-legend svg { flex: none; }
.rk-legend .rk-note { font-size: 10.5px; color: #555; display: flex; gap: 6px; align-items: center;
  white-space: normal; line-height: 13px; margin-top: 3px; }
.rk-line-key { display: inline-block; width: 18px; height: 0; border-top: 3px solid #b2182b; flex: none; }
.rk-label { pointer-events: none; display: flex; align-items: center; justify-content: center; }
.rk-label-city { justify-content: flex-start; }
.rk-label span { display: inline-block; max-width: 110px; text-align: center; font-size: 10.5px; line-height: 11px;
  color: #1a1a1a;
  font-weight: 600; text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; white-space: normal; }
.rk-zoom-low .rk-label-minor { display: none; }
.rk-label.rk-label-hidden { visibility: hidden; }
.rk-label-city span { text-align: left; white-space: nowrap; font-size: 11px; }
.rk-sr-only:not(:focus):not(:focus-within) { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
.rk-values:focus, .rk-values:focus-within { position: absolute; z-index: 2000; top: 60px; left: 60px; max-height: 70%;
  overflow: auto; background: #fff; padding: 8px; box-shadow: 0 1px 6px rgba(0,0,0,.4); }
.rk-values table { border-collapse: collapse; font-size: 12px; }
.rk-values th, .rk-values td { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: left; }
.rk-time { background: rgba(255,255,255,.94); padding: 4px 8px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3);
  display: flex; align-items: center; gap: 6px; }
.rk-time button { font-size: 16px; line-height: 1; width: 26px; height: 26px; cursor: pointer; }
.rk-time output { font-weight: 600; font-size: 14px; min-width: 3em; }
.rk-time input { width: 160px; }
.rk-time :focus-visible, .rk-values:focus { outline: 3px solid #1f6feb; outline-offset: 1px; }
.rk-zoom-low .rk-label span { font-size: 9.5px; }
.rk-project { background: none; border: none; }
.rk-tip table.rk-rows, .rk-popup table.rk-rows { border-collapse: collapse; margin-top: 3px; }
.rk-rows th { text-align: left; padding: 1px 8px 1px 0; color: #555; font-weight: normal; vertical-align: top; }
.rk-rows td { padding: 1px 0; max-width: 240px; white-space: normal; }
.rk-quality { display: inline-block; background: #fff3cd; color: #7a5a00; padding: 0 5px; border-radius: 3px;
  font-size: 11px; margin-bottom: 3px; }
.rk-fullscreen a { display: flex !important; align-items: center; justify-content: center; }
.leaflet-bottom.leaflet-left { margin-bottom: 30px; }
.rk-minimap { width: 150px; height: 110px; border: 1px solid #999; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.rk-minimap .leaflet-container, .rk-minimap { background: #eef3f7; }
"""


class Panes(MacroElement):
    """Create the panes (z-order) the layers use and keep a zoom class on the map for label density."""

    _template = Template(
        r"""
{% macro script(this, kwargs) %}
{{ this.layer_js }}
window.rkDecode = function (fc, scale, key) {
    // Lines and rings arrive as polyline strings (geo.maps.geometry.encode_coords): decode to GeoJSON.
    function line(s) {
        var pts = [], i = 0, x = 0, y = 0;
        while (i < s.length) {
            for (var k = 0; k < 2; k++) {
                var r = 0, sh = 0, b;
                do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << sh; sh += 5; } while (b >= 32);
                var d = (r & 1) ? ~(r >> 1) : (r >> 1);
                if (k === 0) { x += d; } else { y += d; }
            }
            pts.push([x / scale, y / scale]);
        }
        return pts;
    }
    function walk(a) { return typeof a === "string" ? line(a) : a.map(walk); }
    // Shared arcs (geo.maps.arcs): decoded once, then each ring is its arcs joined (~i: arc i backwards).
    // a layer may use the arcs of another one (the border, those of the regions): fc.ref names it
    window.rkArcs = window.rkArcs || {};
    var arcs = fc.ref ? window.rkArcs[fc.ref] : (fc.arcs || []).map(line);
    if (key && fc.arcs) { window.rkArcs[key] = arcs; }
    function ring(ids) {
        var out = [];
        ids.forEach(function (i) {
            var a = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
            out = out.length ? out.concat(a.slice(1)) : a.slice();
        });
        return out;
    }
    fc.features.forEach(function (f) {
        var g = f.geometry;
        if (g.arcs !== undefined) {
            var coords = g.type === "Polygon" ? g.arcs.map(ring)
                : g.type === "MultiPolygon" ? g.arcs.map(function (p) { return p.map(ring); })
                : g.type === "LineString" ? ring(g.arcs) : g.arcs.map(ring);
            f.geometry = {type: g.type, coordinates: coords};
        } else if (g.enc !== undefined) { f.geometry = {type: g.type, coordinates: walk(g.enc)}; }
    });
    delete fc.arcs;
    delete fc.ref;
    // Repeated markup (geo.maps.fragments): "{n}" stands for fragment n (braces never come from data).
    if (fc.frag) {
        var frag = fc.frag;
        var expand = function (s) { return s.replace(/\{(\d+)\}/g, function (m, i) { return frag[+i]; }); };
        fc.features.forEach(function (f) {
            var p = f.properties;
            if (typeof p.tip === "string") { p.tip = expand(p.tip); }
            if (typeof p.popup === "string") { p.popup = expand(p.popup); }
            if (p.tips) { p.tips = p.tips.map(expand); }
            if (p.icon && typeof p.icon.html === "string") { p.icon.html = expand(p.icon.html); }
        });
        delete fc.frag;
    }
    return fc;
};
(function (map) {
    var panes = {{ this.panes_js }};
    Object.keys(panes).forEach(function (name) { map.createPane(name).style.zIndex = panes[name]; });
    function zoomClass() { map.getContainer().classList.toggle("rk-zoom-low", map.getZoom() < {{ this.minor_zoom }}); }
    // Labels that would overlap: keep the higher-ranked (cities, then larger regions), hide the others.
    function declutter() {
        var spans = Array.prototype.slice.call(map.getContainer().querySelectorAll(".rk-label span[data-rank]"));
        spans.forEach(function (s) { s.parentNode.classList.remove("rk-label-hidden"); });
        spans.sort(function (a, b) { return a.getAttribute("data-rank") - b.getAttribute("data-rank"); });
        var kept = [];
        spans.forEach(function (s) {
            var r = s.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) { return; }
            var hit = kept.some(function (k) {
                return r.left < k.right + 2 && r.right > k.left - 2 && r.top < k.bottom + 1 && r.bottom > k.top - 1;
            });
            if (hit) { s.parentNode.classList.add("rk-label-hidden"); } else { kept.push(r); }
        });
    }
    window.rkDeclutter = declutter;
    // Project markers that would overlap on screen (the same place, or neighbours at this zoom) are spread on
    // a circle around their common centre, so that every one can be seen and clicked; groups whose spread
    // markers would still touch another group are merged until none overlaps. Their positions on the map do
    // not change (popups still point at the published place).
    function fan() {
        var markers = [];
        map.eachLayer(function (l) {
            if (l instanceof L.Marker && l._icon && l._icon.classList.contains("rk-project")) { markers.push(l); }
        });
        var pts = markers.map(function (m) { return map.latLngToLayerPoint(m.getLatLng()); });
        var group = markers.map(function (m, i) { return i; });
        function root(i) { while (group[i] !== i) { i = group[i]; } return i; }
        function place() {
            var members = {}, at = [];
            markers.forEach(function (m, i) { (members[root(i)] = members[root(i)] || []).push(i); });
            Object.keys(members).forEach(function (g) {
                var ids = members[g], n = ids.length, cx = 0, cy = 0;
                ids.forEach(function (i) { cx += pts[i].x / n; cy += pts[i].y / n; });
                var r = n > 1 ? 11 / Math.sin(Math.PI / n) : 0;
                ids.forEach(function (i, k) {
                    var a = -Math.PI / 2 + 2 * Math.PI * k / n;
                    at[i] = n > 1 ? L.point(cx + r * Math.cos(a), cy + r * Math.sin(a)) : pts[i];
                });
            });
            return at;
        }
        var at = place();
        for (var round = 0; round < 20; round++) {
            var merged = false;
            for (var i = 0; i < markers.length; i++) {
                for (var j = i + 1; j < markers.length; j++) {
                    if (root(i) !== root(j) && at[i].distanceTo(at[j]) < 21) { group[root(j)] = root(i); merged = true; }
                }
            }
            if (!merged) { break; }
            at = place();
        }
        markers.forEach(function (m, i) {
            var el = m._icon, dx = Math.round(at[i].x - pts[i].x), dy = Math.round(at[i].y - pts[i].y);
            el.style.marginLeft = (dx - 10) + "px";
            el.style.marginTop = (dy - 10) + "px";
            el.classList.toggle("rk-fanned", dx !== 0 || dy !== 0);
        });
        window.rkFanRuns = (window.rkFanRuns || 0) + 1;
    }
    window.rkFan = fan;
    map.on("zoomend overlayadd", function () { setTimeout(fan, 0); });
    map.whenReady(function () { setTimeout(fan, 0); });
    map.on("zoomend", zoomClass);
    map.on("zoomend moveend overlayadd resize", function () { setTimeout(declutter, 0); });
    map.whenReady(function () { setTimeout(declutter, 0); });
    zoomClass();
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, *, minor_zoom: int = 6) -> None:
        super().__init__()
        self._name = "Panes"
        self.panes_js = js_data(PANES)
        self.minor_zoom = int(minor_zoom)
        self.layer_js = LAYER_JS


class RawHTML(Element):
    """A piece of HTML written to the page as it is.

    Not compiled as a Jinja template, which would be slow for Leaflet's 150 kB and could misread its braces).
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawHTML"
        self.text = text

    def render(self, **kwargs: object) -> str:
        """The HTML itself."""
        return self.text


def hatch_pattern() -> RawHTML:
    """The SVG pattern of "no data" (white, grey diagonal lines), referenced by ``fill="url(#rk-hatch)"``."""
    return RawHTML(
        '<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false"><defs>'
        '<pattern id="rk-hatch" patternUnits="userSpaceOnUse" width="5" height="5" '
        'patternTransform="rotate(45)">'
        f'<rect width="5" height="5" fill="{NO_DATA_COLOR}"/>'
        f'<line x1="0" y1="0" x2="0" y2="5" stroke="{NO_DATA_HATCH}" stroke-width="1.6"/></pattern></defs></svg>'
    )


class Stylesheet(RawHTML):
    """The map's CSS (one ``<style>`` in the header)."""

    def __init__(self, css: str = CSS) -> None:
        from geo.maps.offline import _compact_css

        super().__init__(f"<style>{_compact_css(css)}</style>")


class Title(MacroElement):
    """The title box at the top of the map (title and an optional subtitle, both escaped)."""

    _template = Template(
        """
{% macro html(this, kwargs) %}
<div class="rk-title"><h1>{{ this.title_html }}</h1>
{%- if this.subtitle_html %}<div>{{ this.subtitle_html }}</div>{% endif %}</div>
{% endmacro %}
"""
    )

    def __init__(self, title: str, subtitle: str = "") -> None:
        super().__init__()
        self._name = "Title"
        self.title_html = esc(title)
        self.subtitle_html = esc(subtitle)


class SourcesLine(MacroElement):
    """The sources/attribution line at the bottom left of the map (each source escaped)."""

    _template = Template(
        """
{% macro html(this, kwargs) %}
<div class="rk-sources">{{ this.body }}</div>
{% endmacro %}
{% macro script(this, kwargs) %}
(function (map) {
    // The bottom-left controls (scale, minimap) sit just above the sources line, however many lines it takes.
    var line = document.querySelector(".rk-sources");
    var corner = map.getContainer().querySelector(".leaflet-bottom.leaflet-left");
    function fit() { corner.style.marginBottom = (line.offsetHeight + 4) + "px"; }
    if (line && corner) { fit(); window.addEventListener("resize", fit); }
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, label: str, sources: list[str]) -> None:
        super().__init__()
        self._name = "SourcesLine"
        self.body = f"<b>{esc(label)}:</b> " + "; ".join(esc(s) for s in sources if s)


class ScaleBar(MacroElement):
    """Leaflet's scale bar in kilometres only (the readers of these maps measure in km; folium's adds miles)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
L.control.scale({position: "bottomleft", imperial: false, maxWidth: 120}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ScaleBar"


class Fullscreen(MacroElement):
    """A fullscreen toggle button (the browser's Fullscreen API; no plugin)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
    var ctl = L.control({position: "topleft"});
    ctl.onAdd = function () {
        var div = L.DomUtil.create("div", "leaflet-bar rk-fullscreen");
        var a = L.DomUtil.create("a", "", div);
        a.href = "#"; a.title = {{ this.label|tojson }}; a.setAttribute("role", "button");
        a.innerHTML = '<svg width="14" height="14" viewBox="0 0 14 14" fill="none" stroke="#333" stroke-width="2">' +
            '<path d="M1 5V1h4M9 1h4v4M13 9v4H9M5 13H1V9"/></svg>';
        L.DomEvent.on(a, "click", function (e) {
            L.DomEvent.preventDefault(e);
            var el = map.getContainer();
            if (document.fullscreenElement) { document.exitFullscreen(); }
            else if (el.requestFullscreen) { el.requestFullscreen(); }
        });
        L.DomEvent.disableClickPropagation(div);
        return div;
    };
    ctl.addTo(map);
    document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, label: str = "Full screen") -> None:
        super().__init__()
        self._name = "Fullscreen"
        self.label = label


class MiniMap(MacroElement):
    """An overview map of both countries (vector outlines, no tiles) with the main map's view as a rectangle."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
    var ctl = L.control({position: "bottomleft"});
    ctl.onAdd = function () {
        var div = L.DomUtil.create("div", "rk-minimap");
        L.DomEvent.disableClickPropagation(div);
        return div;
    };
    ctl.addTo(map);
    var el = ctl.getContainer();
    var mini = L.map(el, {attributionControl: false, zoomControl: false, dragging: false, scrollWheelZoom: false,
                          doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false});
    var outline = L.geoJson(rkDecode({{ this.data_js }}, {{ this.scale }}), {className: "rk-minimap-outline",
        interactive: false, style: function (f) { return f.properties.style; }}).addTo(mini);
    mini.fitBounds(outline.getBounds());
    var box = L.rectangle(map.getBounds(), {color: "#b2182b", weight: 1.5, fill: true, fillOpacity: 0.1,
                                             interactive: false}).addTo(mini);
    map.on("moveend zoomend resize", function () { box.setBounds(map.getBounds()); });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, outlines: gpd.GeoDataFrame) -> None:
        super().__init__()
        self._name = "MiniMap"
        # One outline per country, on a 0.1° grid (geo.maps.background.country_outlines).
        props = [
            {"style": {"stroke": False, "fillColor": COUNTRY_FILL.get(c, "#dddddd"), "fillOpacity": 1}}
            for c in outlines["country"]
        ]
        self.data_js = collection_js(features(outlines, props, decimals=1))
        self.scale = 10


def layer_control(*, collapsed: bool = False) -> folium.LayerControl:
    """Folium's layer control (lists every overlay by its name)."""
    return folium.LayerControl(collapsed=collapsed, position="topright")


def add_controls(
    m: folium.Map,
    *,
    title: str,
    subtitle: str,
    sources_label: str,
    sources: list[str],
    overview: gpd.GeoDataFrame | None,
    fullscreen_label: str = "Full screen",
) -> None:
    """Add title, scale bar, sources line, fullscreen button, minimap (``overview``: country outlines), layers."""
    Title(title, subtitle).add_to(m)
    ScaleBar().add_to(m)
    SourcesLine(sources_label, sources).add_to(m)
    Fullscreen(fullscreen_label).add_to(m)
    if overview is not None and not overview.empty:
        MiniMap(overview).add_to(m)
    layer_control().add_to(m)
