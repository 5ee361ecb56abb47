"""The shape of ``config/assurance.toml``: one frozen dataclass per section, every key typed.

A key the file has and these do not name, a key they name and the file lacks, or a value of the wrong type
is refused when the configuration is loaded. Tables keyed by words from the data (vocabularies, synonyms,
organisations) are ``Mapping``; their values are still typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from config.typed import Colour

Words = tuple[str, ...]
Rag = Literal["red", "amber", "green", "blue", "grey", "yellow"]


@dataclass(frozen=True)
class Palette:
    red: Colour
    amber: Colour
    green: Colour
    yellow: Colour
    blue: Colour
    light_blue: Colour
    pink: Colour
    black: Colour
    white: Colour
    grey: Colour
    light_grey: Colour
    pale_grey: Colour
    dark_grey: Colour


@dataclass(frozen=True)
class Band:
    name: str
    label: str
    min: int
    max: int
    colour: Colour


@dataclass(frozen=True)
class ScaleBands:
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class RiskBands:
    default: tuple[Band, ...]
    organisations: Mapping[str, tuple[Band, ...]]
    scale_3x3: ScaleBands


@dataclass(frozen=True)
class RiskAdjustment:
    red: float
    amber: float
    green: float
    unrated: float
    pipeline: float


@dataclass(frozen=True)
class Qipp:
    stages: Words
    risk_adjustment: RiskAdjustment
    rag_colours: Mapping[str, Colour]
    stage_words: Mapping[str, int]
    stage_prefixes: Words
    scheme_words: Words


@dataclass(frozen=True)
class AppetiteLevel:
    name: str
    words: Words
    max_score: int


@dataclass(frozen=True)
class Risks:
    review_overdue_days: int
    closed_statuses: Words
    likelihood_labels: Words
    consequence_labels: Words
    scale_3x3_labels: Words
    appetite_levels: tuple[AppetiteLevel, ...]
    trend_words: Mapping[Literal["improving", "unchanged", "deteriorating"], Words]
    ref_label_words: Words


@dataclass(frozen=True)
class Finance:
    income_lines: Words
    derived_lines: Words
    favourable_colour: Colour
    adverse_colour: Colour


@dataclass(frozen=True)
class Totals:
    rounding: float


@dataclass(frozen=True)
class Access:
    editors: tuple[str | Mapping[str, str], ...]
    local_role: Literal["editor", "viewer"]


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_uncompressed_bytes: int
    max_compression_ratio: int
    max_zip_members: int
    max_rows: int
    max_cols: int
    max_cells: int
    max_text_chars: int
    reader_memory_mb: int
    reader_cpu_seconds: int


@dataclass(frozen=True)
class NonDates:
    words: Words


@dataclass(frozen=True)
class RagFill:
    max_distance: float
    grey_chroma: int
    max_hue_difference: float


@dataclass(frozen=True)
class LoaderVocabulary:
    total_labels: Words
    memorandum_labels: Words
    organisation_labels: Words
    as_at_labels: Words
    synthetic_marker: str
    organisation_suffixes: Words
    previous_report_labels: Words
    recommendation_labels: Words
    reference_sheets: Words
    cover_sheets: Words
    cover_table_rows: int
    key_headings: Words
    revised_words: Words
    plan_thousands_threshold: float
    millions_below: float
    blank_marks: Words
    series_words: Mapping[str, Literal["plan", "actual"]]
    recurrent_words: Words
    non_recurrent_words: Words
    total_flag_words: Words
    units_row_words: Words


@dataclass(frozen=True)
class Spc:
    screen_moving_ranges: bool
    min_points: int
    min_baseline_points: int
    improvement_colour: Colour
    concern_colour: Colour
    neutral_colour: Colour
    common_cause_colour: Colour
    mean_colour: Colour
    limit_colour: Colour
    target_colour: Colour
    trajectory_colour: Colour


@dataclass(frozen=True)
class Activity:
    default_direction: Literal["increase", "decrease", "neutral"]
    improvement_direction: Mapping[str, Literal["increase", "decrease", "neutral"]]


@dataclass(frozen=True)
class ImprovementPlan:
    rag_order: Words
    rag_labels: Mapping[str, str]
    rag_colours: Mapping[str, Colour]
    complete_statuses: Words


@dataclass(frozen=True)
class Settings:
    palette: Palette
    risk_bands: RiskBands
    qipp: Qipp
    risks: Risks
    likelihood_words: Mapping[str, int]
    consequence_words: Mapping[str, int]
    scale_3x3_words: Mapping[str, int]
    rag_words: Mapping[str, Rag]
    rag_fill_colours: Mapping[str, Rag]
    finance: Finance
    totals: Totals
    access: Access
    limits: Limits
    score_band_rag: Mapping[str, Mapping[str, Rag]]
    non_dates: NonDates
    rag_fill: RagFill
    header_synonyms: Mapping[str, Mapping[str, Words]]
    loader_vocabulary: LoaderVocabulary
    spc: Spc
    activity: Activity
    improvement_plan: ImprovementPlan
