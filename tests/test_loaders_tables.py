"""Finding tables on plain rows: header anywhere in the first rows, two-row headers, merged groups,
stacked tables, section banners; and what a workbook says about itself."""

from __future__ import annotations

from datetime import datetime

import pytest

from loaders.context import date_in_text, month_in, read_context
from loaders.kinds import ACCEPT
from loaders.tables import combine_rows, find_tables
from loaders.workbook import Sheet


def sheet(rows, merged=(), name="S"):
    width = max(len(r) for r in rows)
    return Sheet(name, True, [list(r) + [None] * (width - len(r)) for r in rows], list(merged))


RISK_HEADER = ["Risk ID", "Risk title", "Owner", "Likelihood", "Consequence", "Current score"]


def test_header_under_title_rows_is_found_at_its_row():
    rows = [
        ["Board Assurance Framework"],
        ["As at 1 April 2019"],
        [],
        [],
        *[[None]] * 15,
        RISK_HEADER,
        ["1", "A", "CN", 3, 4, 12],
    ]
    (table,) = find_tables(sheet(rows), ACCEPT)
    assert table.layout == "risks" and table.header_row == 20
    assert list(table.body()) == [20]
    assert table.above[0] == (0, "Board Assurance Framework")


def test_no_header_in_the_first_rows_means_no_table():
    rows = [["notes"]] * 31 + [RISK_HEADER, ["1", "A", "CN", 3, 4, 12]]
    assert find_tables(sheet(rows), ACCEPT) == []


def test_two_row_header_with_merged_groups():
    rows = [
        ["Ref", "Title", "Initial", None, None, "Current", None, None],
        [None, None, "Likelihood", "Consequence", "Rating", "Likelihood", "Consequence", "Rating"],
        ["AF1", "Cyber", "LIKELY", "MAJOR", 16, "POSS", "MAJOR", 12],
    ]
    merged = [(0, 2, 0, 4), (0, 5, 0, 7), (0, 0, 1, 0), (0, 1, 1, 1)]
    (table,) = find_tables(sheet(rows, merged), ACCEPT)
    assert table.header_rows == [0, 1] and table.start == 2
    assert table.match.columns["initial_consequence"] == 3 and table.match.columns["current_score"] == 7


def test_a_banner_merged_across_the_table_is_a_section_not_a_sub_header():
    rows = [
        ["Risk", "Current Risk Score", "Target Risk Score", "Owner"],
        ["Financial Management", None, None, None],
        ["Failure to break even", "20 4x5 Red", "10 2x5 Amber", "CFO"],
    ]
    (table,) = find_tables(sheet(rows, [(1, 0, 1, 3)]), ACCEPT)
    assert table.header_rows == [0] and table.start == 1


def test_stacked_tables_and_the_heading_between_them():
    rows = [
        ["Programme", "Savings Target"],
        ["Acute", 100],
        [],
        ["Recovery actions"],
        ["Ref", "Action", "Owner", "Due Date", "RAG"],
        ["1", "Do it", "CFO", "30/09/19", "Green"],
    ]
    first, second = find_tables(sheet(rows), ACCEPT)
    assert (first.layout, first.start, first.end) == ("qipp_targets", 1, 2)
    assert (second.layout, second.header_row) == ("actions", 5)
    assert second.heading() == "Recovery actions"


def test_combine_rows_lends_a_group_to_its_sub_columns_only():
    texts, groups = combine_rows({0: "Area", 1: "0 - Pipeline", 3: "Target"}, {1: "No.", 2: "Value"})
    assert texts == {0: "Area", 1: "No.", 2: "Value", 3: "Target"}
    assert groups == {1: "0 - Pipeline", 2: "0 - Pipeline"}


class _Book:
    def __init__(self, *sheets):
        self.sheets = list(sheets)


def test_context_from_a_cover_sheet():
    cover = sheet(
        [["Organisation:", "Test CCG"], ["As at:", datetime(2019, 3, 28)], ["assurance-dashboard:synthetic-demo-data"]],
        name="Cover",
    )
    ctx = read_context(_Book(cover))
    assert (ctx.org, ctx.as_at, ctx.synthetic) == ("Test CCG", "2019-03-28", True)
    assert ctx.financial_year == "2018/19" and ctx.fy_start_year == 2018


@pytest.mark.parametrize(
    "words",
    ["No synthetic data was used in this report.", "Synthetic demo data", "SYNTHETIC DATA: none", "synthetic data"],
)
def test_words_about_synthetic_data_never_mark_a_workbook_synthetic(words):
    cover = sheet([["Organisation:", "Real CCG"], ["As at:", datetime(2019, 3, 28)], [words]], name="Cover")
    assert not read_context(_Book(cover)).synthetic


def test_context_from_title_rows():
    body = sheet(
        [
            ["Cambridgeshire and Peterborough CCG Improvement Plan 2018-2019"],
            ["Month 3 Position vs Plan"],
            ["Date last reviewed: 23 January 2019"],
        ]
    )
    ctx = read_context(_Book(sheet([["Front page"]], name="Cover"), body))
    assert ctx.org == "Cambridgeshire and Peterborough CCG"
    assert ctx.as_at == "2019-01-23" and ctx.month == 3 and ctx.financial_year == "2018/19"
    assert not ctx.synthetic


def test_dates_and_months_in_text():
    assert date_in_text("As at January 10th January 2019") == "2019-01-10"
    assert date_in_text("28 March 2019") == "2019-03-28"
    assert date_in_text("Last report (01/02/19)") == "2019-02-01"
    assert date_in_text("no date here") is None
    assert month_in("M3 position") == 3 and month_in("Month 12") == 12 and month_in("Monthly report") is None


def test_month_n_of_a_financial_year_gives_the_as_at_when_no_date_is_stated():
    ctx = read_context(_Book(sheet([["Finance report 2018/19"], ["Month 3 position"]], name="M3")))
    assert (ctx.financial_year, ctx.month, ctx.as_at) == ("2018/19", 3, "2018-06-30")
    ctx = read_context(_Book(sheet([["Finance report 2018/19"], ["Month 11 position"]], name="M11")))
    assert ctx.as_at == "2019-02-28"
