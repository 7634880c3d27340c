"""Atomic writes: an output file appears whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from geo.errors import OutputError


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


@contextlib.contextmanager
def atomic_path(path: Path, *, force: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on error it is removed."""
    path = check_writable(Path(path), force=force)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent or ".")
    os.close(fd)
    os.unlink(tmp)  # writers such as GDAL want to create the file themselves
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


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
