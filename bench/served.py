"""Memory of the served app (``streamlit run``) while concurrent browser sessions open pages."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from bench.measure import RssSampler, tree_rss_mb

ROOT = Path(__file__).resolve().parent.parent
PAGES = (("overview", "Overview"), ("risks", "Risks"))
PAGE_TIMEOUT_MS = 240_000  # per page load and per script run: ten sessions on a shared 2-core machine took up to 117 s
# Debian's Chromium, as the browser tests launch it.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
EXCEPTION = '[data-testid="stException"]'
RUNNING = (
    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')"
)


class AppException(RuntimeError):
    """The page showed an exception instead of its content."""


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start_server(db: Path, log: Path, ready_within: float = 60) -> tuple[subprocess.Popen, str]:
    """``streamlit run`` on the store, as deployed: no file watcher, so the code measured is the code the
    server started with even when the working tree changes during the run."""
    with socket.socket() as sock:  # a port free now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "ASSURANCE_DB": str(db)}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    command += ["--server.fileWatcherType", "none"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + ready_within
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"streamlit did not become healthy within {ready_within:g} s")


def server_errors(log: str) -> list[str]:
    """The exception line of each traceback in the server's log (``ImportError: ...``)."""
    errors, in_traceback = [], False
    for line in log.splitlines():
        if line.startswith("Traceback (most recent call last):"):
            in_traceback = True
        elif in_traceback and line and not line[0].isspace():
            errors.append(line.strip())
            in_traceback = False
    return errors


async def _wait_for_page(page, title: str) -> None:
    """Until the page's heading is shown and its script run has finished; an exception fails at once."""
    await page.wait_for_selector(f'h1:has-text("{title}"), {EXCEPTION}', timeout=PAGE_TIMEOUT_MS)
    await page.wait_for_function(RUNNING, timeout=PAGE_TIMEOUT_MS)
    shown = page.locator(EXCEPTION)
    if await shown.count():
        text = (await shown.first.inner_text()).strip()
        raise AppException(text.splitlines()[0][:300] if text else "an exception without a message")


async def _session(browser, url: str, org: str) -> tuple[object, float]:
    context = await browser.new_context(viewport={"width": 1920, "height": 1080})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = await context.new_page()
    started = time.perf_counter()
    for path, title in PAGES:
        try:
            await page.goto(f"{url}/{path}?org={quote(org)}")
            await _wait_for_page(page, title)
        except Exception as exc:
            await context.close()
            raise RuntimeError(f"{org}, /{path}: {type(exc).__name__}: {str(exc)[:300]}") from exc
    return context, time.perf_counter() - started


async def _sessions(url: str, orgs: list[str], count: int) -> tuple[list[float], list[str]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            runs = await asyncio.gather(
                *(_session(browser, url, orgs[n % len(orgs)]) for n in range(count)), return_exceptions=True
            )
            opened = [r for r in runs if not isinstance(r, BaseException)]
            await asyncio.sleep(1.0)  # every session still open: the server holds all of them now
            for context, _ in opened:
                await context.close()
        finally:
            await browser.close()
    return [seconds for _, seconds in opened], [str(r) for r in runs if isinstance(r, BaseException)]


def measure(db: Path, orgs: list[str], sessions: int, scratch: Path, say=print) -> dict:
    """Peak resident memory of the server's process tree while ``sessions`` browsers open Overview then Risks.

    Each session asks for its own organisation (``?org=``), in turn from ``orgs``. A session fails when a
    page shows an exception or does not finish within ``PAGE_TIMEOUT_MS``; the failures and the exceptions
    in the server's log are returned with the figures, and the log is kept (one file per measurement)."""
    scratch.mkdir(parents=True, exist_ok=True)
    log = scratch / f"streamlit-{time.strftime('%Y%m%d-%H%M%S')}-{db.stem}.log"
    proc, url = start_server(db, log)
    try:
        idle_mb = tree_rss_mb(proc.pid)
        with RssSampler(proc.pid) as sampler:
            started = time.perf_counter()
            durations, errors = asyncio.run(_sessions(url, orgs, sessions))
            wall_s = time.perf_counter() - started
    finally:
        stop_server(proc)
    logged = server_errors(log.read_text(errors="replace"))
    say(
        f"  {sessions} sessions: peak RSS {sampler.peak:.0f} MB (idle {idle_mb:.0f} MB), "
        f"{wall_s:.1f} s" + (f", {len(errors)} failed" if errors else "")
    )
    for problem in [*errors, *(f"server: {line}" for line in logged)]:
        say(f"    {problem}")
    return {
        "sessions": sessions,
        "pages": [p for p, _ in PAGES],
        "idle_rss_mb": idle_mb,
        "peak_rss_mb": sampler.peak,
        "session_s_median": sorted(durations)[len(durations) // 2] if durations else None,
        "wall_s": wall_s,
        "errors": errors,
        "server_errors": logged,
        "log": str(log),
    }
