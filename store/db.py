"""Opening the DuckDB store. One connection per process; every call takes its own cursor."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from records import KIND_FIELDS

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "assurance.duckdb"
SCHEMA = Path(__file__).with_name("schema.sql")
SQL_TYPES = {"text": "VARCHAR", "int": "INTEGER", "num": "DOUBLE", "date": "DATE", "bool": "BOOLEAN"}
SOURCE_COLUMNS = {"snapshot_id": "INTEGER NOT NULL", "source_sheet": "VARCHAR", "source_row": "INTEGER"}
# A snapshot's columns, alike in the snapshots and the deleted snapshots.
SNAPSHOT_FIELDS = {
    "snapshot_id": "INTEGER PRIMARY KEY",
    "organisation": "VARCHAR NOT NULL",
    "kind": "VARCHAR NOT NULL",
    "as_at": "DATE NOT NULL",
    "financial_year": "VARCHAR",
    "month": "INTEGER",
    "source_file": "VARCHAR NOT NULL",
    "sha256": "VARCHAR NOT NULL",
    "sheet": "VARCHAR",
    "header_row": "INTEGER",
    "loaded_at": "TIMESTAMP NOT NULL",
    "loaded_by": "VARCHAR",
    "loader_version": "VARCHAR NOT NULL",
    "record_count": "INTEGER NOT NULL",
    "issue_count": "INTEGER NOT NULL",
    "error_count": "INTEGER NOT NULL",
    "superseded_by": "INTEGER",
    "columns_json": "VARCHAR",
    "mapping_json": "VARCHAR",
    "profile_id": "INTEGER",
}
# The audit log's columns after audit_id. Each row says what it was about by itself: the snapshot's organisation,
# kind, as-at date and file, and the other snapshots the change made current or superseded.
AUDIT_FIELDS = {
    "happened_at": "TIMESTAMP NOT NULL",
    "who": "VARCHAR",
    "action": "VARCHAR NOT NULL",
    "snapshot_id": "INTEGER",
    "sha256": "VARCHAR",
    "detail": "VARCHAR",
    "organisation": "VARCHAR",
    "kind": "VARCHAR",
    "as_at": "DATE",
    "source_file": "VARCHAR",
    "other_snapshots": "INTEGER[]",
}


class StoreError(Exception):
    """A store operation that could not be done; the message is one sentence for a person."""


class StoreBusy(StoreError):
    """Another process holds the store's write lock (the CLI loading, a backup); trying again later may work."""


LOCK_HELD = "Could not set lock"


def db_path(path: str | os.PathLike | None = None) -> Path:
    return Path(path or os.environ.get("ASSURANCE_DB") or DEFAULT_DB)


def connect(path: str | os.PathLike | None = None, read_only: bool = False):
    target = db_path(path)
    if str(target) != ":memory:":
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(target), read_only=read_only)
    except duckdb.IOException as exc:
        if LOCK_HELD in str(exc):
            raise StoreBusy(
                f"The store {target.name} is in use by another process; try again when it has finished."
            ) from exc
        raise StoreError(f"The store {target.name} could not be opened: {exc}") from exc
    if not read_only:
        con.execute(schema_sql())
        if ("audit_log", "organisation") in _add_new_fields(con):
            _describe_old_audit_rows(con)
    return con


def schema_sql() -> str:
    """schema.sql, then the tables of ``_tables``."""
    return SCHEMA.read_text() + "\n".join(
        f"CREATE TABLE IF NOT EXISTS {table} (" + ", ".join(f'"{name}" {sql}' for name, sql in columns.items()) + ");"
        for table, columns in _tables().items()
    )


def _tables() -> dict[str, dict[str, str]]:
    """The tables made from the columns named here, each column with its SQL type: the snapshots, the deleted
    snapshots (which add when and by whom), the audit log, and a table per record kind made from the records
    contract, so the two cannot disagree."""
    return {
        "snapshots": SNAPSHOT_FIELDS,
        "deleted_snapshots": {**SNAPSHOT_FIELDS, "deleted_at": "TIMESTAMP NOT NULL", "deleted_by": "VARCHAR"},
        "audit_log": {"audit_id": "INTEGER PRIMARY KEY", **AUDIT_FIELDS},
        **{kind: {**SOURCE_COLUMNS, **_field_types(kind)} for kind in KIND_FIELDS},
    }


def _field_types(kind: str) -> dict[str, str]:
    return {name: SQL_TYPES[type_] for name, type_ in KIND_FIELDS[kind].items()}


def _add_new_fields(con) -> set[tuple[str, str]]:
    """A store made before a column joined one of ``_tables`` gains it (empty in the rows it holds): a field
    joining the records contract, the mapping and layout profile a snapshot was read with, an audit row's context.
    Returns the (table, column) pairs added."""
    present = set(
        con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
        ).fetchall()
    )
    added = set()
    for table, columns in _tables().items():
        for name, sql_type in columns.items():
            if (table, name) not in present:
                con.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {sql_type}')
                added.add((table, name))
    return added


