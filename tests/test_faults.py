"""Faults: SIGKILL at random points of a multi-file write, a full disk, two writers racing for one name."""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

import geo._io as io
from geo._io import RUN_PREFIX, OutputWriteError, atomic_paths, recover, write_text
from geo.errors import OutputError

NAMES = {"one": ["border.geojson", "regions.geojson"], "two": ["map.png"]}


def _writer(one: Path, two: Path, report: int) -> None:
    """Write three files in two folders, slowed down so that random kills land in every phase.

    Runs in a forked child. Each phase is reported on the pipe ``report`` as it starts: writing the
    temporary files ('ready'), the renames after the commit point ('place') and the end ('done').
    """

    def slow(f):
        def wrapped(*a, **k):
            time.sleep(0.004)
            return f(*a, **k)

        return wrapped

    real_place = io._place

    def place(*a, **k):
        os.write(report, b"place ")
        return real_place(*a, **k)

    io.os.replace, io.os.link, io._place = slow(os.replace), slow(os.link), place
    targets = [one / "regions.geojson", one / "border.geojson", two / "map.png"]
    os.write(report, b"ready ")
    with io.atomic_paths(targets, force=True) as temps:
        for tmp, target in zip(temps, targets, strict=True):
            with open(tmp, "w") as f:
                for _ in range(4):
                    f.write(f"new:{target.name}:" + "x" * 2000)
                    f.flush()
                    time.sleep(0.002)
    os.write(report, b"done ")
    os._exit(0)


def _state(one: Path, two: Path) -> set[str]:
    """The tags of the set on disk ('old', 'new', or both for a mix)."""
    tags = set()
    for folder, names in ((one, NAMES["one"]), (two, NAMES["two"])):
        for name in names:
            text = (folder / name).read_text()
            tags.add(text.split(":", 1)[0])
    return tags


def _start(one: Path, two: Path):
    ctx = multiprocessing.get_context("fork")
    read, write = os.pipe()
    proc = ctx.Process(target=_writer, args=(one, two, write))
    proc.start()
    os.close(write)
    return proc, read


def _phases(read: int) -> list[str]:
    with os.fdopen(read, "rb") as f:
        return f.read().decode().split()


def test_sigkill_at_random_points_leaves_the_old_or_the_new_set(tmp_path):
    rng = random.Random(9)
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        folder.mkdir()
    start = time.monotonic()  # one unkilled run measures how long the slowed-down write takes
    proc, read = _start(one, two)
    proc.join(30)
    span = time.monotonic() - start
    assert proc.exitcode == 0 and _phases(read) == ["ready", "place", "done"]
    assert _state(one, two) == {"new"}
    phases: dict[str, int] = {}
    outcomes = {"old": 0, "new": 0}
    mixed = 0
    for run in range(30):
        for folder, names in ((one, NAMES["one"]), (two, NAMES["two"])):
            shutil.rmtree(folder)
            folder.mkdir()
            for name in names:
                (folder / name).write_text(f"old:{name}:")
        proc, read = _start(one, two)
        time.sleep(rng.uniform(0, span * 1.1))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(30)
        seen = _phases(read)
        phase = seen[-1] if seen else "start"
        phases[phase] = phases.get(phase, 0) + 1
        before = _state(one, two)
        mixed += before == {"old", "new"}
        runs = [p for f in (one, two) for p in f.iterdir() if p.name.startswith(RUN_PREFIX)]
        if before == {"old", "new"}:  # killed among the renames: the journal that completes it is there
            assert phase == "place" and any((r / "commit.json").exists() for r in runs), run
        recover(one), recover(two)  # what the next write into either folder does first
        after = _state(one, two)
        assert after in ({"old"}, {"new"}), (run, phase, after)
        if phase == "done":
            assert after == {"new"}
        assert sorted(p.name for p in one.iterdir()) == NAMES["one"], run  # no temporary file or folder
        assert sorted(p.name for p in two.iterdir()) == NAMES["two"], run
        outcomes[after.pop()] += 1
    # The kills did land before, in and after the commit (seeded: the same points every time).
    assert phases.get("ready", 0) > 0 and phases.get("place", 0) > 0, phases
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes
    print(f"SIGKILL: phases {phases}, mixed before recovery {mixed}, after recovery {outcomes}")


