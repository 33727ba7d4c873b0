"""One worker process and its request queue, served newest-first.

A ``WorkerSlot`` owns a dispatcher thread and, through it, a worker process
(spawned; kept warm once started). Requests wait in the parent, not in the
pipe, so that the newest is always served next, a queued request can be
cancelled, and exactly one request is in the worker at a time: its time
limit is measured here, and a worker that dies or overruns it is killed and
replaced before the next request, which then succeeds on the fresh worker.

Requests have a priority: a prefetch (``PREFETCH``) is served only when no
page in view (``NORMAL``) waits, and a thumbnail (``BACKGROUND``) only when
neither does, so a page the user is looking at never queues behind pages the
reader merely expects to need, nor these behind the side panel's images.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import SpawnProcess
from pathlib import Path
from typing import Any, Generic, TypeVar

from meetingroom.errors import MeetingRoomError, RenderFailed, RenderServiceClosed, RenderTimeout
from meetingroom.pdf import protocol, worker

log = logging.getLogger(__name__)

T = TypeVar("T")

# Request priorities: the lower value is served first, the newest first within one.
NORMAL = 0
PREFETCH = 1
BACKGROUND = 2

# A document that has crashed or hung its worker this many times is refused
# without trying again: a hostile file must not keep killing workers.
MAX_FAILURES_PER_DOCUMENT = 3


class RenderFuture(Future[T], Generic[T]):
    """A ``concurrent.futures.Future`` that also carries its request id (for ``cancel``)."""

    def __init__(self, request_id: int) -> None:
        super().__init__()
        self.request_id = request_id


@dataclass(eq=False, slots=True)
class Job:
    """One request waiting for, or in, a worker."""

    request_id: int
    kind: str
    version_id: str
    params: dict[str, Any]
    time_limit: float
    future: RenderFuture[Any]
    # Turns the worker's payload into the caller's result; runs on the
    # dispatcher thread before the future completes (so caches are filled
    # before anyone sees the result).
    finish: Callable[[Any], Any]
    priority: int = NORMAL


class WorkerSlot:
    """A queue of jobs and the worker process that serves them, one at a time."""

    def __init__(
        self,
        index: int,
        db_path: Path,
        key_provider: Callable[[], bytearray],
        *,
        allow_test_requests: bool,
        startup_limit: float,
        warm: bool = True,
    ) -> None:
        """Start the dispatcher thread; with ``warm``, it starts the worker process at once,
        otherwise when the first job arrives."""
        self.index = index
        self._warm = warm
        self._db_path = db_path
        self._key_provider = key_provider
        self._allow_test = allow_test_requests
        self._startup_limit = startup_limit
        self._context = multiprocessing.get_context("spawn")
        self._process: SpawnProcess | None = None
        self._conn: Connection | None = None
        self._pending: list[Job] = []
        self._cond = threading.Condition()
        self._closing = False
        self._failures: Counter[str] = Counter()
        self.restarts = 0
        self._thread = threading.Thread(
            target=self._run, name=f"mr-pdf-dispatch-{index}", daemon=True
        )
        self._thread.start()

    # -- the caller's side ---------------------------------------------------------

    @property
    def pid(self) -> int | None:
        """Return the current worker process id, or None while there is none."""
        process = self._process
        return None if process is None else process.pid

    @property
    def queued(self) -> int:
        """Return how many jobs wait (cancelled ones not yet dropped included)."""
        with self._cond:
            return len(self._pending)

    def has_queued(self, version_id: str) -> bool:
        """Return True when a job for ``version_id`` waits in this slot's queue."""
        with self._cond:
            return any(job.version_id == version_id for job in self._pending)

    def submit(self, job: Job) -> None:
        """Queue ``job``; it is served before every job of its priority queued earlier."""
        with self._cond:
            if self._closing:
                job.future.set_exception(RenderServiceClosed())
                return
            self._pending.append(job)
            self._cond.notify()

    def cancel(self, predicate: Callable[[Job], bool]) -> int:
        """Drop the queued jobs matching ``predicate``; return how many were cancelled."""
        with self._cond:
            keep: list[Job] = []
            dropped = 0
            for job in self._pending:
                if predicate(job):
                    dropped += job.future.cancel()
                else:
                    keep.append(job)
            self._pending = keep
        return dropped

    def close(self) -> None:
        """Fail queued jobs with RenderServiceClosed, stop the worker, join the thread."""
        with self._cond:
            self._closing = True
            pending, self._pending = self._pending, []
            self._cond.notify_all()
        for job in pending:
            if job.future.set_running_or_notify_cancel():
                job.future.set_exception(RenderServiceClosed())
        self._thread.join(timeout=3.0)
        if self._thread.is_alive():
            # Busy with a request that hangs: killing the worker ends the wait.
            process = self._process
            if process is not None:
                process.kill()
            self._thread.join(timeout=5.0)

    # -- the dispatcher thread -------------------------------------------------------

    def _run(self) -> None:
        try:
            if self._warm:
                self._start_quietly()  # the first request should not pay for it
            while True:
                with self._cond:
                    while not self._pending and not self._closing:
                        self._cond.wait()
                    if self._closing:
                        return
                    job = self._pending.pop(_next_index(self._pending))
                if job.future.set_running_or_notify_cancel():
                    self._serve(job)
        finally:
            self._stop_process()

    def _start_quietly(self) -> None:
        try:
            self._ensure_process()
        except Exception as exc:
            # Reported to the next request, which retries the start.
            log.warning("pdf worker %d did not start: %s", self.index, type(exc).__name__)

    def _ensure_process(self) -> tuple[SpawnProcess, Connection]:
        """Return a running, initialised worker, starting one if needed.

        Raises:
            StoreLocked: the data key is not available.
            RenderFailed: the worker did not start or answer in time.
        """
        process, conn = self._process, self._conn
        if process is not None and conn is not None and process.is_alive():
            return process, conn
        self._stop_process()
        key = self._key_provider()  # StoreLocked propagates: nothing started
        try:
            ours, theirs = self._context.Pipe(duplex=True)
            process = self._context.Process(
                target=worker.main,
                args=(theirs, self._allow_test),
                name=f"mr-pdf-worker-{self.index}",
                daemon=True,
            )
            process.start()
            theirs.close()
            self._process, self._conn = process, ours
            ours.send(("init", str(self._db_path)))
            ours.send_bytes(key)  # raw bytes straight from the bytearray: no pickled copy
        except OSError as exc:
            self._stop_process()
            raise RenderFailed("-", f"the renderer could not start ({type(exc).__name__})") from exc
        finally:
            key[:] = bytes(len(key))
        ready = wait([ours, process.sentinel], self._startup_limit)
        try:
            if ours in ready and ours.recv() == ("ready",):
                return process, ours
        except (EOFError, OSError):
            pass
        self._stop_process()
        raise RenderFailed("-", "the renderer did not start")

    def _stop_process(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            try:
                if process is not None and process.is_alive():
                    conn.send(None)
            except OSError:
                pass
            conn.close()
        if process is not None:
            process.join(timeout=2.0)
            if process.is_alive():
                process.kill()
                process.join(timeout=5.0)
            process.close()

    def _serve(self, job: Job) -> None:
        future = job.future
        if self._failures[job.version_id] >= MAX_FAILURES_PER_DOCUMENT:
            future.set_exception(
                RenderFailed(job.version_id, "it stopped the renderer several times")
            )
            return
        try:
            process, conn = self._ensure_process()
            conn.send((job.request_id, job.kind, job.version_id, job.params))
        except MeetingRoomError as exc:
            if isinstance(exc, RenderFailed) and exc.version_id == "-":
                exc = RenderFailed(job.version_id, exc.reason)
            future.set_exception(exc)
            return
        except OSError:
            self._replace_worker(job, "the renderer stopped unexpectedly")
            return
        deadline = time.monotonic() + job.time_limit
        while True:
            remaining = deadline - time.monotonic()
            ready = wait([conn, process.sentinel], max(remaining, 0.0)) if remaining > 0 else []
            if conn in ready:
                try:
                    reply = conn.recv()
                except (EOFError, OSError):
                    self._replace_worker(job, "the renderer stopped unexpectedly")
                    return
                if reply[0] != job.request_id:
                    continue  # a reply to a request that was given up on
                self._complete(job, reply)
                return
            if process.sentinel in ready:
                self._replace_worker(job, "the renderer stopped unexpectedly")
                return
            if not ready:
                self._replace_worker(job, None)
                return

    def _complete(self, job: Job, reply: protocol.Reply) -> None:
        if reply[1] == "ok":
            try:
                result = job.finish(reply[2])
            except Exception as exc:
                job.future.set_exception(
                    RenderFailed(job.version_id, f"its result was unusable ({type(exc).__name__})")
                )
            else:
                job.future.set_result(result)
        else:
            job.future.set_exception(protocol.decode_error(job.version_id, reply[2], reply[3]))

    def _replace_worker(self, job: Job, reason: str | None) -> None:
        """Kill the worker after a crash (``reason``) or a timeout (None); fail ``job``."""
        process = self._process
        if process is not None and process.is_alive():
            process.kill()
        self._stop_process()
        self._failures[job.version_id] += 1
        self.restarts += 1
        log.warning(
            "pdf worker %d %s; restarting", self.index, "timed out" if reason is None else "died"
        )
        if self._closing:
            job.future.set_exception(RenderServiceClosed())
            return
        if reason is None:
            job.future.set_exception(RenderTimeout(job.version_id, job.time_limit))
        else:
            job.future.set_exception(RenderFailed(job.version_id, reason))
        self._start_quietly()


def _next_index(pending: list[Job]) -> int:
    """Return the index of the job to serve next: the newest of the most urgent priority."""
    best = len(pending) - 1
    for index in range(best - 1, -1, -1):
        if pending[index].priority < pending[best].priority:
            best = index
    return best
