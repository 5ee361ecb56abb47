import re
from datetime import date

import pandas as pd
import pytest

import config
import store
from analysis import risks as risk_analysis
from charts import heatmap, risk_movement
from store import risks
from tests.risk_records import BAF_ORG, CRR_ORG, load_all

BANDS = config.risk_bands()
BANDS_3X3 = config.risk_bands(scale="3x3")


@pytest.fixture
def register(con):
    load_all(con)
    return risks.register(con, [BAF_ORG])


def cell_trace(fig, stage="current"):
    traces = [t for t in fig.data if (t.meta or {}).get("role") == heatmap.CELL_TRACE and t.meta["stage"] == stage]
    assert len(traces) == 1
    return traces[0]


LARGE_COUNT = re.compile(r'<span style="font-size:\d+px">(<b>\d+</b>)</span>')


def cell_at(trace, likelihood, consequence) -> str:
    """The cell's text, its count's size left out (``test_the_count_is_large_...`` checks it)."""
    for x, y, text in zip(trace.x, trace.y, trace.text, strict=True):
        if (y, x) == (likelihood, consequence):
            return LARGE_COUNT.sub(r"\1", text)
    raise AssertionError(f"no cell at L{likelihood} x C{consequence}")


def fill_at(fig, likelihood, consequence, xref="x") -> str:
    """The band colour a cell is filled with, occupied or not (an empty cell's fill is that colour made pale)."""
    occupied = {
        (y, x)
        for t in fig.data
        if (t.meta or {}).get("role") == heatmap.CELL_TRACE and (t.xaxis or "x") == xref
        for x, y in zip(t.x, t.y, strict=True)
    }
    for shape in fig.layout.shapes:
        if (shape.xref or "x") == xref and (shape.y0 + 0.5, shape.x0 + 0.5) == (likelihood, consequence):
            if (likelihood, consequence) in occupied:
                return shape.fillcolor
            bands = [b["colour"] for b in [*BANDS, *BANDS_3X3]] + ["#111111", "#222222"]
            return next(c for c in bands if heatmap.pale(c) == shape.fillcolor)
    raise AssertionError("no shape")


def test_bedfordshire_current_matrix_places_risks_in_their_cells(register):
    fig = heatmap.risk_matrix(risk_analysis.matrix_cells(register, "current"), BANDS)
    trace = cell_trace(fig)
    assert cell_at(trace, 2, 2) == "<b>1</b><br>1.1"
    assert cell_at(trace, 4, 4) == "<b>3</b><br>2.1a, 2.1b, 3.1"
    assert sum(c[4] for c in trace.customdata) == len(register)
    assert [list(c) for c in trace.customdata if c[2:4] == [4, 4]] == [["current", "5x5", 4, 4, 3]]


def test_cells_are_filled_by_npsa_band_and_name_their_band(register):
    fig = heatmap.risk_matrix(risk_analysis.matrix_cells(register, "current"), BANDS)
    colours = {band["name"]: band["colour"] for band in BANDS}
    assert len(fig.layout.shapes) == 25
    assert fill_at(fig, 1, 3) == colours["low"]
    assert fill_at(fig, 2, 2) == colours["moderate"]
    assert fill_at(fig, 2, 3) == colours["moderate"]
    assert fill_at(fig, 2, 4) == colours["high"]
    assert fill_at(fig, 3, 4) == colours["high"]
    assert fill_at(fig, 4, 4) == colours["extreme"]
    corners = next(t for t in fig.data if t.name == "scores")
    assert "16 Extreme" in corners.text and "6 Moderate" in corners.text and "3 Low" in corners.text
    legend = [t.name for t in fig.data if (t.meta or {}).get("role") == "legend"]
    assert legend == [band["label"] for band in BANDS]


def test_organisation_bands_override_the_default():
    bands = [
        {"name": "low", "label": "Low (1-4)", "min": 1, "max": 4, "colour": "#111111"},
        {"name": "high", "label": "High (5-25)", "min": 5, "max": 25, "colour": "#222222"},
    ]
    fig = heatmap.risk_matrix(pd.DataFrame(), bands)
    assert fill_at(fig, 2, 2) == "#111111" and fill_at(fig, 1, 5) == "#222222"


def test_axes_run_likelihood_up_and_consequence_along(register):
    fig = heatmap.risk_matrix(risk_analysis.matrix_cells(register, "current"), BANDS)
    assert fig.layout.yaxis.title.text == "Likelihood" and fig.layout.xaxis.title.text == "Consequence"
    assert list(fig.layout.yaxis.tickvals) == [1, 2, 3, 4, 5] and fig.layout.yaxis.autorange is None
    assert fig.layout.yaxis.ticktext[0] == "1 Rare" and fig.layout.xaxis.ticktext[4] == "5 Catastrophic"