def _describe_old_audit_rows(con) -> None:
    """Audit rows written before rows carried their context get it from their snapshot, where it still exists."""
    con.execute(
        "UPDATE audit_log SET organisation = s.organisation, kind = s.kind, as_at = s.as_at, "
        "source_file = s.source_file FROM snapshots s "
        "WHERE audit_log.snapshot_id = s.snapshot_id AND audit_log.organisation IS NULL"
    )


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
        if isinstance(con, ReadView):
            con.refresh()  # the change is visible to the rest of the run that made it
    finally:
        cur.close()


def record_table(kind: str) -> str:
    """The table holding a record kind; only names from the fixed contract ever reach SQL."""
    if kind not in KIND_FIELDS:
        raise StoreError(f"Unknown record kind {kind!r}.")
    return kind


# One small read that changes with every change to the store: each ingest, delete, restore and layout-profile
# change writes the audit log in the same transaction; the snapshots and organisations are counted as well.
STATE_SQL = (
    "SELECT a.*, s.*, o.* FROM "
    "(SELECT coalesce(max(audit_id), 0), max(happened_at), count(*) FROM audit_log) a, "
    "(SELECT count(*), coalesce(max(snapshot_id), 0), count(*) FILTER (WHERE superseded_by IS NULL) FROM snapshots) s, "
    "(SELECT count(*), count_if(synthetic) FROM organisations) o"
)


class ReadView:
    """A connection for one sequence of reads (a page run): every query sees the same committed state. Reads
    share one cursor holding a read transaction, so a commit by another session in the middle does not mix two
    states on one page. Writes (``transaction``) take their own cursor on the underlying connection as usual, and
    move the view on to include them. ``state()`` names the committed state the view reads; answers to the same
    query in the same state are shared across views (and so across page runs and sessions) through ``query_df``."""

    def __init__(self, con):
        self.con = con
        self._reader = None
        self._state: tuple | None = None
        self._results: dict[tuple, pd.DataFrame] = {}  # this view's answers, so a page asks each query once

    def cursor(self):
        return self.con.cursor()

    def reader(self):
        if self._reader is None:
            self._reader = self.con.cursor()
            self._reader.execute("BEGIN TRANSACTION")
        return self._reader

    def state(self) -> tuple:
        """What identifies the store's state this view reads: the connection (on a replica, the published copy it
        opened) and the audit log, snapshots and organisations as they stand; any change to the store changes it."""
        if self._state is None:
            try:
                row = self.reader().execute(STATE_SQL).fetchone()
            except duckdb.Error:
                self.refresh()
                raise
            self._state = (id(self.con), *row)
        return self._state

    def refresh(self) -> None:
        """End the read transaction; the next read sees the latest committed state."""
        self._results.clear()
        self._state = None
        reader, self._reader = self._reader, None
        if reader is not None:
            try:
                reader.execute("ROLLBACK")
            except duckdb.Error:
                pass  # the transaction had already ended; closing is all that is left
            reader.close()

    close = refresh


class SharedResults:
    """Query answers shared by every view of the process, keyed by the store's state, the SQL and its parameters;
    at most ``max_entries`` answers and ``max_cells`` cells in all, the least recently used dropped first."""

    def __init__(self, max_entries: int = 512, max_cells: int = 2_000_000):
        self.max_entries, self.max_cells = max_entries, max_cells
        self._answers: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._cells = 0
        self._lock = threading.Lock()

    def get(self, key: tuple):
        with self._lock:
            frame = self._answers.get(key)
            if frame is not None:
                self._answers.move_to_end(key)
            return frame

    def put(self, key: tuple, frame: pd.DataFrame) -> None:
        cells = frame.size
        if cells > self.max_cells:
            return
        with self._lock:
            if key in self._answers:
                return
            self._answers[key] = frame
            self._cells += cells
            while len(self._answers) > self.max_entries or self._cells > self.max_cells:
                _, dropped = self._answers.popitem(last=False)
                self._cells -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
            self._cells = 0


shared_results = SharedResults()


def query_df(con, sql: str, params: list | tuple | None = None):
    if isinstance(con, ReadView):
        key = (sql, repr(params))
        if key not in con._results:
            shared_key = (con.state(), *key)
            answer = shared_results.get(shared_key)
            if answer is None:
                try:
                    answer = con.reader().execute(sql, params or []).df()
                except duckdb.Error:
                    con.refresh()  # a failed query aborts the read transaction; later reads start a new one
                    raise
                shared_results.put(shared_key, answer)
            con._results[key] = answer
        return con._results[key].copy()
    cur = con.cursor()
    try:
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()
