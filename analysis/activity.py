"""Activity plans and actuals as frames: codes and their parents, cumulative and year-to-date against plan,
annual checks, sub-codes against their parent, one measure across organisations.

Activity is counted, not money: a variance is actual less plan, and its percentage is of the plan.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

import config
from records import total_severity

SUB_CODE = re.compile(r"^(?P<parent>.*\d)[a-z]$")
ANNUAL_FIELDS = ("prior_outturn", "do_nothing", "qipp", "plan")


def parent_code(code: str | None) -> str | None:
    """``E.M.7a`` -> ``E.M.7``; None for a code that is not a sub-code."""
    match = SUB_CODE.match(str(code or "").strip())
    return match["parent"] if match else None


def improvement_direction(code: str) -> str:
    """ "increase", "decrease" or "neutral" from configuration; a sub-code takes its parent's unless listed, and a
    code not listed the default."""
    settings = config.settings().activity
    directions = settings.improvement_direction
    return directions.get(code) or directions.get(parent_code(code) or "") or settings.default_direction


def financial_year(month) -> str:
    """The April-to-March financial year of a month, as ``2018/19``."""
    stamp = pd.Timestamp(month)
    start = stamp.year if stamp.month >= 4 else stamp.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def code_order(code: str) -> tuple:
    """E.M.7 before E.M.7a before E.M.8 before E.M.10 (numbers compared as numbers)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|[A-Za-z]+", code))


def code_sort_key(column: pd.Series) -> pd.Series:
    return column.map(code_order) if column.name == "code" else column


def _year_in_view(part: pd.DataFrame) -> str:
    with_actuals = part[part["actual"].notna()]
    return (with_actuals if not with_actuals.empty else part)["financial_year"].max()


def cumulative(frame: pd.DataFrame) -> pd.DataFrame:
    """Cumulative plan and actual through the financial year in view (the latest year with actuals).

    Columns: organisation, code, month, plan, actual, cumulative_plan, cumulative_actual (actual only
    through the latest month with one; a month without an actual leaves the cumulative actual blank).
    """
    out = []
    for _, part in frame.groupby(["organisation", "code"], sort=False):
        year = part[part["financial_year"] == _year_in_view(part)].sort_values("month").copy()
        year["cumulative_plan"] = year["plan"].cumsum()
        year["cumulative_actual"] = year["actual"].cumsum()
        year.loc[year["actual"].isna(), "cumulative_actual"] = np.nan
        out.append(year)
    columns = ["organisation", "code", "month", "plan", "actual", "cumulative_plan", "cumulative_actual"]
    return pd.concat(out, ignore_index=True)[columns] if out else pd.DataFrame(columns=columns)


YTD_COLUMNS = [
    "organisation",
    "code",
    "title",
    "financial_year",
    "months",
    "through",
    "plan_ytd",
    "actual_ytd",
    "variance",
    "variance_pct",
    "annual_plan_months",
    "missing_months",
    "restated_months",
]


def _months_listed(months: pd.Series, chosen: pd.Series, groups: list[pd.Series], index: pd.Index) -> pd.Series:
    """Per group, the chosen months as "Apr 2018, May 2018" (in row order); "" for a group with none."""
    picked = months[chosen]
    if picked.empty:
        return pd.Series("", index=index, dtype=str)
    listed = picked.dt.strftime("%b %Y").groupby([g[chosen] for g in groups], sort=False).agg(", ".join)
    return listed.reindex(index, fill_value="").astype(str)


def year_to_date(frame: pd.DataFrame) -> pd.DataFrame:
    """Year-to-date plan against actual per organisation and code, like for like.

    The plan is summed over the months that have an actual in the financial year in view; months
    before the latest actual that have no actual are listed in ``missing_months``, never counted as zero.
    """
    if frame.empty:
        return pd.DataFrame([], columns=YTD_COLUMNS)
    frame = frame.reset_index(drop=True)
    groups = [frame["organisation"], frame["code"]]
    has_actual = frame["actual"].notna()
    year = frame["financial_year"].where(has_actual).groupby(groups, sort=False).transform("max")
    year = year.fillna(frame.groupby(groups, sort=False)["financial_year"].transform("max"))  # no actuals: latest year
    in_year = frame["financial_year"] == year
    counted = in_year & has_actual
    through_row = frame["month"].where(counted).groupby(groups, sort=False).transform("max")
    gaps = in_year & ~has_actual & (frame["month"] <= through_row)
    out = frame.drop_duplicates(["organisation", "code"], keep="last").set_index(["organisation", "code"])[["title"]]
    out["financial_year"] = year.groupby(groups, sort=False).first()
    out["months"] = counted.groupby(groups, sort=False).sum().astype(int)
    out["through"] = frame["month"].where(counted).groupby(groups, sort=False).max()
    out["plan_ytd"] = frame["plan"].where(counted).groupby(groups, sort=False).sum(min_count=1)
    out["actual_ytd"] = frame["actual"].where(counted).groupby(groups, sort=False).sum(min_count=1)
    out["variance"] = out["actual_ytd"] - out["plan_ytd"]
    out["variance_pct"] = out["variance"] / out["plan_ytd"].where(out["plan_ytd"] != 0) * 100
    out["annual_plan_months"] = frame["plan"].where(in_year).groupby(groups, sort=False).sum(min_count=1)
    out["missing_months"] = _months_listed(frame["month"], gaps, groups, out.index)
    out["restated_months"] = _months_listed(frame["month"], counted & frame["restated"].astype(bool), groups, out.index)
    return out.reset_index()[YTD_COLUMNS]


