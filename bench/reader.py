"""The contained reader's cost: the same workbook read in a worker process (as loaders.load_workbook does)
and in this process (the file guard, then the same parsing), interleaved, medians compared, by the clock
and in CPU time (the parent's and the worker's).

    python -m bench.reader WORKBOOK.xlsx [--repeats N]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import loaders
from bench.measure import command_line, median, timed
from bench.reader_worker import measured_read
from loaders import contained, guard


def _in_process(data: bytes, name: str) -> object:
    limits = guard.limits()
    return loaders.read_tables(data, name, guard.check(data, name), None, None, limits)


def _contained(data: bytes, name: str) -> float:
    """loaders.load_workbook's path (the guard here, the reading in a worker); CPU seconds, here and there."""
    started = time.process_time()
    limits = guard.limits()
    result, worker_cpu = contained.run(name, measured_read, (data, name, guard.check(data, name), limits), limits)
    if result.errors:
        raise RuntimeError(result.errors[0])
    return time.process_time() - started + worker_cpu


def overhead(workbook: Path, repeats: int = 9, say=print) -> dict:
    """Per-workbook cost of the worker, contained minus in this process: by the clock, and in CPU time (which a
    busy machine does not inflate)."""
    data, name = Path(workbook).read_bytes(), Path(workbook).name
    loaders.load_workbook(data, name)  # the worker server starts once per process; not a per-workbook cost
    samples: dict[str, list[float]] = {"contained": [], "contained_cpu": [], "direct": [], "direct_cpu": []}
    for _ in range(repeats):
        seconds, cpu = timed(_contained, data, name)
        samples["contained"].append(seconds)
        samples["contained_cpu"].append(cpu)
        started = time.process_time()
        samples["direct"].append(timed(_in_process, data, name)[0])
        samples["direct_cpu"].append(time.process_time() - started)
    ms = {key: median(values) * 1000 for key, values in samples.items()}
    figures = {"file": name, "file_kb": round(len(data) / 1024, 1), "repeats": repeats}
    for clock in ("", "_cpu"):  # by the clock, then in CPU time
        contained, direct = ms[f"contained{clock}"], ms[f"direct{clock}"]
        figures |= {
            f"contained{clock}_ms": round(contained, 1),
            f"in_process{clock}_ms": round(direct, 1),
            f"overhead{clock}_ms": round(contained - direct, 1),
            f"overhead{clock}_pct": round((contained / direct - 1) * 100, 1),
        }
    figures["load_average"] = round(os.getloadavg()[0], 1)
    say(
        f"  reader worker on {name}: {figures['contained_ms']} ms contained, {figures['in_process_ms']} ms in "
        f"process, overhead {figures['overhead_ms']} ms ({figures['overhead_pct']}%); CPU {figures['contained_cpu_ms']}"
        f" ms vs {figures['in_process_cpu_ms']} ms, overhead {figures['overhead_cpu_ms']} ms "
        f"({figures['overhead_cpu_pct']}%); medians of {repeats}, load average {figures['load_average']}"
    )
    return figures


if __name__ == "__main__":
    sys.exit(command_line(None, "python -m bench.reader", __doc__, overhead, "workbook", repeats=9))
