"""While another process holds the store (the CLI loading a workbook), the app says so in one sentence, without a
traceback, a path or a process id, and shows the page once the store is free."""

from __future__ import annotations

import subprocess
import sys

import pytest

import store
from pages.store_view import STORE_BUSY_NOTE
from tests.conftest import ROOT

HOLD_THE_LOCK = "import sys, duckdb; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); sys.stdin.read()"


@pytest.fixture
def held_store(sample_db):
    """The sample store, opened read-write by another process until the test lets go of it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(sample_db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "locked"

    def release() -> None:
        if holder.poll() is None:
            holder.stdin.close()
            holder.wait(timeout=30)

    yield sample_db, release
    release()


def shown_text(at) -> str:
    elements = [*at.main, *at.sidebar]
    texts = []
    while elements:
        element = elements.pop()
        texts.append(str(getattr(element, "value", "")))
        texts.append(str(getattr(element, "label", "")))
        elements.extend(getattr(element, "children", {}).values())
    return "\n".join(texts)


def test_a_store_held_by_another_process_gives_one_sentence_then_the_page(held_store):
    from streamlit.testing.v1 import AppTest

    path, release = held_store
    with pytest.raises(store.StoreBusy):
        store.connect(path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == [STORE_BUSY_NOTE]
    text = shown_text(at)
    for leak in (str(path), path.name, "PID", "Traceback", "lock"):
        assert leak not in text
    assert not at.title  # nothing of the page is drawn without the store

    release()
    at.run()
    assert not at.exception
    assert STORE_BUSY_NOTE not in [i.value for i in at.info]
    assert at.title and at.title[0].value.startswith("Overview")


@pytest.mark.browser
@pytest.mark.slow
def test_the_served_page_retries_by_itself_once_the_store_is_free(served_app, held_store, browser_page):
    path, release = held_store
    page = browser_page
    page.goto(f"{served_app(path)}/overview")
    page.get_by_text(STORE_BUSY_NOTE).wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.locator("body").inner_text()
    assert str(path.parent) not in body and "PID" not in body
    release()
    page.locator('[data-testid="stMain"] h1').filter(has_text="Overview").first.wait_for()
    assert page.get_by_text(STORE_BUSY_NOTE).count() == 0
