"""Organisations side by side: each one's headline figures in one table, for the NHS England view."""

from __future__ import annotations

import pandas as pd

from analysis import compare
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
                **compare.risk_columns(tiles["risks"]),
                **compare.qipp_columns(tiles["qipp"]),
                **compare.finance_columns(tiles["finance"]),
                **compare.activity_columns(tiles["activity"]),
                **compare.improvement_columns(tiles["improvement"]),
            }
        )
    return pd.DataFrame(rows)


def risks_by_organisation(con, frame: pd.DataFrame) -> pd.DataFrame:
    """Per organisation in a (filtered) register: risks, above target, not moved, in the top band, as at."""
    return compare.risks_by_organisation(frame, _marks(con, list(dict.fromkeys(frame["organisation"]))))


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
                **compare.qipp_columns(tile),
                "QIPP identified incl. pipeline £'000": compare.value_or_none(tile, "identified_incl"),
            }
        )
    return pd.DataFrame(rows)


def finance_by_organisation(con, orgs: list[str]) -> pd.DataFrame:
    """Per organisation, its latest month's YTD and forecast variance, each with its word."""
    marks = _marks(con, orgs)
    rows = []
    for org in orgs:
        tile = overview.finance_tile(con, org)
        rows.append({"Organisation": org, "Data": marks[org], **compare.finance_columns(tile)})
    return pd.DataFrame(rows)
