"""Finance positions laid out as integrated care boards keep them today (tests/corpus/current_finance.py): each
read with no correction into lines under their sections, sub-totals checked against their own section only."""

from __future__ import annotations

import pytest

import loaders
from loaders.context import read_context
from loaders.templates import template_workbook
from loaders.workbook import open_workbook
from tests.corpus import current_finance as corpus

SECTION_TOTALS = {"Acute Services", "Mental Health", "Community Services", "Primary Care"}


def _positions(name: str):
    result = loaders.load_workbook(corpus.VARIANTS[name](), name)
    assert result.errors == []
    found = [d for d in result.datasets if d.kind == "finance_lines"]
    assert len(found) == 1
    return found[0]


def _line(line: tuple, section: str | None = None, prior: bool = True, scale: float = 1.0) -> dict:
    values = dict(zip(corpus.HEADER_FIELDS, corpus.figures(line), strict=True))
    found = {
        "line": line[1],
        "section": section or line[0],
        "is_total": False,
        **{f: v * scale for f, v in values.items()},
    }
    if prior:
        found["prior_forecast_variance"] = line[6] * scale
    return found


def _total(name: str, lines: list[tuple], section: str | None, prior: bool = True, scale: float = 1.0) -> dict:
    values = dict(zip(corpus.HEADER_FIELDS, corpus.summed(lines), strict=True))
    found = {"line": name, "section": section, "is_total": True, **{f: v * scale for f, v in values.items()}}
    if prior:
        found["prior_forecast_variance"] = sum(line[6] for line in lines) * scale
    return found


def _read(dataset, fields) -> list[dict]:
    return [{f: r[f] for f in fields} for r in dataset.records]


def _expected_sectioned() -> list[dict]:
    expected = []
    for section in corpus.SECTIONS:
        expected += [_line(line) for line in section]
        expected.append(_total(f"Total {section[0][0]}", section, section[0][0]))
    every = [line for section in corpus.SECTIONS for line in section]
    expected.append(_total("Total ICB Expenditure", every, None))
    spend = corpus.summed(every)
    expected.append({"line": "Allocation", "section": None, "is_total": False, "annual_budget": corpus.ALLOCATION[1]})
    deficit = corpus.ALLOCATION[4] - spend[4]
    expected.append({"line": "Surplus / (Deficit)", "section": None, "is_total": False, "forecast_outturn": deficit})
    return expected


def _expected_top() -> list[dict]:
    every = [line for section in corpus.SECTIONS for line in section]
    expected = [_total("Total Expenditure", every, None, prior=False)]
    for section in corpus.SECTIONS:
        expected.append(_total(f"Total {section[0][0]}", section, section[0][0], prior=False))
        expected += [_line(line, prior=False) for line in section]
    return expected


def _expected_pounds() -> list[dict]:
    both = corpus.ACUTE + corpus.MENTAL_HEALTH
    expected = [_line(line) for line in both]
    return [*expected, _total("Total", both, None)]


def _expected_millions() -> list[dict]:
    expected = []
    for section in (corpus.ACUTE, corpus.PRIMARY):
        expected += [_line(line) for line in section]
        expected.append(_total(f"{section[0][0]} Total", section, section[0][0]))
    return expected


def _expected_generic() -> list[dict]:
    expected = [{"line": "Allocation", "section": "Income", "is_total": False, "annual_budget": corpus.ALLOCATION[1]}]
    for section in (corpus.ACUTE, corpus.COMMUNITY):
        expected += [_line(line) for line in section]
        expected.append(_total("Sub-total", section, section[0][0]))
    return [*expected, _total("Total", corpus.ACUTE + corpus.COMMUNITY, None)]


def _expected_section_column() -> list[dict]:
    expected = []
    for section in (corpus.MENTAL_HEALTH, corpus.PRIMARY):
        expected += [_line(line) for line in section]
        expected.append(_total(f"{section[0][0]} Total", section, section[0][0]))
    return [*expected, _total("Grand Total", corpus.MENTAL_HEALTH + corpus.PRIMARY, None)]


