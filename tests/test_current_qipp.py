"""Current QIPP and savings trackers (tests/corpus/current_qipp.py) read into the records they hold, with no correction."""

from __future__ import annotations

import pytest

import loaders
from loaders.headers import stage_of, stage_of_value
from loaders.tables import units_row
from tests.corpus import current_qipp
from tests.corpus.current_qipp import LONG, PHASED, SERIES, VARIANTS

SCHEME_FIELDS = ("ref", "name", "area", "stage", "rag", "value", "lead", "plan_ytd", "actual_ytd", "forecast")


@pytest.fixture(scope="module")
def results():
    return {name: loaders.load_workbook(build(), name) for name, build in VARIANTS.items()}


def datasets(result, kind):
    return [d for d in result.datasets if d.kind == kind]


def schemes(result) -> list[tuple]:
    (found,) = datasets(result, "qipp_schemes")
    return [tuple(r[f] for f in SCHEME_FIELDS) for r in found.records]


def phasing(result) -> dict[tuple[str, str], tuple]:
    (found,) = datasets(result, "qipp_phasing")
    return {(r["ref"], r["month"]): (r["plan"], r["actual"]) for r in found.records}


def issues(result) -> list[tuple[str, str, str]]:
    return [(i.severity, i.code, i.cell) for d in result.datasets for i in d.issues] + [
        (i.severity, i.code, i.cell) for i in result.issues
    ]


def test_a_tracker_phased_under_plan_and_actual_groups_is_qipp_not_activity(results):
    result = results["qipp_phased_groups.xlsx"]
    assert result.errors == [] and datasets(result, "activity") == []
    assert schemes(result) == [
        ("NF-01", "Medicines optimisation in care homes", "Prescribing", 3, "green", 480.0, "Head of Medicines",
         240.0, 240.0, 478.0),
        ("NF-02", "Outpatient follow-up reduction", "Planned Care", 2, "amber", 650.0, "Planned Care Lead",
         200.0, 150.0, 520.0),
        ("NF-03", "Continuing healthcare review", "CHC", 4, "red", 300.0, None, 150.0, 75.0, 180.0),
        ("NF-04", "Urgent care streaming", "Urgent Care", 0, None, 200.0, "UEC Director", 0.0, 0.0, 150.0),
    ]  # fmt: skip
    months = phasing(result)
    assert len(months) == 48
    assert months[("NF-02", "2024-06-01")] == (50.0, 30.0)
    assert months[("NF-02", "2025-03-01")] == (100.0, None)
    assert months[("NF-04", "2024-04-01")] == (0.0, None)
    for ref, *_, plan, actual, _, _, _ in PHASED:
        assert [months[(ref, m)][0] for m in sorted(m for r, m in months if r == ref)] == plan
        assert [a for (r, _), (_, a) in sorted(months.items()) if r == ref and a is not None] == actual
    # The stated year-to-date actual of NF-03 (75) is not the sum of its months (70): reported, kept as stated.
    assert issues(result) == [("warning", "total_mismatch", "'QIPP Tracker'!AG9")]


def test_a_plan_row_and_an_actual_row_per_scheme_in_pounds(results):
    result = results["qipp_series_rows.xlsx"]
    assert result.errors == [] and datasets(result, "activity") == []
    assert schemes(result) == [
        ("SM-101", "Virtual wards step-down", None, 3, "amber", 250.0, None, 100.0, 90.0, 230.0),
        ("SM-102", "Biosimilar switching", None, 4, "green", 120.0, None, 50.0, 60.0, 125.0),
        ("SM-103", "Estates rationalisation", None, 1, "red", 90.0, None, 0.0, 0.0, 60.0),
    ]
    months = phasing(result)
    assert months[("SM-101", "2025-04-01")] == (20.0, 18.0)
    assert months[("SM-101", "2026-03-01")] == (23.0, None)
    assert months[("SM-102", "2025-08-01")] == (10.0, 14.0)
    assert len(months) == 12 * len(SERIES)
    assert issues(result) == [("info", "pounds_converted", "'CIP-QIPP'!E5")]


