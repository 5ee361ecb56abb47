"""Text from a workbook is shown as written, never run as HTML, script or markdown, on every page in a real
browser; and an uploaded file's name is never used as a path."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from openpyxl import Workbook

import loaders
import safe_text
import store
from pages.organisations import SYNTHETIC_NOTE, UNKNOWN_ORG_NOTE
from records import Dataset, Issue, WorkbookResult
from tests.conftest import ROOT, run_page, wait_for_app

SCRIPT = "<script>window.__pwned=1</script>"
IMG = "<img src=x onerror=window.__pwned=2>"
BOLD = "**bold**"
LINK = "[link](javascript:window.__pwned=3)"
FORMULA = '=HYPERLINK("http://evil.example/","click")'
TAG_B = "<b>B</b>"
TAG_A = '<a href="https://evil.example/">A</a>'
MD_LINK = "[Session expired](https://evil.example)"
MD_IMAGE = "![t](https://evil.example/pixel.png)"
ORG = f"Hostile {BOLD} CCG {IMG} {TAG_B} {MD_LINK}"
PAYLOADS = [SCRIPT, IMG, BOLD, LINK, FORMULA, TAG_B, TAG_A, MD_LINK, MD_IMAGE]
TARGETED = 3  # areas of the first payloads have a QIPP target; the others are listed as having none
SYNTHETIC = SYNTHETIC_NOTE
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
        _text_row(
            risks, [f"R{n} {text}" if n > 2 else text, f"Risk {text}", f"Owner {text}", 3, n, 3 * n, date(2019, 1, 23)]
        )
    schemes = book.create_sheet("QIPP tracker")
    schemes.append(["Ref", "Scheme", "Area", "Stage", "RAG", "Net value £'000", "Lead"])
    for n, text in enumerate(PAYLOADS, 1):
        _text_row(
            schemes,
            [f"Q{n} {text}", f"Scheme {text}", f"Area {text}", "3 - Delivery", "Amber", 100 * n, f"Lead {text}"],
        )
    actions = book.create_sheet("Actions")
    actions.append(["Ref", "Area", "Action", "Owner", "Due date", "RAG", "Status"])
    for n, text in enumerate(PAYLOADS, 1):
        _text_row(
            actions,
            [f"A{n}", f"Area {text}", f"Action {text}", f"Owner {text}", date(2019, 4, 30), "Red", f"Status {text}"],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def hostile_result() -> WorkbookResult:
    """The payloads exactly as written, straight to the store: the pages must be safe whatever a loader keeps."""

    def source(n: int) -> dict:
        return {"sheet": "Register", "row": n + 1}

    risks = [
        {
            "ref": text if n < 3 else f"R{n} {text}",
            "title": f"Risk {text}",
            "owner": f"Owner {text}",
            "objective": f"Objective {text}",
            "scale": "5x5",
            "initial_likelihood": 4,
            "initial_consequence": 4,
            "initial_score": 16,
            "current_likelihood": 3,
            "current_consequence": n,
            "current_score": 3 * n,
            "target_likelihood": 1,
            "target_consequence": n,
            "target_score": n,
            "last_reviewed": "2019-01-23",
            "status": f"Open {text}",
            "source": source(n),
        }
        for n, text in enumerate(PAYLOADS, 1)
    ]
    schemes = [
        {
            "ref": f"Q{n} {text}",
            "name": f"Scheme {text}",
            "area": f"Area {text}",
            "stage": n % 6,
            "rag": "amber",
            "value": 100.0 * n,
            "risk_adjusted_value": None,
            "lead": f"Lead {text}",
            "recurrent": True,
            "source": source(n),
        }
        for n, text in enumerate(PAYLOADS, 1)
    ]
    targets = [
        {"area": f"Area {text}", "target": 500.0, "source": source(n)} for n, text in enumerate(PAYLOADS[:TARGETED], 1)
    ]
    actions = [
        {
            "ref": f"A{n} {text}",
            "area": f"Area {text}",
            "action": f"Action {text}",
            "owner": f"Owner {text}",
            "due_text": f"30/04/2019 {text}",
            "due_date": "2019-04-30",
            "rag_label": f"Red {text}",
            "rag": "red",
            "status": f"Status {text}",
            "updated": None,
            "source": source(n),
        }
        for n, text in enumerate(PAYLOADS, 1)
    ]
    finance = [
        {
            "line": f"Line {text}",
            "ytd_budget": 100.0 * n,
            "ytd_actual": 100.0 * n + (-1) ** n * 7,
            "ytd_variance": -((-1) ** n) * 7.0,
            "annual_budget": 400.0 * n,
            "forecast_outturn": 400.0 * n - n,
            "forecast_variance": float(n),
            "is_total": False,
            "financial_year": "2018/19",
            "month": 12,
            "source": source(n),
        }
        for n, text in enumerate(PAYLOADS, 1)
    ]
    finance += [
        {
            "line": f"In-year deficit {MD_LINK}",
            "ytd_budget": -50.0,
            "ytd_actual": -80.0,
            "ytd_variance": -30.0,
            "annual_budget": -200.0,
            "forecast_outturn": -260.0,
            "forecast_variance": -60.0,
            "is_total": False,
            "financial_year": "2018/19",
            "month": 12,
            "source": source(30),
        },
        {
            "line": f"Total {MD_IMAGE}",
            "ytd_budget": 4500.0,
            "ytd_actual": 4490.0,
            "ytd_variance": 10.0,
            "annual_budget": 18000.0,
            "forecast_outturn": 17950.0,
            "forecast_variance": 50.0,
            "is_total": True,
            "financial_year": "2018/19",
            "month": 12,
            "source": source(31),
        },
    ]
    activity = [
        {
            "code": f"C{n} {text}",
            "title": f"Activity {text}",
            "month": f"2018-{m:02d}-01",
            "plan": 100.0 + m,
            "actual": 98.0 + m * n % 7,
            "source": source(n * 20 + m),
        }
        for n, text in enumerate(PAYLOADS, 1)
        for m in range(4, 13)
    ]
    issue = Issue("warning", "unknown_rag", f"'{SCRIPT}'!B2", f"RAG {SCRIPT} {LINK} is not a RAG word.")
    return WorkbookResult(
        file=f"hostile {SCRIPT}.xlsx",
        sha256="hostile-text",
        org=ORG,
        as_at="2019-03-28",
        synthetic=True,
        datasets=[
            Dataset("risks", "Register", 1, risks, [issue]),
            Dataset("qipp_schemes", "Schemes", 1, schemes),
            Dataset("qipp_targets", "Targets", 1, targets),
            Dataset("actions", "Actions", 1, actions),
            Dataset("finance_lines", "Month 12", 1, finance, financial_year="2018/19"),
            Dataset("activity", "Activity", 1, activity),
        ],
    )


@pytest.fixture
def hostile_db(tmp_path) -> Path:
    path = tmp_path / "hostile.duckdb"
    con = store.connect(path)
    workbook = loaders.load_workbook(hostile_workbook(), "hostile.xlsx")  # what the loaders keep of the file
    store.ingest(con, workbook, allow_errors=True)
    store.ingest(con, hostile_result())  # and the payloads as written, marked synthetic so its notice shows too
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


MARKDOWN_ELEMENTS = {"markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"}
# What would be markup if Markdown read it unescaped; none of it is in the template text of any page.
MARKUP = ("<img", "<script", "<b>", "<a ", "**bold**", "__bold__", "~~s~~", "[link]", "[Session expired]", "![t]")
PLOTLY_MARKUP = ("<b>B", "<a ", "<img", "<script")


def unescaped(text: str) -> str:
    """What Markdown reads as markup: the text without its backslash-escaped characters."""
    return re.sub(r"\\[!-/:-@\[-`{-~]", "", text)


def rendered_text(at) -> tuple[list[str], list[str]]:
    """The Markdown the app rendered (bodies, labels, help) and the strings of every Plotly figure it drew."""
    markdown, plotly = [], []

    def strings(value, key=""):
        if key in ("customdata", "meta", "uid"):
            return
        if isinstance(value, str):
            plotly.append(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                strings(v, k)
        elif isinstance(value, list):
            for v in value:
                strings(v, key)

    nodes = [at._tree]
    while nodes:
        node = nodes.pop()
        nodes.extend(getattr(node, "children", {}).values())
        proto, kind = getattr(node, "proto", None), getattr(node, "type", None)
        if proto is None:
            continue
        if kind == "plotly_chart":
            strings(json.loads(proto.spec))
            continue
        if kind in MARKDOWN_ELEMENTS:
            markdown.append(proto.body)
        for field in ("label", "help"):
            if field in proto.DESCRIPTOR.fields_by_name:
                markdown.append(getattr(proto, field))
        if kind == "radio":
            markdown.extend(proto.options)
    return markdown, plotly


def assert_inert(at, where: str) -> None:
    assert not at.exception, (where, at.exception)
    markdown, plotly = rendered_text(at)
    for text in markdown:
        assert not any(m in unescaped(text) for m in MARKUP), (where, text)
    for text in plotly:
        assert not any(m in text for m in PLOTLY_MARKUP), (where, text)


def test_every_page_escapes_workbook_text_before_markdown_and_plotly(hostile_db, monkeypatch):
    monkeypatch.setenv("ASSURANCE_DB", str(hostile_db))
    from streamlit.testing.v1 import AppTest

    for name in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.query_params["org"] = ORG
        at.run()
        at.switch_page(f"pages/{name}.py")
        at.run()
        assert_inert(at, name)
        markdown, plotly = rendered_text(at)
        if name != "data":
            assert any(f"{SYNTHETIC}] Hostile" in text for text in markdown), name  # the synthetic notice
        if name in CHART_PAGES:
            assert any("&lt;b&gt;B&lt;/b&gt;" in text for text in plotly), name  # the labels, tags shown as text
        if name == "qipp":
            assert any(text.startswith("No target loaded for: ") for text in markdown)
        if name in ("overview", "finance"):
            assert sum("In-year deficit" in text for text in markdown) >= 1, name


def test_an_organisation_in_the_link_is_never_markdown(hostile_db, monkeypatch):
    monkeypatch.setenv("ASSURANCE_DB", str(hostile_db))
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["org"] = f"{MD_LINK} {MD_IMAGE}"
    at.run()
    assert_inert(at, "overview")
    assert [w.value for w in at.sidebar.warning] == [UNKNOWN_ORG_NOTE]


def hostile_upload() -> tuple[str, bytes]:
    book = Workbook()
    sheet = book.active
    sheet.title = "<b>B __bold__ <img> ~~s~~"  # a sheet name cannot hold [ ] : * ? / or a backslash
    sheet.append(["Organisation:", ORG])
    sheet.append(["As at:", date(2019, 3, 28)])
    sheet.append(["Ref", "Scheme", "Area", "Stage", "RAG", "Net value £'000", "Lead"])
    sheet.append(["Q1", "Scheme", "Area", "3 - Delivery", "Amber", 100, "Lead"])
    out = io.BytesIO()
    book.save(out)
    return f"{MD_LINK} {MD_IMAGE} {TAG_B}.xlsx", out.getvalue()


def test_upload_file_and_sheet_names_are_never_markdown(empty_db):
    name, data = hostile_upload()
    at = run_page("pages/data.py")
    at.file_uploader(key="uploads").set_value([(name, data, XLSX)])
    at.run()
    assert_inert(at, "data: read")
    markdown, _ = rendered_text(at)
    assert any("Session expired" in text for text in markdown)  # the heading names the file
    assert any("bold" in text for text in markdown)  # and the status lists the sheet
    store_button = next(b for b in at.button if b.label.startswith("Store "))
    store_button.click()
    at.run()
    assert_inert(at, "data: stored")
    assert at.success and "new snapshot" in at.success[0].value and "bold" in at.success[0].value  # names the sheet


DOM_CHECK = """() => ({
  pwned: typeof window.__pwned,
  scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('__pwned')).length,
  imgs: [...document.querySelectorAll('img')].filter(i => i.hasAttribute('onerror')
      || (i.getAttribute('src') || '') === 'x').length,
  links: [...document.querySelectorAll('a')].filter(a => (a.getAttribute('href') || '').toLowerCase()
      .replace(/\\s/g, '').startsWith('javascript:')).length,
  bold: [...document.querySelectorAll('strong, b')].filter(b => ['bold', 'B'].includes(b.textContent.trim())).length,
  evil_links: [...document.querySelectorAll('a')].filter(a => ((a.getAttribute('href') || '')
      + (a.getAttribute('xlink:href') || '')).includes('evil.example')).length,
  evil_imgs: [...document.querySelectorAll('img, image')].filter(i => ((i.getAttribute('src') || '')
      + (i.getAttribute('href') || '')).includes('evil.example')).length,
  svg_bold: [...document.querySelectorAll('svg tspan')].filter(t => /bold/.test(t.getAttribute('style') || '')
      && t.textContent.trim() === 'B').length,
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
    fetched = requests_to_evil(page)
    for name in PAGES:
        page.goto(f"{url}/{name}?org={quote(ORG)}")
        page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
        wait_for_app(page)
        page.wait_for_timeout(500)  # let late-rendering elements (charts, tables) attach
        wait_for_app(page)
        found = page.evaluate(DOM_CHECK)
        assert found["pwned"] == "undefined", name
        markup = ("scripts", "imgs", "links", "bold", "evil_links", "evil_imgs", "svg_bold")
        assert {k: found[k] for k in markup} == dict.fromkeys(markup, 0), (name, {k: found[k] for k in markup})
        assert page.locator('[data-testid="stException"]').count() == 0, name
        if name != "data":
            shown = found["text"].replace(safe_text.WORD_JOINER, "")  # invisible, so an address is not a link
            assert ORG in shown, (name, found["text"][:500])  # the organisation, as written
        if name in CHART_PAGES:  # chart labels show the text as written, tags and all
            page.wait_for_function(SVG_HAS_SCRIPT_TEXT, arg=SCRIPT, timeout=30_000)
            page.wait_for_function(SVG_HAS_SCRIPT_TEXT, arg=TAG_B, timeout=30_000)
    assert dialogs == []
    assert fetched == []


def requests_to_evil(page) -> list[str]:
    """Every request the page makes to evil.example (an image the text smuggled in would be fetched)."""
    fetched: list[str] = []
    page.on(
        "request",
        lambda r: fetched.append(r.url) if (urlsplit(r.url).hostname or "").endswith("evil.example") else None,
    )
    return fetched


@pytest.mark.browser
@pytest.mark.slow
def test_an_organisation_in_the_link_is_shown_as_a_plain_notice(served_app, hostile_db, browser_page):
    url = served_app(hostile_db)
    page = browser_page
    fetched = requests_to_evil(page)
    page.goto(f"{url}/overview?org={quote(f'{MD_LINK} {MD_IMAGE}')}")
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=60_000)
    wait_for_app(page)
    page.wait_for_timeout(500)
    found = page.evaluate(DOM_CHECK)
    assert (found["evil_links"], found["evil_imgs"], found["links"]) == (0, 0, 0), found["text"][:500]
    assert UNKNOWN_ORG_NOTE in found["text"]
    shown = found["text"].replace("\u2060", "")
    assert f"{MD_LINK} {MD_IMAGE}" not in shown  # the link's text is not repeated (the store's own text may say it)
    assert fetched == []


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
