"""The table layouts the loaders know, each with the test its header must pass and its builder.

Order matters only to break a tie between layouts whose headers match equally well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from loaders.context import Context
from loaders.headers import HeaderMatch
from loaders.kinds import actions, activity, finance, qipp, qipp_phasing, risks
from loaders.tables import Table
from records import Dataset


@dataclass(frozen=True)
class Layout:
    name: str
    accepts: Callable[[HeaderMatch], bool]
    build: Callable[[Table, Context], list[Dataset]]


LAYOUTS: tuple[Layout, ...] = (
    Layout("qipp_stage_matrix", qipp.accepts_stage_matrix, qipp.build_stage_matrix),
    Layout("qipp_rag_summary", qipp.accepts_rag_summary, qipp.build_rag_summary),
    Layout("qipp_schemes", qipp.accepts_schemes, qipp.build_schemes),
    Layout("qipp_targets", qipp.accepts_targets, qipp.build_targets),
    Layout("finance_lines", finance.accepts_lines, finance.build_lines),
    Layout("finance_risks", finance.accepts_risks, finance.build_risks),
    Layout("finance_plan", finance.accepts_plan, finance.build_plan),
    Layout("qipp_phasing", qipp_phasing.accepts_phasing, qipp_phasing.build_phasing),
    Layout("activity", activity.accepts_monthly, activity.build_monthly),
    Layout("activity_annual", activity.accepts_annual, activity.build_annual),
    Layout("action_summary", actions.accepts_summary, actions.build_summary),
    Layout("action_concerns", actions.accepts_concerns, actions.build_concerns),
    Layout("actions", actions.accepts_actions, actions.build_actions),
    Layout("risks", risks.accepts, risks.build),
)

BY_NAME = {layout.name: layout for layout in LAYOUTS}
ACCEPT = {layout.name: layout.accepts for layout in LAYOUTS}
# Layouts whose builder places some columns beyond what their headers name (a stage's L and C under a group).
RESOLVE = {"risks": risks.resolve_columns, "actions": actions.resolve_columns}
