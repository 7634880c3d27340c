"""PostGIS export and read-back against a real PostgreSQL + PostGIS server started from the Debian packages.

The server runs from a temporary folder on a loopback port (as the ``postgres`` user when the tests run as
root, which initdb refuses). Without the binaries the tests are skipped with the reason; under ``CI=true`` they
must run (.ci/run installs postgresql and postgresql-15-postgis-3).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import geo
from geo.cli import main
from geo.errors import GeoInputError, OutputError
from geo.exports import build_layers

psycopg = pytest.importorskip("psycopg", reason="the [postgis] extra (psycopg) is not installed")
from geo.exports.postgis import export_postgis, read_postgis  # noqa: E402


def _missing(what: str) -> None:
    """Skip locally, fail in CI: a database test that did not run must not look like one that passed."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} (required when CI=true)")
    pytest.skip(what)


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dsn():
    bindir = _bindir()
    if bindir is None:
        _missing("PostgreSQL binaries not found (Debian: apt-get install postgresql postgresql-15-postgis-3)")
    version = bindir.parent.name
    if not glob.glob(f"/usr/share/postgresql/{version}/extension/postgis.control"):
        _missing(f"PostGIS for PostgreSQL {version} not installed (Debian: postgresql-{version}-postgis-3)")
    root = Path(tempfile.mkdtemp(prefix="rukz-pg-"))
    user = {}
    if os.geteuid() == 0:  # initdb refuses to run as root
        account = pwd.getpwnam("postgres") if _has_user("postgres") else pwd.getpwnam("nobody")
        os.chown(root, account.pw_uid, account.pw_gid)
        user = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
    data, port = root / "data", _free_port()

    def run(*args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, cwd=root, **user)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "geo", "--auth=trust", "-E", "UTF8", "--locale=C")
        opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "log"), "-w", "start")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc.stderr.decode(errors='replace')[-500:]}")
    try:
        yield f"postgresql://geo@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True, **user
        )
        shutil.rmtree(root, ignore_errors=True)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _query(dsn: str, sql: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchall()


def _execute(dsn: str, sql: str) -> None:
    with psycopg.connect(dsn) as conn:
        conn.execute(sql)


def test_export_all_layers_with_spatial_indexes_and_read_back(dsn):
    tables = export_postgis(dsn, force=True)
    assert tables == ["public.regions", "public.border", "public.projects", "public.links"]
    indexes = {
        r[0] for r in _query(dsn, "SELECT tablename FROM pg_indexes WHERE indexdef LIKE '%USING gist%'")
    }
    assert indexes == {"regions", "border", "projects", "links"}
    types = dict(_query(dsn, "SELECT f_table_name, type FROM geometry_columns WHERE srid = 4326"))
    # Polygons promoted to multi with the multipolygons; projects mix points and lines: a generic column.
    assert types == {
        "regions": "MULTIPOLYGON",
        "border": "MULTILINESTRING",
        "projects": "GEOMETRY",
        "links": "LINESTRING",
    }
    built = build_layers(layers=["regions", "links"])
    back = read_postgis(dsn, "regions")
    assert back.crs.to_epsg() == 4326
    assert back["code"].tolist() == built["regions"]["code"].tolist()
    assert shapely.equals(back.geometry.to_numpy(), built["regions"].geometry.to_numpy()).all()
    assert len(read_postgis(dsn, "links")) == len(built["links"])
    # An indexed spatial query: the region holding Oral (West Kazakhstan).
    hit = _query(
        dsn, "SELECT code FROM regions WHERE ST_Contains(geom, ST_SetSRID(ST_Point(51.37, 51.23), 4326))"
    )
    assert hit == [("KZ-27",)]
    # Boundaries read back from the database work as the regions of the other calls.
    located = geo.locate(pd.DataFrame({"lon": [51.37], "lat": [51.23]}), regions=back)
    assert located["code"].tolist() == ["KZ-27"]


def test_user_columns_are_quoted_and_reserved_names_renamed(dsn):
    table = pd.DataFrame(
        {"region": ["KZ-27", "RU-ORE"], 'x"; DROP TABLE regions; --': [1.5, 2.5], "geom": ["a", "b"]}
    )
    regions = geo.regions()
    joined = regions.merge(table.rename(columns={"region": "code"}), on="code", how="left")
    export_postgis(dsn, layers="regions", regions=gpd.GeoDataFrame(joined, crs=regions.crs), force=True)
    cols = [r[0] for r in _query(dsn, "SELECT column_name FROM information_schema.columns "
                                     "WHERE table_name = 'regions' ORDER BY ordinal_position")]  # fmt: skip
    assert 'x"; DROP TABLE regions; --' in cols and "geom_data" in cols and cols[0] == "fid"
    back = read_postgis(dsn, "regions").set_index("code")
    assert back.loc["KZ-27", 'x"; DROP TABLE regions; --'] == 1.5 and back.loc["KZ-27", "geom_data"] == "a"


def test_existing_tables_are_kept_without_force_and_nothing_is_half_written(dsn):
    export_postgis(dsn, layers="border", force=True)
    _execute(dsn, "DROP TABLE IF EXISTS projects")
    before = _query(dsn, "SELECT count(*) FROM border")
    with pytest.raises(OutputError, match=r"table public\.border exists; pass --force"):
        export_postgis(dsn, layers=["projects", "border"])  # projects is written first, then rolled back
    assert _query(dsn, "SELECT count(*) FROM border") == before
    assert _query(dsn, "SELECT to_regclass('public.projects')") == [(None,)]


def test_cli_export_postgis(dsn, capsys):
    assert main(["export", "-f", "postgis", "--dsn", dsn, "--layers", "projects", "--force"]) == 0
    assert "public.projects" in capsys.readouterr().out
    assert main(["export", "-f", "postgis", "--layers", "projects"]) == 2
    assert "--dsn" in capsys.readouterr().err


def test_connection_errors_are_one_line(dsn):
    port = int(dsn.rsplit(":", 1)[1].split("/")[0])
    bad = f"postgresql://geo:secret@127.0.0.1:{port + 1}/postgres"
    with pytest.raises(OutputError, match="cannot connect to PostgreSQL") as info:
        export_postgis(bad, layers="projects")
    assert "secret" not in str(info.value)
    with pytest.raises(GeoInputError, match=r"no table public\.nothing"):
        read_postgis(dsn, "nothing")
