"""Organisations side by side: each one's headline figures in one table, for the NHS England view."""

from __future__ import annotations

import pandas as pd

from analysis import risks as risk_analysis
from store import overview
from store.snapshots import organisations

SYNTHETIC_NOTE = "synthetic demo data"


def position_word(variance) -> str:
    """``favourable``, ``adverse`` or ``on plan`` for a favourable-positive variance, so no figure relies on colour."""
    if variance is None or pd.isna(variance) or round(float(variance)) == 0:
        return "on plan"
    return "favourable" if variance > 0 else "adverse"


def _marks(con, orgs: list[str]) -> dict[str, str]:
    known = organisations(con)
    synthetic = dict(zip(known["name"], known["synthetic"], strict=True))
    return {org: SYNTHETIC_NOTE if synthetic.get(org) else "" for org in orgs}


def _or_none(tile: overview.Tile, name: str):
    return tile.figures.get(name) if tile.loaded else None


def _risk_columns(tile: overview.Tile) -> dict:
    return {
        "Risks as at": tile.as_at,
        "Risks": _or_none(tile, "risks"),
        "Above target": _or_none(tile, "above_target"),
        "Risks with no current or target score": _unjudged(tile.figures) if tile.loaded else None,
        "In the top band": _or_none(tile, "top_band"),
        "Closed risks left out": _or_none(tile, "closed"),
    }


def _unjudged(counts: dict) -> int:
    """Risks the above-target count could not judge (no current score or no target)."""
    return counts["risks"] - counts["compared"]


def _qipp_columns(tile: overview.Tile) -> dict:
    return {
        "QIPP as at": tile.as_at,
        "QIPP target £'000": _or_none(tile, "target"),
        "QIPP risk-adjusted £'000": _or_none(tile, "risk_adjusted"),
        "QIPP gap, risk-adjusted £'000": _or_none(tile, "gap_risk_adjusted"),
        "QIPP gap excl. pipeline £'000": _or_none(tile, "gap_excl"),
    }


def _finance_columns(tile: overview.Tile) -> dict:
    ytd, forecast = _or_none(tile, "ytd_variance"), _or_none(tile, "forecast_variance")
    return {
        "Finance as at": tile.as_at,
        "Finance month": _or_none(tile, "label"),
        "YTD variance £'000": ytd,
        "YTD position": position_word(ytd) if tile.loaded else None,
        "Forecast variance £'000": forecast,
        "Forecast position": position_word(forecast) if tile.loaded else None,
    }


def _activity_columns(tile: overview.Tile) -> dict:
    measured = _or_none(tile, "with_actuals")
    return {
        "Activity plan as at": tile.as_at,
        "Activity above plan YTD": f"{tile.figures['above_plan']} of {measured}" if measured else None,
        "Activity below plan YTD": f"{tile.figures['below_plan']} of {measured}" if measured else None,
    }


def _improvement_columns(tile: overview.Tile) -> dict:
    return {
        "Improvement plan as at": tile.as_at,
        "Actions complete %": _or_none(tile, "pct_complete"),
        "Actions complete": _or_none(tile, "label"),
    }


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
                **_risk_columns(tiles["risks"]),
                **_qipp_columns(tiles["qipp"]),
                **_finance_columns(tiles["finance"]),
                **_activity_columns(tiles["activity"]),
                **_improvement_columns(tiles["improvement"]),
            }
        )
    return pd.DataFrame(rows)


def risks_by_organisation(con, frame: pd.DataFrame) -> pd.DataFrame:
    """Per organisation in a (filtered) register: risks, above target, not moved, in the top band, as at."""
    orgs = list(dict.fromkeys(frame["organisation"]))
    marks = _marks(con, orgs)
    rows = []
    for org in orgs:
        own = frame[frame["organisation"] == org]
        counts = risk_analysis.summary(own)
        rows.append(
            {
                "Organisation": org,
                "Data": marks[org],
                "As at": pd.Timestamp(own["as_at"].max()).date(),
                "Risks": counts["risks"],
                "Above target": counts["above_target"],
                "Risks with no current or target score": _unjudged(counts),
                "Not moved since initial": counts["not_moved"],
                "In the top band": counts["top_band"],
            }
        )
    return pd.DataFrame(rows)


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
                **_qipp_columns(tile),
                "QIPP identified incl. pipeline £'000": _or_none(tile, "identified_incl"),
            }
        )
    return pd.DataFrame(rows)


