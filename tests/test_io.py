"""geo._io: special files refused, a path given twice refused, names claimed atomically, stale runs recovered."""

from __future__ import annotations

import fcntl
import json
import os
import socket
from pathlib import Path

import pytest

from geo._io import (
    RUN_PREFIX,
    atomic_path,
    atomic_paths,
    check_writable,
    recover,
    write_text,
)
from geo.cli import main
from geo.errors import OutputError


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- special files ------------------------------------------------------------------------------------
@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_character_device_is_refused_even_with_force(tmp_path):
    before = os.stat("/dev/null")
    with pytest.raises(OutputError, match=r"^/dev/null is a character device, not a regular file"):
        write_text(Path("/dev/null"), "x", force=True)
    link = tmp_path / "null.html"
    link.symlink_to("/dev/null")
    with pytest.raises(OutputError, match="is a character device"):
        write_text(link, "x", force=True)
    after = os.stat("/dev/null")
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)  # the node was not replaced
    assert link.is_symlink() and _listing(tmp_path) == ["null.html"]


def test_a_fifo_a_socket_and_a_directory_are_refused_even_with_force(tmp_path):
    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    folder = tmp_path / "dir.geojson"
    folder.mkdir()
    sock_path = tmp_path / "s.csv"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        for target, kind in [
            (fifo, r"a FIFO \(named pipe\)"),
            (folder, "a directory"),
            (sock_path, "a socket"),
        ]:
            with pytest.raises(OutputError, match=f"is {kind}, not a regular file"):
                write_text(target, "x", force=True)
            with pytest.raises(OutputError, match=f"is {kind}"):
                check_writable(target, force=True)
    finally:
        sock.close()
    assert _listing(tmp_path) == ["dir.geojson", "pipe.geojson", "s.csv"]
    assert fifo.is_fifo() and folder.is_dir()


def test_cli_refuses_a_device_as_output(tmp_path, capsys):
    code = main(["map", "-o", "/dev/null", "--offline", "--force"])
    err = capsys.readouterr().err
    assert code == 2 and err.strip() == (
        "geo: error: /dev/null is a character device, not a regular file; give a file name"
    )


# -- the same path twice ------------------------------------------------------------------------------
def test_the_same_path_twice_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for pair in [
        ("x.png", "x.png"),
        ("x.png", "./x.png"),
        ("x.png", str(tmp_path / "x.png")),
        ("x.png", "sub/../x.png"),
    ]:
        (tmp_path / "sub").mkdir(exist_ok=True)
        with (
            pytest.raises(OutputError, match="is given twice"),
            atomic_paths([Path(p) for p in pair], force=True) as temps,
        ):
            for t in temps:
                t.write_text("new")
    (tmp_path / "old.png").write_text("old")
    os.link(tmp_path / "old.png", tmp_path / "hard.png")  # two names, one file
    with (
        pytest.raises(OutputError, match=r"hard\.png is given twice \(also as old\.png\)"),
        atomic_paths([Path("old.png"), Path("hard.png")], force=True),
    ):
        pass
    assert (tmp_path / "old.png").read_text() == "old"
    assert _listing(tmp_path) == ["hard.png", "old.png", "sub"]


