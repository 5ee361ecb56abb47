"""The findings in words: headlines and notes that state what the figures show, for pages and the board pack.

Sentences live here, apart from the figures, so the Overview, each page and the board pack say the same thing
in the same words, and a test can check a sentence without Streamlit or a store.
"""

from __future__ import annotations

import pandas as pd

import formats
from analysis.risks import snapshots_used


def review_headline(reviews: dict[str, int], total: int, days: int) -> str:
    """The review finding, saying how many risks state no review date (never a zero standing for "not stated")."""
    no_date = reviews["no_date"]
    missing = f"no review date stated for {no_date} of {_plural(total)}"
    if total and no_date == total:
        return missing[0].upper() + missing[1:]
    late = f"{_plural(reviews['late'])} not reviewed within {days} days"
    return f"{late}; {missing}" if no_date else late


def review_metric(reviews: dict[str, int], total: int) -> str:
    """The overdue count for a metric: out of the risks with a review date when some have none."""
    return judged(reviews["late"], total - reviews["no_date"], total)


def _plural(count: int, word: str = "risk") -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def risk_headline(counts: dict[str, int]) -> str:
    """A title that states the finding, and never calls risks without a current or target score on target."""
    total = counts["risks"]
    if not total:
        return "No risks"
    above = counts["above_target"]
    compared = counts.get("compared", total)
    if not compared:
        no_current, no_target = total - counts.get("with_current", 0), total - counts.get("with_target", 0)
        missing = "; ".join(
            f"{count} with no {what}" for count, what in ((no_current, "current score"), (no_target, "target")) if count
        )
        if total == 1:
            return f"The risk cannot be compared with a target ({missing})"
        return f"0 of {total} risks can be compared with a target ({missing})"
    unknown = total - compared
    if not unknown:
        if not above:
            return f"All {total} risks at or below target" if total > 1 else "The risk is at or below target"
        return f"{above} of {total} risks above target"
    found = f"{above} of {compared} risks with a current and target score above target"
    return f"{found}; {unknown} of {total} cannot be compared (no current score or no target)"


def judged(count: int, known: int, total: int) -> str:
    """A count for a tile or metric: the count alone when every risk could be judged, else out of those that could."""
    if known == total:
        return str(count)
    return "not known" if not known else f"{count} of {known}"


def unjudged_note(known: int, total: int) -> str:
    """A note after a count, such as " (3 of 21 cannot be judged ...)", when some risks lack the scores it needs."""
    return f" ({total - known} of {total} cannot be judged: a score is not stated)" if known < total else ""


def missing_note(counts: dict[str, int]) -> str:
    """What the headline counts could not see: risks with no current score, target or initial score."""
    total = counts["risks"]
    parts = []
    band_only = counts.get("current_band_only", 0)
    if band_only:
        parts.append(f"current position only as a band for {band_only} of {total}, so not on the matrix")
    no_current = total - counts.get("with_current", total) - band_only
    if no_current:
        parts.append(f"no current score for {no_current} of {total}")
    no_target = total - counts.get("with_target", total)
    if no_target:
        parts.append(f"no target for {no_target} of {total}")
    no_initial = counts.get("with_current", total) - counts.get("with_movement", total)
    if no_initial:
        parts.append(f"no initial score for {no_initial} more")
    return ("Not stated in the register: " + "; ".join(parts) + ".") if parts else ""


def counts_note(counts: dict[str, int], closed: int = 0) -> str:
    """The Overview's and board pack's line under the risk headline: top band, not moved, what is missing, closed."""
    total = counts["risks"]
    found = [
        f"{judged(count, known, total)} {words}"
        for count, known, words in (
            (counts["top_band"], counts["with_current"] + counts.get("current_band_only", 0), "in the top band"),
            (counts["not_moved"], counts["with_movement"], "not moved from initial"),
        )
        if known
    ]
    parts = [f"{'; '.join(found)}." if found else "", missing_note(counts)]
    if closed:
        parts.append(f"{closed_note(closed).capitalize()}.")
    return " ".join(part for part in parts if part)


def closed_note(closed: int) -> str:
    return f"{_plural(closed, 'closed risk')} left out" if closed else ""


def as_at_note(frame: pd.DataFrame) -> str:
    """One line naming the as-at date and file behind the risks shown, per organisation."""
    return "; ".join(
        f"{row.organisation}: as at {formats.date(row.as_at)} ({row.source_file}, snapshot {row.snapshot_id})"
        for row in snapshots_used(frame).itertuples(index=False)
    )


