"""Benchmark: first page of a 1,000-page encrypted PDF, against the physical minimum.

Run with ``.venv/bin/python bench/pdf_bench.py``. Everything happens in a
temporary directory with a passphrase-protected store (no keyring involved).

Measured in the same run, each repeated (``--reps``) and alternating:

- encrypted: ``RenderService`` with warm workers, the document closed in its
  worker beforehand and the page cache cleared: from ``open`` + ``render``
  of page 1 being requested to its pixels being in this (the parent)
  process. Includes reading and decrypting every chunk in the worker,
  PyMuPDF opening from memory, rendering, and the shared-memory hand-over.
- minimum: the same bytes read from a plaintext SQLite table of 1 MiB blobs
  into one preallocated buffer in this process, PyMuPDF opening it from
  memory and rendering page 1 at the same size, pixels copied out once.
- next page: rendering pages 2..N one after the other through the service
  against rendering them in-process from the already open document.

Figures are printed with the issue's goals as information; the script never
asserts on time.
"""

from __future__ import annotations

import argparse
import io
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import pymupdf as _pymupdf

from meetingroom import services
from meetingroom.crypto.keys import Protection
from meetingroom.domain import DocumentVersionId
from meetingroom.pdf import RenderService
from meetingroom.store import CHUNK_SIZE, Store

pymupdf: Any = _pymupdf  # partially annotated upstream

VERSION = "bench-1000"


def make_big_pdf(pages: int, image_px: int) -> bytes:
    """Return a PDF of ``pages`` pages, each with text and an incompressible image."""
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), f"Nghị quyết — page {number + 1}", fontsize=16)
        samples = os.urandom(image_px * image_px * 3)
        pixmap = pymupdf.Pixmap(pymupdf.csRGB, image_px, image_px, samples, False)
        page.insert_image(pymupdf.Rect(72, 100, 472, 500), pixmap=pixmap)
    data: bytes = doc.tobytes(garbage=0, deflate=True)
    doc.close()
    return data


def plaintext_table(path: Path, data: bytes) -> sqlite3.Connection:
    """Write ``data`` as 1 MiB plaintext blobs; return the open connection."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE chunks (idx INTEGER PRIMARY KEY, data BLOB NOT NULL)")
    with conn:
        for index in range(0, len(data), CHUNK_SIZE):
            conn.execute(
                "INSERT INTO chunks VALUES (?, ?)",
                (index // CHUNK_SIZE, data[index : index + CHUNK_SIZE]),
            )
    return conn


def minimum_first_page(conn: sqlite3.Connection, size: int, zoom: float) -> tuple[float, Any]:
    """Return (seconds, document) for plaintext read + open + render page 1 in-process."""
    started = time.perf_counter()
    buffer = bytearray(size)
    view = memoryview(buffer)
    offset = 0
    for (blob,) in conn.execute("SELECT data FROM chunks ORDER BY idx"):
        view[offset : offset + len(blob)] = blob
        offset += len(blob)
    doc = pymupdf.open(stream=view, filetype="pdf")
    pixmap = doc[0].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB)
    _ = bytes(pixmap.samples_mv)  # the one copy the service also makes into the parent
    return time.perf_counter() - started, doc


def service_first_page(service: RenderService, zoom: float) -> float:
    """Return seconds from open+render request to page 1's pixels in this process."""
    service.close_document(VERSION).result()
    service.clear_caches()
    started = time.perf_counter()
    info = service.open(VERSION)
    page = service.render(VERSION, 0, zoom=zoom).result()
    elapsed = time.perf_counter() - started
    assert page.width > 0
    info.result()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--image-px", type=int, default=140, help="side of each random image")
    parser.add_argument("--zoom", type=float, default=1.5)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--next-pages", type=int, default=40)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="mr-pdf-bench-") as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        data = make_big_pdf(args.pages, args.image_px)
        print(
            f"generated {args.pages} pages, {len(data) / 1e6:.1f} MB "
            f"in {time.perf_counter() - t:.1f} s"
        )
        store = Store.create(root / "profile", Protection.PASSPHRASE, "benchmark passphrase 1")
        services.store_document_bytes(store, DocumentVersionId(VERSION), io.BytesIO(data))
        conn = plaintext_table(root / "plain.db", data)

        service = RenderService(store, workers=2)
        # Warm the worker and the OS page cache; neither side is measured cold.
        service.render(VERSION, 0, zoom=args.zoom).result()
        minimum_first_page(conn, len(data), args.zoom)[1].close()

        encrypted: list[float] = []
        minimum: list[float] = []
        doc = None
        for _ in range(args.reps):
            encrypted.append(service_first_page(service, args.zoom))
            seconds, opened = minimum_first_page(conn, len(data), args.zoom)
            minimum.append(seconds)
            if doc is not None:
                doc.close()
            doc = opened
        assert doc is not None

        pages = range(1, min(args.next_pages + 1, args.pages))
        next_service: list[float] = []
        next_direct: list[float] = []
        for number in pages:
            started = time.perf_counter()
            service.render(VERSION, number, zoom=args.zoom).result()
            next_service.append(time.perf_counter() - started)
            started = time.perf_counter()
            pixmap = doc[number].get_pixmap(
                matrix=pymupdf.Matrix(args.zoom, args.zoom), colorspace=pymupdf.csRGB
            )
            _ = bytes(pixmap.samples_mv)
            next_direct.append(time.perf_counter() - started)
        doc.close()
        service.close()
        store.close()
        conn.close()

    def row(name: str, ours: list[float], base: list[float], goal: str) -> None:
        a, b = statistics.median(ours), statistics.median(base)
        print(
            f"{name:<34} {a * 1000:>9.1f} {b * 1000:>9.1f} {a / b:>7.2f}x"
            f"  {min(ours) * 1000:>7.1f} {max(ours) * 1000:>7.1f}   {goal}"
        )

    print()
    print(
        f"{'median of runs (ms)':<34} {'service':>9} {'minimum':>9} {'ratio':>8}  {'min':>7} {'max':>7}   goal"
    )
    row(f"open -> page 1 pixels ({args.reps} runs)", encrypted, minimum, "<= 1.5x minimum")
    row(f"next page ({len(next_service)} pages)", next_service, next_direct, "<= 50 ms")
    p95 = sorted(next_service)[int(len(next_service) * 0.95) - 1]
    print(f"{'next page p95 (service)':<34} {p95 * 1000:>9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
