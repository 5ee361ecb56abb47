"""Canonical records: the contract between loaders and the store, which both import (and tests).

It imports no parser, so the store and the app's pages load without them. A loader turns a workbook into a ``WorkbookResult``: zero or more ``Dataset``s, each of one
record kind, with its records (plain dicts holding the canonical fields below plus ``source``)
and its ``Issue``s. Money is in GBP thousands, variances are favourable-positive, dates are ISO
strings, text keeps the source's words.
"""

from __future__ import annotations

import calendar
import unicodedata
from collections import UserList
from dataclasses import asdict, dataclass, field
from datetime import date

import config

# The version of the loaders that produce these records, stored with every snapshot.
LOADER_VERSION = "1.0.0"

# Field name -> type ("text", "int", "num", "date", "bool"). Order is the canonical order.
KIND_FIELDS: dict[str, dict[str, str]] = {
    "risks": {
        "ref": "text",
        "title": "text",
        "owner": "text",
        "objective": "text",
        "scale": "text",
        "initial_likelihood": "int",
        "initial_consequence": "int",
        "initial_score": "int",
        "current_likelihood": "int",
        "current_consequence": "int",
        "current_score": "int",
        "target_likelihood": "int",
        "target_consequence": "int",
        "target_score": "int",
        "last_reviewed": "date",
        "status": "text",
        "controls": "text",
        "assurances": "text",
        "gaps": "text",
        "actions": "text",
        # The band a stage is stated as when the register gives only a band word (a 3x3 register's
        # "Residual Risk: Medium"): a configured band name, kept so the position is known though unplaceable.
        "initial_band": "text",
        "current_band": "text",
        "target_band": "text",
        "appetite": "text",
        "appetite_level": "text",
        "appetite_max_score": "int",
        "target_date": "date",
        "trend": "text",
        "next_review": "date",
        "opened": "date",
        "directorate": "text",
        "committee": "text",
    },
    "qipp_schemes": {
        "ref": "text",
        "name": "text",
        "area": "text",
        "stage": "int",
        "rag": "text",
        "value": "num",
        "risk_adjusted_value": "num",
        "lead": "text",
        "recurrent": "bool",
        "plan_ytd": "num",
        "actual_ytd": "num",
        "forecast": "num",
    },
    # A tracker's monthly phasing of a scheme: plan and actual saving by month (first day of the month).
    "qipp_phasing": {"ref": "text", "month": "date", "plan": "num", "actual": "num"},
    "qipp_targets": {"area": "text", "target": "num"},
    "finance_lines": {
        "line": "text",
        "ytd_budget": "num",
        "ytd_actual": "num",
        "ytd_variance": "num",
        "annual_budget": "num",
        "forecast_outturn": "num",
        "forecast_variance": "num",
        "is_total": "bool",
        "financial_year": "text",
        "month": "int",
        "section": "text",
        "prior_forecast_variance": "num",
    },
    "finance_risks": {
        "section": "text",
        "item": "text",
        "total_risk": "num",
        "mitigated_risk": "num",
        "in_forecast": "num",
        "residual_risk": "num",
        "is_total": "bool",
    },
    "finance_plan": {
        "line": "text",
        "plan_column": "text",
        "value": "num",
        "is_total": "bool",
    },
    "activity": {
        "code": "text",
        "title": "text",
        "month": "date",
        "plan": "num",
        "actual": "num",
    },
    "activity_annual": {
        "code": "text",
        "title": "text",
        "prior_outturn": "num",
        "do_nothing": "num",
        "qipp": "num",
        "plan": "num",
    },
    "actions": {
        "ref": "text",
        "parent_ref": "text",
        "area": "text",
        "action": "text",
        "owner": "text",
        "due_text": "text",
        "due_date": "date",
        "original_due_date": "date",
        "rag_label": "text",
        "rag": "text",
        "status": "text",
        "updated": "date",
        "progress": "text",
    },
    "action_summary": {
        "report_date": "date",
        "area": "text",
        "blue": "int",
        "green": "int",
        "amber": "int",
        "red": "int",
        "grey": "int",
        "total": "int",
    },
    "action_concerns": {
        "ref": "text",
        "action": "text",
        "deadline_text": "text",
        "due_date": "date",
        "original_due_date": "date",
        "concern": "text",
        "first_raised": "text",
        "status": "text",
    },
}

KINDS = tuple(KIND_FIELDS)


def total_severity(stated: float, computed: float, unit: float | None = 1.0) -> str | None:
    """How a stated total (or variance) is reported against what its lines give: None when they agree,
    "info" when they differ by no more than the source's rounding, "warning" when they differ by more.
    ``unit`` is the table's unit in the figures' terms (1 for £'000 or activity, 1000 for £m, 0.001 for
    £), or None for counts, which are never rounded. The source's rounding is ``[totals] rounding`` of
    the place the stated figure is written to: £1k for 304,393 in £'000, £0.1m for 5.9 in £m."""
    difference = abs(stated - computed)
    if difference <= 1e-9 * max(1.0, abs(stated), abs(computed)):
        return None
    if unit is None:
        return "warning"
    within = config.total_rounding() * unit * 10.0 ** -_decimals(stated / unit)
    return "info" if difference <= within * (1 + 1e-9) else "warning"


def calendar_year(fy_start_year: int, calendar_month: int) -> int:
    """The calendar year of a month (1 = January) in the financial year starting in April of ``fy_start_year``."""
    return fy_start_year if calendar_month >= 4 else fy_start_year + 1


