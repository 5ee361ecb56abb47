"""Synthetic demo organisations: one workbook per organisation per month holding every dataset kind.

    python -m data.demo.generate [--out DIR] [--orgs N] [--months N] [--seed S] [--national]
    python -m data.demo.generate --single-tracker ROWS [--out DIR] [--seed S]

Every organisation and figure is invented. The output is seeded: the same arguments write
byte-identical workbooks. Money is in GBP thousands, variances are favourable-positive.
"""

from __future__ import annotations

import argparse
import calendar
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

from config import settings

DEFAULT_OUT = Path(__file__).resolve().parent / "workbooks"
FIRST_MONTH = date(2018, 4, 1)
SYNTHETIC_NOTE = "Synthetic demo data: this organisation and its figures are invented for demonstration."


@dataclass(frozen=True)
class Sizes:
    """Rows per organisation and month for each dataset."""

    risks: int = 30
    schemes: int = 100
    finance_lines: int = 10  # expenditure lines, besides Allocation, the total and the surplus/(deficit)
    actions: int = 80
    action_areas: int = 5

    def __post_init__(self) -> None:
        for name in ("risks", "schemes", "actions"):
            if getattr(self, name) < 1:
                raise ValueError(f"sizes.{name} must be at least 1")
        if not 2 <= self.finance_lines <= len(FINANCE_LINES):
            raise ValueError(f"sizes.finance_lines must be between 2 and {len(FINANCE_LINES)}")
        if not 1 <= self.action_areas <= len(ACTION_AREAS):
            raise ValueError(f"sizes.action_areas must be between 1 and {len(ACTION_AREAS)}")


ORGANISATIONS = [
    "Northmoor ICB",
    "Riverside and Weald ICB",
    "Eastfield CCG",
    "Ashcombe Vale ICB",
    "Brackenford CCG",
    "Coldmere and Dunsby ICB",
    "Elmstead Cross CCG",
    "Foxholme ICB",
    "Greywater Valley ICB",
    "Hallowdene CCG",
    "Kestrel Downs ICB",
    "Larkmoor and Sedgeby ICB",
    "Marshwick CCG",
    "Oakhollow ICB",
    "Pikestone CCG",
    "Ravensmere ICB",
    "Thornwold ICB",
    "Willowbeck CCG",
    "Amberleigh ICB",
    "Bramblecote CCG",
    "Cindervale ICB",
    "Dapplemoor CCG",
    "Eldergate ICB",
    "Fernhallow CCG",
    "Gorsewick ICB",
    "Heatherholt CCG",
    "Juniper Vale ICB",
    "Kingsmere and Lowdale ICB",
    "Lindenfold CCG",
    "Mistlebury ICB",
    "Nettleford Vale ICB",
    "Orchardine CCG",
    "Primrose Weald ICB",
    "Quarrydown CCG",
    "Rushcombe Fen ICB",
    "Saltmarsh Bay CCG",
    "Tanglecombe ICB",
    "Upperwold CCG",
    "Vennmoor ICB",
    "Wrenfield and Coldharbour ICB",
    "Yarrowdale CCG",
    "Zephyr Coast ICB",
]

RISK_TITLES = [
    "Risk to quality, patient care and experience in commissioned services",
    "Risk of increased patient safety incidents",
    "Workforce shortages prevent the transformation of services",
    "The winter resilience plan does not maintain urgent care performance",
    "Failure to deliver the QIPP efficiency programme in full",
    "Failure to achieve the financial control total",
    "Member practices do not have the capacity to deliver extended access",
    "Breach of the statutory duty to consult and engage the public",
    "Member practices disengage from the organisation's priorities",
    "Non-compliance with legal and best-practice governance requirements",
    "Inability to work effectively with system partners",
    "Cyber security incident disrupts commissioning and primary care systems",
    "Continuing healthcare assessments are not completed within 28 days",
    "Delayed transfers of care exceed the agreed trajectory",
    "Referral to treatment waiting times deteriorate",
    "Mental health out-of-area placements continue to rise",
    "Cancer 62-day standard is not met",
    "Children's safeguarding arrangements are not assured",
    "Care home quality concerns are not identified early",
    "Primary care estate is not fit for purpose",
    "Digital solutions are not implemented to plan",
    "Organisational change reduces staff capacity and morale",
    "Provider financial instability affects service continuity",
    "Learning disability placements are not transferred to the community",
    "Ambulance handover delays compromise patient safety",
    "Prescribing costs exceed budget",
    "Information governance breach involving patient data",
    "Deprivation of liberty safeguards are not complied with",
    "Section 117 aftercare disputes are not resolved with the local authority",
    "Elective recovery is slower than planned",
    "Business continuity plans are not tested",
    "Procurement of community services is challenged",
    "Health inequalities widen across localities",
    "The improvement plan is not delivered within the agreed timescale",
    "Conflicts of interest are not managed in line with guidance",
    "Data quality prevents accurate contract monitoring",
    "The integrated urgent care service does not meet its standards",
    "Maternity services do not deliver the national transformation programme",
    "Estates rationalisation is delayed by lease negotiations",
    "Running costs exceed the allowance",
]
RISK_OWNERS = [
    "Chief Nurse",
    "Chief Finance Officer",
    "Chief Operating Officer",
    "Director of Primary Care",
    "Director of Corporate Affairs",
    "Medical Director",
    "Director of Strategy",
    "Accountable Officer",
]
OBJECTIVES = [
    "1. Improve quality and safety",
    "2. Achieve financial sustainability",
    "3. Transform primary and community care",
    "4. Engage patients and the public",
    "5. Work as one health and care system",
]
OBJECTIVE_WEIGHTS = [0.3, 0.25, 0.2, 0.15, 0.1]