def actions_headline(trend: pd.DataFrame) -> str:
    """The finding for one organisation's trend at its latest report, e.g. "78.8% complete, up from 72.2%"."""
    part = trend.sort_values("report_date")
    if part.empty or pd.isna(part["pct_complete"].iloc[-1]):
        return "No action has a RAG yet"
    now = round(part["pct_complete"].iloc[-1], 1)
    earlier = part["pct_complete"].iloc[:-1].dropna()
    if earlier.empty:
        return f"{formats.percent(now)} complete"
    before = round(earlier.iloc[-1], 1)
    if now == before:
        return f"{formats.percent(now)} complete, unchanged since the last report"
    return f"{formats.percent(now)} complete, {'up' if now > before else 'down'} from {formats.percent(before)}"


SOURCE_WORDS = {"rows": "the action rows", "summary": "the tracker's summary"}


def sources_changed(latest: str, previous: str) -> str:
    """Says that two reports' action counts come from different sources (action rows, the tracker's summary)."""
    return f"This report's counts are from {SOURCE_WORDS[latest]}, the previous one's from {SOURCE_WORDS[previous]}."


def largest_gap(compared: pd.DataFrame) -> str:
    """The finding of a QIPP comparison: which organisation is furthest from its target."""
    column = "QIPP gap, risk-adjusted £'000"
    stated = compared.dropna(subset=[column])
    if stated.empty:
        return "no organisation has a QIPP target loaded"
    top = stated.loc[stated[column].idxmax()]
    if top[column] <= 0:
        return f"all {len(stated)} organisations with a target cover it after risk adjustment"
    return f"{top['Organisation']} is furthest from target, a risk-adjusted gap of £{top[column]:,.0f}k"


def most_adverse(compared: pd.DataFrame) -> str:
    """The finding of a finance comparison: which organisation forecasts the most adverse variance."""
    column = "Forecast variance £'000"
    stated = compared.dropna(subset=[column])
    if stated.empty:
        return "no organisation has a finance position loaded"
    adverse = stated[stated["Forecast position"] == "adverse"]
    if adverse.empty:
        return f"none of {len(stated)} organisations forecasts an adverse variance"
    worst = adverse.loc[adverse[column].idxmin()]
    return (
        f"{len(adverse)} of {len(stated)} forecast an adverse variance; "
        f"{worst['Organisation']} the most, £{-worst[column]:,.0f}k adverse"
    )


def overview_finding(compared: pd.DataFrame) -> str:
    """The finding of the Overview's comparison: how many forecast an adverse variance, who has most risks above target."""
    parts = []
    with_finance = compared.dropna(subset=["Forecast position"])
    if len(with_finance):
        adverse = int((with_finance["Forecast position"] == "adverse").sum())
        parts.append(f"{adverse} of {len(with_finance)} forecast an adverse variance")
    with_risks = compared.dropna(subset=["Above target"])
    if len(with_risks) and with_risks["Above target"].max() > 0:
        top = with_risks.loc[with_risks["Above target"].astype(float).idxmax()]
        parts.append(f"most risks above target at {top['Organisation']} ({int(top['Above target'])})")
    return "; ".join(parts) or f"{len(compared)} organisations compared"


def as_at_columns(compared: pd.DataFrame) -> list[str]:
    """The columns of a comparison that hold each organisation's as-at date."""
    return [c for c in compared.columns if c == "As at" or c.endswith(" as at")]


def _who(orgs: list[str]) -> str:
    return orgs[0] if len(orgs) == 1 else f"{orgs[0]} and {len(orgs) - 1} more"


def as_at_differences(compared: pd.DataFrame) -> list[str]:
    """A sentence for each as-at column whose organisations' dates differ, naming the earliest and latest, so
    figures from different periods never sit side by side unremarked."""
    notes = []
    for column in as_at_columns(compared):
        dates = pd.to_datetime(compared[column], errors="coerce")
        stated = compared.assign(_date=dates.dt.normalize()).dropna(subset=["_date"])
        if stated["_date"].nunique() < 2:
            continue
        earliest, latest = stated["_date"].min(), stated["_date"].max()
        first = list(stated.loc[stated["_date"] == earliest, "Organisation"])
        last = list(stated.loc[stated["_date"] == latest, "Organisation"])
        what = "" if column == "As at" else f"{column[: -len(' as at')]}: "
        notes.append(
            f"{what}As-at dates differ: from {formats.date(earliest)} ({_who(first)}) to {formats.date(latest)} ({_who(last)}); "
            "figures from different periods sit side by side."
        )
    return notes
