"""The offline map in a real browser (headless Chromium): it renders, loads nothing, and data stay inert text.

Needs Debian's ``chromium`` (installed by ``.ci/run``). Without it these tests are skipped locally, and fail under
``CI=true``. One Chromium is started for the whole module.
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import geo
from geo.maps import build_map, save_map

sys.path.insert(0, str(Path(__file__).parent))
from browser import Browser, chromium_path

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
DATA = Path(geo.__file__).resolve().parent.parent / "data" / "attributes"

COUNTS_JS = """({
    regions: document.querySelectorAll("path.rk-region").length,
    border: document.querySelectorAll("path.rk-border").length,
    halo: document.querySelectorAll("path.rk-border-halo").length,
    links: document.querySelectorAll("path.rk-link").length,
    markers: document.querySelectorAll(".leaflet-marker-icon.rk-project").length,
    lines: document.querySelectorAll("path.rk-project-line").length,
    labels: document.querySelectorAll(".rk-label").length,
    legend: (document.querySelector(".rk-legend") || {}).textContent || "",
    sources: (document.querySelector(".rk-sources") || {}).textContent || "",
    title: (document.querySelector(".rk-title") || {}).textContent || ""
})"""

# Open every tooltip and popup of every vector layer in turn, and keep what each showed as text.
OPEN_ALL_JS = """(async () => {
    const texts = [];
    const names = Object.keys(window).filter(k => /^vector_layer_[0-9a-f]+$/.test(k));
    const leaves = [];
    const collect = l => (l.getLayers ? l.getLayers().forEach(collect) : leaves.push(l));
    names.forEach(name => collect(window[name]));
    {
        for (const layer of leaves) {
            if (layer.getTooltip()) { layer.openTooltip(); texts.push(layer.getTooltip().getElement().textContent); }
            if (layer.getPopup()) {
                layer.openPopup();
                texts.push(layer.getPopup().getElement().textContent);
            }
        }
    }
    await new Promise(r => setTimeout(r, 300));  // time for any onerror to fire
    return {texts: texts, images: document.querySelectorAll('img[src="x"]').length,
            xss: typeof window.__xss, scripts: document.querySelectorAll("script").length};
})()"""


@pytest.fixture(scope="module")
def browser():
    if chromium_path() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed; CI must install it (.ci/run: apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium); browser tests skipped")
    with Browser(width=1400, height=900) as b:
        yield b


@pytest.fixture(scope="module")
def offline_map(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("map") / "map.html"
    save_map(build_map(offline=True), path)
    return path


def expected_markers() -> int:
    p = geo.projects()
    p = p[p["mappable"]]
    return int(
        sum(len(getattr(g, "geoms", [g])) for g in p.geometry if g.geom_type in ("Point", "MultiPoint"))
    )


def test_offline_map_renders_without_errors_or_network(browser, offline_map, tmp_path):
    since = len(browser.events)
    browser.open(offline_map.as_uri())
    time.sleep(0.2)
    counts = browser.eval(COUNTS_JS)
    assert counts["regions"] == 32
    assert counts["border"] >= 1 and counts["halo"] >= 1
    assert counts["links"] == len(geo.links())
    assert counts["markers"] == expected_markers()
    assert counts["lines"] == int((geo.projects().geometry.geom_type == "LineString").sum())
    assert counts["labels"] == 32
    assert "Border with the other country" in counts["legend"] and "no site or region" in counts["legend"]
    assert "Natural Earth" in counts["sources"]
    assert "Russia–Kazakhstan" in counts["title"]
    text = browser.eval("document.body.innerText")
    assert "Abai" in text and "Jetisu" in text and "Ulytau" in text and "incl." not in text  # own polygons
    events = browser.events[since:]
    errors = [e for e in browser.errors() if e]
    assert not errors
    urls = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    assert urls and all(u.startswith(("file:", "data:")) for u in urls), urls

    png = browser.screenshot(tmp_path / "map.png")
    from PIL import Image, ImageStat

    img = Image.open(io.BytesIO(png)).convert("RGB")
    assert img.size == (1400, 900)
    stat = ImageStat.Stat(img)
    assert max(stat.stddev) > 20, "screenshot looks blank"
    assert len(img.getcolors(maxcolors=1 << 20)) > 200


def test_xss_probe_is_inert(browser, tmp_path):
    df = pd.read_csv(DATA / "projects.csv", dtype=str, keep_default_na=False)
    df.loc[df["id"] == "baikonur-cosmodrome", "name_en"] = XSS
    df.loc[df["id"] == "karachaganak-field", "name_en"] = '<img src=x onerror="window.__xss=1"> {{ 7*7 }}'
    df.loc[df["id"] == "karachaganak-field", "partners"] = (
        "`${window.__xss=2}` </script><script>window.__xss=3</script>"
    )
    projects = tmp_path / "projects.csv"
    df.to_csv(projects, index=False)
    page = tmp_path / "xss.html"
    save_map(build_map(offline=True, projects=projects, title=XSS), page)
    since = len(browser.events)
    browser.open(page.as_uri())
    result = browser.eval(OPEN_ALL_JS)
    assert result["images"] == 0
    assert result["xss"] == "undefined"
    shown = "\n".join(result["texts"])
    assert XSS in shown  # shown as text, verbatim
    assert "window.__xss=3" in shown
    assert 'onerror="window.__xss=1"> {{ 7*7 }}' in shown  # no template evaluation either
    assert XSS in browser.eval('document.querySelector(".rk-title").textContent')
    dialogs = [e for e in browser.events[since:] if e.get("method") == "Page.javascriptDialogOpening"]
    assert not dialogs
    assert not browser.errors()
