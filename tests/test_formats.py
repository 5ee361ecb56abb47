"""The house formats (``formats``), and every table on every page shown in them (under AppTest, which sees each
table's column headings and formats; the browser sees only the canvas the cells are drawn on)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pandas as pd
import pytest

import formats
from tests.conftest import run_page

SAMPLE_ORGS = ["Bedfordshire CCG", "Cambridgeshire and Peterborough CCG", "Oxfordshire CCG", "Southend CCG"]
PAGES = ["overview", "risks", "qipp", "finance", "activity", "improvement"]
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-1976, "(1,976)"), (-1975.6, "(1,976)"), (1184770, "1,184,770"), (0, "0"), (-0.4, "0"), (None, "–")],
)
def test_money_is_thousands_with_negatives_in_brackets(value, expected):
    assert formats.money(value) == expected


def test_money_in_words_and_without_brackets():
    assert formats.money(-818, brackets=False) == "-818"
    assert formats.money(float("nan"), missing="") == ""


def test_percentages_to_one_decimal():
    assert formats.percent(65.1515) == "65.2%" and formats.percent(5.8742, signed=True) == "+5.9%"
    assert formats.percent(-7.36, signed=True) == "-7.4%" and formats.percent(87) == "87.0%"
    assert formats.percent(63.2353, symbol=False) == "63.2" and formats.percent(None) == "–"


def test_dates_as_day_month_year():
    assert formats.date(date(2018, 7, 30)) == "30 Jul 2018"
    assert formats.date(pd.Timestamp("2019-02-01 13:45")) == "1 Feb 2019"
    assert formats.date("2018-07-30") == "30 Jul 2018" and formats.date(pd.NaT, missing="no date") == "no date"
    assert formats.month(datetime(2018, 4, 1)) == "Apr 2018"


def test_headings_are_words_never_field_names():
    assert formats.heading("plan_as_at") == "Plan as at" and formats.heading("variance_pct") == "Variance %"
    assert formats.heading("ytd_variance") == "YTD variance £'000"
    assert formats.heading("days_late") == "Days late" and formats.heading("restated") == "Restated"
    assert formats.heading("Forecast variance £'000") == "Forecast variance £'000"  # a heading stays as it is
    assert list(formats.readable(pd.DataFrame(columns=["ref", "due_date"])).columns) == ["Ref", "Due"]


def test_a_frame_written_out_has_every_cell_in_the_house_format():
    frame = pd.DataFrame(
        {
            "line": ["Acute", None],
            "ytd_variance": [-1164.2, 91.0],
            "variance_pct": [5.8742, None],
            "as_at": pd.to_datetime(["2018-07-30", None]),
            "recurrent": [True, False],
            "count": [1234, 5],
        }
    )
    shown = formats.written(frame, money_columns=["ytd_variance"], percent_columns=["variance_pct"])
    assert list(shown.columns) == ["Line", "YTD variance £'000", "Variance %", "As at", "Recurrent", "Count"]
    assert shown.iloc[0].tolist() == ["Acute", "(1,164)", "5.9%", "30 Jul 2018", "Yes", "1,234"]
    assert shown.iloc[1].tolist() == ["–", "91", "–", "–", "No", "5"]


def column_problems(frame: pd.DataFrame, columns: dict, where: str) -> list[str]:
    """What is wrong with one table as shown: a field name for a heading, money without brackets for negatives,
    a percentage not to one decimal, a date not as 30 Jul 2018. (A missing value's dash is checked by the caller.)"""
    problems = []
    for column in frame.columns:
        shown = columns.get(str(column), {})
        if shown.get("hidden"):
            continue
        label = shown.get("label", str(column))
        values = frame[column]
        kind = shown.get("type_config", {})
        if formats.FIELD_NAME.match(label) or formats.WORD.match(label):
            problems.append(f"{where}: column {column!r} headed {label!r}")
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        if numeric and "£" in label and kind.get("format") != "accounting":
            problems.append(f"{where}: money column {label!r} shown as {kind or 'plain numbers'}")
        if numeric and label.endswith("%") and kind.get("format") != formats_percent():
            problems.append(f"{where}: percentage column {label!r} shown as {kind or 'plain numbers'}")
        if formats.is_date_column(values) and kind.get("format") != "D MMM YYYY":
            problems.append(f"{where}: date column {label!r} shown as {kind or 'ISO'}")
        if values.dtype == object:
            texts = [v for v in values if isinstance(v, str)]
            if any(ISO_DATE.search(v) for v in texts):
                problems.append(f"{where}: ISO date in {label!r}")
            if "£" in label and any(re.match(r"^[-−]\d", v) for v in texts):
                problems.append(f"{where}: minus-signed money in {label!r}")
    return problems


def formats_percent() -> str:
    from pages.formatting import PERCENT

    return PERCENT["format"]


def test_every_table_on_every_page_has_readable_headings_and_house_formats(sample_db):
    problems = []
    tables = 0
    for org in SAMPLE_ORGS:
        for page in PAGES:
            at = run_page(f"pages/{page}.py", org=org)
            assert not at.exception, (page, org, at.exception)
            for element in at.dataframe:
                tables += 1
                where = f"{page} {org}"
                problems += column_problems(element.value, json.loads(element.proto.columns or "{}"), where)
                if element.proto.placeholder != formats.MISSING:
                    problems.append(f"{where}: a missing value shown as {element.proto.placeholder or 'None'!r}")
    assert tables > 20  # the sample organisations fill most tables of every page
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_the_table_check_finds_what_it_is_for():
    frame = pd.DataFrame({"plan_as_at": pd.to_datetime(["2018-07-30"]), "Gap £'000": [-91.0], "Done %": [65.15]})
    assert len(column_problems(frame, {}, "raw")) == 4  # a field name, plain money, a plain %, an ISO date
