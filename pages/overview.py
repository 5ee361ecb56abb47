"""Overview: the chief officer's one-screen glance at the latest position of every dataset."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import config
import formats
from analysis import comparisons, wording
from analysis import risks as risk_analysis
from charts import boardpack as pack_charts
from charts import compare as compare_charts
from charts import finance as finance_charts
from charts import heatmap
from charts import qipp as qipp_charts
from pages import cached
from pages.formatting import literal, not_loaded, stop_not_loaded
from pages.organisations import one_or_compared, selected_orgs, synthetic_notice
from pages.plotting import chart
from pages.presentation import story_ends
from pages.store_view import connection
from store import boardpack, compare, overview

con = connection()
orgs = selected_orgs()
if not orgs:
    stop_not_loaded("data", title="Overview")
org = one_or_compared(
    "overview",
    "Overview",
    lambda: cached.read(compare.overview_compared, orgs),
    wording.overview_finding,
    "Each organisation's latest snapshot of each dataset, with the date it is as at. £'000; "
    "variances favourable positive, with the word beside them.",
    "overview-organisations",
    [
        lambda table: compare_charts.risks_above_target_bars(
            comparisons.risks_above_target(table, "Risks as at"), "Risks above target by organisation"
        ),
        lambda table: compare_charts.qipp_gap_bars(
            comparisons.qipp_gaps(table), "Gap to QIPP target, risk-adjusted, by organisation"
        ),
        lambda table: compare_charts.finance_variance_bars(
            comparisons.finance_variances(table), "Finance variance by organisation"
        ),
    ],
)
tiles = cached.read(overview.overview, org)
VARIANCE_DELTA = {"favourable": ("blue", "up"), "adverse": ("orange", "down"), "on plan": ("gray", "off")}


def as_at(value) -> str:
    return formats.date(value, missing="no date")


def risk_title(tile: overview.Tile) -> str:
    figures = tile.figures
    moved = f"; {figures['up']} up, {figures['down']} down since the last snapshot" if tile.previous_as_at else ""
    if tile.previous_as_at and figures["unscored"]:
        moved += f" ({figures['unscored']} with no current score then or now)"
    return f"{wording.risk_headline(figures)}{moved}"


def current_risk_matrix(register: pd.DataFrame, scale: str):
    return heatmap.risk_matrix(
        risk_analysis.matrix_cells(register, "current"),
        config.risk_bands(org, scale),
        scale,
        "current",
        title=f"Current risk ({scale})",
        height=520 if scale == "5x5" else 420,
        compact=True,
    )


def show_tile(place, name: str, title: str, what: str, body, heading=None) -> None:
    """One dataset's tile in a box: its heading, then ``body(figures)``, its as-at dates and a link to its page
    (pages/``name``.py); or, when the dataset is not loaded, says so. ``heading(tile)`` words a loaded tile's title."""
    with place, st.container(border=True):
        tile = tiles[name]
        st.subheader(heading(tile) if heading and tile.loaded else title)
        if not tile.loaded:
            not_loaded(what, org)
            return
        body(tile.figures)
        since = f"; compared with {as_at(tile.previous_as_at)}" if tile.previous_as_at is not None else ""
        st.caption(f"As at {as_at(tile.as_at)}{since}.")
        st.page_link(f"pages/{name}.py", label=title, icon=":material/arrow_forward:")


def risks_tile(figures: dict) -> None:
    register = figures["register"]
    scale = register["scale"].mode().iloc[0] if register["scale"].notna().any() else "5x5"
    figure = cached.figure(("overview", org, scale), current_risk_matrix, register, scale)
    chart(figure, "overview_heatmap", "overview-current-risk")
    st.caption(wording.counts_note(figures, figures["closed"]))