QIPP_AREAS = {
    "Acute": [
        "Outpatient follow-up reduction",
        "Advice and guidance before referral",
        "Elective pathway redesign",
        "Length of stay reduction",
        "Ambulatory emergency care",
        "Procedures of limited clinical value",
    ],
    "Community": ["Community nursing redesign", "Rapid response service", "Intermediate care beds review"],
    "Mental Health": ["Out-of-area placements repatriation", "Crisis house pathway", "Talking therapies contract"],
    "Prescribing": [
        "Medicines optimisation in care homes",
        "Switch to biosimilars",
        "Repeat prescribing review",
        "Over-the-counter medicines",
        "Gluten-free prescribing",
    ],
    "Primary Care": ["Enhanced services review", "Practice premises rationalisation"],
    "Continuing Healthcare": ["Care package review", "Fast-track pathway audit", "Personal health budgets"],
    "Corporate": ["Running cost reductions", "Estates consolidation", "Contract management review"],
}
QIPP_AREA_WEIGHTS = [0.32, 0.14, 0.1, 0.2, 0.08, 0.11, 0.05]
QIPP_QUALIFIERS = [
    "North locality",
    "South locality",
    "East locality",
    "West locality",
    "Central locality",
    "phase 2",
    "phase 3",
    "adults",
    "children",
    "urban practices",
    "rural practices",
]
QIPP_LEADS = [
    "Head of Prescribing",
    "Director of Planned Care",
    "Head of Urgent Care",
    "Associate Director of Contracts",
    "Head of Continuing Healthcare",
    "Director of Primary Care",
    "Chief Finance Officer",
    "Head of Mental Health Commissioning",
    "Programme Manager",
]

# (line, share of expenditure); "Running Costs" always closes the list.
FINANCE_LINES = [
    ("Acute Services", 0.46),
    ("Mental Health Services", 0.1),
    ("Community Services", 0.085),
    ("Continuing Care", 0.055),
    ("Prescribing", 0.095),
    ("Primary Care", 0.04),
    ("Primary Care Co-commissioning", 0.08),
    ("Other Programme", 0.03),
    ("Better Care Fund", 0.035),
    ("Learning Disabilities", 0.015),
    ("NHS 111 and Urgent Care", 0.012),
    ("Specialised Services", 0.01),
    ("Reserves and Contingency", 0.005),
    ("Running Costs", 0.017),
]

# code, title, annual plan at scale 1 (None: the sum of its children), parent code.
ACTIVITY_CODES = [
    ("E.M.7", "Total Referrals (Specific Acute)", None, None),
    ("E.M.7a", "Total GP Referrals (G&A)", 177_000, "E.M.7"),
    ("E.M.7b", "Total Other Referrals (G&A)", 138_000, "E.M.7"),
    ("E.M.8", "Consultant Led First Outpatient Attendances (Specific Acute)", 341_000, None),
    ("E.M.9", "Consultant Led Follow-Up Outpatient Attendances (Specific Acute)", 405_000, None),
    ("E.M.10", "Total Elective Admissions (Spells) (Specific Acute)", None, None),
    ("E.M.10a", "Total Elective Admissions - Day Cases", 89_000, "E.M.10"),
    ("E.M.10b", "Total Elective Admissions - Ordinary", 19_000, "E.M.10"),
    ("E.M.11", "Total Non-Elective Admissions (Spells) (Specific Acute)", None, None),
    ("E.M.11a", "Total Non-Elective Admissions - 0 LoS", 25_000, "E.M.11"),
    ("E.M.11b", "Total Non-Elective Admissions - +1 LoS", 64_000, "E.M.11"),
    ("E.M.12", "Total A&E Attendances excluding planned follow ups", 318_000, None),
]
# Share of the year's activity in each month, April to March (referrals in a typical year).
ACTIVITY_PROFILE = [0.0817, 0.0881, 0.0843, 0.087, 0.0831, 0.0772, 0.0889, 0.0873, 0.0707, 0.086, 0.0796, 0.0861]

ACTION_AREAS = [
    "Leadership, Structure and OD",
    "Financial Management and Recovery",
    "Governance and Reporting",
    "Commissioning and Contracting",
    "System Working",
    "Quality and Safety",
]
ACTION_VERBS = ["Agree", "Review", "Implement", "Publish", "Embed", "Establish", "Refresh", "Audit", "Report on"]
ACTION_OBJECTS = [
    "the leadership development programme",
    "the risk management policy",
    "monthly QIPP assurance reporting",
    "the financial recovery plan",
    "the Governing Body effectiveness review",
    "the PMO gateway process",
    "contract performance notices",
    "the conflicts of interest register",
    "the CHC backlog trajectory",
    "the organisational development strategy",
    "the system urgent care plan",
    "the board assurance framework",
    "quality visits to providers",
    "the communications and engagement strategy",
    "the scheme of delegation",
    "committee terms of reference",
    "the budget-holder training programme",
    "the integrated performance report",
]
ACTION_OWNERS = ["AO", "CFO", "COO", "Chief Nurse", "Dir. Gov", "Chair", "Medical Director", "DPCO"]

