"""The board pack: one self-contained HTML file with the organisation, its as-at dates, findings, charts and tables."""

from __future__ import annotations

import re
from datetime import date

import pytest

import loaders
import store
from analysis import risks as risk_analysis
from charts import boardpack as render
from data.demo import generate
from store import boardpack
from tests import test_url_state
from tests.test_url_state import ORGS, SIZES, open_link

HOSTILE_ORG = '<img src=x onerror="alert(1)"> & Co CCG'
HOSTILE_TITLE = "</script><script>alert('risk')</script>"
CHART_DIV = 'class="plotly-graph-div"'

meeting_db_master = test_url_state.meeting_db_master
meeting_db = test_url_state.meeting_db


@pytest.fixture
def meeting_con(meeting_db):
    con = store.connect(meeting_db)
    yield con
    con.close()


def build(con, org):
    pack = boardpack.contents(con, org, today=date(2024, 5, 1))
    steps = []
    page, charts = render.render(pack, lambda fraction, text: steps.append((fraction, text)))
    return pack, page, charts, steps


def test_pack_names_the_organisation_its_as_at_dates_and_findings(meeting_con):
    pack, page, charts, steps = build(meeting_con, ORGS[0])
    assert f"<h1>Board assurance pack: {ORGS[0]}" in page
    assert "synthetic demo data" in page
    assert "Generated 1 May 2024" in page
    assert "risks as at 30 Jun 2018" in page and "finance as at 30 Jun 2018" in page
    findings = render.findings(pack)
    assert [f.split(":")[0] for f in findings] == ["Risks", "QIPP", "Finance", "Activity", "Improvement plan"]
    summary = risk_analysis.summary(pack.tiles["risks"].figures["register"])
    assert f"{summary['above_target']} of {summary['risks']} risks above target" in findings[0]
    for line in findings:
        assert f"<li>{line.replace('&', '&amp;').replace(chr(39), '&#x27;')}</li>" in page
    headline = dict(zip(pack.headline["Figure"], pack.headline["Value"], strict=True))
    assert headline["Risks"] == str(summary["risks"]) and headline["Risks as at"] == "30 Jun 2018"
    assert headline["Forecast position"] in ("favourable", "adverse", "on plan")
    assert "<td>QIPP gap, risk-adjusted £&#x27;000</td>" in page or "<td>QIPP gap, risk-adjusted £'000</td>" in page
    assert steps[-1] == (1.0, "Board pack ready") and [s[0] for s in steps] == sorted(s[0] for s in steps)


def test_pack_has_every_chart_once_and_plotly_js_once(meeting_con):
    _, page, charts, _ = build(meeting_con, ORGS[0])
    # risks: matrix + movement; QIPP: stages, RAG, bridge; finance: variance + trend (3 months);
    # activity: year to date; improvement: completion trend.
    assert charts == 9
    assert page.count(CHART_DIV) == 9
    assert len(re.findall(r"plotly\.js v\d", page)) == 1
    assert "<script src=" not in page and "<link" not in page  # nothing fetched: it opens offline
    assert "@media print" in page and "page-break-before" in page


def test_pack_without_a_dataset_says_so_and_counts_fewer_charts(sample_con):
    _, page, charts, _ = build(sample_con, "Southend CCG")
    assert charts == page.count(CHART_DIV) == 1
    assert "No risks data is loaded for Southend CCG." in page
    assert "No qipp data is loaded for Southend CCG." in page


def test_pack_escapes_hostile_text(tmp_path):
    con = store.connect(tmp_path / "hostile.duckdb")
    workbook = generate.generate(tmp_path / "wb", orgs=1, months=1, seed=5, sizes=SIZES)[0]
    result = loaders.load_workbook(workbook.read_bytes(), workbook.name)
    risk_set = next(d for d in result.datasets if d.kind == "risks")
    risk_set.records[0]["title"] = HOSTILE_TITLE
    risk_set.records[0]["ref"] = "<b>R1</b>"
    store.ingest(con, result, org=HOSTILE_ORG)
    pack, page, charts, _ = build(con, HOSTILE_ORG)
    assert pack.risks is not None and charts >= 2
    assert HOSTILE_ORG not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co CCG" in page
    assert HOSTILE_TITLE not in page and "<script>alert(" not in page
    assert "<b>R1</b>" not in page
    assert (
        render.file_name(HOSTILE_ORG, date(2018, 4, 30))
        == "board-pack-img-src-x-onerror-alert-1-co-ccg-2018-04-30.html"
    )
    con.close()


def test_unknown_organisation_is_refused(meeting_con):
    with pytest.raises(ValueError, match="no current snapshot"):
        boardpack.contents(meeting_con, "Nowhere CCG")


def test_overview_prepares_the_pack_for_download(meeting_db):
    at = open_link("pages/overview.py", org=ORGS[1])
    at.button(key="pack_prepare").click().run()
    assert not at.exception
    download = at.get("download_button")
    labels = [d.proto.label for d in download]
    assert "Download the board pack (9 charts, HTML)" in labels
    assert at.session_state["board_pack"]["name"] == "board-pack-riverside-and-weald-icb-2018-06-30.html"
    assert ORGS[1] in at.session_state["board_pack"]["html"]