def test_a_units_row_under_the_header_is_not_data_and_stage_words_are_mapped(results):
    result = results["qipp_units_row.xlsx"]
    assert result.errors == [] and issues(result) == []
    assert schemes(result) == [
        ("HS-01", "Community MSK pathway", "Planned Care", 3, "green", 320.0, "Director of Strategy", 160.0, 150.0,
         300.0),
        ("HS-02", "Agency staffing controls", "Workforce", 2, "amber", 210.0, "Chief People Officer", 90.0, 60.0,
         170.0),
        ("HS-03", "Digital outpatient letters", "Corporate", 0, None, 75.0, "Chief Digital Officer", 0.0, 0.0, 40.0),
    ]  # fmt: skip
    (table,) = result.mapping["sheets"][0]["tables"]
    assert table["data_start"] == 5
    units = {c["letter"]: (c["unit"], c["unit_how"]) for c in table["columns"] if c["unit"]}
    assert units["G"] == ("£'000", "units row")


def test_phasing_one_row_per_scheme_and_month_in_millions(results):
    result = results["qipp_phasing_long.xlsx"]
    assert result.errors == [] and datasets(result, "activity") == []
    assert [r[:2] for r in schemes(result)] == [("WV-1", "Falls prevention"), ("WV-2", "Dressings formulary")]
    months = phasing(result)
    assert months == {
        (ref, month.date().isoformat()): (round(plan * 1000, 6), None if actual is None else round(actual * 1000, 6))
        for ref, month, plan, actual in LONG
    }
    assert months[("WV-1", "2024-04-01")] == (40.0, 35.0)


def test_every_variant_is_read_with_no_error():
    for name, build in current_qipp.VARIANTS.items():
        result = loaders.load_workbook(build(), name)
        assert result.errors == [], name
        assert all(d.error_count == 0 for d in result.datasets), name


@pytest.mark.parametrize(
    ("written", "stage"),
    [
        ("Gateway 0", 0),
        ("Gateway 5", 5),
        ("3 (Delivery)", 3),
        ("2 (Business Case)", 2),
        ("Phase 1", 1),
        ("Idea", 0),
        ("Plan", 2),
        ("Deliver", 3),
        ("Gateway 7", None),
    ],
)
def test_stage_vocabularies(written, stage):
    assert stage_of_value(written) == stage


def test_a_summary_headed_by_gateways_names_its_stages():
    assert [stage_of(h) for h in ("Gateway 0", "Gateway 3", "Phase 2", "Gateway 3 Planning")] == [0, 3, 2, None]


def test_a_units_row_states_units_and_nothing_else():
    assert units_row([None, "£'000", "£m", "%", "Fav / (Adv)"]) == {1: 1.0, 2: 1000.0}
    assert units_row([None, "£000s", "£"]) == {1: 1.0, 2: 0.001}
    assert units_row(["S1", "£'000"]) is None  # a label beside a unit is data
    assert units_row([None, 12.0]) is None
    assert units_row([None, "No"]) is None  # a word alone, with no unit, is not a units row


def test_a_long_table_with_a_plain_ref_is_still_an_activity_plan():
    """Only a reference named for a scheme makes a ref / month / plan / actual table QIPP phasing."""
    import io
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Activity"
    sheet.append(["Activity plan 2024/25"])
    sheet.append(["Ref", "Month", "Plan", "Actual"])
    sheet.append(["E.M.7", datetime(2024, 4, 1), 25761, 25102])
    out = io.BytesIO()
    book.save(out)
    result = loaders.load_workbook(out.getvalue(), "activity.xlsx")
    assert [d.kind for d in result.datasets] == ["activity"]


