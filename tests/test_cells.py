"""Cell parsers: the documented examples, near misses that must not parse, and never raising."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.cells import (
    DateCell,
    Parsed,
    ScoreCell,
    clean_text,
    column_multiplier,
    is_blank,
    parse_date,
    parse_int,
    parse_level,
    parse_money,
    parse_rag,
    parse_score,
    rag_from_fill,
    ref_text,
)

# --- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Risk   to\nquality ", "Risk to quality"),
        ("<p>4 x 4 = 16</p>", "4 x 4 = 16"),
        ("<b>Bold</b> and <i>it</i>alic", "Bold and italic"),
        ('<ul style="margin:0"><li>One</li><li>Two</li></ul>', "One Two"),
        ("Finance &amp; Performance", "Finance & Performance"),
        ("a\u00a0b", "a b"),
        ("a < b and c > d", "a < b and c > d"),
        ("&lt;p&gt;", "<p>"),
        (12, "12"),
        (1.5, "1.5"),
        ("", None),
        ("   ", None),
        ("<p></p>", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "–", " - ", "\u00a0"])
def test_blank(raw):
    assert is_blank(raw)


@pytest.mark.parametrize("raw", [0, "0", "x", "--", "- 1", False])
def test_not_blank(raw):
    assert not is_blank(raw)


# --- numbers, read as the money and whole-number parsers read them -------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, 12),
        (12.5, 12.5),
        ("1,184,770", 1184770),
        ("(1,976)", -1976),
        ("-1,976", -1976),
        ("−1,976", -1976),
        ("0.0", 0),
        (" 42 ", 42),
        ("1976-", -1976),
        (".5", 0.5),
        ("1.2E+03", 1200),
    ],
)
def test_number_forms(raw, expected):
    parsed = parse_money(raw)
    assert parsed.problem is None
    assert parsed.value == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["-", "", None, "  ", "–"])
def test_blank_numbers(raw):
    assert parse_money(raw) == Parsed(None, None)


@pytest.mark.parametrize(
    ("raw", "word"),
    [
        ("#REF!", "#REF!"),
        ("#DIV/0!", "#DIV/0!"),
        ("#n/a", "#N/A"),
        ("abc", "abc"),
        ("1,18", "1,18"),
        ("1.2.3", "1.2.3"),
        ("(5", "bracket"),
        ("--5", "sign"),
        ("-(5)", "sign"),
        ("12 apples", "12 apples"),
        (True, "True"),
        (date(2019, 1, 1), "date"),
        (float("inf"), "finite"),
        (float("-inf"), "finite"),
        (float("nan"), "NaN"),
    ],
)
def test_number_problems(raw, word):
    parsed = parse_money(raw)
    assert parsed.value is None
    assert word in parsed.problem


# --- money -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "multiplier", "expected"),
    [
        (1976, 1, 1976),
        ("(1,976)", 1, -1976),
        ("-1,976", 1, -1976),
        ("1,184,770", 0.001, 1184.77),
        (1.2, 1000, 1200),
        ("£1.2m", 1, 1200),
        ("£1.2m", 0.001, 1200),
        ("£5.03 million", 1, 5030),
        ("£111,000", 1000, 111),
        ("£844,000", 1, 844),
        ("12k", 1, 12),
        ("12K", 1000, 12),
        ("£0", 1, 0),
        ("(£1.2m)", 1, -1200),
        ("-£1.2m", 1, -1200),
        ("£2bn", 1, 2_000_000),
        ("0.3", 1000, 300),
    ],
)
def test_parse_money(raw, multiplier, expected):
    parsed = parse_money(raw, multiplier)
    assert parsed.problem is None
    assert parsed.value == pytest.approx(expected)


def test_parse_money_conversion_has_no_binary_noise():
    assert parse_money(0.1, 3).value == 0.3
    assert parse_money("1.1", 1000).value == 1100


@pytest.mark.parametrize("raw", ["-", "", None])
def test_parse_money_blank(raw):
    assert parse_money(raw, 1000) == Parsed(None, None)


@pytest.mark.parametrize("raw", ["5%", "12 apples", "#REF!", "£", "£m", "abc", "12 kg"])
def test_parse_money_problems(raw):
    parsed = parse_money(raw)
    assert parsed.value is None and parsed.problem


# --- whole numbers and levels ------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [("12", 12), (12.0, 12), (12, 12), ("1,200", 1200), ("-3", -3)])
def test_parse_int(raw, expected):
    parsed = parse_int(raw)
    assert parsed == Parsed(expected, None)
    assert isinstance(parsed.value, int)


@pytest.mark.parametrize("raw", ["12.5", 12.5, "5%", "x", True])
def test_parse_int_problems(raw):
    parsed = parse_int(raw)
    assert parsed.value is None and parsed.problem


@pytest.mark.parametrize(
    ("raw", "axis", "scale", "expected"),
    [
        (4, "likelihood", "5x5", 4),
        ("4", "likelihood", "5x5", 4),
        (5.0, "consequence", "5x5", 5),
        ("LIKELY", "likelihood", "5x5", 4),
        ("Likely", "likelihood", "5x5", 4),
        ("Possible", "likelihood", "5x5", 3),
        ("POSS", "likelihood", "5x5", 3),
        ("Unlikely", "likelihood", "5x5", 2),
        ("Rare", "likelihood", "5x5", 1),
        ("Almost certain", "likelihood", "5x5", 5),
        ("MAJOR", "consequence", "5x5", 4),
        ("Moderate", "consequence", "5x5", 3),
        ("Minor", "consequence", "5x5", 2),
        ("Catastrophic", "consequence", "5x5", 5),
        ("Negligible", "consequence", "5x5", 1),
        ("4 - Likely", "likelihood", "5x5", 4),
        ("Major (4)", "consequence", "5x5", 4),
        (3, "likelihood", "3x3", 3),
        ("Medium", "consequence", "3x3", 2),
        ("High", "likelihood", "3x3", 3),
        ("Low", "likelihood", "3x3", 1),
    ],
)
def test_parse_level(raw, axis, scale, expected):
    assert parse_level(raw, axis, scale) == Parsed(expected, None)


@pytest.mark.parametrize(
    ("raw", "axis", "scale"),
    [
        (7, "likelihood", "5x5"),
        (-1, "likelihood", "5x5"),
        (0, "consequence", "5x5"),
        (6, "consequence", "5x5"),
        (4, "likelihood", "3x3"),
        (2.5, "likelihood", "5x5"),
        ("Sometimes", "likelihood", "5x5"),
        ("MAJOR", "likelihood", "5x5"),  # a consequence word on the likelihood axis
        ("LIKELY", "consequence", "5x5"),
        ("3 - Likely", "likelihood", "5x5"),  # the number and the word disagree
        ("LIKELY", "likelihood", "3x3"),
        (3, "impact", "5x5"),
        (3, "likelihood", "4x4"),
    ],
)
def test_parse_level_problems(raw, axis, scale):
    parsed = parse_level(raw, axis, scale)
    assert parsed.value is None and parsed.problem


def test_parse_level_blank():
    assert parse_level("", "likelihood") == Parsed(None, None)
    assert parse_level(None, "consequence") == Parsed(None, None)


# --- scores ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3 x 4 = 12", (3, 4, 12, None)),
        ("$3 \\times 4 = 12$", (3, 4, 12, None)),
        ("4.x 4 = 16", (4, 4, 16, None)),
        ("<p>4 x 4 = 16</p>", (4, 4, 16, None)),
        ("20 4x5 Red", (4, 5, 20, "red")),
        ("20 5x4 Red", (5, 4, 20, "red")),
        ("16 4x4", (4, 4, 16, None)),
        ("16 Red", (None, None, 16, "red")),
        ("12 Amber", (None, None, 12, "amber")),
        ("4 Yellow", (None, None, 4, "yellow")),
        ("3 1x3 Green", (1, 3, 3, "green")),
        ("12", (None, None, 12, None)),
        (12, (None, None, 12, None)),
        (12.0, (None, None, 12, None)),
        ("4x4", (4, 4, 16, None)),
        ("4X4", (4, 4, 16, None)),
        ("3 × 4", (3, 4, 12, None)),
        ("3*4=12", (3, 4, 12, None)),
        ("LIKELY x MAJOR", (4, 4, 16, None)),
        ("Possible x Moderate = 9", (3, 3, 9, None)),
        ("16 (4x4)", (4, 4, 16, None)),
        ("25 Red.", (None, None, 25, "red")),
    ],
)
def test_parse_score(raw, expected):
    cell = parse_score(raw)
    assert (cell.likelihood, cell.consequence, cell.score, cell.rag) == expected
    assert cell.problems == []


def test_parse_score_keeps_stated_score_that_disagrees():
    cell = parse_score("20 4x4")
    assert (cell.likelihood, cell.consequence, cell.score) == (4, 4, 20)
    assert cell.problems == ["score 20 is not 4 x 4 = 16"]
    cell = parse_score("3 x 4 = 16")
    assert (cell.likelihood, cell.consequence, cell.score) == (3, 4, 16)
    assert "16 is not 3 x 4 = 12" in cell.problems[0]


@pytest.mark.parametrize(("raw", "stated"), [("16 Green", "green"), ("4 Red", "red"), ("20 4x5 Amber", "amber")])
def test_parse_score_rag_disagreeing_with_band(raw, stated):
    cell = parse_score(raw)
    assert cell.score is not None and cell.rag == stated
    assert any("cell says" in p for p in cell.problems)


def test_parse_score_3x3():
    assert parse_score("3 x 3 = 9", "3x3") == ScoreCell(3, 3, 9, None, [])
    assert parse_score("High x Medium", "3x3")[:3] == (3, 2, 6)
    assert parse_score("9 Red", "3x3").problems == []
    assert parse_score("4 x 4", "3x3").score is None


@pytest.mark.parametrize(
    "raw", ["banana", "6 x 6", "30", "0", "12.5", "Red", "12 Purple", "x", "LIKELY x SEVERE", "1 2 3"]
)
def test_parse_score_problems(raw):
    cell = parse_score(raw)
    assert cell.score is None or cell.problems
    assert cell.problems


def test_parse_score_unparseable_is_all_none():
    assert parse_score("not assessed yet") == ScoreCell(
        None, None, None, None, ["'not assessed yet' is not a risk score"]
    )


def test_parse_score_blank():
    assert parse_score("") == ScoreCell(None, None, None, None, [])
    assert parse_score(None) == ScoreCell(None, None, None, None, [])


# --- RAG ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Red", "red"),
        ("R", "red"),
        (" red ", "red"),
        ("AMBER", "amber"),
        ("Complete", "blue"),
        ("Completed*", "blue"),
        ("On-Track", "green"),
        ("On track", "green"),
        ("B", "blue"),
        ("Delayed", "red"),
        ("Not Started", "grey"),
        ("Gray", "grey"),
        ("Yellow", "yellow"),
    ],
)
def test_parse_rag(raw, expected):
    assert parse_rag(raw) == Parsed(expected, None)


@pytest.mark.parametrize("raw", ["", None, "  ", "-"])
def test_parse_rag_blank(raw):
    assert parse_rag(raw) == Parsed(None, None)


@pytest.mark.parametrize("raw", ["x", "Reddish", "Purple", 3, "Re d"])
def test_parse_rag_unknown(raw):
    assert parse_rag(raw) == Parsed(None, f"unknown RAG word '{clean_text(raw)}'")


@pytest.mark.parametrize(
    ("rgb", "expected"),
    [
        ("FF0000", "red"),
        ("FFFF0000", "red"),
        ("#00B050", "green"),
        ("FFC000", "amber"),
        ("E6B000", "amber"),
        ("0070C0", "blue"),
        ("FFC7CE", "red"),
        ("FFFF00", "yellow"),
        ("BFBFBF", "grey"),
    ],
)
def test_rag_from_fill(rgb, expected):
    assert rag_from_fill(rgb) == expected


@pytest.mark.parametrize(
    "rgb",
    [
        None,
        "",
        "FFFFFF",
        "FFFFFFFF",
        "F8F8F8",
        "800080",
        "000000",
        "nonsense",
        "12345",
        "D9E1F2",
        "FFF2CC",
        "F2F2F2",
        "DDEBF7",
    ],
)
def test_rag_from_fill_none(rgb):
    assert rag_from_fill(rgb) is None


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        (datetime(2019, 1, 23), "2019-01-23"),
        (datetime(2019, 1, 23, 15, 30), "2019-01-23"),
        (date(2019, 1, 23), "2019-01-23"),
        (43488, "2019-01-23"),
        (43488.0, "2019-01-23"),
        ("23 January 2019", "2019-01-23"),
        ("28th March 2019", "2019-03-28"),
        ("30 th July 2018", "2018-07-30"),
        ("1st Feb 19", "2019-02-01"),
        ("23-Jan-2019", "2019-01-23"),
        ("12.02.19", "2019-02-12"),
        ("10/03/19", "2019-03-10"),
        ("01/11/2018", "2018-11-01"),
        ("2019-03-28", "2019-03-28"),
        ("2019-03-28 00:00:00", "2019-03-28"),
        ("May-18", "2018-05-31"),
        ("Dec-17", "2017-12-31"),
        ("Feb-20", "2020-02-29"),
        ("August 2019", "2019-08-31"),
        ("Sept 2019", "2019-09-30"),
        ("January 23, 2019", "2019-01-23"),
        ("by 31/03/19", "2019-03-31"),
        ("End of March 2019", "2019-03-31"),
    ],
)
def test_parse_date(raw, iso):
    cell = parse_date(raw)
    assert cell.iso == iso
    assert cell.original_iso is None
    assert cell.problem is None


def test_parse_date_text_is_verbatim():
    assert parse_date("30 th July 2018").text == "30 th July 2018"
    assert parse_date(date(2019, 1, 23)).text == "2019-01-23"
    assert parse_date(43488).text == "43488"


@pytest.mark.parametrize(
    ("raw", "fy", "default", "iso"),
    [
        ("24-May", 2018, None, "2018-05-24"),
        ("24-Dec", 2018, None, "2018-12-24"),
        ("24-Feb", 2018, None, "2019-02-24"),
        ("1 April", 2018, None, "2018-04-01"),
        ("31 March", 2018, None, "2019-03-31"),
        ("24-May", None, 2020, "2020-05-24"),
        ("24-Feb", 2018, 2030, "2019-02-24"),
        ("24-May-17", 2018, None, "2017-05-24"),
    ],
)
def test_parse_date_year_from_context(raw, fy, default, iso):
    assert parse_date(raw, fy_start_year=fy, default_year=default).iso == iso


def test_parse_date_without_year_or_context_is_a_problem():
    cell = parse_date("24-May")
    assert cell.iso is None and "no year" in cell.problem and cell.text == "24-May"


def test_parse_date_revised_and_original():
    assert parse_date("30/11/18 (01/09/18)") == DateCell("2018-11-30", "2018-09-01", "30/11/18 (01/09/18)", None)
    assert parse_date("31/03/2019 (revised)") == DateCell("2019-03-31", None, "31/03/2019 (revised)", None)
    half = parse_date("30/11/18 (41/09/18)")
    assert half.iso == "2018-11-30" and half.original_iso is None and half.problem


@pytest.mark.parametrize("raw", ["Ongoing", "On-going", "On Going", "ONGOING", "NA", "N/A", "n/a", "Immediate", "TBC"])
def test_parse_date_recognised_non_dates(raw):
    assert parse_date(raw) == DateCell(None, None, raw, None)


@pytest.mark.parametrize(
    "raw",
    [
        "banana",
        "31/02/2019",
        "01/13/2019",
        "1 Jan 1850",
        "2150-01-01",
        "Q4",
        "Mayday 2019",
        "32/01/2019",
        "Soon",
        time(10, 0),
        12,
        99999,
        -5,
        True,
        date(1850, 1, 1),
        "2019",
        "On going soon",
    ],
)
def test_parse_date_problems(raw):
    cell = parse_date(raw)
    assert cell.iso is None
    assert cell.problem


def test_parse_date_blank():
    assert parse_date(None) == DateCell(None, None, None, None)
    assert parse_date("  ") == DateCell(None, None, None, None)


# --- refs and units ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number_format", "expected"),
    [
        ("1.10", None, "1.10"),
        (" 1.10 ", None, "1.10"),
        (1.1, "0.00", "1.10"),
        (1.1, "#,##0.00", "1.10"),
        (3.0, None, "3"),
        (3, None, "3"),
        (3, "0.0", "3.0"),
        (1.1, None, "1.1"),
        (1.1, "General", "1.1"),
        (1.1, "0.0#", "1.1"),
        (1.25, "0.0#", "1.25"),
        (0.1 + 0.2, None, "0.3"),
        (12.0, "0", "12"),
        ("<b>R1</b>", None, "R1"),
        (None, None, None),
        ("", None, None),
    ],
)
def test_ref_text(raw, number_format, expected):
    assert ref_text(raw, number_format) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("£m", 1000),
        ("£'m", 1000),
        ("(£m)", 1000),
        ("Net value £M", 1000),
        ("Forecast £ million", 1000),
        ("£'000", 1),
        ("£000", 1),
        ("£k", 1),
        ("(£'000s)", 1),
        ("Value (£'000s)", 1),
        ("Saving £000", 1),
        ("£", 0.001),
        ("Budget £", 0.001),
        ("Value", None),
        ("Months", None),
        ("Milestone", None),
        ("", None),
    ],
)
def test_column_multiplier(header, expected):
    assert column_multiplier(header) == expected


# --- never raising -----------------------------------------------------------------------------

ANY_CELL = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789.,()-£$%xX=kmMRedAmbr /<>&;#!", max_size=30),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)


@settings(max_examples=300, deadline=None)
@given(ANY_CELL, st.sampled_from(["5x5", "3x3", "bad"]), st.sampled_from(["likelihood", "consequence", "x"]))
def test_parsers_never_raise(value, scale, axis):
    clean_text(value)
    is_blank(value)
    assert isinstance(parse_money(value, 1000), Parsed)
    assert isinstance(parse_int(value), Parsed)
    assert isinstance(parse_level(value, axis, scale), Parsed)
    assert isinstance(parse_score(value, scale), ScoreCell)
    assert isinstance(parse_rag(value), Parsed)
    assert isinstance(parse_date(value, fy_start_year=2018), DateCell)
    ref_text(value, "0.00")
    ref_text(value)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), st.text(), st.integers(), st.floats()), st.one_of(st.none(), st.text()))
def test_fill_format_and_unit_helpers_never_raise(value, text):
    rag_from_fill(text)
    column_multiplier(text)
    ref_text(value, text)
    parse_money(value, float("nan"))
    parse_date(value, fy_start_year=-(10**9), default_year=10**9)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_numbers_round_trip_through_text(number):
    assert parse_money(f"{number:,}").value == number
    assert parse_money(f"({abs(number):,})").value == -abs(number)


@pytest.mark.parametrize(
    ("text", "due", "original"),
    [
        ("Jan 18 to March 18", "2018-03-31", None),
        ("April - Sept 18", "2018-09-30", None),
        ("Mar-May 2018", "2018-05-31", None),
        ("Jan/Feb 2018", "2018-02-28", None),
        ("March/ April 18", "2018-04-30", None),
        ("April 2018 ++", "2018-04-30", None),
        ("Q4 2017/18 - Q2 2018/19", "2018-09-30", None),
        ("Q4 2017/18 - Q4 2021/22", "2022-03-31", None),
        ("May 18  July 18", "2018-07-31", "2018-05-31"),
        ("Feb 18  April 18  Aug 18", "2018-08-31", "2018-02-28"),
    ],
)
def test_month_ranges_are_due_at_the_end_of_the_last_period(text, due, original):
    parsed = parse_date(text)
    assert (parsed.iso, parsed.original_iso, parsed.problem) == (due, original, None)
    assert parsed.text == clean_text(text)


@pytest.mark.parametrize(
    "text", ["Feb/Mar 2018 date change by Andrew Pike to April 18", "Jan 18 to March 18 maybe", "mayhem"]
)
def test_periods_with_other_words_are_not_guessed(text):
    parsed = parse_date(text)
    assert parsed.iso is None and parsed.problem
