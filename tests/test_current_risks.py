"""Risk registers as integrated care boards keep them today (tests/corpus/current_risks.py): the records each
variant must load to with no correction, and how the store and the Risks page show appetite, target date and
trend."""

from __future__ import annotations

from datetime import date

import pytest

import loaders
import store
from analysis import risks as risk_analysis
from loaders.cells import parse_level, parse_score
from loaders.kinds.risk_fields import read_appetite, read_trend, without_label
from store import risks
from tests.conftest import run_page
from tests.corpus.current_risks import VARIANTS

SCORES = ("initial", "current", "target")
FIELDS = (
    "ref",
    "title",
    "owner",
    "objective",
    "appetite",
    "appetite_level",
    "appetite_max_score",
    "target_date",
    "trend",
    "next_review",
    "opened",
    "directorate",
    "committee",
)


def lc(record: dict) -> tuple:
    return tuple((record[f"{s}_likelihood"], record[f"{s}_consequence"], record[f"{s}_score"]) for s in SCORES)


def row(*values) -> dict:
    return dict(zip(FIELDS, values, strict=True))


OBJECTIVE_2 = "Strategic Objective 2: Reduce inequalities in access and outcomes"
EXPECTED = {
    "icb_baf_tagged_scores.xlsx": [
        (
            row(
                "2.1",
                "Elective waiting lists grow faster in the most deprived areas",
                "Chief Delivery Officer",
                OBJECTIVE_2,
                "Cautious",
                "Cautious",
                12,
                "2026-03-31",
                "deteriorating",
                "2025-11-15",
                None,
                None,
                "Quality and Performance Committee",
            ),
            ((4, 5, 20), (4, 4, 16), (2, 4, 8)),
        ),
        (
            row(
                "2.2",
                "Digital exclusion limits access to primary care",
                "Director of Strategy",
                OBJECTIVE_2,
                "Open (up to 15)",
                "Open",
                15,
                "2025-06-30",
                "unchanged",
                "2025-12-01",
                None,
                None,
                "Population Health Committee",
            ),
            ((3, 5, 15), (3, 3, 9), (2, 3, 6)),
        ),
        (
            row(
                "2.3",
                "Core20PLUS5 targets are not met for hypertension",
                "Medical Director",
                OBJECTIVE_2,
                "Minimal",
                "Minimal",
                6,
                "2026-09-30",
                "improving",
                "2025-10-20",
                None,
                None,
                "Quality and Performance Committee",
            ),
            ((5, 4, 20), (4, 3, 12), (2, 3, 6)),
        ),
    ],
    "icb_register_consequence_first.xlsx": [
        (
            row(
                "CR01",
                "Continuing healthcare assessments breach 28 days",
                "Chief Nurse",
                None,
                "Cautious",
                "Cautious",
                12,
                None,
                "deteriorating",
                None,
                "2024-05-01",
                "Nursing and Quality",
                "Quality Committee",
            ),
            ((None, None, None), (4, 4, 16), (2, 4, 8)),
        ),
        (
            row(
                "CR02",
                "Safeguarding training compliance below 90%",
                "Chief Nurse",
                None,
                "Minimal",
                "Minimal",
                6,
                None,
                "improving",
                None,
                "2025-02-14",
                "Nursing and Quality",
                "Quality Committee",
            ),
            ((None, None, None), (3, 3, 9), (1, 3, 3)),
        ),
        (
            row(
                "CR03",
                "Prescribing costs exceed budget",
                "Chief Finance Officer",
                None,
                "Open",
                "Open",
                16,
                None,
                "unchanged",
                None,
                "2023-11-20",
                "Finance",
                "Finance and Investment Committee",
            ),
            ((None, None, None), (5, 3, 15), (3, 3, 9)),
        ),
    ],
    "icb_baf_impact_first_sections.xlsx": [
        (
            row(
                "BAF 1",
                "The system does not deliver its financial plan",
                "Chief Finance Officer",
                "Objective 1: Financial sustainability",
                "Open - the Board will accept risks scoring up to 16 for value",
                "Open",
                16,
                "2026-03-31",
                "deteriorating",
                "2025-11-30",
                "2024-04-01",
                None,
                "Finance Committee",
            ),
            ((5, 5, 25), (5, 4, 20), (3, 4, 12)),
        ),
        (
            row(
                "BAF 2",
                "Running cost reductions are not delivered",
                "Chief People Officer",
                "Objective 1: Financial sustainability",
                "Cautious (8-12)",
                "Cautious",
                12,
                "2025-12-31",
                "unchanged",
                "2025-11-30",
                "2025-07-15",
                None,
                "Remuneration Committee",
            ),
            ((4, 4, 16), (2, 4, 8), (2, 2, 4)),
        ),
        (
            row(
                "BAF 3",
                "Maternity services do not meet safety standards",
                "Chief Nursing Officer",
                "Objective 2: Quality and safety",
                "Averse",
                "Averse",
                3,
                "2025-06-30",
                "improving",
                "2025-12-15",
                "2023-10-10",
                None,
                "Quality Committee",
            ),
            ((4, 5, 20), (3, 5, 15), (1, 5, 5)),
        ),
    ],
}

