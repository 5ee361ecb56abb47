"""The Data page in Chromium: a real upload through the file input, and a renamed CSV."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import SAMPLES, wait_for_app

pytestmark = pytest.mark.browser

SOUTHEND = SAMPLES / "southend_ccg_improvement_delivery_plan_2019-03-14.xlsx"


def open_data_page(page, url: str) -> None:
    page.goto(f"{url}/data?tab=Upload")
    wait_for_app(page)
    page.get_by_text("Upload the workbooks as you keep them").wait_for()


def test_uploading_a_sample_workbook_lists_the_new_snapshot(served_app, empty_db, browser_page):
    page = browser_page
    open_data_page(page, served_app(empty_db))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(SOUTHEND))
    store_button = page.get_by_role("button", name=f"Store {SOUTHEND.name}")
    store_button.wait_for(timeout=60_000)
    detected = page.locator('[data-testid="stTextInput"]').filter(has_text="Organisation").locator("input")
    assert detected.input_value() == "Southend CCG"
    store_button.click()
    page.get_by_text(re.compile("stored as new snapshot")).first.wait_for(timeout=60_000)
    page.get_by_role("tab", name="Snapshots").click()
    listed = page.get_by_role("combobox", name="Open a snapshot")
    expect(listed).to_have_value(re.compile(rf"Southend CCG .* {re.escape(SOUTHEND.name)} \(current\)"), timeout=30_000)


def test_a_renamed_csv_gets_one_clear_sentence(served_app, empty_db, browser_page, tmp_path):
    renamed = tmp_path / "month3.xlsx"
    renamed.write_text("Line,YTD Budget\nAcute,150553\n")
    page = browser_page
    open_data_page(page, served_app(empty_db))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(renamed))
    alert = page.locator('[data-testid="stAlertContentError"]')
    alert.wait_for(timeout=60_000)
    text = alert.inner_text().strip()
    assert "month3.xlsx" in text and "CSV" in text
    assert "\n" not in text and len(re.findall(r"[.!?](?:\s|$)", text)) == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_role("button", name="Store month3.xlsx").count() == 0


def test_a_workbook_that_would_abort_the_reader_leaves_the_app_up(
    served_app, sample_db, chromium, browser_page, tmp_path
):
    from tests.corpus import hostile

    hostile_file = tmp_path / "letter-case.xlsx"
    hostile_file.write_bytes(hostile.letter_case_relationship())
    url = served_app(sample_db)
    page = browser_page
    open_data_page(page, url)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(hostile_file))
    alert = page.locator('[data-testid="stAlertContentError"]')
    alert.wait_for(timeout=120_000)
    text = alert.inner_text().strip()
    assert text == (
        "'letter-case.xlsx' could not be read safely: it asks for more memory than a workbook of this size needs."
    )
    assert page.locator('[data-testid="stException"]').count() == 0

    other = chromium.new_context(viewport={"width": 1366, "height": 768}).new_page()
    other.set_default_timeout(90_000)
    other.goto(f"{url}/risks")
    wait_for_app(other)
    assert other.locator('[data-testid="stException"]').count() == 0
    other.get_by_role("heading", name="Risks").first.wait_for()
    open_data_page(page, url)  # the first session goes on too, and can read a good workbook
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(SOUTHEND))
    page.get_by_role("button", name=f"Store {SOUTHEND.name}").wait_for(timeout=120_000)
    other.context.close()
