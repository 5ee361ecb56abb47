"""Actions under their recommendations, and the status words a tracker uses beside the RAG each is read as.

Takes action rows as ``store.actions.actions`` gives them (with ``rag_key`` and ``complete``) and returns
frames with readable column names, text in place of missing values.
"""

from __future__ import annotations

import re

import pandas as pd

import config
from analysis.completion import completion, rag_counts

NO_RECOMMENDATION = "Not under a recommendation"
_PARTS = re.compile(r"(\d+)")


def _natural(value) -> tuple:
    """'2' before '10', '1.2' before '1.10'."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in _PARTS.split(text) if p)


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return "–"
    return str(value)


def _day(value) -> str:
    return "–" if pd.isna(value) else pd.Timestamp(value).strftime("%d %b %Y")


def _deadline(written, parsed) -> str:
    """The deadline as written, or as a date where the cell held a date rather than words."""
    if isinstance(written, str) and not pd.isna(parsed) and written == pd.Timestamp(parsed).date().isoformat():
        return _day(parsed)
    return _text(written)


def read_as(rag_key: str) -> str:
    """The configured name of the RAG an action is counted under ('Complete', 'Amber', 'No RAG')."""
    return config.settings().improvement_plan.rag_labels.get(rag_key, rag_key)


def has_recommendations(rows: pd.DataFrame) -> bool:
    return "parent_ref" in rows and rows["parent_ref"].notna().any()


def recommendations(rows: pd.DataFrame) -> list[str]:
    """The recommendations actions sit under, in their own order (2 before 10), then the actions under none."""
    found = sorted({r for r in rows["parent_ref"] if isinstance(r, str)}, key=_natural)
    return found + ([NO_RECOMMENDATION] if rows["parent_ref"].isna().any() else [])


def by_recommendation(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per recommendation: its actions by RAG and how many of them are complete, in words."""
    keyed = rows.assign(parent_ref=rows["parent_ref"].fillna(NO_RECOMMENDATION))
    counts = rag_counts(keyed, ["parent_ref"])
    order = {r: i for i, r in enumerate(recommendations(rows))}
    counts = counts.sort_values("parent_ref", key=lambda s: s.map(order)).reset_index(drop=True)
    labels = config.settings().improvement_plan.rag_labels
    out = pd.DataFrame({"Recommendation": counts["parent_ref"], "Actions": counts["total"].astype(int)})
    for key in ("blue", "green", "amber", "red", "grey", "unrated"):
        out[labels.get(key, key)] = counts[key].astype(int)
    out["Completion"] = [completion(row).label() for row in counts.to_dict("records")]
    return out


def action_list(rows: pd.DataFrame) -> pd.DataFrame:
    """The actions as a person reads them: status as written beside what it is read as, deadlines, progress.
    Columns the tracker never fills (no original deadlines, no progress) are left out."""
    ordered = rows.sort_values(["parent_ref", "ref"], key=lambda s: s.map(_natural), na_position="last")
    written = ordered["rag_label"].where(ordered["rag_label"].notna(), ordered["status"])
    out = pd.DataFrame(
        {
            "Recommendation": ordered["parent_ref"].map(_text),
            "Ref": ordered["ref"].map(_text),
            "Action": ordered["action"].map(_text),
            "Owner": ordered["owner"].map(_text),
            "Deadline": [_deadline(t, d) for t, d in zip(ordered["due_text"], ordered["due_date"], strict=True)],
            "Original deadline": ordered["original_due_date"].map(_day),
            "Status as written": written.map(_text),
            "Read as": ordered["rag_key"].map(read_as),
            "Progress": ordered["progress"].map(_text),
        }
    )
    sources = {
        "Recommendation": "parent_ref",
        "Original deadline": "original_due_date",
        "Owner": "owner",
        "Progress": "progress",
    }
    empty = [column for column, field in sources.items() if ordered[field].isna().all()]
    return out.drop(columns=empty).reset_index(drop=True)


def actions_under(rows: pd.DataFrame, parent: str) -> pd.DataFrame:
    """The actions of one recommendation (or of none, for ``NO_RECOMMENDATION``), as ``action_list`` shows them."""
    mine = rows["parent_ref"].isna() if parent == NO_RECOMMENDATION else rows["parent_ref"] == parent
    return action_list(rows[mine.to_numpy()]).drop(columns=["Recommendation"], errors="ignore")


def status_words(rows: pd.DataFrame) -> pd.DataFrame:
    """Each status word the tracker uses, what it is read as, and how many actions carry it."""
    written = rows["rag_label"].where(rows["rag_label"].notna(), rows["status"])
    frame = pd.DataFrame({"written": written.map(lambda v: v if isinstance(v, str) else None), "key": rows["rag_key"]})
    coloured = frame["written"].isna() & (frame["key"] != "unrated")
    frame.loc[coloured, "written"] = "(cell colour, no words)"
    frame["written"] = frame["written"].fillna("(nothing written)")
    counted = frame.groupby(["written", "key"], sort=False).size().reset_index(name="Actions")
    order = {k: i for i, k in enumerate(config.settings().improvement_plan.rag_order)}
    counted = counted.sort_values(["key", "written"], key=lambda s: s.map(order) if s.name == "key" else s)
    return pd.DataFrame(
        {
            "Status as written": counted["written"],
            "Read as": counted["key"].map(read_as),
            "Actions": counted["Actions"].astype(int),
        }
    ).reset_index(drop=True)
