"""Text from a workbook, a file name, a sign-in token or the URL, made inert before it is shown.

Streamlit renders Markdown (links, images, emphasis, headings, colour and icon directives) in
st.markdown, st.caption, st.title, the notices and every widget label; Plotly renders a few HTML
tags (<a href>, <b>, <br>, <span style>) in titles, tick labels, legends, hover and bar text.
Such text passes through ``markdown`` or ``plotly`` (never both) on its way to the screen, so it
reads exactly as written and nothing in it is followed, fetched or formatted.
"""

from __future__ import annotations

import re

# The characters that start Markdown (and Streamlit's) markup anywhere in a line: emphasis, code, links and
# images, HTML and autolinks, headings and quotes, strikethrough, math, tables, directives and icons (:x[..]).
MARKUP = re.compile(r"([\\`*_\[\]<>#~$|:])")
# ... and at the start of a line: a list item or a thematic break.
LINE_START = re.compile(r"^(\d+)([.)])|^([-+])(?=\s|$|-)")
ENTITY = re.compile(r"&(?=#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
# Streamlit turns web and e-mail addresses into links, and :shortcodes: into emoji, in the text left after
# parsing, where escapes no longer count. An invisible word joiner at each such place keeps them as words.
WORD_JOINER = "\u2060"
LINKS_AND_SHORTCODES = re.compile(r"(?<=:)(?=//)|(?i:(?<=www)(?=\.))|(?=@)|(?<=:)(?=[\w+-]+:)")


def markdown(text) -> str:
    """``text`` as it reads, for anywhere Streamlit renders Markdown; one line."""
    line = LINKS_AND_SHORTCODES.sub(WORD_JOINER, LINE_BREAKS.sub(" ", str(text)).strip())
    escaped = ENTITY.sub(r"\\&", MARKUP.sub(r"\\\1", line))
    return LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)


def plotly(text) -> str:
    """``text`` as it is written, for a Plotly title, label, legend or hover text (never a hovertemplate)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
