"""Choropleth classes: any numeric column classed with mapclassify, colours, and a legend with units.

The three common schemes (``quantiles``, ``natural_breaks``, ``equal_interval``) are computed here with numpy
and give mapclassify's bins (the tests compare them with mapclassify on random data); every other scheme is
handed to mapclassify itself. The reason is time: importing mapclassify pulls in scipy.stats, scikit-learn and
matplotlib, about 2.6 s, more than the whole ``geo map`` budget of 2 s.

Classing never crashes on awkward data: all values missing gives one "no data" class, a single distinct value
gives one class, ``k`` larger than the number of distinct values is reduced, and empty classes (ties in
quantiles, whiskers beyond the data in box plots) are merged away. ``natural_breaks`` is computed with the
Fisher–Jenks algorithm, the exact optimum of the Jenks criterion, because mapclassify's ``NaturalBreaks``
starts from random seeds and would make equal inputs give different maps.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from geo.errors import MapOptionError
from geo.maps._checks import check_choice
from geo.maps.html import esc
from geo.maps.style import NO_DATA_COLOR

__all__ = ["SCHEMES", "Classes", "Legend", "classify"]

#: Scheme names accepted by ``--scheme`` and the mapclassify classifier each uses.
SCHEMES: dict[str, str] = {
    "quantiles": "quantiles",
    "natural_breaks": "fisher_jenks",
    "fisher_jenks": "fisher_jenks",
    "equal_interval": "equal_interval",
    "maximum_breaks": "maximum_breaks",
    "headtail_breaks": "headtail_breaks",
    "std_mean": "std_mean",
    "box_plot": "box_plot",
    "jenks_caspall": "jenks_caspall",
}
#: ColorBrewer YlOrRd (9 classes); classes take evenly spaced colours from the 2nd to the last.
PALETTE = ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"]


@dataclass
class Classes:
    """The classes of a choropleth.

    Attributes
    ----------
    bins
        Upper bound of each class (class ``i`` holds ``bins[i-1] < v <= bins[i]``; class 0 starts at the minimum).
    lower
        Lower bound of each class (the minimum for class 0).
    colors
        One colour per class.
    labels
        One legend label per class ("12.5 – 40.0").
    index
        Class of each input value, ``-1`` for missing values.
    counts
        Number of values per class.
    n_missing
        Number of missing values.
    scheme
        The scheme asked for.
    """

    bins: list[float]
    lower: list[float]
    colors: list[str]
    labels: list[str]
    index: np.ndarray
    counts: list[int]
    n_missing: int
    scheme: str
    k: int = field(init=False)

    def __post_init__(self) -> None:
        self.k = len(self.bins)

    def color_of(self, i: int) -> str:
        """Colour of class ``i`` (``-1``: no data)."""
        return NO_DATA_COLOR if i < 0 else self.colors[i]


def _decimals(values: np.ndarray) -> int:
    if values.size == 0 or np.allclose(values, np.round(values)):
        return 0
    span = float(np.nanmax(np.abs(values)))
    return 2 if span < 10 else 1 if span < 1000 else 0


def _fmt(v: float, d: int) -> str:
    return f"{v:,.{d}f}".replace("-", "−")


def _fisher_jenks(x: np.ndarray, k: int) -> list[float]:
    """Upper bounds of the ``k`` classes of sorted ``x`` minimising the within-class sum of squared deviations
    (Fisher's exact dynamic programme, O(k n²), vectorised over the start of the last class).
    """
    n = x.size
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])
    cost = np.full((k + 1, n + 1), np.inf)
    start = np.zeros((k + 1, n + 1), dtype=int)
    cost[0, 0] = 0.0
    for c in range(1, k + 1):
        for j in range(c, n + 1):
            i = np.arange(c - 1, j)  # the last class is x[i:j]
            total = s1[j] - s1[i]
            ssd = (s2[j] - s2[i]) - total * total / (j - i)
            cand = cost[c - 1, i] + np.maximum(ssd, 0.0)
            best = int(np.argmin(cand))
            cost[c, j], start[c, j] = cand[best], i[best]
    bounds, j = [], n
    for c in range(k, 0, -1):
        bounds.append(float(x[j - 1]))
        j = start[c, j]
    return sorted(bounds)


def _native_bins(y: np.ndarray, scheme: str, k: int) -> list[float] | None:
    """Mapclassify's bins for the common schemes, without importing mapclassify (``None``: not handled)."""
    if scheme == "quantiles":
        w = 100.0 / k
        p = np.arange(w, 100 + w, w)
        p[-1] = min(p[-1], 100.0)
        return [float(v) for v in np.unique(np.percentile(y, p))]
    if scheme == "equal_interval":
        lo, hi = float(y.min()), float(y.max())
        width = (hi - lo) / k
        cuts = np.arange(lo + width, hi + width, width)[:k]
        cuts[-1] = hi
        return [float(v) for v in cuts]
    if scheme == "fisher_jenks":
        return _fisher_jenks(np.sort(y), k)
    return None


def classify(values: pd.Series | np.ndarray | list, *, scheme: str = "quantiles", k: int = 5) -> Classes:
    """Class numeric values for a choropleth.

    Parameters
    ----------
    values
        Numbers; ``NaN``/``<NA>``/``None`` are "no data".
    scheme
        One of :data:`SCHEMES` (``quantiles``, ``natural_breaks``, ``equal_interval``, …).
    k
        Number of classes wanted (2–9); fewer are made when the data have fewer distinct values.

    Returns
    -------
    Classes
        Bounds, colours, legend labels and the class of every value.

    Raises
    ------
    MapOptionError
        Unknown scheme or ``k`` outside 2–9.
    """
    check_choice(scheme, list(SCHEMES), "classification scheme")
    if not isinstance(k, int | np.integer) or not 2 <= k <= 9:
        msg = f"k (number of classes) must be a whole number from 2 to 9, not {k!r}"
        raise MapOptionError(msg)
    y = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").to_numpy(dtype=float)
    missing = ~np.isfinite(y)
    valid = y[~missing]
    index = np.full(y.shape, -1, dtype=int)
    if valid.size == 0:
        return Classes([], [], [], [], index, [], int(missing.sum()), scheme)
    distinct = np.unique(valid)
    if distinct.size == 1:
        bins = [float(distinct[0])]
    else:
        kk = int(min(k, distinct.size))
        bins = _native_bins(valid, SCHEMES[scheme], kk)
        if bins is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                import mapclassify  # imported here: slow to import (see the module docstring)

                bins = [float(b) for b in mapclassify.classify(valid, SCHEMES[scheme], k=kk).bins]
        bins = sorted(set(bins))
        bins = [b for b in bins if b < distinct[-1]] + [float(distinct[-1])]
    edges = np.asarray(bins)
    cls = np.searchsorted(edges, valid, side="left")
    counts = np.bincount(cls, minlength=len(edges))
    keep = counts > 0  # merge empty classes into the next one
    edges = edges[keep]
    cls = np.searchsorted(edges, valid, side="left")
    counts = np.bincount(cls, minlength=len(edges))
    index[~missing] = cls
    lower = [float(valid.min())] + [float(b) for b in edges[:-1]]
    n = len(edges)
    picks = np.round(np.linspace(2, 8, n)).astype(int) if n > 1 else np.array([5])
    colors = [PALETTE[i] for i in picks]
    d = _decimals(np.concatenate([edges, lower]))
    labels = []
    for i, (lo, hi) in enumerate(zip(lower, edges, strict=True)):
        if lo == hi:
            labels.append(_fmt(hi, d))
        else:
            prefix = "" if i == 0 else "> "
            labels.append(f"{prefix}{_fmt(lo, d)} – {_fmt(hi, d)}")
    return Classes(
        [float(b) for b in edges],
        lower,
        colors,
        labels,
        index,
        [int(c) for c in counts],
        int(missing.sum()),
        scheme,
    )


class Legend(MacroElement):
    """The choropleth legend: title with unit, one swatch per class, and "no data" when some are missing.

    Parameters
    ----------
    classes
        From :func:`classify`.
    title
        Legend title (the metric's label), escaped here.
    unit
        Unit shown after the title, escaped here.
    no_data
        Label of the "no data" swatch (language-dependent).
    """

    _template = Template(
        """
{% macro html(this, kwargs) %}
<div class="rk-legend leaflet-control" id="{{ this.get_name() }}">{{ this.body }}</div>
{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
    var el = document.getElementById({{ this.get_name()|tojson }});
    var ctl = L.control({position: "bottomright"});
    ctl.onAdd = function () { L.DomEvent.disableClickPropagation(el); return el; };
    ctl.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    def __init__(
        self, classes: Classes, *, title: str, unit: str = "", no_data: str = "no data", extra: str = ""
    ) -> None:
        super().__init__()
        self._name = "Legend"
        head = esc(title) + (f' <span class="rk-unit">({esc(unit)})</span>' if unit else "")
        rows = [
            f'<div class="rk-row"><i style="background:{c}"></i>{esc(label)}</div>'
            for c, label in zip(classes.colors, classes.labels, strict=True)
        ]
        if classes.n_missing or not rows:
            rows.append(
                f'<div class="rk-row"><i class="rk-nodata" style="background:{NO_DATA_COLOR}"></i>'
                f"{esc(no_data)}</div>"
            )
        self.body = f'<div class="rk-legend-title">{head}</div>' + "".join(rows) + extra
