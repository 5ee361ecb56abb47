"""Workbooks into the store: the one path the command line, the Data page, the demo loader, the benchmark and
the tests take.

It joins the loaders (which read) and the store (which must not import the parsers). Reading may run in
parallel, each workbook in its own contained worker; storing is always done by the caller's one connection,
in the order the files were given.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import loaders
import store
from records import WorkbookResult


@dataclass
class Imported:
    """One workbook's reading, and the snapshots stored from it or the one sentence saying why none were."""

    result: WorkbookResult
    outcomes: list[store.IngestOutcome] = field(default_factory=list)
    refusal: str | None = None
    future: bool = False  # refused only because its as-at date is more than a month ahead, which may be confirmed

    @property
    def stored(self) -> bool:
        return self.refusal is None


def store_result(con, result: WorkbookResult, **storing) -> Imported:
    """Store a workbook already read (the Data page shows it first); ``storing`` as ``store.ingest`` takes it."""
    try:
        return _imported(result, store.ingest(con, result, **storing))
    except store.StoreError as exc:
        return _imported(result, exc)


def store_results(con, results: list[WorkbookResult], **storing) -> list[Imported]:
    """Several workbooks already read, stored in order as ``store_result`` stores each, in one transaction."""
    answers = store.ingest_many(con, results, **storing)
    return [_imported(result, answer) for result, answer in zip(results, answers, strict=True)]


def _imported(result: WorkbookResult, answer: list[store.IngestOutcome] | store.StoreError) -> Imported:
    if isinstance(answer, store.StoreError):
        return Imported(result, refusal=str(answer), future=isinstance(answer, store.FutureAsAt))
    return Imported(result, answer)


def read_files(
    paths: Iterable[str | Path],
    org: str | None = None,
    as_at: str | None = None,
    readers: int = 1,
    ahead: int = 0,
    **reading,
) -> Iterator[WorkbookResult]:
    """Each workbook's reading, in order; with ``readers`` above 1, that many are read at once (each in its own
    contained worker process: the threads here only wait for them) while the caller stores the earlier ones,
    up to ``ahead`` readings (at least one more than ``readers``) ahead of the one the caller takes next.
    ``reading`` is what ``loaders.load_workbook`` takes beyond the file: a mapping, saved layout profiles."""
    read = partial(loaders.load_path, org=org, as_at=as_at, **reading)
    if readers <= 1:
        yield from map(read, paths)
        return
    with ThreadPoolExecutor(max_workers=readers) as pool:
        queue = iter(paths)
        pending: deque[Future] = deque()
        for path in queue:
            pending.append(pool.submit(read, path))
            if len(pending) > max(readers, ahead - 1):
                break
        while pending:
            result = pending.popleft().result()
            if (following := next(queue, None)) is not None:
                pending.append(pool.submit(read, following))
            yield result


def import_files(
    con,
    paths: Iterable[str | Path],
    org: str | None = None,
    as_at: str | None = None,
    readers: int = 1,
    mapping: dict | None = None,
    **storing,
) -> Iterator[Imported]:
    """Read and store each workbook in order; ``org`` and ``as_at`` override what the workbooks state. Each is
    read with ``mapping`` when given, else with the saved layout profile its layout matches, else as detected."""
    profiles = () if mapping is not None else store.profiles_for_matching(con)
    for result in read_files(paths, org, as_at, readers, mapping=mapping, profiles=profiles):
        yield store_result(con, result, org=org, as_at=as_at, **storing)
