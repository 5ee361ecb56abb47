"""Reading a workbook: the file guard first, then the values grid; styles only when first asked for.

``open_workbook`` runs the parsers in the calling process: call it inside a contained worker
(``loaders.load_workbook`` does), never in a process that must survive a hostile file.
"""

from __future__ import annotations

from loaders import guard
from loaders.grid import Progress, Sheet, Workbook, cell_ref, read_sheets
from loaders.guard import BadFile

__all__ = ["BadFile", "Sheet", "Workbook", "cell_ref", "open_workbook"]


def open_workbook(
    data: bytes,
    filename: str,
    progress: Progress | None = None,
    limits: dict[str, int] | None = None,
    kind: str | None = None,
) -> Workbook:
    """Every sheet's values, or BadFile with one sentence saying why the file cannot be read.
    `kind` is what the guard found, when the file has been through it already."""
    name = guard.file_name(filename)
    kind = kind or guard.check(data, name)
    data = bytes(data)
    sheets = read_sheets(data, name, kind, limits or guard.limits(), progress)
    if not sheets:
        raise BadFile(f"'{name}' has no sheets.")
    return Workbook(name, data, sheets, kind)
