"""Interactive speed in Chromium: each page from its link until settled, and five interactions until settled.

    python -m bench.browser STORE [--repeats N]

"Settled" is read from the page itself. A script in the page counts the app's script runs from the websocket
(``new_session`` starts a run, ``script_finished`` ends it, unless it ended early for a rerun), and the page is
settled when a run started after the action has finished, no run is under way, no element is marked stale
(``[data-stale="true"]``), every Plotly chart element holds its drawn ``.js-plotly-plot .main-svg``, and all this
holds on two successive animation frames (the frame after the last message has been rendered). Streamlit's status
widget is not used: it shows its running icon only after a run has lasted 500 ms, so shorter runs never show it.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

import store
from bench import report
from bench.measure import median, rounded
from bench.served import CHROMIUM, CHROMIUM_ARGS, EXCEPTION, server_errors, start_server, stop_server

PAGES = (
    ("overview", "Overview"),
    ("risks", "Risks"),
    ("qipp", "QIPP"),
    ("finance", "Finance"),
    ("activity", "Activity"),
    ("improvement", "Improvement plan"),
    ("data", "Data"),
)
TIMEOUT_MS = 30_000  # per wait; a failed wait is recorded as a failed sample
WARM_UP_ROUNDS = 2  # untimed rounds of each interaction, one per value, before the timed ones
VIEWPORT = {"width": 1920, "height": 1080}

# Counts script runs from the app's websocket messages (ForwardMsg: field 4 new_session, field 6 script_finished,
# whose value 2 is FINISHED_EARLY_FOR_RERUN). ``finished`` is the number of runs started when a run last finished.
RUN_COUNTER = """(() => {
  const state = window.__runs = {started: 0, finished: 0};
  const varint = (bytes, at) => {
    let value = 0, shift = 0, byte;
    do { byte = bytes[at.i++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return value;
  };
  const read = (buffer) => {
    const bytes = new Uint8Array(buffer), at = {i: 0};
    while (at.i < bytes.length) {
      const tag = varint(bytes, at), field = Math.floor(tag / 8), wire = tag & 7;
      let value = null;
      if (wire === 0) value = varint(bytes, at);
      else if (wire === 2) { const length = varint(bytes, at); at.i += length; }
      else if (wire === 1) at.i += 8;
      else if (wire === 5) at.i += 4;
      else return;
      if (field === 4) state.started += 1;
      if (field === 6 && value !== 2) { state.finished = state.started; state.finishedAt = performance.now(); }
    }
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (event.data instanceof ArrayBuffer) read(event.data);
        else if (event.data instanceof Blob) event.data.arrayBuffer().then(read);
      });
    }
  };
})();"""

SETTLED = """(since) => {
  const runs = window.__runs;
  if (!runs) return false;
  const quiet = runs.finished > since && runs.finished === runs.started
    && !document.querySelector('[data-stale="true"]')
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
         .every((chart) => chart.querySelector('.js-plotly-plot .main-svg'));
  const failed = document.querySelector('[data-testid="stException"]') !== null && runs.finished > since;
  runs.frames = quiet ? (runs.frames || 0) + 1 : 0;
  return failed || runs.frames >= 2;
}"""


class Unsettled(RuntimeError):
    """The page did not settle, or settled showing an exception."""


def percentile(values: list[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100), linear between the nearest ranks (as numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(samples_ms: list[float], failures: list[str]) -> dict:
    return {
        "samples_ms": [round(s, 1) for s in samples_ms],
        "median_ms": rounded(median(samples_ms)),
        "p95_ms": rounded(percentile(samples_ms, 95)),
        "failures": failures,
    }


def runs_started(page) -> int:
    return page.evaluate("() => window.__runs ? window.__runs.started : 0")


def settled(page, since: int = 0) -> None:
    """Wait until a script run that started after run number ``since`` has finished and the page is drawn.

    After a navigation ``since`` is 0 (the counter starts with the new document); after an action it is
    ``runs_started(page)`` read just before the action, so a run still finishing from before does not count."""
    page.evaluate("() => { if (window.__runs) window.__runs.frames = 0; }")
    try:
        page.wait_for_function(SETTLED, arg=since, timeout=TIMEOUT_MS, polling="raf")
    except Exception as exc:
        raise Unsettled(f"not settled within {TIMEOUT_MS / 1000:.0f} s: {_state(page)}") from exc
    shown = page.locator(EXCEPTION)
    if shown.count():
        text = shown.first.inner_text().strip()
        raise Unsettled(f"exception: {text.splitlines()[0][:300] if text else 'without a message'}")


def _state(page) -> str:
    try:
        return page.evaluate(
            """() => JSON.stringify({runs: window.__runs,
                stale: document.querySelectorAll('[data-stale="true"]').length,
                charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
                drawn: document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg').length})"""
        )
    except Exception as exc:  # the page itself is gone
        return f"page unreadable ({type(exc).__name__})"


class Timing(NamedTuple):
    ms: float  # from the action until settled
    script_ms: float  # from the action until the last script run's end reached the page (the page's clock)


def timed(page, action: Callable[[], None], then: Callable[[], None] | None = None) -> Timing:
    """From ``action`` until settled (after ``then`` too, when given: a second action once the first has settled)."""
    since, page_started = page.evaluate("() => [window.__runs.started, performance.now()]")
    started = time.perf_counter()
    action()
    settled(page, since)
    if then is not None:
        since = runs_started(page)
        then()
        settled(page, since)
    elapsed = (time.perf_counter() - started) * 1000
    return Timing(elapsed, page.evaluate("() => window.__runs.finishedAt") - page_started)


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"


class Session:
    """One browser page against the served app, for the two organisations measured."""

    def __init__(self, page, url: str, orgs: list[str], months: list[str]):
        self.page, self.url, self.orgs, self.months = page, url, orgs, months
        self.last_runs = 0  # script runs started by the last navigation (one ended early for a rerun counts)
        self.last_finished_ms = 0.0  # when its last run finished, from the navigation's start (the page's clock)

    def open(self, path: str, org: str) -> float:
        started = time.perf_counter()
        self.page.goto(f"{self.url}/{path}?{urlencode({'org': org})}", timeout=TIMEOUT_MS)
        settled(self.page)
        elapsed = (time.perf_counter() - started) * 1000
        self.last_runs, self.last_finished_ms = self.page.evaluate(
            "() => [window.__runs.started, window.__runs.finishedAt]"
        )
        return elapsed

    def query(self, name: str) -> list[str]:
        return self.page.evaluate("(name) => new URLSearchParams(location.search).getAll(name)", name)

    def expect(self, name: str, wanted: list[str] | None, before: list[str] | None = None) -> None:
        """The URL's ``name`` is now ``wanted`` (or, without it, no longer ``before``): the step changed the view."""
        now = self.query(name)
        if (wanted is not None and now != wanted) or (wanted is None and now == before):
            raise Unsettled(f"the URL's {name} is {now}, not {wanted if wanted is not None else 'changed'}")

    # The timed steps of each interaction: ``n`` counts the steps since its page was opened, and even and odd
    # steps choose its two values in turn.
    def qipp_filter(self, n: int) -> Timing:
        box = self.page.locator(".st-key-qipp_f_stages")
        if n % 2 == 0:
            box.get_by_role("combobox").click()
            options = self.page.get_by_role("option").all_inner_texts()
            self.page.keyboard.press("Escape")
            if len(options) < 2:
                raise Unsettled(f"the Stage filter offers {len(options)} options")
            option = options[1].strip()
            self._type(box, option)
            elapsed = timed(self.page, lambda: self.page.keyboard.press("Enter"))
            self.page.keyboard.press("Escape")  # the list stays open after a choice
            self.expect("stage", [option.split()[0]])
            return elapsed
        elapsed = timed(self.page, lambda: box.get_by_role("button", name=re.compile("^Remove ")).first.click())
        self.expect("stage", [])
        return elapsed

    def _type(self, box, text: str) -> None:
        """Narrow the list to ``text`` by typing it (long lists redraw while settling, so no option is clicked)."""
        box.get_by_role("combobox").click()
        self.page.keyboard.type(text)
        self.page.get_by_role("option", name=text).first.wait_for(timeout=TIMEOUT_MS)

    def _type_and_enter(self, box, text: str) -> None:
        self._type(box, text)
        self.page.keyboard.press("Enter")

    def qipp_chart_click(self, n: int) -> Timing:
        plot = self.page.locator(".st-key-qipp_stage_chart .js-plotly-plot").first
        plot.scroll_into_view_if_needed()
        bars = plot.locator(".trace").first.locator(".point")
        tall = [i for i in range(bars.count()) if (bars.nth(i).bounding_box() or {}).get("height", 0) > 2]
        if len(tall) < 2:
            raise Unsettled(f"the stage chart has {len(tall)} bars to click")
        index = tall[n % 2]
        stage = plot.evaluate("(g, i) => String(g.data[0].x[i]).split(' ')[0]", index)
        box = bars.nth(index).bounding_box()
        elapsed = timed(
            self.page, lambda: self.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        )
        self.expect("stage", [stage])
        since = runs_started(self.page)
        self.page.get_by_role("button", name="Clear filters").click()
        settled(self.page, since)
        return elapsed

    def risk_stage(self, n: int) -> Timing:
        choice = ("Target", "Current")[n % 2]
        radio = self.page.locator(".st-key-risk_view")
        elapsed = timed(self.page, lambda: radio.get_by_text(choice, exact=True).click())
        self.expect("view", [choice])
        return elapsed

    def finance_month(self, n: int) -> Timing:
        before = self.query("month")
        self._type(self.page.locator(".st-key-fin_month"), self.months[-2:][n % 2])
        elapsed = timed(self.page, lambda: self.page.keyboard.press("Enter"))
        self.expect("month", None, before)
        return elapsed

    def organisation(self, n: int) -> Timing:
        """Remove the organisation shown, then choose the other: two runs, timed from the first click to the
        second run settled."""
        other = self.orgs[(n + 1) % 2]
        box = self.page.locator(".st-key-org_select")
        elapsed = timed(
            self.page,
            lambda: box.get_by_role("button", name=re.compile("^Remove ")).first.click(),
            lambda: self._type_and_enter(box, other),
        )
        self.page.keyboard.press("Escape")  # the list stays open after a choice
        self.expect("org", [other])
        return elapsed


# Each interaction (a method of Session) and the page it runs on, in the order they are measured.
INTERACTION_PAGES = {
    "qipp_filter": "qipp",
    "qipp_chart_click": "qipp",
    "risk_stage": "risks",
    "finance_month": "finance",
    "organisation": "overview",
}


def organisation_names(db: Path) -> list[str]:
    with store.connect(db, read_only=True) as con:
        return list(store.organisations(con)["name"])


def _choose_orgs(db: Path, orgs: list[str]) -> tuple[list[str], list[str]]:
    """Two organisations with QIPP schemes and at least two finance months (the first two, if fewer have), and
    the first one's finance month labels."""
    from store import finance, qipp

    with store.connect(db, read_only=True) as con:
        full = [o for o in orgs if qipp.scheme_dates(con, o) and len(finance.months(con, o)) >= 2]
        chosen = (full if len(full) >= 2 else list(orgs))[:2]
        if len(chosen) < 2:
            raise ValueError(f"the store needs two organisations, it has {len(chosen)}")
        return chosen, list(finance.months(con, chosen[0])["label"])


def _measure_in_browser(url: str, orgs, months, repeats: int, say) -> dict:
    from playwright.sync_api import sync_playwright

    pages: dict[str, dict] = {}
    interactions: dict[str, dict] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=VIEWPORT)
            context.add_init_script(RUN_COUNTER)
            context.set_default_timeout(TIMEOUT_MS)
            session = Session(context.new_page(), url, orgs, months)
            warm: list[str] = []
            for path, _ in PAGES:
                for org in orgs:
                    try:
                        session.open(path, org)
                    except Exception as exc:
                        warm.append(f"{path} ({org}): {_error(exc)}")
            say("  warmed up: each page opened once for each organisation" + (f"; {warm}" if warm else ""))
            for path, title in PAGES:
                samples, failures, runs, finished = [], [], [], []
                for n in range(repeats):
                    try:
                        samples.append(session.open(path, orgs[n % 2]))
                        runs.append(session.last_runs)
                        finished.append(session.last_finished_ms)
                    except Exception as exc:
                        failures.append(f"repeat {n + 1}: {_error(exc)}")
                pages[path] = {
                    "title": title,
                    **summary(samples, failures),
                    "script_runs": runs,
                    "script_finished_ms_median": rounded(median(finished)),
                }
                say(_line(title, pages[path]))
            for name in INTERACTION_PAGES:
                interactions[name] = _interaction(session, name, repeats)
                say(_line(name, interactions[name]))
        finally:
            browser.close()
    return {"pages": pages, "interactions": interactions}


