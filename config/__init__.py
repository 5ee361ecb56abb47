"""Configuration as data: risk bands, vocabularies, header synonyms, risk-adjustment factors, limits, palette.

Everything lives in ``config/assurance.toml``; ``ASSURANCE_CONFIG`` may point at another file. It is read once
into the frozen dataclasses of ``config.schema``; a file that does not match them raises ``ConfigError``.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

from config.schema import Palette, Settings
from config.typed import ConfigError, build

__all__ = ["ConfigError", "Settings", "settings"]

DEFAULT_PATH = Path(__file__).with_name("assurance.toml")
REPOSITORY = DEFAULT_PATH.resolve().parent.parent


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPOSITORY))
    except ValueError:
        return str(path)


@cache
def settings() -> Settings:
    path = Path(os.environ.get("ASSURANCE_CONFIG") or DEFAULT_PATH)
    shown = _shown(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot be read ({exc.strerror or exc}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: is not valid TOML ({exc}).") from None
    palette = data.get("palette")
    if not isinstance(palette, dict):
        raise ConfigError(f"{shown}: missing table [palette].")
    colours = {name: value for name, value in palette.items() if isinstance(value, str)}
    return build(Settings, data, shown, colours)


def palette() -> Palette:
    return settings().palette


def risk_bands(org: str | None = None, scale: str = "5x5") -> list[dict]:
    """Score bands for an organisation (its own where configured, else the NPSA default), as plain mappings
    (``name``, ``label``, ``min``, ``max``, ``colour``) for the charts and tables.

    A 3x3 register is banded on its own 1-9 scores (``[risk_bands.scale_3x3]``).
    """
    bands = settings().risk_bands
    chosen = bands.scale_3x3.bands if scale == "3x3" else bands.organisations.get(org or "", bands.default)
    return [vars(band).copy() for band in chosen]


def review_overdue_days() -> int:
    return settings().risks.review_overdue_days


def total_rounding() -> float:
    """How far a stated total may differ from its lines, in the table's unit, and still be the source's rounding."""
    return settings().totals.rounding
