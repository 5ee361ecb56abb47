"""The synthetic demo generator: deterministic, readable workbooks whose figures hang together."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

import config
from data.demo import generate as demo
from records import KIND_FIELDS

SIZES = demo.Sizes(risks=12, schemes=15, finance_lines=5, actions=24, action_areas=4)
ORGS, MONTHS, SEED = 2, 14, 7  # 14 months cross into a second financial year


def read_workbook(path: Path) -> dict:
    """{"cover": [rows], kind: {"titles": [..], "rows": [dict by field]}} for one generated workbook."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        out = {"cover": [list(r) for r in book["Cover"].iter_rows(values_only=True)]}
        for kind, sheet in demo.SHEETS.items():
            rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
            labels = [demo.label(f) for f in demo.COLUMNS[kind]]
            header = next(i for i, r in enumerate(rows) if r[: len(labels)] == labels)
            records = [dict(zip(demo.COLUMNS[kind], r, strict=False)) for r in rows[header + 1 :] if any(r)]
            out[kind] = {"titles": [r[0] for r in rows[:header] if r[0]], "rows": records}
        return out
    finally:
        book.close()


def as_at_of(path: Path) -> date:
    return date.fromisoformat(path.stem.rsplit("_", 1)[1])


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> list[Path]:
    return demo.generate(tmp_path_factory.mktemp("demo"), orgs=ORGS, months=MONTHS, seed=SEED, sizes=SIZES)


@pytest.fixture(scope="module")
def books(paths) -> dict[Path, dict]:
    return {path: read_workbook(path) for path in paths}


def by_org(books: dict[Path, dict]) -> dict[str, list[tuple[date, dict]]]:
    grouped = defaultdict(list)
    for path, book in books.items():
        grouped[path.stem.rsplit("_", 1)[0]].append((as_at_of(path), book))
    return {org: sorted(snapshots, key=lambda s: s[0]) for org, snapshots in grouped.items()}


def test_one_workbook_per_organisation_per_month(paths):
    assert len(paths) == ORGS * MONTHS
    assert len({p.name for p in paths}) == len(paths)
    ends = sorted({as_at_of(p) for p in paths})
    assert ends[0] == date(2018, 4, 30) and ends[-1] == date(2019, 5, 31)
    assert all((d + timedelta(days=1)).day == 1 for d in ends)


def test_same_seed_writes_identical_bytes_and_another_seed_differs(paths, tmp_path):
    again = demo.generate(tmp_path / "again", orgs=ORGS, months=MONTHS, seed=SEED, sizes=SIZES)
    assert [p.name for p in again] == [p.name for p in paths]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, paths, strict=True))
    other = demo.generate(tmp_path / "other", orgs=1, months=1, seed=SEED + 1, sizes=SIZES)
    assert other[0].read_bytes() != paths[0].read_bytes()


def test_cover_names_the_invented_organisation_and_states_synthetic(books):
    names = set()
    for path, book in books.items():
        cover = {row[0]: row[1] for row in book["cover"] if row and row[0]}
        names.add(cover["Organisation:"])
        assert demo.slug(cover["Organisation:"]) == path.stem.rsplit("_", 1)[0]
        assert cover["As at:"] == as_at_of(path).isoformat()
        assert any("synthetic demo data" in str(row[0]).lower() for row in book["cover"] if row and row[0])
    assert names == set(demo.organisation_names(ORGS))


def test_columns_are_canonical_fields():
    for kind, columns in demo.COLUMNS.items():
        assert set(columns) <= set(KIND_FIELDS[kind]), kind
        for name in columns:
            assert demo.label(name).lower() == name.replace("_", " ")


def test_finance_total_is_the_sum_of_its_lines_and_the_title_states_the_month(books):
    measures = demo.COLUMNS["finance_lines"][1:]
    for path, book in books.items():
        finance = book["finance_lines"]
        fy, month = demo.financial_year(as_at_of(path).replace(day=1))
        assert re.search(rf"\bMonth {month} {re.escape(fy)}\b", finance["titles"][0])
        rows = {r["line"]: r for r in finance["rows"]}
        lines = [r for r in finance["rows"] if r["line"] not in ("Allocation", "Total Expenditure")]
        lines = [r for r in lines if "surplus" not in r["line"]]
        assert len(lines) == SIZES.finance_lines
        total, allocation, surplus = rows["Total Expenditure"], rows["Allocation"], rows["In year surplus/(deficit)"]
        for m in measures:
            assert total[m] == sum(r[m] for r in lines), (path.name, m)
        for r in [*lines, total]:
            assert r["ytd_variance"] == r["ytd_budget"] - r["ytd_actual"]
            assert r["forecast_variance"] == r["annual_budget"] - r["forecast_outturn"]
        for m in ("ytd_budget", "ytd_actual", "annual_budget", "forecast_outturn"):
            assert surplus[m] == allocation[m] - total[m]
        assert surplus["ytd_variance"] == total["ytd_variance"]
        if month == 12:
            assert total["forecast_variance"] == total["ytd_variance"]


