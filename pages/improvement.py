"""Improvement plan: completion across reports, planned vs achieved, areas, overdue actions and concerns."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import formats
from analysis import completion, recommendations, wording
from charts import improvement as charts
from pages import cached
from pages.downloads import downloads, table_with_downloads
from pages.formatting import literal, not_loaded, show_table, stop_not_loaded
from pages.organisations import ORG_VIEWS, org_choice, selected_orgs, synthetic_notice, view_choice
from pages.plotting import chart, clicked
from pages.presentation import folded, story_ends
from pages.store_view import connection
from pages.url_state import url_state
from store import actions


def report_findings(con, orgs: tuple[str, ...], org: str, report) -> dict:
    """The actions of one report (default the latest) and what the tabs show of them, once per store state."""
    rows = actions.actions(con, org, report)
    trend = cached.read(actions.completion_trend, list(orgs))
    found = {
        "rows": rows,
        "planned": completion.planned_vs_achieved(rows, trend[trend["organisation"] == org]),
        "late": completion.overdue(rows),
        "concerns": actions.concerns(con, org),
    }
    if not rows.empty:
        found["areas"] = completion.by_area(rows)
        found["status_words"] = recommendations.status_words(rows)
        if recommendations.has_recommendations(rows):
            grouped = recommendations.by_recommendation(rows)
            found["grouped"] = grouped
            found["under"] = {
                parent: recommendations.actions_under(rows, parent) for parent in grouped["Recommendation"]
            }
        else:
            found["action_list"] = recommendations.action_list(rows)
    return found


st.title("Improvement plan")
con = connection()
orgs = selected_orgs()
trend = cached.read(actions.completion_trend, orgs) if orgs else pd.DataFrame()
if trend.empty:
    stop_not_loaded("improvement plan", ", ".join(orgs) or None)


with_plans = list(dict.fromkeys(trend["organisation"]))
picked = clicked("ip_compared")
if picked in with_plans:
    st.session_state["ip_view"] = ORG_VIEWS[0]
    st.session_state["ip_org"] = picked
if len(with_plans) > 1 and view_choice("ip_view", ORG_VIEWS) == ORG_VIEWS[1]:
    latest = completion.latest_by_organisation(trend)
    rated = latest.dropna(subset=["pct_complete"])
    if rated.empty:
        st.subheader("No organisation's latest report has an action with a RAG")
    else:
        best = rated.loc[rated["pct_complete"].idxmax()]
        unknown = len(latest) - len(rated)
        among = f" ({unknown} of {len(latest)} have no action with a RAG)" if unknown else ""
        st.subheader(
            f"{literal(best['organisation'])} is furthest on: {formats.percent(best['pct_complete'])} complete{among}"
        )
    synthetic_notice(*with_plans)
    chart(
        charts.organisations_compared(latest, "% complete at each organisation's latest report"),
        "ip_compared",
        "improvement-organisations",
        on_select="rerun",
        selection_mode="points",
    )
    st.caption("Click an organisation's bar to open its plan.")
    latest_dates = latest.rename(columns={"organisation": "Organisation", "report_date": "Latest report as at"})
    for note in wording.as_at_differences(latest_dates):
        st.caption(literal(note))
    chart(
        charts.organisations_over_time(trend, "% complete across reports"),
        "ip_over_time",
        "improvement-organisations-over-time",
    )
    table = completion.stated(trend)
    table_with_downloads(table, "improvement_plan_completion", "ip_trend_all")
    st.stop()

org = org_choice("ip_org", with_plans)
synthetic_notice(org)
own = trend[trend["organisation"] == org]
st.subheader(f"{literal(org)}: {wording.actions_headline(own)}")
sources = "; ".join(
    f"{formats.date(d)} from {'the action rows' if s == 'rows' else 'the tracker summary'}"
    for d, s in zip(own["report_date"], own["source"], strict=True)
)
with folded(f"Reports ({len(own)})"):
    st.caption(f"Reports: {sources}. % complete is complete actions over actions with a RAG.")
latest_completion = completion.completion(own.iloc[-1])
st.markdown(f"**Latest report ({formats.date(own['report_date'].iloc[-1])}): {latest_completion.label()}.**")
if latest_completion.unrated:
    st.info("Actions with no RAG are shown as 'No RAG' and left out of % complete.")

compared = cached.read(actions.rows_vs_summary, org)
disagree = compared[~compared["matches"]]
if not disagree.empty:
    dates = ", ".join(sorted({formats.date(d) for d in disagree["report_date"]}))
    st.warning(
        f"The tracker's own summary disagrees with its action rows for {dates} in {len(disagree)} "
        f"area{'s' if len(disagree) != 1 else ''}: {'; '.join(literal(a) for a in disagree['area'])}. "
        "The trend uses the rows; both counts are below."
    )
    show_table(disagree.drop(columns=["matches"]))
    downloads(disagree, "improvement_summary_disagreements", "ip_disagree")

chart(
    cached.figure(
        ("improvement", tuple(orgs), org, "trend"),
        charts.completion_trend,
        own,
        f"{org}: actions by RAG per report, and % complete",
    ),
    "ip_trend",
    "improvement-completion",
)
story_ends()

dates = cached.read(actions.report_dates, org)
rows_as_at = None
if len(dates) > 1:
    url_state("ip_report", dates[-1], dates[::-1], param="report")
    rows_as_at = st.selectbox("Report for the tables below", dates[::-1], format_func=formats.date, key="ip_report")
report = rows_as_at.date() if rows_as_at is not None else None
found = cached.read(report_findings, tuple(orgs), org, report)
rows = found["rows"]
# What the figures below are made from, with the store state ``cached`` adds.
choices = ("improvement", tuple(orgs), org, report)
plan_tab, area_tab, overdue_tab, concern_tab, actions_tab = st.tabs(
    ["Planned vs achieved", "By area", "Overdue", "Concerns", "Actions"]
)
report_day = formats.date(rows["as_at"].iloc[0]) if not rows.empty else "–"

with plan_tab:
    planned = found["planned"]
    if planned.empty or not planned["due"].any():
        st.info("No action has a deadline that reads as a date, so there is no planned curve.")
    else:
        undated = int(planned["undated"].iloc[0])
        chart(
            cached.figure(
                (*choices, "planned"),
                charts.planned_vs_achieved,
                planned,
                f"Actions due by deadline (report of {report_day}) and complete per report",
            ),
            "ip_planned",
            "improvement-planned-vs-achieved",
        )
        if undated:
            st.caption(
                f"{undated} actions have no deadline that reads as a date (e.g. 'Ongoing') and are not on the curves."
            )

with area_tab:
    if rows.empty:
        not_loaded("action rows", org)
    else:
        areas = found["areas"]
        chart(
            cached.figure(
                (*choices, "areas"), charts.area_bars, areas, f"Actions by improvement area (report of {report_day})"
            ),
            "ip_areas",
            "improvement-areas",
        )
        table_with_downloads(completion.stated(areas), "improvement_areas", "ip_areas_table")

with overdue_tab:
    late = found["late"]
    if rows.empty:
        not_loaded("action rows", org)
    elif late.empty:
        st.success(f"No action was overdue at the report of {report_day}.")
    else:
        st.markdown(f"**{len(late)} actions overdue at the report of {report_day}**, most overdue first")
        show_table(late.drop(columns=["organisation"]))
        downloads(late, "overdue_actions", "ip_overdue")

with concern_tab:
    concerns = found["concerns"]
    if concerns.empty:
        st.info(f"{literal(org)} has no action concern report loaded.")
    else:
        open_count = int((concerns["status"].fillna("").str.lower() == "open").sum())
        st.markdown(
            f"**{len(concerns)} concerns, {open_count} open** (as at {formats.date(concerns['as_at'].iloc[0])})"
        )
        show_table(concerns.drop(columns=["organisation"]))
        downloads(concerns, "action_concerns", "ip_concerns")

with actions_tab:
    if rows.empty:
        not_loaded("action rows", org)
    elif recommendations.has_recommendations(rows):
        grouped = found["grouped"]
        st.markdown(
            f"**{len(rows)} actions under {rows['parent_ref'].nunique()} recommendations** (report of {report_day}); "
            "open one to see its actions."
        )
        show_table(grouped)
        for parent, complete in zip(grouped["Recommendation"], grouped["Completion"], strict=True):
            label = parent if parent == recommendations.NO_RECOMMENDATION else f"Recommendation {parent}"
            with st.expander(f"{literal(label)}: {complete}"):
                show_table(found["under"][parent])
    else:
        st.markdown(f"**{len(rows)} actions** (report of {report_day})")
        show_table(found["action_list"])
    if not rows.empty:
        st.markdown("**Status words as written in the tracker, and the RAG each is read as**")
        show_table(found["status_words"])
    downloads(rows, "actions", "ip_actions")
