"""Queries about organisations, snapshots and their issues."""

from __future__ import annotations

from datetime import date

import pandas as pd

from records import KIND_FIELDS
from store.backup import STORE_TABLES
from store.db import query_df, record_table


def organisations(con) -> pd.DataFrame:
    """Organisations with at least one current snapshot: name, synthetic."""
    return organisation_coverage(con)[["name", "synthetic"]]


def organisation_coverage(con) -> pd.DataFrame:
    """Per organisation with current snapshots: name, synthetic, kinds (how many kinds of data hold records)
    and latest (the latest as-at date of those)."""
    return query_df(
        con,
        "SELECT o.name, o.synthetic, count(DISTINCT s.kind) FILTER (WHERE s.record_count > 0) AS kinds, "
        "max(s.as_at) FILTER (WHERE s.record_count > 0) AS latest "
        "FROM organisations o JOIN snapshots s ON s.organisation = o.name AND s.superseded_by IS NULL "
        "GROUP BY o.name, o.synthetic ORDER BY o.synthetic, o.name",
    )


def default_organisation(coverage: pd.DataFrame) -> str | None:
    """The organisation to show when none is asked for: the most kinds of data loaded, then the latest as-at
    date, then a real organisation before a synthetic one, then by name. None when there is none."""
    if coverage.empty:
        return None
    ranked = coverage.assign(latest=pd.to_datetime(coverage["latest"])).sort_values(
        ["kinds", "latest", "synthetic", "name"], ascending=[False, False, True, True], na_position="last"
    )
    return str(ranked["name"].iloc[0])


def is_empty(con) -> bool:
    return query_df(con, "SELECT count(*) AS n FROM snapshots")["n"].iloc[0] == 0


SNAPSHOT_COLUMNS = (
    "s.snapshot_id, s.organisation, o.synthetic, s.kind, s.as_at, s.financial_year, s.month, "
    "s.source_file, s.sha256, s.sheet, s.header_row, s.loaded_at, s.loaded_by, s.loader_version, "
    "s.record_count, s.issue_count, s.error_count, s.superseded_by"
)


LAST_FINANCIAL_YEAR_START = 9998  # 9998/99 ends on 31 March 9999; a later one cannot be written as dates