# -- disk full ----------------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB tmpfs (needs root and a kernel that lets this process mount)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (os.geteuid() != 0)")
    mnt = tmp_path / "small"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"mount -t tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_a_full_disk_leaves_the_old_files_and_no_half_written_one(small_disk):
    old = {"a.geojson": "old a", "b.geojson": "old b"}
    for name, text in old.items():
        write_text(small_disk / name, text)
    big = "y" * 200_000  # the first file fits, the second does not
    with (
        pytest.raises(OutputWriteError, match=r"b\.geojson: No space left on device; nothing was written"),
        atomic_paths([small_disk / "a.geojson", small_disk / "b.geojson"], force=True) as temps,
    ):
        for tmp in temps:
            tmp.write_text(big)
    assert sorted(p.name for p in small_disk.iterdir()) == sorted(old)
    assert {p.name: p.read_text() for p in small_disk.iterdir()} == old
    with pytest.raises(OutputWriteError, match="No space left on device"):
        write_text(small_disk / "a.geojson", "z" * 400_000, force=True)
    assert (small_disk / "a.geojson").read_text() == "old a"
    assert sorted(p.name for p in small_disk.iterdir()) == sorted(old)
    write_text(small_disk / "a.geojson", "new a", force=True)  # space was given back
    assert (small_disk / "a.geojson").read_text() == "new a"


# -- concurrent writers -------------------------------------------------------------------------------
def _race(targets: list[str], tag: str, barrier, results) -> None:
    barrier.wait()
    try:
        with atomic_paths([Path(t) for t in targets], force=False) as temps:
            for tmp in temps:
                tmp.write_text(tag)
        results.put((tag, "ok"))
    except OutputError as exc:
        results.put((tag, f"{type(exc).__name__}: {exc}"))


@pytest.mark.parametrize("files", [["x.html"], ["regions.geojson", "border.geojson"]])
def test_two_writers_of_one_new_target_one_wins_the_other_is_refused(tmp_path, files):
    ctx = multiprocessing.get_context("fork")
    for pair in range(15):
        folder = tmp_path / f"pair{pair}"
        folder.mkdir()
        targets = [str(folder / f) for f in files]
        barrier, results = ctx.Barrier(2), ctx.Queue()
        tags = [uuid.uuid4().hex, uuid.uuid4().hex]
        procs = [ctx.Process(target=_race, args=(targets, t, barrier, results)) for t in tags]
        for p in procs:
            p.start()
        for p in procs:
            p.join(30)
        outcome = dict(results.get(timeout=5) for _ in procs)
        winners = [t for t in tags if outcome[t] == "ok"]
        assert len(winners) == 1, outcome
        (loser,) = (t for t in tags if t not in winners)
        assert outcome[loser].startswith(OutputError.__name__), outcome[loser]
        assert "exists; pass --force" in outcome[loser] or "created meanwhile" in outcome[loser]
        assert {Path(t).read_text() for t in targets} == {winners[0]}  # the whole set is the winner's
        assert sorted(p.name for p in folder.iterdir()) == sorted(files)


def _race_force(targets: list[str], tag: str, slow_on: str, barrier, results) -> None:
    real_replace = os.replace

    def slow_replace(src, dst):  # one writer is slow on the first file, the other on the last: unlocked,
        if (
            Path(dst).name == slow_on
        ):  # the first file would end up the first writer's and the last the other's
            time.sleep(0.05 if slow_on == "regions.geojson" else 0.1)
        return real_replace(src, dst)

    io.os.replace = slow_replace
    barrier.wait()
    try:
        with atomic_paths([Path(t) for t in targets], force=True) as temps:
            for tmp in temps:
                tmp.write_text(tag)
        results.put((tag, "ok"))
    except OutputError as exc:
        results.put((tag, f"{type(exc).__name__}: {exc}"))


def test_two_writers_with_force_leave_one_whole_set(tmp_path):
    ctx = multiprocessing.get_context("fork")
    files = ["regions.geojson", "border.geojson", "projects.geojson"]
    for pair in range(5):
        folder = tmp_path / f"pair{pair}"
        folder.mkdir()
        targets = [str(folder / f) for f in files]
        barrier, results = ctx.Barrier(2), ctx.Queue()
        tags = [uuid.uuid4().hex, uuid.uuid4().hex]
        procs = [
            ctx.Process(target=_race_force, args=(targets, t, slow, barrier, results))
            for t, slow in zip(tags, ["regions.geojson", "projects.geojson"], strict=True)
        ]
        for p in procs:
            p.start()
        for p in procs:
            p.join(30)
        assert dict(results.get(timeout=5) for _ in procs) == dict.fromkeys(tags, "ok")
        assert len({Path(t).read_text() for t in targets}) == 1, pair  # one writer's whole set, not a mix
        assert sorted(p.name for p in folder.iterdir()) == sorted(files)
