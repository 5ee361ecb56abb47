"""Loaders: an organisation's own workbook in, canonical records and issues out.

``load_workbook(bytes, filename)`` never raises for a bad file: the result carries one sentence
in ``errors`` instead. Every table found is a ``Dataset`` of one record kind with its issues.
The file guard runs here; the parsing runs in a contained worker (loaders.contained), so a
hostile file ends the worker, never the caller.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from loaders import contained, guard
from loaders.cells import parse_date
from loaders.context import Context, read_context, table_financial_year
from loaders.kinds import ACCEPT, BY_NAME
from loaders.kinds.checks import cross_check
from loaders.tables import Table, find_tables
from loaders.workbook import BadFile, open_workbook
from records import KIND_FIELDS, Dataset, Issue, WorkbookResult, organisation_name_changed

__all__ = ["load_workbook", "load_path", "WorkbookResult", "Dataset", "Issue"]

Progress = Callable[[str, int], None]


def load_workbook(
    data: bytes,
    filename: str,
    org: str | None = None,
    as_at: str | None = None,
    progress: Progress | None = None,
) -> WorkbookResult:
    """Read a workbook's tables into datasets. Explicit ``org``/``as_at`` win over what it states."""
    name = guard.file_name(filename)
    result = WorkbookResult(file=name, sha256=hashlib.sha256(bytes(data or b"")).hexdigest())
    limits = guard.limits()
    try:
        kind = guard.check(data, name)
        read = contained.run(name, read_tables, (bytes(data), name, kind, org, as_at, limits), limits, progress)
    except BadFile as exc:
        result.errors = [str(exc)]
        return result
    except Exception as exc:  # a reader failure must reach the user as a sentence, not a traceback
        result.errors = [f"'{name}' could not be read as a workbook ({type(exc).__name__})."]
        return result
    read.sha256 = result.sha256
    return read


def read_tables(
    data: bytes,
    name: str,
    kind: str,
    org: str | None,
    as_at: str | None,
    limits: dict[str, int],
    progress: Progress | None = None,
) -> WorkbookResult:
    """load_workbook's reading and parsing of a file the guard passed as `kind`, in the calling process:
    run it in a contained worker."""
    result = WorkbookResult(file=name, sha256="")
    book = open_workbook(data, name, progress, limits, kind)
    ctx = read_context(book)
    result.org = (org or "").strip() or ctx.org
    result.as_at = _explicit_date(as_at, result) or ctx.as_at
    result.synthetic = ctx.synthetic
    if result.org == ctx.org and organisation_name_changed(ctx.org_written):
        result.issues.append(
            Issue(
                "warning",
                "organisation_name_normalised",
                ctx.org_cell or "",
                f"The organisation name in {ctx.org_cell} holds invisible or look-alike characters; "
                f"it is read as '{ctx.org}'.",
            )
        )
    if result.as_at and not as_at:
        ctx.as_at = result.as_at
    summaries: list[Dataset] = []
    for sheet in book.sheets:
        result.issues.extend(sheet.issues)
        if not sheet.visible:
            result.issues.append(
                Issue("info", "hidden_sheet", sheet.name, f"Sheet '{sheet.name}' is hidden; it was read all the same.")
            )
        tables = _tables(sheet, result)
        if not tables and any(v is not None for row in sheet.rows for v in row):
            result.issues.append(
                Issue(
                    "info",
                    "sheet_not_read",
                    sheet.name,
                    f"Sheet '{sheet.name}' holds no table the loaders recognise; nothing was loaded from it.",
                )
            )
        for table in tables:
            for dataset in _build(table, ctx, result):
                if dataset.kind in KIND_FIELDS:
                    _merge_or_add(result.datasets, dataset)
                else:
                    summaries.append(dataset)
    for summary in summaries:
        _home(result, summary.sheet).issues.extend(summary.issues)
    for found in cross_check(result.datasets, summaries):
        _home(result, found.cell.rsplit("!", 1)[0].strip("'").replace("''", "'")).issues.append(found)
    if not result.datasets and not summaries:
        result.issues.append(
            Issue("warning", "no_tables", "", f"No table in '{name}' has headers the loaders recognise.")
        )
    for dataset in result.datasets:
        if not dataset.records and not dataset.error_count:
            dataset.issues.append(
                Issue(
                    "warning",
                    "no_rows",
                    f"{dataset.sheet}",
                    f"The {dataset.kind} table on sheet "
                    f"'{dataset.sheet}' (header row {dataset.header_row}) has no data rows.",
                )
            )
    return result


def load_path(path, org: str | None = None, as_at: str | None = None, progress: Progress | None = None):
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        result = WorkbookResult(file=path.name, sha256="")
        result.errors = [f"'{path.name}' could not be opened ({exc.strerror or type(exc).__name__})."]
        return result
    return load_workbook(data, path.name, org=org, as_at=as_at, progress=progress)


def _explicit_date(value: str | None, result: WorkbookResult) -> str | None:
    if not value:
        return None
    parsed = parse_date(value)
    if parsed.iso and not parsed.problem:
        return parsed.iso
    result.issues.append(Issue("warning", "unreadable_date", "", f"The as-at date given, '{value}', is not a date."))
    return None


def _tables(sheet, result: WorkbookResult) -> list[Table]:
    try:
        return find_tables(sheet, ACCEPT)
    except Exception as exc:  # one odd sheet must not stop the others
        result.issues.append(_internal(sheet.name, "finding its tables", exc))
        return []


def _build(table: Table, ctx: Context, result: WorkbookResult) -> list[Dataset]:
    try:
        datasets = BY_NAME[table.layout].build(table, ctx)
    except Exception as exc:  # one odd table must not stop the others
        result.issues.append(_internal(f"{table.name}!{table.header_row}", "reading its table", exc))
        return []
    fy = table_financial_year([t for _, t in table.above] + [table.name], ctx)
    for dataset in datasets:
        if dataset.financial_year is None:
            dataset.financial_year = fy
    return datasets


def _internal(where: str, doing: str, exc: Exception) -> Issue:
    return Issue(
        "error",
        "unreadable_table",
        where,
        f"The loaders failed while {doing} ({type(exc).__name__}: {str(exc)[:120]}); nothing from it was loaded.",
    )


def _home(result: WorkbookResult, sheet: str):
    """Where a summary table's issues are kept so they are stored with a snapshot: the dataset read
    from the same sheet (the targets beside an area x stage table), else the scheme tracker."""
    for dataset in result.datasets:
        if dataset.sheet == sheet:
            return dataset
    for dataset in result.datasets:
        if dataset.kind == "qipp_schemes":
            return dataset
    return result


def _merge_or_add(datasets: list[Dataset], dataset: Dataset) -> None:
    """Tables of the same kind stacked on one sheet (a header repeated per section) are one dataset."""
    for existing in datasets:
        if existing.kind == dataset.kind and existing.sheet == dataset.sheet:
            existing.records.extend(dataset.records)
            existing.issues.extend(dataset.issues)
            for fld, letter in dataset.columns.items():
                existing.columns.setdefault(fld, letter)
            return
    datasets.append(dataset)
