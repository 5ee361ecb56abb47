"""Likelihood x consequence risk matrices: one stage, the three stages side by side, one risk's path.

Cells are rectangles filled with their band's colour (NPSA: green, yellow, amber, red), pale where no risk
sits, so the occupied cells stand out; every cell also states its score and band name in its top-left corner,
so a band is never told by colour alone. An occupied cell shows the count large and the risks' refs below it;
an invisible marker over the cell carries the same text, the titles on hover, and ``meta``/``customdata`` that
let a click become a cell selection (``selected_cells``). Likelihood runs up the side (1 at the bottom),
consequence along the bottom.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import config
from charts import MARGIN, titled
from safe_text import plotly as plain

STAGE_TITLES = {"initial": "Initial", "current": "Current", "target": "Target"}
CELL_TRACE = "cells"
PATH_SYMBOLS = {"initial": "circle-open", "current": "diamond", "target": "x"}
LABELS_PER_LINE = 3
MAX_LABEL_LINES = 2
COUNT_SIZE = 24  # px: the count is what is read first
COUNT_SIZE_SIDE_BY_SIDE = 16
LABEL_SIZE = 12
EMPTY_STRENGTH = 0.3  # an empty cell's fill: its band colour this strong over white
CELL_WIDTH = 30  # characters that fit across a cell of a single matrix
CLICK_TARGET_SINGLE = 90  # px; a cell of a single matrix is about 110 px high
CLICK_TARGET_SIDE_BY_SIDE = 50


def _size(scale: str) -> int:
    return 3 if scale == "3x3" else 5


def axis_titles(scale: str) -> tuple[list[str], list[str]]:
    """(likelihood, consequence) tick labels from 1 upwards, the number with the word."""
    settings = config.settings().risks
    if scale == "3x3":
        likelihood = consequence = settings.scale_3x3_labels
    else:
        likelihood, consequence = settings.likelihood_labels, settings.consequence_labels
    return [f"{n} {w}" for n, w in enumerate(likelihood, 1)], [f"{n} {w}" for n, w in enumerate(consequence, 1)]


def band_of(score: int, bands: list[dict]) -> dict | None:
    for band in sorted(bands, key=lambda b: b["max"]):
        if score <= band["max"]:
            return band
    return None


def band_name(band: dict | None) -> str:
    return band["name"].capitalize() if band else "Unbanded"


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def cell_text(labels: list[str], max_labels: int, width: int = CELL_WIDTH, count_size: int | None = None) -> str:
    """The count in bold (at ``count_size`` px when given), then up to ``max_labels`` labels, as many per line as
    fit ``width`` characters (at most ``LABELS_PER_LINE``; long labels shortened, one per line, at most
    ``MAX_LABEL_LINES`` lines), and how many more."""
    fitted = [shorten(str(label), width) for label in labels]
    longest = max((len(label) for label in fitted[:max_labels]), default=1)
    per_line = max(1, min(LABELS_PER_LINE, (width + 2) // (longest + 2)))
    max_labels = min(max_labels, per_line * MAX_LABEL_LINES)
    shown = [plain(label) for label in fitted[:max_labels]]
    lines = [", ".join(shown[i : i + per_line]) for i in range(0, len(shown), per_line)]
    if len(labels) > max_labels:
        lines.append(f"+{len(labels) - max_labels} more")
    return "<br>".join([count_text(len(labels), count_size), *lines])


def count_text(count: int, size: int | None = None) -> str:
    """The count in bold, at ``size`` px when given."""
    bold = f"<b>{count}</b>"
    return f'<span style="font-size:{size}px">{bold}</span>' if size else bold


def pale(colour: str, strength: float = EMPTY_STRENGTH) -> str:
    """``colour`` (#RRGGBB) at ``strength`` over white."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * strength):02x}" for c in channels)


def ink(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (#RRGGBB), by WCAG relative luminance."""
    linear = [
        (c / 255 / 12.92) if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4
        for c in (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    ]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    palette = config.palette()
    return palette.black if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else palette.white


def _hover(labels: list[str], titles: list, score: int, band: dict | None) -> str:
    heading = (
        f"Score {score} ({band['label'] if band else 'no band'}): {len(labels)} risk{'s' if len(labels) != 1 else ''}"
    )
    rows = [
        plain(f"{label}: {title}" if isinstance(title, str) and title != label else label)
        for label, title in zip(labels, titles, strict=True)
    ]
    return "<br>".join([heading, *rows])


def _axis_refs(fig: go.Figure, row: int | None, col: int | None) -> dict:
    """The xref and yref of a subplot's axes (none for a figure without subplots)."""
    if not row:
        return {}
    subplot = fig.get_subplot(row, col)
    return {axis: getattr(subplot, f"{axis}axis").plotly_name.replace(f"{axis}axis", axis, 1) for axis in "xy"}


def _draw_grid(
    fig: go.Figure,
    bands: list[dict],
    scale: str,
    row: int | None = None,
    col: int | None = None,
    compact: bool = False,
    occupied: set[tuple[int, int]] | None = None,
) -> list[dict]:
    """Band-coloured cells, pale unless ``occupied`` holds their (likelihood, consequence), each with its score
    and band name in the top-left corner (the score only when compact: the legend then names the band of each
    score range). Returns the cells' rectangles for the caller to add to the layout in one go (one
    ``add_shape`` per cell copies every shape added before it)."""
    n = _size(scale)
    where = {"row": row, "col": col} if row else {}
    refs = {f"{axis}ref": ref for axis, ref in _axis_refs(fig, row, col).items()}
    shapes, corners = [], []
    for likelihood in range(1, n + 1):
        for consequence in range(1, n + 1):
            score = likelihood * consequence
            band = band_of(score, bands)
            fill = band["colour"] if band else config.palette().pale_grey
            if occupied is not None and (likelihood, consequence) not in occupied:
                fill = pale(fill)
            shapes.append(
                {
                    "type": "rect",
                    "x0": consequence - 0.5,
                    "x1": consequence + 0.5,
                    "y0": likelihood - 0.5,
                    "y1": likelihood + 0.5,
                    "fillcolor": fill,
                    "line": {"color": "white", "width": 2},
                    "layer": "below",
                    **refs,
                }
            )
            text = str(score) if compact else f"{score} {band_name(band)}"
            corners.append((consequence - 0.45, likelihood + 0.45, text, ink(fill)))
    corner_x, corner_y, corner_text, corner_ink = (list(column) for column in zip(*corners, strict=True))
    fig.add_scatter(
        x=corner_x,
        y=corner_y,
        text=corner_text,
        mode="text",
        textposition="bottom right",
        textfont={"size": 10, "color": corner_ink},
        hoverinfo="skip",
        showlegend=False,
        name="scores",
        **where,
    )
    likelihood_ticks, consequence_ticks = axis_titles(scale)
    axis = {"range": [0.5, n + 0.5], "tickvals": list(range(1, n + 1)), "showgrid": False, "zeroline": False}
    fig.update_xaxes(ticktext=consequence_ticks, title_text="Consequence", fixedrange=True, **axis, **where)
    fig.update_yaxes(ticktext=likelihood_ticks, title_text="Likelihood", fixedrange=True, **axis, **where)
    return shapes


def _cell_traces(
    cells: pd.DataFrame,
    bands: list[dict],
    scale: str,
    stage: str,
    max_labels: int,
    target_size: int,
    width: int = CELL_WIDTH,
    count_size: int = COUNT_SIZE,
) -> list[go.Scatter]:
    """The occupied cells: their count and refs, hung from just below the corner label so the two never meet,
    and an invisible square marker over each cell, the click target, carrying the same text and the hover."""
    scores = [int(l_ * c) for l_, c in zip(cells["likelihood"], cells["consequence"], strict=True)]
    fills = [(band_of(score, bands) or {}).get("colour", config.palette().pale_grey) for score in scores]
    hover = [
        _hover(list(labels), list(titles), score, band_of(score, bands))
        for labels, titles, score in zip(cells["labels"], cells["titles"], scores, strict=True)
    ]
    if max_labels:
        text = [cell_text(list(labels), max_labels, width, count_size) for labels in cells["labels"]]
    else:  # the count alone, for a matrix too small for refs; they are on hover
        text = [count_text(len(labels), count_size) for labels in cells["labels"]]
    x, y = list(cells["consequence"]), list(cells["likelihood"])
    words = go.Scatter(
        x=x,
        y=[likelihood + (0.3 if max_labels else -0.05) for likelihood in y],
        mode="text",
        text=text,
        textfont={"size": LABEL_SIZE, "color": [ink(fill) for fill in fills]},
        textposition="bottom center" if max_labels else "middle center",
        hoverinfo="skip",
        showlegend=False,
        name=f"{STAGE_TITLES.get(stage, stage)} counts",
    )
    targets = go.Scatter(
        x=x,
        y=y,
        mode="markers",
        text=text,
        marker={"symbol": "square", "size": target_size, "color": "rgba(0,0,0,0)"},
        customdata=[
            [stage, scale, int(lk), int(c), int(n)]
            for lk, c, n in zip(cells["likelihood"], cells["consequence"], cells["count"], strict=True)
        ],
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        name=f"{STAGE_TITLES.get(stage, stage)} risks",
        meta={"role": CELL_TRACE, "stage": stage, "scale": scale},
        showlegend=False,
    )
    return [words, targets]


def _occupied(rows: pd.DataFrame) -> set[tuple[int, int]]:
    return set(zip(rows["likelihood"], rows["consequence"], strict=True)) if not rows.empty else set()


def _band_legend(fig: go.Figure, bands: list[dict]) -> None:
    for band in sorted(bands, key=lambda b: b["min"]):
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=band["label"],
            marker={"symbol": "square", "size": 14, "color": band["colour"], "line": {"color": "#666666", "width": 1}},
            hoverinfo="skip",
            meta={"role": "legend"},
        )


def _cells_only(cells: pd.DataFrame, scale: str) -> pd.DataFrame:
    return cells[cells["scale"] == scale] if "scale" in cells else cells


def risk_matrix(
    cells: pd.DataFrame,
    bands: list[dict],
    scale: str = "5x5",
    stage: str = "current",
    title: str | None = None,
    max_labels: int = 6,
    height: int | None = None,
    label_width: int = CELL_WIDTH,
    compact: bool = False,
) -> go.Figure:
    """One stage's matrix. ``cells`` as from ``analysis.risks.matrix_cells`` (rows of another scale are ignored).

    ``compact`` is for a small matrix: each cell shows its score and its count only (the legend names the bands,
    the hover lists the risks)."""
    fig = go.Figure()
    rows = _cells_only(cells, scale)
    shapes = _draw_grid(fig, bands, scale, compact=compact, occupied=_occupied(rows))
    if not rows.empty:
        fig.add_traces(
            _cell_traces(
                rows, bands, scale, stage, 0 if compact else max_labels, CLICK_TARGET_SINGLE, width=label_width
            )
        )
    _band_legend(fig, bands)
    title = title or f"{STAGE_TITLES.get(stage, stage)} risk ({scale})"
    return _clickable(fig, title, shapes, height or 130 * _size(scale) + 120, legend_y=-0.18)


def risk_matrices(
    cells_by_stage: Mapping[str, pd.DataFrame],
    bands: list[dict],
    scale: str = "5x5",
    title: str | None = None,
) -> go.Figure:
    """Initial, current and target side by side on one scale, each cell with its score and count (three matrices
    leave no room for refs: they are on hover, and selecting a cell lists its risks)."""
    stages = list(cells_by_stage)
    fig = make_subplots(
        rows=1, cols=len(stages), subplot_titles=[STAGE_TITLES.get(s, s) for s in stages], horizontal_spacing=0.07
    )
    shapes = []
    for col, stage in enumerate(stages, 1):
        rows = _cells_only(cells_by_stage[stage], scale)
        shapes += _draw_grid(fig, bands, scale, row=1, col=col, compact=True, occupied=_occupied(rows))
        if not rows.empty:
            traces = _cell_traces(
                rows, bands, scale, stage, 0, CLICK_TARGET_SIDE_BY_SIDE, count_size=COUNT_SIZE_SIDE_BY_SIDE
            )
            fig.add_traces(traces, rows=1, cols=col)
        if col > 1:
            fig.update_yaxes(title_text="", showticklabels=col == 1, row=1, col=col)
    _band_legend(fig, bands)
    title = title or f"Initial, current and target risk ({scale})"
    return _clickable(fig, title, shapes, 110 * _size(scale) + 200, legend_y=-0.2, margin={**MARGIN, "t": 80})


def _clickable(fig: go.Figure, title: str, shapes: list[dict], height: int, legend_y: float, **layout) -> go.Figure:
    """The layout of a matrix whose cells are clicked to select them, the bands named in the legend."""
    legend = {"orientation": "h", "y": legend_y, "title": {"text": "Band"}}
    return titled(
        fig,
        title,
        height=height,
        shapes=shapes,
        clickmode="event+select",
        dragmode=False,
        legend=legend,
        hovermode="closest",
        **layout,
    )


def risk_path(risk: Mapping, bands: list[dict], scale: str = "5x5", label: str = "") -> go.Figure:
    """One risk's path initial -> current -> target on its matrix; each point is named, not only marked."""
    fig = go.Figure()
    stages = [
        stage
        for stage in ("initial", "current", "target")
        if not any(v is None or pd.isna(v) for v in (risk.get(f"{stage}_likelihood"), risk.get(f"{stage}_consequence")))
    ]
    xs, ys = [int(risk[f"{s}_consequence"]) for s in stages], [int(risk[f"{s}_likelihood"]) for s in stages]
    shapes = _draw_grid(fig, bands, scale, occupied=set(zip(ys, xs, strict=True)))
    offsets, path = _spread(xs, ys), config.palette().black
    fig.add_scatter(
        x=[x + dx for x, (dx, _) in zip(xs, offsets, strict=True)],
        y=[y + dy for y, (_, dy) in zip(ys, offsets, strict=True)],
        mode="lines+markers+text",
        text=[STAGE_TITLES[s] for s in stages],
        textfont={"size": 12, "color": path},
        textposition=["bottom center" if dy <= 0 else "top center" for _, dy in offsets],
        marker={
            "symbol": [PATH_SYMBOLS[s] for s in stages],
            "size": 16,
            "color": path,
            "line": {"width": 2, "color": path},
        },
        line={"color": path, "width": 2, "dash": "dot"},
        name=label or "path",
        hovertemplate="%{text}: L%{y:.0f} x C%{x:.0f}<extra></extra>",
        showlegend=False,
    )
    _band_legend(fig, bands)
    return titled(
        fig,
        f"{label}: initial → current → target" if label else "Initial → current → target",
        height=110 * _size(scale) + 140,
        legend={"orientation": "h", "y": -0.2},
        dragmode=False,
        shapes=shapes,
    )


def _spread(xs: list[int], ys: list[int]) -> list[tuple[float, float]]:
    """Small offsets so stages that share a cell stay visible apart, their names above and below."""
    shifts = ((0.0, 0.0), (-0.25, 0.2), (0.25, -0.2))
    seen: dict[tuple[int, int], int] = {}
    offsets = []
    for x, y in zip(xs, ys, strict=True):
        n = seen.get((x, y), 0)
        seen[(x, y)] = n + 1
        offsets.append(shifts[n % len(shifts)])
    return offsets


def selected_cells(fig: go.Figure, points: list[Mapping]) -> list[dict]:
    """The matrix cells a Plotly selection picked: stage, scale, likelihood, consequence."""
    found = []
    for point in points or []:
        curve = point.get("curve_number")
        if curve is None or curve >= len(fig.data):
            continue
        meta = fig.data[curve].meta or {}
        if meta.get("role") != CELL_TRACE:
            continue
        cell = {
            "stage": meta["stage"],
            "scale": meta["scale"],
            "likelihood": int(round(point["y"])),
            "consequence": int(round(point["x"])),
        }
        if cell not in found:
            found.append(cell)
    return found
