"""Clickable charts in Chromium: a click on a bar, tile or matrix cell filters or selects, without an exception.

The browser sends a clicked point's ``customdata`` back as the figure's JSON holds it, which AppTest never sees.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests import test_url_state
from tests.conftest import wait_for_app
from tests.test_url_state import ORGS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
meeting_db_master = test_url_state.meeting_db_master
meeting_db = test_url_state.meeting_db
ORG = ORGS[0].replace(" ", "+")


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def no_exception(page) -> None:
    errors = page.get_by_test_id("stException").all_inner_texts()
    assert not errors, errors


def chart(page, title: str):
    """The Plotly chart whose title starts with ``title``, drawn and in view."""
    found = page.locator(".js-plotly-plot:visible").filter(has=page.locator(".gtitle", has_text=title)).first
    found.locator(".main-svg").first.wait_for()
    found.scroll_into_view_if_needed()
    return found


def click_point(page, plot, trace: int, index: int):
    """Click the middle of one bar or marker; returns that point's x label and customdata as the browser holds them."""
    shapes = plot.locator(".trace").nth(trace).locator(".point")
    box = shapes.nth(index).bounding_box()
    assert box and box["width"] > 2 and box["height"] > 2, box
    point = plot.evaluate(
        "(g, [t, i]) => { const c = g.data[t].customdata; return {x: g.data[t].x[i], custom: c ? c[i] : null}; }",
        [trace, index],
    )
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    return point


def wait_for_query(page, test: str) -> None:
    """Wait until the URL's query passes ``test`` (JavaScript over ``q``), or the page shows an exception."""
    page.wait_for_function(
        f"() => {{ const q = new URLSearchParams(location.search); return ({test})"
        " || document.querySelector('[data-testid=\"stException\"]') !== null; }"
    )
    wait_for_app(page)
    no_exception(page)


def test_qipp_bars_and_tiles_filter_the_page(served_app, browser_page, meeting_db):
    page = browser_page
    page.goto(f"{served_app(meeting_db)}/qipp?org={ORG}")
    wait_for_app(page)
    stages = chart(page, "Pipeline by stage")
    bars = stages.locator(".trace .point")
    index = next(i for i in range(1, bars.count()) if bars.nth(i).bounding_box()["height"] > 2)
    point = click_point(page, stages, 0, index)
    stage = point["x"].split()[0]
    wait_for_query(page, f"q.getAll('stage').join() === '{stage}'")
    assert page.get_by_test_id("stMultiSelect").filter(has_text="Stage").get_by_text(point["x"]).is_visible()
    # The filters rerun only their fragment, which the status widget does not show: wait for the caption itself.
    caption = page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first
    expect(caption).to_have_text(re.compile(rf"\d+ of \d+ schemes: stage {re.escape(point['x'])}$"))

    page.get_by_role("button", name="Clear filters").click()
    wait_for_query(page, "!q.has('stage')")
    rags = chart(page, "Net and risk-adjusted value by RAG")
    point = click_point(page, rags, 0, 0)
    status, rag = point["custom"]
    wait_for_query(page, f"q.getAll('rag').join() === '{rag}'")
    assert query(page).get("stage") == (["0"] if status == "Pipeline" else None)

    page.get_by_role("button", name="Clear filters").click()
    wait_for_query(page, "!q.has('rag')")
    tiles = chart(page, "Schemes by area and stage")
    area, stage = click_point(page, tiles, 0, 0)["custom"]
    wait_for_query(page, f"q.getAll('area').join() === {json.dumps(area)} && q.getAll('stage').join() === '{stage}'")


def test_risk_cells_activity_bars_and_organisation_bars_select_in_the_browser(served_app, browser_page, meeting_db):
    page = browser_page
    url = served_app(meeting_db)

    page.goto(f"{url}/risks?org={ORG}&view=Current")
    wait_for_app(page)
    matrix = chart(page, "Current risk")
    cells = matrix.evaluate("g => g.data.findIndex(t => t.meta && t.meta.role === 'cells')")
    stage, scale, likelihood, consequence, count = click_point(page, matrix, cells, 0)["custom"]
    page.get_by_text(f"in {stage} L{likelihood} x C{consequence} ({scale})").wait_for()
    no_exception(page)
    assert page.get_by_text(re.compile(rf"^{count} risks? in {stage} L{likelihood}")).is_visible()

    page.goto(f"{url}/activity?org={ORG}")
    wait_for_app(page)
    page.get_by_role("tab", name="All measures").click()
    bars = chart(page, "Actual against plan year to date")
    (code,) = click_point(page, bars, 0, 1)["custom"]
    wait_for_query(page, f"q.get('code') === {json.dumps(code)}")
    page.get_by_role("heading", name=re.compile(rf"^{re.escape(code)} ")).wait_for()

    both = "&".join(f"org={o.replace(' ', '+')}" for o in ORGS)
    page.goto(f"{url}/improvement?{both}&view=Organisations+compared")
    wait_for_app(page)
    bars = chart(page, "% complete at each organisation's latest report")
    (org,) = click_point(page, bars, 0, 1)["custom"]
    wait_for_query(page, f"q.get('show') === {json.dumps(org)} && q.get('view') === 'One organisation'")
    page.get_by_role("heading", name=re.compile(rf"^{re.escape(org)}: ")).wait_for()