EXPECTED["icb_register_grouped_appetite.xlsx"] = [
    (
        row(
            "7",
            "Vaccination uptake falls below target",
            "Director of Public Health",
            "Improve population health",
            "Open",
            "Open",
            15,
            None,
            "deteriorating",
            "2025-12-31",
            None,
            None,
            None,
        ),
        ((None, None, None), (4, 3, 12), (None, None, None)),
    ),
    (
        row(
            "8",
            "Screening backlog persists",
            "Director of Public Health",
            "Improve population health",
            "Cautious",
            "Cautious",
            8,
            None,
            "improving",
            "2025-11-30",
            None,
            None,
            None,
        ),
        ((None, None, None), (3, 4, 12), (None, None, None)),
    ),
    (
        row(
            "9",
            "Continuing healthcare costs rise",
            "Chief Finance Officer",
            "Sustainable finances",
            "Minimal",
            "Minimal",
            6,
            None,
            "unchanged",
            "2025-10-31",
            None,
            None,
            None,
        ),
        ((None, None, None), (5, 4, 20), (None, None, None)),
    ),
]


@pytest.fixture(scope="module")
def results():
    return {name: loaders.load_workbook(build(), name) for name, build in VARIANTS.items()}


def test_every_variant_has_its_expected_records():
    assert set(EXPECTED) == set(VARIANTS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_variant_reads_right_with_no_correction(results, name):
    result = results[name]
    assert result.errors == []
    (dataset,) = [d for d in result.datasets if d.kind == "risks"]
    found = [({f: r[f] for f in FIELDS}, lc(r)) for r in dataset.records]
    assert found == EXPECTED[name]
    problems = [i for i in dataset.issues if i.severity in ("error", "warning")]
    assert problems == []


def test_score_cells_with_lettered_factors_in_either_order():
    assert parse_score("L4 x C5 = 20")[:3] == (4, 5, 20)
    assert parse_score("I5 L4 20")[:3] == (4, 5, 20)
    assert parse_score("C4 x L3")[:3] == (3, 4, 12)
    assert parse_score("C5xL4=20")[:3] == (4, 5, 20)
    assert parse_score("Likelihood 4 x Impact 5 = 20")[:3] == (4, 5, 20)
    assert parse_score("I5 x P4")[:3] == (4, 5, 20)
    tagged = parse_score("L3 C4 = 15")
    assert tagged.tagged and tagged.score == 15 and "score 15 is not 3 x 4 = 12" in tagged.problems
    assert not parse_score("4 x 5 = 20").tagged


def test_levels_written_with_their_words():
    assert parse_level("4 - Likely", "likelihood").value == 4
    assert parse_level("Likely (4)", "likelihood").value == 4
    assert parse_level("Major (4)", "consequence").value == 4
    assert parse_level("4 (Likely)", "likelihood").value == 4
    assert parse_level("(4) Major", "consequence").value == 4
    assert parse_level("3 - Likely", "likelihood").problem


def test_a_tagged_cell_overrides_a_header_that_states_consequence_first():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(["Ref", "Risk", "Current Score (C x L)", "Target Score (C x L)"])
    sheet.append(["R1", "Workforce gaps in urgent care", "L4 x C5 = 20", "5 x 2"])
    import io

    out = io.BytesIO()
    book.save(out)
    (dataset,) = loaders.load_workbook(out.getvalue(), "tagged.xlsx").datasets
    record = dataset.records[0]
    assert (record["current_likelihood"], record["current_consequence"]) == (4, 5)
    assert (record["target_likelihood"], record["target_consequence"]) == (2, 5)


def test_refs_lose_their_label_words_only():
    assert without_label("Risk 1.1") == "1.1"
    assert without_label("Ref: 1.1 :") == "1.1"
    assert without_label("Risk ID: BAF-03") == "BAF-03"
    assert without_label("AF28") == "AF28"
    assert without_label("Risk of harm to patients") == "Risk of harm to patients"


def test_trend_from_words_and_arrows():
    assert [read_trend(v) for v in ("↑", "▼", "↔", "→", "Reducing", "No change", "Worsening", "▲ Increasing")] == [
        "deteriorating",
        "improving",
        "unchanged",
        "unchanged",
        "improving",
        "unchanged",
        "deteriorating",
        "deteriorating",
    ]
    assert read_trend("see narrative") is None
    assert read_trend("Update awaited") is None  # a short word ("Up") is matched whole, a stem as a prefix
    assert read_trend("Upward") == "deteriorating"


def test_appetite_levels_and_tolerable_scores():
    assert read_appetite("Seek (20-25)", None, "5x5")[:2] == ("Eager", 25)
    assert read_appetite("Low risk appetite", None, "5x5")[:2] == ("Minimal", 6)
    assert read_appetite("Cautious", "8 to 10", "5x5")[:2] == ("Cautious", 10)
    assert read_appetite(None, 9, "5x5")[:2] == (None, 9)
    assert read_appetite("Cautious", None, "3x3")[:2] == ("Cautious", None)
    assert read_appetite("As per board statement", None, "5x5").problem


def test_an_unknown_trend_or_appetite_is_a_warning_naming_its_cell():
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(["Ref", "Risk", "Current Score", "Risk Appetite", "Trend"])
    sheet.append(["R1", "Estates backlog", 12, "See board statement", "sideways"])
    out = io.BytesIO()
    book.save(out)
    (dataset,) = loaders.load_workbook(out.getvalue(), "unknown.xlsx").datasets
    record = dataset.records[0]
    assert (record["appetite"], record["appetite_level"], record["trend"]) == ("See board statement", None, None)
    found = {(i.code, i.cell) for i in dataset.issues}
    assert {("unknown_appetite", "Register!D2"), ("unknown_trend", "Register!E2")} <= found


def test_unknown_trend_and_appetite_words_are_offered_for_correction_and_the_correction_is_applied():
    import copy
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(["Ref", "Risk", "Current Score", "Risk Appetite", "Trend"])
    sheet.append(["R1", "Estates backlog", 12, "Guarded", "sideways"])
    out = io.BytesIO()
    book.save(out)
    detected = loaders.load_workbook(out.getvalue(), "words.xlsx")
    assert detected.mapping["vocabulary"] == {"appetite": {"Guarded": None}, "trend": {"sideways": None}}
    mapping = copy.deepcopy(detected.mapping)
    mapping["vocabulary"] = {"appetite": {"Guarded": "Cautious"}, "trend": {"sideways": "unchanged"}}
    (dataset,) = loaders.load_workbook(out.getvalue(), "words.xlsx", mapping=mapping).datasets
    record = dataset.records[0]
    assert (record["appetite"], record["appetite_level"], record["appetite_max_score"]) == ("Guarded", "Cautious", 12)
    assert record["trend"] == "unchanged" and dataset.issues == []


def test_an_appetite_stated_in_a_sheets_title_applies_to_each_risk_on_it():
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Finance risks"
    sheet.append(["Strategic Objective 3: Sustainable finances"])
    sheet.append(["Risk appetite: Open (up to 16)"])
    sheet.append(["Ref", "Risk", "Current Score"])
    sheet.append(["F1", "The system deficit grows", 20])
    sheet.append(["F2", "Capital allocation is cut", 9])
    out = io.BytesIO()
    book.save(out)
    (dataset,) = loaders.load_workbook(out.getvalue(), "title.xlsx").datasets
    assert [(r["objective"], r["appetite"], r["appetite_level"], r["appetite_max_score"]) for r in dataset.records] == [
        ("Strategic Objective 3: Sustainable finances", "Open (up to 16)", "Open", 16)
    ] * 2


# --- store and page ---------------------------------------------------------------------------------------


@pytest.fixture
def current_db(tmp_path, monkeypatch):
    path = tmp_path / "current.duckdb"
    con = store.connect(path)
    for name in ("icb_register_consequence_first.xlsx", "icb_baf_impact_first_sections.xlsx"):
        store.ingest(con, loaders.load_workbook(VARIANTS[name](), name))
    con.close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


def test_the_store_keeps_the_new_fields_and_judges_appetite_and_target_dates(current_db):
    con = store.connect(current_db)
    try:
        frame = risks.register(con, ["Eastvale ICB"])
    finally:
        con.close()
    one = frame.set_index("ref").loc["BAF 1"]
    assert one["target_date"] == date(2026, 3, 31) and one["opened"] == date(2024, 4, 1)
    assert (one["appetite_level"], one["appetite_max_score"], one["committee"]) == ("Open", 16, "Finance Committee")
    by_ref = frame.set_index("ref")
    # BAF 1: 20 over 16; BAF 2: 8 within 12; BAF 3: 15 over an averse 3.
    assert by_ref["above_appetite_by"].to_dict() == {"BAF 1": 4, "BAF 2": -4, "BAF 3": 12}
    # As at 31 Oct 2025: BAF 3's target date (30 Jun 2025) has passed with 15 still above its target of 5.
    assert by_ref["target_past_due"].to_dict() == {"BAF 1": False, "BAF 2": False, "BAF 3": True}
    assert by_ref.loc["BAF 3", "target_date_shown"] == "30 Jun 2025 · past due"
    assert by_ref["trend_shown"].to_dict() == {
        "BAF 1": "↑ deteriorating",
        "BAF 2": "↔ unchanged",
        "BAF 3": "↓ improving",
    }
    assert risk_analysis.appetite_counts(frame) == {"above_appetite": 2, "with_appetite": 3, "target_past_due": 1}
    only = risk_analysis.filter_risks(frame, risk_analysis.RiskFilters(above_appetite=True))
    assert list(only["ref"]) == ["BAF 1", "BAF 3"]
    # Reviews: none is listed at 31 Oct 2025 (each next review is still to come); on 1 Dec 2025 the two due
    # on 30 Nov are overdue though the register states no last-reviewed date.
    assert risk_analysis.review_overdue(frame).empty
    later = frame.assign(as_at=date(2025, 12, 1))
    overdue = risk_analysis.review_overdue(later)
    assert list(overdue["display"]) == ["BAF 1", "BAF 2"]
    assert set(overdue["reason"]) == {"Next review was due 30 Nov 2025"}


def test_the_page_counts_filters_and_lists_risks_above_appetite(current_db):
    at = run_page("pages/risks.py")
    at.session_state["risk_tab"] = "Register"  # only the open tab's content is made
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # Eastvale (the organisation shown first): BAF 1 20 > 16 and BAF 3 15 > 3 above appetite, BAF 2 8 <= 12.
    assert metrics["Above appetite"] == "2" and metrics["Target date passed"] == "1"
    register = at.dataframe[-1].value
    assert {"Appetite", "Above appetite", "Target date", "Trend", "Assuring committee"} <= set(register.columns)
    assert "Directorate" not in register.columns  # no risk shown states one
    shown = register.set_index("Risk")
    assert shown.loc["BAF 2", "Appetite"] == "Cautious (up to 12)"
    assert shown.loc["BAF 3", "Appetite"] == "Averse (up to 3)"
    assert shown.loc["BAF 1", "Above appetite"] == "yes, by 4"
    assert shown.loc["BAF 2", "Above appetite"] == "no"
    assert shown.loc["BAF 3", "Target date"] == "30 Jun 2025 · past due"
    assert shown.loc["BAF 3", "Trend"] == "↓ improving"
    text = register[["Appetite", "Above appetite", "Target date", "Trend", "Next review"]].astype(str).to_string()
    assert "nan" not in text and "None" not in text and "<NA>" not in text
    at.toggle(key="risk_above_appetite").set_value(True).run()
    assert not at.exception
    assert sorted(at.dataframe[-1].value["Risk"]) == ["BAF 1", "BAF 3"]
    assert any("above appetite only" in c.value for c in at.caption)
