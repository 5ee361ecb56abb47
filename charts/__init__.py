"""Pure Plotly figure builders (frame -> figure).

Every figure uses the ``plotly_white`` template. It is Plotly's default for the process rather than named in
each figure: a template named in a layout is deep-copied and validated again for every figure (tens of
milliseconds each), while the default is attached as already validated.
"""

import plotly.io as pio

import config
from safe_text import plotly as plain

TEMPLATE = "plotly_white"
pio.templates.default = TEMPLATE
MARGIN = {"l": 10, "r": 10, "t": 60, "b": 10}
LEGEND_BELOW = {"orientation": "h", "y": -0.15}


def titled(fig, title: str, **layout):
    """``fig`` with ``title`` (as plain text), the house margins (unless ``margin`` is given) and ``layout``."""
    fig.update_layout(**{"title": plain(title), "margin": MARGIN, **layout})
    return fig


def mark_year_starts(fig, parts: list, years: list, **annotation) -> None:
    """On a category axis of ``parts`` (a trend cut at each change of financial year; ``years`` the financial year of
    each point), a dotted line where a new year starts, named above the plot."""
    start = 0
    for part in parts[:-1]:
        start += len(part)
        fig.add_vline(x=start - 0.5, line_color=config.palette().grey, line_dash="dot", line_width=1)
        fig.add_annotation(
            x=start - 0.5, y=1, yref="paper", text=plain(f"{years[start]} starts"), showarrow=False, **annotation
        )
