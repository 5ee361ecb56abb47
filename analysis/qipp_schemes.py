"""QIPP schemes as frames: filters, stage and area x stage summaries against target, RAG and risk adjustment.

Every function aggregates the frames ``store.qipp.schemes`` and ``store.qipp.targets`` return, so a page reads
once per run and every chart and total follows the same filtered schemes.
Money is GBP thousands. A gap is target less identified value: positive is a shortfall.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import config

PIPELINE = 0
UNRATED = "unrated"
RAGS = ("red", "amber", "green", UNRATED)
DELIVERY_STATUS = "Schemes in delivery"
PIPELINE_STATUS = "Pipeline"
TOTAL = "Totals"
FILTER_COLUMNS = {"areas": "area", "stages": "stage", "rags": "rag", "leads": "lead"}


def stage_names() -> list[str]:
    return list(config.settings().qipp.stages)


def stage_label(stage: int) -> str:
    names = stage_names()
    return f"{stage} {names[stage]}" if 0 <= stage < len(names) else str(stage)


def default_factors() -> dict[str, float]:
    """Share of a scheme's net value expected to be delivered, by RAG, and ``pipeline`` for stage 0."""
    return {k: float(v) for k, v in vars(config.settings().qipp.risk_adjustment).items()}


@dataclass(frozen=True)
class QippFilters:
    """What a finance lead slices by; an empty tuple or None means no filter on that field."""

    areas: tuple[str, ...] = ()
    stages: tuple[int, ...] = ()
    rags: tuple[str, ...] = ()  # "red", "amber", "green", "unrated"
    leads: tuple[str, ...] = ()
    recurrent: bool | None = None

    @property
    def active(self) -> bool:
        return bool(self.areas or self.stages or self.rags or self.leads or self.recurrent is not None)

    def describe(self) -> str:
        chosen = (
            ("area", self.areas),
            ("stage", [stage_label(s) for s in self.stages]),
            ("RAG", self.rags),
            ("lead", self.leads),
        )
        parts = [f"{name} {', '.join(values)}" for name, values in chosen if values]
        if self.recurrent is not None:
            parts.append("recurrent" if self.recurrent else "non-recurrent")
        return "; ".join(parts) if parts else "all schemes"


def filter_options(frame: pd.DataFrame) -> dict[str, list]:
    """The values each filter can take in this set of schemes, in a stable order."""
    present_rags = set(frame["rag"])
    return {
        "areas": list(dict.fromkeys(frame["area"].dropna())),
        "stages": sorted(int(s) for s in frame["stage"].dropna().unique()),
        "rags": [r for r in RAGS if r in present_rags],
        "leads": sorted(frame["lead"].dropna().unique()),
        "recurrent": frame["recurrent"].notna().any(),
    }


def filter_schemes(frame: pd.DataFrame, filters: QippFilters | None) -> pd.DataFrame:
    if filters is None or not filters.active:
        return frame
    keep = pd.Series(True, index=frame.index)
    for name, column in FILTER_COLUMNS.items():
        if getattr(filters, name):
            keep &= frame[column].isin(getattr(filters, name))
    if filters.recurrent is not None:
        keep &= frame["recurrent"].eq(filters.recurrent).fillna(False).astype(bool)
    return frame[keep]


def risk_adjusted(frame: pd.DataFrame, factors: dict[str, float] | None = None) -> pd.Series:
    """Each scheme's risk-adjusted value: as stated where the tracker states one, else net value x factor.

    Pipeline schemes (stage 0) take the pipeline factor whatever their RAG.
    """
    factors = factors or default_factors()
    by_rag = frame["rag"].map({rag: factors.get(rag, factors[UNRATED]) for rag in RAGS}).fillna(factors[UNRATED])
    factor = np.where(frame["stage"].eq(PIPELINE).fillna(False), factors["pipeline"], by_rag)
    computed = frame["value"].fillna(0).astype(float) * factor
    stated = frame["risk_adjusted_value"].astype(float)
    return stated.where(stated.notna(), computed)