def _expected_grouped() -> list[dict]:
    expected = []
    for section in (corpus.ACUTE, corpus.MENTAL_HEALTH):
        expected += [_line(line) for line in section]
        expected.append(_total(f"Total {section[0][0]}", section, section[0][0]))
    return expected


def _expected_headings_with_figures() -> list[dict]:
    expected = []
    for section in (corpus.ACUTE, corpus.COMMUNITY, corpus.PRIMARY):
        expected.append(_total(section[0][0], section, section[0][0], prior=False))
        expected += [_line(line, prior=False) for line in section]
    every = corpus.ACUTE + corpus.COMMUNITY + corpus.PRIMARY
    return [*expected, _total("Total Commissioning", every, None, prior=False)]


EXPECTED = {
    "finance_sectioned_m7.xlsx": _expected_sectioned,
    "finance_totals_at_top.xlsx": _expected_top,
    "finance_in_pounds.xlsx": _expected_pounds,
    "finance_in_millions.xlsx": _expected_millions,
    "finance_generic_sub_totals.xlsx": _expected_generic,
    "finance_section_column.xlsx": _expected_section_column,
    "finance_grouped_header.xlsx": _expected_grouped,
    "finance_headings_with_figures.xlsx": _expected_headings_with_figures,
}


def _close(found: list[dict], expected: list[dict]) -> bool:
    if len(found) != len(expected):
        return False
    for got, want in zip(found, expected, strict=True):
        for f, v in want.items():
            if isinstance(v, float | int) and not isinstance(v, bool):
                if got[f] is None or abs(got[f] - v) > 1e-6:
                    return False
            elif got[f] != v:
                return False
    return True


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_current_layout_is_read_into_its_lines_with_no_correction(name):
    dataset = _positions(name)
    expected = EXPECTED[name]()
    found = _read(dataset, sorted({f for want in expected for f in want}))
    assert _close(found, expected), found
    assert {r["month"] for r in dataset.records} == {7}
    assert {r["financial_year"] for r in dataset.records} == {"2023/24"}
    assert [i for i in dataset.issues if i.severity != "info"] == []


def test_allocation_and_surplus_after_the_grand_total_are_read_and_checked():
    records = _positions("finance_sectioned_m7.xlsx").records
    allocation, surplus = records[-2], records[-1]
    assert (allocation["line"], allocation["section"], allocation["is_total"]) == ("Allocation", None, False)
    assert surplus["line"] == "Surplus / (Deficit)"
    spend = corpus.summed([line for section in corpus.SECTIONS for line in section])
    assert surplus["forecast_outturn"] == corpus.ALLOCATION[4] - spend[4]


def test_a_units_row_under_the_header_is_part_of_the_header_not_data():
    for name, units_row in (("finance_sectioned_m7.xlsx", 4), ("finance_in_millions.xlsx", 3)):
        dataset = _positions(name)
        assert all(r["source"]["row"] > units_row for r in dataset.records)
        assert not [i for i in dataset.issues if i.cell.endswith(str(units_row))], dataset.issues
        assert not [i for i in dataset.issues if i.code == "unit_assumed"]


def test_the_mapping_shows_the_units_the_units_row_states():
    result = loaders.load_workbook(corpus.sectioned_month_7(), "finance_sectioned_m7.xlsx")
    sheet = next(s for s in result.mapping["sheets"] if s["sheet"] == "Summary")
    table = sheet["tables"][0]
    assert table["header_rows"] == [3] and table["data_start"] == 5
    units = {c["letter"]: c["unit"] for c in table["columns"] if c["field"]}
    assert units and set(units.values()) == {"£'000"}


def test_figures_in_pounds_are_converted_with_an_information_issue_saying_so():
    dataset = _positions("finance_in_pounds.xlsx")
    notes = [i for i in dataset.issues if i.code == "pounds_converted"]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert "pounds" in notes[0].message and "£'000" in notes[0].message