def finance_by_organisation(con, orgs: list[str]) -> pd.DataFrame:
    """Per organisation, its latest month's YTD and forecast variance, each with its word."""
    marks = _marks(con, orgs)
    rows = []
    for org in orgs:
        tile = overview.finance_tile(con, org)
        rows.append({"Organisation": org, "Data": marks[org], **_finance_columns(tile)})
    return pd.DataFrame(rows)


def largest_gap(compared: pd.DataFrame) -> str:
    """The finding of a QIPP comparison: which organisation is furthest from its target."""
    column = "QIPP gap, risk-adjusted £'000"
    stated = compared.dropna(subset=[column])
    if stated.empty:
        return "no organisation has a QIPP target loaded"
    top = stated.loc[stated[column].idxmax()]
    if top[column] <= 0:
        return f"all {len(stated)} organisations with a target cover it after risk adjustment"
    return f"{top['Organisation']} is furthest from target, a risk-adjusted gap of £{top[column]:,.0f}k"


def most_adverse(compared: pd.DataFrame) -> str:
    """The finding of a finance comparison: which organisation forecasts the most adverse variance."""
    column = "Forecast variance £'000"
    stated = compared.dropna(subset=[column])
    if stated.empty:
        return "no organisation has a finance position loaded"
    adverse = stated[stated["Forecast position"] == "adverse"]
    if adverse.empty:
        return f"none of {len(stated)} organisations forecasts an adverse variance"
    worst = adverse.loc[adverse[column].idxmin()]
    return (
        f"{len(adverse)} of {len(stated)} forecast an adverse variance; "
        f"{worst['Organisation']} the most, £{-worst[column]:,.0f}k adverse"
    )


def overview_finding(compared: pd.DataFrame) -> str:
    """The finding of the Overview's comparison: how many forecast an adverse variance, who has most risks above target."""
    parts = []
    with_finance = compared.dropna(subset=["Forecast position"])
    if len(with_finance):
        adverse = int((with_finance["Forecast position"] == "adverse").sum())
        parts.append(f"{adverse} of {len(with_finance)} forecast an adverse variance")
    with_risks = compared.dropna(subset=["Above target"])
    if len(with_risks) and with_risks["Above target"].max() > 0:
        top = with_risks.loc[with_risks["Above target"].astype(float).idxmax()]
        parts.append(f"most risks above target at {top['Organisation']} ({int(top['Above target'])})")
    return "; ".join(parts) or f"{len(compared)} organisations compared"


def as_at_columns(compared: pd.DataFrame) -> list[str]:
    """The columns of a comparison that hold each organisation's as-at date."""
    return [c for c in compared.columns if c == "As at" or c.endswith(" as at")]


def _day(value) -> str:
    return pd.Timestamp(value).strftime("%d %b %Y")


def _who(orgs: list[str]) -> str:
    return orgs[0] if len(orgs) == 1 else f"{orgs[0]} and {len(orgs) - 1} more"


def as_at_differences(compared: pd.DataFrame) -> list[str]:
    """A sentence for each as-at column whose organisations' dates differ, naming the earliest and latest, so
    figures from different periods never sit side by side unremarked."""
    notes = []
    for column in as_at_columns(compared):
        dates = pd.to_datetime(compared[column], errors="coerce")
        stated = compared.assign(_date=dates.dt.normalize()).dropna(subset=["_date"])
        if stated["_date"].nunique() < 2:
            continue
        earliest, latest = stated["_date"].min(), stated["_date"].max()
        first = list(stated.loc[stated["_date"] == earliest, "Organisation"])
        last = list(stated.loc[stated["_date"] == latest, "Organisation"])
        what = "" if column == "As at" else f"{column[: -len(' as at')]}: "
        notes.append(
            f"{what}As-at dates differ: from {_day(earliest)} ({_who(first)}) to {_day(latest)} ({_who(last)}); "
            "figures from different periods sit side by side."
        )
    return notes
