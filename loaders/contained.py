"""Run a reader in a worker process of its own, with an address-space and a CPU-time limit.

A parser that aborts, is killed, or runs out of memory or time ends its worker, never the caller:
the caller gets one sentence (ReaderStopped) instead. Workers are forked by multiprocessing's
forkserver, a single-threaded process that has the loaders imported already, so a worker starts in
milliseconds and a threaded server (Streamlit) never forks itself.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing import context, forkserver, popen_forkserver, reduction, spawn, util
from pathlib import Path
from typing import Any

from loaders.guard import BadFile

MB = 2**20
ROOT = str(Path(__file__).resolve().parent.parent)
# How long a worker may take by the clock, beyond its CPU time, before it is stopped (it may be waiting).
WALL_SLACK = 2.0
WALL_EXTRA_SECONDS = 30

_start_lock = threading.Lock()
_context: Any = None


class ReaderStopped(BadFile):
    """The worker ended before it answered; str() is one sentence naming the file."""


class _PopenLeavingMainAlone(popen_forkserver.Popen):
    """multiprocessing's forkserver start, except that the worker does not run the caller's main module again
    (under Streamlit that is the app's page script, which must not run in a worker)."""

    def _launch(self, process_obj: Any) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_name", None)
        prep_data.pop("init_main_from_path", None)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Worker(context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> _PopenLeavingMainAlone:
        return _PopenLeavingMainAlone(process_obj)


def _forkserver() -> Any:
    global _context
    with _start_lock:
        if _context is None:
            server = multiprocessing.get_context("forkserver")
            # The server is a new interpreter: it finds the loaders by PYTHONPATH whatever the caller's directory.
            paths = [path for path in os.environ.get("PYTHONPATH", "").split(os.pathsep) if path]
            if ROOT not in paths:
                os.environ["PYTHONPATH"] = os.pathsep.join([ROOT, *paths])
            server.set_forkserver_preload(["loaders.warm_reader"])  # once, in the server, not per worker
            _context = server
    return _context


def run(
    name: str,
    function: Callable[..., Any],
    args: tuple,
    limits: dict[str, int],
    progress: Callable[..., None] | None = None,
) -> Any:
    """function(*args, progress=...) in a worker; its result, or BadFile with one sentence. `progress` is called
    here, in the caller, with whatever the worker passed to its own progress."""
    receiver, sender = _forkserver().Pipe(duplex=False)
    memory, cpu = limits["reader_memory_mb"] * MB, limits["reader_cpu_seconds"]
    worker = _Worker(target=_work, args=(sender, function, args, memory, cpu), daemon=True)
    worker.start()
    sender.close()
    deadline = time.monotonic() + cpu * WALL_SLACK + WALL_EXTRA_SECONDS
    try:
        while True:
            if not receiver.poll(max(deadline - time.monotonic(), 0)):
                raise ReaderStopped(_sentence(name, "time"))
            try:
                message = receiver.recv()
            except (EOFError, OSError):
                worker.join(5)
                raise ReaderStopped(_sentence(name, _cause(worker.exitcode))) from None
            if message[0] == "progress":
                if progress is not None:
                    progress(*message[1:])
            elif message[0] == "result":
                return message[1]
            elif message[0] == "refused":
                raise BadFile(message[1])
            elif message[0] == "failed":
                raise BadFile(f"'{name}' could not be read as a workbook ({message[1]}).")
            else:
                raise ReaderStopped(_sentence(name, message[1]))
    finally:
        receiver.close()
        if worker.is_alive():
            worker.kill()
        worker.join()
        worker.close()


_WHY_STOPPED = {
    "memory": "it asks for more memory than a workbook of this size needs",
    "time": "it takes longer to read than a workbook of this size needs",
}


def _sentence(name: str, cause: str) -> str:
    why = _WHY_STOPPED.get(cause, "the reader stopped on it unexpectedly")
    return f"'{name}' could not be read safely: {why}."


def _cause(exitcode: int | None) -> str:
    if exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
        return "time"
    if exitcode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
        return "memory"  # calamine aborts when an allocation beyond the limit fails
    return "other"


def _work(sender: Any, function: Callable[..., Any], args: tuple, memory: int, cpu: int) -> None:
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)  # a parser's panic message and backtrace are not for the person reading the caller's output
    os.dup2(quiet, 2)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        result = function(*args, progress=lambda *values: sender.send(("progress", *values)))
        sender.send(("result", result))
    except MemoryError:
        _send(sender, ("stopped", "memory"))
    except BadFile as exc:
        _send(sender, ("refused", str(exc)))
    except BaseException as exc:  # noqa: BLE001 - a parser's panic is not an Exception, and must not escape either
        _send(sender, ("failed", type(exc).__name__))
    finally:
        sender.close()


def _send(sender: Any, message: tuple) -> None:
    try:
        sender.send(message)
    except BaseException:  # noqa: BLE001 - the caller learns from the worker's exit instead
        pass
