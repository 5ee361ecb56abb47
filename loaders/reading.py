"""Reading a workbook the guard has passed: detect its Mapping (or take the one given, or a saved layout
profile's), then extract records by applying it. Runs inside the contained worker."""

from __future__ import annotations

from loaders import layout_profiles, vocabulary
from loaders.context import Context, clean_date, read_context, table_financial_year
from loaders.grid import Progress, sheet_of
from loaders.kinds import BY_NAME
from loaders.kinds.activity import merge_plan_and_actual
from loaders.kinds.checks import cross_check
from loaders.mapping import (
    PROFILE,
    USER,
    Mapping,
    MappingError,
    SheetMapping,
    Stated,
    detect_sheet,
    from_dict,
    record_decisions,
    stated,
    tables_of,
    unknown_words,
)
from loaders.sheet_roles import not_read_sentence
from loaders.tables import Table
from loaders.workbook import open_workbook
from records import KIND_FIELDS, Dataset, Issue, WorkbookResult, organisation_name_changed


def read_tables(
    data: bytes,
    name: str,
    kind: str,
    org: str | None,
    as_at: str | None,
    limits: dict[str, int],
    mapping: dict | None = None,
    profiles: list[dict] | tuple = (),
    progress: Progress | None = None,
) -> WorkbookResult:
    """load_workbook's reading of a file the guard passed as `kind`, in the calling process: run it in a
    contained worker. ``mapping`` (JSON form) is applied instead of detecting one; otherwise a profile whose
    layout this workbook has is applied, else what detection finds."""
    result = WorkbookResult(file=name, sha256="")
    book = open_workbook(data, name, progress, limits, kind)
    ctx = read_context(book)
    try:
        chosen = from_dict(mapping) if mapping is not None else _detected(book, ctx, result, profiles)
        _settle_organisation_and_date(chosen, ctx, org, as_at, result)
        _extract(book, ctx, chosen, result)
    except MappingError as exc:
        result.datasets, result.errors = [], [str(exc)]
        return result
    result.mapping = chosen.to_dict()
    return result


def _detected(book, ctx: Context, result: WorkbookResult, profiles) -> Mapping:
    detected = Mapping()
    for sheet in book.sheets:
        try:
            detected.sheets.append(detect_sheet(sheet))
        except Exception as exc:  # one odd sheet must not stop the others
            result.issues.append(_internal(sheet.name, "finding its tables", exc))
            detected.sheets.append(SheetMapping(sheet.name))
    replay = layout_profiles.best_replay(book, detected, profiles, ctx.org)
    if replay is None:
        return detected
    result.profile = replay.profile
    result.issues.extend(replay.changes)
    return replay.mapping


def _settle_organisation_and_date(chosen: Mapping, ctx: Context, org, as_at, result: WorkbookResult) -> None:
    """The explicit org or date wins, then what the user set in the mapping, then what the workbook states,
    then (organisation only) the saved profile's."""
    if org and org.strip():
        chosen.organisation = stated(org.strip(), None, True)
    elif chosen.organisation.how != USER:
        profile_org = chosen.organisation if chosen.organisation.how == PROFILE else Stated()
        chosen.organisation = stated(ctx.org, ctx.org_cell, False) if ctx.org else profile_org
    explicit = _explicit_date(as_at, result)
    if explicit:
        chosen.as_at = stated(explicit, None, True)
    elif chosen.as_at.how != USER:
        chosen.as_at = stated(ctx.as_at, ctx.as_at_cell, False)
    result.org = chosen.organisation.value
    result.as_at = chosen.as_at.value
    result.synthetic = ctx.synthetic
    if result.org == ctx.org and organisation_name_changed(ctx.org_written):
        message = (
            f"The organisation name in {ctx.org_cell} holds invisible or look-alike characters; "
            f"it is read as '{ctx.org}'."
        )
        result.issues.append(Issue("warning", "organisation_name_normalised", ctx.org_cell or "", message))
    if result.as_at and not as_at:
        ctx.as_at = result.as_at


def _extract(book, ctx: Context, chosen: Mapping, result: WorkbookResult) -> None:
    for sheet_mapping in chosen.sheets:
        if sheet_mapping.tables and book.sheet(sheet_mapping.sheet) is None:
            raise MappingError(f"The mapping reads sheet '{sheet_mapping.sheet}', which '{result.file}' does not have.")
    summaries: list[Dataset] = []
    with vocabulary.using(chosen.vocabulary):
        for sheet in book.sheets:
            result.issues.extend(sheet.issues)
            if not sheet.visible:
                hidden = f"Sheet '{sheet.name}' is hidden; it was read all the same."
                result.issues.append(Issue("info", "hidden_sheet", sheet.name, hidden))
            sheet_mapping = chosen.sheet(sheet.name) or SheetMapping(sheet.name)
            read = tables_of(sheet, sheet_mapping)
            if not read and any(v is not None for row in sheet.rows for v in row):
                result.issues.append(Issue("info", "sheet_not_read", sheet.name, not_read_sentence(sheet.name)))
            for spec, table in read:
                for dataset in _build(table, ctx, result):
                    if dataset.kind in KIND_FIELDS:
                        _merge_or_add(result.datasets, dataset)
                    else:
                        summaries.append(dataset)
                record_decisions(spec, table)
    merge_plan_and_actual(result.datasets)
    for summary in summaries:
        _home(result, summary.sheet).issues.extend(summary.issues)
    for found in cross_check(result.datasets, summaries):
        _home(result, sheet_of(found.cell)).issues.append(found)
    if not result.datasets and not summaries:
        result.issues.append(
            Issue("warning", "no_tables", "", f"No table in '{result.file}' has headers the loaders recognise.")
        )
    for dataset in result.datasets:
        if not dataset.records and not dataset.error_count:
            table = f"The {dataset.kind} table on sheet '{dataset.sheet}' (header row {dataset.header_row})"
            dataset.issues.append(Issue("warning", "no_rows", dataset.sheet, f"{table} has no data rows."))
    every_issue = result.issues + [i for d in result.datasets for i in d.issues]
    unknown_words(every_issue, book, chosen)


def _explicit_date(value: str | None, result: WorkbookResult) -> str | None:
    if not value:
        return None
    iso = clean_date(value)
    if iso is None:
        result.issues.append(
            Issue("warning", "unreadable_date", "", f"The as-at date given, '{value}', is not a date.")
        )
    return iso


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
    failure = f"{type(exc).__name__}: {str(exc)[:120]}"
    return Issue(
        "error", "unreadable_table", where, f"The loaders failed while {doing} ({failure}); nothing from it was loaded."
    )


def _home(result: WorkbookResult, sheet: str):
    """Where a summary table's issues are kept so they are stored with a snapshot: the dataset read
    from the same sheet (the targets beside an area x stage table), else the scheme tracker."""
    same_sheet = [d for d in result.datasets if d.sheet == sheet]
    trackers = [d for d in result.datasets if d.kind == "qipp_schemes"]
    return (same_sheet + trackers + [result])[0]


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
