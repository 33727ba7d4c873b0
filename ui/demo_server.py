"""``meetingroom --demo``: the reference server as a subprocess on 127.0.0.1.

The app never imports ``server`` (import-linter forbids it): the demo runs
``python -m server.cli seed-demo`` into a temporary directory, reads the
``ROLE USERNAME PASSWORD`` lines it prints, then ``serve`` on a free
loopback port, and waits for ``/api/v1/health``. ``stop`` ends the server
and deletes the directory. Qt-free.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROLES = ("delegate", "secretary", "chair", "observer")


class DemoServerError(RuntimeError):
    """The demo server could not be seeded or started."""


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    password: str


def parse_accounts(text: str) -> list[DemoAccount]:
    """Return the accounts of ``seed-demo``'s output (``ROLE USERNAME PASSWORD`` lines)."""
    out = []
    for line in text.splitlines():
        parts = line.split(" ")
        if len(parts) == 3 and parts[0] in ROLES:
            out.append(DemoAccount(*parts))
    return out


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the app dies, even when it is killed (Linux)."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class DemoServer:
    """A seeded reference server in a temporary directory; use as a context manager."""

    def __init__(self, *, python: str = sys.executable, startup_timeout: float = 60.0) -> None:
        self._python = python
        self._timeout = startup_timeout
        self.directory = Path(tempfile.mkdtemp(prefix="meetingroom-demo-server-"))
        self.accounts: list[DemoAccount] = []
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None

    def _command(self, *args: str) -> list[str]:
        return [self._python, "-m", "server.cli", *args, "--data", str(self.directory / "data")]

    def start(self) -> DemoServer:
        """Seed and serve; return self. Raises DemoServerError."""
        try:
            seeded = subprocess.run(
                self._command("seed-demo"),
                capture_output=True,
                text=True,
                timeout=self._timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            self.stop()
            raise DemoServerError(f"seed-demo did not run: {exc}") from exc
        if seeded.returncode != 0:
            self.stop()
            raise DemoServerError(f"seed-demo failed: {seeded.stderr.strip()[-500:]}")
        self.accounts = parse_accounts(seeded.stdout)
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self._process = subprocess.Popen(
            [*self._command("serve"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        deadline = time.monotonic() + self._timeout
        while True:
            if self._process.poll() is not None:
                self.stop()
                raise DemoServerError("the demo server exited at start")
            try:
                if requests.get(f"{self.url}/api/v1/health", timeout=1).ok:
                    return self
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise DemoServerError("the demo server did not answer in time")
            time.sleep(0.1)

    def account(self, role: str) -> DemoAccount:
        """Return the first account with ``role``. Raises DemoServerError."""
        for account in self.accounts:
            if account.role == role:
                return account
        raise DemoServerError(f"seed-demo made no {role} account")

    def stop(self) -> None:
        """Stop the server (if running) and delete its directory."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
