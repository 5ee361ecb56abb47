"""The Data page's snapshot list, its export on request and a template download, in Chromium."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pandas as pd
import pytest

import store
from loaders.templates import TITLES
from tests.conftest import wait_for_app

pytestmark = pytest.mark.browser

ORG = "Southend CCG"


def snapshot_ids(db, org: str | None = None) -> set[int]:
    con = store.connect(db)
    try:
        return set(store.snapshots(con, org=org)["snapshot_id"])
    finally:
        con.close()


def download(page, name: str):
    button = page.get_by_role("button", name=name)
    button.wait_for(timeout=60_000)
    with page.expect_download() as info:
        button.click()
    return info.value


def test_the_list_follows_the_sidebar_and_exports_every_match(served_app, sample_db, browser_page, tmp_path):
    own, everything = snapshot_ids(sample_db, ORG), snapshot_ids(sample_db)  # before the server holds the store
    page = browser_page
    url = served_app(sample_db)
    page.goto(f"{url}/data?{urlencode({'org': ORG})}")
    wait_for_app(page)
    page.get_by_text(f"{len(own)} snapshots of {ORG}; showing 1 to {len(own)}").wait_for(timeout=60_000)

    page.goto(f"{url}/data?{urlencode({'org': ORG, 'snapshots_of': 'All organisations', 'rows': 25})}")
    wait_for_app(page)
    page.get_by_text(f"{len(everything)} snapshots of every organisation").wait_for(timeout=60_000)
    page.get_by_role("button", name=f"Prepare all {len(everything)} of these snapshots for download").click()
    wait_for_app(page)
    saved = tmp_path / "snapshots.csv"
    download(page, f"All {len(everything)} snapshots (CSV)").save_as(saved)
    assert set(pd.read_csv(saved)["snapshot_id"]) == everything


def test_a_template_is_built_when_its_button_is_clicked(served_app, sample_db, browser_page, tmp_path):
    page = browser_page
    page.goto(f"{served_app(sample_db)}/data")
    wait_for_app(page)
    page.get_by_role("tab", name="Templates and export").click()
    wait_for_app(page)
    title = next(iter(TITLES.values()))
    saved = tmp_path / "template.xlsx"
    download(page, title).save_as(saved)
    sheets = pd.read_excel(io.BytesIO(saved.read_bytes()), sheet_name=None, engine="calamine")
    assert sheets and all(len(frame.columns) for frame in sheets.values())
