"""The Overview's figures: each dataset's frames for one organisation, made into tiles by ``analysis.overview``."""

from __future__ import annotations

from analysis import overview as tiles
from analysis.overview import Tile
from store import actions, activity, finance, qipp, risks


def risk_tile(con, org: str) -> Tile:
    register = risks.register(con, [org])
    before = risks.previous_register(con, org, register["as_at"].max()) if not register.empty else None
    return tiles.risk_tile(register, before)


def qipp_tile(con, org: str) -> Tile:
    return tiles.qipp_tile(qipp.schemes(con, org), qipp.targets(con, org))


def finance_tile(con, org: str) -> Tile:
    months = finance.months(con, org)
    return tiles.finance_tile(months, finance.position(con, org, months.iloc[-1]["as_at"]) if len(months) else None)


def activity_tile(con, org: str) -> Tile:
    return tiles.activity_tile(activity.monthly(con, org))


def improvement_tile(con, org: str) -> Tile:
    return tiles.improvement_tile(actions.completion_trend(con, org))


def overview(con, org: str) -> dict[str, Tile]:
    return {
        "risks": risk_tile(con, org),
        "qipp": qipp_tile(con, org),
        "finance": finance_tile(con, org),
        "activity": activity_tile(con, org),
        "improvement": improvement_tile(con, org),
    }
