"""Configuration as data: risk bands, vocabularies, header synonyms, risk-adjustment factors.

Everything lives in ``config/assurance.toml``; ``ASSURANCE_CONFIG`` may point at another file.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("assurance.toml")


@cache
def settings() -> dict:
    path = Path(os.environ.get("ASSURANCE_CONFIG", DEFAULT_PATH))
    with path.open("rb") as fh:
        return tomllib.load(fh)


def risk_bands(org: str | None = None, scale: str = "5x5") -> list[dict]:
    """Score bands for an organisation (its own where configured, else the NPSA default).

    A 3x3 register is banded on its own 1-9 scores (``[risk_bands.scale_3x3]``).
    """
    bands = settings()["risk_bands"]
    if scale == "3x3":
        return bands["scale_3x3"]["bands"]
    return bands.get("organisations", {}).get(org or "", bands["default"])


def band_for(score: float | None, org: str | None = None, scale: str = "5x5") -> dict | None:
    if score is None:
        return None
    for band in sorted(risk_bands(org, scale), key=lambda b: b["max"]):
        if score <= band["max"]:
            return band
    return None


def review_overdue_days() -> int:
    return int(settings()["risks"]["review_overdue_days"])


def closed_risk_statuses() -> list[str]:
    return [str(word) for word in settings()["risks"].get("closed_statuses", [])]


def risk_adjustment_factors() -> dict:
    return settings()["qipp"]["risk_adjustment"]


def total_rounding() -> float:
    """How far a stated total may differ from its lines, in the table's unit, and still be the source's rounding."""
    return float(settings().get("totals", {}).get("rounding", 1))