def test_a_sub_total_that_does_not_add_up_is_reported_against_its_own_section_only():
    dataset = _positions("finance_wrong_sub_total.xlsx")
    warnings = [i for i in dataset.issues if i.severity == "warning"]
    assert [(i.code, i.cell) for i in warnings] == [("total_mismatch", "Summary!D11")]
    lines = corpus.summed(corpus.MENTAL_HEALTH)
    assert f"{lines[2]:,}" in warnings[0].message and f"{lines[2] + 500:,}" in warnings[0].message
    totals = [r for r in dataset.records if r["is_total"]]
    assert [(r["line"], r["section"]) for r in totals] == [
        ("Total Acute Services", "Acute Services"),
        ("Total Mental Health", "Mental Health"),
    ]


def test_a_wrong_top_total_is_checked_against_the_lines_below_it():
    book = corpus.totals_at_the_top()
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(book))
    workbook["Position"]["D4"] = workbook["Position"]["D4"].value + 1000  # Total Acute Services, YTD actual
    out = BytesIO()
    workbook.save(out)
    dataset = loaders.load_workbook(out.getvalue(), "top.xlsx").datasets[0]
    warnings = [(i.code, i.cell) for i in dataset.issues if i.severity == "warning"]
    assert warnings == [("total_mismatch", "Position!D4")]


@pytest.mark.parametrize(
    ("phrase", "month"),
    [("Position at 30 September 2019", 6), ("Period ending 31 October 2023", 7), ("Month 7", 7)],
)
def test_a_cover_sheets_period_phrase_gives_the_positions_month(phrase, month):
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(corpus.totals_at_the_top()))
    workbook["Cover"]["B5"] = phrase
    out = BytesIO()
    workbook.save(out)
    dataset = loaders.load_workbook(out.getvalue(), "cover.xlsx").datasets[0]
    assert {r["month"] for r in dataset.records} == {month}
    assert not [i for i in dataset.issues if i.code == "missing_month"]


def test_position_at_is_read_as_the_as_at_date():
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(corpus.totals_at_the_top()))
    workbook["Cover"]["B5"] = "Position at 30 September 2019"
    out = BytesIO()
    workbook.save(out)
    assert read_context(open_workbook(out.getvalue(), "cover.xlsx")).as_at == "2019-09-30"


def test_the_finance_template_carries_section_and_last_months_forecast_variance():
    result = loaders.load_workbook(template_workbook("finance_lines"), "template.xlsx")
    record = next(d for d in result.datasets if d.kind == "finance_lines").records[0]
    assert record["section"] == "Acute" and record["prior_forecast_variance"] == -1500


# --- stored, grouped by section, totals checked against their own section --------------------------------------


def _stored(con, name: str, build=None):
    import store
    from store import finance

    result = loaders.load_workbook((build or corpus.VARIANTS[name])(), name)
    store.ingest(con, result, org="NHS Northfield ICB", as_at="2023-10-31")
    return finance.position(con, "NHS Northfield ICB", finance.months(con, "NHS Northfield ICB")["as_at"].iloc[-1])


def test_section_and_last_months_forecast_variance_are_stored(con):
    frame = _stored(con, "finance_sectioned_m7.xlsx")
    northfield = frame[frame["line"] == "Northfield Hospitals NHS FT"].iloc[0]
    assert northfield["section"] == "Acute Services"
    assert northfield["prior_forecast_variance"] == corpus.ACUTE[0][6]
    assert frame[frame["line"] == "Total Mental Health"].iloc[0]["section"] == "Mental Health"
    assert frame[frame["line"] == "Allocation"]["section"].isna().all()


@pytest.mark.parametrize(
    ("name", "overall"),
    [
        ("finance_sectioned_m7.xlsx", "Total ICB Expenditure"),
        ("finance_totals_at_top.xlsx", "Total Expenditure"),
        ("finance_in_millions.xlsx", "sum of lines"),
        ("finance_headings_with_figures.xlsx", "Total Commissioning"),
    ],
)
def test_each_sub_total_is_checked_against_its_own_section_on_the_page(con, name, overall):
    from analysis import finance as finance_analysis

    frame = _stored(con, name)
    checks = finance_analysis.total_checks(frame)
    assert len(checks) and checks["agrees"].all(), checks[~checks["agrees"]]
    totals = frame[frame["role"].isin(["total", "derived"])]
    assert set(checks["line"]) == set(totals["line"])
    head = finance_analysis.headline(frame)
    assert head["basis"] == overall
    every = [line for section in corpus.SECTIONS for line in section]
    if name == "finance_headings_with_figures.xlsx":
        assert head["ytd_variance"] == corpus.summed(corpus.ACUTE + corpus.COMMUNITY + corpus.PRIMARY)[3]
    elif name != "finance_in_millions.xlsx":
        assert head["ytd_variance"] == corpus.summed(every)[3]