def test_three_by_three_register_gets_a_three_by_three_matrix(con):
    load_all(con)
    frame = risks.register(con, [BAF_ORG, CRR_ORG])
    cells = risk_analysis.matrix_cells(frame, "current")
    fig = heatmap.risk_matrix(cells, BANDS_3X3, scale="3x3")
    assert len(fig.layout.shapes) == 9
    assert list(fig.layout.xaxis.tickvals) == [1, 2, 3] and fig.layout.xaxis.ticktext[2] == "3 High"
    trace = cell_trace(fig)
    assert set(trace.customdata[i][1] for i in range(len(trace.x))) == {"3x3"}
    assert cell_at(trace, 1, 1).startswith("<b>2</b>")
    assert fill_at(fig, 3, 3) == BANDS_3X3[-1]["colour"]
    five = heatmap.risk_matrix(cells, BANDS, scale="5x5")
    assert sum(c[4] for c in cell_trace(five).customdata) == 7


def test_side_by_side_shows_three_stages_on_one_scale(register):
    cells = {stage: risk_analysis.matrix_cells(register, stage) for stage in risk_analysis.STAGES}
    fig = heatmap.risk_matrices(cells, BANDS)
    assert [a.text for a in fig.layout.annotations] == ["Initial", "Current", "Target"]
    assert len(fig.layout.shapes) == 75
    assert cell_at(cell_trace(fig, "initial"), 3, 4) == "<b>2</b>"  # counts only: three matrices leave no room
    assert cell_at(cell_trace(fig, "current"), 4, 4) == "<b>3</b>"
    assert cell_at(cell_trace(fig, "target"), 1, 1) == "<b>3</b>"
    assert "1.1" in next(
        h
        for x, y, h in zip(*(cell_trace(fig, "target")[k] for k in ("x", "y", "hovertext")), strict=True)
        if (y, x) == (1, 1)
    )
    corners = [t for t in fig.data if t.name == "scores"]
    assert len(corners) == 3 and "16" in corners[0].text  # scores only; the legend names the bands
    assert fig.layout.xaxis.range == fig.layout.xaxis3.range == (0.5, 5.5)


def test_many_risks_in_a_cell_are_counted_and_the_rest_summarised():
    labels = [f"R{n}" for n in range(9)]
    assert heatmap.cell_text(labels, 4) == "<b>9</b><br>R0, R1, R2<br>R3<br>+5 more"


def test_long_labels_go_one_per_line_shortened_to_the_cell():
    titles = ["Failure to deliver a safe service", "Failure to meet National Framework", "Impact on quality", "Other"]
    assert heatmap.cell_text(titles, 6, width=14) == ("<b>4</b><br>Failure to de…<br>Failure to me…<br>+2 more")


def test_the_count_is_large_and_the_refs_hang_below_the_corner_label(register):
    fig = heatmap.risk_matrix(risk_analysis.matrix_cells(register, "current"), BANDS)
    trace = cell_trace(fig)
    assert next(t for x, y, t in zip(trace.x, trace.y, trace.text, strict=True) if (y, x) == (4, 4)).startswith(
        f'<span style="font-size:{heatmap.COUNT_SIZE}px"><b>3</b></span><br>'
    )
    words = next(t for t in fig.data if t.mode == "text" and t.name == "Current counts")
    corners = next(t for t in fig.data if t.name == "scores")
    assert words.textposition == "bottom center" and corners.textposition == "bottom right"
    corner_top = {round(y - 0.45) for y in corners.y}
    assert all(round(y - 0.3) in corner_top for y in words.y)  # each count sits in its own cell
    assert min(y - round(y) for y in words.y) < max(y - round(y) for y in corners.y)  # below the corner label


def test_empty_cells_are_pale_and_dark_fills_get_white_text(register):
    fig = heatmap.risk_matrix(risk_analysis.matrix_cells(register, "current"), BANDS)
    extreme = next(b["colour"] for b in BANDS if b["name"] == "extreme")
    drawn = {(s.y0 + 0.5, s.x0 + 0.5): s.fillcolor for s in fig.layout.shapes}
    assert drawn[(4, 4)] == extreme and drawn[(5, 5)] == heatmap.pale(extreme) != extreme  # 4x4 holds risks, 5x5 none
    words = next(t for t in fig.data if t.name == "Current counts")
    at = dict(zip(zip(words.y, words.x, strict=True), words.textfont.color, strict=True))
    assert at[(4.3, 4)] == config.palette().white and at[(2.3, 2)] == config.palette().black