def annual(rows: pd.DataFrame, monthly_frame: pd.DataFrame) -> pd.DataFrame:
    """Annual prior outturn, do-nothing, QIPP and plan from each organisation's latest annual snapshot in ``rows``
    (``store.activity.annual_rows``), checked against ``monthly_frame`` (``store.activity.monthly``).

    ``qipp_check`` is do-nothing + QIPP - plan; ``months_check`` is the sum of the monthly plan for the
    year in view less the annual plan (the source's own rounding shows here as found); ``check_severity`` is
    None when both agree, "info" when they differ by no more than the source's rounding, else "warning".
    """
    columns = [
        "organisation",
        "as_at",
        "code",
        "title",
        *ANNUAL_FIELDS,
        "qipp_check",
        "months_plan",
        "months_check",
        "check_severity",
    ]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    latest = rows.groupby("organisation")["as_at"].transform("max")
    frame = rows[rows["as_at"] == latest].copy()
    frame["qipp_check"] = frame["do_nothing"] + frame["qipp"].fillna(0) - frame["plan"]
    sums = year_to_date(monthly_frame)[["organisation", "code", "annual_plan_months"]]
    frame = frame.merge(
        sums.rename(columns={"annual_plan_months": "months_plan"}), on=["organisation", "code"], how="left"
    )
    frame["months_check"] = frame["months_plan"] - frame["plan"]
    frame["check_severity"] = [
        _worst([_severity(plan, plan + qipp_check), _severity(plan, months_plan)])
        for plan, qipp_check, months_plan in zip(frame["plan"], frame["qipp_check"], frame["months_plan"], strict=True)
    ]
    frame = frame.sort_values(["organisation", "code"], key=code_sort_key)
    return frame[columns].reset_index(drop=True)


def rollup(monthly_frame: pd.DataFrame, annual_frame: pd.DataFrame) -> pd.DataFrame:
    """Every parent against the sum of its sub-codes: per month (plan, actual) and per annual field.

    A comparison is made only where the parent and every child have a figure; ``matches`` says whether
    they agree and ``difference`` is parent less children.
    """
    rows = []
    for org in sorted(set(monthly_frame["organisation"]) | set(annual_frame["organisation"])):
        monthly_org = monthly_frame[monthly_frame["organisation"] == org]
        annual_org = annual_frame[annual_frame["organisation"] == org]
        codes = set(monthly_org["code"]) | set(annual_org["code"])
        families: dict[str, list[str]] = {}
        for code in sorted(codes, key=code_order):
            parent = parent_code(code)
            if parent in codes:
                families.setdefault(parent, []).append(code)
        for parent, children in families.items():
            family = [parent, *children]
            for field in ("plan", "actual"):
                wide = monthly_org[monthly_org["code"].isin(family)].pivot_table(
                    index="month", columns="code", values=field, aggfunc="first"
                )
                rows += [_comparison(org, parent, children, field, month, values) for month, values in wide.iterrows()]
            indexed = annual_org.set_index("code")
            if set(family) <= set(indexed.index):
                rows += [_comparison(org, parent, children, field, None, indexed[field]) for field in ANNUAL_FIELDS]
    columns = ["organisation", "parent", "children", "field", "month", "parent_value", "children_sum", "difference"]
    frame = pd.DataFrame([r for r in rows if r is not None], columns=columns)
    frame["severity"] = [_severity(p, c) for p, c in zip(frame["parent_value"], frame["children_sum"], strict=True)]
    frame["matches"] = frame["severity"].isna()
    return frame


def _severity(stated, computed) -> str | None:
    """How a stated figure differs from what its parts give (see ``total_severity``); None when either is missing."""
    if stated is None or computed is None or pd.isna(stated) or pd.isna(computed):
        return None
    return total_severity(float(stated), float(computed))


def _worst(severities: list[str | None]) -> str | None:
    return "warning" if "warning" in severities else "info" if "info" in severities else None


def _comparison(org, parent, children, field, month, values) -> dict | None:
    figures = [values.get(code) for code in [parent, *children]]
    if any(f is None or pd.isna(f) for f in figures):
        return None
    total = float(sum(figures[1:]))
    return {
        "organisation": org,
        "parent": parent,
        "children": " + ".join(children),
        "field": field,
        "month": month,
        "parent_value": float(figures[0]),
        "children_sum": total,
        "difference": float(figures[0]) - total,
    }


def side_by_side(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """One measure across organisations: month, organisation, plan, actual and actual as % of plan."""
    part = frame[frame["code"] == code].copy()
    part["actual_pct_of_plan"] = part["actual"] / part["plan"] * 100
    return part[["organisation", "month", "plan", "actual", "actual_pct_of_plan"]].reset_index(drop=True)
