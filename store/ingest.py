"""Putting a loader's result into the store as snapshots, and taking snapshots back out."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import duckdb
import pyarrow as pa

from records import (
    LOADER_VERSION,
    Dataset,
    Issue,
    WorkbookResult,
    month_end,
    organisation_name,
    organisation_name_changed,
    record_columns,
)
from store.db import AUDIT_FIELDS, SNAPSHOT_FIELDS, StoreError, record_table, transaction

REMAPPED = "The same file read with another mapping."
FUTURE_GRACE = timedelta(days=31)  # an as-at date further ahead than this needs confirming
LAST_AS_AT = date(9999, 3, 31)  # the end of the last financial year a date can hold


class FutureAsAt(StoreError):
    """An as-at date more than a month ahead, refused unless the caller confirms it."""


def now() -> datetime:
    """The time a change to the store is recorded with, to the second."""
    return datetime.now().replace(microsecond=0)


def date_words(when: date) -> str:
    return f"{when.day} {when:%b} {when.year}"


def check_as_at(iso: str, file: str, allow_future: bool) -> None:
    """Refuse an as-at date no reporting period can have, and one more than a month ahead unless confirmed."""
    when = date.fromisoformat(iso)
    if when > LAST_AS_AT:
        raise StoreError(f"The as-at date {date_words(when)} of {file} is not a reporting date; give the right one.")
    if when > date.today() + FUTURE_GRACE and not allow_future:
        raise FutureAsAt(
            f"The as-at date {date_words(when)} of {file} is more than a month ahead; "
            "check it, or confirm that it is right to store it."
        )


@dataclass
class IngestOutcome:
    kind: str
    sheet: str
    status: str  # "new" | "identical" | "superseded"
    snapshot_id: int
    superseded_ids: list[int]
    record_count: int
    as_at: str | None = None
    current: tuple[str, str, int] | None = None  # (as_at, file, id): what is current when this file is not
    remapped: bool = False  # it supersedes the same file read with another mapping

    def sentence(self) -> str:
        where = f"{self.kind} from sheet '{self.sheet}'"
        if self.status == "identical":
            stored = f"this file is already stored as the {_words(self.as_at)} snapshot ({self.snapshot_id})"
            if self.current is None:
                return f"{where}: {stored}; nothing changed."
            current_as_at, current_file, current_id = self.current
            if current_as_at == self.as_at:
                return (
                    f"{where}: {stored}, superseded by snapshot {current_id} from {current_file}, which stays "
                    "current; nothing changed (restore it on the Data page to make it current)."
                )
            return (
                f"{where}: {stored}; the current one is {_words(current_as_at)} (snapshot {current_id}) "
                f"from {current_file}, so this file is older; nothing changed."
            )
        if self.status == "superseded":
            old = ", ".join(str(i) for i in self.superseded_ids)
            why = " (the same file read with another mapping)" if self.remapped else ""
            return f"{where}: stored as snapshot {self.snapshot_id}, superseding snapshot {old}{why}."
        return f"{where}: stored as new snapshot {self.snapshot_id} ({self.record_count} records)."


def _words(iso: str | None) -> str:
    return date_words(date.fromisoformat(iso)) if iso else "undated"


def _iso(value: str | None, what: str) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except (TypeError, ValueError):
        raise StoreError(f"The {what} '{value}' is not a date (expected YYYY-MM-DD).") from None


def dataset_as_at(dataset: Dataset, workbook_as_at: str | None) -> tuple[str | None, str | None, int | None]:
    """(as_at, financial_year, month) for a dataset: month-end for a month-N finance position."""
    if dataset.kind == "finance_lines" and dataset.records:
        first = dataset.records[0]
        fy, month = first.get("financial_year"), first.get("month")
        if fy and month:
            return month_end(str(fy), month), fy, month
    return workbook_as_at, dataset.financial_year, None


def _records_frame(dataset: Dataset, snapshot_id: int) -> pa.Table:
    columns, sheets, rows = record_columns(dataset.kind, dataset.records)
    frame = {"snapshot_id": [snapshot_id] * len(rows), "source_sheet": sheets, "source_row": rows, **columns}
    return pa.table({name: _arrow_column(values) for name, values in frame.items()})


def _arrow_column(values: list) -> pa.Array:
    """A column as Arrow, typed from its values; a column mixing types goes as text for the store to cast."""
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def ingest(
    con,
    result: WorkbookResult,
    org: str | None = None,
    as_at: str | None = None,
    allow_errors: bool = False,
    who: str | None = None,
    allow_future: bool = False,
) -> list[IngestOutcome]:
    """Store every dataset of one workbook in a single transaction.

    ``org`` and ``as_at`` override what the workbook states. The same file loaded again changes
    nothing; a different file for the same organisation, kind and as-at supersedes the snapshot
    it replaces (which stays restorable). An as-at date more than a month ahead is refused
    (``FutureAsAt``) unless ``allow_future``.
    """
    prepared = _prepare(result, org, as_at, allow_errors, allow_future)
    try:
        with transaction(con) as cur:
            return _store(cur, [prepared], who)[0]
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0][:200]
        raise StoreError(f"Nothing from {result.file} was stored: the store refused the write ({reason}).") from exc


def _prepare(result: WorkbookResult, org, as_at, allow_errors: bool, allow_future: bool):
    """(result, organisation, plans) of a workbook that may be stored, or StoreError saying why not; plans are
    (dataset, as-at, financial year, month) per dataset."""
    if result.errors:
        raise StoreError(result.errors[0])
    written = org or result.org
    org = organisation_name(written) or ""
    if not org:
        raise StoreError(f"{result.file} does not name its organisation; give one (--org).")
    if organisation_name_changed(written):
        message = f"The organisation name given held invisible or look-alike characters; it is stored as '{org}'."
        issue = Issue("warning", "organisation_name_normalised", "", message)  # each snapshot stores it
        result = replace(result, datasets=[replace(d, issues=[*d.issues, issue]) for d in result.datasets])
    if not result.datasets:
        raise StoreError(f"{result.file} holds no table the loaders recognise; nothing was stored.")
    with_errors = [d for d in result.datasets if d.error_count]
    if with_errors and not allow_errors:
        d = with_errors[0]
        raise StoreError(
            f"{result.file} has {sum(x.error_count for x in with_errors)} errors "
            f"(first in {d.kind} on sheet '{d.sheet}'); fix them or choose to store it with its issues."
        )
    plans = []
    for dataset in result.datasets:
        ds_as_at, fy, month = dataset_as_at(dataset, as_at or result.as_at)
        if not ds_as_at:
            raise StoreError(f"{result.file} does not state its as-at date; give one (--as-at YYYY-MM-DD).")
        plans.append((dataset, _iso(ds_as_at, "as-at date"), fy, month))
    for when in sorted({plan[1] for plan in plans}, reverse=True):
        check_as_at(when, result.file, allow_future)
    return result, org, plans


SNAPSHOT_COLUMNS = tuple(name for name in SNAPSHOT_FIELDS if name != "superseded_by")  # what a new one is given


def mapping_json(mapping: dict | None) -> str | None:
    """A mapping as the snapshots keep it: JSON with sorted keys, so the same mapping is always the same text."""
    return None if mapping is None else json.dumps(mapping, sort_keys=True, ensure_ascii=False)


def _profile_id(result: WorkbookResult) -> int | None:
    found = (result.profile or {}).get("profile_id")
    return None if found is None else int(found)


class _Writes:
    """The rows a workbook's (or several workbooks') new snapshots add, written with one statement per table."""

    def __init__(self) -> None:
        self.snapshots: list[list] = []
        self.records: dict[str, list[pa.Table]] = {}
        self.issues: list[list] = []
        self.supersede: list[tuple[int, list[int]]] = []
        self.audit: list[list] = []

    def add(self, snapshot_id, result, mapping, plan, org, theirs: list[list], loaded_at, who) -> IngestOutcome:
        """A new snapshot of ``plan``'s dataset, superseding the current ones of ``theirs`` (the store's snapshots
        of this organisation, kinds and dates) it replaces, which are marked so."""
        dataset, as_at, fy, month = plan
        version = (result.sha256, mapping)
        superseded = [
            row
            for row in theirs
            if row[7] is None and row[1] == dataset.kind and row[2] == as_at and (row[3], row[6]) != version
        ]
        for row in superseded:
            row[7] = snapshot_id
        replaced = sorted(row[0] for row in superseded)
        remapped = any(row[3] == result.sha256 for row in superseded)
        self.snapshots.append(
            [
                snapshot_id,
                org,
                dataset.kind,
                as_at,
                fy,
                month,
                result.file,
                result.sha256,
                dataset.sheet,
                dataset.header_row,
                loaded_at,
                who,
                LOADER_VERSION,
                len(dataset.records),
                len(dataset.issues),
                dataset.error_count,
                json.dumps(dataset.columns),
                mapping,
                _profile_id(result),
            ]
        )
        if dataset.records:
            self.records.setdefault(dataset.kind, []).append(_records_frame(dataset, snapshot_id))
        self.issues += [[snapshot_id, n, i.severity, i.code, i.cell, i.message] for n, i in enumerate(dataset.issues)]
        if replaced:
            self.supersede.append((snapshot_id, replaced))
        self.audit.append(
            [
                now(),
                who,
                "supersede" if replaced else "ingest",
                snapshot_id,
                result.sha256,
                REMAPPED if remapped else None,
                org,
                dataset.kind,
                as_at,
                result.file,
                replaced,
            ]
        )
        status = "superseded" if replaced else "new"
        count = len(dataset.records)
        return IngestOutcome(dataset.kind, dataset.sheet, status, snapshot_id, replaced, count, remapped=remapped)

    def write(self, cur) -> None:
        if self.snapshots:
            _insert_frame(cur, "snapshots", _rows_frame(SNAPSHOT_COLUMNS, self.snapshots))
        for kind, frames in self.records.items():
            _insert_frame(cur, record_table(kind), pa.concat_tables(frames, promote_options="permissive"))
        if self.issues:
            _insert_frame(cur, "snapshot_issues", _rows_frame(ISSUE_COLUMNS, self.issues))
        for snapshot_id, replaced in self.supersede:
            cur.execute(
                "UPDATE snapshots SET superseded_by = ? WHERE list_contains(?, snapshot_id)", [snapshot_id, replaced]
            )
        if self.audit:
            audit_ids = cur.execute("SELECT nextval('audit_ids') FROM range(?)", [len(self.audit)]).fetchall()
            rows = [[audit_id, *row] for (audit_id,), row in zip(audit_ids, self.audit, strict=True)]
            _insert_frame(cur, "audit_log", _rows_frame(("audit_id", *AUDIT_FIELDS), rows))


ISSUE_COLUMNS = ("snapshot_id", "seq", "severity", "code", "cell", "message")


def _rows_frame(columns: tuple[str, ...], rows: list[list]) -> pa.Table:
    return pa.table({c: _arrow_column(list(v)) for c, v in zip(columns, zip(*rows, strict=True), strict=True)})


def ingest_many(
    con,
    results: list[WorkbookResult],
    org: str | None = None,
    as_at: str | None = None,
    allow_errors: bool = False,
    who: str | None = None,
    allow_future: bool = False,
) -> list[list[IngestOutcome] | StoreError]:
    """Each workbook stored, in order, exactly as ``ingest`` stores it one after another (its outcomes, or the
    StoreError refusing it), with one transaction for them all. When the store refuses the write, each is
    stored on its own instead."""
    answers: list[list[IngestOutcome] | StoreError | None] = [None] * len(results)
    ready = []
    for n, result in enumerate(results):
        try:
            ready.append((n, _prepare(result, org, as_at, allow_errors, allow_future)))
        except StoreError as exc:
            answers[n] = exc
    if not ready:
        return answers
    try:
        with transaction(con) as cur:
            for (n, _), outcomes in zip(ready, _store(cur, [p for _, p in ready], who), strict=True):
                answers[n] = outcomes
    except duckdb.Error:
        for n, _ in ready:
            try:
                answers[n] = ingest(con, results[n], org, as_at, allow_errors, who, allow_future)
            except StoreError as exc:
                answers[n] = exc
    return answers


def _store(cur, prepared: list[tuple], who) -> list[list[IngestOutcome]]:
    """Every dataset of the workbooks, in order, as storing them one after another would, with a few statements:
    the organisations' snapshots for these kinds and dates read once, then one insert each for snapshots,
    records per kind, issues and audit. A snapshot's identity is its file and the mapping it was read with: the
    same file read with another mapping gives other records, so it is stored as a new version, superseding the one
    before. A workbook already stored is answered once what the workbooks before it add is written: its answer
    names what is current."""
    orgs = list(dict.fromkeys(org for _, org, _ in prepared))
    existing = [
        [*row]
        for row in cur.execute(
            "SELECT snapshot_id, kind, CAST(as_at AS VARCHAR), sha256, sheet, header_row, mapping_json, "
            "superseded_by, organisation FROM snapshots WHERE list_contains(?, organisation) "
            "AND list_contains(?, kind) AND list_contains(CAST(? AS DATE[]), as_at)",
            [
                orgs,
                sorted({d.kind for _, _, plans in prepared for d, *_ in plans}),
                sorted({a for _, _, plans in prepared for _, a, *_ in plans}),
            ],
        ).fetchall()
    ]
    synthetic = {org: result.synthetic for result, org, _ in prepared}  # the last workbook's word, as one by one
    values = ", ".join(["(?, ?)"] * len(orgs))
    cur.execute(
        f"INSERT INTO organisations (name, synthetic) VALUES {values} "  # noqa: S608 - placeholders only
        "ON CONFLICT (name) DO UPDATE SET synthetic = excluded.synthetic",
        [v for org in orgs for v in (org, synthetic[org])],
    )
    writes = _Writes()
    answers = []
    for result, org, plans in prepared:
        kinds, dates = {d.kind for d, *_ in plans}, {a for _, a, *_ in plans}
        theirs = [row for row in existing if row[8] == org and row[1] in kinds and row[2] in dates]
        mapping = mapping_json(result.mapping)
        same = [_same(theirs, plan, (result.sha256, mapping)) for plan in plans]
        if any(s is not None for s in same):
            writes.write(cur)
            writes = _Writes()
        fresh = sum(s is None for s in same)
        ids = iter(row[0] for row in cur.execute("SELECT nextval('snapshot_ids') FROM range(?)", [fresh]).fetchall())
        loaded_at = now()
        outcomes = []
        for plan, snapshot_id in zip(plans, same, strict=True):
            dataset, as_at, *_ = plan
            if snapshot_id is None:
                snapshot_id = next(ids)
                outcomes.append(writes.add(snapshot_id, result, mapping, plan, org, theirs, loaded_at, who))
                stored = [snapshot_id, dataset.kind, as_at, result.sha256, dataset.sheet, dataset.header_row, mapping]
                existing.append([*stored, None, org])  # as the rows read above: current, and its organisation
            else:
                instead = _current_instead(cur, org, dataset.kind, as_at, snapshot_id)
                count = len(dataset.records)
                outcomes.append(
                    IngestOutcome(dataset.kind, dataset.sheet, "identical", snapshot_id, [], count, as_at, instead)
                )
        answers.append(outcomes)
    writes.write(cur)
    return answers


def _current_instead(cur, org: str, kind: str, as_at: str, snapshot_id: int) -> tuple[str, str, int] | None:
    """The current snapshot shown instead of ``snapshot_id``: the one superseding it, or a later as-at date's."""
    row = cur.execute(
        "SELECT CAST(as_at AS VARCHAR), source_file, snapshot_id FROM snapshots "
        "WHERE organisation = ? AND kind = ? AND superseded_by IS NULL AND as_at >= ? "
        "ORDER BY as_at DESC, snapshot_id DESC LIMIT 1",
        [org, kind, as_at],
    ).fetchone()
    return None if row is None or row[2] == snapshot_id else tuple(row)


