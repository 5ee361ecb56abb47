"""QIPP position against target under filters: a gap where the filters choose targets, a share where they
choose schemes only.

An area filter chooses targets as well as schemes, so the chosen areas' schemes are compared with those
areas' targets: a gap. Stage, RAG, lead and recurrence filters choose schemes only (there is no target for
"red schemes"), so the schemes they leave are shown as a share of the identified value and of the target,
never as a gap; with an area filter as well, a share of that area's value and target. Areas with no target
loaded are named and left out of the comparison, never taken as a zero target.

Money is GBP thousands; a gap is target less identified value, positive a shortfall.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

PIPELINE = 0
GAP, SHARE, NO_TARGET = "gap", "share", "no target"


@dataclass(frozen=True)
class Figures:
    """Schemes and their value: net excluding and including pipeline, and risk-adjusted."""

    schemes: int
    identified_excl: float
    identified_incl: float
    risk_adjusted: float

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Figures:
        value = frame["value"].fillna(0).astype(float)
        delivery = ~frame["stage"].eq(PIPELINE).fillna(False).astype(bool)
        return cls(
            len(frame),
            float(value[delivery].sum()),
            float(value.sum()),
            float(frame["risk_adjusted"].fillna(0).astype(float).sum()),
        )


@dataclass(frozen=True)
class Position:
    """What the chosen schemes are compared with, and how.

    ``basis`` is "gap" (no filter, or areas only), "share" (a filter that chooses schemes, not targets) or
    "no target" (no target loaded for any area in scope). ``chosen`` are the schemes the filters leave;
    ``compared`` those of them in areas with a target, the only ones set against it. ``scope`` is every
    scheme in the chosen areas (all schemes without an area filter): the whole a share is taken of.
    """

    basis: str
    chosen: Figures
    compared: Figures
    scope: Figures
    target: float | None
    target_areas: tuple[str, ...]
    untargeted_areas: tuple[str, ...]
    untargeted_value: float  # chosen schemes' value (incl. pipeline) in areas without a target, or without an area

    def _gap(self, identified: float) -> float | None:
        return self.target - identified if self.basis == GAP else None

    @property
    def gap_excl(self) -> float | None:
        return self._gap(self.compared.identified_excl)

    @property
    def gap_incl(self) -> float | None:
        return self._gap(self.compared.identified_incl)

    @property
    def gap_risk_adjusted(self) -> float | None:
        return self._gap(self.compared.risk_adjusted)

    @property
    def share_of_identified(self) -> float | None:
        """The chosen schemes' value (incl. pipeline) as a share of every scheme's in scope."""
        if self.basis != SHARE or not self.scope.identified_incl:
            return None
        return self.chosen.identified_incl / self.scope.identified_incl

    @property
    def share_of_target(self) -> float | None:
        """The chosen schemes' value (incl. pipeline) in areas with a target, as a share of that target."""
        if self.basis != SHARE or not self.target:
            return None
        return self.compared.identified_incl / self.target

    def bridge_figures(self) -> dict:
        """The figures a target-to-gap bridge needs; without a gap (a share, or no target) no target either."""
        shown = self.compared if self.basis == GAP else self.chosen
        return {
            "target": self.target if self.basis == GAP else None,
            "identified_excl": shown.identified_excl,
            "pipeline": shown.identified_incl - shown.identified_excl,
            "identified_incl": shown.identified_incl,
            "risk_adjusted": shown.risk_adjusted,
            "risk_adjustment": shown.risk_adjusted - shown.identified_incl,
            "gap_excl": self.gap_excl,
            "gap_incl": self.gap_incl,
            "gap_risk_adjusted": self.gap_risk_adjusted,
        }


def position(
    schemes: pd.DataFrame,
    chosen: pd.DataFrame,
    targets: pd.DataFrame,
    areas: Sequence[str] = (),
    narrowed: bool = False,
) -> Position:
    """The chosen schemes against the targets they can be compared with.

    ``schemes`` is one snapshot's schemes (area, stage, value, risk_adjusted); ``chosen`` the rows of it the
    filters leave; ``targets`` the targets in force (area, target); ``areas`` the area filter (empty for
    every area); ``narrowed`` whether any other filter (stage, RAG, lead, recurrence) is set.
    """
    scope = schemes[schemes["area"].isin(areas)] if areas else schemes
    by_area = targets.groupby("area")["target"].sum(min_count=1) if len(targets) else pd.Series(dtype=float)
    in_scope = list(areas) if areas else list(dict.fromkeys([*by_area.index, *scope["area"].dropna()]))
    target_areas = tuple(a for a in in_scope if a in by_area.index and pd.notna(by_area[a]))
    untargeted = tuple(a for a in in_scope if a not in target_areas and (areas or a in set(scope["area"])))
    compared = chosen[chosen["area"].isin(target_areas)]
    target = float(by_area[list(target_areas)].sum()) if target_areas else None
    basis = NO_TARGET if target is None else SHARE if narrowed else GAP
    untargeted_value = float(chosen.loc[~chosen["area"].isin(target_areas), "value"].fillna(0).sum())
    return Position(
        basis,
        Figures.of(chosen),
        Figures.of(compared),
        Figures.of(scope),
        target,
        target_areas,
        untargeted,
        untargeted_value,
    )
