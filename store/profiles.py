"""Layout profiles: a saved Mapping for one organisation's workbook layout, and the mapping each snapshot was read with.

A profile is found again by its signature key (the caller's hash of the layout's sheet names and normalised
headers); the same layout saved again for the same organisation replaces the profile's mapping. Every change
is written to the audit log beside the snapshot changes, saying in its detail which profile it was.
"""

from __future__ import annotations

import json

import pandas as pd

from records import organisation_name
from store.db import StoreError, query_df, transaction
from store.ingest import now, write_audit

IGNORED = "ignore"


def mapping_sheets(mapping: dict | None) -> str:
    """The sheets a mapping reads and the layout of each, e.g. ``Risks (risks), Savings (qipp_schemes)``;
    sheets and tables it ignores are left out, and missing parts of the mapping are passed over."""
    described = [
        f"{sheet['sheet']} ({', '.join(layouts)})"
        for sheet in _list(mapping, "sheets")
        if (layouts := _layouts(sheet)) and sheet.get("sheet") is not None
    ]
    return ", ".join(described) or "no sheets read"


def _layouts(sheet: dict) -> list[str]:
    """The layouts (record kinds) a mapping's sheet reads, each once."""
    found = [
        str(layout)
        for table in _list(sheet, "tables")
        if (layout := table.get("layout") or table.get("kind")) and layout != IGNORED
    ]
    return list(dict.fromkeys(found))


def _list(holder, key: str) -> list[dict]:
    items = holder.get(key) if isinstance(holder, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _json(value: dict, what: str) -> str:
    if not isinstance(value, dict):
        raise StoreError(f"The {what} of a layout profile must be a mapping of names to values.")
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"The {what} of a layout profile is not plain data that can be saved ({exc}).") from None


def _organisation(written: str | None) -> str:
    name = organisation_name(written)
    if not name:
        raise StoreError("A layout profile needs the organisation whose workbooks it reads.")
    return name


def _audit(cur, who, action: str, organisation: str, mapping: dict | None, detail: str) -> None:
    """One audit row, its kind the layouts the mapping reads."""
    layouts = dict.fromkeys(layout for sheet in _list(mapping, "sheets") for layout in _layouts(sheet))
    write_audit(cur, who, action, detail=detail, organisation=organisation, kind=", ".join(layouts) or None)


def _stored(cur, profile_id: int) -> tuple[str, str]:
    """(organisation, mapping JSON) of a profile; StoreError when there is none."""
    stored = cur.execute(
        "SELECT organisation, mapping FROM layout_profiles WHERE profile_id = ?", [profile_id]
    ).fetchone()
    if stored is None:
        raise StoreError(f"There is no layout profile {profile_id}.")
    return stored


def save_profile(con, organisation: str, signature_key: str, signature: dict, mapping: dict, who) -> int:
    """Save ``mapping`` as the organisation's profile for the layout ``signature_key`` names; the same layout
    saved again for the same organisation replaces the profile's mapping. Returns the profile's id."""
    organisation = _organisation(organisation)
    if not signature_key:
        raise StoreError("A layout profile needs the signature of the layout it reads.")
    signature_text, mapping_text = _json(signature, "signature"), _json(mapping, "mapping")
    saved_at = now()
    with transaction(con) as cur:
        found = cur.execute(
            "SELECT profile_id FROM layout_profiles WHERE organisation = ? AND signature_key = ?",
            [organisation, signature_key],
        ).fetchone()
        if found is None:
            profile_id = cur.execute(
                "INSERT INTO layout_profiles (profile_id, organisation, signature_key, signature, mapping, "
                "saved_by, saved_at) VALUES (nextval('profile_ids'), ?, ?, ?, ?, ?, ?) RETURNING profile_id",
                [organisation, signature_key, signature_text, mapping_text, who, saved_at],
            ).fetchone()[0]
            detail = f"Layout profile {profile_id} saved for {organisation}: {mapping_sheets(mapping)}."
        else:
            profile_id = found[0]
            cur.execute(
                "UPDATE layout_profiles SET signature = ?, mapping = ?, updated_by = ?, updated_at = ? "
                "WHERE profile_id = ?",
                [signature_text, mapping_text, who, saved_at, profile_id],
            )
            detail = (
                f"Layout profile {profile_id} for {organisation} saved again for the same layout, "
                f"its mapping replaced: {mapping_sheets(mapping)}."
            )
        _audit(cur, who, "profile saved", organisation, mapping, detail)
    return int(profile_id)


