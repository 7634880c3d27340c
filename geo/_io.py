"""Atomic writes: an output file appears whole or not at all; several outputs appear all together or none.

How a set of files is written (:func:`atomic_paths`):

1. Every target is checked: its folder exists and is writable; it is not a directory, device, FIFO or socket
   (even with ``force``); it is not given twice; without ``force`` it does not exist.
2. A fresh hidden folder ``.geo-write.XXXXXXXX`` is made beside the targets (one per target folder), locked
   with ``flock`` for the life of the run. The new files are written there, under names that are not the
   targets' names, and flushed to disk.
3. The *commit point*: a journal (``commit.json``) listing every ``(temporary, target)`` pair is written,
   atomically, into the first folder's run folder. Only then are the targets touched: with ``force`` each
   temporary file is renamed over its target; without ``force`` each is hard-linked to its target name
   (``os.link`` fails if the name exists, so a file another writer created meanwhile is never replaced),
   in sorted order so two writers of overlapping sets cannot each win half. Commits into one folder take
   turns (an ``flock`` on the folder during the renames), so two writers with ``force`` of the same set leave
   one writer's whole set.
4. The run folders are removed.

Guarantee after a crash or ``SIGKILL`` at any point: killed before the commit point, every target is as it
was; killed after it, the journal completes the set. The next write into any of those folders (or
:func:`recover`) first finds run folders whose lock is free (their process is gone, the kernel released the
lock), rolls a committed run forward and deletes an uncommitted one. So the outputs are the whole old set or
the whole new set, except for a reader that looks during the rename phase itself (a few microseconds of
renames, no data written) or after a kill in it and before the next write or :func:`recover`: it can see part
of the new set, and the journal that completes it. Separate files cannot be switched by one atomic operation;
a reader that must never see a mix should read a set only while no writer runs. Temporary files are never
given a target's name and live in hidden run folders, so a crashed run never leaves a file that looks like an
output. Files left by the earlier scheme (``.name.XXXXXXXX.ext``, ``.name.old.XXXXXXXX.ext`` beside the
target) are removed when that target is written again.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from geo._io_checks import _abs_parent, _parent, check_distinct, check_writable
from geo.errors import OutputError, OutputWriteError

__all__ = [
    "OutputWriteError",
    "atomic_path",
    "atomic_paths",
    "check_distinct",
    "check_writable",
    "recover",
    "write_text",
    "write_with",
]

#: Prefix of the hidden per-run folders beside the targets.
RUN_PREFIX = ".geo-write."
_JOURNAL = "commit.json"
_OWNER = "owner"  # in a secondary run folder: the path of the run's first folder
_MEMBERS = "members"  # in the first run folder: the other run folders of the run, one a line


def _reason(exc: OSError) -> str:
    text = exc.strerror or str(exc) or type(exc).__name__
    return " ".join(text.split())


# -- run folders --------------------------------------------------------------------------------------
def _locked(folder: Path, *, wait: bool = False) -> int | None:
    """An open, ``flock``-ed descriptor of ``folder``; None if another process holds it or it is gone."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        if os.fstat(fd).st_nlink == 0 or os.stat(folder).st_ino != os.fstat(fd).st_ino:
            raise FileNotFoundError(folder)  # removed (and perhaps made again) while we waited
    except OSError:
        os.close(fd)
        return None
    return fd


def _new_run_folder(parent: Path) -> tuple[Path, int]:
    """Make and lock a fresh run folder in ``parent`` (retrying if a recovery removed it before the lock)."""
    for _ in range(100):
        folder = Path(tempfile.mkdtemp(prefix=RUN_PREFIX, dir=parent))
        fd = _locked(folder)
        if fd is not None:
            return folder, fd
    raise OutputWriteError(errno.EAGAIN, f"cannot make a temporary folder in {parent}")


