"""QIPP: the pipeline by stage and area against target, RAG and risk adjustment, the bridge, the schemes."""

from __future__ import annotations

import streamlit as st

import formats
from analysis import comparisons, qipp_delivery, qipp_schemes, wording
from analysis import qipp as against_target
from analysis.qipp_schemes import QippFilters
from charts import compare as compare_charts
from charts import qipp as charts
from pages import cached
from pages.downloads import downloads
from pages.formatting import literal, show_table, stop_not_loaded
from pages.organisations import one_or_compared, selected_orgs, synthetic_notice
from pages.plotting import chart
from pages.presentation import presenting, story_ends
from pages.store_view import connection
from pages.url_state import number_between, url_state
from store import compare, qipp

CHART_KEYS = ("qipp_stage_chart", "qipp_matrix_chart", "qipp_rag_chart")
FILTER_KEYS = {"areas": "qipp_f_areas", "stages": "qipp_f_stages", "rags": "qipp_f_rags", "leads": "qipp_f_leads"}
RECURRENT_CHOICES = {"All": None, "Recurrent": True, "Non-recurrent": False}
factor_param = number_between(float, 0.0, 1.0)
con = connection()
orgs = selected_orgs()
if not orgs:
    stop_not_loaded("QIPP scheme tracker", title="QIPP pipeline")


org = one_or_compared(
    "qipp",
    "QIPP",
    lambda: compare.qipp_by_organisation(con, orgs),
    wording.largest_gap,
    "Each organisation's latest QIPP tracker and the targets in force then; £'000.",
    "qipp-by-organisation",
    [
        lambda table: compare_charts.qipp_gap_bars(
            comparisons.qipp_gaps(table), "Gap to QIPP target, risk-adjusted, by organisation"
        )
    ],
)
dates = qipp.scheme_dates(con, org)
if not dates:
    stop_not_loaded("QIPP scheme tracker", org, title="QIPP pipeline")


def headline(result: against_target.Position, filters: QippFilters) -> str:
    """The page title: a gap where the filters choose targets (none, or areas), else a share."""
    areas = literal(", ".join(filters.areas))
    chosen = result.chosen
    if result.basis == against_target.NO_TARGET:
        where = f" for {areas}" if filters.areas else ""
        return (
            f"QIPP: £{charts.money(chosen.identified_incl)}k identified in {chosen.schemes} scheme{'' if chosen.schemes == 1 else 's'}; "
            f"no target loaded{where}"
        )
    if result.basis == against_target.GAP:
        one = len(filters.areas) == 1
        whose = (
            f"QIPP, area{'' if one else 's'} {areas}: gap to {'its' if one else 'their'} target"
            if filters.areas
            else "QIPP: gap to target"
        )
        return (
            f"{whose} {charts.gap_words(result.gap_excl)} excluding pipeline, {charts.gap_words(result.gap_incl)} "
            f"including it, {charts.gap_words(result.gap_risk_adjusted)} risk-adjusted"
        )
    whole = f"{areas}'s" if len(filters.areas) == 1 else "these areas'" if filters.areas else "all"
    of_target = (
        f"{result.share_of_target:.1%} of the £{charts.money(result.target)}k target"
        if result.share_of_target is not None
        else f"against a target of £{charts.money(result.target)}k"
    )
    of_identified = f"{result.share_of_identified:.1%}" if result.share_of_identified is not None else "none"
    return (
        f"QIPP, {literal(filters.describe())}: £{charts.money(chosen.identified_incl)}k identified, "
        f"{of_identified} of {whole} identified value and {of_target}"
    )


def basis_note(result: against_target.Position, filters: QippFilters) -> str | None:
    """What the figures are compared with, where that is not simply the whole target."""
    notes = []
    if result.basis == against_target.SHARE:
        notes.append(
            "A share, not a gap: stage, RAG, lead and recurrence filters choose schemes, not targets. Shares are of "
            f"the £{charts.money(result.scope.identified_incl)}k identified (incl. pipeline) "
            f"{'in the chosen areas' if filters.areas else 'in all areas'} and of their target."
        )
    if result.untargeted_areas:
        notes.append(
            f"No target loaded for: {literal(', '.join(result.untargeted_areas))}; the £"
            f"{charts.money(result.untargeted_value)}k identified there is not set against any target."
        )
    elif result.untargeted_value:
        notes.append(
            f"£{charts.money(result.untargeted_value)}k identified in schemes with no area is not set against any target."
        )
    return " ".join(notes) or None


