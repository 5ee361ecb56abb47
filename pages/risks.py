"""Risks: where the risks sit now, where they started, where they should end; movement, history, reviews."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

import config
import formats
from analysis import comparisons, wording
from analysis import risks as risk_analysis
from charts import compare as compare_charts
from charts import heatmap, risk_movement
from pages import cached
from pages.downloads import downloads, table_with_downloads
from pages.formatting import literal, show_table, stop_not_loaded
from pages.organisations import compared_table, selected_orgs, synthetic_notice
from pages.plotting import chart
from pages.presentation import presenting
from pages.store_view import connection
from pages.url_state import number_between, url_state
from store import compare, risks

VIEWS = {
    "Initial": "Initial risk: where the risks started",
    "Current": "Current risk: where the risks sit now",
    "Target": "Target risk: where the risks should end",
    "All three side by side": "Initial, current and target side by side",
}
SCALE_ORDER = ("5x5", "3x3")
RISK_NAMED = {"organisation": "Organisation", "display": "Risk", "title": "Title"}  # each table's first columns
RISK_TABLE = {
    **RISK_NAMED,
    "owner": "Owner",
    "objective": "Objective",
    "status": "Status",
    "scale": "Scale",
    "initial_rating": "Initial",
    "current_rating": "Current",
    "trend_shown": "Trend",
    "target_rating": "Target",
    "appetite_shown": "Appetite",
    "above_appetite_words": "Above appetite",
    "target_date_shown": "Target date",
    "last_reviewed": "Last reviewed",
    "next_review": "Next review",
    "directorate": "Directorate",
    "committee": "Assuring committee",
}
# Register columns a workbook may not state at all: left out when no risk shown has them.
OPTIONAL_COLUMNS = (
    "status",
    "last_reviewed",
    "appetite_shown",
    "above_appetite_words",
    "target_date_shown",
    "trend_shown",
    "next_review",
    "directorate",
    "committee",
)
DETAIL_LINES = {
    "owner": "Owner",
    "objective": "Objective",
    "status": "Status",
    "last_reviewed": "Last reviewed",
    "scale": "Scale",
    "appetite": "Risk appetite",
    "appetite_as_written": "Appetite as written",
    "target_date": "Target date",
    "trend": "Trend",
    "next_review": "Next review",
    "opened": "Opened",
    "directorate": "Directorate",
    "committee": "Assuring committee",
}
DETAIL_IF_STATED = {"appetite_as_written", "next_review", "opened", "directorate", "committee"}
MOVEMENT_TABLE = {
    **RISK_NAMED,
    "owner": "Owner",
    "initial_rating": "Initial",
    "current_rating": "Current",
    "target_rating": "Target",
    "change": "Change since initial",
    "above_target_by": "Above target by",
}
WORSE_TABLE = {
    **RISK_NAMED,
    "previous_as_at": "Previous as at",
    "previous_rating": "Previous score",
    "as_at": "As at",
    "current_rating": "Current score",
    "worse_by": "Worse by",
}
REVIEW_TABLE = {
    **RISK_NAMED,
    "owner": "Owner",
    "last_reviewed": "Last reviewed",
    "next_review": "Next review",
    "as_at": "As at",
    "days_since_review": "Days since review",
    "reason": "Why listed",
}
FILTERS = (  # the RiskFilters field, widget key, URL param and label of each multiselect filter
    ("objectives", "risk_objectives", "objective", "Objective"),
    ("owners", "risk_owners", "owner", "Owner"),
    ("statuses", "risk_statuses", "status", "Status"),
)
MAX_REVIEW_DAYS = 3650
days_param = number_between(int, 0, MAX_REVIEW_DAYS)
HISTORY_TABLE = {"organisation": "Organisation", "as_at": "As at", "display": "Risk", "current_rating": "Current score"}


def shown(table: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    return table[list(columns)].rename(columns=columns)


def register_table(risks_shown: pd.DataFrame) -> pd.DataFrame:
    """The register as listed: appetite, target date and trend in words; columns no risk states left out."""
    table = risks_shown.copy()
    table["above_appetite_words"] = [
        "" if pd.isna(by) else f"yes, by {int(by)}" if by > 0 else "no" for by in table["above_appetite_by"]
    ]
    columns = {
        name: heading
        for name, heading in RISK_TABLE.items()
        if name not in OPTIONAL_COLUMNS or table[name].notna().any() and (table[name].astype(str) != "").any()
    }
    if "appetite_shown" not in columns:
        columns.pop("above_appetite_words", None)
    out = shown(table, columns)
    words = [heading for name, heading in columns.items() if table[name].dtype == object]
    out[words] = out[words].astype(object).where(out[words].notna(), "")
    return out


def risk_register(con, orgs: tuple[str, ...], as_at, include_closed: bool) -> dict:
    """The register at ``as_at``, closed risks left out unless included, and the filters' options."""
    loaded = risks.register(con, list(orgs), as_at)
    open_risks, closed = risk_analysis.without_closed(loaded)
    if not include_closed:
        loaded = open_risks
    return {"loaded": loaded, "closed": closed, "options": risk_analysis.filter_options(loaded)}


