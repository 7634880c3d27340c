"""Validation helpers for the map options: each raises a :class:`MapOptionError` with a one-line message."""

from __future__ import annotations

from geo.errors import MapOptionError

__all__ = ["LANGS", "MapOptionError", "check_choice", "check_lang"]

LANGS = ("en", "ru", "kk")


def check_choice(value: str, choices: list[str] | tuple[str, ...], what: str) -> str:
    """Return ``value`` if it is one of ``choices``; otherwise raise listing them."""
    if value not in choices:
        msg = f"unknown {what} {value!r}; choose one of {', '.join(choices)}"
        raise MapOptionError(msg)
    return value


def check_lang(lang: str) -> str:
    """Return the language code (``en``, ``ru`` or ``kk``) or raise."""
    return check_choice(str(lang).lower(), LANGS, "language")
