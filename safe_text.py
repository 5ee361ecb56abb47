"""Text from a workbook, a file name, a sign-in token or the URL, made inert before it is shown.

Streamlit renders Markdown (links, images, emphasis, headings, colour and icon directives) in
st.markdown, st.caption, st.title, the notices and every widget label; Plotly renders a few HTML
tags (<a href>, <b>, <br>, <span style>) in titles, tick labels, legends, hover and bar text.
Such text passes through ``markdown`` or ``plotly`` (never both) on its way to the screen, so it
reads exactly as written and nothing in it is followed, fetched or formatted.
"""

from __future__ import annotations

import re

# CommonMark renders a backslash before any ASCII punctuation as that character alone, so escaping
# all of it leaves no emphasis, link, image, autolink (www., x@y, https:), directive, math or HTML.
ASCII_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def markdown(text) -> str:
    """``text`` as it is written, for anywhere Streamlit renders Markdown; one line."""
    return ASCII_PUNCTUATION.sub(r"\\\1", LINE_BREAKS.sub(" ", str(text)))


def plotly(text) -> str:
    """``text`` as it is written, for a Plotly title, label, legend or hover text (never a hovertemplate)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
