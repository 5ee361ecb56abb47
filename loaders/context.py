"""What a workbook says about itself: organisation, as-at date, financial year, month, synthetic data.

Read from a cover sheet ("Organisation: ...", "As at: ..."), title rows ("Cambridgeshire and
Peterborough CCG", "Month 3 Position", "Date last reviewed: 23 January 2019") and sheet names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from config import settings
from loaders.cells import clean_text, parse_date
from loaders.grid import cell_ref
from loaders.headers import financial_year_in, normalise
from records import month_end, organisation_name

TITLE_ROWS = 12  # rows at the top of a sheet read as titles
COVER_ROWS = 60

_MONTH_N = re.compile(r"\b(?:month|mth|m)\s*-?\s*(\d{1,2})\b", re.IGNORECASE)
_LONG_DATE = re.compile(
    r"\d{1,2}\s*(?:st|nd|rd|th)?\s+[A-Za-z]{3,9},?\s+\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d\d-\d\d"
    r"|[A-Za-z]{3,9}\s+\d{1,2}\s*(?:st|nd|rd|th)?,?\s+\d{4}|[A-Za-z]{3,9}\s+\d{4}"
)


@dataclass
class Context:
    org: str | None = None
    org_written: str | None = None  # the organisation as its cell has it, before its name was normalised
    org_cell: str | None = None
    as_at: str | None = None
    as_at_cell: str | None = None
    synthetic: bool = False
    financial_year: str | None = None  # workbook-wide, e.g. "2018/19"
    month: int | None = None  # 1 = April

    @property
    def fy_start_year(self) -> int | None:
        year = self.financial_year or (self.as_at and financial_year_of(self.as_at))
        return int(year[:4]) if year else None


def clean_date(text: str) -> str | None:
    """The ISO date parse_date reads in a text, when it reads one without a problem."""
    parsed = parse_date(text)
    return parsed.iso if parsed.iso and not parsed.problem else None


def date_in_text(text: str) -> str | None:
    """An ISO date from text such as '28 March 2019', 'January 10th January 2019', '01/02/19'."""
    whole = clean_date(text)
    if whole:
        return whole
    found = [iso for m in _LONG_DATE.finditer(text) if (iso := clean_date(m.group(0)))]
    if found:
        return found[-1]
    words = text.split()
    endings = (" ".join(words[-n:]) for n in range(min(4, len(words)), 1, -1))  # the last four words, three, two
    return next(filter(None, map(clean_date, endings)), None)


def _date_value(value) -> str | None:
    if isinstance(value, datetime | date):
        return parse_date(value).iso
    return date_in_text(value) if isinstance(value, str) else None


def _labelled(row: list, c: int, labels: list[str]) -> tuple[str, object, int] | None:
    """(label, value, value's column) when the cell at c is a label such as "Organisation:" with its value
    after it."""
    cell = row[c]
    if not isinstance(cell, str):
        return None
    text = clean_text(cell) or ""
    head, colon, rest = text.partition(":")
    key = normalise(head)
    for label in labels:
        wanted = normalise(label)
        if key == wanted:
            if colon and rest.strip():
                return label, rest.strip(), c
            for n, v in enumerate(row[c + 1 :], c + 1):
                if v is not None and not (isinstance(v, str) and not v.strip()):
                    return label, v, n
            return None
        if (
            not colon
            and key.startswith(wanted + " ")
            and wanted in {normalise(x) for x in settings().loader_vocabulary.as_at_labels}
        ):
            rest_text = text[len(label) :].strip(" :")
            if rest_text:
                return label, rest_text, c
    return None


_AS_AT_INSIDE = re.compile(r"\bas\s+at\b[:\s]*([^)]{4,40})", re.IGNORECASE)


def read_context(workbook) -> Context:
    ctx = Context()
    vocabulary = settings().loader_vocabulary
    org_labels, as_at_labels = vocabulary.organisation_labels, vocabulary.as_at_labels
    marker, suffixes = vocabulary.synthetic_marker, vocabulary.organisation_suffixes
    titles: list[str] = []
    title_orgs: list[str] = []
    as_at_candidates: list[tuple[int, str, str]] = []  # (priority, iso, cell)
    for index, sheet in enumerate(workbook.sheets):
        limit = COVER_ROWS if index == 0 else TITLE_ROWS
        for r, row in enumerate(sheet.rows[:limit]):
            for c, value in enumerate(row):
                if not isinstance(value, str) or not value.strip():
                    continue
                if index == 0 and value.strip() == marker:
                    ctx.synthetic = True
                org = _labelled(row, c, org_labels)
                if org and ctx.org is None:
                    text = organisation_name(clean_text(org[1]))
                    if text:
                        ctx.org, ctx.org_written = text, str(org[1])
                        ctx.org_cell = cell_ref(sheet.name, r, org[2])
                when = _labelled(row, c, as_at_labels)
                if when:
                    iso = _date_value(when[1])
                    if iso:
                        priority = (0 if index == 0 else 2) + (0 if normalise(when[0]) == "as at" else 1)
                        as_at_candidates.append((priority, iso, cell_ref(sheet.name, r, c)))
                elif (inline := _AS_AT_INSIDE.search(value)) and (iso := date_in_text(inline[1])):
                    # "Reporting period: Q2 2023/24 (as at 30/09/2023)": an as-at inside a longer title
                    as_at_candidates.append((4, iso, cell_ref(sheet.name, r, c)))
                text = clean_text(value) or ""
                if len(text) <= 120:
                    titles.append(text)
                    if len(text) <= 80 and any(_suffix_word(s).search(text) for s in suffixes):
                        title_orgs.append(text)
    if ctx.org is None and title_orgs:
        ctx.org = organisation_name(_org_from_title(title_orgs[0]))
    if as_at_candidates:
        best = min(p for p, _, _ in as_at_candidates)
        ctx.as_at, ctx.as_at_cell = max((iso, cell) for p, iso, cell in as_at_candidates if p == best)
    ctx.financial_year = next((fy for fy in map(financial_year_in, titles) if fy), None)
    ctx.month = next((m for m in map(month_in, titles) if m), None)
    if ctx.financial_year is None and ctx.as_at:
        ctx.financial_year = financial_year_of(ctx.as_at)
    if ctx.as_at is None and ctx.financial_year and ctx.month:
        ctx.as_at = month_end(ctx.financial_year, ctx.month)  # "Month 3" of 2018/19: 30 June 2018
    return ctx


@cache
def _suffix_word(suffix: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(suffix)}\b", re.IGNORECASE)


def _org_from_title(text: str) -> str:
    """'Cambridgeshire and Peterborough CCG Improvement Plan' -> 'Cambridgeshire and Peterborough CCG'."""
    for suffix in sorted(settings().loader_vocabulary.organisation_suffixes, key=len, reverse=True):
        m = re.search(rf"^(.*?\b{re.escape(suffix)})\b", text, re.IGNORECASE)
        if m:
            return m.group(1).strip(" :-–")
    return text


def month_in(text: str) -> int | None:
    """'Month 3 Position', 'M3', 'Month 03' -> 3 (1 = April); None otherwise."""
    m = _MONTH_N.search(text)
    if m and 1 <= int(m.group(1)) <= 12:
        return int(m.group(1))
    return None


def financial_year_of(iso: str) -> str:
    d = date.fromisoformat(iso)
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def table_financial_year(texts: list[str], ctx: Context) -> str | None:
    """The financial year the last of a table's titles names, else the workbook's."""
    return next(filter(None, map(financial_year_in, reversed(texts))), ctx.financial_year)


def table_month(texts: list[str], ctx: Context) -> int | None:
    """The month the last of a table's titles names, else the workbook's."""
    return next(filter(None, map(month_in, reversed(texts))), ctx.month)
