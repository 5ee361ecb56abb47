"""Opening the DuckDB store. One connection per process; every call takes its own cursor."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import duckdb

from loaders.records import KIND_FIELDS

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "assurance.duckdb"
SCHEMA = Path(__file__).with_name("schema.sql")


class StoreError(Exception):
    """A store operation that could not be done; the message is one sentence for a person."""


def db_path(path: str | os.PathLike | None = None) -> Path:
    return Path(path or os.environ.get("ASSURANCE_DB") or DEFAULT_DB)


def connect(path: str | os.PathLike | None = None, read_only: bool = False):
    target = db_path(path)
    if str(target) != ":memory:":
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(target), read_only=read_only)
    except duckdb.IOException as exc:
        raise StoreError(f"The store {target.name} could not be opened: {exc}") from exc
    if not read_only:
        con.execute(SCHEMA.read_text())
    return con


@contextmanager
def transaction(con):
    """A cursor inside one transaction: all of it commits, or none of it does."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
    except BaseException:
        try:
            cur.execute("ROLLBACK")
        except duckdb.Error:
            pass  # a fatal error already ended the transaction; the original error is what matters
        raise
    else:
        cur.execute("COMMIT")
    finally:
        cur.close()


def record_table(kind: str) -> str:
    """The table holding a record kind; only names from the fixed contract ever reach SQL."""
    if kind not in KIND_FIELDS:
        raise StoreError(f"Unknown record kind {kind!r}.")
    return kind


def query_df(con, sql: str, params: list | tuple | None = None):
    cur = con.cursor()
    try:
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()
