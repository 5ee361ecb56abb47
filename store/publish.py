"""Read-only replicas of the store: one writer publishes copies, any number of app processes read them.

DuckDB lets one process open a file read-write, or many open it read-only, never both at once. So
the writer (the editing app, or a scheduled ``python -m loaders ingest``) keeps the working store to
itself and publishes a consistent copy of it: DuckDB copies the database inside one transaction
into a temporary file beside the published one, the file is synced to disk, and ``os.replace``
puts it in place in one atomic step. A reader sees the old file or the new one, never part of one.

Replicas open the published file through ``Replica``: read-only, attached to a private in-memory
database with a view per table, so the queries in ``store`` run unchanged. Reopening goes through
a new in-memory database each time because DuckDB keeps one instance per file path in a process
and would otherwise hand back the copy that was replaced. A connection in use keeps reading the
file it opened (a whole page run sees one snapshot); the next caller gets the new one.

Command line, for a writer without the app: ``python -m store.publish --db STORE --to PUBLISHED``.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from pathlib import Path

import duckdb

from store.db import LOCK_HELD, StoreBusy, StoreError, connect, db_path, schema_sql

ATTACHED = "published"
RELOAD_SECONDS = 5.0
_publishing = threading.Lock()


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(con, target: str | os.PathLike) -> Path:
    """Copy the store behind ``con`` to ``target`` atomically; returns the published path."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    alias = f"publishing_{uuid.uuid4().hex}"
    with _publishing:
        cur = con.cursor()
        try:
            cur.execute(f"ATTACH {_sql_path(temporary)} AS {alias}")
            try:
                source = cur.execute("SELECT current_database()").fetchone()[0]
                cur.execute("BEGIN TRANSACTION")
                cur.execute(f'COPY FROM DATABASE "{source}" TO {alias}')
                cur.execute("COMMIT")
            finally:
                cur.execute(f"DETACH {alias}")
            _fsync(temporary)
            os.replace(temporary, target)
            _fsync(target.parent)
        except (duckdb.Error, OSError) as exc:
            raise StoreError(f"The store could not be published to {target}: {exc}") from exc
        finally:
            cur.close()
            for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
                leftover.unlink(missing_ok=True)
    return target


def signature(path: Path) -> tuple[int, int, int] | None:
    """What identifies one published file: inode, modification time and size; None when there is none."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def schema_tables() -> list[str]:
    scratch = duckdb.connect(":memory:")
    try:
        scratch.execute(schema_sql())
        return [name for (name,) in scratch.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    finally:
        scratch.close()


def open_published(path: str | os.PathLike):
    """A connection that reads the published file at ``path`` read-only, its tables under their own names.

    With nothing published yet, an empty store (the schema only) in memory.
    """
    path = Path(path)
    con = duckdb.connect(":memory:")
    if not path.exists():
        con.execute(schema_sql())
        return con
    try:
        con.execute(f"ATTACH {_sql_path(path.resolve())} AS {ATTACHED} (READ_ONLY)")
        for table in schema_tables():  # names from our own schema only, never from the file
            con.execute(f'CREATE VIEW "{table}" AS SELECT * FROM {ATTACHED}."{table}"')  # noqa: S608
    except duckdb.Error as exc:
        con.close()
        if LOCK_HELD in str(exc):
            raise StoreBusy(f"The published store {path.name} is in use by another process.") from exc
        raise StoreError(f"The published store {path.name} could not be opened: {exc}") from exc
    return con


class Replica:
    """The published store for one reading process, reopened when a new copy is published.

    ``connection()`` looks at the file at most every ``reload_seconds``; thread-safe.
    """

    def __init__(self, path: str | os.PathLike, reload_seconds: float = RELOAD_SECONDS, clock=time.monotonic):
        self.path = Path(path)
        self.reload_seconds = reload_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._signature = signature(self.path)
        self._con = open_published(self.path)
        self._checked = clock()
        self.opened = 1

    @property
    def published(self) -> bool:
        return self._signature is not None

    def connection(self):
        with self._lock:
            now = self._clock()
            if now - self._checked >= self.reload_seconds:
                self._checked = now
                current = signature(self.path)
                if current != self._signature:
                    self._con = open_published(self.path)  # the old one closes when its last user lets go
                    self._signature = current
                    self.opened += 1
            return self._con


def reload_seconds() -> float:
    """How often a replica looks for a newly published store (``ASSURANCE_RELOAD_SECONDS``)."""
    try:
        return max(0.0, float(os.environ.get("ASSURANCE_RELOAD_SECONDS", RELOAD_SECONDS)))
    except ValueError:
        return RELOAD_SECONDS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m store.publish", description="Publish a read-only copy of the store for app replicas."
    )
    parser.add_argument("--db", help="the working store (default: ASSURANCE_DB or data/assurance.duckdb)")
    parser.add_argument("--to", required=True, help="the published file the replicas read (ASSURANCE_DB there)")
    args = parser.parse_args(argv)
    source = db_path(args.db)
    if Path(args.to).resolve() == source.resolve():
        print("The published file must not be the working store itself.", file=sys.stderr)
        return 2
    try:
        con = connect(source)
        try:
            print(f"Published {source.name} to {publish(con, args.to)}.")
        finally:
            con.close()
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
