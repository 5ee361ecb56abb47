"""The Overview's tiles: each dataset's latest position for one organisation and what moved since the one before;
the columns each tile gives a row of organisations compared."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

import formats
from analysis import activity as activity_analysis
from analysis import completion, qipp_schemes, wording
from analysis import finance as finance_analysis
from analysis import risks as risk_analysis


@dataclass
class Tile:
    """One tile of the Overview: its figures, the as-at date they come from, and the one before."""

    loaded: bool
    as_at: object = None
    previous_as_at: object = None
    figures: dict = field(default_factory=dict)


def _date(value):
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def risk_tile(register: pd.DataFrame, previous: pd.DataFrame | None) -> Tile:
    """From ``store.risks.register`` for one organisation and its register at the as-at before (``previous``)."""
    if register.empty:
        return Tile(False)
    as_at = _date(register["as_at"].max())
    register, closed = risk_analysis.without_closed(register[register["as_at"] == register["as_at"].max()])
    before, _ = risk_analysis.without_closed(previous)
    figures = {**risk_analysis.summary(register), "register": register, "closed": closed}
    previous_as_at = None
    if not before.empty:
        earlier = before.drop_duplicates(["key", "scale"]).set_index(["key", "scale"])["current_rating"]
        joined = register.join(earlier.rename("previous_rating"), on=["key", "scale"], how="inner")
        change = (joined["current_rating"] - joined["previous_rating"]).dropna()
        if len(joined):  # a previous snapshot with none of these risks in it is no basis for comparison
            previous_as_at = _date(before["as_at"].max())
            figures.update(up=int((change > 0).sum()), down=int((change < 0).sum()), unscored=len(joined) - len(change))
    return Tile(True, as_at, previous_as_at, figures)


def qipp_tile(all_schemes: pd.DataFrame, all_targets: pd.DataFrame) -> Tile:
    """From ``store.qipp.schemes`` and ``store.qipp.targets`` at every as-at date."""
    if all_schemes.empty:
        return Tile(False)
    trend = qipp_schemes.trend(all_schemes, all_targets)
    latest = trend.iloc[-1]
    figures = latest.to_dict()
    previous = trend.iloc[-2] if len(trend) > 1 else None
    figures["gap_moved"] = (
        latest["gap_risk_adjusted"] - previous["gap_risk_adjusted"]
        if previous is not None and pd.notna(latest["gap_risk_adjusted"]) and pd.notna(previous["gap_risk_adjusted"])
        else None
    )
    return Tile(True, _date(latest["as_at"]), _date(previous["as_at"]) if previous is not None else None, figures)


def finance_tile(months: pd.DataFrame, position: pd.DataFrame | None) -> Tile:
    """From ``store.finance.months`` and the ``store.finance.position`` of the latest of them."""
    if months.empty:
        return Tile(False)
    latest = months.iloc[-1]
    previous = months.iloc[-2]["as_at"] if len(months) > 1 else None
    return Tile(True, latest["as_at"], previous, {"label": latest["label"], **finance_analysis.headline(position)})


def activity_tile(monthly: pd.DataFrame) -> Tile:
    """From ``store.activity.monthly`` for one organisation."""
    if monthly.empty:
        return Tile(False)
    ytd = activity_analysis.year_to_date(monthly)
    top_level = ytd[[activity_analysis.parent_code(c) is None for c in ytd["code"]]]
    with_actuals = top_level[top_level["months"] > 0]
    figures = {
        "measures": len(top_level),
        "with_actuals": len(with_actuals),
        "above_plan": int((with_actuals["variance"] > 0).sum()),
        "below_plan": int((with_actuals["variance"] < 0).sum()),
        "through": _date(with_actuals["through"].max()) if not with_actuals.empty else None,
        "table": top_level,
    }
    return Tile(True, _date(monthly["plan_as_at"].max()), None, figures)


def improvement_tile(trend: pd.DataFrame) -> Tile:
    """From ``store.actions.completion_trend`` for one organisation."""
    if trend.empty:
        return Tile(False)
    trend = trend.sort_values("report_date")
    latest = trend.iloc[-1]
    previous = trend.iloc[-2] if len(trend) > 1 else None
    now = completion.completion(latest)
    before = completion.completion(previous) if previous is not None else None
    previous_date = _date(previous["report_date"]) if previous is not None else None
    figures = {
        "headline": wording.actions_headline(trend),
        "completion": now,
        "label": now.label(),
        "pct_complete": now.pct,
        "complete": now.complete,
        "total": now.total,
        "completed_since": now.complete - before.complete if before is not None else None,
        "change": completion.change_text(now, before, formats.date(previous_date)) if before is not None else None,
        "sources": None,
    }
    if previous is not None and previous["source"] != latest["source"]:
        figures["sources"] = wording.sources_changed(latest["source"], previous["source"])
    return Tile(True, _date(latest["report_date"]), previous_date, figures)


def position_word(variance) -> str:
    """``favourable``, ``adverse`` or ``on plan`` for a favourable-positive variance, so no figure relies on colour."""
    if variance is None or pd.isna(variance) or round(float(variance)) == 0:
        return "on plan"
    return "favourable" if variance > 0 else "adverse"


def value_or_none(tile: Tile, name: str):
    return tile.figures.get(name) if tile.loaded else None


def risk_columns(tile: Tile) -> dict:
    return {
        "Risks as at": tile.as_at,
        "Risks": value_or_none(tile, "risks"),
        "Above target": value_or_none(tile, "above_target"),
        "Risks with no current or target score": _unjudged(tile.figures) if tile.loaded else None,
        "In the top band": value_or_none(tile, "top_band"),
        "Closed risks left out": value_or_none(tile, "closed"),
    }


def _unjudged(counts: dict) -> int:
    """Risks the above-target count could not judge (no current score or no target)."""
    return counts["risks"] - counts["compared"]


def qipp_columns(tile: Tile) -> dict:
    return {
        "QIPP as at": tile.as_at,
        "QIPP target £'000": value_or_none(tile, "target"),
        "QIPP risk-adjusted £'000": value_or_none(tile, "risk_adjusted"),
        "QIPP gap, risk-adjusted £'000": value_or_none(tile, "gap_risk_adjusted"),
        "QIPP gap excl. pipeline £'000": value_or_none(tile, "gap_excl"),
    }


def finance_columns(tile: Tile) -> dict:
    ytd, forecast = value_or_none(tile, "ytd_variance"), value_or_none(tile, "forecast_variance")
    return {
        "Finance as at": tile.as_at,
        "Finance month": value_or_none(tile, "label"),
        "YTD variance £'000": ytd,
        "YTD position": position_word(ytd) if tile.loaded else None,
        "Forecast variance £'000": forecast,
        "Forecast position": position_word(forecast) if tile.loaded else None,
    }


def activity_columns(tile: Tile) -> dict:
    measured = value_or_none(tile, "with_actuals")
    return {
        "Activity plan as at": tile.as_at,
        "Activity above plan YTD": f"{tile.figures['above_plan']} of {measured}" if measured else None,
        "Activity below plan YTD": f"{tile.figures['below_plan']} of {measured}" if measured else None,
    }


def improvement_columns(tile: Tile) -> dict:
    return {
        "Improvement plan as at": tile.as_at,
        "Actions complete %": value_or_none(tile, "pct_complete"),
        "Actions complete": value_or_none(tile, "label"),
    }


def headline_columns(tiles: dict[str, Tile]) -> dict:
    """The Overview's headline figures by column name, from its five tiles."""
    return {
        **risk_columns(tiles["risks"]),
        **qipp_columns(tiles["qipp"]),
        **finance_columns(tiles["finance"]),
        **activity_columns(tiles["activity"]),
        **improvement_columns(tiles["improvement"]),
    }


def risks_by_organisation(frame: pd.DataFrame, marks: dict[str, str]) -> pd.DataFrame:
    """Per organisation in a (filtered) register: risks, above target, not moved, in the top band, as at."""
    rows = []
    for org, own in frame.groupby("organisation", sort=False):
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
