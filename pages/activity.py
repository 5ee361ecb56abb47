"""Activity: plan trajectory per point of delivery, actuals against it, year to date, SPC, organisations side by side."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import config
import formats
from analysis import activity as activity_analysis
from analysis import comparisons, spc_summary
from analysis.spc_summary import assurance_target, measure_spc
from charts import activity as charts
from charts import compare as compare_charts
from charts.spc import legend_words, spc_figure
from pages import cached
from pages.downloads import downloads, table_with_downloads
from pages.formatting import literal, not_loaded, show_table, stop_not_loaded
from pages.organisations import org_choice, selected_orgs, synthetic_notice, view_choice
from pages.plotting import chart, clicked
from pages.spc_summary import show_spc_summary
from pages.store_view import connection
from pages.url_state import url_state
from store import activity

DIRECTION_WORDS = {"increase": "higher is better", "decrease": "lower is better", "neutral": "no better direction"}


def org_findings(con, orgs: tuple[str, ...], org: str) -> dict:
    """One organisation's year to date, annual plan, SPC summary and roll-up checks, worked out once per store state."""
    monthly = cached.read(activity.monthly, list(orgs))
    own = monthly[monthly["organisation"] == org]
    annual = activity_analysis.annual(activity.annual_rows(con, org), own)
    return {
        "ytd_all": activity_analysis.year_to_date(own),
        "annual": annual,
        "spc_summary": spc_summary.summary(own),
        "checks": activity_analysis.rollup(own, annual),
    }


def spc_result(con, orgs: tuple[str, ...], org: str, code: str, target, screen, baseline, rebase: tuple):
    monthly = cached.read(activity.monthly, list(orgs))
    own = monthly[(monthly["organisation"] == org) & (monthly["code"] == code)]
    return measure_spc(
        own,
        target=target,
        screen_moving_ranges=screen,
        baseline_points=baseline,
        rebase_at=list(rebase),
        min_points=config.settings().spc.min_points,
    )


def spc_chart(result, title: str, show_plan: bool):
    figure = spc_figure(result, title, "Activity (count)", target_name="Assurance target", trajectory_name="Plan")
    if not show_plan:
        figure.update_traces(visible=False, selector={"name": "Plan"})
    return figure


st.title("Activity")
con = connection()
orgs = selected_orgs()
measures = cached.read(activity.measures, orgs) if orgs else pd.DataFrame()
if measures.empty:
    stop_not_loaded("activity plan", ", ".join(orgs) or None)


def as_at_words(values) -> str:
    dates = sorted({pd.Timestamp(v).normalize() for v in values if pd.notna(v)})
    return ", ".join(formats.date(d) for d in dates) if dates else "none"


def describe_ytd(row: pd.Series) -> str:
    if not row["months"]:
        return f"{literal(row['code'])} {literal(row['title'])}: plan only, no actuals loaded yet"
    through = formats.month(row["through"])
    if pd.isna(row["plan_ytd"]) or pd.isna(row["variance"]):
        return f"{literal(row['code'])} {literal(row['title'])}: actuals only, no plan loaded (to {through})"
    side = "above" if row["variance"] > 0 else "below" if row["variance"] < 0 else "on"
    pct = f"{formats.percent(abs(row['variance_pct']))} " if row["variance"] else ""
    return f"{literal(row['code'])} {literal(row['title'])}: {pct}{side} plan year to date (to {through})"


titles = dict(zip(measures["code"], measures["title"], strict=True))
picked = clicked("variance_bars")
if picked in titles:
    st.session_state["activity_code"] = picked
url_state("activity_code", next(iter(titles)), list(titles), param="code")
code = st.selectbox("Point of delivery", list(titles), format_func=lambda c: f"{c} {titles[c]}", key="activity_code")
direction = activity_analysis.improvement_direction(code)
views = ["One organisation", "Organisations side by side"]
view = view_choice("activity_view", views) if len(orgs) > 1 else views[0]

monthly = cached.read(activity.monthly, orgs)

if view == "Organisations side by side":
    frame = activity_analysis.side_by_side(monthly, code)
    st.subheader(f"{literal(code)} {literal(titles[code])} across {frame['organisation'].nunique()} organisations")
    synthetic_notice(*frame["organisation"].unique())
    plan_as_at = monthly[monthly["code"] == code].groupby("organisation")["plan_as_at"].max()
    snapshot_words = "; ".join(f"{o}: {as_at_words([d])}" for o, d in plan_as_at.items())
    chart(
        charts.small_multiples(frame, f"{code} plan and actual by organisation (plans as at {snapshot_words})"),
        "activity_multiples",
        f"activity-{code}-organisations",
    )
    panels = comparisons.spc_by_organisation(monthly, code, config.settings().spc.min_points)
    if panels.rows:
        chart(
            compare_charts.spc_small_multiples(
                panels,
                f"{code} actuals, XmR chart by organisation ({DIRECTION_WORDS[direction]})",
                "Activity (count)",
            ),
            "activity_spc_multiples",
            f"activity-{code}-spc-organisations",
        )
    ytd = activity_analysis.year_to_date(monthly[monthly["code"] == code])
    table_with_downloads(ytd, f"activity_{code}_organisations", "activity_orgs")
    st.stop()

