"""Risk registers built as loader results, for store, chart and page tests that need no workbook."""

from __future__ import annotations

import hashlib

import store
from records import Dataset, WorkbookResult, empty_record

BAF_ORG = "Bedfordshire CCG"
CP_ORG = "Cambridgeshire and Peterborough CCG"
CRR_ORG = "Bedfordshire CCG 2012"

# ref, objective, owner, last reviewed, (L, C) initial, current, target; from the BAF of 28 March 2019.
BAF_MARCH = [
    ("1.1", "1", "Anne Murray, Chief Nurse", "2019-01-23", (3, 4), (2, 2), (1, 1)),
    ("1.2", "1", "Anne Murray, Chief Nurse", "2019-01-23", (3, 4), (3, 3), (1, 1)),
    ("1.3", "1", "Anne Murray, Chief Nurse", "2019-01-24", (5, 4), (2, 4), (2, 2)),
    ("2.1a", "2", "Chief Finance Officer", "2019-03-13", (4, 4), (4, 4), (3, 4)),
    ("2.1b", "2", "Chief Finance Officer", "2019-03-13", (4, 4), (4, 4), (3, 4)),
    ("3.1", "3", None, "2019-03-28", (4, 4), (4, 4), (3, 3)),
    ("4.1", "4", "Director of Corporate Affairs", "2019-03-28", (2, 4), (2, 3), (1, 1)),
]


def _scored(record: dict, stage: str, lc: tuple[int, int] | None, score: int | None = None) -> None:
    if lc is not None:
        record[f"{stage}_likelihood"], record[f"{stage}_consequence"] = lc
    record[f"{stage}_score"] = score if score is not None else (lc[0] * lc[1] if lc else None)


def baf_records(rows=BAF_MARCH, sheet: str = "BAF") -> list[dict]:
    records = []
    for n, (ref, objective, owner, reviewed, initial, current, target) in enumerate(rows):
        record = empty_record("risks")
        record.update(
            ref=ref,
            title=f"Principal risk {ref}",
            owner=owner,
            objective=objective,
            scale="5x5",
            last_reviewed=reviewed,
            status="Open",
            controls=f"Controls for {ref}",
            assurances=f"Assurance for {ref}",
            gaps="",
            actions=f"Actions for {ref}",
            source={"sheet": sheet, "row": 5 + n},
        )
        _scored(record, "initial", initial)
        _scored(record, "current", current)
        _scored(record, "target", target)
        records.append(record)
    return records


BAF_COLUMNS = {
    "ref": "A",
    "title": "B",
    "owner": "C",
    "objective": "D",
    "last_reviewed": "E",
    "initial_likelihood": "F",
    "initial_consequence": "F",
    "initial_score": "F",
    "current_likelihood": "G",
    "current_consequence": "G",
    "current_score": "G",
    "target_likelihood": "H",
    "target_consequence": "H",
    "target_score": "H",
}


def workbook(org: str, as_at: str, records: list[dict], sheet: str, columns=None, name=None) -> WorkbookResult:
    dataset = Dataset(kind="risks", sheet=sheet, header_row=4, records=records, columns=columns or {})
    label = name or f"{org} risks {as_at}.xlsx"
    return WorkbookResult(
        file=label,
        sha256=hashlib.sha256(f"{label}{records}".encode()).hexdigest(),
        org=org,
        as_at=as_at,
        datasets=[dataset],
    )


def cp_records() -> list[dict]:
    """Operational risks without refs; one stated only as ``16 Red`` (no likelihood or consequence)."""
    rows = [
        ("Risk to delivery of QIPP Plan (Transformation)", (4, 5), (4, 5), (2, 5), None),
        ("Failure to engage with Member Practices and wider stakeholders", (3, 4), (4, 4), (2, 4), None),
        ("Failure to provide accurate data on CHC & Section 117 cases", None, (4, 4), None, 16),
    ]
    records = []
    for n, (title, initial, current, target, initial_score) in enumerate(rows):
        record = empty_record("risks")
        record.update(
            title=title, owner="Chief Officer", scale="5x5", source={"sheet": "Operational risks", "row": 8 + n}
        )
        _scored(record, "initial", initial, initial_score)
        _scored(record, "current", current)
        _scored(record, "target", target, 12 if target is None else None)
        records.append(record)
    return records


def crr_records() -> list[dict]:
    """A 3x3 register (Low 1, Medium 2, High 3)."""
    rows = [("1", (2, 2), (1, 1), "Closed"), ("12", (1, 2), (1, 1), "Open"), ("13", (1, 2), (2, 2), "Open")]
    records = []
    for n, (ref, initial, current, status) in enumerate(rows):
        record = empty_record("risks")
        record.update(
            ref=ref,
            title=f"CRR {ref}",
            owner="JR",
            scale="3x3",
            status=status,
            last_reviewed="2012-04-25",
            source={"sheet": "CRR", "row": 3 + n},
        )
        _scored(record, "initial", initial)
        _scored(record, "current", current)
        records.append(record)
    return records


def load_all(con) -> None:
    """The BAF in January and March 2019, the C&P operational risks and the 2012 3x3 register."""
    january = [
        (ref, objective, owner, reviewed, initial, (1, 2) if ref == "1.1" else (4, 4) if ref == "1.3" else current, t)
        for ref, objective, owner, reviewed, initial, current, t in BAF_MARCH
    ]
    store.ingest(con, workbook(BAF_ORG, "2019-01-23", baf_records(january), "BAF", BAF_COLUMNS))
    store.ingest(con, workbook(BAF_ORG, "2019-03-28", baf_records(), "BAF", BAF_COLUMNS))
    store.ingest(con, workbook(CP_ORG, "2018-07-30", cp_records(), "Operational risks", {"title": "A"}))
    store.ingest(con, workbook(CRR_ORG, "2012-04-27", crr_records(), "CRR", {"ref": "A"}))
