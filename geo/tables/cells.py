"""Cell sizes: cells longer than a spreadsheet cell can be are refused, and values are shortened in messages.

A region table has names, codes and numbers; a cell of megabytes is a broken or hostile file (an unclosed quote
swallowing the rest of the file, or an attempt to make the report huge and the resolver slow). Excel's own limit
is 32,767 characters per cell: a longer cell is refused naming its row, line, column and length, and every value
quoted in a message is cut to :data:`SHOWN_CHARS` characters with its length.
"""

from __future__ import annotations

import pandas as pd

from geo.errors import TableError

__all__ = ["MAX_CELL_CHARS", "SHOWN_CHARS", "check_cell_sizes", "shorten"]

#: The longest cell read (Excel's limit for one cell).
MAX_CELL_CHARS = 32_767
#: Values quoted in messages and reports are cut to this many characters.
SHOWN_CHARS = 80


def shorten(value: object, limit: int = SHOWN_CHARS) -> str:
    """``value`` as text, cut to ``limit`` characters with ``… (N characters)`` when it is longer."""
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def check_cell_sizes(df: pd.DataFrame, label: str, line_offset: int | None) -> None:
    """Refuse a table with a text cell longer than :data:`MAX_CELL_CHARS`, naming the first such cell.

    Parameters
    ----------
    df
        The raw table.
    label
        The file's name for messages.
    line_offset
        Data row ``r`` is file line ``r + line_offset`` (``None``: no file lines).
    """
    for i in range(df.shape[1]):
        column = df.iloc[:, i]
        if not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
            continue
        lengths = column.map(lambda v: len(v) if isinstance(v, str) else 0, na_action="ignore")
        lengths = pd.to_numeric(lengths, errors="coerce").fillna(0).to_numpy()
        if lengths.size and lengths.max() > MAX_CELL_CHARS:
            row = int(lengths.argmax()) + 1
            line = f" (line {row + line_offset})" if line_offset is not None else ""
            msg = (
                f"{label}: row {row}{line}, column {shorten(df.columns[i], 40)!r}: a cell of "
                f"{int(lengths.max()):,} characters, more than a spreadsheet cell holds ({MAX_CELL_CHARS:,}); "
                "is a quote left open? Fix the cell, or shorten it"
            )
            raise TableError(msg)
