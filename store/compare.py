"""Organisations side by side: each one's headline figures in one table, for the NHS England view."""

from __future__ import annotations

import pandas as pd

from analysis import overview as overview_analysis
from store import overview
from store.snapshots import organisations

SYNTHETIC_NOTE = "synthetic demo data"


def _marks(con, orgs: list[str]) -> dict[str, str]:
    known = organisations(con)
    synthetic = dict(zip(known["name"], known["synthetic"], strict=True))
    return {org: SYNTHETIC_NOTE if synthetic.get(org) else "" for org in orgs}


def overview_compared(con, orgs: list[str]) -> pd.DataFrame:
    """One row per organisation with the Overview tiles' headline figures and the date each comes from."""
    marks = _marks(con, orgs)
    rows = []
    for org in orgs:
        tiles = overview.overview(con, org)
        rows.append(
            {
                "Organisation": org,
                "Data": marks[org],
                **overview_analysis.risk_columns(tiles["risks"]),
                **overview_analysis.qipp_columns(tiles["qipp"]),
                **overview_analysis.finance_columns(tiles["finance"]),
                **overview_analysis.activity_columns(tiles["activity"]),
                **overview_analysis.improvement_columns(tiles["improvement"]),
            }
        )
    return pd.DataFrame(rows)


def risks_by_organisation(con, frame: pd.DataFrame) -> pd.DataFrame:
    """Per organisation in a (filtered) register: risks, above target, not moved, in the top band, as at."""
    return overview_analysis.risks_by_organisation(frame, _marks(con, list(dict.fromkeys(frame["organisation"]))))


def qipp_by_organisation(con, orgs: list[str]) -> pd.DataFrame:
    """Per organisation, its latest QIPP position: target, identified, risk-adjusted and the gaps."""
    marks = _marks(con, orgs)
    rows = []
    for org in orgs:
        tile = overview.qipp_tile(con, org)
        rows.append(
            {
                "Organisation": org,
                "Data": marks[org],
                **overview_analysis.qipp_columns(tile),
                "QIPP identified incl. pipeline £'000": overview_analysis.value_or_none(tile, "identified_incl"),
            }
        )
    return pd.DataFrame(rows)


def finance_by_organisation(con, orgs: list[str]) -> pd.DataFrame:
    """Per organisation, its latest month's YTD and forecast variance, each with its word."""
    marks = _marks(con, orgs)
    rows = []
    for org in orgs:
        tile = overview.finance_tile(con, org)
        rows.append({"Organisation": org, "Data": marks[org], **overview_analysis.finance_columns(tile)})
    return pd.DataFrame(rows)