def apply_chart_selections(options: dict) -> None:
    """A click on a bar or tile becomes the matching filters, once per new selection."""
    for key in CHART_KEYS:
        wanted = charts.selection_filters(st.session_state.get(key))
        applied_key = f"{key}_applied"
        if not any(wanted.values()):
            st.session_state.pop(applied_key, None)
            continue
        if st.session_state.get(applied_key) == repr(wanted):
            continue
        st.session_state[applied_key] = repr(wanted)
        for field, values in wanted.items():
            allowed = [v for v in values if v in options[field]]
            if allowed:
                st.session_state[FILTER_KEYS[field]] = allowed


def snapshot_choices(con, org: str, as_at) -> dict:
    """The schemes at ``as_at``, the targets in force then, and what the filters can offer."""
    snapshot = qipp.schemes(con, org, as_at)
    all_targets = qipp.targets(con, org)
    return {
        "snapshot": snapshot,
        "all_targets": all_targets,
        "targets": qipp_schemes.targets_at(all_targets, as_at),
        "present": qipp_schemes.filter_options(snapshot),
    }


def findings(con, org: str, as_at, filters: QippFilters, factor_items: tuple) -> dict:
    """Everything the page shows for these choices, worked out once per store state."""
    factors = dict(factor_items)
    base = cached.read(snapshot_choices, org, as_at)
    snapshot, targets = base["snapshot"], base["targets"]
    chosen = qipp_schemes.filter_schemes(snapshot, filters)
    adjusted = qipp_schemes.with_risk_adjusted(snapshot, factors)
    narrowed = bool(filters.stages or filters.rags or filters.leads or filters.recurrent is not None)
    result = against_target.position(adjusted, adjusted.loc[chosen.index], targets, filters.areas, narrowed)
    stage_names = qipp_schemes.stage_names()
    matrix = qipp_schemes.area_stage_matrix(chosen, targets, areas=list(filters.areas) or None)
    matrix_shown = charts.matrix_table(matrix, stage_names)
    trend = qipp_schemes.trend(qipp.schemes(con, org), base["all_targets"], filters, factors)
    if result.basis == against_target.SHARE:
        # The filtered schemes of an area are not that area's gap; schemes chosen by stage, RAG, lead or
        # recurrence have no target line.
        matrix_shown = matrix_shown.drop(columns=["Gap excl. pipeline £'000", "Gap incl. pipeline £'000"])
        trend = trend.assign(target=None)
    by_month = qipp_delivery.monthly(qipp.phasing(con, org, as_at), refs=qipp_delivery.scheme_keys(chosen))
    rag = qipp_schemes.rag_summary(chosen, factors)
    return {
        "snapshot_size": len(snapshot),
        "targets": targets,
        "chosen": chosen,
        "result": result,
        "stages": qipp_schemes.stage_summary(chosen),
        "rag": rag,
        "rag_table": charts.rag_table(rag),
        "matrix": matrix,
        "missing": qipp_schemes.areas_without_target(matrix),
        "matrix_table": matrix_shown,
        "bridge": qipp_schemes.bridge(result.bridge_figures()),
        "trend": trend,
        "by_month": by_month,
        "delivery": qipp_delivery.in_year(chosen, by_month),
        "schemes_table": qipp_schemes.scheme_table(chosen, factors),
    }


def money_shown(table, **shown) -> None:
    """A QIPP table with its £'000 and % columns in the house formats."""
    frame, percents = charts.money_table(table)
    show_table(frame, percent=percents, **shown)


def clear_filters() -> None:
    for key in FILTER_KEYS.values():
        st.session_state[key] = []
    st.session_state["qipp_f_recurrent"] = "All"