def test_data_text_cannot_become_markup():
    text = heatmap.cell_text(['<a href="http://x">1.1</a>'], 3)
    assert "<a" not in text and "&lt;a href" in text


def test_selected_cells_read_stage_and_cell_from_the_clicked_trace(register):
    cells = {stage: risk_analysis.matrix_cells(register, stage) for stage in risk_analysis.STAGES}
    fig = heatmap.risk_matrices(cells, BANDS)
    current = next(i for i, t in enumerate(fig.data) if (t.meta or {}).get("stage") == "current")
    scores = next(i for i, t in enumerate(fig.data) if t.name == "scores")
    points = [{"curve_number": current, "x": 4, "y": 4}, {"curve_number": scores, "x": 1.45, "y": 0.58}]
    assert heatmap.selected_cells(fig, points) == [
        {"stage": "current", "scale": "5x5", "likelihood": 4, "consequence": 4}
    ]
    assert heatmap.selected_cells(fig, []) == []


def test_risk_path_marks_initial_current_and_target(register):
    risk = register.set_index("ref").loc["1.3"]
    fig = heatmap.risk_path(risk, BANDS, label="1.3")
    path = next(t for t in fig.data if t.mode == "lines+markers+text")
    assert list(path.text) == ["Initial", "Current", "Target"]
    assert list(path.y) == [5, 2, 2] and list(path.x) == [4, 4, 2]
    shared = heatmap.risk_path(register.set_index("ref").loc["2.1a"], BANDS)
    points = next(t for t in shared.data if t.mode == "lines+markers+text")
    assert len(set(zip(points.x, points.y, strict=True))) == 3  # initial and current share a cell, both visible


def test_movement_figure_has_each_stage_per_risk(register):
    moves = risk_analysis.movement(register)
    fig = risk_movement.movement_figure(moves)
    by_name = {t.name: t for t in fig.data}
    assert set(by_name) >= {"Initial", "Current", "Target"}
    current = dict(zip(by_name["Current"].y, by_name["Current"].x, strict=True))
    assert current["1.1"] == 4 and current["2.1a"] == 16
    assert dict(zip(by_name["Target"].y, by_name["Target"].x, strict=True))["3.1"] == 9
    assert {by_name[n].marker.symbol for n in ("Initial", "Current", "Target")} == {
        "circle-open",
        "diamond",
        "x-thin-open",
    }


def test_score_history_has_a_line_per_risk(con):
    load_all(con)
    fig = risk_movement.score_history_figure(risks.score_history(con, [BAF_ORG]))
    assert len(fig.data) == 7
    one = next(t for t in fig.data if t.name == "1.1")
    assert list(one.y) == [2, 4] and list(one.x) == [date(2019, 1, 23), date(2019, 3, 28)]


def test_score_history_with_one_snapshot_shows_days_around_it(con):
    load_all(con)
    history = risks.score_history(con, [BAF_ORG], until=date(2019, 2, 1))
    axis = risk_movement.score_history_figure(history).layout.xaxis
    assert axis.type == "date" and axis.tickformat == "%-d %b %Y"
    low, high = (pd.Timestamp(v) for v in axis.range)
    assert low < pd.Timestamp(2019, 1, 23) < high and (high - low).days == 62


def test_empty_frames_give_empty_but_valid_figures(con):
    frame = risks.register(con, ["Nobody"])
    assert not [
        t
        for t in heatmap.risk_matrix(risk_analysis.matrix_cells(frame, "current"), BANDS).data
        if t.meta and t.meta.get("role") == heatmap.CELL_TRACE
    ]
    assert len(risk_movement.movement_figure(risk_analysis.movement(frame)).data) == 4
    assert len(risk_movement.score_history_figure(risks.score_history(con, ["Nobody"])).data) == 0
    assert store.is_empty(con)


# Golden: the sample workbooks against the risk tables of the data dictionary.
SAMPLE_BEDFORDSHIRE = "Bedfordshire CCG"


def cells_of(fig, stage: str) -> dict[tuple[int, int], str]:
    trace = next(t for t in fig.data if (t.meta or {}).get("role") == heatmap.CELL_TRACE and t.meta["stage"] == stage)
    return {(y, x): LARGE_COUNT.sub(r"\1", text) for x, y, text in zip(trace.x, trace.y, trace.text, strict=True)}