def _interaction(session: Session, name: str, repeats: int) -> dict:
    """``WARM_UP_ROUNDS`` untimed steps, then ``repeats`` timed ones; a failed step is recorded and the page
    reopened (a new session) before the next."""
    step = getattr(session, name)
    path = INTERACTION_PAGES[name]
    samples, failures, script = [], [], []
    phase = None  # steps since the page was opened: even and odd steps choose the two values in turn
    for n in range(WARM_UP_ROUNDS + repeats):
        try:
            if phase is None:
                session.open(path, session.orgs[0])
                phase = 0
            elapsed = step(phase)
            phase += 1
            if n >= WARM_UP_ROUNDS:
                samples.append(elapsed.ms)
                script.append(elapsed.script_ms)
        except Exception as exc:
            which = f"repeat {n - WARM_UP_ROUNDS + 1}" if n >= WARM_UP_ROUNDS else f"warm-up {n + 1}"
            failures.append(f"{which}: {_error(exc)}")
            phase = None
    return {**summary(samples, failures), "script_finished_ms_median": rounded(median(script))}


def _line(name: str, figures: dict) -> str:
    failed = f", {len(figures['failures'])} failed" if figures["failures"] else ""
    median_ms, p95_ms = (report._fmt(figures[key], digits=0) for key in ("median_ms", "p95_ms"))
    return f"  {name}: median {median_ms} ms, p95 {p95_ms} ms{failed}"