@st.fragment
def qipp_view() -> None:
    """Below the choice of organisation: a filter, a factor, the as-at date or a chart click reruns only this part."""
    title_slot, caption_slot = st.empty(), st.empty()
    url_state("qipp_as_at", dates[-1], dates, param="as_at")
    as_at = st.selectbox("As at", dates, format_func=formats.date, key="qipp_as_at")
    as_at_words = formats.date(as_at)
    present = cached.read(snapshot_choices, org, as_at)["present"]
    stage_names = qipp_schemes.stage_names()
    options = {**present, "stages": list(range(len(stage_names)))}
    apply_chart_selections(options)
    for field, param in (("areas", "area"), ("stages", "stage"), ("rags", "rag"), ("leads", "lead")):
        url_state(FILTER_KEYS[field], [], options[field], param=param, multi=True)
    url_state("qipp_f_recurrent", "All", list(RECURRENT_CHOICES), param="recurrent")

    with st.expander("Filters (or click a bar or tile)", expanded=not presenting()):
        cols = st.columns([3, 2, 2, 3, 2])
        areas = cols[0].multiselect("Area", options["areas"], key="qipp_f_areas")
        stages = cols[1].multiselect(
            "Stage", options["stages"], format_func=qipp_schemes.stage_label, key="qipp_f_stages"
        )
        rags = cols[2].multiselect("RAG", options["rags"], format_func=str.capitalize, key="qipp_f_rags")
        leads = cols[3].multiselect("Lead", options["leads"], key="qipp_f_leads")
        recurrent = cols[4].radio("Recurrent", list(RECURRENT_CHOICES), key="qipp_f_recurrent", horizontal=True)
        st.button("Clear filters", on_click=clear_filters, key="qipp_clear")

    with st.expander("Risk-adjustment factors"):
        defaults = qipp_schemes.default_factors()
        factor_cols = st.columns(len(defaults))
        for name, value in defaults.items():
            url_state(f"qipp_factor_{name}", value, param=f"factor_{name}", parse=factor_param, omit_default=True)
        factors = {
            name: factor_cols[n].number_input(
                name.capitalize(), min_value=0.0, max_value=1.0, step=0.05, key=f"qipp_factor_{name}"
            )
            for n, name in enumerate(defaults)
        }
        st.caption(
            "Share of net value expected, by RAG for schemes in delivery; pipeline schemes take the pipeline "
            "factor. A risk-adjusted value stated in the tracker is used as stated."
        )

    filters = QippFilters(tuple(areas), tuple(stages), tuple(rags), tuple(leads), RECURRENT_CHOICES[recurrent])
    factor_items = tuple(factors.items())
    found = cached.read(findings, org, as_at, filters, factor_items)
    chosen, result, targets = found["chosen"], found["result"], found["targets"]
    figures = result.bridge_figures()
    # What the figures below are made from, with the store state ``cached`` adds.
    choices = ("qipp", org, as_at, filters, factor_items)

    title_slot.title(headline(result, filters))
    synthetic_notice(org)
    target_note = f"targets as at {formats.date(targets['as_at'].iloc[0])}" if len(targets) else "no targets loaded"
    caption_slot.caption(
        literal(
            f"{org} · schemes as at {as_at_words} · {target_note} · {len(chosen)} of {found['snapshot_size']} schemes: {filters.describe()}"
        )
    )

    metrics = st.columns(6)
    metrics[0].metric("Identified excl. pipeline £'000", charts.money(result.chosen.identified_excl))
    metrics[1].metric("Identified incl. pipeline £'000", charts.money(result.chosen.identified_incl))
    metrics[2].metric("Risk-adjusted £'000", charts.money(result.chosen.risk_adjusted))
    metrics[3].metric("Target £'000", charts.money(result.target))
    if result.basis == against_target.SHARE:
        shares = {"Share of identified value": result.share_of_identified, "Share of target": result.share_of_target}
        for column, (label, share) in zip(metrics[4:], shares.items(), strict=True):
            column.metric(label, "–" if share is None else f"{share:.1%}")
    else:
        gaps = {"Gap excl. pipeline £'000": result.gap_excl, "Gap incl. pipeline £'000": result.gap_incl}
        for column, (label, gap) in zip(metrics[4:], gaps.items(), strict=True):
            column.metric(label, charts.money(gap), charts.gap_direction(gap), delta_color="off", delta_arrow="off")
    note = basis_note(result, filters)
    if note:
        st.caption(note)

    left, right = st.columns(2)
    with left:
        stage_fig = cached.figure(
            (*choices, "stages"), charts.stage_bars, found["stages"], title=f"Pipeline by stage (as at {as_at_words})"
        )
        chart(stage_fig, "qipp_stage_chart", f"qipp-stages-{as_at}", on_select="rerun", selection_mode="points")
    with right:
        rag_fig = cached.figure(
            (*choices, "rag"),
            charts.rag_bars,
            found["rag"],
            title=f"Net and risk-adjusted value by RAG (as at {as_at_words})",
        )
        chart(rag_fig, "qipp_rag_chart", f"qipp-rag-{as_at}", on_select="rerun", selection_mode="points")
    story_ends()

    tiles = cached.figure(
        (*choices, "tiles"),
        charts.matrix_tiles,
        found["matrix"],
        stage_names,
        title=f"Schemes by area and stage: count · £'000 (as at {as_at_words})",
    )
    chart(tiles, "qipp_matrix_chart", f"qipp-area-stage-{as_at}", on_select="rerun", selection_mode="points")
    missing = found["missing"]
    if missing:
        st.caption(f"No target loaded for: {literal(', '.join(missing))}; their gap is not stated.")
    matrix_shown = found["matrix_table"]
    money_shown(matrix_shown, pinned=charts.MATRIX_PINNED, whole=True)

    left, right = st.columns(2)
    with left:
        st.subheader("RAG and risk adjustment")
        rag_shown = found["rag_table"]
        money_shown(rag_shown)
        downloads(rag_shown, f"qipp-rag-{as_at}", "qipp_rag", "RAG")
    with right:
        chart(
            cached.figure(
                (*choices, "bridge"),
                charts.bridge_waterfall,
                found["bridge"],
                title=f"{'Target to risk-adjusted gap' if figures['target'] is not None else 'Identified to risk-adjusted'} "
                f"(as at {as_at_words})",
            ),
            "qipp_bridge_chart",
            f"qipp-bridge-{as_at}",
        )

    trend = found["trend"]
    if len(trend) > 1:
        chart(cached.figure((*choices, "trend"), charts.trend_lines, trend), "qipp_trend_chart", "qipp-trend")
    else:
        st.caption(f"One snapshot loaded (as at {as_at_words}); the trend appears once a second one is loaded.")

    by_month, delivery = found["by_month"], found["delivery"]
    if delivery is not None:
        to_date = f" to {delivery.to_month:%B %Y}" if delivery.to_month is not None else ""
        st.subheader(f"In-year delivery{to_date}")
        shown = st.columns(5)
        shown[0].metric("YTD plan £'000", charts.money(delivery.plan_ytd))
        shown[1].metric("YTD actual £'000", charts.money(delivery.actual_ytd))
        shown[2].metric(
            "YTD variance £'000",
            charts.money(delivery.variance),
            None if delivery.variance is None else ("ahead of plan" if delivery.variance >= 0 else "behind plan"),
            delta_color="off",
            delta_arrow="off",
        )
        shown[3].metric("Forecast £'000", charts.money(delivery.forecast))
        shown[4].metric("Annual plan £'000", charts.money(delivery.annual))
        if delivery.from_phasing:
            st.caption("The tracker states no year-to-date columns; year to date is summed from its monthly phasing.")
        if len(by_month):
            chart(
                cached.figure(
                    (*choices, "delivery"),
                    charts.delivery_chart,
                    by_month,
                    delivery.forecast,
                    title=f"Savings delivered against plan by month, £'000 (as at {as_at_words})",
                ),
                "qipp_delivery_chart",
                f"qipp-delivery-{as_at}",
            )
            delivery_shown = charts.delivery_table(by_month)
            with st.expander("Delivery by month"):
                money_shown(delivery_shown)
                downloads(delivery_shown, f"qipp-delivery-{as_at}", "qipp_delivery", "Delivery by month")
        else:
            st.caption("The tracker is not phased by month, so delivery by month is not shown.")

    st.subheader(f"Schemes ({len(chosen)})")
    table = found["schemes_table"]
    money_shown(table)
    about = [f"As at {formats.date(as_at)}", f"Filters: {filters.describe()}"]
    downloads(table, f"qipp-schemes-{as_at}", "qipp", "Schemes", about=about)
    downloads(matrix_shown, f"qipp-area-stage-{as_at}", "qipp_matrix", "Area x stage", about=about)


qipp_view()
