"""Twenty sessions read the served app while a workbook is stored through the Data page: no errors, and
every Overview shows one state of the store, before the upload or after it, never a mix."""

from __future__ import annotations

import re
import shutil
from urllib.parse import quote

import pytest

import loaders
import store
from data.demo import generate
from tests.conftest import run_page, wait_for_app

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ORG = "Eastfield CCG"
READERS = 20
AS_AT = re.compile(r"As at \d{2} \w{3} \d{4}(?:; compared with \d{2} \w{3} \d{4})?\.")
LOG_PROBLEMS = re.compile(r"Traceback|Exception|Error", re.IGNORECASE)


def load(db, *workbooks) -> None:
    con = store.connect(db)
    for workbook in workbooks:
        store.ingest(con, loaders.load_workbook(workbook.read_bytes(), workbook.name))
    con.close()


def overview_dates(db, monkeypatch) -> list[str]:
    """The Overview's 'As at ...' lines for a store, as AppTest renders them."""
    monkeypatch.setenv("ASSURANCE_DB", str(db))
    at = run_page("pages/overview.py")
    assert not at.exception
    return sorted(c.value for c in at.caption if AS_AT.fullmatch(c.value))


@pytest.fixture
def workbooks(tmp_path):
    """The synthetic organisations' April and May 2018 workbooks."""
    paths = generate.generate(tmp_path / "workbooks", orgs=3, months=2, seed=1)
    by_name = {p.name: p for p in paths}
    return by_name["eastfield-ccg_2018-04-30.xlsx"], by_name["eastfield-ccg_2018-05-31.xlsx"]


@pytest.fixture
def states(tmp_path, monkeypatch, workbooks):
    """A store with the April workbook, and the Overview's dates before and after May's is stored."""
    april, may = workbooks
    before, after, served = tmp_path / "before.duckdb", tmp_path / "after.duckdb", tmp_path / "served.duckdb"
    load(before, april)
    shutil.copy(before, served)  # the app's own file, never opened by this process
    load(after, april, may)
    expected = {"before": overview_dates(before, monkeypatch), "after": overview_dates(after, monkeypatch)}
    assert expected["before"] != expected["after"] and len(expected["before"]) >= 4
    return served, expected


def shown_dates(page) -> list[str]:
    wait_for_app(page)
    captions = page.locator('[data-testid="stCaptionContainer"]').all_inner_texts()
    return sorted(c.strip() for c in captions if AS_AT.fullmatch(c.strip()))


def overview_ready(page, expected_count: int) -> None:
    page.wait_for_function(
        """(n) => [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
            .filter(c => /^As at /.test(c.innerText.trim())).length >= n""",
        arg=expected_count,
        timeout=180_000,
    )


def test_twenty_readers_while_an_upload_is_stored(served_app, states, workbooks, chromium, tmp_path):
    db, expected = states
    upload = workbooks[1]
    url = served_app(db)
    overview = f"{url}/overview?org={quote(ORG)}"
    contexts = [chromium.new_context(viewport={"width": 1280, "height": 900}) for _ in range(READERS + 1)]
    try:
        readers = [c.new_page() for c in contexts[:READERS]]
        for page in readers:
            page.set_default_timeout(180_000)
            page.goto(overview, wait_until="commit")
        uploader = contexts[READERS].new_page()
        uploader.set_default_timeout(180_000)
        uploader.goto(f"{url}/data?tab=Upload")
        uploader.get_by_text("Upload the workbooks as you keep them").wait_for()
        uploader.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
        uploader.get_by_role("button", name=f"Store {upload.name}").click()
        for page in readers[: READERS // 2]:  # half read again while the store is being written
            page.goto(overview, wait_until="commit")
        seen = []
        for page in readers:
            overview_ready(page, len(expected["before"]))
            seen.append(shown_dates(page))
        uploader.get_by_text(re.compile("stored as new snapshot")).first.wait_for()
        for page in readers[READERS // 2 :]:
            page.goto(overview, wait_until="commit")
        for page in readers[READERS // 2 :]:
            overview_ready(page, len(expected["after"]))
            dates = shown_dates(page)
            assert dates == expected["after"], dates  # stored means shown to the next reader
            seen.append(dates)
        for page in [*readers, uploader]:
            assert page.locator('[data-testid="stException"]').count() == 0
            assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    finally:
        for context in contexts:
            context.close()
    for dates in seen:
        assert dates in (expected["before"], expected["after"]), dates  # one state per page, never a mix
    port = url.rsplit(":", 1)[1]
    log = (tmp_path / f"streamlit-{port}.log").read_text()
    assert not LOG_PROBLEMS.search(log), log[-3000:]
