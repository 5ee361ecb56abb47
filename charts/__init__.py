"""Pure Plotly figure builders (frame -> figure).

Every figure uses the ``plotly_white`` template. It is Plotly's default for the process rather than named in
each figure: a template named in a layout is deep-copied and validated again for every figure (tens of
milliseconds each), while the default is attached as already validated.
"""

import plotly.io as pio

TEMPLATE = "plotly_white"
pio.templates.default = TEMPLATE
