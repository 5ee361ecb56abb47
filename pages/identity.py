"""Who is signed in and whether they may change the store, from the sign-in token's claims.

Rights rest only on claims a user cannot set for themselves: the object ID within a Microsoft Entra tenant
(``tid`` + ``oid``), the subject at an issuer (``iss`` + ``sub``), or an e-mail address the provider has
verified (``email_verified``). A display name (``name``, ``preferred_username``) is only ever shown.
"""

from __future__ import annotations

from collections.abc import Mapping


class AccessConfigError(ValueError):
    """An ``[access] editors`` entry that names no identity; the message says which and how to write it."""


ENTRY_FORMS = '{ tenant = "...", oid = "..." }, { issuer = "...", sub = "..." } or { email = "..." }'


def editor_rules(editors: list) -> list[dict[str, str]]:
    """The ``[access] editors`` entries as rules; a plain string is a verified e-mail address."""
    rules = []
    for n, entry in enumerate(editors, 1):
        rule = {"email": entry} if isinstance(entry, str) else entry
        if not isinstance(rule, Mapping):
            raise AccessConfigError(f"[access] editors entry {n} is not a table; write it as {ENTRY_FORMS}.")
        named = {k: str(v).strip() for k, v in rule.items() if k != "name" and str(v).strip()}
        if set(named) not in ({"tenant", "oid"}, {"issuer", "sub"}, {"email"}):
            raise AccessConfigError(
                f"[access] editors entry {n} ({', '.join(sorted(named)) or 'empty'}) names no identity; "
                f"write it as {ENTRY_FORMS}."
            )
        rules.append(named)
    return rules


def _text(claims: Mapping, key: str) -> str:
    value = claims.get(key)
    return value.strip() if isinstance(value, str) else ""


def _same_issuer(a: str, b: str) -> bool:
    return bool(a) and a.rstrip("/") == b.rstrip("/")


def verified_email(claims: Mapping) -> str:
    """The token's e-mail address when the provider says it verified it, else ''."""
    verified = claims.get("email_verified")
    if verified is True or (isinstance(verified, str) and verified.strip().lower() == "true"):
        return _text(claims, "email").lower()
    return ""


def matches(rule: Mapping[str, str], claims: Mapping) -> bool:
    if "oid" in rule:
        return bool(_text(claims, "oid")) and (
            _text(claims, "tid").lower() == rule["tenant"].lower()
            and _text(claims, "oid").lower() == rule["oid"].lower()
        )
    if "sub" in rule:
        return _same_issuer(_text(claims, "iss"), rule["issuer"]) and _text(claims, "sub") == rule["sub"]
    return bool(verified_email(claims)) and verified_email(claims) == rule["email"].lower()


def role(claims: Mapping, editors: list) -> str:
    """'editor' when an ``[access] editors`` rule matches the token's immutable identity, else 'viewer'."""
    return "editor" if any(matches(rule, claims) for rule in editor_rules(editors)) else "viewer"


def identity(claims: Mapping) -> str | None:
    """The token's immutable identity in words (``oid <oid> in tenant <tid>`` or ``sub <sub> at <iss>``), or None."""
    if _text(claims, "oid") and _text(claims, "tid"):
        return f"oid {_text(claims, 'oid')} in tenant {_text(claims, 'tid')}"
    if _text(claims, "sub") and _text(claims, "iss"):
        return f"sub {_text(claims, 'sub')} at {_text(claims, 'iss')}"
    return None


def display_name(claims: Mapping) -> str:
    return _text(claims, "name") or _text(claims, "preferred_username") or _text(claims, "email") or "unnamed user"


def audit_name(claims: Mapping) -> str:
    """Who made a change, as the audit log keeps it: the display name and the immutable identity."""
    return f"{display_name(claims)} [{identity(claims) or 'no immutable identity in the token'}]"