def test_activity_children_sum_to_parents_and_actuals_stop_at_the_snapshot(books):
    children = defaultdict(list)
    for code, _, _, parent in demo.ACTIVITY_CODES:
        if parent:
            children[parent].append(code)
    for path, book in books.items():
        month = demo.financial_year(as_at_of(path).replace(day=1))[1]
        cells = {(r["code"], r["month"].date()): r for r in book["activity"]["rows"]}
        months = sorted({m for _, m in cells})
        assert len(months) == 12 and months[0].month == 4
        for parent, kids in children.items():
            for m in months:
                for measure in ("plan", "actual"):
                    values = [cells[(k, m)][measure] for k in kids]
                    expected = None if values[0] is None else sum(values)
                    assert cells[(parent, m)][measure] == expected, (path.name, parent, m, measure)
        for (_code, m), r in cells.items():
            assert (r["actual"] is not None) == (months.index(m) < month)
        for r in book["activity_annual"]["rows"]:
            assert r["plan"] == sum(cells[(r["code"], m)]["plan"] for m in months)
            assert r["do_nothing"] + r["qipp"] == r["plan"]


def test_activity_actuals_of_past_months_do_not_change_between_snapshots(books):
    for snapshots in by_org(books).values():
        seen = {}
        for _, book in snapshots:
            for r in book["activity"]["rows"]:
                if r["actual"] is not None:
                    key = (r["code"], r["month"])
                    assert seen.setdefault(key, r["actual"]) == r["actual"]


def test_some_activity_series_show_special_cause_variation_and_some_do_not():
    from analysis.spc_rules import spc

    months = [demo.add_months(demo.FIRST_MONTH, n) for n in range(24)]
    signals = []
    for index, name in enumerate(demo.organisation_names(2)):
        org = demo.plan_organisation(index, name, months, SEED, SIZES)
        for code, _ in org.activity["2018/19"].codes:
            series = org.activity["2018/19"].actual[code] + org.activity["2019/20"].actual[code]
            signals.append(any(spc(series).frame["rule"].notna()))
    assert any(signals) and not all(signals)


def test_qipp_stages_never_go_backwards_and_some_progress(books):
    stage_of = {f"{n} - {name}": n for n, name in enumerate(config.settings().qipp.stages)}
    advanced = 0
    for snapshots in by_org(books).values():
        last: dict[str, int] = {}
        for _, book in snapshots:
            rows = book["qipp_schemes"]["rows"]
            assert len(rows) == SIZES.schemes
            for r in rows:
                stage = stage_of[r["stage"]]
                assert isinstance(r["ref"], str) and r["value"] > 0 and r["recurrent"] in ("Y", "N")
                assert r["rag"] in (None, "Red", "Amber", "Green")
                assert stage >= last.get(r["ref"], 0), r["ref"]
                advanced += stage > last.get(r["ref"], stage)
                last[r["ref"]] = stage
            areas = {r["area"] for r in rows}
            assert {t["area"] for t in book["qipp_targets"]["rows"]} == areas
    assert advanced > 0


def test_risk_scores_are_products_and_targets_do_not_exceed_initial(books):
    for path, book in books.items():
        rows = book["risks"]["rows"]
        assert 0 < len(rows) <= SIZES.risks
        for r in rows:
            assert re.fullmatch(r"[1-5]\.\d+", r["ref"])
            for stage in ("initial", "current", "target"):
                likelihood, consequence = r[f"{stage}_likelihood"], r[f"{stage}_consequence"]
                assert 1 <= likelihood <= 5 and 1 <= consequence <= 5
                assert r[f"{stage}_score"] == likelihood * consequence
            assert r["target_score"] <= r["initial_score"]
            assert r["last_reviewed"].date() <= as_at_of(path)


def test_risks_move_some_improve_some_worsen_some_never_move_some_overdue(books):
    moves = {"up": 0, "down": 0}
    never_moved = 0
    overdue = 0
    for snapshots in by_org(books).values():
        history = defaultdict(list)
        for as_at, book in snapshots:
            for r in book["risks"]["rows"]:
                history[r["ref"]].append(r["current_score"])
                overdue += (as_at - r["last_reviewed"].date()).days > config.review_overdue_days()
        for scores in history.values():
            steps = [b - a for a, b in zip(scores, scores[1:], strict=False)]
            moves["up"] += sum(s > 0 for s in steps)
            moves["down"] += sum(s < 0 for s in steps)
            never_moved += len(scores) > 1 and not any(steps)
    assert moves["up"] and moves["down"] and never_moved and overdue