def test_cli_map_with_the_same_file_twice_writes_nothing(tmp_path, capsys):
    out = tmp_path / "x.png"
    code = main(["map", "-o", str(out), "--png", str(out), "--offline", "--force"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "is given twice" in err and "\n" not in err
    assert _listing(tmp_path) == []


# -- names claimed atomically -------------------------------------------------------------------------
def test_a_name_created_meanwhile_is_never_replaced_without_force(tmp_path):
    a, b = tmp_path / "a.geojson", tmp_path / "b.geojson"
    with (
        pytest.raises(OutputError, match=r"b\.geojson was created meanwhile by another writer"),
        atomic_paths([a, b], force=False) as temps,
    ):
        for t in temps:
            t.write_text("mine")
        b.write_text("theirs")  # another writer, between our check and our commit
    assert b.read_text() == "theirs"
    assert _listing(tmp_path) == ["b.geojson"]  # a.geojson was not left claimed either
    with pytest.raises(OutputError, match="exists; pass --force"):
        write_text(b, "mine", force=False)
    write_text(b, "mine", force=True)
    assert b.read_text() == "mine" and _listing(tmp_path) == ["b.geojson"]


def test_a_new_file_is_readable_like_any_other(tmp_path):
    write_text(tmp_path / "m.html", "<p>", force=False)
    assert (tmp_path / "m.html").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "m.html").stat().st_nlink == 1  # the temporary name is gone
    with atomic_path(tmp_path / "n.gpkg", force=False) as tmp:
        assert not tmp.exists() and tmp.suffix == ".gpkg" and tmp.name != "n.gpkg"
        tmp.write_bytes(b"x")
    assert _listing(tmp_path) == ["m.html", "n.gpkg"]


def test_a_writer_that_produces_nothing_is_an_error(tmp_path):
    with (
        pytest.raises(OutputError, match="the writer produced no file; nothing was written"),
        atomic_path(tmp_path / "x.csv"),
    ):
        pass
    assert _listing(tmp_path) == []


# -- stale temporaries --------------------------------------------------------------------------------
def test_temporaries_of_the_earlier_scheme_are_removed(tmp_path):
    stale = [".x.geojson.abcd1234.geojson", ".x.geojson.old.k_9z0a1b.geojson"]
    kept = [".x.geojson.notes", ".y.geojson.abcd1234.geojson", "x.geojson.abcd1234.geojson"]
    for name in stale + kept:
        (tmp_path / name).write_text("left over")
    write_text(tmp_path / "x.geojson", "{}")
    assert _listing(tmp_path) == sorted([*kept, "x.geojson"])


def _dead_run(parent: Path, pairs: dict[str, str], *, committed: bool, first: Path | None = None) -> Path:
    """A run folder as a killed writer leaves it (no lock held)."""
    folder = parent / f"{RUN_PREFIX}dead{len(list(parent.iterdir()))}"
    folder.mkdir()
    files = []
    for name, text in pairs.items():
        tmp = folder / f".{name}.new"
        tmp.write_text(text)
        files.append([str(tmp), str(parent / name)])
    if first is not None:
        (folder / "owner").write_text(str(first))
    if committed:
        (folder / "commit.json").write_text(json.dumps({"pairs": {"force": True, "files": files}}))
    return folder


def test_a_committed_dead_run_is_completed_and_an_uncommitted_one_dropped(tmp_path):
    (tmp_path / "a.csv").write_text("old a")
    (tmp_path / "b.csv").write_text("old b")
    _dead_run(tmp_path, {"a.csv": "new a", "b.csv": "new b"}, committed=True)
    assert recover(tmp_path) == 1
    assert _listing(tmp_path) == ["a.csv", "b.csv"]
    assert (tmp_path / "a.csv").read_text() == "new a" and (tmp_path / "b.csv").read_text() == "new b"
    _dead_run(tmp_path, {"a.csv": "newer a", "b.csv": "newer b"}, committed=False)
    write_text(tmp_path / "c.csv", "c")  # any write into the folder recovers first
    assert _listing(tmp_path) == ["a.csv", "b.csv", "c.csv"]
    assert (tmp_path / "a.csv").read_text() == "new a"


def test_a_dead_run_over_two_folders_is_completed_from_either(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    first = _dead_run(one, {"a.html": "new a"}, committed=False)
    second = _dead_run(two, {"b.png": "new b"}, committed=False, first=first)
    (first / "members").write_text(str(second))
    journal = {"force": True, "files": [[str(first / ".a.html.new"), str(one / "a.html")]]}
    journal["files"].append([str(second / ".b.png.new"), str(two / "b.png")])
    (first / "commit.json").write_text(json.dumps({"pairs": journal}))
    assert recover(two) == 1  # found from the second folder: the whole run is finished
    assert _listing(one) == ["a.html"] and _listing(two) == ["b.png"]
    assert (one / "a.html").read_text() == "new a" and (two / "b.png").read_text() == "new b"


def test_a_live_run_is_left_alone(tmp_path):
    folder = _dead_run(tmp_path, {"a.csv": "new a"}, committed=True)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as its writer holds it
    try:
        assert recover(tmp_path) == 0
        write_text(tmp_path / "b.csv", "b")
        assert folder.exists() and not (tmp_path / "a.csv").exists()
    finally:
        os.close(fd)
    assert recover(tmp_path) == 1 and (tmp_path / "a.csv").read_text() == "new a"


def test_relative_paths_are_recovered_from_anywhere(tmp_path, monkeypatch):
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    with atomic_paths([Path("out/a.txt"), Path("b.txt")], force=False) as temps:
        assert all(t.is_absolute() for t in temps)
        for t in temps:
            t.write_text("new")
    assert _listing(tmp_path) == ["b.txt", "out"] and _listing(tmp_path / "out") == ["a.txt"]


def test_an_empty_set_writes_nothing(tmp_path):
    with atomic_paths([], force=False) as temps:
        assert temps == []
    assert _listing(tmp_path) == []
