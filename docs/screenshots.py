"""Screenshots of the main pages for the README: the app served on a store of the sample and demo workbooks,
driven in Chromium; each page at 1920x1080, and in presentation view at 1366x768, written to docs/.

    .venv/bin/python -m docs.screenshots [--db PATH] [--org NAME]      (or: make screenshots)

Without --db a store is built in a temporary folder from data/samples and the synthetic demo workbooks. The pages
show one organisation: by default a synthetic demo one, whose months of history fill the trends and SPC."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote_plus

from bench.served import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = ("overview", "risks", "qipp", "finance", "activity", "improvement")
DATA_PAGE = "data"  # not in presentation view, which steps through the story pages only
NORMAL = {"width": 1920, "height": 1080}
PRESENTATION = {"width": 1366, "height": 768}
DRAWN = """() => !document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]')"""
DEMO_ORG = "Northmoor ICB"


def build_store(folder: Path) -> Path:
    db = folder / "screenshots.duckdb"
    subprocess.run([sys.executable, "-m", "data.load_if_empty", "--db", str(db)], cwd=ROOT, check=True)
    return db


def shoot(url: str, out: Path, org: str) -> None:
    from playwright.sync_api import sync_playwright

    from tests.test_browser_sweep import settle

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        who = f"org={quote_plus(org)}"
        for suffix, viewport, query in (("", NORMAL, f"?{who}"), ("-presentation", PRESENTATION, f"?{who}&present=1")):
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            page.set_default_timeout(120_000)
            for name in PAGES if suffix else (*PAGES, DATA_PAGE):
                page.goto(f"{url}/{name}{query}")
                page.locator("h1").first.wait_for()
                settle(page)
                page.wait_for_function(DRAWN)  # no placeholder left where a chart or figure is still coming
                settle(page)
                path = out / f"{name}{suffix}.png"
                page.screenshot(path=path)
                print(f"wrote {path}", flush=True)
            context.close()
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="a store to show (default: one built from the sample and demo data)")
    parser.add_argument("--out", type=Path, default=DOCS, help="where the PNGs go (default: docs/)")
    parser.add_argument("--org", default=DEMO_ORG, help=f"the organisation shown (default: {DEMO_ORG})")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or build_store(Path(folder))
        proc, url = start_server(db, Path(folder) / "streamlit.log", ready_within=90)
        try:
            shoot(url, args.out, args.org)
        finally:
            stop_server(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
