"""Checks of output paths before anything is written (used by :mod:`geo._io`, re-exported there).

A target must be a regular file (or a name not taken yet) in a folder that exists and is writable; devices,
FIFOs, sockets and directories are refused even with ``force``; the same file may not be named twice.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from geo.errors import OutputError, OutputWriteError

__all__ = ["check_distinct", "check_writable"]

_KINDS = {
    stat.S_ISDIR: "a directory",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISFIFO: "a FIFO (named pipe)",
    stat.S_ISSOCK: "a socket",
}


def check_writable(path: Path, *, force: bool = True) -> Path:
    """Fail early, with a clear message, if ``path`` cannot be written (or exists and ``force`` is false).

    Parameters
    ----------
    path
        The output file.
    force
        Whether an existing regular file (or symbolic link) may be replaced.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    OutputError
        ``path`` is a directory, a device, a FIFO or a socket (whatever ``force`` says), exists without
        ``force``, or its folder is missing or not writable.
    """
    path = Path(path)
    kind = _special_kind(path)
    if kind:
        msg = f"{path} is {kind}, not a regular file; give a file name"
        raise OutputError(msg)
    if os.path.lexists(path) and not force:
        msg = f"{path} exists; pass --force (force=True) to overwrite it"
        raise OutputError(msg)
    parent = _parent(path)
    if not parent.is_dir():
        msg = f"cannot write {path}: folder {parent} does not exist"
        raise OutputWriteError(msg)
    if not os.access(parent, os.W_OK):
        msg = f"cannot write {path}: folder {parent} is not writable"
        raise OutputWriteError(msg)
    return path


def check_distinct(paths: Sequence[Path]) -> None:
    """Raise :class:`~geo.errors.OutputError` if two of ``paths`` name the same file.

    Paths are compared after resolving their folders (``./x.png`` and ``x.png``, a symbolic link to a folder),
    and existing files also by identity (hard links).
    """
    seen: dict[object, Path] = {}
    for p in map(Path, paths):
        keys: list[object] = [(os.path.realpath(_parent(p)), p.name)]
        with contextlib.suppress(OSError):
            st = os.stat(p)
            keys.append((st.st_dev, st.st_ino))
        for key in keys:
            if key in seen:
                msg = f"{p} is given twice (also as {seen[key]}); give each output its own name"
                raise OutputError(msg)
        for key in keys:
            seen[key] = p


def _special_kind(path: Path) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return ""  # missing (or a dangling link, replaced like a file)
    return next((kind for test, kind in _KINDS.items() if test(mode)), "")


def _parent(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _abs_parent(path: Path) -> Path:
    return Path(os.path.abspath(_parent(path)))