def test_a_wrong_sub_total_differs_on_the_page_from_its_own_sections_lines_only(con):
    from analysis import finance as finance_analysis

    frame = _stored(con, "finance_wrong_sub_total.xlsx")
    checks = finance_analysis.total_checks(frame)
    wrong = checks[~checks["agrees"]]
    assert list(zip(wrong["line"], wrong["measure"], wrong["difference"], strict=True)) == [
        ("Total Mental Health", "ytd_actual", 500.0)
    ]


def test_the_position_is_grouped_by_section_with_each_sub_total_after_its_lines(con):
    from analysis import finance as finance_analysis

    grouped = finance_analysis.by_section(_stored(con, "finance_totals_at_top.xlsx"))
    assert grouped["line"].iloc[0] == "Total Expenditure"
    acute = grouped[grouped["section"] == "Acute Services"]
    assert list(acute["line"]) == [*(line[1] for line in corpus.ACUTE), "Total Acute Services"]
    assert list(dict.fromkeys(grouped["section"].dropna())) == [s[0][0] for s in corpus.SECTIONS]


def test_the_section_summary_takes_each_sections_sub_total_or_sums_its_lines(con):
    from analysis import finance as finance_analysis

    summary = finance_analysis.section_summary(_stored(con, "finance_in_pounds.xlsx"))
    assert list(summary["section"]) == ["Acute Services", "Mental Health"]
    assert set(summary["basis"]) == {"sum of lines"}
    assert summary.iloc[1]["forecast_variance"] == corpus.summed(corpus.MENTAL_HEALTH)[5]
    assert summary.iloc[1]["prior_forecast_variance"] == sum(line[6] for line in corpus.MENTAL_HEALTH)


@pytest.fixture
def sectioned_db(tmp_path, monkeypatch):
    import store

    path = tmp_path / "sectioned.duckdb"
    con = store.connect(path)
    result = loaders.load_workbook(corpus.sectioned_month_7(), "finance_sectioned_m7.xlsx")
    store.ingest(con, result, org="NHS Northfield ICB", as_at="2023-10-31")
    con.close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


def test_the_finance_page_groups_lines_by_section_with_their_sub_totals(sectioned_db):
    from tests.conftest import run_page

    at = run_page("pages/finance.py")
    assert not at.exception
    assert not at.warning
    headings = [h.value for h in at.subheader]
    assert headings[:3] == [
        "Totals and in-year position, Month 7 2023/24",  # the totals stay in view above the sections
        "Position by section, Month 7 2023/24",
        "Position by line, grouped by section, Month 7 2023/24",
    ]
    by_section, by_line = at.dataframe[1].value, at.dataframe[2].value
    assert list(by_section["Section"]) == [s[0][0] for s in corpus.SECTIONS]
    assert set(by_section["From"]) == {"the source's sub-total"}
    mental = by_section[by_section["Section"] == "Mental Health"].iloc[0]
    assert mental["Last month's forecast variance £'000"] == sum(line[6] for line in corpus.MENTAL_HEALTH)
    assert list(by_line[by_line["Section"] == "Mental Health"]["Line"]) == [
        *(line[1] for line in corpus.MENTAL_HEALTH),
        "Total Mental Health",
    ]
    for frame in (by_section, by_line):
        text = frame.astype(str)
        assert not text.isin(["None", "nan", "NaT", "<NA>"]).any().any()


@pytest.mark.parametrize(
    ("label", "section"),
    [
        ("Total Mental Health", "mental health"),
        ("Mental Health Total", "mental health"),
        ("Sub-total", None),
        ("Grand Total", None),
        ("Total", None),
        ("Prescribing", None),
    ],
)
def test_a_total_is_named_for_the_section_it_totals(label, section):
    from loaders.kinds.finance import section_named

    assert section_named(label) == section