def month_end(financial_year: str, month: int) -> str:
    """The ISO last day of month ``month`` (1 = April) of a financial year written ``2018/19``."""
    calendar_month = (month + 2) % 12 + 1
    year = calendar_year(int(financial_year[:4]), calendar_month)
    return date(year, calendar_month, calendar.monthrange(year, calendar_month)[1]).isoformat()


def _decimals(value: float) -> int:
    """The decimal places a figure is written to (up to 6)."""
    for places in range(6):
        if abs(round(value, places) - value) <= 1e-9 * max(1.0, abs(value)):
            return places
    return 6


@dataclass
class Issue:
    severity: str  # "error" | "warning" | "info"
    code: str  # short machine code, e.g. "score_mismatch", "total_mismatch"
    cell: str  # "Sheet!C12", or "Sheet" / "" when no single cell applies
    message: str  # one sentence a person can act on

    def to_dict(self) -> dict:
        return asdict(self)


# Letters that draw nothing but are not format characters (Hangul fillers, the Braille blank).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def organisation_name(text: str | None) -> str | None:
    """An organisation's name as it is stored and matched: Unicode NFKC, invisible and format characters
    removed, spaces collapsed; None when nothing is left. Two names that look the same are the same."""
    if text is None:
        return None
    kept = []
    for ch in unicodedata.normalize("NFKC", str(text)):
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch) not in ("Cf", "Cc", "Cn", "Co", "Cs") and ch not in _BLANK_LETTERS:
            kept.append(ch)
    return " ".join("".join(kept).split()) or None


def organisation_name_changed(written: str | None) -> bool:
    """Whether ``organisation_name`` changes more than the spacing of the name as written."""
    return written is not None and organisation_name(written) != " ".join(str(written).split())


class ColumnRecords(UserList):
    """Records held as columns (field -> values, one per source row), for large tables.

    Reading it as a list makes the record dicts (canonical fields, then ``source``) once; until then
    ``columns()`` hands the columns to the store without a dict per row.
    """

    def __init__(self, kind: str, sheet: str, columns: dict[str, list], rows: list[int]):
        self._kind, self._sheet, self._rows = kind, sheet, rows
        self._columns: dict[str, list] | None = columns
        self._records: list[dict] | None = None

    @property
    def data(self) -> list[dict]:
        if self._records is None:
            columns, _, rows = self.columns()
            sheet = self._sheet
            self._records = [
                dict(zip(columns, row, strict=True), source={"sheet": sheet, "row": source_row})
                for *row, source_row in zip(*columns.values(), rows, strict=True)
            ]
            self._columns = None
        return self._records

    @data.setter
    def data(self, records: list[dict]) -> None:
        self._records, self._columns = list(records), None

    def columns(self) -> tuple[dict[str, list], list[str], list[int]] | None:
        """(field -> values for every field of the kind, source sheets, source rows), or None once the records have
        been made."""
        if self._columns is None:
            return None
        absent = [None] * len(self._rows)
        columns = {f: self._columns.get(f, absent) for f in KIND_FIELDS[self._kind]}
        return columns, [self._sheet] * len(self._rows), self._rows

    def __len__(self) -> int:
        return len(self._rows) if self._records is None else len(self._records)

    def __getitem__(self, i):
        return self.data[i]

    def __add__(self, other):
        return self.data + list(other)

    def __radd__(self, other):
        return list(other) + self.data

    def copy(self) -> list[dict]:
        return list(self.data)


def record_columns(kind: str, records: list[dict]) -> tuple[dict[str, list], list, list]:
    """A dataset's records as (field -> values, source sheets, source rows), without making dicts
    for records that are still held as columns."""
    if isinstance(records, ColumnRecords) and (held := records.columns()) is not None:
        return held
    sources = [r.get("source") or {} for r in records]
    columns = {f: [r.get(f) for r in records] for f in KIND_FIELDS[kind]}
    return columns, [s.get("sheet") for s in sources], [s.get("row") for s in sources]


@dataclass
class Dataset:
    kind: str
    sheet: str
    header_row: int  # 1-based row of the (last) header row
    records: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # canonical field -> column letter
    financial_year: str | None = None  # "2018/19" where the table states or implies one

    def to_dict(self) -> dict:
        return {
            **{name: getattr(self, name) for name in ("kind", "sheet", "header_row", "columns")},
            "records": list(self.records),
            "issues": [i.to_dict() for i in self.issues],
        }

    @property
    def error_count(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")


@dataclass
class WorkbookResult:
    file: str  # the file's name as given by the user (never used as a path)
    sha256: str
    org: str | None = None
    as_at: str | None = None  # ISO date
    synthetic: bool = False  # the workbook declares itself synthetic demo data
    datasets: list[Dataset] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # whole-file problems, one sentence each
    issues: list[Issue] = field(default_factory=list)  # workbook-level issues (no dataset)
    mapping: dict | None = None  # the Mapping it was read with (loaders.mapping), JSON-ready
    profile: dict | None = None  # the layout profile it was read with: profile_id, organisation, saved_at

    @property
    def readable(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict:
        return {
            **{name: getattr(self, name) for name in ("file", "org", "as_at", "synthetic", "sha256")},
            "datasets": [d.to_dict() for d in self.datasets],
            "issues": [i.to_dict() for i in self.issues],
            "errors": list(self.errors),
            "mapping": self.mapping,
            "profile": self.profile,
        }


def empty_record(kind: str) -> dict:
    return dict.fromkeys(KIND_FIELDS[kind])
