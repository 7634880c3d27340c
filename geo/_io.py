"""Atomic writes: an output file appears whole or not at all; several outputs appear all together or none."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from geo.errors import OutputError, OutputWriteError

__all__ = ["OutputWriteError", "atomic_path", "atomic_paths", "check_writable", "write_text", "write_with"]


def check_writable(path: Path, *, force: bool = True) -> Path:
    """Fail early, with a clear message, if ``path`` cannot be written (or exists and ``force`` is false)."""
    path = Path(path)
    if path.exists() and not force:
        msg = f"{path} exists; pass --force (force=True) to overwrite it"
        raise OutputError(msg)
    if path.is_dir():
        msg = f"{path} is a directory; give a file name"
        raise OutputError(msg)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        msg = f"cannot write {path}: folder {parent} does not exist"
        raise OutputError(msg)
    if not os.access(parent, os.W_OK):
        msg = f"cannot write {path}: folder {parent} is not writable"
        raise OutputError(msg)
    return path


def _reason(exc: OSError) -> str:
    text = exc.strerror or str(exc) or type(exc).__name__
    return " ".join(text.split())


def _temp_beside(path: Path, tag: str = "") -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{tag}", suffix=path.suffix, dir=path.parent or ".")
    os.close(fd)
    os.unlink(tmp)  # writers such as GDAL want to create the file themselves
    return Path(tmp)


def _remove(*paths: Path | None) -> bool:
    """Remove what exists of ``paths``; False if one could not be removed."""
    ok = True
    for p in paths:
        if p is None:
            continue
        try:
            os.unlink(p)
        except FileNotFoundError:
            pass
        except OSError:
            ok = False
    return ok


def _backup(path: Path) -> Path | None:
    """A copy of an existing ``path`` beside it (a hard link where possible), so a failed commit can restore it."""
    if not path.exists():
        return None
    backup = _temp_beside(path, "old.")
    try:
        os.link(path, backup)
    except OSError:
        shutil.copy2(path, backup)
    return backup


def _commit(pairs: Sequence[tuple[Path, Path]]) -> None:
    """Rename every ``(tmp, target)`` into place, or, when one rename fails, put every target back as it was."""
    done: list[tuple[Path, Path | None]] = []
    backups: list[Path | None] = []
    try:
        for tmp, target in pairs:
            backup = _backup(target)
            backups.append(backup)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
            done.append((target, backup))
    except OSError as exc:
        restored = True
        for target, backup in reversed(done):
            try:
                if backup is None:
                    os.unlink(target)
                else:
                    os.replace(backup, target)
            except OSError:
                restored = False
        restored = _remove(*(tmp for tmp, _ in pairs), *backups) and restored
        failed = pairs[len(done)][1]
        outcome = "nothing was written" if restored else "some files may be left half-replaced"
        msg = f"cannot write {failed}: {_reason(exc)}; {outcome}"
        raise OutputWriteError(msg) from exc
    _remove(*backups)


@contextlib.contextmanager
def atomic_paths(paths: Sequence[Path], *, force: bool = True) -> Iterator[list[Path]]:
    """Yield temporary paths beside ``paths``; on success all of them replace their targets, else none does.

    The targets are renamed into place one by one only after the ``with`` body has written every temporary
    file; an existing target is kept as a backup until every rename has succeeded, so a failed rename puts
    back what was there. On any error the temporary files are removed. An :class:`OSError` (from the body
    or from a rename) becomes an :class:`OutputWriteError` naming the path; other errors pass unchanged.
    """
    targets = [check_writable(Path(p), force=force) for p in paths]
    temps: list[Path] = []
    try:
        try:
            temps.extend(_temp_beside(t) for t in targets)
        except OSError as exc:
            msg = f"cannot write {targets[len(temps)]}: {_reason(exc)}; nothing was written"
            raise OutputWriteError(msg) from exc
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
        _commit(list(zip(temps, targets, strict=True)))
    except BaseException:
        _remove(*temps)
        raise


@contextlib.contextmanager
def atomic_path(path: Path, *, force: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on error it is removed.

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