def test_month_dates_under_plan_and_actual_groups():
    """A group row over a row of month dates (as Excel keeps 'Apr-24' headers) is one two-row header."""
    import io
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(["QIPP 2024/25 £'000"])
    months = [datetime(2024, m, 1) for m in (4, 5, 6)]
    sheet.append(["Scheme ID", "Scheme", "Stage", "Plan", None, None, "Actual", None, None])
    sheet.append([None, None, None, *months, *months])
    sheet.merge_cells("D2:F2")
    sheet.merge_cells("G2:I2")
    sheet.append(["Q1", "Falls service", "Gateway 3", 10, 10, 12, 9, 11, None])
    out = io.BytesIO()
    book.save(out)
    result = loaders.load_workbook(out.getvalue(), "tracker.xlsx")
    assert [d.kind for d in result.datasets] == ["qipp_schemes", "qipp_phasing"]
    assert phasing(result) == {
        ("Q1", "2024-04-01"): (10.0, 9.0),
        ("Q1", "2024-05-01"): (10.0, 11.0),
        ("Q1", "2024-06-01"): (12.0, None),
    }


def test_period_columns_named_with_their_measure_and_a_scheme_header_make_a_tracker(results):
    result = results["qipp_period_columns.xlsx"]
    assert result.errors == [] and datasets(result, "activity") == []
    assert [(r[0], r[2], r[9]) for r in schemes(result)] == [("CIP-7", "Surgery", 370.0), ("CIP-8", "Corporate", 140.0)]
    assert phasing(result) == {
        ("CIP-7", "2025-04-01"): (30.0, 28.0),
        ("CIP-7", "2025-05-01"): (30.0, 33.0),
        ("CIP-7", "2025-06-01"): (35.0, None),
        ("CIP-8", "2025-04-01"): (12.0, 12.0),
        ("CIP-8", "2025-05-01"): (12.0, 10.0),
        ("CIP-8", "2025-06-01"): (12.0, None),
    }
    assert issues(result) == []


def test_an_actual_row_is_the_phasing_of_the_scheme_it_names_wherever_it_sits():
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Savings"
    sheet.append(["Savings programme 2024/25 (£)"])
    sheet.append(["Scheme Ref", "Scheme", "RAG", "Saving", "Series", "Apr", "May", "Jun"])
    sheet.append(["S2", None, None, None, "Actual", 900, 1100, None])  # S2's actual, above its plan row
    sheet.append(["S1", "Wound care", "Green", 12000, "Plan", 1000, 1000, 1000])
    sheet.append(["S2", "Stoma products", "Amber", 6000, "Plan", 500, 500, 500])
    sheet.append([None, None, None, None, "Actual", 450, 520, None])  # under S2: S2's
    out = io.BytesIO()
    book.save(out)
    result = loaders.load_workbook(out.getvalue(), "savings.xlsx")
    assert [r[0] for r in schemes(result)] == ["S1", "S2"]
    assert phasing(result) == {
        ("S1", "2024-04-01"): (1.0, None),
        ("S1", "2024-05-01"): (1.0, None),
        ("S1", "2024-06-01"): (1.0, None),
        ("S2", "2024-04-01"): (0.5, 0.45),
        ("S2", "2024-05-01"): (0.5, 0.52),
        ("S2", "2024-06-01"): (0.5, None),
    }
    warned = [(i.code, i.cell) for d in result.datasets for i in d.issues if i.severity == "warning"]
    assert ("duplicate_ref", "Savings!F6") in warned  # S2's April actual given twice: reported, the later kept
    assert ("info", "pounds_converted", "Savings!D2") in issues(result)


@pytest.mark.parametrize("kind", ["qipp_schemes", "qipp_phasing"])
def test_blank_templates_carry_the_in_year_fields_and_read_back(kind):
    from loaders.templates import EXAMPLES, template_workbook

    result = loaders.load_workbook(template_workbook(kind), f"{kind}.xlsx")
    (found,) = [d for d in result.datasets if d.kind == kind]
    record = found.records[0]
    wanted = {
        "qipp_schemes": ("plan_ytd", "actual_ytd", "forecast"),
        "qipp_phasing": ("ref", "month", "plan", "actual"),
    }
    for field in wanted[kind]:
        assert record[field] == EXAMPLES[kind][field], field
    assert not [i for i in found.issues if i.code == "pounds_converted"]
