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


def _table(con, orgs: list[str], columns) -> pd.DataFrame:
    """One row per organisation: its name, whether its data is synthetic, then ``columns(org)``."""
    marks = _marks(con, orgs)
    return pd.DataFrame([{"Organisation": org, "Data": marks[org], **columns(org)} for org in orgs])


def overview_compared(con, orgs: list[str]) -> pd.DataFrame:
    """One row per organisation with the Overview tiles' headline figures and the date each comes from."""
    return _table(con, orgs, lambda org: overview_analysis.headline_columns(overview.overview(con, org)))


def risks_by_organisation(con, frame: pd.DataFrame) -> pd.DataFrame:
    """Per organisation in a (filtered) register: risks, above target, not moved, in the top band, as at."""
    return overview_analysis.risks_by_organisation(frame, _marks(con, list(dict.fromkeys(frame["organisation"]))))


def qipp_by_organisation(con, orgs: list[str]) -> pd.DataFrame:
    """Per organisation, its latest QIPP position: target, identified, risk-adjusted and the gaps."""

    def columns(org: str) -> dict:
        tile = overview.qipp_tile(con, org)
        identified = overview_analysis.value_or_none(tile, "identified_incl")
        return {**overview_analysis.qipp_columns(tile), "QIPP identified incl. pipeline £'000": identified}

    return _table(con, orgs, columns)


def finance_by_organisation(con, orgs: list[str]) -> pd.DataFrame:
    """Per organisation, its latest month's YTD and forecast variance, each with its word."""
    return _table(con, orgs, lambda org: overview_analysis.finance_columns(overview.finance_tile(con, org)))
