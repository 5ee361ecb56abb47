"""Text from a workbook is shown as written, never run as HTML, script or markdown, on every page in a real
browser; and an uploaded file's name is never used as a path."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from openpyxl import Workbook

import loaders
import store
from loaders.records import Dataset, Issue, WorkbookResult
from tests.conftest import ROOT, run_page, wait_for_app

SCRIPT = "<script>window.__pwned=1</script>"
IMG = "<img src=x onerror=window.__pwned=2>"
BOLD = "**bold**"
LINK = "[link](javascript:window.__pwned=3)"
FORMULA = '=HYPERLINK("http://evil.example/","click")'
ORG = f"Hostile {BOLD} CCG {IMG}"
PAYLOADS = [SCRIPT, IMG, BOLD, LINK, FORMULA]
PAGES = ["overview", "risks", "qipp", "finance", "activity", "improvement", "data"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text_row(sheet, values: list) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # "=HYPERLINK(...)" is text the user typed, not a formula


def hostile_workbook() -> bytes:
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["Organisation:", ORG])
    cover.append(["As at:", date(2019, 3, 28)])
    risks = book.create_sheet("Risk register")
    risks.append(["Risk ID", "Risk title", "Owner", "Likelihood", "Consequence", "Current score", "Last reviewed"])
    for n, text in enumerate(PAYLOADS, 1):
        _text_row(risks, [f"R{n} {text}" if n > 2 else text, f"Risk {text}", f"Owner {text}", 3, n, 3 * n,
                          date(2019, 1, 23)])  # fmt: skip
    schemes = book.create_sheet("QIPP tracker")
    schemes.append(["Ref", "Scheme", "Area", "Stage", "RAG", "Net value £'000", "Lead"])
    for n, text in enumerate(PAYLOADS, 1):
        _text_row(schemes, [f"Q{n} {text}", f"Scheme {text}", f"Area {text}", "3 - Delivery", "Amber", 100 * n,
                            f"Lead {text}"])  # fmt: skip
    actions = book.create_sheet("Actions")
    actions.append(["Ref", "Area", "Action", "Owner", "Due date", "RAG", "Status"])
    for n, text in enumerate(PAYLOADS, 1):
        _text_row(actions, [f"A{n}", f"Area {text}", f"Action {text}", f"Owner {text}", date(2019, 4, 30), "Red",
                            f"Status {text}"])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def hostile_result() -> WorkbookResult:
    """The payloads exactly as written, straight to the store: the pages must be safe whatever a loader keeps."""

    def source(n: int) -> dict:
        return {"sheet": "Register", "row": n + 1}

    risks = [
        {"ref": text if n < 3 else f"R{n} {text}", "title": f"Risk {text}", "owner": f"Owner {text}",
         "objective": f"Objective {text}", "scale": "5x5", "initial_likelihood": 4, "initial_consequence": 4,
         "initial_score": 16, "current_likelihood": 3, "current_consequence": n, "current_score": 3 * n,
         "target_likelihood": 1, "target_consequence": n, "target_score": n, "last_reviewed": "2019-01-23",
         "status": f"Open {text}", "source": source(n)}
        for n, text in enumerate(PAYLOADS, 1)
    ]  # fmt: skip
    schemes = [
        {"ref": f"Q{n} {text}", "name": f"Scheme {text}", "area": f"Area {text}", "stage": n % 6, "rag": "amber",
         "value": 100.0 * n, "risk_adjusted_value": None, "lead": f"Lead {text}", "recurrent": True,
         "source": source(n)}
        for n, text in enumerate(PAYLOADS, 1)
    ]  # fmt: skip
    targets = [{"area": f"Area {text}", "target": 500.0, "source": source(n)} for n, text in enumerate(PAYLOADS, 1)]
    actions = [
        {"ref": f"A{n} {text}", "area": f"Area {text}", "action": f"Action {text}", "owner": f"Owner {text}",
         "due_text": f"30/04/2019 {text}", "due_date": "2019-04-30", "rag_label": f"Red {text}", "rag": "red",
         "status": f"Status {text}", "updated": None, "source": source(n)}
        for n, text in enumerate(PAYLOADS, 1)
    ]  # fmt: skip
    finance = [
        {"line": f"Line {text}", "ytd_budget": 100.0 * n, "ytd_actual": 100.0 * n + (-1) ** n * 7,
         "ytd_variance": -((-1) ** n) * 7.0, "annual_budget": 400.0 * n, "forecast_outturn": 400.0 * n - n,
         "forecast_variance": float(n), "is_total": False, "financial_year": "2018/19", "month": 12,
         "source": source(n)}
        for n, text in enumerate(PAYLOADS, 1)
    ]  # fmt: skip
    activity = [
        {"code": f"C{n} {text}", "title": f"Activity {text}", "month": f"2018-{m:02d}-01", "plan": 100.0 + m,
         "actual": 98.0 + m * n % 7, "source": source(n * 20 + m)}
        for n, text in enumerate(PAYLOADS, 1)
        for m in range(4, 13)
    ]  # fmt: skip
    issue = Issue("warning", "unknown_rag", f"'{SCRIPT}'!B2", f"RAG {SCRIPT} {LINK} is not a RAG word.")
    return WorkbookResult(
        file=f"hostile {SCRIPT}.xlsx", sha256="hostile-text", org=ORG, as_at="2019-03-28",
        datasets=[
            Dataset("risks", "Register", 1, risks, [issue]),
            Dataset("qipp_schemes", "Schemes", 1, schemes),
            Dataset("qipp_targets", "Targets", 1, targets),
            Dataset("actions", "Actions", 1, actions),
            Dataset("finance_lines", "Month 12", 1, finance, financial_year="2018/19"),
            Dataset("activity", "Activity", 1, activity),
        ],
    )  # fmt: skip


@pytest.fixture
def hostile_db(tmp_path) -> Path:
    path = tmp_path / "hostile.duckdb"
    con = store.connect(path)
    store.ingest(con, hostile_result())
    workbook = loaders.load_workbook(hostile_workbook(), "hostile.xlsx")  # and what the loaders keep of the file
    store.ingest(con, workbook, allow_errors=True)
    assert set(store.organisations(con)["name"]) >= {ORG}
    con.close()
    return path


def test_stored_text_is_exactly_as_written(hostile_db):
    con = store.connect(hostile_db)
    try:
        titles = store.current_records(con, "risks", ORG)["title"].tolist()
    finally:
        con.close()
    assert sorted(titles) == sorted(f"Risk {t}" for t in PAYLOADS)


def test_the_loaders_keep_markdown_and_formula_text_as_text():
    result = loaders.load_workbook(hostile_workbook(), "hostile.xlsx")
    risks = next(d for d in result.datasets if d.kind == "risks")
    titles = [r["title"] for r in risks.records]
    for text in (BOLD, LINK, FORMULA):
        assert f"Risk {text}" in titles
    assert all("<script" not in (t or "") and "onerror" not in (t or "") for t in titles)


DOM_CHECK = """() => ({
  pwned: typeof window.__pwned,
  scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('__pwned')).length,
  imgs: [...document.querySelectorAll('img')].filter(i => i.hasAttribute('onerror')
      || (i.getAttribute('src') || '') === 'x').length,
  links: [...document.querySelectorAll('a')].filter(a => (a.getAttribute('href') || '').toLowerCase()
      .replace(/\\s/g, '').startsWith('javascript:')).length,
  bold: [...document.querySelectorAll('strong, b')].filter(b => b.textContent.trim() === 'bold').length,
  text: document.body.innerText,
})"""


CHART_PAGES = {"qipp", "finance", "activity", "improvement"}
SVG_HAS_SCRIPT_TEXT = """(script) => [...document.querySelectorAll('svg text, svg tspan')]
  .some(t => t.textContent.includes(script))"""


@pytest.mark.browser
@pytest.mark.slow
def test_every_page_shows_hostile_text_literally(served_app, hostile_db, browser_page):
    url = served_app(hostile_db)
    page = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for name in PAGES:
        page.goto(f"{url}/{name}?org={quote(ORG)}")
        page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
        wait_for_app(page)
        page.wait_for_timeout(500)  # let late-rendering elements (charts, tables) attach
        wait_for_app(page)
        found = page.evaluate(DOM_CHECK)
        assert found["pwned"] == "undefined", name
        assert (found["scripts"], found["imgs"], found["links"], found["bold"]) == (0, 0, 0, 0), (name, found)
        assert page.locator('[data-testid="stException"]').count() == 0, name
        if name != "data":
            assert ORG in found["text"], (name, found["text"][:500])  # the organisation, as written
        if name in CHART_PAGES:  # chart labels show the text as written, tags and all
            page.wait_for_function(SVG_HAS_SCRIPT_TEXT, arg=SCRIPT, timeout=30_000)
    assert dialogs == []


def test_an_upload_name_is_never_a_path(empty_db, tmp_path, monkeypatch):
    working = tmp_path / "a" / "b"
    working.mkdir(parents=True)
    monkeypatch.chdir(working)
    name = "../../etc/x.xlsx"
    escapes = [tmp_path / "etc" / "x.xlsx", (ROOT / name).resolve(), Path("/etc/x.xlsx")]
    assert not any(p.exists() for p in escapes)
    at = run_page("pages/data.py")
    at.file_uploader(key="uploads").set_value([(name, hostile_workbook(), XLSX)])
    at.run()
    next(b for b in at.button if b.label.startswith("Store ")).click()
    at.run()
    assert not at.exception
    assert at.success and "new snapshot" in at.success[0].value
    assert not any(p.exists() for p in escapes)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        p.name for p in empty_db.parent.iterdir() if p.is_file()
    )
    con = store.connect(empty_db)
    try:
        [stored] = set(store.snapshots(con)["source_file"])  # for provenance only, without any folder
        assert stored.endswith("x.xlsx") and "/" not in stored and ".." not in stored
    finally:
        con.close()
