"""What every terminal table shares: its width, and text escaped for rich markup."""

from __future__ import annotations

import os

# Width a piped table takes when no terminal tells it one (`COLUMNS` still wins).
PIPED_WIDTH = 120


def table_width() -> int:
    """``COLUMNS``, else the width of whichever standard stream is a terminal, else 120."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for fd in (1, 2, 0):
        try:
            return os.get_terminal_size(fd).columns
        except OSError:
            continue
    return PIPED_WIDTH


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)
