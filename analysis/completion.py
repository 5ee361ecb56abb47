"""% complete of an improvement plan: the one definition every page, compare view and board pack uses.

An action is complete when its RAG is blue (or a completing status made it count as blue). % complete
is complete actions over actions with a RAG; actions with no RAG are counted beside it, never as
complete or not complete, and with none rated there is no % at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

RAG_COLUMNS = ("blue", "green", "amber", "red", "grey")
UNRATED = "unrated"
COMPLETE = "blue"


@dataclass(frozen=True)
class Completion:
    """Counts behind one % complete: complete of rated, and how many have no RAG."""

    complete: int
    rated: int
    unrated: int

    @property
    def total(self) -> int:
        return self.rated + self.unrated

    @property
    def pct(self) -> float | None:
        return self.complete / self.rated * 100 if self.rated else None

    def pct_text(self) -> str:
        return "not known" if self.pct is None else f"{self.pct:.0f}%"

    def label(self) -> str:
        """What the % counts, e.g. "43 of 66 actions with a RAG are complete; 2 have no RAG"."""
        if not self.rated:
            verb = "has" if self.total == 1 else "have"
            return f"0 of {_actions(self.total)} {verb} a RAG, so % complete is not known"
        verb = "is" if self.complete == 1 else "are"
        found = f"{self.complete} of {_actions(self.rated)} with a RAG {verb} complete"
        if self.unrated:
            return f"{found}; {self.unrated} {'has' if self.unrated == 1 else 'have'} no RAG"
        return found


def _actions(count: int) -> str:
    return f"{count} action{'s' if count != 1 else ''}"


def completion(counts: Mapping) -> Completion:
    """From one report's counts by RAG (``blue`` ... ``grey`` and ``unrated``; a missing count is 0)."""

    def count(name: str) -> int:
        value = counts.get(name, 0)
        return 0 if value is None or pd.isna(value) else int(value)

    rated = sum(count(rag) for rag in RAG_COLUMNS)
    return Completion(complete=count(COMPLETE), rated=rated, unrated=count(UNRATED))


def with_completion(counts: pd.DataFrame) -> pd.DataFrame:
    """Adds ``rated``, ``total`` and ``pct_complete`` (NaN where no action has a RAG) to counts by RAG."""
    out = counts.copy()
    if UNRATED not in out:
        out[UNRATED] = 0
    out["rated"] = out[list(RAG_COLUMNS)].sum(axis=1)
    out["total"] = out["rated"] + out[UNRATED]
    rated = out["rated"].where(out["rated"] > 0)
    out["pct_complete"] = (out[COMPLETE] / rated * 100).astype(float).where(rated.notna(), np.nan)
    return out


def change_text(latest: Completion, previous: Completion, since: str) -> str | None:
    """The change in complete actions since an earlier report, worded; None when there is no earlier %."""
    if previous.pct is None or latest.pct is None:
        return None
    moved = latest.complete - previous.complete
    if moved == 0:
        return f"no more complete since {since}"
    return f"{moved:+d} complete since {since}"


def stated(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts by RAG for a table: % complete as words ("65%", "not known") and what it counts, beside the counts."""
    results = [completion(row) for row in counts.to_dict("records")]
    out = counts.drop(columns=["pct_complete"], errors="ignore")
    return out.assign(
        pct_complete=[result.pct_text() for result in results], counted=[result.label() for result in results]
    )