def risk_findings(con, orgs: tuple[str, ...], as_at, include_closed: bool, filters, overdue_days: int) -> dict:
    """Everything the page lists about the filtered register, read and worked out once per store state."""
    frame = risk_analysis.filter_risks(cached.read(risk_register, orgs, as_at, include_closed)["loaded"], filters)
    history = risks.score_history(con, list(orgs), until=as_at, keys=list(frame["key"]))
    overdue = risk_analysis.review_overdue(frame, overdue_days)
    found = {
        "frame": frame,
        "counts": risk_analysis.summary(frame),
        "appetite": risk_analysis.appetite_counts(frame),
        "as_at_note": wording.as_at_note(frame),
        "overdue": overdue,
        "overdue_table": shown(overdue, REVIEW_TABLE),
        "history": history,
        "history_table": shown(history, HISTORY_TABLE),
        "compared": compare.risks_by_organisation(con, frame) if frame["organisation"].nunique() > 1 else None,
    }
    if not frame.empty:
        worse = risk_analysis.worse_since_previous(frame, risks.previous_registers(con, frame))
        found |= {
            "moves": risk_analysis.movement(frame),
            "stuck": shown(risk_analysis.not_moved(frame), MOVEMENT_TABLE),
            "above": shown(risk_analysis.above_target(frame), MOVEMENT_TABLE),
            "worse": shown(worse, WORSE_TABLE),
            "register": register_table(frame),
            "moved_most": {
                scale: risk_movement.moved_most(history[history["scale"] == scale]) for scale in set(history["scale"])
            },
        }
    return found


con = connection()
orgs = selected_orgs()
if not orgs:
    stop_not_loaded("risk register", title="Risks")
dates = risks.risk_dates(con, orgs)
if not dates:
    stop_not_loaded("risk register", ", ".join(orgs), title="Risks")


title_slot = st.empty()
with st.container(horizontal=True):
    newest_first = list(reversed(dates))
    url_state("risk_as_at", newest_first[0], newest_first, param="as_at")
    as_at = st.selectbox(
        "As at",
        newest_first,
        format_func=formats.date,
        key="risk_as_at",
        help="Each organisation's latest risk register on or before this date.",
    )
    include_closed = st.toggle(
        "Include closed risks", key="risk_closed", help="Closed risks are left off the matrices and counts by default."
    )
    chosen_register = cached.read(risk_register, tuple(orgs), as_at, include_closed)
    closed, options = chosen_register["closed"], chosen_register["options"]
    for name, key, param, _ in FILTERS:
        url_state(key, [], options[name], param=param, multi=True)
    filters = risk_analysis.RiskFilters(
        **{name: tuple(st.multiselect(label, options[name], key=key)) for name, key, _, label in FILTERS},
        above_appetite=st.toggle(
            "Above appetite only",
            key="risk_above_appetite",
            help="Risks whose current score is above the tolerable score their appetite states.",
        ),
    )
