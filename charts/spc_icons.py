"""Making Data Count's variation and assurance icons, drawn as small SVGs from fixed shapes.

Variation: a ring in the point colours (grey common cause, blue improvement, orange concern, purple neither)
around a short run of dots; a special cause ends its run high or low and carries the letter H or L.
Assurance: a ring around a dashed target line and the letter P (consistently passes, blue), F (consistently
fails, orange) or ? (hit and miss, grey). Every icon has a title naming it in words; no text from the data
ever reaches the markup.
"""

from __future__ import annotations

import base64

import config
from analysis.spc_rules import ASSURANCE_LABELS, COMMON, VARIATION_LABELS, special_cause_kind

# Seven dots across the ring; y runs down. A special cause ends its run above or below the line.
_FLAT = [60, 52, 62, 54, 61, 53, 58]
_HIGH = [58, 52, 56, 50, 44, 37, 30]
_LOW = [44, 50, 46, 52, 58, 65, 72]
_DOT_X = [24, 32, 40, 48, 56, 64, 72]
_ASSURANCE_LETTERS = {"pass": "P", "fail": "F", "inconsistent": "?"}


def colours() -> dict[str, str]:
    """The Making Data Count colours as configured in ``[spc]``."""
    settings = config.settings().spc
    return {
        "improvement": settings.improvement_colour,
        "concern": settings.concern_colour,
        "neutral": settings.neutral_colour,
        COMMON: settings.common_cause_colour,
        "mean": settings.mean_colour,
        "limit": settings.limit_colour,
        "target": settings.target_colour,
        "trajectory": settings.trajectory_colour,
    }


def _svg(title: str, ring: str, body: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="64" height="64" role="img">'
        f"<title>{title}</title>"
        f'<circle cx="50" cy="50" r="44" fill="white" stroke="{ring}" stroke-width="8"/>'
        f"{body}</svg>"
    )


def _letter(text: str, colour: str, y: int, size: int = 30) -> str:
    return (
        f'<text x="50" y="{y}" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" '
        f'font-weight="bold" font-size="{size}" fill="{colour}">{text}</text>'
    )


def variation_icon(variation: str) -> str:
    """The variation icon (SVG markup) for a point's variation, e.g. "improvement_high" or "common_cause"."""
    palette = colours()
    kind = special_cause_kind(variation)
    colour = palette[kind]
    grey = palette[COMMON]
    side = None if kind == COMMON else variation.rsplit("_", 1)[-1]
    ys = _HIGH if side == "high" else _LOW if side == "low" else _FLAT
    points = " ".join(f"{x},{y}" for x, y in zip(_DOT_X, ys, strict=True))
    dots = "".join(
        f'<circle cx="{x}" cy="{y}" r="4.5" fill="{colour if side and i >= 4 else grey}"/>'
        for i, (x, y) in enumerate(zip(_DOT_X, ys, strict=True))
    )
    body = f'<polyline points="{points}" fill="none" stroke="{grey}" stroke-width="2"/>{dots}'
    if side:
        body += _letter("H" if side == "high" else "L", colour, 34 if side == "low" else 84, 24)
    return _svg(VARIATION_LABELS[variation], colour, body)


def assurance_icon(assurance: str) -> str:
    """The assurance icon (SVG markup): "pass", "fail" or "inconsistent"."""
    palette = colours()
    colour = {"pass": palette["improvement"], "fail": palette["concern"]}.get(assurance, palette[COMMON])
    body = (
        f'<line x1="16" y1="70" x2="84" y2="70" stroke="{colour}" stroke-width="4" stroke-dasharray="7,5"/>'
        + _letter(_ASSURANCE_LETTERS[assurance], colour, 58, 40)
    )
    return _svg(ASSURANCE_LABELS[assurance], colour, body)


def data_uri(svg: str) -> str:
    """An SVG as a data URI, for an image column, a Plotly layout image or a Markdown image."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
