"""Loaders: an organisation's own workbook in, canonical records and issues out.

``load_workbook(bytes, filename)`` never raises for a bad file: the result carries one sentence
in ``errors`` instead. Every table found is a ``Dataset`` of one record kind with its issues.
The file guard runs here; the parsing runs in a contained worker (loaders.contained), so a
hostile file ends the worker, never the caller.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from loaders import contained, guard
from loaders.grid import Progress
from loaders.reading import read_tables
from loaders.workbook import BadFile
from records import Dataset, Issue, WorkbookResult

__all__ = ["load_workbook", "load_path", "read_tables", "WorkbookResult", "Dataset", "Issue"]


def load_workbook(
    data: bytes,
    filename: str,
    org: str | None = None,
    as_at: str | None = None,
    progress: Progress | None = None,
    mapping: dict | None = None,
    profiles: list[dict] | tuple = (),
) -> WorkbookResult:
    """Read a workbook's tables into datasets. Explicit ``org``/``as_at`` win over what it states.
    ``mapping`` (a Mapping's JSON form) is applied instead of detection; ``profiles`` (saved layout
    profiles) are replayed when the workbook has one's layout."""
    name = guard.file_name(filename)
    result = WorkbookResult(file=name, sha256=hashlib.sha256(bytes(data or b"")).hexdigest())
    limits = guard.limits()
    try:
        kind = guard.check(data, name)
        read = contained.run(
            name, read_tables, (bytes(data), name, kind, org, as_at, limits, mapping, list(profiles)), limits, progress
        )
    except BadFile as exc:
        result.errors = [str(exc)]
        return result
    except Exception as exc:  # a reader failure must reach the user as a sentence, not a traceback
        result.errors = [f"'{name}' could not be read as a workbook ({type(exc).__name__})."]
        return result
    read.sha256 = result.sha256
    return read


def load_path(path, org: str | None = None, as_at: str | None = None, progress: Progress | None = None, **reading):
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        result = WorkbookResult(file=path.name, sha256="")
        result.errors = [f"'{path.name}' could not be opened ({exc.strerror or type(exc).__name__})."]
        return result
    return load_workbook(data, path.name, org=org, as_at=as_at, progress=progress, **reading)