url_state("risk_review_days", config.review_overdue_days(), param="review_days", parse=days_param)
overdue_days = st.session_state["risk_review_days"]
found = cached.read(risk_findings, tuple(orgs), as_at, include_closed, filters, overdue_days)
frame, counts, appetite, overdue = found["frame"], found["counts"], found["appetite"], found["overdue"]
# What the page shows under one set of choices, for keeping its figures: the store state is added by ``cached``.
CHOICES = ("risks", tuple(orgs), as_at, include_closed, filters)

title_slot.title(f"Risks: {wording.risk_headline(counts)}")
synthetic_notice(*orgs)
closed_words = ""
if closed:
    closed_words = f"; {closed} closed included" if include_closed else f"; {wording.closed_note(closed)}"
st.caption(f"{literal(found['as_at_note']) or 'No risks'}. Showing {literal(filters.describe())}{closed_words}.")
with st.container(horizontal=True):
    total = counts["risks"]
    st.metric("Risks", total, help=f"{closed_words[2:].capitalize()}." if closed else None)
    st.metric("Above target", wording.judged(counts["above_target"], counts["compared"], total))
    st.metric(
        "Above appetite",
        wording.judged(appetite["above_appetite"], appetite["with_appetite"], total),
        help="Current score above the tolerable score of the risk's appetite (stated, or configured per level).",
    )
    st.metric("Target date passed", appetite["target_past_due"], help="Target date before the as-at, target not met.")
    st.metric("Not moved since initial", wording.judged(counts["not_moved"], counts["with_movement"], total))
    banded = counts["with_current"] + counts["current_band_only"]
    st.metric("In the top band now", wording.judged(counts["top_band"], banded, total))
    reviews = risk_analysis.review_counts(overdue)
    st.metric(
        f"Review overdue (> {overdue_days} days)",
        wording.review_metric(reviews, total),
        help=f"{wording.review_headline(reviews, total, overdue_days)}." if reviews["no_date"] else None,
    )
notes = [note for note in (wording.missing_note(counts),) if note]
if reviews["no_date"]:
    notes.append(f"{wording.review_headline(reviews, total, overdue_days)}.")
if notes:
    st.caption(" ".join(notes))

if len(set(frame["organisation"])) > 1:
    st.subheader("By organisation")
    compared = found["compared"]
    chart(
        cached.figure(
            (*CHOICES, "by organisation"),
            compare_charts.risks_above_target_bars,
            comparisons.risks_above_target(compared),
            "Risks above target by organisation (these filters)",
        ),
        "risks_orgs_chart",
        "risks-by-organisation-chart",
    )
    compared_table(compared)
    downloads(compared, "risks-by-organisation", "risks-by-organisation")

if frame.empty:
    st.info("No risks match these filters.")
    st.stop()


def bands_for(scale: str) -> list[dict]:
    """An organisation's own bands when one is selected; the configured default across several."""
    return config.risk_bands(orgs[0] if len(orgs) == 1 else None, scale)


def matrix_figure(rows: pd.DataFrame, scale: str, stages: list[str], compact: bool):
    cells = {stage: risk_analysis.matrix_cells(rows, stage) for stage in stages}
    if len(stages) == 1:
        return heatmap.risk_matrix(cells[stages[0]], bands_for(scale), scale, stages[0], compact=compact)
    return heatmap.risk_matrices(cells, bands_for(scale), scale)


