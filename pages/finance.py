"""Finance: the month-N position by line, variances in words and colour, totals checked, trend, risks, plan."""

from __future__ import annotations

import streamlit as st

import formats
from analysis import comparisons, wording
from analysis import finance as finance_analysis
from charts import compare as compare_charts
from charts import finance as charts
from pages import cached
from pages.downloads import downloads, table_with_downloads
from pages.formatting import literal, show_table, stop_not_loaded
from pages.organisations import one_or_compared, selected_orgs, synthetic_notice
from pages.plotting import chart
from pages.presentation import folded, presenting, story_ends
from pages.store_view import connection
from pages.url_state import url_state
from store import compare, finance


def month_findings(con, org: str, as_at, brackets: bool) -> dict:
    """The month's position and every table the page shows of it, worked out once per store state (the styled
    tables are made on each run: a pandas Styler cannot be kept)."""
    frame = finance.position(con, org, as_at)
    grouped = finance_analysis.by_section(frame)
    sections = finance_analysis.section_summary(frame)
    checks = finance_analysis.total_checks(frame)
    differing = checks[checks["severity"] == "warning"]
    return {
        "frame": frame,
        "head": finance_analysis.headline(frame),
        "has_totals": bool(frame["role"].isin(["total", "derived"]).any()),
        "sections": sections,
        "sections_frame": charts.section_frame(sections) if len(sections) else None,
        "grouped": grouped,
        "position_frame": charts.position_frame(grouped),
        "checks": checks,
        "differing": differing,
        "differing_table": charts.checks_frame(differing, brackets),
        "checks_table": charts.checks_frame(checks, brackets),
        "issues": finance.position_issues(con, org, as_at),
    }


def across_months(con, org: str, brackets: bool) -> dict:
    """What does not depend on the month shown: the trend, the latest risks and plan."""
    trend = finance_analysis.trend(finance.lines(con, org))
    risks_as_at, risks = finance.risks(con, org)
    plan_as_at, plan = finance.plan(con, org)
    return {
        "trend": trend,
        "trend_frame": charts.trend_frame(trend) if len(trend) > 1 else None,
        "risks_as_at": risks_as_at,
        "risks": charts.risks_frame(risks, brackets) if len(risks) else None,
        "plan_as_at": plan_as_at,
        "plan": charts.plan_frame(plan, brackets) if len(plan) else None,
    }


con = connection()
orgs = selected_orgs()
if not orgs:
    stop_not_loaded("month-end finance position", title="Finance")
org = one_or_compared(
    "fin",
    "Finance",
    lambda: compare.finance_by_organisation(con, orgs),
    wording.most_adverse,
    "Each organisation's latest month-end position; £'000, variances favourable positive.",
    "finance-by-organisation",
    [
        lambda table: compare_charts.finance_variance_bars(
            comparisons.finance_variances(table), "Year-to-date and forecast variance by organisation"
        )
    ],
)
months = finance.months(con, org)
if months.empty:
    stop_not_loaded("month-end finance position", org, title="Finance")