# The sizes of the national benchmark: 42 organisations x 36 months.
NATIONAL = Sizes(risks=40, schemes=150, finance_lines=12, actions=100, action_areas=6)

# A risk's likelihood, consequence and score: initial, current and target.
RISK_SCORES = [
    f"{stage}_{part}" for stage in ("initial", "current", "target") for part in ("likelihood", "consequence", "score")
]
# The columns each sheet writes: canonical field names of records.KIND_FIELDS.
COLUMNS = {
    "risks": ["ref", "title", "owner", "objective", "scale", *RISK_SCORES, "last_reviewed", "status"],
    "qipp_schemes": ["ref", "name", "area", "stage", "rag", "value", "lead", "recurrent"],
    "qipp_targets": ["area", "target"],
    "finance_lines": [
        "line",
        "ytd_budget",
        "ytd_actual",
        "ytd_variance",
        "annual_budget",
        "forecast_outturn",
        "forecast_variance",
    ],
    "activity": ["code", "title", "month", "plan", "actual"],
    "activity_annual": ["code", "title", "prior_outturn", "do_nothing", "qipp", "plan"],
    "actions": ["ref", "area", "action", "owner", "due_text", "rag_label", "status", "updated"],
    "action_summary": ["report_date", "area", "blue", "green", "amber", "red", "grey", "total"],
}
SHEETS = {
    "risks": "Risk register",
    "qipp_schemes": "QIPP schemes",
    "qipp_targets": "QIPP targets",
    "finance_lines": "Finance position",
    "activity": "Activity",
    "activity_annual": "Activity annual",
    "actions": "Improvement plan",
    "action_summary": "RAG summary",
}
# Only capitalisation differs from the humanised field name.
LABELS = {
    "ytd_budget": "YTD budget",
    "ytd_actual": "YTD actual",
    "ytd_variance": "YTD variance",
    "qipp": "QIPP",
    "rag": "RAG",
    "rag_label": "RAG label",
}
MONEY_FIELDS = {"value", "target", *COLUMNS["finance_lines"][1:]}
WIDE_FIELDS = {"title": 60, "name": 48, "action": 56, "line": 30, "objective": 36, "area": 34, "due_text": 24}


def label(field_name: str) -> str:
    """The column header for a canonical field, as the blank templates write it."""
    return LABELS.get(field_name, field_name.replace("_", " ").capitalize())


# ---------------------------------------------------------------------------------------------- calendar


