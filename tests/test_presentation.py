"""Presentation view and chart images: large type without chrome, a Next step, PNG/SVG from each chart's toolbar."""

from __future__ import annotations

import json
from types import SimpleNamespace

import plotly.graph_objects as go
import pytest

from charts import export
from pages.presentation import next_page, previous_page
from tests import test_url_state
from tests.test_url_state import ORGS

PAGES = [
    SimpleNamespace(url_path=p) for p in ("overview", "risks", "qipp", "finance", "activity", "improvement", "data")
]

meeting_db_master = test_url_state.meeting_db_master
meeting_db = test_url_state.meeting_db


def overview_link(**params):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def styles(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("<style>")]


def test_next_page_steps_through_the_pages_and_skips_data_entry():
    assert next_page("overview", PAGES).url_path == "risks"
    assert next_page("activity", PAGES).url_path == "improvement"
    assert next_page("improvement", PAGES).url_path == "overview"
    assert next_page("data", PAGES).url_path == "overview"


def test_previous_page_steps_back_and_skips_data_entry():
    assert previous_page("risks", PAGES).url_path == "overview"
    assert previous_page("overview", PAGES).url_path == "improvement"
    assert previous_page("data", PAGES).url_path == "improvement"


def test_present_in_the_link_hides_the_chrome_and_offers_the_next_page(meeting_db):
    at = overview_link(org=ORGS, present="1")
    css = styles(at)
    assert len(css) == 1 and '[data-testid="stSidebar"]' in css[0] and "display: none" in css[0]
    before, after = (link.proto for link in at.get("page_link")[:2])
    assert before.label == "Previous: Improvement plan" and before.page == "improvement"
    assert after.label == "Next: Risks" and after.page == "risks"
    for link in (before, after):
        assert link.query_string == "org=Northmoor+ICB&org=Riverside+and+Weald+ICB&present=1"
    assert at.toggle(key="present").value is True


def test_without_present_or_with_an_unreadable_value_there_is_no_presentation(meeting_db):
    assert not styles(overview_link(org=ORGS[0], present="0"))
    at = overview_link(org=ORGS[0], present="yes")
    assert not styles(at)
    assert "present = yes is not available here, so 0 is shown" in " ".join(w.value for w in at.warning)
    assert "present" not in at.query_params
    assert not [p for p in at.get("page_link") if p.proto.label.startswith("Next:")]


def test_charts_are_larger_when_presenting_and_keep_their_image_button(meeting_db):
    normal = overview_link(org=ORGS[0])
    presented = overview_link(org=ORGS[0], present="1")
    for at, size in ((normal, None), (presented, round(export.BASE_FONT_SIZE * export.PRESENTATION_SCALE))):
        chart = at.get("plotly_chart")[0].proto
        assert json.loads(chart.spec)["layout"].get("font", {}).get("size") == size
        assert json.loads(chart.config)["toImageButtonOptions"]["filename"] == "overview-current-risk"


def test_image_format_choice_switches_every_chart_to_svg(meeting_db):
    at = overview_link(org=ORGS[0])
    at.session_state["image_format"] = "svg"  # the sidebar radio; AppTest reruns only the page
    at.run()
    options = json.loads(at.get("plotly_chart")[0].proto.config)["toImageButtonOptions"]
    assert options["format"] == "svg"


def test_image_config_names_the_file_safely_and_refuses_other_formats():
    config = export.image_config("risk matrix: 5x5 / current", "svg")
    assert config["toImageButtonOptions"] == {"format": "svg", "filename": "risk-matrix-5x5-current", "scale": 2}
    with pytest.raises(ValueError):
        export.image_config("x", "gif")


def test_for_presentation_scales_every_text_and_leaves_the_original_alone():
    fig = go.Figure(go.Bar(x=["a"], y=[1], text=["1"], textfont_size=10))
    fig.update_layout(
        title={"text": "Finding", "font": {"size": 20}},
        height=300,
        annotations=[{"text": "cell", "font": {"size": 11}}],
    )
    big = export.for_presentation(fig, 1.5)
    assert big.layout.font.size == 18 and big.layout.title.font.size == 30
    assert big.layout.annotations[0].font.size == 16 and big.data[0].textfont.size == 15
    assert big.layout.height == 450
    assert fig.layout.height == 300 and fig.layout.font.size is None


OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


def hue(colour: str) -> float:
    import colorsys

    return 360 * colorsys.rgb_to_hsv(*(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)))[0]


def test_risk_bands_follow_npsa_colours_and_are_named_and_rag_colours_are_colour_blind_safe():
    import config

    settings = config.settings()
    bands = [*settings.risk_bands.default, *settings.risk_bands.scale_3x3.bands]
    for band in bands:
        assert band.label.split(" ")[0].lower() == band.name  # the band is named, not only coloured
    by_name = {band.name: band.colour for band in settings.risk_bands.default}
    assert hue(by_name["extreme"]) < 10 or hue(by_name["extreme"]) > 350  # red, not the orange of amber
    assert 30 <= hue(by_name["high"]) <= 50 and 50 < hue(by_name["moderate"]) <= 65  # amber, then yellow
    assert 100 <= hue(by_name["low"]) <= 170  # green
    assert settings.risk_bands.scale_3x3.bands[-1].colour == by_name["extreme"]
    rag = {**settings.qipp.rag_colours, **settings.improvement_plan.rag_colours}
    for word in ("red", "amber", "green", "blue"):
        assert rag[word].upper() in OKABE_ITO, word
    assert {settings.finance.favourable_colour, settings.finance.adverse_colour} <= OKABE_ITO
