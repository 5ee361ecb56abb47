"""The Activity and Improvement plan pages in Chromium: change the measure and the organisation, see the chart follow."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

import store
from tests.conftest import wait_for_app
from tests.test_store_actions import SOUTHEND, southend_result, southend_rows
from tests.test_store_activity import ORG, load_history

pytestmark = [pytest.mark.browser, pytest.mark.slow]
OTHER = "Example CCG"


@pytest.fixture
def trends_store(tmp_path):
    path = tmp_path / "browser-trends.duckdb"
    con = store.connect(path)
    load_history(con)
    store.ingest(con, southend_result())
    store.ingest(con, southend_result(sha="other", rows=southend_rows()[:50], summary=False, org=OTHER, synthetic=True))
    con.close()
    return path


def open_page(page, url: str, title: str) -> None:
    """Open a link to the app for ``ORG`` and go to a page through the navigation, as a person would."""
    page.goto(f"{url}/?{urlencode({'org': ORG})}")
    page.wait_for_function("() => location.pathname === '/overview'")  # the root URL opens the Overview there
    page.get_by_role("heading", name=f"Overview: {ORG}").wait_for()
    wait_for_app(page)
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    wait_for_app(page)


def chart_titles(page) -> list[str]:
    return page.locator(".js-plotly-plot .gtitle").evaluate_all("els => els.map(e => e.textContent.trim())")


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label``."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).get_by_role("combobox").click()
    page.get_by_role("option", name=option, exact=False).first.click()
    wait_for_app(page)


def add_organisation(page, name: str) -> None:
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")
    box.get_by_role("combobox").click()
    page.get_by_role("option", name=re.compile(re.escape(name))).first.click()
    page.keyboard.press("Escape")
    wait_for_app(page)


def test_activity_measure_change_updates_the_chart(served_app, browser_page, trends_store):
    url = served_app(trends_store)
    page = browser_page
    open_page(page, url, "Activity")
    page.get_by_text("E.M.7 Total Referrals (Specific Acute): 2.0% below plan").wait_for()
    page.wait_for_selector(".js-plotly-plot .gtitle")
    assert any(t.startswith("E.M.7 monthly plan and actual") for t in chart_titles(page))

    choose(page, "Point of delivery", "E.M.12 Total A&E")
    page.get_by_text("E.M.12 Total A&E Attendances excluding planned follow ups:").first.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot .gtitle')].some(t => t.textContent.startsWith('E.M.12'))"
    )
    titles = chart_titles(page)
    assert any(t.startswith("E.M.12 monthly plan and actual") for t in titles)
    assert not any(t.startswith("E.M.7 ") for t in titles)


def test_improvement_organisation_change_updates_the_chart(served_app, browser_page, trends_store):
    url = served_app(trends_store)
    page = browser_page
    open_page(page, url, "Improvement plan")
    page.get_by_text(f"No improvement plan is loaded for {ORG}").wait_for()

    add_organisation(page, SOUTHEND)
    add_organisation(page, OTHER)
    page.get_by_text(f"{OTHER}: 87.0% complete").wait_for()
    page.wait_for_selector(".js-plotly-plot .gtitle")
    assert any(t.startswith(f"{OTHER}: actions by RAG") for t in chart_titles(page))

    choose(page, "Organisation", SOUTHEND)
    page.get_by_text(f"{SOUTHEND}: 78.8% complete, up from 72.2%").wait_for()
    page.wait_for_function(
        "name => [...document.querySelectorAll('.js-plotly-plot .gtitle')].some(t => t.textContent.startsWith(name))",
        arg=SOUTHEND,
    )
    assert any(t.startswith(f"{SOUTHEND}: actions by RAG") for t in chart_titles(page))
    assert page.get_by_text("disagrees with its action rows").count() == 1
