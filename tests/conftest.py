"""Shared fixtures: empty and sample stores, and the app under AppTest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import store
from bench.served import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture
def empty_db(tmp_path, monkeypatch) -> Path:
    """A path to a new empty store, also set as ASSURANCE_DB for the app."""
    path = tmp_path / "empty.duckdb"
    store.connect(path).close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


@pytest.fixture
def con(tmp_path):
    connection = store.connect(tmp_path / "unit.duckdb")
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def sample_db_master(tmp_path_factory) -> Path:
    """Every sample workbook in data/samples loaded once per test session."""
    import importer

    path = tmp_path_factory.mktemp("samples") / "samples.duckdb"
    connection = store.connect(path)
    refused = [i.refusal for i in importer.import_files(connection, sorted(SAMPLES.glob("*.xlsx"))) if not i.stored]
    connection.close()
    assert not refused
    return path


@pytest.fixture
def sample_db(sample_db_master, tmp_path, monkeypatch) -> Path:
    """A private copy of the sample store, set as ASSURANCE_DB for the app."""
    path = tmp_path / "samples.duckdb"
    shutil.copy(sample_db_master, path)
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


@pytest.fixture
def sample_con(sample_db):
    connection = store.connect(sample_db)
    yield connection
    connection.close()


def run_page(page: str, timeout: float = 30, org: str | None = None):
    """Run the app with ``page`` (e.g. "pages/risks.py") selected, for ``org`` when given; returns the AppTest."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if org:
        at.query_params["org"] = org
    at.run()
    at.switch_page(page)
    at.run()
    return at


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served_app(tmp_path):
    """Serve the app with ``streamlit run`` against a given store; yields ``start(db_path) -> url``."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    processes = []

    def start(db_path: Path, extra_env: dict | None = None) -> str:
        port = _free_port()
        env = {**os.environ, "ASSURANCE_DB": str(db_path), **(extra_env or {})}
        log = (tmp_path / f"streamlit-{port}.log").open("w")
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(proc)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {(tmp_path / f'streamlit-{port}.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return url
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("streamlit did not become healthy within 60 s")

    yield start
    for proc in processes:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except Exception:
            proc.kill()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A Playwright page (1920x1080) in Debian's Chromium."""
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(90_000)  # a busy shared machine can take this long to serve a first page
    yield page
    context.close()


def wait_for_app(page) -> None:
    """Wait until the Streamlit script run has finished rendering."""
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=60_000,
    )
