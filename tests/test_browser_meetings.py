"""Meetings in Chromium: a link with organisation, page and filters opens that view; the presentation view steps
through the pages; the board pack downloads and its charts render offline."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests import test_url_state
from tests.conftest import wait_for_app
from tests.test_url_state import ORGS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
meeting_db_master = test_url_state.meeting_db_master
meeting_db = test_url_state.meeting_db
PACK_CHARTS = 9  # risks 2, QIPP 3, finance 2, activity 1, improvement plan 1


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_a_link_opens_the_page_with_its_organisation_and_filters(served_app, browser_page, meeting_db):
    url = served_app(meeting_db)
    page = browser_page
    page.goto(f"{url}/risks?org={ORGS[1].replace(' ', '+')}&as_at=2018-05-31&view=Target")
    wait_for_app(page)
    page.get_by_role("heading", name="Target risk: where the risks should end").wait_for()
    assert page.get_by_text(f"{ORGS[1]}: as at 31 May 2018").first.is_visible()
    assert query(page)["org"] == [ORGS[1]]

    page.get_by_test_id("stRadio").filter(has_text="Scores").get_by_text("Initial", exact=True).click()
    wait_for_app(page)
    page.get_by_role("heading", name="Initial risk: where the risks started").wait_for()
    page.wait_for_function("() => location.search.includes('view=Initial')")
    assert query(page)["as_at"] == ["2018-05-31"]

    page.get_by_test_id("stSidebarNav").get_by_text("QIPP", exact=True).click()
    wait_for_app(page)
    page.wait_for_function(
        "() => location.pathname.endsWith('/qipp') && new URLSearchParams(location.search).has('org')"
    )
    params = query(page)
    assert params["org"] == [ORGS[1]] and "view" not in params and "review_days" not in params


def test_presentation_steps_to_the_next_page_and_back_to_normal(served_app, browser_page, meeting_db):
    url = served_app(meeting_db)
    page = browser_page
    page.goto(f"{url}/overview?org={ORGS[0].replace(' ', '+')}&present=1")
    wait_for_app(page)
    page.get_by_text("Next: Risks").wait_for()
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    title_size = page.locator("h1").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert title_size >= 40

    page.get_by_text("Next: Risks").click()
    wait_for_app(page)
    page.wait_for_function("() => location.pathname.endsWith('/risks')")
    page.get_by_text("Next: QIPP").wait_for()
    assert query(page)["present"] == ["1"] and query(page)["org"] == [ORGS[0]]
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()

    page.get_by_role("button", name="Leave presentation view").click()
    wait_for_app(page)
    page.get_by_test_id("stSidebar").wait_for(state="visible")
    page.wait_for_function("() => !location.search.includes('present')")
    assert page.get_by_text("Next: QIPP").count() == 0


def test_board_pack_downloads_and_its_charts_render(served_app, browser_page, meeting_db, tmp_path):
    url = served_app(meeting_db)
    page = browser_page
    page.goto(f"{url}/overview?org={ORGS[0].replace(' ', '+')}")
    wait_for_app(page)
    page.get_by_role("button", name=f"Prepare the board pack for {ORGS[0]}").click()
    wait_for_app(page)
    button = page.get_by_role("button", name=f"Download the board pack ({PACK_CHARTS} charts, HTML)")
    button.wait_for(timeout=90_000)
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "board-pack-northmoor-icb-2018-06-30.html"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    pack = page.context.new_page()
    pack.goto(saved.as_uri())
    pack.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {PACK_CHARTS}")
    assert pack.locator(".js-plotly-plot").count() == PACK_CHARTS
    assert pack.get_by_role("heading", name=f"Board assurance pack: {ORGS[0]}").is_visible()
    assert pack.get_by_text("synthetic demo data").first.is_visible()
    pack.close()


def download_chart(page):
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    with page.expect_download() as info:
        chart.locator('.modebar-btn[data-title^="Download plot"]').click()
    return info.value


def test_a_chart_downloads_as_png_or_svg_from_its_toolbar(served_app, browser_page, meeting_db, tmp_path):
    url = served_app(meeting_db)
    page = browser_page
    page.goto(f"{url}/overview?org={ORGS[0].replace(' ', '+')}")
    wait_for_app(page)
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    png = download_chart(page)
    assert png.suggested_filename == "overview-current-risk.png"
    png.save_as(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    page.get_by_test_id("stSidebar").get_by_text("SVG", exact=True).click()
    wait_for_app(page)
    # plotly.js titles the button "Download plot as a png" for PNG and "Download plot" for other formats
    page.wait_for_selector('.js-plotly-plot .modebar-btn[data-title="Download plot"]', state="attached")
    svg = download_chart(page)
    assert svg.suggested_filename == "overview-current-risk.svg"
    svg.save_as(tmp_path / "chart.svg")
    text = (tmp_path / "chart.svg").read_text()
    assert text.lstrip().startswith("<svg") and "Current risk" in text
