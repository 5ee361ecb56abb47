"""Shared fixtures: empty and sample stores, and the app under AppTest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import store

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
    import loaders

    path = tmp_path_factory.mktemp("samples") / "samples.duckdb"
    connection = store.connect(path)
    for workbook in sorted(SAMPLES.glob("*.xlsx")):
        result = loaders.load_workbook(workbook.read_bytes(), workbook.name)
        store.ingest(connection, result)
    connection.close()
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


def run_page(page: str, timeout: float = 30):
    """Run the app with ``page`` (e.g. "pages/risks.py") selected; returns the AppTest."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.run()
    at.switch_page(page)
    at.run()
    return at
