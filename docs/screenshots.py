"""Rebuild the map screenshots in docs/ (headless Chromium, as the browser tests drive it).

PYTHONPATH=$PWD python docs/screenshots.py

- map_en.png (also as map.png, the README's picture), map_ru.png, map_kk.png: the default self-contained map in
  each language;
- map_years.png: the year control on real, sourced figures (data/attributes/trade.csv: region-level trade
  turnover with Russia or Kazakhstan, million USD, one row per region and period; most regions have no figure
  in most periods, so they are "no data"); map_years_print.png: the same as small multiples for print.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import Browser, settle  # noqa: E402

from geo.maps import build_map, save_figure, save_map  # noqa: E402


def trade_by_period() -> pd.DataFrame:
    """Region-level turnover rows of the shipped trade table that name their period, one per region and period.

    Where two sources report the same region and period (e.g. the Kazakh embassy and the Astrakhan governor),
    the exact figure is kept over an approximate one ("over", "almost"), then the first row of the file.
    """
    t = pd.read_csv(ROOT / "data" / "attributes" / "trade.csv", dtype={"period": str})
    t = t[(t["scope"] == "region") & (t["measure"] == "turnover") & t["period"].notna()]
    t = t.assign(_approx=t["qualifier"] != "exact").sort_values("_approx", kind="stable")
    t = t.drop_duplicates(["region", "period"]).sort_index()
    return t.rename(columns={"value_usd_mn": "turnover_usd_mn"})[["region", "period", "turnover_usd_mn"]]


def main() -> None:
    out = ROOT / "docs"
    with tempfile.TemporaryDirectory() as tmp:
        pages = {f"map_{lang}": build_map(lang=lang) for lang in ("en", "ru", "kk")}
        pages["map_years"] = build_map(
            trade_by_period(),
            metric="turnover_usd_mn",
            time="period",
            k=3,
            source="data/attributes/trade.csv (diapazon.kz, Omsk and Orenburg reports; see its source column)",
            projects=False,
            links=False,
        )
        save_figure(pages["map_years"], out / "map_years_print.png", force=True, dpi=110)
        for name, m in pages.items():
            page = Path(tmp) / f"{name}.html"
            save_map(m, page)
            # a fresh Chromium per page: a reused headless one sometimes leaves the labels of a second page
            # unpainted in its screenshot (they are in the page; see the browser tests)
            with Browser(width=1400, height=900) as browser:
                browser.open(page.as_uri())
                settle(browser)  # the opening fitBounds animation is over, labels and markers placed
                time.sleep(1.0)  # software rendering of many hatched regions takes a while to paint
                browser.screenshot(out / f"{name}.png")
                errors = browser.errors()
            if errors:
                raise SystemExit(f"{name}: {errors}")
            print(f"wrote docs/{name}.png")
    shutil.copyfile(out / "map_en.png", out / "map.png")


if __name__ == "__main__":
    main()
