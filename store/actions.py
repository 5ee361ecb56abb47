"""Improvement-plan actions: the report dates, action rows, counts by report and trackers' RAG summaries
(``action_summary``) that ``analysis.completion`` makes into the completion trend and compares, and concerns.
"""

from __future__ import annotations

import pandas as pd

from analysis import completion
from records import KIND_FIELDS
from store.db import query_df
from store.snapshots import current_records


def report_dates(con, org: str) -> list:
    """Dates with action rows for an organisation, oldest first."""
    dates = query_df(
        con,
        "SELECT DISTINCT s.as_at FROM snapshots s WHERE s.kind = 'actions' AND s.superseded_by IS NULL "
        "AND s.organisation = ? AND EXISTS (SELECT 1 FROM actions r WHERE r.snapshot_id = s.snapshot_id) "
        "ORDER BY s.as_at",
        [org],
    )
    return [pd.Timestamp(d) for d in dates["as_at"]]


def actions(con, orgs: list[str] | str | None = None, as_at=None) -> pd.DataFrame:
    """Action rows of each organisation's latest snapshot (or of the snapshot at ``as_at``)."""
    return completion.latest_actions(current_records(con, "actions", orgs, as_at))


ROWS_BY_REPORT_SQL = """
SELECT s.organisation, s.as_at AS report_date, r.rag, r.status, count(*) AS actions
FROM actions r JOIN snapshots s USING (snapshot_id)
WHERE s.superseded_by IS NULL AND (? IS NULL OR list_contains(?, s.organisation))
GROUP BY s.organisation, s.as_at, r.rag, r.status
ORDER BY s.organisation, s.as_at
"""


def completion_trend(con, orgs: list[str] | str | None = None) -> pd.DataFrame:
    """RAG counts and % complete per organisation and report date (``analysis.completion.trend``)."""
    orgs = [orgs] if isinstance(orgs, str) else orgs
    summary = current_records(con, "action_summary", orgs)
    return completion.trend(query_df(con, ROWS_BY_REPORT_SQL, [orgs, orgs]), summary)


def rows_vs_summary(con, org: str) -> pd.DataFrame:
    """Area by area, for each report with both rows and a summary: the two counts and whether they agree."""
    return completion.rows_vs_summary(current_records(con, "actions", org), current_records(con, "action_summary", org))


def concerns(con, orgs: list[str] | str | None = None) -> pd.DataFrame:
    """The action concern report of each organisation's latest snapshot."""
    rows = current_records(con, "action_concerns", orgs)
    columns = ["organisation", "as_at", *KIND_FIELDS["action_concerns"]]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    return completion.latest_snapshot(rows)[columns].reset_index(drop=True)