def with_risk_adjusted(frame: pd.DataFrame, factors: dict[str, float] | None = None) -> pd.DataFrame:
    """The schemes with ``risk_adjusted`` (value used) and ``status`` (delivery or pipeline) columns."""
    out = frame.copy()
    out["risk_adjusted"] = risk_adjusted(out, factors) if len(out) else pd.Series(dtype=float)
    out["status"] = np.where(out["stage"].eq(PIPELINE).fillna(False), PIPELINE_STATUS, DELIVERY_STATUS)
    return out


def stage_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Every configured stage with its scheme count and value: stage, stage_name, count, value."""
    grouped = frame.groupby("stage")["value"].agg(count="size", value=lambda v: v.fillna(0).sum())
    rows = []
    for stage, name in enumerate(stage_names()):
        count = int(grouped["count"].get(stage, 0))
        rows.append(
            {"stage": stage, "stage_name": name, "count": count, "value": float(grouped["value"].get(stage, 0))}
        )
    return pd.DataFrame(rows)


def _area_order(frame: pd.DataFrame, target_frame: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys([*target_frame["area"].dropna(), *frame["area"].dropna()]))


def area_stage_matrix(frame: pd.DataFrame, target_frame: pd.DataFrame, areas: list[str] | None = None) -> pd.DataFrame:
    """Area x stage counts and values, totals excluding and including pipeline, target and gaps.

    One row per area (target areas first in source order, then areas only the schemes name; only
    ``areas`` when given) and a final ``Totals`` row whose gaps are total target less the value identified in
    areas with a target (an area without one is not counted as a zero target).
    Columns: area, n_0, value_0 ... n_5, value_5, n_excl, value_excl, n_incl, value_incl, target,
    gap_excl, gap_incl.
    """
    order = [a for a in _area_order(frame, target_frame) if areas is None or a in areas]
    stages = range(len(stage_names()))
    values = frame.assign(value=frame["value"].fillna(0))
    counts = values.pivot_table(index="area", columns="stage", values="value", aggfunc="size", fill_value=0)
    sums = values.pivot_table(index="area", columns="stage", values="value", aggfunc="sum", fill_value=0)
    target_by_area = target_frame.groupby("area")["target"].sum(min_count=1)
    rows = []
    for area in order:
        row: dict = {"area": area}
        for s in stages:
            row[f"n_{s}"] = int(counts.at[area, s]) if area in counts.index and s in counts.columns else 0
            row[f"value_{s}"] = float(sums.at[area, s]) if area in sums.index and s in sums.columns else 0.0
        rows.append(row)
    matrix = pd.DataFrame(rows, columns=["area", *[f"{k}_{s}" for s in stages for k in ("n", "value")]])
    delivery = [s for s in stages if s != PIPELINE]
    matrix["n_excl"] = matrix[[f"n_{s}" for s in delivery]].sum(axis=1).astype(int)
    matrix["value_excl"] = matrix[[f"value_{s}" for s in delivery]].sum(axis=1)
    matrix["n_incl"] = matrix["n_excl"] + matrix[f"n_{PIPELINE}"]
    matrix["value_incl"] = matrix["value_excl"] + matrix[f"value_{PIPELINE}"]
    matrix["target"] = matrix["area"].map(target_by_area).astype(float)
    totals = {c: matrix[c].astype(float).sum() for c in matrix.columns if c not in ("area", "target")}
    totals["target"] = matrix["target"].sum(min_count=1)
    matrix = pd.concat([matrix, pd.DataFrame([{"area": TOTAL, **totals}])], ignore_index=True)
    for col in [c for c in matrix.columns if c.startswith("n_")]:
        matrix[col] = matrix[col].astype(int)
    matrix["gap_excl"] = matrix["target"] - matrix["value_excl"]
    matrix["gap_incl"] = matrix["target"] - matrix["value_incl"]
    targeted = matrix["target"].notna() & (matrix["area"] != TOTAL)
    for gap, value in (("gap_excl", "value_excl"), ("gap_incl", "value_incl")):  # an area without a target is left out
        matrix.loc[matrix["area"] == TOTAL, gap] = (
            matrix.at[len(matrix) - 1, "target"] - matrix.loc[targeted, value].sum()
        )
    return matrix


def areas_without_target(matrix: pd.DataFrame) -> list[str]:
    """Areas holding schemes but no target (their gap cannot be stated)."""
    rows = matrix[(matrix["area"] != TOTAL) & matrix["target"].isna() & (matrix["n_incl"] > 0)]
    return list(rows["area"])


def rag_summary(frame: pd.DataFrame, factors: dict[str, float] | None = None) -> pd.DataFrame:
    """Net and risk-adjusted value by status (delivery = stages 1-5, pipeline = stage 0) and RAG, with a total.

    Columns: status, rag, count, value, risk_adjusted, variance (risk-adjusted less net), share (of the
    risk-adjusted total).
    """
    adjusted = with_risk_adjusted(frame, factors)
    adjusted["value"] = adjusted["value"].fillna(0)

    def sums(status: str, rag: str | None, part: pd.DataFrame) -> dict:
        value, adjusted_value = part["value"].sum(), part["risk_adjusted"].sum()
        return {"status": status, "rag": rag, "count": len(part), "value": value, "risk_adjusted": adjusted_value}

    parts = [
        (status, rag, adjusted[(adjusted["status"] == status) & (adjusted["rag"] == rag)])
        for status in (DELIVERY_STATUS, PIPELINE_STATUS)
        for rag in RAGS
    ]
    rows = [sums(*part) for part in parts if len(part[2])] + [sums("Total", None, adjusted)]
    summary = pd.DataFrame(rows, columns=["status", "rag", "count", "value", "risk_adjusted"])
    summary[["value", "risk_adjusted"]] = summary[["value", "risk_adjusted"]].astype(float)
    summary["variance"] = summary["risk_adjusted"] - summary["value"]
    total_adjusted = summary["risk_adjusted"].iloc[-1]
    summary["share"] = summary["risk_adjusted"] / total_adjusted if total_adjusted else np.nan
    return summary


def position(frame: pd.DataFrame, target_total: float | None, factors: dict[str, float] | None = None) -> dict:
    """The headline figures: identified (excluding / including pipeline), risk-adjusted, target and gaps."""
    value = frame["value"].fillna(0)
    pipeline = frame["stage"].eq(PIPELINE).fillna(False)
    adjusted = float(risk_adjusted(frame, factors).sum()) if len(frame) else 0.0
    return _figures(
        int((~pipeline).sum()), len(frame), float(value[~pipeline].sum()), float(value.sum()), adjusted, target_total
    )


def _figures(
    schemes_excl: int,
    schemes_incl: int,
    identified_excl: float,
    identified_incl: float,
    adjusted: float,
    target_total: float | None,
) -> dict:
    has_target = target_total is not None and not pd.isna(target_total)
    target = float(target_total) if has_target else None
    return {
        "schemes_excl": schemes_excl,
        "schemes_incl": schemes_incl,
        "identified_excl": identified_excl,
        "pipeline": identified_incl - identified_excl,
        "identified_incl": identified_incl,
        "risk_adjusted": adjusted,
        "risk_adjustment": adjusted - identified_incl,
        "target": target,
        "gap_excl": target - identified_excl if has_target else None,
        "gap_incl": target - identified_incl if has_target else None,
        "gap_risk_adjusted": target - adjusted if has_target else None,
    }


def bridge(figures: dict) -> pd.DataFrame:
    """Target -> identified (delivery, then pipeline) -> risk-adjusted -> gap, as waterfall steps.

    Columns: step, measure ("absolute" | "relative" | "total"), value. Without a target the bridge
    starts at the value identified in delivery and has no gap step.
    """
    steps = []
    if figures["target"] is not None:
        steps.append(("Target", "absolute", figures["target"]))
        steps.append(("Delivery schemes against target", "relative", -figures["gap_excl"]))
    else:
        steps.append(("Identified in delivery", "absolute", figures["identified_excl"]))
    steps.append(("Pipeline", "relative", figures["pipeline"]))
    steps.append(("Identified incl. pipeline", "total", figures["identified_incl"]))
    steps.append(("Risk adjustment", "relative", figures["risk_adjustment"]))
    steps.append(("Risk-adjusted", "total", figures["risk_adjusted"]))
    if figures["target"] is not None:
        steps.append(("Gap to target", "relative", figures["gap_risk_adjusted"]))
    return pd.DataFrame(steps, columns=["step", "measure", "value"])


def target_total(target_frame: pd.DataFrame, filters: QippFilters | None = None) -> float | None:
    """The total target of one as-at date's targets, for the filtered areas only when areas are filtered."""
    chosen = target_frame
    if filters is not None and filters.areas:
        chosen = chosen[chosen["area"].isin(filters.areas)]
    return chosen["target"].sum(min_count=1) if len(chosen) else None


