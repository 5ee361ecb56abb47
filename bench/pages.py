"""Every page under AppTest: a new session's first run, then reruns after the organisation changes."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from bench.measure import median, timed

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"


def page_files() -> list[str]:
    """The pages in app.py's navigation, in its order."""
    return re.findall(r'st\.Page\(\s*"(pages/[^"]+\.py)"', APP.read_text())


def _quiet_streamlit() -> None:
    """AppTest runs scripts outside a server; Streamlit's warnings about that are noise here."""
    import streamlit.runtime.scriptrunner_utils.script_run_context as context

    logging.getLogger(context.__name__).addFilter(lambda record: "missing ScriptRunContext" not in record.getMessage())


def _session(page: str, org: str, timeout: float):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.session_state["orgs"] = at.session_state["org_select"] = [org]
    at.switch_page(page)
    return at


def _problem(at) -> str | None:
    if at.exception:
        return str(at.exception[0].message)[:300]
    return None


def measure(
    db: Path, orgs: list[str], reruns: int = 3, pages: list[str] | None = None, say=print, timeout: float = 120
) -> dict:
    """Times per page on the store ``db``; ``orgs`` are the organisations to switch between."""
    _quiet_streamlit()
    os.environ["ASSURANCE_DB"] = str(db)
    pages = pages or page_files()
    warmup_s, at = timed(lambda: _session(pages[0], orgs[0], timeout).run())
    say(f"  warm-up (imports, store connection): {warmup_s:.2f} s")
    results: dict[str, dict] = {}
    for page in pages:
        at = _session(page, orgs[0], timeout)
        first_s, _ = timed(at.run)
        problems = [p for p in [_problem(at)] if p]
        rerun_ms = []
        for n in range(reruns):
            org = orgs[(n + 1) % len(orgs)]
            at.session_state["orgs"] = at.session_state["org_select"] = [org]
            seconds, _ = timed(at.run)
            rerun_ms.append(seconds * 1000)
            problems += [p for p in [_problem(at)] if p]
        results[page] = {
            "first_run_s": first_s,
            "rerun_ms": rerun_ms,
            "rerun_ms_median": median(rerun_ms),
            "exceptions": problems,
        }
        say(
            f"  {page}: first run {first_s:.2f} s, rerun median {median(rerun_ms):.0f} ms"
            + (f" ({len(problems)} exceptions)" if problems else "")
        )
    return {
        "warmup_s": warmup_s,
        "pages": results,
        "first_run_s_max": max(r["first_run_s"] for r in results.values()),
        "rerun_ms_median_max": max(r["rerun_ms_median"] for r in results.values()),
    }