def show_matrices(view: str) -> list[dict]:
    """Each scale on its own matrix; returns the cells the user selected."""
    chosen = []
    scales = [s for s in SCALE_ORDER if s in set(frame["scale"])]
    stages = list(risk_analysis.STAGES) if view == "All three side by side" else [view.lower()]
    for scale in scales:
        rows = frame[frame["scale"] == scale]
        compact = presenting()
        fig = cached.figure((*CHOICES, "matrix", scale, view, compact), matrix_figure, rows, scale, stages, compact)
        if len(scales) > 1:
            st.markdown(f"**{scale} register{'s' if rows['organisation'].nunique() > 1 else ''}**")
        event = chart(fig, f"matrix-{scale}-{view}", f"risk-matrix-{scale}", on_select="rerun", selection_mode="points")
        chosen += heatmap.selected_cells(fig, event.selection.points if event else [])
        for stage in stages:
            missing = risk_analysis.unplaced(rows, stage)
            if not missing.empty:
                st.warning(
                    f"{len(missing)} {stage} score{'s' if len(missing) != 1 else ''} cannot be placed on the "
                    f"{scale} matrix (the register gives no likelihood or consequence); listed below."
                )
                unplaced = shown(missing, {**RISK_NAMED, f"{stage}_score": "Score as stated", "band": "Band"})
                unplaced = unplaced.astype({"Score as stated": object, "Band": object}).fillna("not stated")
                table_with_downloads(unplaced, f"risks-unplaced-{stage}-{scale}", f"unplaced-{stage}-{scale}-{view}")
    st.caption(literal(found["as_at_note"]))
    return chosen


def show_detail(risk: pd.Series) -> None:
    detail = risks.risk_detail(con, risk)
    fields = detail["fields"]
    st.subheader(f"Risk {literal(risk['display'])}")
    st.text(fields.get("title") if isinstance(fields.get("title"), str) else "")
    left, right = st.columns(2)
    with left:
        shown_values = fields | {name: risk.get(f"{name}_shown") for name in ("appetite", "target_date", "trend")}
        written = fields.get("appetite")
        if isinstance(written, str) and written != risk.get("appetite_level"):
            shown_values["appetite_as_written"] = written
        for name, heading in DETAIL_LINES.items():
            value = shown_values.get(name)
            missing = value is None or (not isinstance(value, str) and pd.isna(value))
            if missing and name in DETAIL_IF_STATED:
                continue
            if isinstance(value, date):
                value = formats.date(value)
            st.text(f"{heading}: {'not stated' if missing else value}")
        if risk.get("above_appetite"):
            st.warning(
                f"Current score {int(risk['current_rating'])} is above appetite by {int(risk['above_appetite_by'])}."
            )
        show_table(detail["scores"])
        st.caption(f"From {literal(detail['source'])}.")
    with right:
        path = heatmap.risk_path(risk, bands_for(risk["scale"]), risk["scale"], label=str(risk["display"]))
        chart(path, "risk-path", f"risk-{risk['display']}-path")
    for name, text in detail["text"].items():
        with st.expander(name.capitalize(), expanded=name == "gaps"):
            st.text(text)


def pick_risk(candidates: pd.DataFrame, cell_chosen: bool) -> None:
    names: dict[str, object] = {}
    for index, row in zip(candidates.index, candidates.itertuples(), strict=True):
        name = f"{row.display}: {row.title if isinstance(row.title, str) else ''}"
        while name in names:
            name += " "
        names[name] = index
    picked = st.selectbox(
        "Risk detail",
        list(names),
        index=0 if cell_chosen else None,
        placeholder="Choose a risk (or select a cell on the matrix)",
        key=f"risk_pick-{'-'.join(map(str, candidates.index))}" if cell_chosen else "risk_pick",
    )
    if picked is not None:
        show_detail(candidates.loc[names[picked]])


for kept in [key for key in st.session_state if str(key).startswith("risk_history_highlight_")]:
    st.session_state[kept] = st.session_state[kept]  # kept while its tab is closed and its widget not drawn
# Only the open tab's content is made: opening another reruns the page.
matrix_tab, movement_tab, history_tab, review_tab, register_tab = st.tabs(
    ["Matrix", "Movement", "Score history", "Review overdue", "Register"], key="risk_tab", on_change="rerun"
)