def test_bedfordshire_baf_current_matrix(sample_con):
    frame = risks.register(sample_con, [SAMPLE_BEDFORDSHIRE], date(2019, 3, 28))
    assert len(frame) == 11 and set(frame["scale"]) == {"5x5"}
    fig = heatmap.risk_matrix(risk_analysis.matrix_cells(frame, "current"), config.risk_bands(SAMPLE_BEDFORDSHIRE))
    cells = cells_of(fig, "current")
    assert cells[(2, 2)] == "<b>1</b><br>1.1"
    assert cells[(4, 4)] == "<b>3</b><br>2.1a, 2.1b, 3.1"
    assert cells[(3, 4)] == "<b>3</b><br>1.4, 5.1, 5.3"


def test_bedfordshire_2012_register_is_drawn_on_a_three_by_three_matrix(sample_con):
    frame = risks.register(sample_con, [SAMPLE_BEDFORDSHIRE], date(2012, 4, 27))
    assert len(frame) == 21 and set(frame["scale"]) == {"3x3"}
    cells = risk_analysis.matrix_cells(frame, "initial").set_index(["likelihood", "consequence"])["count"].to_dict()
    # likelihood x impact from the register: Medium x High 10, High x High 3, Medium x Medium 3, Low x Medium 4, Medium x Low 1
    assert cells == {(2, 3): 10, (3, 3): 3, (2, 2): 3, (1, 2): 4, (2, 1): 1}
    fig = heatmap.risk_matrix(
        risk_analysis.matrix_cells(frame, "initial"), config.risk_bands(scale="3x3"), "3x3", "initial"
    )
    assert len(fig.layout.shapes) == 9
    assert cells_of(fig, "initial")[(3, 3)] == "<b>3</b><br>10, 11, 17"


def test_a_compact_matrix_shows_scores_and_counts_only(register):
    fig = heatmap.risk_matrix(risk_analysis.matrix_cells(register, "current"), BANDS, compact=True)
    words = next(t for t in fig.data if t.name == "Current counts")
    assert all(re.fullmatch(r'<span style="font-size:\d+px"><b>\d+</b></span>', text) for text in words.text)
    corners = next(t for t in fig.data if t.name == "scores")
    assert all(text.isdigit() for text in corners.text)  # the legend names the bands
    assert any("2.1a" in hover for hover in cell_trace(fig).hovertext)  # the refs are on hover


def thirty_risks_history() -> pd.DataFrame:
    """Thirty risks at 16 over three snapshots; R3 falls by 8, R17 by 4 and R25 by 2 after the first."""
    falls = {3: 8, 17: 4, 25: 2}
    dates = [date(2019, 1, 31), date(2019, 2, 28), date(2019, 3, 31)]
    rows = [
        {
            "organisation": "A",
            "as_at": d,
            "scale": "5x5",
            "key": f"R{n}",
            "display": f"R{n}",
            "current_rating": 16 - (falls.get(n, 0) if i else 0),
        }
        for n in range(30)
        for i, d in enumerate(dates)
    ]
    return pd.DataFrame(rows)


def test_score_history_of_thirty_risks_colours_only_those_that_moved():
    history = thirty_risks_history()
    assert risk_movement.moved_most(history) == ["R3", "R17", "R25"]
    fig = risk_movement.score_history_figure(history)
    named = [t.name for t in fig.data if t.showlegend is not False]
    assert named == ["R3", "R17", "R25", "27 other risks (grey)"]  # a legend of four, not thirty
    grey = config.palette().light_grey
    lines = {t.name: t for t in fig.data if t.x[0] is not None}
    assert len(lines) == 30 and lines["R0"].line.color == grey and lines["R3"].line.color != grey
    assert list(lines["R3"].text) == ["", "", "R3"]  # named at its last point
    both = risk_movement.score_history_figure(history, highlight=["R17", "R0", "R1"])
    ends = {t.name: t.text[-1] for t in both.data if t.text is not None}
    assert ends == {"R0": "R0, R1", "R1": "", "R17": "R17"}  # two lines ending on 16 share one label
    picked = risk_movement.score_history_figure(history, highlight=["R0"])
    assert [t.name for t in picked.data if t.showlegend is not False] == ["R0", "29 other risks (grey)"]
    few = risk_movement.score_history_figure(history[history["display"].isin(["R0", "R3"])])
    assert all(t.line.color != grey for t in few.data)  # a handful of risks: every line coloured