def add_months(first: date, n: int) -> date:
    years, month0 = divmod(first.month - 1 + n, 12)
    return date(first.year + years, month0 + 1, 1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def financial_year(month_start: date) -> tuple[str, int]:
    """("2018/19", month number with April = 1) for a month."""
    start = month_start.year if month_start.month >= 4 else month_start.year - 1
    return f"{start}/{(start + 1) % 100:02d}", (month_start.month - 4) % 12 + 1


def _rng(seed: int, org: int, topic: str) -> random.Random:
    return random.Random(f"{seed}/{org}/{topic}")


# ---------------------------------------------------------------------------------------------- risks


@dataclass
class Risk:
    ref: str
    title: str
    owner: str
    objective: str
    first: int  # month index the risk enters the register
    initial: tuple[int, int]
    target: tuple[int, int]
    current: list[tuple[int, int] | None] = field(default_factory=list)
    reviewed: list[date | None] = field(default_factory=list)
    status: list[str | None] = field(default_factory=list)


def _move(behaviour: str, current: tuple[int, int], target: tuple[int, int], rng: random.Random) -> tuple[int, int]:
    likelihood, consequence = current
    if behaviour == "improving":
        if likelihood > target[0]:
            return likelihood - 1, consequence
        return likelihood, max(target[1], consequence - 1)
    if behaviour == "worsening":
        if likelihood < 5 and (consequence == 5 or rng.random() < 0.7):
            return likelihood + 1, consequence
        return likelihood, min(5, consequence + 1)
    step = rng.choice((-1, 1))
    return min(5, max(target[0], likelihood + step)), consequence


def plan_risks(rng: random.Random, count: int, months: list[date]) -> list[Risk]:
    per_objective = Counter(rng.choices(range(len(OBJECTIVES)), OBJECTIVE_WEIGHTS, k=count))
    titles = rng.sample(RISK_TITLES, len(RISK_TITLES))
    risks: list[Risk] = []
    for n, objective in enumerate(OBJECTIVES):
        for number in range(1, per_objective[n] + 1):
            title = titles[len(risks) % len(titles)]
            if len(risks) >= len(titles):
                title = f"{title} ({objective[3:].lower()})"
            risks.append(_plan_risk(rng, f"{n + 1}.{number}", title, objective, months))
    return risks


def _plan_risk(rng: random.Random, ref: str, title: str, objective: str, months: list[date]) -> Risk:
    likelihood, consequence = rng.randint(2, 5), rng.randint(3, 5)
    target = (max(1, likelihood - rng.randint(1, 3)), max(1, consequence - rng.choice((0, 0, 1, 2))))
    first = 0 if len(months) == 1 or rng.random() < 0.85 else rng.randrange(1, len(months))
    risk = Risk(ref, title, rng.choice(RISK_OWNERS), objective, first, (likelihood, consequence), target)
    risk.current, risk.reviewed, risk.status = [None] * first, [None] * first, [None] * first  # not yet entered
    behaviour = rng.choices(("improving", "worsening", "static", "fluctuating"), (45, 20, 20, 15))[0]
    neglected = rng.random() < 0.15
    current = risk.initial
    reviewed = months[first] - timedelta(days=rng.randint(60, 200) if neglected else rng.randint(1, 25))
    at_target_for = 0
    for m, month in enumerate(months[first:], first):
        moved = False
        if m > first and behaviour != "static" and rng.random() < 0.15:
            new = _move(behaviour, current, target, rng)
            moved, current = new != current, new
        if moved or rng.random() < (0.08 if neglected else 0.85):
            reviewed = max(reviewed, month + timedelta(days=rng.randint(0, 27)))
        at_target_for = at_target_for + 1 if current == target else 0
        risk.current.append(current)
        risk.reviewed.append(reviewed)
        risk.status.append("Closed" if at_target_for >= 3 else "Open")
    return risk


def risk_rows(risks: list[Risk], m: int) -> Iterable[list]:
    for risk in risks:
        current = risk.current[m]
        if current is None:
            continue
        # in the order of RISK_SCORES
        scores = [n for level in (risk.initial, current, risk.target) for n in (*level, level[0] * level[1])]
        yield [risk.ref, risk.title, risk.owner, risk.objective, "5x5", *scores, risk.reviewed[m], risk.status[m]]


# ---------------------------------------------------------------------------------------------- QIPP


@dataclass
class Scheme:
    ref: str
    name: str
    area: str
    value: int
    lead: str
    recurrent: str
    stages: list[int] = field(default_factory=list)  # by month of the financial year
    rags: list[str | None] = field(default_factory=list)


RAG_STEPS = {"Green": ("Amber",), "Amber": ("Green", "Red"), "Red": ("Amber",)}


def _scheme_value(rng: random.Random, scale: float) -> int:
    return max(5, round(rng.lognormvariate(4.8, 1.0) * scale))


def _scheme_name(rng: random.Random, area: str) -> str:
    return f"{rng.choice(QIPP_AREAS[area])}: {rng.choice(QIPP_QUALIFIERS)}"


def plan_qipp(rng: random.Random, count: int, fy_label: str, scale: float) -> tuple[list[Scheme], list[tuple]]:
    areas = list(QIPP_AREAS)
    width = max(3, len(str(count)))
    schemes = []
    for i in range(1, count + 1):
        area = rng.choices(areas, QIPP_AREA_WEIGHTS)[0]
        scheme = Scheme(
            f"Q{fy_label[2:4]}-{i:0{width}d}",
            _scheme_name(rng, area),
            area,
            _scheme_value(rng, scale),
            rng.choice(QIPP_LEADS),
            "Y" if rng.random() < 0.8 else "N",
        )
        stage = rng.choices((0, 1, 2, 3), (35, 30, 20, 15))[0]
        stalled = rng.random() < 0.15
        pipeline_rag = rng.choice((None, None, "Amber", "Red"))
        rag = rng.choices(("Green", "Amber", "Red"), (70, 20, 10))[0]
        for month in range(12):
            if month and not stalled and stage < 5 and rng.random() < 0.22:
                stage += 1
            if month and rng.random() < 0.15:
                rag = rng.choice(RAG_STEPS[rag])
            scheme.stages.append(stage)
            scheme.rags.append(pipeline_rag if stage == 0 else "Green" if stage == 5 else rag)
        schemes.append(scheme)
    planned = {area: sum(s.value for s in schemes if s.area == area) for area in areas}
    return schemes, [(area, int(round(total * rng.uniform(1.0, 1.2), -1))) for area, total in planned.items() if total]


def stage_label(stage: int) -> str:
    return f"{stage} - {settings().qipp.stages[stage]}"


def scheme_rows(schemes: list[Scheme], fy_month: int) -> Iterable[list]:
    for s in schemes:
        stage = s.stages[fy_month - 1]
        yield [s.ref, s.name, s.area, stage_label(stage), s.rags[fy_month - 1], s.value, s.lead, s.recurrent]


# ---------------------------------------------------------------------------------------------- finance


@dataclass
class FinanceYear:
    lines: list[str]
    annual: list[int]
    allocation: int
    monthly_variance: list[list[int]]  # per line, the variance incurred in each month (favourable positive)
    forecast_weight: list[float]  # per line, how much of the run-rate variance the forecast assumes

    def position(self, month: int) -> list[list]:
        """Allocation, the expenditure lines, Total Expenditure and the in-year surplus/(deficit) at month N."""
        rows = [[self.lines[i], *self._line(i, month)] for i in range(len(self.lines))]
        total = [sum(r[k] for r in rows) for k in range(1, 7)]
        allocation_ytd = self.allocation * month // 12
        allocation = [allocation_ytd, allocation_ytd, 0, self.allocation, self.allocation, 0]
        # the variance columns (2 and 5) carry the expenditure's variance, the others allocation less expenditure
        surplus = [total[k] if k in (2, 5) else allocation[k] - total[k] for k in range(6)]
        return [
            ["Allocation", *allocation],
            *rows,
            ["Total Expenditure", *total],
            ["In year surplus/(deficit)", *surplus],
        ]

    def _line(self, i: int, month: int) -> list[int]:
        annual = self.annual[i]
        budget = annual * month // 12
        variance = sum(self.monthly_variance[i][:month])
        forecast_variance = round(variance + variance * (12 - month) / month * self.forecast_weight[i])
        return [budget, budget - variance, variance, annual, annual - forecast_variance, forecast_variance]


def plan_finance(rng: random.Random, count: int, scale: float, year_index: int) -> FinanceYear:
    chosen = FINANCE_LINES[: count - 1] + [FINANCE_LINES[-1]]
    share_total = sum(share for _, share in chosen)
    expenditure = 900_000 * scale * 1.035**year_index
    annual = [round(expenditure * share / share_total * rng.uniform(0.95, 1.05)) for _, share in chosen]
    allocation = round(sum(annual) * (1 + rng.uniform(-0.03, 0.01)))
    monthly_variance = []
    for amount in annual:
        drift = amount / 12 * rng.uniform(-0.03, 0.02)
        monthly_variance.append([round(rng.gauss(drift, amount / 12 * 0.008)) for _ in range(12)])
    weights = [rng.uniform(0.5, 1.0) for _ in chosen]
    return FinanceYear([name for name, _ in chosen], annual, allocation, monthly_variance, weights)


# ---------------------------------------------------------------------------------------------- activity


@dataclass
class ActivityYear:
    first_month: date
    codes: list[tuple[str, str]]
    plan: dict[str, list[int]]
    actual: dict[str, list[int]]
    prior_outturn: dict[str, int]
    qipp: dict[str, int]

    def monthly_rows(self, month: int) -> Iterable[list]:
        for code, title in self.codes:
            for k in range(12):
                actual = self.actual[code][k] if k < month else None
                yield [code, title, add_months(self.first_month, k), self.plan[code][k], actual]

    def annual_rows(self) -> Iterable[list]:
        for code, title in self.codes:
            plan = sum(self.plan[code])
            yield [code, title, self.prior_outturn[code], plan - self.qipp[code], self.qipp[code], plan]


@dataclass
class ActivityTrend:
    """An organisation's activity over the whole horizon: volumes, seasonality and how actuals depart from plan."""

    base: dict[str, float]  # annual plan of each leaf code in the first year
    profile: list[float]  # share of the year in each month, April to March
    drift: dict[str, float]  # actual above plan, growing by this fraction each month
    shift: dict[str, tuple[int, float]]  # from month index, actual moves by this fraction (a step change)
    spike: dict[str, tuple[int, float]]  # in one month index, a one-off departure


def plan_activity_trend(rng: random.Random, scale: float, months: int) -> ActivityTrend:
    amplitude = rng.uniform(0.35, 0.6)  # the source's seasonality, damped: commissioners' mixes vary
    profile = [1 / 12 + amplitude * (share - 1 / 12) for share in ACTIVITY_PROFILE]
    trend = ActivityTrend({}, [p / sum(profile) for p in profile], {}, {}, {})
    for code, _, annual, _ in ACTIVITY_CODES:
        if annual is None:
            continue
        trend.base[code] = annual * scale * rng.uniform(0.85, 1.15)
        trend.drift[code] = rng.uniform(-0.002, 0.003)
        if months >= 10 and rng.random() < 0.4:
            trend.shift[code] = (rng.randint(3, months - 7), rng.choice((-1, 1)) * rng.uniform(0.07, 0.12))
        if rng.random() < 0.15:
            trend.spike[code] = (rng.randrange(months), rng.choice((-1, 1)) * rng.uniform(0.15, 0.2))
    return trend


def plan_activity(rng: random.Random, trend: ActivityTrend, april: date, offset: int, year_index: int) -> ActivityYear:
    """A financial year's plan and actuals; ``offset`` is the month index of its April in the horizon."""
    plan: dict[str, list[int]] = {}
    actual: dict[str, list[int]] = {}
    prior: dict[str, int] = {}
    qipp: dict[str, int] = {}
    for code, _, annual, _ in ACTIVITY_CODES:
        if annual is None:
            continue
        yearly = trend.base[code] * 1.025**year_index * rng.uniform(0.99, 1.03)
        plan[code] = [round(yearly * share) for share in trend.profile]
        shift_at, shift = trend.shift.get(code, (None, 0.0))
        spike_at, spike = trend.spike.get(code, (None, 0.0))
        actual[code] = []
        for k, planned in enumerate(plan[code]):
            m = offset + k
            factor = 1 + trend.drift[code] * m + rng.gauss(0, 0.012)
            factor += (shift if shift_at is not None and m >= shift_at else 0.0) + (spike if m == spike_at else 0.0)
            actual[code].append(max(0, round(planned * factor)))
        total = sum(plan[code])
        prior[code] = round(total * rng.uniform(0.94, 1.01))
        qipp[code] = 0 if code.startswith("E.M.11") else -round(total * rng.uniform(0.0, 0.05))
    for code, _, annual, _ in ACTIVITY_CODES:
        if annual is not None:
            continue
        children = [c for c, _, _, parent in ACTIVITY_CODES if parent == code]
        plan[code] = [sum(plan[c][k] for c in children) for k in range(12)]
        actual[code] = [sum(actual[c][k] for c in children) for k in range(12)]
        prior[code] = sum(prior[c] for c in children)
        qipp[code] = sum(qipp[c] for c in children)
    codes = [(code, title) for code, title, _, _ in ACTIVITY_CODES]
    return ActivityYear(april, codes, plan, actual, prior, qipp)


# ---------------------------------------------------------------------------------------------- actions


@dataclass
class Action:
    ref: str
    area: str
    text: str
    owner: str
    first: int  # month index the action enters the plan
    due: date
    due_index: int
    revised: date | None
    revised_index: int | None
    start_index: int
    complete_index: int | None
    at_risk: bool
    update_day: int
    changed: list[int] = field(default_factory=list)  # per month, the month its RAG label last changed

    def note_changes(self, months: int) -> None:
        self.changed = []
        for m in range(months):
            same = self.first < m and self.state(m)[0] == self.state(m - 1)[0]
            self.changed.append(self.changed[-1] if same else m)

    def state(self, m: int) -> tuple[str, str, str]:
        """(RAG label as written, canonical RAG, status) at month m."""
        if self.complete_index is not None and m >= self.complete_index:
            return "Complete", "blue", "Closed"
        if m < self.start_index:
            return "Not Started", "grey", "Not Started"
        due_index = self.revised_index if self.revised is not None and m >= self.due_index else self.due_index
        if m > due_index:
            return "Delayed", "red", "Open"
        if self.at_risk and m >= due_index - 1:
            return "At risk", "amber", "Open"
        return "On-Track", "green", "Open"

    def due_text(self, m: int) -> str:
        if self.revised is not None and m >= self.due_index:
            return f"{self.revised:%d/%m/%Y} ({self.due:%d/%m/%Y})"
        return f"{self.due:%d/%m/%Y}"


def _due(rng: random.Random, months: list[date], index: int) -> date:
    month = add_months(months[0], index)
    return month.replace(day=min(rng.choice((7, 14, 21, 28, 31)), month_end(month).day))


def plan_actions(rng: random.Random, count: int, area_count: int, months: list[date]) -> list[Action]:
    areas = [f"{n}. {name}" for n, name in enumerate(ACTION_AREAS[:area_count], 1)]
    numbers = [0] * area_count
    actions = []
    for _ in range(count):
        a = rng.randrange(area_count)
        numbers[a] += 1
        first = 0 if len(months) == 1 or rng.random() < 0.8 else rng.randrange(1, min(len(months), 9))
        due_index = first + rng.randint(1, 14)
        start_index = min(due_index, first + rng.choice((0, 0, 1, 2, 3)))
        outcome = rng.random()
        revised = revised_index = complete = None
        if outcome < 0.7:
            complete = max(start_index, due_index + rng.choice((-2, -1, -1, 0, 0, 0, 1)))
        elif outcome < 0.85:
            revised_index = due_index + rng.randint(2, 5)
            revised = _due(rng, months, revised_index)
            if rng.random() < 0.75:
                complete = revised_index + rng.choice((-1, 0, 1))
        elif rng.random() < 0.6:
            complete = due_index + rng.randint(2, 6)
        actions.append(
            Action(
                ref=f"{a + 1}.{numbers[a]}",
                area=areas[a],
                text=f"{rng.choice(ACTION_VERBS)} {rng.choice(ACTION_OBJECTS)}",
                owner=rng.choice(ACTION_OWNERS),
                first=first,
                due=_due(rng, months, due_index),
                due_index=due_index,
                revised=revised,
                revised_index=revised_index,
                start_index=start_index,
                complete_index=complete,
                at_risk=rng.random() < 0.4,
                update_day=rng.randint(1, 27),
            )
        )
    actions.sort(key=lambda x: tuple(int(part) for part in x.ref.split(".")))
    for action in actions:
        action.note_changes(len(months))
    return actions


def action_rows(actions: list[Action], months: list[date], m: int) -> Iterable[list]:
    for a in actions:
        if a.first > m:
            continue
        label_now, _, status = a.state(m)
        updated = months[a.changed[m]] + timedelta(days=a.update_day)
        yield [a.ref, a.area, a.text, a.owner, a.due_text(m), label_now, status, min(updated, month_end(months[m]))]


def summary_rows(actions: list[Action], area_count: int, m: int, report_date: date) -> list[list]:
    rags = ("blue", "green", "amber", "red", "grey")
    rows = []
    for n, name in enumerate(ACTION_AREAS[:area_count], 1):
        area = f"{n}. {name}"
        counts = Counter(a.state(m)[1] for a in actions if a.area == area and a.first <= m)
        rows.append([report_date, area, *(counts[r] for r in rags), counts.total()])
    rows.append([report_date, "Total", *(sum(r[k] for r in rows) for k in range(2, 8))])
    return rows


# ---------------------------------------------------------------------------------------------- writing


class Book:
    """One organisation's xlsxwriter workbook as at a date, with the shared formats; sheets are written top to
    bottom, their titles after the organisation's name."""

    def __init__(self, path: Path, org: str, as_at: date, stream: bool = False):
        self.org, self.as_at = org, as_at
        # Small workbooks are fastest built in memory; a big one streams its rows to disk.
        options = {"constant_memory": True} if stream else {"in_memory": True}
        self.workbook = xlsxwriter.Workbook(str(path), options)
        self.workbook.set_properties(
            {
                "title": "Assurance pack",
                "author": "Synthetic demo data",
                "created": datetime.combine(as_at, datetime.min.time()),
            }
        )
        add = self.workbook.add_format
        self.bold = add({"bold": True})
        self.title = add({"bold": True, "font_size": 14})
        self.header = add({"bold": True, "bg_color": "#D9E2F3", "border": 1, "text_wrap": True})
        self.date = add({"num_format": "dd/mm/yyyy"})
        self.money = add({"num_format": "#,##0;(#,##0);0"})
        self.total_money = add({"num_format": "#,##0;(#,##0);0", "bold": True, "top": 1})
        self.total_text = add({"bold": True, "top": 1})
        self.rag = {rag: add({"bg_color": f"#{colour}"}) for rag, colour in _rag_fills().items()}

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc) -> None:
        self.workbook.close()

    def cover(self, title: str) -> None:
        sheet = self.workbook.add_worksheet("Cover")
        sheet.set_column(0, 0, 16)
        sheet.write_string(0, 0, f"{self.org}: {title}", self.title)
        sheet.write_string(1, 0, "Organisation:", self.bold)
        sheet.write_string(1, 1, self.org)
        sheet.write_string(2, 0, "As at:", self.bold)
        sheet.write_string(2, 1, self.as_at.isoformat())
        sheet.write_string(4, 0, SYNTHETIC_NOTE)
        sheet.write_string(
            5, 0, "Money is in GBP thousands (£'000); variances are favourable positive, adverse negative."
        )
        sheet.write_string(7, 0, settings().loader_vocabulary.synthetic_marker)  # what the loaders read

    def table(
        self,
        kind: str,
        title: str,
        subtitle: str,
        rows: Iterable[list],
        is_total: Callable[[list], bool] = lambda row: False,
    ) -> None:
        """A sheet with the title and subtitle rows, a blank row, the header and the rows."""
        columns = COLUMNS[kind]
        sheet = self.workbook.add_worksheet(SHEETS[kind])
        for c, name in enumerate(columns):
            sheet.set_column(c, c, WIDE_FIELDS.get(name, 13))
        sheet.write_string(0, 0, f"{self.org}: {title}", self.title)
        sheet.write_string(1, 0, subtitle)
        header_row = 3
        sheet.set_row(header_row, 30)
        for c, name in enumerate(columns):
            sheet.write_string(header_row, c, label(name), self.header)
        sheet.freeze_panes(header_row + 1, 0)
        rag_columns = {columns.index(f) for f in ("rag", "rag_label") if f in columns}
        money_columns = {c for c, name in enumerate(columns) if name in MONEY_FIELDS}
        for r, row in enumerate(rows, header_row + 1):
            total = is_total(row)
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    fmt = self.total_text if total else self.rag.get(_rag_of(value)) if c in rag_columns else None
                    sheet.write_string(r, c, value, fmt)
                elif isinstance(value, date):
                    sheet.write_datetime(r, c, datetime.combine(value, datetime.min.time()), self.date)
                elif c in money_columns:
                    sheet.write_number(r, c, value, self.total_money if total else self.money)
                else:
                    sheet.write_number(r, c, value, self.total_text if total else None)


