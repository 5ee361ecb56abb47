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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "ASSURANCE_DB": str(db)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
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
    raise RuntimeError("streamlit did not become healthy within 60 s")


async def _wait_for_page(page, title: str) -> None:
    await page.wait_for_selector(f'h1:has-text("{title}")', timeout=120_000)
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=120_000,
    )


async def _session(browser, url: str, org: str) -> tuple[object, float]:
    context = await browser.new_context(viewport={"width": 1920, "height": 1080})
    page = await context.new_page()
    started = time.perf_counter()
    for path, title in PAGES:
        await page.goto(f"{url}/{path}?org={quote(org)}")
        await _wait_for_page(page, title)
    return context, time.perf_counter() - started


async def _sessions(url: str, orgs: list[str], count: int) -> tuple[list[float], list[str]]:
    from playwright.async_api import async_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            runs = await asyncio.gather(
                *(_session(browser, url, orgs[n % len(orgs)]) for n in range(count)), return_exceptions=True
            )
            errors = [f"{type(r).__name__}: {str(r)[:200]}" for r in runs if isinstance(r, BaseException)]
            durations = [r[1] for r in runs if not isinstance(r, BaseException)]
            await asyncio.sleep(1.0)  # every session still open: the server holds all of them now
            for run in runs:
                if not isinstance(run, BaseException):
                    await run[0].close()
        finally:
            await browser.close()
    return durations, errors


def measure(db: Path, orgs: list[str], sessions: int, scratch: Path, say=print) -> dict:
    """Peak resident memory of the server's process tree while ``sessions`` browsers open Overview then Risks."""
    scratch.mkdir(parents=True, exist_ok=True)
    proc, url = start_server(db, scratch / "streamlit.log")
    try:
        idle_mb = tree_rss_mb(proc.pid)
        with RssSampler(proc.pid) as sampler:
            started = time.perf_counter()
            durations, errors = asyncio.run(_sessions(url, orgs, sessions))
            wall_s = time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    say(
        f"  {sessions} sessions: peak RSS {sampler.peak:.0f} MB (idle {idle_mb:.0f} MB), "
        f"{wall_s:.1f} s" + (f", {len(errors)} failed" if errors else "")
    )
    return {
        "sessions": sessions,
        "pages": [p for p, _ in PAGES],
        "idle_rss_mb": idle_mb,
        "peak_rss_mb": sampler.peak,
        "session_s_median": sorted(durations)[len(durations) // 2] if durations else None,
        "wall_s": wall_s,
        "errors": errors,
    }