def _same(existing: list[list], plan: tuple, version: tuple[str, str | None]) -> int | None:
    """The latest snapshot of this very file read with this very mapping, of the same kind, as-at, sheet and
    header row (SQL equality: NULL matches nothing, except a mapping: none recorded matches none given)."""
    dataset, as_at = plan[0], plan[1]
    sha256, mapping = version
    key = (dataset.kind, as_at, sha256, dataset.sheet, dataset.header_row)
    if any(v is None for v in key):
        return None
    matches = [row[0] for row in existing if tuple(row[1:6]) == key and row[6] == mapping]
    return max(matches) if matches else None


def _insert_frame(cur, table: str, frame: pa.Table) -> None:
    """One statement inserting the frame's rows, by column name; the store reads the frame where it lies
    (DuckDB finds ``incoming_rows`` among this function's variables), with nothing to register."""
    incoming_rows = frame  # noqa: F841 - read by name in the statement below
    cols = ", ".join(frame.column_names)
    cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM incoming_rows")  # noqa: S608


def write_audit(cur, who, action: str, **about) -> None:
    """One audit row; ``about`` gives its other columns (of ``AUDIT_FIELDS``), those not given left empty."""
    row = {"happened_at": now(), "who": who, "action": action, "other_snapshots": [], **about}
    placeholders = ", ".join(["?"] * len(AUDIT_FIELDS))
    cur.execute(
        f"INSERT INTO audit_log (audit_id, {', '.join(AUDIT_FIELDS)}) VALUES (nextval('audit_ids'), {placeholders})",  # noqa: S608
        [row.get(column) for column in AUDIT_FIELDS],
    )


