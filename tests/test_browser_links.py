"""Links in Chromium: every page's own path, with and without a query string, opens that page on a newly started
server, never the "Page not found" dialog; the root URL opens the Overview at its own path."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote_plus, urlparse

import pytest

from tests import test_url_state
from tests.conftest import wait_for_app
from tests.test_url_state import ORGS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
meeting_db_master = test_url_state.meeting_db_master
meeting_db = test_url_state.meeting_db
PAGE_HEADINGS = {  # each page's title, or the headline a page puts in its place
    "overview": "^Overview",
    "risks": "^Risks",
    "qipp": "^QIPP",
    "finance": r"^(Finance|Month \d+ \d{4}/\d\d: )",
    "activity": "^Activity",
    "improvement": "^Improvement plan",
    "data": "^Data",
}
ORG_QUERY = f"?org={quote_plus(ORGS[1])}"


def open_link(chromium, url: str, link: str):
    """Open ``link`` in a new browser session; returns the page once its heading is shown."""
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{url}{link}")
    page.locator("h1").first.wait_for()
    wait_for_app(page)
    return page


def assert_opens(chromium, url: str, path: str, query: str) -> None:
    page = open_link(chromium, url, f"/{path}{query}")
    try:
        heading = page.locator("h1").first.inner_text()
        assert re.match(PAGE_HEADINGS[path], heading), (path, query, heading)
        assert page.get_by_text("Page not found").count() == 0, (path, query)
        assert urlparse(page.url).path == f"/{path}", page.url
        if query:
            assert parse_qs(urlparse(page.url).query)["org"] == [ORGS[1]], page.url
    finally:
        page.context.close()


def test_every_page_opens_at_its_own_path_on_a_new_server(served_app, chromium, meeting_db):
    url = served_app(meeting_db)
    assert_opens(chromium, url, "overview", ORG_QUERY)  # the first link the new server sees
    for path in PAGE_HEADINGS:
        for query in (ORG_QUERY, ""):
            assert_opens(chromium, url, path, query)


def test_the_overview_without_a_query_opens_on_a_new_server(served_app, chromium, meeting_db):
    assert_opens(chromium, served_app(meeting_db), "overview", "")


def test_the_root_url_opens_the_overview_with_the_link_query(served_app, chromium, meeting_db):
    url = served_app(meeting_db)
    both = "&".join(f"org={quote_plus(o)}" for o in reversed(ORGS))
    page = open_link(chromium, url, f"/?{both}")
    try:
        page.wait_for_function("() => location.pathname === '/overview'")
        assert page.locator("h1").first.inner_text() == f"Overview: {ORGS[1]}"
        assert urlparse(page.url).query.startswith(both)
        assert page.get_by_text("Page not found").count() == 0
    finally:
        page.context.close()
