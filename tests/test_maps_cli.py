"""Maps: the `geo map` command."""

from __future__ import annotations

import os
from pathlib import Path

import maps_common
import pytest
from maps_common import write_table

from geo.cli import main
from geo.errors import OutputError
from geo.maps import save_map

# fixtures shared by the map tests
default_map = maps_common.default_map


# -- the command -------------------------------------------------------------------------------------
def run(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err.strip()
    return code, err


def test_cli_online_and_the_offline_alias(tmp_path, capsys):
    online, default, alias = (tmp_path / f"{n}.html" for n in ("online", "default", "alias"))
    assert run(["map", "-o", str(online), "--online", "--no-projects", "--no-links"], capsys)[0] == 0
    assert run(["map", "-o", str(default), "--no-projects", "--no-links"], capsys)[0] == 0
    assert run(["map", "-o", str(alias), "--offline", "--no-projects", "--no-links"], capsys)[0] == 0
    assert "cdn.jsdelivr.net" in online.read_text() and "cdn.jsdelivr.net" not in default.read_text()
    assert default.read_bytes() == alias.read_bytes()


def test_cli_default_map_writes_html(tmp_path, capsys):
    out = tmp_path / "map.html"
    code, _ = run(["map", "-o", str(out), "--offline"], capsys)
    assert code == 0 and out.read_text().startswith("<!DOCTYPE html>")
    code, err = run(["map", "-o", str(out), "--offline"], capsys)
    assert code == 2 and "--force" in err


@pytest.mark.parametrize(
    ("extra", "rows", "message"),
    [
        (["--metric", "nope"], {"Kostanay": 1, "Omsk": 2}, "no column 'nope'"),
        (
            ["--metric", "value"],
            {"Kostanay": "12", "Omsk": "13", "Akmola": "14", "Pavlodar": "1O"},
            "is not a number",
        ),
        (
            ["--metric", "value"],
            {"Kostanay": "", "Omsk": ""},
            "column 'value' has no values for the regions on the map; nothing to colour",
        ),
        (
            ["--metric", "value", "--scheme", "magic"],
            {"Kostanay": 1, "Omsk": 2},
            "unknown classification scheme",
        ),
        (["--metric", "value", "--lang", "de"], {"Kostanay": 1, "Omsk": 2}, "unknown language 'de'"),
        (["--metric", "value", "--k", "20"], {"Kostanay": 1, "Omsk": 2}, "from 2 to 9"),
        (["--metric", "value", "--tolerance", "-1"], {"Kostanay": 1, "Omsk": 2}, "tolerance"),
        (["--metric", "value", "--basemap", "no-such-tiles"], {"Kostanay": 1, "Omsk": 2}, "unknown basemap"),
    ],
    ids=["missing", "non-numeric", "all-missing", "scheme", "lang", "k", "tolerance", "basemap"],
)
def test_cli_bad_input_one_line_exit_2_no_file(tmp_path, capsys, extra, rows, message):
    table = write_table(tmp_path / "t.csv", rows)
    out = tmp_path / "map.html"
    code, err = run(["map", "--data", str(table), "-o", str(out), "--offline", *extra], capsys)
    assert code == 2
    assert err.startswith("geo: error:") and "\n" not in err and message in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]  # no partial or temporary file


@pytest.mark.parametrize(
    ("rows", "legend"),
    [({"Kostanay": 7, "Omsk": 7}, "7"), ({"Kostanay": -5, "Omsk": 3, "Altai Krai": -1}, "−5")],
)
def test_cli_single_value_and_negative_values_work(tmp_path, capsys, rows, legend):
    table = write_table(tmp_path / "t.csv", rows)
    out = tmp_path / "map.html"
    code, err = run(["map", "--data", str(table), "--metric", "value", "-o", str(out), "--offline"], capsys)
    assert code == 0, err
    assert legend in out.read_text()