def _audit(cur, who, action: str, snapshot: dict, others: list[int]) -> None:
    """One audit row describing itself from ``snapshot`` (a snapshots row as a dict)."""
    about = ("snapshot_id", "sha256", "organisation", "kind", "as_at", "source_file")
    write_audit(cur, who, action, **{column: snapshot[column] for column in about}, other_snapshots=others)


COLUMNS = ", ".join(SNAPSHOT_FIELDS)  # a snapshot's row, alike in the snapshots and the deleted snapshots


def _snapshot_row(cur, table: str, snapshot_id: int) -> dict:
    """A row of ``table`` (the snapshots or the deleted snapshots) as a dict; StoreError when there is none."""
    row = cur.execute(
        f"SELECT {COLUMNS} FROM {table} WHERE snapshot_id = ?",  # noqa: S608
        [snapshot_id],
    ).fetchone()
    if row is None:
        raise StoreError(f"There is no {'snapshot' if table == 'snapshots' else 'deleted snapshot'} {snapshot_id}.")
    return dict(zip(SNAPSHOT_FIELDS, row, strict=True))


def _make_current(cur, snapshot: dict) -> list[int]:
    """Make ``snapshot`` the current one of its organisation, kind and as-at; returns those it now supersedes."""
    period = [snapshot[k] for k in ("organisation", "kind", "as_at", "sha256", "mapping_json")]
    superseded = cur.execute(
        "UPDATE snapshots SET superseded_by = ? WHERE organisation = ? AND kind = ? AND as_at = ? "
        "AND superseded_by IS NULL AND NOT (sha256 = ? AND mapping_json IS NOT DISTINCT FROM ?) RETURNING snapshot_id",
        [snapshot["snapshot_id"], *period],
    ).fetchall()
    cur.execute(
        "UPDATE snapshots SET superseded_by = NULL WHERE organisation = ? AND kind = ? AND as_at = ? "
        "AND sha256 = ? AND mapping_json IS NOT DISTINCT FROM ?",
        period,
    )
    return sorted(row[0] for row in superseded)


