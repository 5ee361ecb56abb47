"""The board pack: one self-contained HTML file (plotly.js inlined once) with the Overview's findings, each page's
key charts and tables, and print CSS so the browser prints it to PDF. Every text from the data is escaped."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import plotly.offline

import config
import formats
from charts import activity as activity_charts
from charts import finance as finance_charts
from charts import heatmap, improvement, risk_movement
from charts import qipp as qipp_charts

PACK_WIDTH = 960  # px: fits A4 landscape with the print margins below
SYNTHETIC_NOTE = "synthetic demo data"
STYLE = """
body { font-family: "Source Sans Pro", Arial, sans-serif; margin: 24px auto; max-width: 1000px; color: #1f2937; }
h1 { font-size: 28px; margin-bottom: 4px; } h2 { font-size: 22px; border-bottom: 2px solid #005eb8; }
.meta, .note { color: #4b5563; } .badge { background: #fde68a; padding: 1px 6px; border-radius: 4px; }
ul.findings li { font-size: 17px; margin: 4px 0; }
table.data { border-collapse: collapse; font-size: 12px; margin: 8px 0 16px; }
table.data th, table.data td { border: 1px solid #d1d5db; padding: 3px 6px; text-align: left; }
table.data th { background: #f3f4f6; }
section { margin-bottom: 28px; } .chart { margin: 8px 0; page-break-inside: avoid; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; } section { page-break-before: always; } section.first { page-break-before: auto; }
  .modebar-container { display: none !important; } table.data { page-break-inside: auto; } tr { page-break-inside: avoid; }
}
"""
Progress = Callable[[float, str], None]
CHART_START = '<div class="chart">'


def esc(text) -> str:
    return html.escape("" if text is None else str(text))


def day(value) -> str:
    return formats.date(value, missing="no date")


def figure_html(figure: go.Figure, name: str) -> str:
    """One chart as a div for the pack, drawn by the pack's one copy of plotly.js."""
    fig = go.Figure(figure)
    fig.update_layout(width=PACK_WIDTH, autosize=False)
    div = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=name,
        config={
            "displaylogo": False,
            "responsive": False,
            "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
        },
    )
    return f"{CHART_START}{div}</div>"


def table_html(frame: pd.DataFrame, columns: dict[str, str] | None = None, limit: int | None = None) -> str:
    shown = frame[list(columns)].rename(columns=columns) if columns else frame
    more = ""
    if limit is not None and len(shown) > limit:
        more = f'<p class="note">First {limit} of {len(shown)} rows; the page has them all.</p>'
        shown = shown.head(limit)
    money = [c for c in shown.columns if "£" in str(c)]
    percent = [c for c in shown.columns if str(c).endswith("%")]
    return formats.written(shown, money, percent).to_html(index=False, escape=True, classes="data", border=0) + more


def findings(pack) -> list[str]:
    """The headline finding of each dataset, as plain sentences."""
    tiles, found = pack.tiles, []
    if pack.risks:
        found.append(f"Risks: {pack.risks['headline']} (as at {day(tiles['risks'].as_at)}). {pack.risks['note']}")
    if pack.qipp:
        found.append(f"QIPP: {qipp_charts.headline(pack.qipp['figures'])} (as at {day(pack.qipp['as_at'])}).")
    if pack.finance:
        found.append(f"Finance: {finance_charts.headline(pack.finance['label'], pack.finance['head'])}.")
    if pack.activity:
        a = tiles["activity"].figures
        found.append(
            f"Activity: {a['above_plan']} of {a['with_actuals']} measures above plan and {a['below_plan']} below, "
            f"year to date through {day(a['through'])}."
            if a["with_actuals"]
            else f"Activity: {a['measures']} measures planned; no actuals loaded yet."
        )
    if pack.improvement:
        i = tiles["improvement"].figures
        finding = i["label"] if i["pct_complete"] is None else f"{i['headline']}; {i['label']}"
        found.append(f"Improvement plan: {finding} (report of {day(tiles['improvement'].as_at)}).")
    return found


def _risk_section(pack) -> list[str]:
    register = pack.risks["register"]
    scale = register["scale"].mode().iloc[0] if register["scale"].notna().any() else "5x5"
    matrix = heatmap.risk_matrix(
        pack.risks["cells"],
        config.risk_bands(pack.org, scale),
        scale,
        "current",
        title=f"Current risk ({scale}), as at {day(pack.tiles['risks'].as_at)}",
    )
    return [
        figure_html(matrix, "risk-matrix"),
        figure_html(risk_movement.movement_figure(pack.risks["moves"]), "risk-movement"),
        f"<h3>{esc(pack.risks['headline'])}</h3>",
        table_html(
            pack.risks["above"],
            {
                "display": "Risk",
                "title": "Title",
                "owner": "Owner",
                "current_rating": "Current",
                "target_rating": "Target",
                "above_target_by": "Above target by",
            },
        ),
    ]


def _qipp_section(pack) -> list[str]:
    q, as_at = pack.qipp, day(pack.qipp["as_at"])
    return [
        figure_html(qipp_charts.stage_bars(q["stages"], title=f"Pipeline by stage (as at {as_at})"), "qipp-stages"),
        figure_html(
            qipp_charts.rag_bars(q["rag"], title=f"Net and risk-adjusted value by RAG (as at {as_at})"), "qipp-rag"
        ),
        figure_html(
            qipp_charts.bridge_waterfall(q["bridge"], title=f"Target to risk-adjusted gap (as at {as_at})"),
            "qipp-bridge",
        ),
        "<h3>Schemes by area and stage: count and £'000</h3>",
        table_html(qipp_charts.matrix_table(q["matrix"], list(config.settings().qipp.stages))),
    ]


def _finance_section(pack) -> list[str]:
    f = pack.finance
    parts = [
        figure_html(
            finance_charts.variance_bars(f["position"], True, title=f"YTD and forecast variance by line, {f['label']}"),
            "finance-variance",
        )
    ]
    trend = f["trend"]
    if len(trend) > 1:
        title = f"Overall variance, {trend['label'].iloc[0]} to {trend['label'].iloc[-1]}"
        parts.append(figure_html(finance_charts.trend_lines(trend, title=title), "finance-trend"))
    parts += [
        f"<h3>Position by line, {esc(f['label'])} (£'000)</h3>",
        table_html(finance_charts.position_frame(f["position"])),
    ]
    return parts


def _activity_section(pack) -> list[str]:
    ytd = pack.activity["ytd"]
    parts = []
    if pack.activity["with_actuals"]:
        figure = activity_charts.variance_bars(ytd, "Actual against plan year to date, by point of delivery")
        parts.append(figure_html(figure, "activity-year-to-date"))
    columns = {
        "code": "Code",
        "title": "Measure",
        "through": "Through",
        "plan_ytd": "Plan YTD",
        "actual_ytd": "Actual YTD",
        "variance": "Variance",
        "variance_pct": "Variance %",
    }
    return [*parts, table_html(ytd, columns)]


def _improvement_section(pack) -> list[str]:
    i = pack.improvement
    late = i["overdue"]
    return [
        figure_html(
            improvement.completion_trend(i["trend"], "Actions by RAG per report, and % complete"),
            "improvement-completion",
        ),
        f"<h3>{len(late)} actions overdue at the latest report</h3>",
        table_html(
            late,
            {
                "ref": "Ref",
                "area": "Area",
                "action": "Action",
                "owner": "Owner",
                "due_text": "Due",
                "rag_label": "RAG",
                "days_overdue": "Days overdue",
            },
            limit=40,
        ),
    ]


SECTIONS = [
    ("risks", "Risks", _risk_section),
    ("qipp", "QIPP", _qipp_section),
    ("finance", "Finance", _finance_section),
    ("activity", "Activity", _activity_section),
    ("improvement", "Improvement plan", _improvement_section),
]


def render(pack, progress: Progress | None = None) -> tuple[str, int]:
    """The board pack's HTML and the number of charts in it; ``progress(fraction, text)`` after each section."""
    step = progress or (lambda fraction, text: None)
    org = esc(pack.org)
    badge = f' <span class="badge">{SYNTHETIC_NOTE}</span>' if pack.synthetic else ""
    dates = "; ".join(f"{name} as at {day(d)}" for name, d in pack.as_at.items()) or "no data loaded"
    body = [
        f'<section class="first"><h1>Board assurance pack: {org}{badge}</h1>',
        f'<p class="meta">Generated {formats.date(pack.generated)}. Latest snapshot of each dataset: {esc(dates)}. '
        "Money in £'000; variances favourable positive.</p>",
        '<h2>Headline findings</h2><ul class="findings">',
        *[f"<li>{esc(line)}</li>" for line in findings(pack)],
        "</ul><h2>Headline figures</h2>",
        table_html(pack.headline) if len(pack.headline) else '<p class="note">No data is loaded.</p>',
        "</section>",
    ]
    charts = 0
    for n, (name, title, build) in enumerate(SECTIONS, start=1):
        step((n - 1) / len(SECTIONS), f"Drawing {title} ...")
        data = getattr(pack, name)
        body.append(f'<section id="{name}"><h2>{esc(title)}</h2>')
        if data is None:
            body.append(f'<p class="note">No {esc(title.lower())} data is loaded for {org}.</p>')
        else:
            parts = build(pack)
            body += parts
            charts += sum(part.startswith(CHART_START) for part in parts)
        body.append("</section>")
    step(1.0, "Board pack ready")
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Board assurance pack: {org}</title>'
        f'<style>{STYLE}</style><script type="text/javascript">{plotly.offline.get_plotlyjs()}</script></head>'
        f"<body>{''.join(body)}</body></html>"
    )
    return page, charts


def file_name(org: str, as_at) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", org.lower()).strip("-") or "organisation"
    return f"board-pack-{stem}-{as_at or 'no-date'}.html"