def test_action_summary_counts_the_action_rows(books):
    rag_words = config.settings().rag_words
    for path, book in books.items():
        counts = defaultdict(lambda: defaultdict(int))
        for r in book["actions"]["rows"]:
            counts[r["area"]][rag_words[r["rag_label"].lower()]] += 1
        summary = book["action_summary"]["rows"]
        assert len(summary) == SIZES.action_areas + 1
        for r in summary:
            assert r["report_date"].date() == as_at_of(path)
            assert r["total"] == sum(r[c] for c in ("blue", "green", "amber", "red", "grey"))
            if r["area"] != "Total":
                assert {c: r[c] for c in ("blue", "green", "amber", "red", "grey") if r[c]} == dict(counts[r["area"]])
        total = summary[-1]
        assert total["area"] == "Total" and total["total"] == len(book["actions"]["rows"])


def test_actions_progress_towards_complete_and_slipped_deadlines_show_the_original(books):
    slipped = 0
    for snapshots in by_org(books).values():
        first, last = snapshots[0][1]["action_summary"]["rows"][-1], snapshots[-1][1]["action_summary"]["rows"][-1]
        assert last["blue"] / last["total"] > first["blue"] / first["total"]
        for as_at, book in snapshots:
            for r in book["actions"]["rows"]:
                assert re.fullmatch(r"\d\.\d+", r["ref"]) and r["updated"].date() <= as_at
                revised = re.fullmatch(r"(\d\d/\d\d/\d{4}) \((\d\d/\d\d/\d{4})\)", r["due_text"])
                if revised:
                    new, old = (datetime.strptime(d, "%d/%m/%Y") for d in revised.groups())
                    assert new > old
                    slipped += 1
                else:
                    datetime.strptime(r["due_text"], "%d/%m/%Y")
    assert slipped


def test_big_tracker_has_the_rows_asked_for(tmp_path):
    path = demo.write_big_tracker(tmp_path / "big.xlsx", 300, seed=3)
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book[demo.SHEETS["qipp_schemes"]].iter_rows(values_only=True))
    targets = list(book[demo.SHEETS["qipp_targets"]].iter_rows(values_only=True))
    book.close()
    header = rows.index(tuple(demo.label(f) for f in demo.COLUMNS["qipp_schemes"]))
    schemes = rows[header + 1 :]
    assert len(schemes) == 300 and len({r[0] for r in schemes}) == 300
    assert path.read_bytes() == demo.write_big_tracker(tmp_path / "again.xlsx", 300, seed=3).read_bytes()
    assert {r[2] for r in schemes} == {r[0] for r in targets[targets.index(("Area", "Target")) + 1 :]}


def test_command_line_writes_the_workbooks(tmp_path, capsys):
    assert demo.main(["--out", str(tmp_path), "--orgs", "1", "--months", "2", "--seed", "5"]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        "northmoor-icb_2018-04-30.xlsx",
        "northmoor-icb_2018-05-31.xlsx",
    ]
    assert "Wrote 2 workbooks" in capsys.readouterr().out
    assert demo.main(["--out", str(tmp_path), "--single-tracker", "20"]) == 0
    assert (tmp_path / "qipp-tracker-20.xlsx").exists()


@pytest.mark.parametrize("bad", [{"risks": 0}, {"finance_lines": 1}, {"action_areas": 7}])
def test_sizes_out_of_range_are_refused(bad):
    with pytest.raises(ValueError):
        demo.Sizes(**bad)


def test_more_organisations_than_names_stay_distinct():
    names = demo.organisation_names(len(demo.ORGANISATIONS) + 5)
    assert len(set(names)) == len(names)


def _load(path: Path):
    import loaders

    return loaders.load_workbook(path.read_bytes(), path.name)


def test_generated_workbook_loads_without_errors(paths, books):
    path = paths[MONTHS - 1]
    result = _load(path)
    assert result.errors == []
    assert result.synthetic and result.org == demo.organisation_names(1)[0]
    assert result.as_at == as_at_of(path).isoformat()
    assert {d.kind for d in result.datasets} == set(demo.COLUMNS)
    assert [i for d in result.datasets for i in d.issues if i.severity == "error"] == []
    loaded = {d.kind: len(d.records) for d in result.datasets}
    written = {kind: len(books[path][kind]["rows"]) for kind in demo.COLUMNS}
    written["action_summary"] -= 1  # its Total row is checked, not loaded
    del loaded["actions"], written["actions"]
    assert loaded == written


def test_every_generated_action_row_loads(paths, books):
    path = paths[MONTHS - 1]
    actions = next(d for d in _load(path).datasets if d.kind == "actions")
    assert [r["ref"] for r in actions.records] == [r["ref"] for r in books[path]["actions"]["rows"]]
