"""Every page for every organisation in Chromium, read as shown: no field name (``plan_as_at``), no ISO date
(``2018-07-30``) and no finance figure with a minus sign (``-1,164``) anywhere in the rendered text: headings,
metrics, captions, chart labels and the table cells the browser has drawn, hidden tabs included.

File names (``..._2018-19_m3.xlsx``) are left out before reading, as they are shown as written. The Data page is
left out: it shows the canonical field names a column is mapped to on purpose. Activity figures are counts, not
money, and keep their minus sign. A table's cells are drawn on a canvas, so their formatted text is not in the page
(the canvas holds only the raw values, for screen readers): ``tests/test_formats.py`` checks every table's column
headings and formats under AppTest instead."""

from __future__ import annotations

import re
from urllib.parse import quote_plus

import pytest

from tests.test_browser_sweep import PAGES, settle, sweep_db  # noqa: F401  (sweep_db is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOWN_PAGES = [p for p in PAGES if p != "data"]
SHOWN_TEXT = """(selector) => {
    const root = document.querySelector(selector);
    if (!root) return "";
    const hidden = (node) => {
        const parent = node.parentElement;
        return !parent || ["STYLE", "SCRIPT"].includes(parent.tagName)
            || parent.closest('[data-testid="stIconMaterial"]')  // an icon's name (arrow_forward), not a word
            || parent.closest("canvas");  // a table's raw values for screen readers, not its formatted cells
    };
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) => hidden(node) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const parts = [];
    while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
    return parts.join(" ");
}"""
FILE_NAMES = re.compile(r"\S+\.(?:xlsx|xlsm|xls|csv|duckdb)\b", re.IGNORECASE)
FIELD_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
SIGNED_MONEY = re.compile(
    r"(?:£\s?[-−]\d|[-−]£\s?\d|(?<![\w.,])[-−]\d{1,3}(?:,\d{3})+(?![\d,])(?!\s*(?:%|more|fewer)))"
)


def format_findings(text: str, where: str, money: bool = True) -> list[str]:
    text = FILE_NAMES.sub(" ", " ".join(text.split()))
    found = []
    checks = [("field name", FIELD_NAME), ("ISO date", ISO_DATE)] + [("minus-signed money", SIGNED_MONEY)] * money
    for what, pattern in checks:
        for match in pattern.finditer(text):
            context = text[max(0, match.start() - 60) : match.end() + 60]
            found.append(f"{where}: {what} {match.group()!r} in ...{context}...")
    return found


def test_the_patterns_catch_what_they_are_for():
    assert format_findings("Plan as at 30 Jul 2018; variance (1,164); gap £91k over", "ok") == []
    assert len(format_findings("plan_as_at 2018-07-30 -1,164 £-91k", "bad")) == 4
    assert format_findings("from cambridgeshire_plan_2018-19_m3.xlsx", "file") == []


def test_every_page_shows_readable_headings_house_dates_and_bracketed_money(served_app, browser_page, sweep_db):  # noqa: F811
    path, names = sweep_db
    url = served_app(path)
    page = browser_page
    problems = []
    for name in names:
        for page_path in SHOWN_PAGES:
            page.goto(f"{url}/{page_path}?org={quote_plus(name)}")
            page.locator("h1").first.wait_for()
            settle(page)
            text = page.evaluate(SHOWN_TEXT, '[data-testid="stMain"]')
            problems += format_findings(text, f"/{page_path} {name}", money=page_path != "activity")
    assert not problems, "\n".join(dict.fromkeys(problems))
