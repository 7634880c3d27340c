"""Write the example tables of ``examples/`` from the shipped, sourced data (never typed in by hand).

    python scripts/make_examples.py          # rewrite examples/*.csv and examples/trade_workbook.xlsx

- ``trade_by_year.csv``: full-year regional turnover statements in US dollars from ``data/attributes/trade.csv``
  (one per region and year, picked by ``trade_id``), region names spelled as statistics offices and the press
  spell them; ``qualifier`` keeps "over"/"almost" so that no "more than" becomes an exact figure.
- ``trade_workbook.xlsx``: the same rows in a workbook laid out like a statistics office's, with two title rows
  and a blank row above the header.
- ``kz_units_areas.csv``: the 20 current Kazakh units, including those created in 2018 and 2022 (Shymkent, Abai,
  Jetisu, Ulytau), with their official areas as collected in the project's ``shared/FACTS.md`` (mostly
  Wikipedia) and the source on every row.

``tests/test_examples.py`` checks that the files are what this script writes, and that every figure is the
shipped one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geo  # noqa: E402

EXAMPLES = ROOT / "examples"

#: (trade_id, the region as a user's table spells it). Full-year turnover in USD, one per region and year.
TRADE_ROWS = [
    ("akt-ru-2017-diapazon", "Актюбинская область"),
    ("kz27-ru-2017-mgorod", "ЗКО"),
    ("ast-kz-2021-governor", "Астраханская обл."),
    ("al-kz-2022-qazaqstantv", "Altai Republic"),
    ("ore-kz-2025-sputnik", "Orenburg Oblast"),
]

#: Official areas (km²) of the 20 current Kazakh units, from the project's shared/FACTS.md.
KZ_AREAS = {
    "Abai Region": 185500, "Akmola Region": 146219, "Aktobe Region": 300629, "Almaty Region": 105263,
    "Atyrau Region": 118631, "East Kazakhstan Region": 97726, "Jambyl Region": 144264, "Jetisu Region": 118500,
    "Karaganda Region": 239045, "Kostanay Region": 196001, "Kyzylorda Region": 226000,
    "Mangystau Region": 165642, "North Kazakhstan Region": 97993, "Pavlodar Region": 124800,
    "Turkistan Region": 117249, "Ulytau Region": 188937, "West Kazakhstan Region": 151339, "Astana": 797,
    "Almaty": 680, "Shymkent": 1170,
}  # fmt: skip
KZ_AREA_SOURCE = "official area as collected in rukz-geo shared/FACTS.md (mostly Wikipedia)"
KZ_AREA_NOTES = {"Kyzylorda Region": "the regional portal gives 251,971 km²"}
TITLE = "Trade turnover with the other country, USD million (statements as published)"
SUBTITLE = "Source: rukz-geo data/attributes/trade.csv; each row's source in the columns source and trade_id"


def trade_table() -> list[dict[str, object]]:
    """The rows of ``trade_by_year.csv``, taken from :func:`geo.trade` by id."""
    trade = geo.trade().set_index("id")
    rows = []
    for trade_id, spelling in TRADE_ROWS:
        row = trade.loc[trade_id]
        assert row["currency"] == "USD" and row["unit"] == "million" and row["period_type"] == "year", (
            trade_id
        )
        rows.append(
            {
                "region": spelling,
                "year": int(row["period"]),
                "partner": {"RU": "Russia", "KZ": "Kazakhstan"}[row["partner"]],
                "turnover_usd_mn": float(row["value"]),
                "qualifier": row["qualifier"],
                "source": row["source"],
                "trade_id": trade_id,
            }
        )
    return rows


def area_table() -> list[dict[str, object]]:
    """The rows of ``kz_units_areas.csv``: every current Kazakh unit by its English name."""
    cat = geo.catalog().table
    names = set(cat[cat["country"] == "KZ"]["name_en"])
    assert names == set(KZ_AREAS), names ^ set(KZ_AREAS)
    return [
        {"region": n, "area_km2_official": a, "source": KZ_AREA_SOURCE, "note": KZ_AREA_NOTES.get(n, "")}
        for n, a in KZ_AREAS.items()
    ]


def csv_text(rows: list[dict[str, object]]) -> str:
    """Rows as CSV text, with ``\\n`` line ends."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def write_workbook(path: Path, rows: list[dict[str, object]]) -> None:
    """The trade rows under two title rows and a blank row, as statistics offices publish them."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "trade"
    ws.append([TITLE])
    ws.append([SUBTITLE])
    ws.append([])
    ws.append(list(rows[0]))
    for row in rows:
        ws.append(list(row.values()))
    fixed = dt.datetime(2026, 11, 23)  # a fixed date: the workbook is the same bytes on every run
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "rukz-geo scripts/make_examples.py"
    wb.save(path)


def main() -> None:
    """Write the three example files."""
    EXAMPLES.mkdir(exist_ok=True)
    trade = trade_table()
    (EXAMPLES / "trade_by_year.csv").write_text(csv_text(trade), encoding="utf-8")
    (EXAMPLES / "kz_units_areas.csv").write_text(csv_text(area_table()), encoding="utf-8")
    write_workbook(EXAMPLES / "trade_workbook.xlsx", trade)
    for name in ("trade_by_year.csv", "kz_units_areas.csv", "trade_workbook.xlsx"):
        print(EXAMPLES / name)


if __name__ == "__main__":
    main()