def targets_at(target_frame: pd.DataFrame, as_at) -> pd.DataFrame:
    """The targets in force at ``as_at`` (from ``targets(con, org)``): the latest target snapshot on or before it."""
    earlier = target_frame[target_frame["as_at"] <= as_at]
    return earlier[earlier["as_at"] == earlier["as_at"].max()] if len(earlier) else earlier


def _targets_by_date(all_targets: pd.DataFrame, dates: list, filters: QippFilters | None) -> dict:
    """Per date, the total target (``target_total``) of the target snapshot in force then; None without one."""
    if all_targets.empty:
        return dict.fromkeys(dates)
    totals = {when: target_total(in_force, filters) for when, in_force in all_targets.groupby("as_at", sort=True)}
    latest_first = sorted(totals, reverse=True)
    return {when: next((totals[d] for d in latest_first if d <= when), None) for when in dates}


def trend(
    all_schemes: pd.DataFrame,
    all_targets: pd.DataFrame,
    filters: QippFilters | None = None,
    factors: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Identified and risk-adjusted value and gaps at each as-at date, following the filters.

    ``all_schemes`` and ``all_targets`` are ``schemes(con, org)`` and ``targets(con, org)`` (every date).
    """
    dates = sorted(set(all_schemes["as_at"]))
    chosen = filter_schemes(all_schemes, filters)
    delivery = ~chosen["stage"].eq(PIPELINE).fillna(False).to_numpy(dtype=bool)
    value = chosen["value"].fillna(0).to_numpy(dtype=float)
    adjusted = risk_adjusted(chosen, factors).to_numpy(dtype=float) if len(chosen) else value
    by_date = chosen.groupby("as_at").indices
    targets = _targets_by_date(all_targets, dates, filters)
    rows = []
    for as_at in dates:
        at = by_date.get(as_at, np.array([], dtype=int))  # none when every scheme of the date is filtered out
        figures = _figures(
            int(delivery[at].sum()),
            len(at),
            float(value[at][delivery[at]].sum()),
            float(value[at].sum()),
            float(adjusted[at].sum()),
            targets[as_at],
        )
        rows.append({"as_at": as_at, **figures})
    columns = [
        "as_at",
        "schemes_incl",
        "identified_excl",
        "identified_incl",
        "risk_adjusted",
        "target",
        "gap_excl",
        "gap_incl",
        "gap_risk_adjusted",
    ]
    return pd.DataFrame(rows, columns=columns)


# In-year columns of a tracker that states them, shown only when some scheme has a figure.
IN_YEAR_COLUMNS = {"plan_ytd": "YTD plan £'000", "actual_ytd": "YTD actual £'000", "forecast": "Forecast £'000"}


def scheme_table(frame: pd.DataFrame, factors: dict[str, float] | None = None) -> pd.DataFrame:
    """The filtered schemes as shown and downloaded: plain column names, risk-adjusted value used."""
    adjusted = with_risk_adjusted(frame, factors)
    table = pd.DataFrame(
        {
            "Ref": adjusted["ref"],
            "Scheme": adjusted["name"],
            "Area": adjusted["area"],
            "Stage": [stage_label(int(s)) if pd.notna(s) else None for s in adjusted["stage"]],
            "RAG": adjusted["rag"].str.capitalize(),
            "Net value £'000": adjusted["value"].astype(float),
            "Risk-adjusted £'000": adjusted["risk_adjusted"].astype(float),
            "Risk-adjusted as stated": adjusted["risk_adjusted_value"].notna(),
            "Lead": adjusted["lead"].fillna(""),
            "Recurrent": adjusted["recurrent"].map({True: "Yes", False: "No"}).fillna(""),
            **{
                label: adjusted[column].astype(float)
                for column, label in IN_YEAR_COLUMNS.items()
                if column in adjusted and adjusted[column].notna().any()
            },
            "Source": adjusted["source_sheet"].astype(str)
            + " row "
            + adjusted["source_row"].astype("Int64").astype(str),
        }
    )
    return table.reset_index(drop=True)
