import pytest

import store
from tests.conftest import run_page
from tests.risk_records import BAF_ORG, CP_ORG, CRR_ORG, load_all

PAGE = "pages/risks.py"


@pytest.fixture
def risk_db(tmp_path, monkeypatch):
    """A store holding the Bedfordshire BAF (two as-at dates), C&P operational risks and a 3x3 register."""
    path = tmp_path / "risks.duckdb"
    con = store.connect(path)
    load_all(con)
    con.close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def open_tab(at, label: str):
    """Only the open tab's content is made; open another as a click on it would."""
    at.session_state["risk_tab"] = label
    return at.run()


def test_page_runs_on_an_empty_store(empty_db):
    at = run_page(PAGE)
    assert not at.exception
    assert texts(at.title) == ["Risks"]
    assert "No risk register is loaded" in at.info[-1].value


def test_page_states_the_finding_and_the_snapshot(risk_db):
    at = run_page(PAGE)
    assert not at.exception
    assert texts(at.title) == ["Risks: 7 of 7 risks above target"]
    assert any("as at 28 Mar 2019" in c.value for c in at.caption)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Not moved since initial"] == "3" and metrics["In the top band now"] == "3"


def test_switching_the_view_changes_the_matrix(risk_db):
    at = run_page(PAGE)
    assert "Current risk: where the risks sit now" in texts(at.subheader)
    at.radio(key="risk_view").set_value("Initial").run()
    assert not at.exception
    assert "Initial risk: where the risks started" in texts(at.subheader)
    at.radio(key="risk_view").set_value("All three side by side").run()
    assert "Initial, current and target side by side" in texts(at.subheader)


def test_earlier_as_at_and_filters_change_what_is_shown(risk_db):
    at = run_page(PAGE)
    assert not [s for s in texts(at.subheader) if "previous as-at" in s]  # a closed tab's content is not made
    at = open_tab(at, "Movement")
    worse = [s for s in texts(at.subheader) if "previous as-at" in s]
    assert worse == ["1 worse than at the previous as-at"]
    at.selectbox(key="risk_as_at").select_index(1).run()
    assert not at.exception
    assert any("as at 23 Jan 2019" in c.value for c in at.caption)
    assert "0 worse than at the previous as-at" in texts(at.subheader)
    at.selectbox(key="risk_as_at").select_index(0).run()
    at.multiselect(key="risk_objectives").set_value(["2"]).run()
    assert texts(at.title) == ["Risks: 2 of 2 risks above target"]


def test_review_days_are_adjustable(risk_db):
    at = open_tab(run_page(PAGE), "Review overdue")
    assert "0 risks not reviewed within 90 days" in texts(at.subheader)
    at.number_input(key="risk_review_days").set_value(60).run()
    assert "3 risks not reviewed within 60 days" in texts(at.subheader)


def test_choosing_a_risk_shows_its_detail_with_source_cells(risk_db):
    at = run_page(PAGE)
    picker = at.selectbox(key="risk_pick")
    at = picker.select_index(next(n for n, o in enumerate(picker.options) if o.startswith("2.1b"))).run()
    assert not at.exception
    assert "Risk 2\\.1b" in texts(at.subheader)  # the ref is shown literally, its markdown escaped
    assert any("Owner: Chief Finance Officer" == t.value for t in at.text)
    assert any("BAF row 9" in c.value for c in at.caption)


def test_mixed_scales_each_get_their_own_matrix(risk_db):
    at = run_page(PAGE)
    at.session_state["orgs"] = [BAF_ORG, CRR_ORG]  # what the shared sidebar keeps
    at.run()
    assert not at.exception
    headings = [m.value for m in at.markdown]
    assert "**5x5 register**" in headings and "**3x3 register**" in headings


def test_page_runs_on_the_sample_store(sample_db):
    at = run_page(PAGE, org="Bedfordshire CCG")
    assert not at.exception
    assert texts(at.title) == ["Risks: 11 of 11 risks above target"]
    assert "3 not moved from their initial score" in texts(open_tab(at, "Movement").subheader)


def test_sample_2012_register_is_shown_on_its_own_3x3_matrix(sample_db):
    at = run_page(PAGE, org="Bedfordshire CCG")
    picker = at.selectbox(key="risk_as_at")
    at = picker.select_index(picker.options.index("27 Apr 2012")).run()
    assert not at.exception
    assert any("as at 27 Apr 2012" in c.value for c in at.caption)
    at.radio(key="risk_view").set_value("Initial").run()
    assert not [w for w in at.warning if "cannot be placed" in w.value]
    at.radio(key="risk_view").set_value("Current").run()
    assert any("cannot be placed on the 3x3 matrix" in w.value for w in at.warning)


def test_scores_without_likelihood_and_consequence_are_listed_not_dropped(risk_db):
    at = run_page(PAGE)
    at.session_state["orgs"] = [CP_ORG]
    at.run()
    assert not [w for w in at.warning if "cannot be placed" in w.value]
    at.radio(key="risk_view").set_value("Initial").run()
    assert [w.value for w in at.warning if "cannot be placed" in w.value] == [
        "1 initial score cannot be placed on the 5x5 matrix (the register gives no likelihood or consequence); listed below."
    ]