def update_profile(con, profile_id: int, mapping: dict, who, organisation: str | None = None) -> None:
    """Replace a profile's mapping, and its organisation when one is given."""
    mapping_text = _json(mapping, "mapping")
    moved_to = _organisation(organisation) if organisation is not None else None
    with transaction(con) as cur:
        before = _stored(cur, profile_id)[0]
        after = moved_to or before
        if after != before:
            clash = cur.execute(
                "SELECT b.profile_id FROM layout_profiles a JOIN layout_profiles b "
                "ON b.signature_key = a.signature_key AND b.organisation = ? WHERE a.profile_id = ?",
                [after, profile_id],
            ).fetchone()
            if clash is not None:
                raise StoreError(
                    f"{after} already has a layout profile ({clash[0]}) for this layout; "
                    f"delete one of them before moving profile {profile_id} there."
                )
        cur.execute(
            "UPDATE layout_profiles SET organisation = ?, mapping = ?, updated_by = ?, updated_at = ? "
            "WHERE profile_id = ?",
            [after, mapping_text, who, now(), profile_id],
        )
        moved = f" (moved from {before})" if after != before else ""
        detail = f"Layout profile {profile_id} for {after} updated{moved}: {mapping_sheets(mapping)}."
        _audit(cur, who, "profile updated", after, mapping, detail)


def delete_profile(con, profile_id: int, who) -> None:
    """Delete a profile; snapshots read with it keep the mapping they were read with."""
    with transaction(con) as cur:
        organisation, mapping_text = _stored(cur, profile_id)
        mapping = json.loads(mapping_text)
        cur.execute("DELETE FROM layout_profiles WHERE profile_id = ?", [profile_id])
        detail = f"Layout profile {profile_id} for {organisation} deleted; it read {mapping_sheets(mapping)}."
        _audit(cur, who, "profile deleted", organisation, mapping, detail)


def list_profiles(con, organisation: str | None = None) -> pd.DataFrame:
    """The profiles, by organisation then id: profile_id, organisation, sheets (what it reads, in words),
    saved_by, saved_at, updated_by, updated_at. ``organisation`` limits to one organisation's."""
    name = organisation_name(organisation) if organisation is not None else None
    frame = query_df(
        con,
        "SELECT profile_id, organisation, mapping, saved_by, saved_at, updated_by, updated_at FROM layout_profiles "
        "WHERE ?::VARCHAR IS NULL OR organisation = ? ORDER BY organisation, profile_id",
        [name, name],
    )
    sheets = [mapping_sheets(json.loads(text)) for text in frame["mapping"]]
    frame.insert(2, "sheets", pd.Series(sheets, index=frame.index, dtype=object))
    return frame.drop(columns="mapping")


def _iso(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).isoformat()


# How a profile's columns are handed out: JSON as dicts, times as ISO text, any other missing value as None.
_READ = {"profile_id": int, "signature": json.loads, "mapping": json.loads, "saved_at": _iso, "updated_at": _iso}


def _profile_dict(row: dict) -> dict:
    return {column: _READ.get(column, _value)(value) for column, value in row.items()}


def _value(value):
    return None if pd.isna(value) else value


def profile(con, profile_id: int) -> dict | None:
    """Every field of a profile, its signature and mapping as dicts and its times as ISO text; None when
    there is no such profile."""
    frame = query_df(
        con,
        "SELECT profile_id, organisation, signature_key, signature, mapping, saved_by, saved_at, updated_by, "
        "updated_at FROM layout_profiles WHERE profile_id = ?",
        [profile_id],
    )
    return None if frame.empty else _profile_dict(frame.iloc[0].to_dict())


def profiles_for_matching(con) -> list[dict]:
    """Every profile, for finding the one an upload's layout matches: profile_id, organisation, saved_at (ISO),
    signature_key, signature and mapping (dicts)."""
    frame = query_df(
        con,
        "SELECT profile_id, organisation, saved_at, signature_key, signature, mapping FROM layout_profiles "
        "ORDER BY profile_id",
    )
    return [_profile_dict(row) for row in frame.to_dict("records")]


def snapshot_mapping(con, snapshot_id: int) -> tuple[dict | None, dict | None]:
    """(the mapping a snapshot was read with, its layout profile as profile_id, organisation and saved_at).

    Either is None when the snapshot records none (it was stored before mappings were kept, or read without a
    profile). A profile deleted since gives ``{"profile_id": id, "organisation": None, "saved_at": None}``.
    A deleted snapshot is answered too.
    """
    frame = query_df(
        con,
        "SELECT s.mapping_json, s.profile_id, p.organisation, p.saved_at FROM "
        "(SELECT snapshot_id, mapping_json, profile_id FROM snapshots UNION ALL "
        "SELECT snapshot_id, mapping_json, profile_id FROM deleted_snapshots) s "
        "LEFT JOIN layout_profiles p USING (profile_id) WHERE s.snapshot_id = ?",
        [snapshot_id],
    )
    if frame.empty:
        raise StoreError(f"There is no snapshot {snapshot_id}.")
    row = frame.iloc[0]
    mapping = None if pd.isna(row["mapping_json"]) else json.loads(row["mapping_json"])
    if pd.isna(row["profile_id"]):
        return mapping, None
    return mapping, {
        "profile_id": int(row["profile_id"]),
        "organisation": _value(row["organisation"]),
        "saved_at": _iso(row["saved_at"]),
    }
