"""The served-app measurement: sessions that fail say which organisation, page and exception, at once."""

from __future__ import annotations

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import store
from bench import served

needs_chromium = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's Chromium")

STREAMLIT_LOG = """\
2026-11-23 14:56:32.966 Uvicorn server started on 127.0.0.1:43065

  URL: http://127.0.0.1:43065

2026-11-23 14:57:38.198 Uncaught app execution
Traceback (most recent call last):
  File "/app/pages/overview.py", line 13, in <module>
    from pages import common
ImportError: cannot import name 'common' from 'pages' (/app/pages/__init__.py)
2026-11-23 14:57:39.001 Uncaught app execution
Traceback (most recent call last):
  File "/app/store/db.py", line 40, in connect
    raise ValueError("first")
ValueError: first

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/app/pages/common.py", line 31, in _connection
    return store.connect(path)
store.StoreError: The store could not be opened
  Stopping...
"""


def test_each_traceback_in_the_server_log_is_reported_by_its_exception_line():
    assert served.server_errors(STREAMLIT_LOG) == [
        "ImportError: cannot import name 'common' from 'pages' (/app/pages/__init__.py)",
        "ValueError: first",
        "store.StoreError: The store could not be opened",
    ]
    assert served.server_errors("  You can now view your Streamlit app in your browser.\n  Stopping...\n") == []


class _Pages(BaseHTTPRequestHandler):
    """Stands in for the app: each path shows a heading, or the exception Streamlit shows in its place."""

    broken: set[str] = set()

    def do_GET(self):  # noqa: N802 (the handler's protocol)
        url = urlsplit(self.path)
        page = url.path.strip("/")
        org = unquote(url.query.removeprefix("org="))
        if page in self.broken:
            body = "<div data-testid=\"stException\">ImportError: cannot import name 'common' from 'pages'</div>"
        else:
            body = f"<h1>{page.title()}: {org}</h1>"
        data = f"<!doctype html><html><body>{body}</body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def pages_server():
    def start(broken: set[str]) -> str:
        handler = type("Handler", (_Pages,), {"broken": broken})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    servers: list[ThreadingHTTPServer] = []
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@needs_chromium
@pytest.mark.browser
def test_a_page_showing_an_exception_fails_its_session_with_the_organisation_page_and_exception(pages_server):
    url = pages_server({"risks"})
    durations, errors = asyncio.run(served._sessions(url, ["Brackenford CCG", "Elmstead Cross & Vale"], 3))
    assert durations == []
    assert sorted(errors) == sorted(
        f"{org}, /risks: AppException: ImportError: cannot import name 'common' from 'pages'"
        for org in ["Brackenford CCG", "Elmstead Cross & Vale", "Brackenford CCG"]
    )


@needs_chromium
@pytest.mark.browser
def test_sessions_that_reach_every_heading_have_no_errors(pages_server):
    url = pages_server(set())
    durations, errors = asyncio.run(served._sessions(url, ["Elmstead Cross & Vale"], 2))
    assert errors == [] and len(durations) == 2


@needs_chromium
@pytest.mark.browser
@pytest.mark.slow
def test_concurrent_deep_links_to_a_new_server_all_reach_their_pages(tmp_path):
    """Three sessions open /overview at once on a new server, so their first script runs overlap the first
    import of the pages' shared module."""
    from bench import national, workload
    from data.demo.generate import Sizes

    paths = workload.workbooks(workload.Workload(2, 1, 10, sizes=Sizes(2, 3, 2, 2, 1)), tmp_path, say=lambda _: None)
    ingest = national.ingest_all(paths, tmp_path / "s.duckdb", [2], tmp_path, say=lambda _: None)
    con = store.connect(ingest["store"], read_only=True)
    orgs = list(store.organisations(con)["name"])
    con.close()
    said: list[str] = []
    figures = served.measure(Path(ingest["store"]), orgs, 3, tmp_path / "served", said.append)
    assert figures["errors"] == [] and figures["server_errors"] == [], said
    assert len(said) == 1 and "failed" not in said[0]
    assert "Uvicorn server started" in Path(figures["log"]).read_text()