def financial_year_dates(label: str) -> tuple[date, date]:
    """The first and last day of an April-to-March financial year written as ``2019/20``."""
    start = int(label[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def _snapshot_filter(org, kind, include_superseded, orgs, financial_year) -> tuple[str, list]:
    if org is not None:
        orgs = [org]
    first, last = financial_year_dates(financial_year) if financial_year else (None, None)
    where = (
        "WHERE (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], s.organisation)) "
        "AND (?::VARCHAR IS NULL OR s.kind = ?) AND (?::DATE IS NULL OR s.as_at BETWEEN ? AND ?) "
        "AND (? OR s.superseded_by IS NULL)"
    )
    orgs = list(orgs) if orgs is not None else None
    return where, [orgs, orgs, kind, kind, first, first, last, include_superseded]


def snapshots(
    con,
    org: str | None = None,
    kind: str | None = None,
    include_superseded: bool = True,
    *,
    orgs: list[str] | None = None,
    financial_year: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> pd.DataFrame:
    """Snapshots with provenance, newest as-at date first.

    ``org`` or ``orgs`` limit to organisations (an empty list matches none), ``kind`` to a record kind,
    ``financial_year`` (``2019/20``) to as-at dates within it; ``limit`` and ``offset`` give one page.
    """
    where, params = _snapshot_filter(org, kind, include_superseded, orgs, financial_year)
    return query_df(
        con,
        f"SELECT {SNAPSHOT_COLUMNS} FROM snapshots s JOIN organisations o ON o.name = s.organisation {where} "  # noqa: S608
        "ORDER BY s.as_at DESC, s.organisation, s.kind, s.snapshot_id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )


def snapshot_count(
    con,
    org: str | None = None,
    kind: str | None = None,
    include_superseded: bool = True,
    *,
    orgs: list[str] | None = None,
    financial_year: str | None = None,
) -> int:
    """How many snapshots ``snapshots`` would list with the same filters and no limit."""
    where, params = _snapshot_filter(org, kind, include_superseded, orgs, financial_year)
    frame = query_df(con, f"SELECT count(*) AS n FROM snapshots s {where}", params)  # noqa: S608
    return int(frame["n"].iloc[0])


def snapshot_summary(con) -> dict:
    """In one read: ``version``, a number that changes with every change to the store (each one writes the
    audit log); ``snapshots``, how many there are; ``years``, the financial years (``2019/20``) of their
    as-at dates, newest first."""
    frame = query_df(
        con,
        "SELECT (SELECT coalesce(max(audit_id), 0) FROM audit_log) AS version, "
        "(SELECT count(*) FROM snapshots) AS snapshots, "
        "(SELECT list(DISTINCT year(as_at) - CASE WHEN month(as_at) < 4 THEN 1 ELSE 0 END) FROM snapshots) AS starts",
    )
    row = frame.iloc[0]
    starts = sorted((int(start) for start in row["starts"]), reverse=True) if row["snapshots"] else []
    starts = [start for start in starts if start <= LAST_FINANCIAL_YEAR_START]  # a year a page can show
    return {
        "version": int(row["version"]),
        "snapshots": int(row["snapshots"]),
        "years": [f"{start}/{(start + 1) % 100:02d}" for start in starts],
    }


def as_at_dates(con, org: str | list[str], kind: str) -> list:
    """The as-at dates with a current snapshot of this kind for this organisation (or any of these), oldest first."""
    orgs = [org] if isinstance(org, str) else list(org)
    frame = query_df(
        con,
        "SELECT DISTINCT as_at FROM snapshots WHERE list_contains(?, organisation) AND kind = ? "
        "AND superseded_by IS NULL ORDER BY as_at",
        [orgs, kind],
    )
    return [d.date() if hasattr(d, "date") else d for d in frame["as_at"]]


def snapshot_issues(con, snapshot_id: int) -> pd.DataFrame:
    """A snapshot's issues, errors first."""
    return query_df(
        con,
        "SELECT severity, code, cell, message FROM snapshot_issues WHERE snapshot_id = ? "
        "ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, seq",
        [snapshot_id],
    )


def current_records(con, kind: str, orgs: list[str] | str | None = None, as_at=None) -> pd.DataFrame:
    """Records of the current snapshots of a kind, with organisation and as_at columns.

    ``orgs`` limits to organisations; ``as_at`` to one date (default: every date).
    """
    if isinstance(orgs, str):
        orgs = [orgs]
    sql = (
        f"SELECT s.organisation, s.as_at, r.* FROM {record_table(kind)} r JOIN snapshots s USING (snapshot_id) "  # noqa: S608
        "WHERE s.superseded_by IS NULL AND (? IS NULL OR list_contains(?, s.organisation)) "
        "AND (? IS NULL OR s.as_at = ?) ORDER BY s.organisation, s.as_at, r.snapshot_id, r.source_row"
    )
    return query_df(con, sql, [orgs, orgs, as_at, as_at])


def audit_log(con, limit: int | None = 200) -> pd.DataFrame:
    """The latest changes to the store, newest first; ``limit=None`` for every change. Each row names its
    snapshot's organisation, kind, as-at date and file, and the other snapshots the change superseded or made
    current."""
    return query_df(
        con,
        "SELECT happened_at, who, action, organisation, kind, as_at, source_file, snapshot_id, other_snapshots, "
        "detail, sha256 FROM audit_log ORDER BY audit_id DESC LIMIT ?",
        [limit],
    )


def deleted_snapshots(con) -> pd.DataFrame:
    """The deleted snapshots, kept restorable, most recently deleted first."""
    return query_df(
        con,
        "SELECT snapshot_id, organisation, kind, as_at, source_file, sheet, record_count, issue_count, loaded_at, "
        "deleted_at, deleted_by, superseded_by IS NULL AS was_current FROM deleted_snapshots "
        "ORDER BY deleted_at DESC, snapshot_id DESC",
    )


def audit_count(con) -> int:
    return int(query_df(con, "SELECT count(*) AS n FROM audit_log")["n"].iloc[0])


def table_checksums(con) -> dict[str, str]:
    """A checksum of every table's content but the audit log's, to prove an operation left the store unchanged."""
    tables = [table for table in (*STORE_TABLES, *KIND_FIELDS) if table != "audit_log"]
    sums = {}
    for table in tables:
        sql = f"SELECT count(*) AS n, coalesce(bit_xor(hash(t)), 0) AS h FROM {table} t"  # noqa: S608
        frame = query_df(con, sql)
        sums[table] = f"{frame['n'].iloc[0]}:{frame['h'].iloc[0]}"
    return sums