def _write_small(path: Path, text: str) -> None:
    """Write a small control file atomically (and durably) inside a run folder."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def recover(folder: str | Path, *, names: Sequence[str] = ()) -> int:
    """Finish or undo the writes of killed runs in ``folder``; return how many runs were cleaned up.

    A run folder whose lock is free belongs to a process that is gone. With a journal its renames are
    completed (the new set); without one it is deleted (the old set stays). Runs of live processes are left
    alone. Called by every write before it writes into a folder, with the ``names`` it is about to write:
    temporaries of the earlier scheme left beside those (``.name.XXXXXXXX.ext``, ``.name.old.XXXXXXXX.ext``)
    are removed in the same pass over the folder.
    """
    legacy = [
        re.compile(rf"\.{re.escape(n)}\.(old\.)?[a-z0-9_]{{8}}{re.escape(Path(n).suffix)}", re.IGNORECASE)
        for n in names
    ]
    runs: list[Path] = []
    stale: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for e in entries:
                if not e.name.startswith("."):
                    continue
                if e.name.startswith(RUN_PREFIX) and e.is_dir(follow_symlinks=False):
                    runs.append(Path(e.path))
                elif any(p.fullmatch(e.name) for p in legacy) and e.is_file(follow_symlinks=False):
                    stale.append(e.path)
    except OSError:
        return 0
    for name in stale:
        with contextlib.suppress(OSError):
            os.unlink(name)
    count = 0
    for path in runs:
        fd = _locked(path)
        if fd is None:
            continue  # a live run, or already gone
        try:
            count += _recover_run(path)
        finally:
            os.close(fd)
    return count


def _recover_run(folder: Path) -> int:
    """Recover the (locked, dead) run folder ``folder``."""
    owner = folder / _OWNER
    if owner.exists():  # a secondary folder: its run is recovered from its first folder
        with contextlib.suppress(OSError):
            first = Path(owner.read_text(encoding="utf-8"))
            fd = _locked(first)
            if fd is None and first.exists():
                return 0  # that run is alive or being recovered by another process: leave it
            if fd is not None:
                try:
                    _finish(first, skip=folder)
                finally:
                    os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)
        return 1
    _finish(folder)
    return 1


def _finish(first: Path, *, skip: Path | None = None) -> None:
    """Roll the run of ``first`` forward (journal present) or back, then delete its folders."""
    members = [Path(line) for line in _read_lines(first / _MEMBERS)]
    locks = [fd for m in members if m != skip and (fd := _locked(m, wait=True)) is not None]
    try:
        journal = first / _JOURNAL
        if journal.exists():
            with contextlib.suppress(OSError, ValueError):
                pairs = json.loads(journal.read_text(encoding="utf-8"))["pairs"]
                files = [(Path(t), Path(d)) for t, d in pairs["files"]]
                with _folder_locks(d for _, d in files):
                    _place(files, force=pairs["force"], live=False)
        for m in members:
            shutil.rmtree(m, ignore_errors=True)
        shutil.rmtree(first, ignore_errors=True)
    finally:
        for fd in locks:
            os.close(fd)


@contextlib.contextmanager
def _folder_locks(targets: Iterator[Path]) -> Iterator[None]:
    """``flock`` the folders of ``targets`` (in sorted order, so two writers cannot deadlock) while renaming.

    Writers with ``force`` of the same names then commit one after the other, so the set on disk is always
    one writer's whole set; a folder that cannot be opened is not locked (the renames stay atomic one by one).
    """
    fds = []
    try:
        for folder in sorted({os.path.abspath(_parent(Path(t))) for t in targets}):
            with contextlib.suppress(OSError):
                fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
                fds.append(fd)
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        for fd in fds:
            os.close(fd)


def _read_lines(path: Path) -> list[str]:
    try:
        return [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    except OSError:
        return []


# -- commit -------------------------------------------------------------------------------------------
def _place(pairs: Sequence[tuple[Path, Path]], *, force: bool, live: bool = True) -> None:
    """Move every temporary onto its target; ``live`` undoes what was done when one step fails.

    With ``force`` a rename replaces the target. Without, a hard link claims the target name only if it is
    still free; a name taken meanwhile is an :class:`OutputError` (and the links made are removed).
    During recovery (``live=False``) a pair whose temporary is gone was already done.
    """
    done: list[tuple[Path, Path]] = []
    order = list(pairs) if force else sorted(pairs, key=lambda p: str(p[1]))
    for tmp, target in order:
        if not live and not tmp.exists():
            continue
        try:
            if force:
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
            else:
                _claim(tmp, target)
            done.append((tmp, target))
        except OSError as exc:
            if not live and isinstance(exc, FileExistsError) and _same(tmp, target):
                done.append((tmp, target))  # linked before the kill
                continue
            if live or not force:
                _undo(done, force=force)
            if not live:
                return
            if isinstance(exc, FileExistsError) and not force:
                msg = f"{target} was created meanwhile by another writer; it is kept and nothing was written"
                raise OutputError(msg) from exc
            msg = f"cannot write {target}: {_reason(exc)}; nothing was written"
            raise OutputWriteError(msg) from exc


def _claim(tmp: Path, target: Path) -> None:
    os.chmod(tmp, 0o644)
    try:
        os.link(tmp, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        # No hard links on this file system: claim the name with O_EXCL, then rename over the claim.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        shutil.copyfile(tmp, tmp.with_name(tmp.name + ".keep"))  # recovery may still need the data
        os.replace(tmp, target)
        os.replace(tmp.with_name(tmp.name + ".keep"), tmp)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _undo(done: list[tuple[Path, Path]], *, force: bool) -> None:
    """Put back what :func:`_place` changed: backups over replaced targets, remove claimed names."""
    for tmp, target in reversed(done):
        with contextlib.suppress(OSError):
            if force:
                backup = _backup_name(tmp)
                if backup.exists():
                    os.replace(backup, target)
                else:
                    os.unlink(target)
            elif _same(tmp, target):
                os.unlink(target)


def _backup_name(tmp: Path) -> Path:
    return tmp.with_name(tmp.name.replace(".new", ".old", 1))


@contextlib.contextmanager
def atomic_paths(paths: Sequence[Path], *, force: bool = True) -> Iterator[list[Path]]:
    """Yield temporary paths for ``paths``; on success all of them replace their targets, else none does.

    The body writes every temporary file (they do not exist yet, so writers that create files themselves,
    such as GDAL, work). Then the set is committed as the module docstring describes: all or nothing, also
    across a ``SIGKILL``; without ``force`` a target that another writer created meanwhile is never replaced.
    An existing target is kept (as a hard link) until every rename has succeeded, so a failed rename puts
    back what was there. On any error the temporary files are removed. An :class:`OSError` (from the body
    or from a rename) becomes an :class:`OutputWriteError` naming the path; other errors pass unchanged.

    Raises
    ------
    OutputError
        A target fails :func:`check_writable` or :func:`check_distinct`, or another writer took its name.
    OutputWriteError
        Writing or renaming failed (disk full, permissions); nothing was written.
    """
    targets = [check_writable(Path(p), force=force) for p in paths]
    check_distinct(targets)
    if not targets:
        yield []
        return
    parents = list(dict.fromkeys(_abs_parent(t) for t in targets))
    for parent in parents:
        recover(parent, names=[t.name for t in targets if _abs_parent(t) == parent])
    folders: dict[Path, Path] = {}
    fds: list[int] = []
    try:
        try:
            for i, parent in enumerate(parents):
                folder, fd = _new_run_folder(parent)
                folders[parent] = folder
                fds.append(fd)
                if i:
                    first = folders[parents[0]]
                    _write_small(folder / _OWNER, str(first))
                    _write_small(first / _MEMBERS, "\n".join(str(f) for f in list(folders.values())[1:]))
        except OSError as exc:
            msg = f"cannot write {targets[0]}: {_reason(exc)}; nothing was written"
            raise OutputWriteError(msg) from exc
        temps = [folders[_abs_parent(t)] / f".{t.name}.new{t.suffix}" for t in targets]
        try:
            yield list(temps)
        except OSError as exc:
            if isinstance(exc, OutputError):
                raise
            by_temp = {str(tmp): target for tmp, target in zip(temps, targets, strict=True)}
            failed = by_temp.get(str(exc.filename)) if exc.filename else None
            where = failed if failed is not None else ", ".join(str(t) for t in targets)
            msg = f"cannot write {where}: {_reason(exc)}; nothing was written"
            raise OutputWriteError(msg) from exc
        _commit(list(zip(temps, targets, strict=True)), folders[parents[0]], force=force)
    finally:
        for folder in [*list(folders.values())[1:], *list(folders.values())[:1]]:
            shutil.rmtree(folder, ignore_errors=True)
        for fd in fds:
            os.close(fd)


def _commit(pairs: list[tuple[Path, Path]], first: Path, *, force: bool) -> None:
    for tmp, target in pairs:
        if not tmp.exists():
            msg = f"cannot write {target}: the writer produced no file; nothing was written"
            raise OutputWriteError(msg)
        _fsync(tmp)
        if force and os.path.lexists(target):  # keep the old file until every rename has succeeded
            try:
                os.link(target, _backup_name(tmp), follow_symlinks=False)
            except OSError:
                with contextlib.suppress(OSError):
                    shutil.copy2(target, _backup_name(tmp), follow_symlinks=False)
    with _folder_locks(d for _, d in pairs):  # one commit at a time per folder: two sets never interleave
        try:
            files = [[str(t), os.path.abspath(d)] for t, d in pairs]
            journal = {"pairs": {"force": force, "files": files}}
            _write_small(first / _JOURNAL, json.dumps(journal))  # the commit point
        except OSError as exc:
            msg = f"cannot write {pairs[0][1]}: {_reason(exc)}; nothing was written"
            raise OutputWriteError(msg) from exc
        try:
            _place(pairs, force=force)
        except OutputError:
            with contextlib.suppress(OSError):
                os.unlink(first / _JOURNAL)  # undone: the run folder must not be rolled forward any more
            raise
    for parent in dict.fromkeys(_parent(d) for _, d in pairs):
        _fsync(parent)


@contextlib.contextmanager
def atomic_path(path: Path, *, force: bool = True) -> Iterator[Path]:
    """Yield a temporary path for ``path``; on success it replaces ``path``, on error it is removed.

    An :class:`OSError` while writing or renaming becomes an :class:`OutputWriteError` naming ``path``.
    """
    with atomic_paths([path], force=force) as (tmp,):
        yield tmp


def write_text(path: Path, text: str, *, force: bool = True) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    with atomic_path(path, force=force) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_with(path: Path, writer: Callable[[Path], None], *, force: bool = True) -> Path:
    """Call ``writer(tmp_path)`` and move the result to ``path`` atomically."""
    with atomic_path(path, force=force) as tmp:
        writer(tmp)
    return Path(path)
