"""A table's bytes as text: UTF-8, UTF-16 with a BOM, or Windows-1251 only when the file really is one.

Never a silent switch of a UTF-8 file to cp1251 because of a few stray bytes.

The rule (issue 9): a file that decodes as UTF-8 is UTF-8. A file that does not is read as cp1251 only when it
shows no sign of UTF-8 (its valid multi-byte UTF-8 sequences are fewer than its invalid bytes) and its cp1251
reading is Cyrillic text in whole words; a UTF-8 file with invalid bytes is refused with an error naming the
lines that hold them, and any other file is refused with the advice to save it as UTF-8 or pass ``encoding=``.
"""

from __future__ import annotations

import re

from geo.errors import TableError

__all__ = ["decode", "is_binary"]

_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_BAD_LINES_SHOWN = 5
#: Undecodable bytes as ``surrogateescape`` shows them, and the non-ASCII characters that did decode.
_INVALID = re.compile("[\udc80-\udcff]")
_VALID_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def decode(raw: bytes, label: str, encoding: str | None) -> tuple[str, str]:
    """The text of ``raw`` and the encoding used (``"utf-8"``, ``"utf-16"``, ``"cp1251"`` or ``encoding``).

    Parameters
    ----------
    raw
        The file's bytes.
    label
        The file's name for messages.
    encoding
        An encoding given by the user (used as it is; an error if the bytes do not decode with it).

    Raises
    ------
    TableError
        The bytes do not decode with ``encoding``; a UTF-8 file holds invalid bytes (the message names up to
        five lines and the bytes); or the file is neither UTF-8 nor Windows-1251.
    """
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            msg = f"{label}: cannot decode the file as {encoding} ({exc})"
            raise TableError(msg) from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            msg = f"{label}: the file starts like UTF-16 but does not decode as UTF-16 ({exc.reason})"
            raise TableError(msg) from exc
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    escaped = raw.decode("utf-8", errors="surrogateescape")
    invalid = len(_INVALID.findall(escaped))
    valid_multibyte = len(_VALID_NON_ASCII.findall(escaped))
    if valid_multibyte >= invalid:
        raise TableError(_invalid_utf8_message(escaped, label, invalid))
    text = raw.decode("cp1251", errors="replace")
    if _looks_cyrillic(text):
        return text, "cp1251"
    msg = (
        f"{label}: the file is neither UTF-8 nor Windows-1251 (cp1251)"
        f"{_first_lines(escaped)}; save it as UTF-8 or pass encoding= (CLI: --encoding)"
    )
    raise TableError(msg)


def _looks_cyrillic(text: str) -> bool:
    """Whether a cp1251 reading is Cyrillic text: its non-ASCII letters Cyrillic, in Cyrillic words.

    One stray byte in an ASCII file ("Caf" + byte E9) reads as a Cyrillic letter inside a Latin word ("Cafй"):
    that is not a cp1251 file.
    """
    if "\ufffd" in text:  # a byte cp1251 does not define
        return False
    letters = [c for c in text if c.isalpha() and not c.isascii()]
    if not letters:
        return True  # only cp1251 punctuation (dashes, quotes, №): harmless either way
    if sum(bool(_CYRILLIC.match(c)) for c in letters) < 0.9 * len(letters):
        return False
    words = [w for w in _WORD.findall(text) if _CYRILLIC.search(w)]
    whole = sum(not any(c.isascii() for c in w) for w in words)
    return whole >= 0.9 * len(words)


def _first_lines(escaped: str) -> str:
    """`` (bytes that are not UTF-8 on line 3: b'…')`` for the first lines holding undecodable bytes."""
    shown = []
    for number, line in enumerate(escaped.split("\n"), start=1):
        bad = [c for c in line if "\udc80" <= c <= "\udcff"]
        if bad:
            data = bytes(ord(c) - 0xDC00 for c in bad[:4])
            shown.append(f"line {number}: {data!r}")
            if len(shown) == _BAD_LINES_SHOWN:
                break
    return f" (bytes that are not UTF-8 on {', '.join(shown)})" if shown else ""


def _invalid_utf8_message(escaped: str, label: str, invalid: int) -> str:
    lines = []
    for number, line in enumerate(escaped.split("\n"), start=1):
        if any("\udc80" <= c <= "\udcff" for c in line):
            text = "".join(c if not "\udc80" <= c <= "\udcff" else "\ufffd" for c in line).rstrip("\r")
            lines.append(f"line {number} ({text[:60]!r})")
    more = f" and {len(lines) - _BAD_LINES_SHOWN} more line(s)" if len(lines) > _BAD_LINES_SHOWN else ""
    return (
        f"{label}: the file is UTF-8 but {invalid} byte(s) are not valid UTF-8, on "
        f"{', '.join(lines[:_BAD_LINES_SHOWN])}{more} (shown as \ufffd); nothing was read: fix those bytes "
        "(re-type the characters, or save the file again as UTF-8); if the whole file is in another "
        "encoding, pass encoding= (CLI: --encoding)"
    )


def is_binary(raw: bytes) -> bool:
    """True when the bytes are not text: NUL bytes (outside UTF-16) or many control characters."""
    head = raw[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        chars = head.decode("utf-16", errors="replace")
        controls = sum(c < " " and c not in "\t\n\r\f" for c in chars)
        return "\x00" in chars or controls > 0.05 * len(chars)
    if b"\x00" in head:
        return True
    controls = sum(b < 32 and b not in (9, 10, 12, 13) for b in head)
    return controls > 0.05 * len(head)
