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
from geo.maps.palettes import CATEGORICAL_PALETTE, DEFAULT_PALETTE, ZERO_COLOR, palette_colors, palette_kind
from geo.maps.style import NO_DATA_COLOR, NO_DATA_FILL

__all__ = ["SCHEMES", "Classes", "Legend", "classify", "classify_categories"]

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
        The scheme asked for (``"categories"`` for a categorical choropleth).
    zero
        Class 0 holds exactly the zeros (in a neutral colour).
    categorical
        One class per text value: ``labels`` are the categories, ``bins`` and ``lower`` are empty.
    """

    bins: list[float]
    lower: list[float]
    colors: list[str]
    labels: list[str]
    index: np.ndarray
    counts: list[int]
    n_missing: int
    scheme: str
    zero: bool = False
    categorical: bool = False
    k: int = field(init=False)

    def __post_init__(self) -> None:
        self.k = len(self.labels)

    def color_of(self, i: int) -> str:
        """Colour of class ``i`` (``-1``: no data)."""
        return NO_DATA_COLOR if i < 0 else self.colors[i]

    def fill_of(self, i: int) -> str:
        """Fill of class ``i`` in the HTML map: its colour, or the hatch pattern of "no data" (``-1``)."""
        return NO_DATA_FILL if i < 0 else self.colors[i]


def _decimals(values: np.ndarray) -> int:
    if values.size == 0 or np.allclose(values, np.round(values)):
        return 0
    span = float(np.nanmax(np.abs(values)))
    return 2 if span < 10 else 1 if span < 1000 else 0


def _fmt(v: float, d: int) -> str:
    return f"{v:,.{d}f}".replace("-", "−")


def _fisher_jenks(x: np.ndarray, k: int) -> list[float]:
    """Upper bounds of the ``k`` classes of sorted ``x`` with the least within-class squared deviation.

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


def _labels(lower: list[float], edges: list[float]) -> list[str]:
    d = _decimals(np.concatenate([np.asarray(edges), np.asarray(lower)]))
    labels = []
    for i, (lo, hi) in enumerate(zip(lower, edges, strict=True)):
        if lo == hi:
            labels.append(_fmt(hi, d))
        else:
            prefix = "" if i == 0 else "> "
            labels.append(f"{prefix}{_fmt(lo, d)} – {_fmt(hi, d)}")
    return labels


def _bins(valid: np.ndarray, scheme: str, k: int) -> np.ndarray:
    distinct = np.unique(valid)
    if distinct.size == 1:
        return np.asarray([float(distinct[0])])
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
    counts = np.bincount(np.searchsorted(edges, valid, side="left"), minlength=len(edges))
    return edges[counts > 0]  # merge empty classes into the next one


def classify(
    values: pd.Series | np.ndarray | list,
    *,
    scheme: str = "quantiles",
    k: int = 5,
    palette: str | None = None,
    zero_class: bool = True,
    zero_label: str = "0",
) -> Classes:
    """Class numeric values for a choropleth.

    Parameters
    ----------
    values
        Numbers; ``NaN``/``<NA>``/``None`` are "no data".
    scheme
        One of :data:`SCHEMES` (``quantiles``, ``natural_breaks``, ``equal_interval``, …).
    k
        Number of classes wanted (2–9) for the non-zero values; fewer are made when the data have fewer
        distinct values.
    palette
        A palette name (:func:`geo.maps.palettes.palette_names`); :data:`~geo.maps.palettes.DEFAULT_PALETTE`
        by default.
    zero_class
        When the values are all >= 0 and some are exactly 0 ("none": inland units have no border), zero is a
        class of its own in a neutral colour (:data:`~geo.maps.palettes.ZERO_COLOR`) and the positive values
        are classed apart, so that no unit with something shares a class with the units with nothing.
    zero_label
        Legend label of the zero class.

    Returns
    -------
    Classes
        Bounds, colours, legend labels and the class of every value.

    Raises
    ------
    MapOptionError
        Unknown scheme or palette, or ``k`` outside 2–9.
    """
    check_choice(scheme, list(SCHEMES), "classification scheme")
    if not isinstance(k, int | np.integer) or not 2 <= k <= 9:
        msg = f"k (number of classes) must be a whole number from 2 to 9, not {k!r}"
        raise MapOptionError(msg)
    palette = palette or DEFAULT_PALETTE
    palette_kind(palette)
    y = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").to_numpy(dtype=float)
    missing = ~np.isfinite(y)
    valid = y[~missing]
    index = np.full(y.shape, -1, dtype=int)
    if valid.size == 0:
        return Classes([], [], [], [], index, [], int(missing.sum()), scheme)
    zero = bool(zero_class and (valid == 0).any() and (valid > 0).any() and (valid >= 0).all())
    rest = valid[valid > 0] if zero else valid
    edges = _bins(rest, scheme, k)
    cls = np.searchsorted(edges, valid, side="left")
    lower = [float(rest.min())] + [float(b) for b in edges[:-1]]
    labels = _labels(lower, [float(b) for b in edges])
    colors = palette_colors(palette, len(edges))
    bins = [float(b) for b in edges]
    if zero:
        cls = np.where(valid == 0, 0, cls + 1)
        bins, lower = [0.0, *bins], [0.0, *lower]
        labels, colors = [zero_label, *labels], [ZERO_COLOR, *colors]
    index[~missing] = cls
    counts = np.bincount(cls, minlength=len(bins))
    return Classes(
        bins, lower, colors, labels, index, [int(c) for c in counts], int(missing.sum()), scheme, zero=zero
    )


def classify_categories(values: pd.Series | np.ndarray | list, *, palette: str | None = None) -> Classes:
    """One class per distinct text value (a categorical choropleth), most frequent first, then by name.

    Parameters
    ----------
    values
        Text; empty strings and missing values are "no data".
    palette
        A qualitative palette (:data:`~geo.maps.palettes.CATEGORICAL_PALETTE` by default; ``Paired`` and
        ``Set3`` have 12 colours).

    Raises
    ------
    MapOptionError
        More categories than the palette has colours.
    """
    s = pd.Series(values, dtype="object").map(lambda v: None if v is None or v != v else str(v).strip())
    s = s.where(s != "", None)
    counts = s.value_counts()
    order = sorted(counts.index, key=lambda c: (-int(counts[c]), str(c).casefold()))
    colors = palette_colors(palette or CATEGORICAL_PALETTE, len(order))
    lookup = {c: i for i, c in enumerate(order)}
    index = np.array([lookup.get(v, -1) if v is not None else -1 for v in s], dtype=int)
    return Classes(
        [],
        [],
        colors,
        [str(c) for c in order],
        index,
        [int(counts[c]) for c in order],
        int(s.isna().sum()),
        "categories",
        categorical=True,
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
            rows.append(f'<div class="rk-row"><i class="rk-nodata"></i>{esc(no_data)}</div>')
        self.body = f'<div class="rk-legend-title">{head}</div>' + "".join(rows) + extra
