"""The import mapping in Chromium: a workbook detection reads wrongly is corrected on the Data page (two columns
and one word), stored and its layout saved; next month's workbook of that layout is read with it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import wait_for_app
from tests.corpus.own_layout import DECEMBER, NOVEMBER, action_tracker
from tests.test_browser_data import open_data_page
from tests.test_page_mapping import prefix

pytestmark = pytest.mark.browser


def choose(page, box: str, option: str, data: bytes, revision: int) -> None:
    """Choose an option, then wait for the reading it gives: the step's widgets are renewed with each revision."""
    box = page.get_by_role("combobox", name=box)
    box.wait_for()
    box.click()
    page.keyboard.type(option)  # the list of fields is long: typing narrows it to the one wanted
    page.get_by_role("option", name=option, exact=True).wait_for()
    page.keyboard.press("Enter")  # the narrowed list redraws as it settles, so the first match is taken by key
    page.locator(f".st-key-{prefix(data, revision)}-0-0-A").wait_for(timeout=60_000)
    wait_for_app(page)


def open_step(page) -> None:
    """Open "How this workbook was read" (closed when the reading needs no attention)."""
    column = page.get_by_role("combobox", name="Column C read as")
    for _ in range(3):
        if column.is_visible():
            return
        page.locator("summary").filter(has_text="How this workbook was read").click()
        wait_for_app(page)
        page.wait_for_timeout(500)
    column.wait_for()


def upload(page, path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_role("button", name=f"Store {path.name}").wait_for(timeout=60_000)
    wait_for_app(page)


def test_correct_store_save_and_next_month_reads_with_the_layout(served_app, empty_db, browser_page, tmp_path):
    page = browser_page
    november, december = tmp_path / "tracker-nov.xlsx", tmp_path / "tracker-dec.xlsx"
    november.write_bytes(action_tracker("30 November 2026", NOVEMBER))
    december.write_bytes(action_tracker("31 December 2026", DECEMBER))
    url = served_app(empty_db)
    open_data_page(page, url)
    upload(page, november)
    open_step(page)
    data = november.read_bytes()
    choose(page, "Column C read as", "owner", data, 1)
    choose(page, "Column E read as", "rag label", data, 2)
    choose(page, "'Slipping' means", "Amber", data, 3)
    page.get_by_role("button", name=f"Store {november.name}").click()
    page.get_by_text(re.compile("stored as new snapshot")).first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Save this layout for Eastfield ICB").click()
    page.get_by_text(re.compile("Saved as layout")).wait_for(timeout=60_000)

    open_data_page(page, url)
    upload(page, december)
    page.get_by_text(re.compile("Read with the layout saved on .* for Eastfield ICB")).wait_for()
    open_step(page)
    # Read with November's corrections: the column and the word, shown as the reading in force (the stored
    # records themselves are checked under AppTest: the served app holds the store open).
    expect(page.get_by_role("combobox", name="Column C read as")).to_have_value("owner")
    expect(page.get_by_role("combobox", name="Column E read as")).to_have_value("rag label")
    expect(page.get_by_role("combobox", name="'Slipping' means")).to_have_value("Amber")
    expect(page.get_by_role("combobox", name="'Back on plan' means")).to_have_value("not known")
    page.get_by_role("button", name=f"Store {december.name}").click()
    page.get_by_text(re.compile("stored as new snapshot")).first.wait_for(timeout=60_000)
