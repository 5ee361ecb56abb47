"""Organisations compared as charts: each organisation's figure with its as-at date, the finding in words, the
colour of favourable and adverse, and the organisations with nothing loaded named rather than drawn as zero."""

from __future__ import annotations

from datetime import date

import pandas as pd

import config
from analysis import comparisons
from analysis.spc_rules import VARIATION_LABELS
from charts import compare as charts

QIPP = pd.DataFrame(
    {
        "Organisation": ["Over CCG", "Short CCG", "Empty CCG"],
        "Data": ["", "synthetic demo data", ""],
        "QIPP as at": [date(2018, 7, 30), date(2019, 3, 31), None],
        "QIPP target £'000": [35000.0, 20000.0, None],
        "QIPP risk-adjusted £'000": [35500.0, 18000.0, None],
        "QIPP gap, risk-adjusted £'000": [-500.0, 2000.0, None],
        "QIPP gap excl. pipeline £'000": [100.0, 4000.0, None],
    }
)
FINANCE = pd.DataFrame(
    {
        "Organisation": ["A CCG", "B CCG", "C CCG"],
        "Data": ["", "", ""],
        "Finance as at": [date(2018, 6, 30), date(2019, 3, 31), None],
        "Finance month": ["Month 3 2018/19", "Month 12 2018/19", None],
        "YTD variance £'000": [-818.0, 1200.0, None],
        "YTD position": ["adverse", "favourable", None],
        "Forecast variance £'000": [0.0, -17969.0, None],
        "Forecast position": ["on plan", "adverse", None],
    }
)


def test_qipp_gap_bars_put_the_largest_shortfall_first_in_adverse_colour_with_its_as_at_date():
    compared = comparisons.qipp_gaps(QIPP)
    assert compared.not_loaded == ["Empty CCG"]
    fig = charts.qipp_gap_bars(compared, "Gap by organisation")
    (bars,) = fig.data
    finance = config.settings().finance
    assert list(bars.x) == [2000.0, -500.0]
    assert list(bars.y) == [
        "Short CCG (synthetic demo data)<br>as at 31 Mar 2019",
        "Over CCG<br>as at 30 Jul 2018",
    ]
    assert list(bars.marker.color) == [finance.adverse_colour, finance.favourable_colour]
    assert list(bars.text) == ["£2,000k short", "£500k over"]
    assert "No QIPP tracker loaded for Empty CCG" in fig.layout.title.text


def test_finance_variance_bars_colour_and_word_each_variance_and_name_the_month():
    compared = comparisons.finance_variances(FINANCE)
    assert compared.not_loaded == ["C CCG"]
    ytd, forecast = charts.finance_variance_bars(compared, "Variance").data
    finance = config.settings().finance
    assert list(ytd.x) == [-818.0, 1200.0]
    assert list(ytd.text) == ["(818) adverse", "1,200 favourable"]
    assert list(ytd.marker.color) == [finance.adverse_colour, finance.favourable_colour]
    assert list(forecast.text) == ["on plan", "(17,969) adverse"]
    assert forecast.marker.color[0] not in (finance.adverse_colour, finance.favourable_colour)
    assert list(ytd.y) == [
        "A CCG<br>Month 3 2018/19, as at 30 Jun 2018",
        "B CCG<br>Month 12 2018/19, as at 31 Mar 2019",
    ]


def test_risks_above_target_bars_stack_above_within_and_unjudged_and_say_n_of_m():
    table = pd.DataFrame(
        {
            "Organisation": ["Few CCG", "Many CCG", "None CCG"],
            "Data": ["", "", ""],
            "As at": [date(2019, 3, 28), date(2020, 4, 21), None],
            "Risks": [10, 16, None],
            "Above target": [2, 15, None],
            "Risks with no current or target score": [3, 0, None],
        }
    )
    compared = comparisons.risks_above_target(table)
    above, within, unjudged, words = charts.risks_above_target_bars(compared, "Above target").data
    assert list(above.y) == ["Many CCG<br>as at 21 Apr 2020", "Few CCG<br>as at 28 Mar 2019"]
    assert (list(above.x), list(within.x), list(unjudged.x)) == ([15, 2], [1, 5], [0, 3])
    assert [t.strip() for t in words.text] == ["15 of 16 above target", "2 of 10 above target"]
    assert compared.not_loaded == ["None CCG"]


def test_spc_small_multiples_draw_one_xmr_chart_per_organisation_with_one_legend():
    months = pd.date_range("2018-04-01", periods=15, freq="MS")
    rows = []
    for org, level in (("North CCG", 100), ("South CCG", 300)):
        for n, month in enumerate(months):
            rows.append(
                {
                    "organisation": org,
                    "code": "E.M.7",
                    "month": month,
                    "actual": level + (n % 3) * 5 + (60 if org == "South CCG" and n > 6 else 0),
                    "actual_as_at": pd.Timestamp("2019-06-30"),
                }
            )
    rows.append({"organisation": "Plan CCG", "code": "E.M.7", "month": months[0], "actual": None, "actual_as_at": None})
    compared = comparisons.spc_by_organisation(pd.DataFrame(rows), "E.M.7")
    assert [p.organisation for p in compared.rows] == ["North CCG", "South CCG"]
    assert compared.not_loaded == ["Plan CCG"]
    fig = charts.spc_small_multiples(compared, "E.M.7 by organisation")
    axes = {t.xaxis for t in fig.data}
    assert axes == {"x", "x2"}
    assert sum(t.showlegend for t in fig.data if t.name == "Mean") == 1
    titles = [a.text for a in fig.layout.annotations]
    assert titles[0].startswith("North CCG, as at 30 Jun 2019<br>")
    assert VARIATION_LABELS[compared.rows[1].result.variation] in titles[1]
    assert "Fewer than two months of actuals for Plan CCG" in fig.layout.title.text