def qipp_tile(q: dict) -> None:
    a, b = st.columns(2)
    a.metric("Target £'000", qipp_charts.money(q["target"]))
    b.metric("Identified £'000", qipp_charts.money(q["identified_incl"]), help="Including pipeline")
    a.metric("Risk-adjusted £'000", qipp_charts.money(q["risk_adjusted"]))
    moved = q["gap_moved"]
    delta, colour, arrow = None, "gray", "off"
    if moved is not None and round(moved):
        delta = f"{qipp_charts.money(abs(moved))} {'smaller' if moved < 0 else 'larger'}"
        colour, arrow = ("blue", "down") if moved < 0 else ("orange", "up")
    elif moved is not None:
        delta = "no change"
    b.metric(
        "Gap, risk-adjusted £'000",
        qipp_charts.money(q["gap_risk_adjusted"]),
        delta=delta,
        delta_color=colour,
        delta_arrow=arrow,
        help=None if moved is None else "The change since the previous QIPP snapshot.",
    )
    st.caption(
        f"Gap to target: {qipp_charts.gap_words(q['gap_risk_adjusted'])} risk-adjusted, "
        f"{qipp_charts.gap_words(q['gap_excl'])} excluding pipeline."
    )


def finance_tile(f: dict) -> None:
    a, b = st.columns(2)
    for column, label, variance in (
        (a, "YTD variance £'000", f["ytd_variance"]),
        (b, "Forecast variance £'000", f["forecast_variance"]),
    ):
        word = finance_charts.direction(variance)
        colour, arrow = VARIANCE_DELTA[word]
        column.metric(label, finance_charts.format_money(variance), delta=word, delta_color=colour, delta_arrow=arrow)
    deficit = f["deficit"]
    if deficit:
        st.caption(f"{literal(deficit['line'])}: {finance_charts.format_money(deficit['forecast_outturn'])} forecast.")
    st.caption(f"{literal(f['label'])} ({literal(f['basis'])}).")


def activity_tile(a_fig: dict) -> None:
    if not a_fig["with_actuals"]:
        st.metric("Measures planned", a_fig["measures"])
        st.caption("Plan only: no actuals loaded yet.")
    else:
        a, b = st.columns(2)
        a.metric("Above plan YTD", f"{a_fig['above_plan']} of {a_fig['with_actuals']}")
        b.metric("Below plan YTD", f"{a_fig['below_plan']} of {a_fig['with_actuals']}")
        st.caption(f"Year to date through {pd.Timestamp(a_fig['through']):%B %Y}, by top-level measure.")


def improvement_tile(i: dict) -> None:
    moved = i["completed_since"] or 0
    st.metric(
        "Complete",
        i["completion"].pct_text(),
        delta=i["change"],
        delta_color="normal" if moved else "gray",
        delta_arrow="auto" if moved else "off",
    )
    st.caption(f"{i['label']}." if i["pct_complete"] is None else f"{i['headline']}: {i['label']}.")
    if i["sources"]:
        st.caption(i["sources"])


st.title(f"Overview: {literal(org)}")
synthetic_notice(org)
left, right = st.columns([5, 7], gap="medium")
show_tile(left, "risks", "Risks", "risk register", risks_tile, heading=risk_title)
with right:
    top_left, top_right = st.columns(2)
    bottom_left, bottom_right = st.columns(2)
show_tile(top_left, "qipp", "QIPP", "QIPP tracker", qipp_tile)
show_tile(top_right, "finance", "Finance", "finance position", finance_tile)
show_tile(bottom_left, "activity", "Activity", "activity plan", activity_tile)
show_tile(bottom_right, "improvement", "Improvement plan", "improvement plan", improvement_tile)

story_ends()


def prepare_pack() -> None:
    bar = st.progress(0.0, text="Gathering the figures ...")
    pack = boardpack.contents(con, org)
    page, charts = pack_charts.render(pack, lambda fraction, text: bar.progress(fraction, text=text))
    name = pack_charts.file_name(org, pack.latest_as_at())
    st.session_state["board_pack"] = {"org": org, "name": name, "html": page, "charts": charts}


with st.container(border=True):
    st.subheader("Board pack")
    st.caption(
        "One HTML file for the board papers: these findings, each page's key charts and tables at the latest snapshot. "
        "It opens in any browser without a connection; print it to PDF from there."
    )
    if st.button(f"Prepare the board pack for {literal(org)}", key="pack_prepare"):
        prepare_pack()
    ready = st.session_state.get("board_pack")
    if ready and ready["org"] == org:
        st.download_button(
            f"Download the board pack ({ready['charts']} charts, HTML)",
            ready["html"],
            ready["name"],
            "text/html",
            key="pack_download",
            on_click="ignore",
            type="primary",
        )
