"""Checks across the tables of one workbook: duplicate refs, and summaries against the rows they summarise."""

from __future__ import annotations

from collections import defaultdict

from openpyxl.utils import column_index_from_string

from loaders.headers import normalise
from loaders.kinds.common import fmt, total_issue
from loaders.kinds.qipp import pipeline_status
from loaders.workbook import cell_ref
from records import Dataset, Issue, record_columns

REF_KINDS = {"risks": "Risk", "qipp_schemes": "Scheme", "actions": "Action", "action_concerns": "Action"}


def cross_check(datasets: list[Dataset], summaries: list[Dataset]) -> list[Issue]:
    for dataset in datasets:
        if dataset.kind in REF_KINDS:
            dataset.issues.extend(duplicate_refs(dataset))
    checked = [s for s in summaries if s.kind in ("qipp_stage_matrix", "qipp_rag_summary")]
    schemes = [r for d in datasets if d.kind == "qipp_schemes" for r in d.records] if checked else []
    issues: list[Issue] = []
    for summary in checked if schemes else []:
        check = stage_matrix_vs_schemes if summary.kind == "qipp_stage_matrix" else rag_summary_vs_schemes
        agrees = f"The summary on sheet '{summary.sheet}' agrees with the {len(schemes)} scheme rows."
        issues.extend(check(summary, schemes) or [Issue("info", "summary_agrees", summary.sheet, agrees)])
    return issues


def duplicate_refs(dataset: Dataset) -> list[Issue]:
    letter = dataset.columns.get("ref")
    column = column_index_from_string(letter) - 1 if letter and letter.isalpha() else 0
    values, sheets, rows = record_columns(dataset.kind, dataset.records)
    refs = values["ref"]
    if dataset.kind == "actions":  # several actions may share a parent ref (a risk's, a recommendation's)
        refs = [None if ref is None else (ref, action) for ref, action in zip(refs, values["action"], strict=True)]
    first: dict = {}
    issues = []
    if len(set(refs) - {None}) == len(refs) - refs.count(None):
        return issues  # every ref distinct: the common case, without a loop over the rows
    for n, ref in enumerate(refs):
        if ref is None:
            continue
        seen = first.setdefault(ref, n)
        if seen == n:
            continue
        issues.append(
            Issue(
                "warning",
                "duplicate_ref",
                cell_ref(sheets[n], rows[n] - 1, column),
                f"{REF_KINDS[dataset.kind]} {values['ref'][n]} appears again (first at "
                f"{cell_ref(sheets[seen], rows[seen] - 1, column)}); both rows are loaded.",
            )
        )
    return issues


def stage_matrix_vs_schemes(summary: Dataset, schemes: list[dict]) -> list[Issue]:
    """Each area x stage cell (count and value) against the scheme rows."""
    counts: dict[tuple[str, int], int] = defaultdict(int)
    values: dict[tuple[str, int], float] = defaultdict(float)
    for s in schemes:
        if s.get("area") is None or s.get("stage") is None:
            continue
        key = (normalise(s["area"]), s["stage"])
        counts[key] += 1
        values[key] += s.get("value") or 0
    areas = {normalise(s["area"]) for s in schemes if s.get("area")}
    issues = []
    for cell in summary.records:
        area = normalise(cell["area"])
        if area not in areas:
            continue
        key = (area, cell["stage"])
        stated = cell["value"] or 0
        count = cell["measure"] == "count"
        actual = counts[key] if count else values[key]
        message = (
            f"{cell['area']}, stage {cell['stage']}: the summary says {fmt(stated)} {'schemes' if count else 'value'} "
            f"but the scheme rows give {fmt(actual)}."
        )
        issues.append(total_issue("summary_mismatch", cell["cell"], stated, actual, message, None if count else 1.0))
    return [issue for issue in issues if issue is not None]


def rag_summary_vs_schemes(summary: Dataset, schemes: list[dict]) -> list[Issue]:
    """Net value by status (in delivery / pipeline) and RAG against the scheme rows."""
    values: dict[tuple[bool, str | None], float] = defaultdict(float)
    for s in schemes:
        if s.get("stage") is None:
            continue
        values[(s["stage"] == 0, s.get("rag"))] += s.get("value") or 0
    issues = []
    for row in summary.records:
        if row["value"] is None:
            continue
        key = (pipeline_status(row["status"]), row["rag"])
        where = "pipeline" if key[0] else "in delivery"
        message = (
            f"{row['status'] or ''} {row['rag'] or 'unrated'}: the summary says {fmt(row['value'])} but "
            f"the {where} schemes rated {row['rag'] or 'unrated'} add up to {fmt(values[key])}."
        )
        issues.append(total_issue("summary_mismatch", row["cell"], row["value"], values[key], message))
    return [issue for issue in issues if issue is not None]
