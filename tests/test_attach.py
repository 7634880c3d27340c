"""The one path from a table to the regions: the same options and the same strictness for every entrance."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import geo
from geo.attach import TableOptions, attach
from geo.cli import main


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    path = tmp_path / "messy.csv"
    path.write_text("region,turnover\nOrenburg Oblast,627\nAktobe,1124.8\nAtlantis,5\n", encoding="utf-8")
    return path


def test_strict_by_default_refuses_a_table_with_problems(all_regions, messy: Path) -> None:
    with pytest.raises(geo.TableError, match="Atlantis") as info:
        attach(all_regions, messy)
    assert info.value.report is not None and info.value.report.count("unknown") == 1


def test_lenient_leaves_out_the_rows_without_a_code_and_says_so(all_regions, messy: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = attach(all_regions, messy, strict=False)
    assert result.left_out == 1 and result.with_data == 2
    assert any("leaving out 1 row" in str(w.message) for w in caught)
    by_code = result.regions.set_index("code")
    assert by_code.loc["RU-ORE", "turnover"] == 627 and by_code.loc["KZ-15", "turnover"] == 1124.8


def test_overrides_replace_single_options_and_unknown_ones_are_refused(all_regions) -> None:
    table = pd.DataFrame({"region": ["Omsk", "Omsk"], "year": [2020, 2021], "turnover": [1.0, 2.0]})
    result = attach(all_regions, table, keys=["year"], where={"year": 2021})
    assert result.regions.set_index("code").loc["RU-OMS", "turnover"] == 2.0
    with pytest.raises(geo.GeoInputError, match="unknown option"):
        attach(all_regions, table, colour="red")


def test_the_map_export_and_join_share_the_policy(messy: Path, tmp_path: Path, capsys) -> None:
    """One unknown region: every command refuses it alike, naming the row; --lenient lets join and map go on."""
    for argv in (
        ["join", str(messy), "-o", str(tmp_path / "j.gpkg")],
        ["map", "--data", str(messy), "--metric", "turnover", "-o", str(tmp_path / "m.html")],
        ["export", "-f", "geojson", "-o", str(tmp_path), "--layers", "regions", "--data", str(messy)],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "Atlantis" in err and "row 3" in err and "--lenient" in err, argv
    assert not list(tmp_path.glob("*.gpkg")) and not list(tmp_path.glob("*.html"))
    assert (
        main(
            ["map", "--data", str(messy), "--metric", "turnover", "--lenient", "-o", str(tmp_path / "m.html")]
        )
        == 0
    )
    assert "leaving out 1 row" in capsys.readouterr().err


def test_table_options_are_read_from_the_command_line() -> None:
    from geo.cli import build_parser
    from geo.cli._common import table_options

    args = build_parser().parse_args(
        [
            "join",
            "t.csv",
            "-o",
            "x.gpkg",
            "--keys",
            "year",
            "--where",
            "year=2021",
            "--additive",
            "n",
            "--lenient",
        ]
    )
    options = table_options(args)
    assert options == TableOptions(
        keys=("year",), where={"year": ["2021", 2021, 2021.0]}, additive=("n",), strict=False
    )


def test_map_additive_alone_means_the_metric_and_elsewhere_needs_names(tmp_path: Path, capsys) -> None:
    from geo.cli import build_parser
    from geo.cli._common import table_options

    args = build_parser().parse_args(["map", "--data", "t.csv", "--metric", "n", "--additive"])
    assert table_options(args, metric="n").additive == ("n",)
    table = tmp_path / "t.csv"
    table.write_text("region,n\nOmsk,1\n", encoding="utf-8")
    assert main(["join", str(table), "-o", str(tmp_path / "x.gpkg"), "--additive"]) == 2
    assert "--additive needs the names" in capsys.readouterr().err
