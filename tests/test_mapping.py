"""The import Mapping: detection writes it, extraction applies it, the user corrects it, a saved layout replays it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import loaders
from loaders.__main__ import main
from loaders.layout_profiles import signature, signature_key
from loaders.mapping import USER, MappingError, from_dict
from tests.corpus import bad_files, current_actions, current_finance, current_qipp, current_risks, messy
from tests.corpus.own_layout import DECEMBER, NOVEMBER, action_tracker
from tests.test_loaders_variants import ics_workbook, recovery_workbook

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def _corpus() -> list[tuple[str, bytes]]:
    found = [(p.name, p.read_bytes()) for p in sorted(SAMPLES.glob("*.xlsx"))]
    found += [(name, build()) for name, build in messy.BUILDERS.items()]
    found += [(f"{entry.name}.xlsx", entry.build()) for entry in bad_files.CORPUS if entry.expect == "issue"]
    found += [("ics.xlsx", ics_workbook()), ("recovery.xlsx", recovery_workbook())]
    for variants in (current_risks, current_qipp, current_actions, current_finance):
        found += [(name, build()) for name, build in variants.VARIANTS.items()]
    return found


def _reading(result) -> dict:
    """Everything a reading gives but the mapping itself."""
    found = result.to_dict()
    found.pop("mapping")
    return found


@pytest.mark.parametrize(("name", "data"), _corpus(), ids=lambda v: v if isinstance(v, str) else "")
def test_a_saved_mapping_replayed_reads_the_same_records_and_issues(name, data):
    detected = loaders.load_workbook(data, name)
    assert detected.errors == [] and detected.mapping is not None
    saved = json.loads(json.dumps(detected.mapping))
    replayed = loaders.load_workbook(data, name, mapping=saved)
    assert _reading(replayed) == _reading(detected)
    assert replayed.mapping == detected.mapping


# --- a workbook detection reads wrongly, corrected --------------------------------------------------------


def corrected(mapping: dict) -> dict:
    """What the user does on the Data page: two columns and the words the vocabulary lacks."""
    mapping = copy.deepcopy(mapping)
    table = mapping["sheets"][0]["tables"][0]
    fields = {"C": "owner", "E": "rag_label"}
    for column in table["columns"]:
        if column["letter"] in fields:
            column.update(field=fields[column["letter"]], how=USER, confidence=1.0)
    mapping["vocabulary"]["rag"] = {"Slipping": "amber", "Stalled": "red"}
    return mapping


def actions_of(result) -> dict[str, dict]:
    (dataset,) = [d for d in result.datasets if d.kind == "actions"]
    return {r["ref"]: r for r in dataset.records}


def test_detection_leaves_unknown_headers_unread_and_lists_the_words_it_does_not_know():
    result = loaders.load_workbook(action_tracker("30 November 2026", NOVEMBER), "tracker.xlsx")
    columns = {c["letter"]: c for c in result.mapping["sheets"][0]["tables"][0]["columns"]}
    assert columns["C"]["field"] is None and columns["C"]["header"] == "Executive Sponsor"
    assert columns["D"]["field"] == "due_text" and columns["D"]["how"] == "header synonym"
    assert {r["owner"] for r in actions_of(result).values()} == {None}
    assert result.mapping["organisation"]["value"] == "Eastfield ICB"
    assert result.mapping["organisation"]["how"] == "cell contents"


def test_corrected_columns_and_words_read_the_owner_and_the_rag():
    data = action_tracker("30 November 2026", NOVEMBER)
    detected = loaders.load_workbook(data, "tracker.xlsx")
    detected_mapping = corrected(detected.mapping)
    detected_mapping["vocabulary"] = {}
    result = loaders.load_workbook(data, "tracker.xlsx", mapping=detected_mapping)
    assert result.mapping["vocabulary"]["rag"] == {"Slipping": None, "Stalled": None}
    result = loaders.load_workbook(data, "tracker.xlsx", mapping=corrected(detected.mapping))
    actions = actions_of(result)
    assert actions["1.1"]["owner"] == "Director of Finance"
    assert [actions[r]["rag"] for r in ("1.1", "1.2", "1.3")] == ["amber", "blue", "red"]
    assert actions["1.1"]["rag_label"] == "Slipping"  # the words as written are kept
    assert not [i for d in result.datasets for i in d.issues if i.code == "unknown_rag"]


def _profile(mapping: dict, saved_at: str = "2026-12-03T09:30:00") -> dict:
    sig = signature(mapping)
    return {
        "profile_id": 7,
        "organisation": "Eastfield ICB",
        "saved_at": saved_at,
        "signature_key": signature_key(sig),
        "signature": sig,
        "mapping": mapping,
    }


def test_next_month_is_read_with_the_saved_layout():
    november = action_tracker("30 November 2026", NOVEMBER)
    profile = _profile(corrected(loaders.load_workbook(november, "nov.xlsx").mapping))
    result = loaders.load_workbook(action_tracker("31 December 2026", DECEMBER), "dec.xlsx", profiles=[profile])
    assert result.profile == {
        "profile_id": 7,
        "organisation": "Eastfield ICB",
        "saved_at": "2026-12-03T09:30:00",
        "exact": True,
    }
    assert result.as_at == "2026-12-31"
    actions = actions_of(result)
    assert [actions[r]["rag"] for r in ("1.1", "1.2", "1.3")] == [None, "blue", "amber"]
    assert actions["1.3"]["owner"] == "Chief Operating Officer"
    # A word new this month is reported and offered for mapping; the saved words still apply.
    assert result.mapping["vocabulary"]["rag"] == {
        "Slipping": "amber",
        "Stalled": "red",
        "Back on plan": None,
    }
    assert not [i for i in result.issues if i.code == "layout_changed"]


def test_a_column_added_is_a_near_match_that_says_what_changed():
    november = action_tracker("30 November 2026", NOVEMBER)
    profile = _profile(corrected(loaders.load_workbook(november, "nov.xlsx").mapping))
    december = action_tracker("31 December 2026", DECEMBER, extra_column=True)
    result = loaders.load_workbook(december, "dec.xlsx", profiles=[profile])
    assert result.profile["exact"] is False
    actions = actions_of(result)
    assert actions["1.1"]["owner"] == "Director of Finance" and actions["1.3"]["rag"] == "amber"
    changes = {i.cell: i.message for i in result.issues if i.code == "layout_changed"}
    assert "New column 'Board Committee' at C" in changes["Tracker!C4"]
    assert "moved from C to D" in changes["Tracker!D4"] and "owner" in changes["Tracker!D4"]


def test_a_workbook_of_another_layout_is_not_read_with_the_profile():
    november = action_tracker("30 November 2026", NOVEMBER)
    profile = _profile(corrected(loaders.load_workbook(november, "nov.xlsx").mapping))
    result = loaders.load_workbook(
        (SAMPLES / "southend_ccg_improvement_delivery_plan_2019-03-14.xlsx").read_bytes(), "s.xlsx", profiles=[profile]
    )
    assert result.profile is None


# --- mappings that cannot be applied ------------------------------------------------------------------------


def test_a_mapping_without_a_required_field_says_which_in_one_sentence():
    data = action_tracker("30 November 2026", NOVEMBER)
    mapping = loaders.load_workbook(data, "tracker.xlsx").mapping
    for column in mapping["sheets"][0]["tables"][0]["columns"]:
        if column["field"] == "action":
            column["field"] = None
    result = loaders.load_workbook(data, "tracker.xlsx", mapping=mapping)
    assert result.datasets == []
    assert result.errors == [
        "The actions table on sheet 'Tracker' needs a column mapped to action before it can be read."
    ]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda m: m.update(version=9), "version 9"),
        (lambda m: m["sheets"][0]["tables"][0]["columns"][0].update(field="colour"), "'colour'"),
        (lambda m: m["sheets"][0]["tables"][0].update(layout="rota"), "'rota'"),
        (lambda m: m["vocabulary"].update(rag={"Slipping": "mauve"}), "not a rag value"),
        (lambda m: m["sheets"][0].update(sheet="Elsewhere"), "'Elsewhere'"),
    ],
)
def test_a_mapping_that_does_not_fit_is_refused_with_one_sentence(change, words):
    data = action_tracker("30 November 2026", NOVEMBER)
    mapping = loaders.load_workbook(data, "tracker.xlsx").mapping
    change(mapping)
    result = loaders.load_workbook(data, "tracker.xlsx", mapping=mapping)
    assert len(result.errors) == 1 and words in result.errors[0] and "\n" not in result.errors[0]
    assert result.datasets == []


def test_two_columns_for_one_field_are_refused():
    data = action_tracker("30 November 2026", NOVEMBER)
    mapping = loaders.load_workbook(data, "tracker.xlsx").mapping
    mapping["sheets"][0]["tables"][0]["columns"][2]["field"] = "action"
    with pytest.raises(MappingError, match="both mapped to action"):
        from_dict(mapping) and loaders.mapping.tables_of(_sheet(data), from_dict(mapping).sheets[0])


def _sheet(data: bytes):
    from loaders.workbook import open_workbook

    return open_workbook(data, "t.xlsx").sheets[0]


# --- the command line ---------------------------------------------------------------------------------------


def test_inspect_writes_the_mapping_and_reads_with_a_corrected_one(tmp_path, capsys):
    workbook = tmp_path / "tracker.xlsx"
    workbook.write_bytes(action_tracker("30 November 2026", NOVEMBER))
    written = tmp_path / "mapping.json"
    assert main(["inspect", str(workbook), "--mapping-out", str(written)]) == 0
    mapping = json.loads(written.read_text())
    assert mapping["version"] == 1 and mapping["sheets"][0]["tables"][0]["layout"] == "actions"
    (tmp_path / "fixed.json").write_text(json.dumps(corrected(mapping)))
    capsys.readouterr()
    assert main(["inspect", str(workbook), "--json", "--mapping", str(tmp_path / "fixed.json")]) == 0
    shown = json.loads(capsys.readouterr().out)
    (actions,) = [d for d in shown["datasets"] if d["kind"] == "actions"]
    assert {r["ref"]: r["rag"] for r in actions["records"]} == {"1.1": "amber", "1.2": "blue", "1.3": "red"}
    assert shown["mapping"]["vocabulary"]["rag"]["Slipping"] == "amber"


def test_inspect_with_a_mapping_that_lacks_a_required_field_exits_2_with_the_field(tmp_path, capsys):
    workbook = tmp_path / "tracker.xlsx"
    workbook.write_bytes(action_tracker("30 November 2026", NOVEMBER))
    mapping = loaders.load_workbook(workbook.read_bytes(), "tracker.xlsx").mapping
    for column in mapping["sheets"][0]["tables"][0]["columns"]:
        column["field"] = None if column["field"] == "action" else column["field"]
    (tmp_path / "m.json").write_text(json.dumps(mapping))
    capsys.readouterr()
    assert main(["inspect", str(workbook), "--mapping", str(tmp_path / "m.json")]) == 2
    out = capsys.readouterr()
    assert "needs a column mapped to action" in out.out + out.err
    assert "Traceback" not in out.out + out.err


def test_a_mapping_file_that_is_not_json_is_one_sentence(tmp_path, capsys):
    workbook = tmp_path / "tracker.xlsx"
    workbook.write_bytes(action_tracker("30 November 2026", NOVEMBER))
    (tmp_path / "m.json").write_text("{not json")
    assert main(["inspect", str(workbook), "--mapping", str(tmp_path / "m.json")]) == 2
    assert capsys.readouterr().err.strip() == f"The mapping file '{tmp_path / 'm.json'}' is not JSON."
