"""Background WAL checkpoints after bursts of writes (a first pull of a meeting).

A first pull of a large meeting appends many megabytes of sealed rows to the
store's write-ahead log. Copying the log into the database file (a
checkpoint: page writes plus an fsync of each file) on the committing
thread would hold the store's one connection, and with it every other
download and the UI's reads, for a good part of a second every few dozen
megabytes. ``Checkpointer`` does that copy on its own thread with its own
connection instead: SQLite lets a checkpoint run beside a writer in WAL
mode, and a PASSIVE checkpoint never waits for or blocks one.

The connection only checkpoints; it never reads or writes rows, so it
needs no key and holds nothing but what SQLite's page copy passes through.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)


class Checkpointer:
    """Runs ``PRAGMA wal_checkpoint(PASSIVE)`` on request, on a daemon thread."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._wake = threading.Condition()
        self._pending = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._running = threading.Lock()  # held while a checkpoint copies pages

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Wait for a background checkpoint under way; start none until the block ends.

        For the store's own TRUNCATE checkpoints (closing, wiping, replacing
        the key slot): SQLite runs one checkpoint at a time and would report
        the second busy, leaving the log (and what it holds) in place.
        """
        with self._running:
            yield

    def request(self) -> None:
        """Ask for a checkpoint soon; returns at once (starts the thread if needed)."""
        with self._wake:
            if self._stopping:
                return
            self._pending = True
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="mr-wal-checkpoint", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def stop(self) -> None:
        """Finish the checkpoint under way, if any, and end the thread. Safe to call twice."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(str(self._path), check_same_thread=False, timeout=10.0)
        except sqlite3.Error as exc:
            log.warning("store: background checkpoint unavailable: %s", type(exc).__name__)
            return
        try:
            # The checkpoint syncs the log before copying and the database
            # after, so whatever it copied survives a power cut.
            conn.execute("PRAGMA synchronous=FULL")
            while True:
                with self._wake:
                    while not self._pending and not self._stopping:
                        self._wake.wait()
                    if self._stopping:
                        return
                    self._pending = False
                try:
                    with self._running:
                        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error as exc:
                    # The next request, or the store's own checkpoints, retry.
                    log.warning("store: background checkpoint failed: %s", type(exc).__name__)
        finally:
            conn.close()
