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
from browser import Browser, chromium_path, settle

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
    assert (
        counts["labels"] == 29 + 3
    )  # 32 regions less the polygons of Astana, Almaty and Shymkent, + 3 city labels
    assert "Border with the other country" in counts["legend"] and "no site or region" in counts["legend"]
    assert "Natural Earth" in counts["sources"] and "© OpenStreetMap contributors" in counts["sources"]
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


# -- issue 13: readable defaults, Kazakh, time, accessibility, in a real browser -------------------------
def test_legend_swatches_are_the_drawn_colours_and_zero_is_its_own_class(browser, offline_map):
    browser.open(offline_map.as_uri())
    got = browser.eval("""(() => {
        const fill = code => {
            const layer = Object.keys(window).filter(k => /^vector_layer_[0-9a-f]+_main$/.test(k))
                .map(k => window[k]).flatMap(g => g.getLayers())
                .find(l => l.feature && l.feature.properties.code === code && l._path
                      && l._path.classList.contains("rk-region"));
            const cs = getComputedStyle(layer._path);
            return [cs.fill, cs.fillOpacity];
        };
        const rows = [...document.querySelectorAll(".rk-legend .rk-row")].map(r => {
            const i = r.querySelector("i"); if (!i) { return null; }
            const cs = getComputedStyle(i);
            return [r.textContent.trim(), cs.backgroundColor, cs.opacity, cs.backgroundImage];
        }).filter(Boolean);
        return {rows: rows, orenburg: fill("RU-ORE"), akmola: fill("KZ-11"), tyumen: fill("RU-TYU")};
    })()""")
    legend = {label: (color, opacity) for label, color, opacity, _ in got["rows"]}
    assert "0 (none)" in legend
    # Akmola (0 km) is in the zero class, Tyumen (173 km) in the first class of the others
    assert got["akmola"][0] == legend["0 (none)"][0] and got["tyumen"][0] != got["akmola"][0]
    top = next(label for label in legend if label.endswith(" – 1,942"))  # Orenburg's 1,942 km: the top class
    assert got["orenburg"] == [legend[top][0], "1"] and legend[top][1] == "1"  # same colour, same opacity


