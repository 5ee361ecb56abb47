"""Every page under AppTest: a new session's first run, reruns with nothing changed, and reruns after the
organisation changes (to one not shown before, and between two already shown)."""

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
    _switch(at, org)
    at.switch_page(page)
    return at


def _timed_run(at, problems: list[str], org: str | None = None) -> float:
    """Milliseconds of a run (after switching to ``org`` when given), its exception added to ``problems``."""
    if org is not None:
        _switch(at, org)
    seconds, _ = timed(at.run)
    if at.exception:
        problems.append(str(at.exception[0].message)[:300])
    return seconds * 1000


def _switch(at, org: str) -> None:
    at.session_state["orgs"] = at.session_state["org_select"] = [org]


def measure(
    db: Path, orgs: list[str], reruns: int = 3, pages: list[str] | None = None, say=print, timeout: float = 120
) -> dict:
    """Times per page on the store ``db``; ``orgs`` are the organisations to switch between.

    Per page, with the caches emptied first: the first run; ``reruns`` reruns with nothing changed (the least a
    widget change outside a fragment costs); a switch to each other organisation not yet shown on the page (cold,
    at most ``reruns``); then ``reruns`` switches alternating between two organisations both already shown
    (``rerun_ms``, the figure the targets use)."""
    from pages import cached

    _quiet_streamlit()
    os.environ["ASSURANCE_DB"] = str(db)
    pages = pages or page_files()
    warmup_s, at = timed(lambda: _session(pages[0], orgs[0], timeout).run())
    say(f"  warm-up (imports, store connection): {warmup_s:.2f} s")
    results: dict[str, dict] = {}
    for page in pages:
        cached.clear()  # so the first run and the first organisation switch start cold
        at = _session(page, orgs[0], timeout)
        problems: list[str] = []
        first_s = _timed_run(at, problems) / 1000
        same_ms = [_timed_run(at, problems) for _ in range(reruns)]
        cold_ms = [_timed_run(at, problems, org) for org in orgs[1 : reruns + 1]]
        seen = orgs[:2]
        rerun_ms = [_timed_run(at, problems, seen[n % len(seen)]) for n in range(reruns)]
        results[page] = {
            "first_run_s": first_s,
            "same_state_ms": same_ms,
            "same_state_ms_median": median(same_ms),
            "cold_switch_ms": cold_ms,
            "cold_switch_ms_median": median(cold_ms),
            "rerun_ms": rerun_ms,
            "rerun_ms_median": median(rerun_ms),
            "exceptions": problems,
        }
        cold = median(cold_ms)
        say(
            f"  {page}: first run {first_s:.2f} s, same-state rerun {median(same_ms):.0f} ms, "
            + (f"cold switch {cold:.0f} ms, " if cold is not None else "")
            + f"warm switch median {median(rerun_ms):.0f} ms"
            + (f" ({len(problems)} exceptions)" if problems else "")
        )
    return {
        "warmup_s": warmup_s,
        "pages": results,
        "first_run_s_max": max(r["first_run_s"] for r in results.values()),
        "rerun_ms_median_max": max(r["rerun_ms_median"] for r in results.values()),
    }