def measure(db: Path, orgs: list[str], repeats: int, scratch: Path, say=print) -> dict:
    """Serve a copy of the store with ``streamlit run`` and measure, in one Chromium context at 1920x1080, each
    page's navigation until settled and each interaction until settled, ``repeats`` times each.

    Warm: every page is opened once per organisation before timing, and each interaction runs
    ``WARM_UP_ROUNDS`` untimed steps; so the figures are of a warm server (the pages compiled, caches filled) and
    a warm browser (scripts cached), as a person sees them after the first minute."""
    scratch.mkdir(parents=True, exist_ok=True)
    served = scratch / "browser.duckdb"
    shutil.copy(db, served)
    wal, served_wal = Path(f"{db}.wal"), Path(f"{served}.wal")
    served_wal.unlink(missing_ok=True)  # a log left by an earlier measurement must not be replayed into this copy
    if wal.exists():
        shutil.copy(wal, served_wal)
    chosen, months = _choose_orgs(served, orgs)
    log = scratch / f"streamlit-browser-{time.strftime('%Y%m%d-%H%M%S')}.log"
    say(f"  organisations {chosen[0]} and {chosen[1]}, {repeats} repeats, viewport 1920x1080")
    proc, url = start_server(served, log)
    started = time.perf_counter()
    try:
        figures = _measure_in_browser(url, chosen, months, repeats, say)
    finally:
        stop_server(proc)
    interaction_samples = [s for f in figures["interactions"].values() for s in f["samples_ms"]]
    page_samples = [s for f in figures["pages"].values() for s in f["samples_ms"]]
    failures = sum(len(f["failures"]) for group in figures.values() for f in group.values())
    return {
        "repeats": repeats,
        "orgs": chosen,
        "warm": "pages opened once per organisation and interactions run untimed twice before timing",
        **figures,
        "interaction_ms_median": rounded(median(interaction_samples)),
        "interaction_ms_p95": rounded(percentile(interaction_samples, 95)),
        "page_settled_s_median": round(median(page_samples) / 1000, 3) if page_samples else None,
        "failures": failures,
        "wall_s": round(time.perf_counter() - started, 1),
        "server_errors": server_errors(log.read_text(errors="replace")),
        "log": str(log),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, help="the store (a copy is served)")
    parser.add_argument("--repeats", type=int, default=10, help="timed repeats of each page and interaction")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/bench-browser"), help="the copy and the log")
    args = parser.parse_args(argv)
    figures = measure(
        args.store, organisation_names(args.store), args.repeats, args.scratch, say=lambda text: print(text, flush=True)
    )
    print(report.browser_table(figures))
    brief = {
        group: {name: {m: f[m] for m in ("median_ms", "p95_ms")} for name, f in figures[group].items()}
        for group in ("pages", "interactions")
    }
    print(json.dumps({k: v for k, v in figures.items() if k not in brief} | brief))
    return 0


if __name__ == "__main__":
    sys.exit(main())