def test_cli_unwritable_output(tmp_path, capsys, monkeypatch):
    code, err = run(["map", "-o", str(tmp_path / "missing" / "map.html"), "--offline"], capsys)
    assert code == 2 and "does not exist" in err
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        # root ignores permissions: let the OS answer "not writable" for this folder as it does for others.
        real_access = os.access
        monkeypatch.setattr(
            "geo._io.os.access", lambda p, mode: False if Path(p) == locked else real_access(p, mode)
        )
        code, err = run(["map", "-o", str(locked / "map.html"), "--offline"], capsys)
        assert code == 2 and err.startswith("geo: error:") and "\n" not in err
        assert f"cannot write {locked / 'map.html'}: folder {locked} is not writable" in err
        assert not any(locked.iterdir())
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("failing", ["map.html", "map.png"])
def test_cli_write_error_is_one_line_and_leaves_no_file(tmp_path, capsys, monkeypatch, failing):
    real_write = Path.write_bytes

    def disk_full(self, data):
        if self.name.startswith(f".{failing}."):  # the temporary file of that output
            real_write(self, data[: len(data) // 2])
            raise OSError(28, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    out, png = tmp_path / "map.html", tmp_path / "map.png"
    code, err = run(["map", "-o", str(out), "--offline", "--png", str(png)], capsys)
    assert code == 2
    assert (
        err == f"geo: error: cannot write {tmp_path / failing}: No space left on device; nothing was written"
    )
    assert list(tmp_path.iterdir()) == []  # neither the HTML nor the PNG nor a temporary file


def test_cli_failed_rename_keeps_the_old_files(tmp_path, capsys, monkeypatch):
    out, png = tmp_path / "map.html", tmp_path / "map.png"
    out.write_text("old html")
    png.write_text("old png")
    real_replace = os.replace

    def png_rename_fails(src, dst):
        if Path(dst) == png:
            raise OSError(5, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr("geo._io.os.replace", png_rename_fails)
    code, err = run(["map", "-o", str(out), "--offline", "--png", str(png), "--force"], capsys)
    assert code == 2 and err == f"geo: error: cannot write {png}: Input/output error; nothing was written"
    assert out.read_text() == "old html" and png.read_text() == "old png"  # the HTML was put back too
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html", "map.png"]


@pytest.mark.skipif(
    not (Path("/proc/self").is_dir() and os.access("/proc", os.W_OK)),
    reason="needs a /proc that os.access calls writable (Linux, as root)",
)
def test_cli_special_file_system_is_one_line(tmp_path, capsys):
    code, err = run(
        ["map", "-o", "/proc/rukz-map.html", "--offline", "--png", str(tmp_path / "m.png")], capsys
    )
    assert code == 2 and err.startswith("geo: error: cannot write /proc/rukz-map.html: ") and "\n" not in err
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_no_partial_file(tmp_path, monkeypatch, default_map):
    real = Path.write_text

    def half_then_fail(self, text, *args, **kwargs):
        real(self, text[: len(text) // 2], *args, **kwargs)
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", half_then_fail)
    with pytest.raises(OutputError, match=r"cannot write .*map\.html: disk full; nothing was written"):
        save_map(default_map, tmp_path / "map.html")
    assert list(tmp_path.iterdir()) == []


def test_cli_lang_ru_and_png(tmp_path, capsys):
    out, png = tmp_path / "map.html", tmp_path / "map.png"
    code, err = run(["map", "-o", str(out), "--lang", "ru", "--offline", "--png", str(png)], capsys)
    assert code == 0, err
    assert "Регионы" in out.read_text() and png.stat().st_size > 50_000


def test_cli_output_is_a_folder_or_bad_suffix(tmp_path, capsys):
    code, err = run(["map", "-o", str(tmp_path), "--offline", "--force"], capsys)
    assert code == 2 and "is a directory" in err
    out = tmp_path / "map.html"
    code, err = run(["map", "-o", str(out), "--offline", "--png", str(tmp_path / "map.gif")], capsys)
    assert code == 2 and "must end in .png" in err and not out.exists()


def test_cli_palette_time_and_kazakh(tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text(
        "region,year,turnover\nKostanay,2021,10\nKostanay,2022,40\nOmsk,2021,5\n", encoding="utf-8"
    )
    out, png = tmp_path / "y.html", tmp_path / "y.png"
    args = ["map", "--data", str(table), "--metric", "turnover", "--time", "year", "--palette", "Blues"]
    code, _ = run([*args, "--lang", "kk", "-o", str(out), "--png", str(png)], capsys)
    assert code == 0 and png.stat().st_size > 10_000
    html = out.read_text(encoding="utf-8")
    assert "rk-time" in html and "Жыл" in html and '"2021","2022"' in html
    code, err = run(["map", "--palette", "Rainbow", "-o", str(tmp_path / "x.html")], capsys)
    assert code == 2 and "unknown palette 'Rainbow'" in err and "\n" not in err
    code, err = run(["map", "--time", "year", "-o", str(tmp_path / "x.html")], capsys)
    assert code == 2 and "give the table with --data" in err
