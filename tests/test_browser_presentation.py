"""Presentation view in Chromium: each page's story fits one 1920x1080 screen without scrolling, and Previous and
Next step through the pages in presentation view."""

from __future__ import annotations

import re

import pytest

from tests.test_browser_sweep import settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]
STEPS = ["overview", "risks", "qipp", "finance", "activity", "improvement"]
TITLES = {"overview": "Overview", "risks": "Risks", "qipp": "QIPP", "finance": "Month", "activity": "Activity"}
TITLES["improvement"] = "Improvement plan"
TOLERANCE = 4  # px: rounding of fractional heights, not content
OVERFLOW = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    return {scroll: main.scrollHeight, shown: main.clientHeight, page: document.scrollingElement.scrollHeight,
            viewport: window.innerHeight};
}"""


def open_page(page, url: str) -> None:
    page.goto(url)
    page.locator("h1").first.wait_for()
    settle(page)


def test_every_page_in_presentation_view_fits_a_1920x1080_screen(served_app, browser_page, sample_db_master):
    url = served_app(sample_db_master)
    too_tall = {}
    for step in STEPS:
        open_page(browser_page, f"{url}/{step}?present=1")
        assert browser_page.locator('[data-testid="stSidebar"]').is_hidden()
        height = browser_page.evaluate(OVERFLOW)
        assert height["viewport"] == 1080 and height["page"] <= height["viewport"] + TOLERANCE
        if height["scroll"] > height["shown"] + TOLERANCE:
            too_tall[step] = height["scroll"]
    assert not too_tall, f"pages taller than the 1080 px screen in presentation view: {too_tall}"


def test_next_and_previous_step_through_the_pages_in_presentation_view(served_app, browser_page, sample_db_master):
    url = served_app(sample_db_master)
    page = browser_page
    open_page(page, f"{url}/overview?present=1")
    for step in [*STEPS[1:], STEPS[0]]:
        page.get_by_role("link", name=re.compile("^Next: ")).click()
        page.wait_for_url(re.compile(rf"/{step}\?.*present=1"))
        settle(page)
        assert page.locator("h1").first.inner_text().startswith(TITLES[step])
        assert page.locator('[data-testid="stSidebar"]').is_hidden()
    for step in reversed(STEPS[-2:]):
        page.get_by_role("link", name=re.compile("^Previous: ")).click()
        page.wait_for_url(re.compile(rf"/{step}\?.*present=1"))
        settle(page)
        assert page.locator("h1").first.inner_text().startswith(TITLES[step])