def restore(con, snapshot_id: int, who: str | None = None) -> list[int]:
    """Make a superseded snapshot current again; returns the snapshots it now supersedes."""
    with transaction(con) as cur:
        snapshot = _snapshot_row(cur, "snapshots", snapshot_id)
        if snapshot["superseded_by"] is None:
            return []
        current = _make_current(cur, snapshot)
        _audit(cur, who, "restore", snapshot, current)
    return current


def delete_snapshot(con, snapshot_id: int, who: str | None = None) -> list[int]:
    """Delete a snapshot: it leaves every page but is kept, with its records and issues, among the deleted
    snapshots, restorable. A snapshot it had superseded becomes current; returns those."""
    with transaction(con) as cur:
        snapshot = _snapshot_row(cur, "snapshots", snapshot_id)
        now_current = sorted(
            row[0]
            for row in cur.execute(
                "UPDATE snapshots SET superseded_by = ? WHERE superseded_by = ? RETURNING snapshot_id",
                [snapshot["superseded_by"], snapshot_id],
            ).fetchall()
        )
        cur.execute(
            f"INSERT INTO deleted_snapshots ({COLUMNS}, deleted_at, deleted_by) "  # noqa: S608
            f"SELECT {COLUMNS}, ?, ? FROM snapshots WHERE snapshot_id = ?",
            [now(), who, snapshot_id],
        )
        cur.execute("DELETE FROM snapshots WHERE snapshot_id = ?", [snapshot_id])
        _audit(cur, who, "delete", snapshot, now_current if snapshot["superseded_by"] is None else [])
    return now_current