@st.fragment
def matrix_view() -> None:
    """The matrices and what is picked on them: a change of view or a click reruns only this part."""
    url_state("risk_view", "Current", list(VIEWS), param="view")
    view = st.radio("Scores", list(VIEWS), horizontal=True, key="risk_view")
    st.subheader(VIEWS[view])
    chosen = show_matrices(view)
    if chosen:
        in_cells = pd.concat(
            [risk_analysis.cell_risks(frame, c["stage"], c["scale"], c["likelihood"], c["consequence"]) for c in chosen]
        )
        in_cells = in_cells[~in_cells.index.duplicated()]
        where = "; ".join(f"{c['stage']} L{c['likelihood']} x C{c['consequence']} ({c['scale']})" for c in chosen)
        st.subheader(f"{len(in_cells)} risk{'s' if len(in_cells) != 1 else ''} in {where}")
        table_with_downloads(register_table(in_cells), "risks-in-selected-cells", "risks-in-cells")
        pick_risk(in_cells, cell_chosen=True)
    elif not presenting():
        pick_risk(frame, cell_chosen=False)


with matrix_tab:
    if matrix_tab.open:
        matrix_view()

with movement_tab:
    if movement_tab.open:
        chart(cached.figure((*CHOICES, "movement"), risk_movement.movement_figure, found["moves"]), "risk-movement")
        st.caption(literal(found["as_at_note"]))
        stuck, above, worse = found["stuck"], found["above"], found["worse"]
        st.subheader(f"{len(above)} above target{wording.unjudged_note(counts['compared'], counts['risks'])}")
        table_with_downloads(above, "risks-above-target", "risks-above-target")
        unjudged = wording.unjudged_note(counts["with_movement"], counts["risks"])
        st.subheader(f"{len(stuck)} not moved from their initial score{unjudged}")
        table_with_downloads(stuck, "risks-not-moved", "risks-not-moved")
        st.subheader(f"{len(worse)} worse than at the previous as-at")
        st.caption("Compared by ref (or title) with the same organisation's previous risk register.")
        table_with_downloads(worse, "risks-worse", "risks-worse")

with history_tab:
    if history_tab.open:
        history = found["history"]
        dated = history["as_at"].nunique()
        st.subheader(f"Current score across {dated} snapshot{'s' if dated != 1 else ''}")
        if dated == 1:
            st.info("Only one risk register is loaded up to this date: load earlier ones to see scores move over time.")
        for scale in [s for s in SCALE_ORDER if s in set(history["scale"])]:
            on_scale = history[history["scale"] == scale]
            labels = list(dict.fromkeys(on_scale["display"]))
            highlight = None
            if dated == 1:
                highlight = labels  # points only, nothing to tell apart by movement
            elif len(labels) > risk_movement.HIGHLIGHT_FROM:
                moved = found["moved_most"][scale]
                highlight = st.multiselect(
                    f"Risks to highlight ({scale})",
                    labels,
                    default=moved,
                    key=f"risk_history_highlight_{scale}",
                    help="The others are drawn as thin grey lines behind them; hover over a line to name it.",
                )
                if not moved:
                    st.caption("No risk's score moved across these snapshots.")
                if not highlight:
                    st.caption("Choose risks above to draw them in colour.")
            shown_highlight = tuple(highlight) if highlight is not None else None
            figure = cached.figure(
                (*CHOICES, "history", scale, shown_highlight),
                risk_movement.score_history_figure,
                on_scale,
                f"Current score across snapshots ({scale})",
                highlight,
            )
            chart(figure, f"risk-history-{scale}")
        table_with_downloads(found["history_table"], "risk-score-history", "risk-score-history")

with review_tab:
    if review_tab.open:
        days = st.number_input(
            "Overdue after (days before the as-at date)",
            min_value=0,
            max_value=MAX_REVIEW_DAYS,
            step=7,
            key="risk_review_days",
        )
        st.subheader(wording.review_headline(reviews, len(frame), days))
        table_with_downloads(found["overdue_table"], "risks-review-overdue", "risks-review-overdue")

with register_tab:
    if register_tab.open:
        table = found["register"]
        st.subheader(f"{len(table)} risks")
        table_with_downloads(table, "risks", "risks")