org = org_choice("activity_org", orgs)
synthetic_notice(org)
own = monthly[(monthly["organisation"] == org) & (monthly["code"] == code)]
if own.empty:
    stop_not_loaded(f"monthly plan for {code}", org)
found = cached.read(org_findings, tuple(orgs), org)
ytd_all = found["ytd_all"]
ytd = ytd_all[ytd_all["code"] == code].iloc[0]
st.subheader(describe_ytd(ytd))
plan_words = f"Plan as at {as_at_words(own['plan_as_at'])}" if own["plan_as_at"].notna().any() else "No plan loaded"
st.caption(
    f"{plan_words}; actuals from snapshots as at {as_at_words(own['actual_as_at'])} "
    f"(each month from the latest snapshot that has it). Improvement direction: {DIRECTION_WORDS[direction]}."
)
if ytd["restated_months"]:
    st.warning(f"Actuals restated between snapshots for {ytd['restated_months']}; the latest figure is shown.")
if ytd["missing_months"]:
    st.warning(f"No actual loaded for {ytd['missing_months']}; left out of the year to date (not counted as zero).")

annual = found["annual"]
annual_row = annual[annual["code"] == code]
cols = st.columns(5)
cols[0].metric("Plan year to date", charts.count(ytd["plan_ytd"]))
cols[1].metric("Actual year to date", charts.count(ytd["actual_ytd"]))
cols[2].metric(
    "Variance",
    charts.signed_pct(ytd["variance_pct"]),
    None if pd.isna(ytd["variance"]) else charts.count(ytd["variance"]),
    delta_color="off",
)
if not annual_row.empty:
    cols[3].metric("Annual do nothing", charts.count(annual_row["do_nothing"].iloc[0]))
    cols[4].metric("Annual plan (after QIPP)", charts.count(annual_row["plan"].iloc[0]))

latest_as_at = own["plan_as_at"].max() if own["plan_as_at"].notna().any() else own["actual_as_at"].max()
trajectory_tab, cumulative_tab, spc_tab, summary_tab, annual_tab, all_tab, checks_tab = st.tabs(
    ["Trajectory", "Cumulative", "SPC", "SPC summary", "Annual", "All measures", "Checks"]
)
# What the figures below are made from, with the store state ``cached`` adds.
choices = ("activity", tuple(orgs), org, code)


def plan_and_actual(name: str, build, frame: pd.DataFrame, what: str) -> None:
    title = f"{code} {what} plan and actual, {ytd['financial_year']} (to {as_at_words([latest_as_at])})"
    chart(cached.figure((*choices, name), build, frame, title), name, f"activity-{code}-{name}")


with trajectory_tab:
    plan_and_actual("trajectory", charts.trajectory, own, "monthly")
    show_table(own.drop(columns=["organisation"]))
    downloads(own, f"activity_{code}_monthly", "activity_monthly")

with cumulative_tab:
    plan_and_actual("cumulative", charts.cumulative, activity_analysis.cumulative(own), "cumulative")

