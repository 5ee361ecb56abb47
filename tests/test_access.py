"""Edit rights rest on an identity the user cannot set (tenant + object ID, issuer + subject, or a verified
e-mail address), never on a display name; the audit log records the identity and the name."""

from __future__ import annotations

import pytest

import config
import store
from pages import identity
from tests.conftest import ROOT

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
OID = "00000000-0000-0000-66f3-3332eca7ea81"
ISSUER = f"https://login.microsoftonline.com/{TENANT}/v2.0"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "app",
    "client_secret": "secret",
    "server_metadata_url": f"{ISSUER}/.well-known/openid-configuration",
}
JANE = {
    "is_logged_in": True,
    "iss": ISSUER,
    "sub": "pairwise-subject-of-jane",
    "tid": TENANT,
    "oid": OID,
    "name": "Jane Smith",
    "email": "jane.smith@nhs.net",
}
# Anyone may call themselves Jane.Smith@nhs.net; without an e-mail claim the old code compared the name.
NAMED_LIKE_JANE = {
    "is_logged_in": True,
    "iss": ISSUER,
    "sub": "someone-else",
    "tid": TENANT,
    "oid": "11111111-2222-3333-4444-555555555555",
    "name": "Jane.Smith@nhs.net",
}


@pytest.fixture
def access(tmp_path, monkeypatch):
    """Write ``[access] editors = <toml>`` into a copy of the configuration for the rest of the test."""

    def use(editors_toml: str) -> None:
        text = config.DEFAULT_PATH.read_text().replace("\neditors = []\n", f"\neditors = {editors_toml}\n", 1)
        assert f"editors = {editors_toml}" in text
        path = tmp_path / "access.toml"
        path.write_text(text)
        monkeypatch.setenv("ASSURANCE_CONFIG", str(path))
        config.settings.cache_clear()

    yield use
    config.settings.cache_clear()


def delete_as(user: dict) -> tuple[object, int, list[str]]:
    """Sign in as ``user`` (token claims), try to delete the first snapshot on the Data page; the app, the
    snapshot and what the sidebar said."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["auth"] = AUTH
    at.user = user
    at.run()
    sidebar = [c.value for c in at.sidebar.caption]
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception
    opened = at.selectbox(key="snap-open").value
    at.checkbox(key=f"snap-confirm-{opened}").check()
    at.run()
    at.button(key="snap-delete").click()
    at.run()
    assert not at.exception
    return at, opened, sidebar


def snapshot_ids(db) -> set[int]:
    con = store.connect(db)
    try:
        return set(store.snapshots(con)["snapshot_id"])
    finally:
        con.close()


def test_a_display_name_that_looks_like_an_editor_gives_no_rights(sample_db, access):
    access('["jane.smith@nhs.net"]')
    before = snapshot_ids(sample_db)
    at, _, _ = delete_as(NAMED_LIKE_JANE)
    assert any("Only editors may delete snapshots" in e.value for e in at.error)
    assert snapshot_ids(sample_db) == before


def test_an_unverified_email_gives_no_rights(sample_db, access):
    access('["jane.smith@nhs.net"]')
    before = snapshot_ids(sample_db)
    at, _, _ = delete_as({**JANE, "email_verified": False})
    assert any("Only editors may delete snapshots" in e.value for e in at.error)
    assert snapshot_ids(sample_db) == before


def test_an_editor_named_by_tenant_and_object_id_may_delete_and_the_audit_log_says_who(sample_db, access):
    access(f'[{{ tenant = "{TENANT}", oid = "{OID}", name = "Jane" }}]')
    at, opened, sidebar = delete_as(JANE)
    assert any(f"Snapshot {opened} deleted" in s.value for s in at.success)
    con = store.connect(sample_db)
    try:
        who = store.audit_log(con, 1)["who"].iloc[0]
    finally:
        con.close()
    assert who == f"Jane Smith [oid {OID} in tenant {TENANT}]"
    assert "Signed in as Jane Smith (editor)." in sidebar


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        (JANE, "editor"),
        ({**JANE, "tid": "another-tenant"}, "viewer"),  # the same object ID means someone else in another tenant
        ({**JANE, "oid": None}, "viewer"),
        ({**JANE, "oid": OID.upper()}, "editor"),
        ({k: v for k, v in JANE.items() if k not in ("tid", "oid")}, "viewer"),
    ],
)
def test_tenant_and_object_id(claims, expected):
    assert identity.role(claims, [{"tenant": TENANT, "oid": OID}]) == expected


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"iss": "https://accounts.google.com", "sub": "1234"}, "editor"),
        ({"iss": "https://accounts.google.com/", "sub": "1234"}, "editor"),
        ({"iss": "https://evil.example", "sub": "1234"}, "viewer"),  # a subject is only unique at its issuer
        ({"iss": "https://accounts.google.com", "sub": "12345"}, "viewer"),
        ({"sub": "1234", "name": "1234"}, "viewer"),
    ],
)
def test_issuer_and_subject(claims, expected):
    assert identity.role(claims, [{"issuer": "https://accounts.google.com", "sub": "1234"}]) == expected


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"email": "Jane.Smith@nhs.net", "email_verified": True}, "editor"),
        ({"email": "jane.smith@nhs.net", "email_verified": "true"}, "editor"),
        ({"email": "jane.smith@nhs.net", "email_verified": False}, "viewer"),
        ({"email": "jane.smith@nhs.net"}, "viewer"),
        ({"name": "jane.smith@nhs.net", "preferred_username": "jane.smith@nhs.net", "email_verified": True}, "viewer"),
    ],
)
def test_verified_email(claims, expected):
    assert identity.role(claims, ["jane.smith@nhs.net"]) == expected
    assert identity.role(claims, [{"email": "jane.smith@nhs.net", "name": "Jane"}]) == expected


@pytest.mark.parametrize("entry", [{"name": "Jane Smith"}, {"oid": OID}, {"sub": "1234"}, {"tenant": TENANT}, 42])
def test_an_entry_without_a_whole_identity_is_refused_in_one_sentence(entry):
    with pytest.raises(identity.AccessConfigError, match=r"^\[access\] editors entry 1 .* write it as"):
        identity.role(JANE, [entry])


def test_the_audit_name_keeps_the_display_name_and_the_immutable_identity():
    assert identity.audit_name(JANE) == f"Jane Smith [oid {OID} in tenant {TENANT}]"
    google = {"iss": "https://accounts.google.com", "sub": "1234", "email": "a@b.example", "email_verified": True}
    assert identity.audit_name(google) == "a@b.example [sub 1234 at https://accounts.google.com]"
