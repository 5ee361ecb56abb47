"""Every page for every organisation in Chromium: no exception, no "Page not found", and no nan, None, NaT or NaN
anywhere in the rendered text (main area and sidebar, hidden tabs, chart labels and the table cells the browser has drawn included)."""

from __future__ import annotations

import re
from urllib.parse import quote_plus

import pytest

import loaders
import store
from data.demo import generate
from tests.conftest import SAMPLES, wait_for_app
from tests.test_url_state import SIZES

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAGES = ["overview", "risks", "qipp", "finance", "activity", "improvement", "data"]
DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every((chart) => chart.offsetParent === null || chart.querySelector(".main-svg"))"""
MISSING_WORDS = re.compile(r"\b(nan|None|NaT|NaN)\b")
TEXT_OF = """(selector) => {
    const root = document.querySelector(selector);
    if (!root) return "";
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) => ["STYLE", "SCRIPT"].includes(node.parentElement && node.parentElement.tagName)
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const parts = [];
    while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
    return parts.join(" ");
}"""


@pytest.fixture(scope="module")
def sweep_db(tmp_path_factory):
    """The sample workbooks and two synthetic organisations over two months."""
    folder = tmp_path_factory.mktemp("sweep")
    path = folder / "sweep.duckdb"
    con = store.connect(path)
    workbooks = sorted(SAMPLES.glob("*.xlsx")) + generate.generate(
        folder / "demo", orgs=2, months=2, seed=7, sizes=SIZES
    )
    for workbook in workbooks:
        store.ingest(con, loaders.load_workbook(workbook.read_bytes(), workbook.name))
    names = list(store.organisations(con)["name"])
    con.close()
    return path, names


def settle(page) -> None:
    """Wait until the page has finished drawing: its charts drawn, and its text the same a second later."""
    previous = None
    for _ in range(90):
        wait_for_app(page)
        page.wait_for_function(DRAWN)
        current = page.evaluate(TEXT_OF, '[data-testid="stMain"]')
        if current == previous:
            return
        previous = current
        page.wait_for_timeout(1000)


def findings(page, where: str) -> list[str]:
    """What is wrong with the page as shown: exceptions, the not-found dialog, missing values written out."""
    found = [f"{where}: exception: {e[:200]}" for e in page.get_by_test_id("stException").all_inner_texts()]
    if page.get_by_text("Page not found").count():
        found.append(f"{where}: Page not found")
    for area, selector in (("main", '[data-testid="stMain"]'), ("sidebar", '[data-testid="stSidebar"]')):
        text = " ".join(page.evaluate(TEXT_OF, selector).split())
        for match in MISSING_WORDS.finditer(text):
            context = text[max(0, match.start() - 60) : match.end() + 60]
            found.append(f"{where} ({area}): {match.group()!r} in ...{context}...")
    return found


def test_every_page_for_every_organisation_shows_no_error_and_no_missing_value_words(
    served_app, browser_page, sweep_db
):
    path, names = sweep_db
    url = served_app(path)
    page = browser_page
    problems = []
    for name in names:
        for page_path in PAGES:
            page.goto(f"{url}/{page_path}?org={quote_plus(name)}")
            page.locator("h1").first.wait_for()
            page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.wait_for()
            settle(page)
            problems += findings(page, f"/{page_path} {name}")
    assert not problems, "\n".join(problems)
