"""Chart images: the Plotly toolbar's own export (PNG or SVG, drawn in the browser) and presentation sizing."""

from __future__ import annotations

import re

import plotly.graph_objects as go

PRESENTATION_SCALE = 1.35
BASE_FONT_SIZE = 12
IMAGE_SCALE = 2  # PNGs at twice the on-screen resolution, sharp enough for slides and print


def file_stem(name: str) -> str:
    """A safe download file name (no extension) from a chart's name."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", str(name)).strip("-.")
    return stem[:80] or "chart"


def image_config(name: str, image_format: str = "png") -> dict:
    """Plotly config that keeps the toolbar's camera button and downloads the chart as ``image_format``."""
    if image_format not in ("png", "svg"):
        raise ValueError(f"image format must be png or svg, not {image_format!r}")
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": image_format, "filename": file_stem(name), "scale": IMAGE_SCALE},
    }


def _scaled(size, factor: float):
    return None if size is None else round(size * factor)


def for_presentation(figure: go.Figure, factor: float = PRESENTATION_SCALE) -> go.Figure:
    """A copy of the figure with every text (title, axes, legend, labels in cells) larger by ``factor``."""
    fig = go.Figure(figure)
    layout = fig.layout
    fig.update_layout(font_size=_scaled(layout.font.size or BASE_FONT_SIZE, factor))
    if layout.title.font.size:
        fig.update_layout(title_font_size=_scaled(layout.title.font.size, factor))
    for annotation in layout.annotations:
        if annotation.font.size:
            annotation.font.size = _scaled(annotation.font.size, factor)
    for trace in fig.data:
        textfont = getattr(trace, "textfont", None)
        if textfont is not None and isinstance(textfont.size, int | float):
            trace.textfont.size = _scaled(textfont.size, factor)
    fig.for_each_xaxis(lambda axis: axis.update(tickfont_size=_scaled(axis.tickfont.size, factor)))
    fig.for_each_yaxis(lambda axis: axis.update(tickfont_size=_scaled(axis.tickfont.size, factor)))
    if fig.layout.height:
        fig.update_layout(height=_scaled(fig.layout.height, factor))
    return fig