def restore_deleted(con, snapshot_id: int, who: str | None = None) -> list[int]:
    """Bring a deleted snapshot back as it was: current if it was current when deleted (superseding what became
    current in its place), else superseded by the current one. Returns the snapshots it now supersedes."""
    with transaction(con) as cur:
        snapshot = _snapshot_row(cur, "deleted_snapshots", snapshot_id)
        again = cur.execute(
            "SELECT snapshot_id FROM snapshots WHERE organisation = ? AND kind = ? AND as_at = ? AND sha256 = ? "
            "AND sheet IS NOT DISTINCT FROM ? AND header_row IS NOT DISTINCT FROM ? "
            "AND mapping_json IS NOT DISTINCT FROM ?",
            [snapshot[k] for k in ("organisation", "kind", "as_at", "sha256", "sheet", "header_row", "mapping_json")],
        ).fetchone()
        if again is not None:
            raise StoreError(
                f"Snapshot {snapshot_id} cannot be restored: the same file is stored again as snapshot {again[0]}."
            )
        current = cur.execute(
            "SELECT max(snapshot_id) FROM snapshots WHERE organisation = ? AND kind = ? AND as_at = ? "
            "AND superseded_by IS NULL",
            [snapshot["organisation"], snapshot["kind"], snapshot["as_at"]],
        ).fetchone()[0]
        cur.execute(
            f"INSERT INTO snapshots ({COLUMNS}) SELECT {COLUMNS} FROM deleted_snapshots WHERE snapshot_id = ?",  # noqa: S608
            [snapshot_id],
        )
        cur.execute("DELETE FROM deleted_snapshots WHERE snapshot_id = ?", [snapshot_id])
        if snapshot["superseded_by"] is None or current is None:  # it was current when deleted, or nothing is now
            superseded = _make_current(cur, snapshot)
        else:
            superseded = []
            cur.execute("UPDATE snapshots SET superseded_by = ? WHERE snapshot_id = ?", [current, snapshot_id])
        _audit(cur, who, "restore deleted", snapshot, superseded)
    return superseded
