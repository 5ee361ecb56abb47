"""Text from the data is shown as written: Markdown and Plotly markup in it is escaped, never followed."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import safe_text
from charts import activity as activity_charts
from charts import finance as finance_charts
from charts import improvement as improvement_charts
from charts import qipp as qipp_charts

LINK = "[Session expired](https://evil.example)"
IMAGE = "![t](https://evil.example/pixel.png)"
BOLD_TAG = "<b>B</b>"
ANCHOR = '<a href="https://evil.example/">A</a>'
HOSTILE = f"North {LINK} {IMAGE} {BOLD_TAG} {ANCHOR} **bold** _u_ `code` :red[x] $x$ www.evil.example a@evil.example"
PLOTLY_MARKUP = ("<b>", "<a ", "<img", "<i>", "<span")


def unescaped(text: str) -> str:
    """What CommonMark reads as markup: the text without its backslash-escaped characters."""
    return re.sub(r"\\[!-/:-@\[-`{-~]", "", text)


STARTS_MARKUP = re.compile(r"^(\d+[.)]|[-+])(\s|$)|^(-\s*){3,}$|&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)
TEXTS = [
    HOSTILE,
    "1. first",
    "2) second",
    "# heading",
    "> quote",
    "- item",
    "+ item",
    "---",
    "a\n\n    code",
    "&lt;",
    "&#60;b&#62;",
    "  * lead",
    "| a | b |",
]


@pytest.mark.parametrize("text", TEXTS)
def test_markdown_escapes_what_would_be_markup_and_keeps_one_line(text):
    escaped = safe_text.markdown(text)
    assert "\n" not in escaped
    left = unescaped(escaped)
    assert not re.search(r"[\\`*_\[\]<>#~$|:]", left) and not STARTS_MARKUP.search(left), left
    reads = re.sub(r"\\(.)", r"\1", escaped).replace(safe_text.WORD_JOINER, "")
    assert reads == re.sub(r"\s*\n+\s*", " ", text).strip()  # what the reader sees: the text, on one line


def test_markdown_leaves_ordinary_punctuation_alone():
    assert safe_text.markdown("E.M.7 Referrals (Specific Acute), A&E - 2018/19") == (
        "E.M.7 Referrals (Specific Acute), A&E - 2018/19"
    )


@pytest.mark.parametrize(
    "address",
    [
        "https://evil.example/x",
        "HTTP://evil.example",
        "www.evil.example",
        "WWW.evil.example",
        "jane@evil.example",
        ":smile:",
    ],
)
def test_markdown_keeps_addresses_and_shortcodes_from_becoming_links_or_emoji(address):
    """Streamlit links addresses (and swaps :shortcodes: for emoji) after parsing, escapes or not."""
    escaped = safe_text.markdown(f"see {address} now").replace("\\", "")
    assert not re.search(r"(?i)https?://|www\.|\w@|:[\w+-]+:", escaped)


def test_plotly_escapes_tags_and_entities_so_plotly_shows_them():
    assert safe_text.plotly(ANCHOR) == '&lt;a href="https://evil.example/"&gt;A&lt;/a&gt;'
    assert safe_text.plotly("A &amp; B <br>") == "A &amp;amp; B &lt;br&gt;"


def figure_strings(figure) -> list[str]:
    """Every string Plotly draws as text: titles, labels, names, hover, ticks (not customdata)."""
    found: list[str] = []

    def walk(value, key=""):
        if key in ("customdata", "meta", "uid"):
            return
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)

    walk(json.loads(figure.to_json()))
    return found


def assert_inert(figure) -> None:
    strings = figure_strings(figure)
    assert any("&lt;b&gt;B&lt;/b&gt;" in s for s in strings)  # the text is there, as written
    for markup in PLOTLY_MARKUP:
        assert not any(markup in s for s in strings), markup


def test_qipp_area_names_are_inert_in_the_tiles_and_titles():
    matrix = pd.DataFrame(
        [{"area": HOSTILE, **{f"n_{s}": 1 for s in range(6)}, **{f"value_{s}": 10.0 for s in range(6)}}]
    )
    assert_inert(qipp_charts.matrix_tiles(matrix, ["Pipeline", "I", "P", "D", "M", "C"], title=f"For {HOSTILE}"))


def test_improvement_areas_and_organisations_are_inert():
    areas = pd.DataFrame(
        [{"area": HOSTILE, "blue": 1, "green": 2, "amber": 0, "red": 1, "grey": 0, "unrated": 0, "pct_complete": 25.0}]
    )
    assert_inert(improvement_charts.area_bars(areas, f"Areas of {HOSTILE}"))
    latest = pd.DataFrame(
        [
            {
                "organisation": HOSTILE,
                "report_date": pd.Timestamp("2019-03-14"),
                "pct_complete": 40.0,
                "previous": 30.0,
                "source": "rows",
            }
        ]
    )
    assert_inert(improvement_charts.organisations_compared(latest, "Compared"))
    assert_inert(improvement_charts.organisations_over_time(latest, "Over time"))
    trend = latest.assign(blue=1, green=1, amber=1, red=0, grey=0, unrated=0)
    assert_inert(improvement_charts.completion_trend(trend, f"{HOSTILE}: actions by RAG"))


def test_finance_lines_and_activity_codes_are_inert():
    frame = pd.DataFrame([{"line": HOSTILE, "ytd_variance": -5.0, "forecast_variance": 3.0, "role": "expenditure"}])
    assert_inert(finance_charts.variance_bars(frame, title=f"Variance, {HOSTILE}"))
    monthly = pd.DataFrame(
        {
            "organisation": [HOSTILE] * 2,
            "month": pd.to_datetime(["2018-04-01", "2018-05-01"]),
            "plan": [10.0, 11.0],
            "actual": [9.0, 12.0],
        }
    )
    assert_inert(activity_charts.small_multiples(monthly, f"{HOSTILE} by organisation"))