def _rag_fills() -> dict[str, str]:
    fills: dict[str, str] = {}
    for colour, rag in settings().rag_fill_colours.items():
        fills.setdefault(rag, colour)
    return fills


def _rag_of(text: str) -> str | None:
    return settings().rag_words.get(text.strip().lower())


# ---------------------------------------------------------------------------------------------- organisations


def organisation_names(count: int) -> list[str]:
    known = len(ORGANISATIONS)
    return [ORGANISATIONS[i % known] + (f" {i // known + 1}" if i >= known else "") for i in range(count)]


def slug(name: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in name.lower()).split())


@dataclass
class Organisation:
    """Everything about one organisation over the whole horizon, planned before any workbook is written."""

    name: str
    months: list[date]
    sizes: Sizes
    risks: list[Risk]
    actions: list[Action]
    qipp: dict[str, tuple[list[Scheme], list[tuple]]]
    finance: dict[str, FinanceYear]
    activity: dict[str, ActivityYear]


def plan_organisation(index: int, name: str, months: list[date], seed: int, sizes: Sizes) -> Organisation:
    scale = _rng(seed, index, "scale").uniform(0.5, 1.6)
    years = sorted({financial_year(m)[0] for m in months})
    trend = plan_activity_trend(_rng(seed, index, "activity"), scale, len(months))
    qipp, finance, activity = {}, {}, {}
    for y, fy in enumerate(years):
        qipp[fy] = plan_qipp(_rng(seed, index, f"qipp {fy}"), sizes.schemes, fy, scale)
        finance[fy] = plan_finance(_rng(seed, index, f"finance {fy}"), sizes.finance_lines, scale, y)
        april = date(int(fy[:4]), 4, 1)
        offset = (april.year - months[0].year) * 12 + april.month - months[0].month
        activity[fy] = plan_activity(_rng(seed, index, f"activity {fy}"), trend, april, offset, y)
    return Organisation(
        name=name,
        months=months,
        sizes=sizes,
        risks=plan_risks(_rng(seed, index, "risks"), sizes.risks, months),
        actions=plan_actions(_rng(seed, index, "actions"), sizes.actions, sizes.action_areas, months),
        qipp=qipp,
        finance=finance,
        activity=activity,
    )


