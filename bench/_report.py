"""What the benchmarks share: progress lines, free ports, temp dirs and the report table."""

from __future__ import annotations

import contextlib
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
_started = time.perf_counter()


def elapsed() -> float:
    """Return the seconds since the benchmark started."""
    return time.perf_counter() - _started


def progress(message: str) -> None:
    """Say what is running, on stderr, so stdout holds only the report."""
    print(f"[{elapsed():6.1f} s] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    """Return a TCP port on the loopback address that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def ms(seconds: float) -> str:
    """Return ``seconds`` as milliseconds for the report."""
    return f"{seconds * 1000:,.1f} ms"


@contextlib.contextmanager
def temp_dir(parent: Path | None, prefix: str) -> Iterator[Path]:
    """Yield a fresh directory under ``parent`` (the system's when None); remove it after."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@dataclass
class Row:
    figure: str
    value: str
    baseline: str = ""
    ratio: str = ""
    goal: str = ""
    passed: bool | None = None  # None: a figure without a goal


def print_table(rows: Sequence[Row], indent: str = "") -> None:
    """Print ``rows`` as aligned columns; PASS/MISS are information, never a failure."""
    head = ("figure", "value", "baseline", "ratio", "goal", "")
    cells = [
        (
            r.figure,
            r.value,
            r.baseline,
            r.ratio,
            r.goal,
            "" if r.passed is None else ("PASS" if r.passed else "MISS"),
        )
        for r in rows
    ]
    widths = [max(len(c[i]) for c in [head, *cells]) for i in range(len(head))]
    for line in [head, tuple("-" * w for w in widths), *cells]:
        print(indent + "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())


KEYRING_BACKEND = "keyrings.alt.file.PlaintextKeyring"


def configure_file_keyring(root: Path) -> dict[str, str]:
    """Write a keyringrc.cfg selecting a file backend under ``root`` (as tests/conftest.py
    does); return the environment variables that make keyring read it."""
    config_home = root / "config"
    data_home = root / "data"
    (config_home / "python_keyring").mkdir(parents=True, exist_ok=True)
    data_home.mkdir(parents=True, exist_ok=True)
    (config_home / "python_keyring" / "keyringrc.cfg").write_text(
        f"[backend]\ndefault-keyring={KEYRING_BACKEND}\n"
    )
    return {"XDG_CONFIG_HOME": str(config_home), "XDG_DATA_HOME": str(data_home)}
