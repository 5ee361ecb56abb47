"""Small measuring tools: wall-clock timing, medians, process-tree memory, the machine."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

PACKAGES = ["streamlit", "duckdb", "pandas", "numpy", "pyarrow", "plotly", "openpyxl", "python-calamine", "playwright"]


def command_line(argv: list[str] | None, prog: str, doc: str, measure: Callable, argument: str, repeats: int) -> int:
    """``prog ARGUMENT [--repeats N]``: the figures of ``measure`` as JSON on stdout, its progress on stderr."""
    parser = argparse.ArgumentParser(prog=prog, description=doc.splitlines()[0])
    parser.add_argument(argument, type=Path)
    parser.add_argument("--repeats", type=int, default=repeats)
    args = parser.parse_args(argv)
    print(json.dumps(measure(getattr(args, argument), args.repeats, say=lambda text: print(text, file=sys.stderr))))
    return 0


def timed(fn: Callable, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - started, value


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def file_mb(path: Path) -> float:
    size = Path(path).stat().st_size
    wal = Path(f"{path}.wal")
    return (size + (wal.stat().st_size if wal.exists() else 0)) / 2**20


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    children = _children()
    total_kb, todo = 0, [pid]
    while todo:
        current = todo.pop()
        rss = _proc_info(f"/proc/{current}/status", "VmRSS:")
        if rss is None:  # gone, or a zombie whose children are already another's
            continue
        total_kb += int(rss.split()[0])
        todo.extend(children.get(current, []))
    return total_kb / 1024


class RssSampler:
    """Samples a process tree's RSS in a background thread; ``peak`` is the highest seen."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval = pid, interval
        self.peak = 0.0
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> float:
        rss = tree_rss_mb(self.pid)
        self.samples.append(rss)
        self.peak = max(self.peak, rss)
        return rss

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


def _proc_info(path: str, key: str) -> str | None:
    """The value of ``key`` in a /proc information file (``model name : ...``), or None."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def machine() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    memory = _proc_info("/proc/meminfo", "MemTotal:")
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "memory_gb": round(int(memory.split()[0]) / 2**20, 1) if memory else None,
        "cpu": _proc_info("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
    }