def write_month(org: Organisation, m: int, path: Path) -> Path:
    month = org.months[m]
    as_at = month_end(month)
    fy, fy_month = financial_year(month)
    long_date = f"{as_at.day} {as_at:%B %Y}"
    with Book(path, org.name, as_at) as book:
        book.cover(f"assurance pack, {long_date}")
        book.table("risks", "Corporate risk register", f"Reviewed to {long_date}", risk_rows(org.risks, m))
        schemes, targets = org.qipp[fy]
        qipp_title = f"QIPP scheme tracker {fy}, Month {fy_month}"
        book.table("qipp_schemes", qipp_title, "Net values in £'000", scheme_rows(schemes, fy_month))
        book.table("qipp_targets", f"QIPP targets {fy} by area", "£'000", targets)
        book.table(
            "finance_lines",
            f"Month {fy_month} {fy}",
            "£'000; variance favourable/(adverse)",
            org.finance[fy].position(fy_month),
            is_total=lambda row: row[0].startswith("Total"),
        )
        activity = org.activity[fy]
        book.table("activity", f"Activity plan {fy}", f"Actuals to Month {fy_month}", activity.monthly_rows(fy_month))
        book.table("activity_annual", f"Activity plan {fy}, annual", "Counts", activity.annual_rows())
        book.table("actions", "Improvement plan", f"Updated to {long_date}", action_rows(org.actions, org.months, m))
        book.table(
            "action_summary",
            "Improvement plan RAG summary",
            f"Report of {long_date}",
            summary_rows(org.actions, org.sizes.action_areas, m, as_at),
            is_total=lambda row: row[1] == "Total",
        )
    return path


