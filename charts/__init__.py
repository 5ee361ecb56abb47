"""Pure Plotly figure builders (frame -> figure).

Every figure uses the ``plotly_white`` template. It is Plotly's default for the process rather than named in
each figure: a template named in a layout is deep-copied and validated again for every figure (tens of
milliseconds each), while the default is attached as already validated.
"""

import plotly.io as pio

from safe_text import plotly as plain

TEMPLATE = "plotly_white"
pio.templates.default = TEMPLATE
MARGIN = {"l": 10, "r": 10, "t": 60, "b": 10}
LEGEND_BELOW = {"orientation": "h", "y": -0.15}


def titled(fig, title: str, **layout):
    """``fig`` with ``title`` (as plain text), the house margins (unless ``margin`` is given) and ``layout``."""
    fig.update_layout(**{"title": plain(title), "margin": MARGIN, **layout})
    return fig