@st.fragment
def finance_view() -> None:
    """Everything below the choice of organisation: a change of month or of bracket style reruns only this part."""
    title_slot, caption_slot = st.empty(), st.empty()
    controls = st.columns([3, 2])
    month_labels = dict(zip(months["as_at"], months["label"], strict=True))
    url_state("fin_month", months["as_at"].iloc[-1], list(month_labels), param="month")
    as_at = controls[0].selectbox("Month", list(month_labels), format_func=month_labels.get, key="fin_month")
    url_state("fin_brackets", True, [True, False], param="brackets")
    brackets = controls[1].toggle("Adverse in brackets, as the source: (1,976)", key="fin_brackets")
    label = month_labels[as_at]
    about = [f"Position: {label}"]

    found = cached.read(month_findings, org, as_at, brackets)
    frame, head = found["frame"], found["head"]
    # What the figures below are made from, with the store state ``cached`` adds.
    choices = ("finance", org, as_at, brackets)
    title_slot.title(charts.headline(literal(label), head))
    synthetic_notice(org)
    caption_slot.caption(
        literal(
            f"{org} · {label} position as at {formats.date(as_at)} · £'000 · variances favourable positive · overall from: {head['basis']}"
        )
    )

    metrics = st.columns(4)
    plain = {"delta_color": "off", "delta_arrow": "off"}
    for column, heading, variance in (
        (metrics[0], "YTD variance £'000", head["ytd_variance"]),
        (metrics[1], "Forecast variance £'000", head["forecast_variance"]),
    ):
        column.metric(heading, charts.format_money(variance, brackets), charts.direction(variance), **plain)
    deficit = head["deficit"]
    if deficit:
        for column, figure, actual, plan in (
            (metrics[2], "YTD actual", deficit["ytd_actual"], deficit["ytd_budget"]),
            (metrics[3], "forecast", deficit["forecast_outturn"], deficit["annual_budget"]),
        ):
            column.metric(
                f"{literal(deficit['line'])}, {figure} £'000",
                charts.format_money(actual, brackets),
                f"plan {charts.format_money(plan, brackets)}",
                **plain,
            )

    if found["has_totals"] and not presenting():  # presented, the figures above already give the totals and deficit
        st.subheader(f"Totals and in-year position, {literal(label)}")
        show_table(charts.totals_table(frame, brackets), whole=True)
    if found["sections_frame"] is not None:
        st.subheader(f"Position by section, {literal(label)}")
        st.caption("Each section's sub-total as the source states it, or its lines summed where it states none.")
        show_table(charts.section_table(found["sections"], brackets), whole=True)
        downloads(found["sections_frame"], f"finance-sections-{as_at}", "fin_sections", "By section", about=about)
        st.subheader(f"Position by line, grouped by section, {literal(label)}")
    else:
        st.subheader(f"Position by line, {literal(label)}")
    show_table(charts.position_table(found["grouped"], brackets), whole=True)
    downloads(found["position_frame"], f"finance-position-{as_at}", "fin", "Position", about=about)

    with folded("Total checks"):
        checks, differing = found["checks"], found["differing"]
        rounded = int((checks["severity"] == "info").sum())
        if len(differing):
            st.warning(
                f"{len(differing)} stated figure{'s' if len(differing) != 1 else ''} in total rows differ from what their lines "
                "give. Both are shown; neither has been corrected."
            )
            table_with_downloads(found["differing_table"], f"finance-total-checks-{as_at}", "fin_checks", "Checks")
        elif len(checks):
            within = " within the source's rounding" if rounded else ""
            st.success(f"Every stated total agrees with its lines{within} ({len(checks)} figures checked).")
        if rounded:
            st.caption(
                f"{rounded} stated figure{'s' if rounded != 1 else ''} in total rows differ{'s' if rounded == 1 else ''} from "
                "their lines by no more than the source's rounding; they are listed under All total checks."
            )
        with st.expander("All total checks and what the loader reported"):
            if len(checks):
                table_with_downloads(
                    found["checks_table"], f"finance-all-checks-{as_at}", "fin_all_checks", "All checks"
                )
            issues = found["issues"]
            if len(issues):
                show_table(issues)
            else:
                st.write("The loader reported nothing about this month's position.")

    left, right = st.columns([3, 2])
    with left:
        bars = cached.figure(
            (*choices, "variance"),
            charts.variance_bars,
            frame,
            brackets,
            title=f"YTD and forecast variance by line, {label}",
        )
        chart(bars, "fin_variance_chart", f"finance-variance-{as_at}")
    with right:
        if deficit:
            chart(
                cached.figure(
                    (*choices, "deficit"),
                    charts.deficit_bars,
                    deficit,
                    brackets,
                    title=f"{deficit['line']} against plan, {label}",
                ),
                "fin_deficit_chart",
                f"finance-deficit-{as_at}",
            )
        else:
            st.caption("No in-year deficit or surplus line in this month's position.")
    story_ends()

    every_month = cached.read(across_months, org, brackets)
    trend = every_month["trend"]
    if len(trend) > 1:
        chart(
            cached.figure(
                ("finance", org, "trend"),
                charts.trend_lines,
                trend,
                title=f"Overall variance, {trend['label'].iloc[0]} to {trend['label'].iloc[-1]}",
            ),
            "fin_trend_chart",
            "finance-trend",
        )
        show_table(charts.trend_table(trend, brackets), whole=True)
        downloads(every_month["trend_frame"], "finance-trend", "fin_trend", "Trend")
    else:
        st.caption(f"One month loaded ({literal(label)}); the trend appears once a second month is loaded.")

    risks_as_at, risks_shown = every_month["risks_as_at"], every_month["risks"]
    if risks_shown is not None:
        st.subheader(f"Risks and mitigations (as at {formats.date(risks_as_at)})")
        table_with_downloads(risks_shown, f"finance-risks-{risks_as_at}", "fin_risks", "Risks and mitigations")

    plan_as_at, plan_shown = every_month["plan_as_at"], every_month["plan"]
    if plan_shown is not None:
        st.subheader(f"Financial plan bridge (as at {formats.date(plan_as_at)})")
        table_with_downloads(plan_shown, f"finance-plan-{plan_as_at}", "fin_plan", "Plan bridge")


finance_view()