def generate(
    out_dir: Path | str = DEFAULT_OUT,
    orgs: int = 3,
    months: int = 24,
    seed: int = 1,
    sizes: Sizes | None = None,
    first_month: date = FIRST_MONTH,
    progress: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write one workbook per organisation per month into ``out_dir``; returns their paths in order."""
    if orgs < 1 or months < 1:
        raise ValueError("orgs and months must be at least 1")
    sizes = sizes or Sizes()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    calendar_months = [add_months(first_month.replace(day=1), n) for n in range(months)]
    written = []
    for index, name in enumerate(organisation_names(orgs)):
        org = plan_organisation(index, name, calendar_months, seed, sizes)
        for m, month in enumerate(calendar_months):
            path = write_month(org, m, out / f"{slug(name)}_{month_end(month).isoformat()}.xlsx")
            written.append(path)
            if progress:
                progress(path)
    return written


def write_big_tracker(path: Path | str, rows: int, seed: int = 1, as_at: date = date(2019, 3, 31)) -> Path:
    """One QIPP tracker workbook with ``rows`` schemes (stages and RAGs independent per scheme)."""
    if rows < 1:
        raise ValueError("rows must be at least 1")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}/big tracker")
    fy, fy_month = financial_year(as_at.replace(day=1))
    areas = list(QIPP_AREAS)
    width = len(str(rows))
    totals = dict.fromkeys(areas, 0)

    def schemes() -> Iterable[list]:
        for i in range(1, rows + 1):
            area = rng.choices(areas, QIPP_AREA_WEIGHTS)[0]
            stage = rng.choices(range(6), (20, 20, 15, 25, 12, 8))[0]
            rag = (
                rng.choice((None, "Amber", "Red"))
                if stage == 0
                else rng.choices(("Green", "Amber", "Red"), (70, 20, 10))[0]
            )
            value = _scheme_value(rng, 1.0)
            totals[area] += value
            recurrent = "Y" if rng.random() < 0.8 else "N"
            name, lead = _scheme_name(rng, area), rng.choice(QIPP_LEADS)
            yield [f"Q{i:0{width}d}", name, area, stage_label(stage), rag, value, lead, recurrent]

    with Book(path, ORGANISATIONS[0], as_at, stream=True) as book:
        book.cover(f"QIPP scheme tracker {fy}")
        book.table("qipp_schemes", f"QIPP scheme tracker {fy}, Month {fy_month}", "Net values in £'000", schemes())
        targets = [(area, int(round(total * 1.1, -1))) for area, total in totals.items() if total]
        book.table("qipp_targets", f"QIPP targets {fy} by area", "£'000", targets)
    return path


# ---------------------------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.demo.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    parser.add_argument("--orgs", type=int, default=3, help="organisations (default 3)")
    parser.add_argument("--months", type=int, default=24, help="monthly snapshots from April 2018 (default 24)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--national", action="store_true", help="national benchmark sizes per organisation")
    parser.add_argument(
        "--single-tracker", type=int, metavar="ROWS", help="write only one QIPP tracker of ROWS schemes"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        if (rows := args.single_tracker) is not None:
            path = write_big_tracker(args.out / f"qipp-tracker-{rows}.xlsx", rows, args.seed)
            print(f"Wrote {path} in {time.monotonic() - started:.1f} s.")
            return 0
        sizes = NATIONAL if args.national else Sizes()
        paths = generate(args.out, orgs=args.orgs, months=args.months, seed=args.seed, sizes=sizes)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"Wrote {len(paths)} workbooks to {args.out} in {time.monotonic() - started:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