def test_no_data_is_hatched_in_map_and_legend(browser, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("region,v\nKostanay,1\nOmsk,2\n", encoding="utf-8")
    page = tmp_path / "nodata.html"
    save_map(build_map(table, metric="v", projects=False, links=False), page)
    browser.open(page.as_uri())
    got = browser.eval("""({
        fills: [...document.querySelectorAll("path.rk-region")].map(p => p.getAttribute("fill")),
        pattern: !!document.querySelector("pattern#rk-hatch"),
        swatch: getComputedStyle(document.querySelector(".rk-legend i.rk-nodata")).backgroundImage
    })""")
    assert got["pattern"] and got["fills"].count("url(#rk-hatch)") == 32 - 2
    assert "repeating-linear-gradient" in got["swatch"]


def test_cities_are_labelled_points_and_shared_markers_are_all_clickable(browser, offline_map):
    browser.open(offline_map.as_uri())
    settle(browser)
    probe = """(() => {
        rkFan();  // as after every zoom: measure the layout the page makes for the view it shows now
        const cities = [...document.querySelectorAll("path.rk-city")].map(p => p.getBoundingClientRect().width);
        const labels = [...document.querySelectorAll(".rk-label-city")].map(e => e.textContent);
        const markers = [...document.querySelectorAll(".leaflet-marker-icon.rk-project")];
        const hits = markers.map(m => {  // every project marker is on top at its own centre: clickable
            const r = m.getBoundingClientRect();
            const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return m.contains(top);
        });
        const rects = [...document.querySelectorAll(".rk-fanned")].map(m => m.getBoundingClientRect());
        return {cities, labels, hits, n: rects.length,
                apart: rects.every((a, i) => rects.every((b, j) => i === j || Math.hypot(
                    a.left - b.left, a.top - b.top) >= 20))};
    })()"""
    got = browser.eval(probe)
    assert sorted(got["labels"]) == ["Almaty", "Astana", "Shymkent"]
    assert len(got["cities"]) == 3 and min(got["cities"]) >= 10  # at least 10 px on screen
    assert got["n"] >= 2 and all(got["hits"]) and got["apart"]
    # one zoom level out, more markers share a place on screen: still every one clickable
    name = browser.eval("Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))")
    browser.eval(f"{name}.setZoom({name}.getZoom() - 1, {{animate: false}}); null")
    settle(browser)
    out = browser.eval(probe)
    assert out["n"] >= 2 and all(out["hits"]) and out["apart"]


def test_region_labels_do_not_overlap(browser, offline_map):
    browser.open(offline_map.as_uri())
    settle(browser)
    overlaps = browser.eval("""(() => {
        const r = [...document.querySelectorAll(".rk-label:not(.rk-label-hidden) span")]
            .map(s => s.getBoundingClientRect()).filter(b => b.width > 0);
        let n = 0;
        r.forEach((a, i) => r.forEach((b, j) => { if (i < j && a.left < b.right && a.right > b.left
            && a.top < b.bottom && a.bottom > b.top) { n++; } }));
        return n;
    })()""")
    assert overlaps == 0


CORNER_JS = """(() => {
    const top = document.querySelector(".rk-sources").getBoundingClientRect().top;
    const boxes = [".leaflet-control-scale", ".rk-minimap"]
        .map(s => document.querySelector(s)).filter(e => e).map(e => e.getBoundingClientRect());
    return {n: boxes.length, below: boxes.filter(b => b.bottom > top).length};
})()"""


@pytest.mark.parametrize("lang", ["en", "kk"])
def test_scale_and_minimap_stay_above_the_sources_line(browser, tmp_path, lang):
    page = tmp_path / f"{lang}.html"
    save_map(build_map(lang=lang), page)  # the Kazakh sources line takes five lines at 1400 px
    browser.open(page.as_uri())
    assert browser.eval(CORNER_JS) == {"n": 2, "below": 0}
    scale = browser.eval(
        '[...document.querySelectorAll(".leaflet-control-scale-line")].map(e => e.textContent)'
    )
    assert len(scale) == 1 and scale[0].endswith("km")  # kilometres only
    browser.eval("document.body.style.width = '700px'; window.dispatchEvent(new Event('resize'))")
    assert browser.eval(CORNER_JS) == {"n": 2, "below": 0}  # a narrow window: more lines, still clear


def test_kazakh_map_in_the_browser(browser, tmp_path):
    page = tmp_path / "kk.html"
    save_map(build_map(lang="kk"), page)
    browser.open(page.as_uri())
    body = browser.eval("document.body.innerText")
    for word in ("Ресей мен Қазақстанның шекаралас өңірі", "Қостанай", "Орынбор", "0 (жоқ)", "Өңірлер"):
        assert word in body, word
    assert browser.eval("document.documentElement.lang") == "kk"
    assert not browser.errors()


def test_year_control_swaps_values_with_fixed_classes_and_keyboard(browser, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(
        "region,year,turnover\nKostanay,2021,10\nKostanay,2022,40\nOmsk,2021,40\nOmsk,2022,10\n",
        encoding="utf-8",
    )
    page = tmp_path / "year.html"
    m = build_map(table, metric="turnover", time="year", projects=False, links=False)
    save_map(m, page)
    html = page.read_text(encoding="utf-8")
    assert html.count('"enc"') < 200  # geometry once, not once per year
    browser.open(page.as_uri())
    state = """(() => ({year: document.querySelector(".rk-time output").textContent,
        kos: [...document.querySelectorAll("path.rk-region")].map(p => p.getAttribute("fill")),
        tip: Object.keys(window).filter(k => /^vector_layer_[0-9a-f]+_main$/.test(k)).map(k => window[k])
            .flatMap(g => g.getLayers()).find(l => l.feature && l.feature.properties.code === "KZ-39")
            .getTooltip().getContent()}))()"""
    last = browser.eval(state)
    assert last["year"] == "2022" and "40" in last["tip"] and "2022" in last["tip"]
    browser.eval('document.querySelector(".rk-time input").focus()')
    browser.send(
        "Input.dispatchKeyEvent",
        {"type": "keyDown", "key": "ArrowLeft", "code": "ArrowLeft", "windowsVirtualKeyCode": 37},
        session=True,
    )
    browser.send(
        "Input.dispatchKeyEvent",
        {"type": "keyUp", "key": "ArrowLeft", "code": "ArrowLeft", "windowsVirtualKeyCode": 37},
        session=True,
    )
    first = browser.eval(state)
    assert first["year"] == "2021" and "10" in first["tip"]
    assert sorted(first["kos"]) == sorted(last["kos"])  # the same two colours: classes fixed across years
    assert first["kos"] != last["kos"]
    assert not browser.errors()


def test_text_alternative_and_names_for_screen_readers(browser, tmp_path):
    page = tmp_path / "a11y.html"
    save_map(build_map(projects=False, links=False), page)
    browser.open(page.as_uri())
    got = browser.eval("""(() => {
        const t = document.querySelector(".rk-values table");
        return {caption: t.caption.textContent, rows: t.tBodies[0].rows.length,
                orenburg: [...t.tBodies[0].rows].find(r => r.cells[0].textContent.startsWith("Orenburg"))
                    .cells[1].textContent,
                role: document.querySelector(".leaflet-container").getAttribute("role"),
                label: document.querySelector(".leaflet-container").getAttribute("aria-label"),
                legend: document.querySelector(".rk-legend").getAttribute("aria-label"),
                h1: document.querySelector("h1").textContent};
    })()""")
    assert "Values by region" in got["caption"] and got["rows"] == 32
    assert got["orenburg"].replace(",", "").isdigit()
    assert got["role"] == "region" and "Russia–Kazakhstan" in got["label"] and got["legend"] == "Legend"


@pytest.mark.parametrize("hostile", ["{{7*7}}", XSS])
def test_hostile_text_everywhere_stays_text(browser, tmp_path, hostile):
    table = tmp_path / "t.csv"
    pd.DataFrame({"region": ["Kostanay", "Omsk"], hostile: [hostile, "b"]}).to_csv(table, index=False)
    page = tmp_path / "hostile.html"
    save_map(build_map(table, metric=hostile, title=hostile, unit=hostile, source=hostile), page)
    browser.open(page.as_uri())
    result = browser.eval(OPEN_ALL_JS)
    body = browser.eval("document.body.innerText")
    assert result["images"] == 0 and result["xss"] == "undefined"
    assert hostile in body and "49" not in body.replace("1:10m", "")
    assert hostile in browser.eval('document.querySelector(".rk-values").textContent')
    assert not browser.errors()


def test_hostile_period_labels_stay_text(browser, tmp_path):
    table = tmp_path / "t.csv"
    pd.DataFrame({"region": ["Kostanay", "Omsk"], "period": [XSS, "{{7*7}}"], "v": [1, 2]}).to_csv(
        table, index=False
    )
    page = tmp_path / "hostile_time.html"
    save_map(build_map(table, metric="v", time="period", projects=False, links=False), page)
    browser.open(page.as_uri())
    browser.eval("rkShowFrame(0)")
    shown = browser.eval('document.querySelector(".rk-time output").textContent')
    browser.eval("rkShowFrame(1)")
    shown += browser.eval('document.querySelector(".rk-time output").textContent')
    result = browser.eval(OPEN_ALL_JS)
    assert XSS in shown and "{{7*7}}" in shown
    assert result["images"] == 0 and result["xss"] == "undefined"
    assert not browser.errors()
