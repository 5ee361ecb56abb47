"""QIPP against target under filters: a gap for areas, a share for filters that choose schemes, and areas
without a target named rather than counted as a zero target."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import qipp

SCHEMES = pd.DataFrame(
    [
        # area, stage, rag, value, risk_adjusted
        ("Prescribing", 3, "red", 1000.0, 600.0),
        ("Prescribing", 3, "green", 3000.0, 3000.0),
        ("Prescribing", 0, "amber", 500.0, 250.0),
        ("Acute", 2, "red", 2000.0, 1200.0),
        ("Acute", 4, "green", 4000.0, 4000.0),
        ("Estates", 1, "green", 700.0, 700.0),
    ],
    columns=["area", "stage", "rag", "value", "risk_adjusted"],
)
TARGETS = pd.DataFrame({"area": ["Prescribing", "Acute"], "target": [5000.0, 8000.0]})


def choose(areas=(), rags=()):
    keep = pd.Series(True, index=SCHEMES.index)
    if areas:
        keep &= SCHEMES["area"].isin(areas)
    if rags:
        keep &= SCHEMES["rag"].isin(rags)
    return qipp.position(SCHEMES, SCHEMES[keep], TARGETS, tuple(areas), narrowed=bool(rags))


def test_no_filter_is_a_gap_to_the_whole_target_without_the_area_that_has_none():
    result = choose()
    assert result.basis == qipp.GAP and result.target == 13000
    assert result.untargeted_areas == ("Estates",) and result.untargeted_value == 700
    assert result.gap_excl == 13000 - (1000 + 3000 + 2000 + 4000)  # Estates' 700 is not set against a zero target
    assert result.gap_incl == 13000 - 10500
    assert result.gap_risk_adjusted == 13000 - (600 + 3000 + 250 + 1200 + 4000)
    assert result.chosen.identified_incl == 11200  # every scheme is still shown
    assert result.share_of_identified is None and result.share_of_target is None


def test_an_area_filter_compares_with_that_areas_target():
    result = choose(areas=["Prescribing"])
    assert (result.basis, result.target, result.target_areas) == (qipp.GAP, 5000, ("Prescribing",))
    assert (result.gap_excl, result.gap_incl) == (1000, 500)
    assert result.untargeted_areas == ()


def test_a_rag_filter_is_a_share_of_identified_value_and_of_target_not_a_gap():
    result = choose(rags=["red"])
    assert result.basis == qipp.SHARE
    assert result.gap_excl is None and result.gap_incl is None and result.gap_risk_adjusted is None
    assert result.chosen.identified_incl == 3000
    assert result.share_of_identified == pytest.approx(3000 / 11200)
    assert result.share_of_target == pytest.approx(3000 / 13000)
    assert result.bridge_figures()["target"] is None


def test_an_area_with_another_filter_is_a_share_of_that_area():
    result = choose(areas=["Prescribing"], rags=["red"])
    assert result.basis == qipp.SHARE and result.target == 5000
    assert result.share_of_identified == pytest.approx(1000 / 4500)
    assert result.share_of_target == pytest.approx(1000 / 5000)


def test_a_chosen_area_without_a_target_is_said_never_a_zero_target():
    result = choose(areas=["Estates"])
    assert result.basis == qipp.NO_TARGET and result.target is None and result.gap_excl is None
    assert result.untargeted_areas == ("Estates",) and result.untargeted_value == 700
    mixed = choose(areas=["Acute", "Estates"])
    assert (mixed.basis, mixed.target, mixed.untargeted_areas) == (qipp.GAP, 8000, ("Estates",))
    assert mixed.gap_excl == 8000 - 6000 and mixed.chosen.identified_excl == 6700


def test_no_targets_at_all():
    result = qipp.position(SCHEMES, SCHEMES, TARGETS.iloc[0:0], (), narrowed=True)
    assert result.basis == qipp.NO_TARGET and result.share_of_target is None and result.gap_excl is None


def test_a_scheme_without_an_area_is_not_set_against_the_target():
    schemes = pd.concat(
        [SCHEMES, pd.DataFrame([(None, 3, "green", 250.0, 250.0)], columns=SCHEMES.columns)], ignore_index=True
    )
    result = qipp.position(schemes, schemes, TARGETS)
    assert result.untargeted_areas == ("Estates",) and result.untargeted_value == 700 + 250
    assert result.gap_excl == 13000 - 10000