with spc_tab:
    actuals = own[own["actual"].notna()]
    if len(actuals) < 2:
        st.info(f"SPC needs at least two months of actuals; {len(actuals)} loaded for {literal(code)}.")
    else:
        settings = config.settings().spc
        left, middle, right = st.columns(3)
        url_state("spc_screen", settings.screen_moving_ranges, [True, False], param="screen")
        screen = left.checkbox(
            "Screen large moving ranges", key="spc_screen", help="Off reproduces the Making Data Count Excel tool."
        )
        shortest = settings.min_baseline_points
        fixed = middle.checkbox(
            "Fix the limits after a baseline",
            key="spc_fix",
            disabled=len(actuals) <= shortest,
            help=f"Limits from the first {shortest} or more months, then held. Needs more than {shortest} months of "
            "actuals; each rebased period takes its own baseline.",
        )
        baseline = (
            middle.number_input(
                f"Baseline (months, at least {shortest})", shortest, len(actuals), shortest, key="spc_baseline"
            )
            if fixed and len(actuals) > shortest
            else None
        )
        rebase = right.multiselect(
            "Rebase at", list(actuals["month"].iloc[1:]), format_func=formats.month, key="spc_rebase"
        )
        left, right = st.columns(2)
        url_state("spc_target", True, [True, False], param="plan_target")
        show_plan = left.checkbox("Monthly plan as the trajectory line", key="spc_target")
        planned = assurance_target(own)
        target = right.number_input(
            "Assurance target (a month)",
            min_value=0.0,
            value=float(round(planned)) if planned is not None else None,
            step=1.0,
            format="%.0f",
            key=f"spc_assurance_target_{code}",
            help="One number the assurance icon judges the process against; by default the average month of the "
            "plan for the financial year of the latest actual.",
        )
        spc_choices = (target, screen, baseline, tuple(rebase))
        result = cached.read(spc_result, tuple(orgs), org, code, *spc_choices)
        st.markdown(f"**{result.describe()}**")
        st.caption(
            f"Improvement direction: {DIRECTION_WORDS[direction]}. "
            + (
                f"Assurance target {formats.count(target)} a month."
                if target is not None and direction != "neutral"
                else "No assurance icon: it needs a target and a better direction."
            )
        )
        for period in result.short_periods:
            st.warning(
                f"The limits from {formats.month(period.first)} to {formats.month(period.last)} rest on "
                f"{period.points} point{'s' if period.points != 1 else ''}: Making Data Count asks for at least "
                f"{result.min_points}, so they are provisional and will settle as months are added."
            )
        if result.skipped:
            st.warning(
                f"No actual for {', '.join(formats.month(m) for m in result.skipped)}: skipped on the chart (the line "
                "joins the months either side, a dotted line marks the gap), not counted as zero."
            )
        figure = cached.figure(
            (*choices, "spc", *spc_choices, show_plan),
            spc_chart,
            result,
            f"{code} actuals, XmR chart (to {as_at_words([own['actual_as_at'].max()])})",
            show_plan,
        )
        chart(figure, "spc_chart", f"activity-{code}-spc")
        st.caption(legend_words(direction))

with summary_tab:
    st.caption(
        f"Every point of delivery for {literal(org)}: its latest month, what the variation and assurance icons say "
        "about it, and its process limits (the assurance target is the average month of the plan for the "
        "financial year of the latest actual)."
    )
    measures_spc = found["spc_summary"]
    if measures_spc["variation"].isna().all():
        st.info(f"SPC needs at least two months of actuals per point of delivery; none has them for {literal(org)}.")
    show_spc_summary(measures_spc)
    downloads(
        spc_summary.readable(measures_spc), "activity_spc_summary", "activity_spc_summary", "Activity SPC summary"
    )

with annual_tab:
    if annual_row.empty:
        not_loaded(f"annual plan for {code}", org)
    else:
        row = annual_row.iloc[0]
        chart(
            cached.figure(
                (*choices, "annual"),
                charts.annual_bridge,
                row,
                f"{code} {ytd['financial_year']}: prior outturn, do nothing, QIPP, plan "
                f"(as at {as_at_words([row['as_at']])})",
            ),
            "annual_bridge",
            f"activity-{code}-annual",
        )
        show_table(annual.drop(columns=["organisation"]))
        downloads(annual, "activity_annual", "activity_annual")

with all_tab:
    chart(
        cached.figure(
            ("activity", tuple(orgs), org, "variance"),
            charts.variance_bars,
            ytd_all,
            f"Actual against plan year to date, every point of delivery ({org})",
        ),
        "variance_bars",
        "activity-year-to-date",
        on_select="rerun",
        selection_mode="points",
    )
    st.caption("Click a bar to show that point of delivery.")
    table_with_downloads(ytd_all, "activity_year_to_date", "activity_ytd")

with checks_tab:
    checks = found["checks"]
    mismatched = checks[~checks["matches"]]
    real = checks[checks["severity"] == "warning"]
    if checks.empty:
        st.info("No point of delivery here has sub-codes to add up.")
    elif mismatched.empty:
        st.success(f"Sub-codes add up to their parents in all {len(checks)} comparisons.")
    elif real.empty:
        st.success(f"Sub-codes add up to their parents within the source's rounding in all {len(checks)} comparisons.")
    else:
        st.error(f"{len(real)} of {len(checks)} parent figures differ from the sum of their sub-codes.")
    if len(mismatched):
        rounded = len(mismatched) - len(real)
        if rounded:
            st.caption(f"{rounded} differ by no more than the source's rounding.")
        table_with_downloads(mismatched, "activity_rollup_differences", "activity_rollup")
    off = annual[annual["check_severity"].notna()]
    real_off = int((off["check_severity"] == "warning").sum())
    if real_off:
        st.warning(
            f"{real_off} annual figures do not equal do-nothing + QIPP, or the sum of their months; "
            "shown as the source states them."
        )
    if len(off) > real_off:
        st.caption(
            f"{len(off) - real_off} annual figures differ from do-nothing + QIPP, or the sum of their months, by no "
            "more than the source's rounding; shown as the source states them."
        )
    if not off.empty:
        off_shown = off[["code", "title", "do_nothing", "qipp", "plan", "qipp_check", "months_plan", "months_check"]]
        table_with_downloads(off_shown, "activity_annual_differences", "activity_annual_checks")
