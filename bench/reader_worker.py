"""What bench.reader has the reader's worker run: kept apart, and light, so that the worker imports only
this (bench.reader's own imports would be counted as the worker's cost)."""

from __future__ import annotations

import resource

import loaders


def measured_read(data: bytes, name: str, kind: str, limits: dict, progress=None) -> tuple[object, float]:
    """What loaders.load_workbook has the worker do, and the CPU seconds the worker used since its fork."""
    result = loaders.read_tables(data, name, kind, None, None, limits, progress=progress)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return result, usage.ru_utime + usage.ru_stime
