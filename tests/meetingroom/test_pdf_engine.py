"""The PDF engine: real PDFs in a real encrypted store, rendered in worker processes.

One module-scoped service (spawned workers cost about half a second each to
start) serves most tests; the few that need their own worker or store say so.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pymupdf as _pymupdf
import pytest

from meetingroom import services
from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import DocumentVersionId
from meetingroom.errors import (
    DocumentPasswordProtected,
    DocumentUnreadable,
    IncompleteDocument,
    PageOutOfRange,
    RenderFailed,
    RenderServiceClosed,
    RenderTimeout,
    StoreLocked,
    Tampered,
)
from meetingroom.pdf import RenderService, TimeLimits
from meetingroom.store import Store
from meetingroom.store.blobs import ChunkSource
from tests.conftest import configure_file_keyring, reset_keyring

pymupdf: Any = _pymupdf  # partially annotated upstream

MARKER = "PLAINTEXTMARKER7Q"
PAGES = 6


def make_pdf(pages: int = PAGES, *, tag: str = "") -> bytes:
    """Return a multi-page PDF with text on every page and an outline."""
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), f"Nghị quyết số {number + 1} {MARKER}{tag}", fontsize=14)
        page.insert_text((72, 110), f"Agenda item {number + 1}: budget review", fontsize=12)
        if number == 3:
            page.insert_text((72, 150), "The quorum was reached.", fontsize=12)
        page.draw_rect(pymupdf.Rect(60, 200, 300, 320), color=(0.8, 0.1, 0.1), fill=(0.2, 0.4, 0.9))
    doc.set_toc([[1, "Opening", 1], [2, "Budget", 2], [1, "Votes", 4]])
    data: bytes = doc.tobytes()
    doc.close()
    return data


def make_password_pdf() -> bytes:
    doc = pymupdf.open(stream=make_pdf(2), filetype="pdf")
    data: bytes = doc.tobytes(
        encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret-user", owner_pw="secret-owner"
    )
    doc.close()
    return data


def put(store: Store, version_id: str, data: bytes) -> None:
    services.store_document_bytes(store, DocumentVersionId(version_id), io.BytesIO(data))


def direct_render(data: bytes, page: int, scale: float) -> Any:
    doc = pymupdf.open(stream=data, filetype="pdf")
    pixmap = doc[page].get_pixmap(matrix=pymupdf.Matrix(scale, scale), colorspace=pymupdf.csRGB)
    doc.close()
    return pixmap


GOOD = make_pdf()
SECOND = make_pdf(3, tag="B")


@pytest.fixture(scope="module")
def module_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """An encrypted store (device protection, file keyring) holding the test documents."""
    root = tmp_path_factory.mktemp("pdfstore")
    saved = {k: os.environ.get(k) for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME")}
    os.environ.update(configure_file_keyring(root / "keyring"))
    reset_keyring()
    store = Store.create(
        root / "profile", device_secrets=DeviceSecrets(allow_insecure_backend=True)
    )
    for key, value in saved.items():  # the store is unlocked; the keyring is no longer needed
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    reset_keyring()
    put(store, "good", GOOD)
    put(store, "second", SECOND)
    put(store, "crashy", make_pdf(2, tag="C"))
    put(store, "hangy", make_pdf(2, tag="H"))
    put(store, "password", make_password_pdf())
    put(store, "truncated", GOOD[: len(GOOD) // 3])  # MuPDF repairs it; pages are gone
    put(store, "stub", GOOD[:300])  # truncated before anything usable
    put(store, "random", os.urandom(20_000))
    put(store, "empty", b"")
    store.blobs.writer("partial", expected_size=10 * 1024 * 1024).write(b"%PDF-1.7\n" * 1000)
    yield store
    store.close()


@pytest.fixture(scope="module")
def service(module_store: Store) -> Iterator[RenderService]:
    limits = TimeLimits(startup=30, open=15, render=15, search=15, text=15)
    svc = RenderService(module_store, workers=2, limits=limits, allow_test_requests=True)
    yield svc
    svc.close()


def result(future: Future[Any], timeout: float = 30) -> Any:
    return future.result(timeout=timeout)


# -- reading ------------------------------------------------------------------------


def test_open_returns_page_count_sizes_and_outline(service: RenderService) -> None:
    info = result(service.open("good"))
    assert info.page_count == PAGES
    assert info.page_sizes == ((595.0, 842.0),) * PAGES
    assert [(e.level, e.title, e.page) for e in info.outline] == [
        (1, "Opening", 0),
        (2, "Budget", 1),
        (1, "Votes", 3),
    ]
    assert not info.repaired
    assert service.info("good") == info


def test_render_matches_pymupdf_directly(service: RenderService) -> None:
    page = result(service.render("good", 0, zoom=1.5))
    expected = direct_render(GOOD, 0, 1.5)
    assert (page.width, page.height, page.stride, page.channels) == (
        expected.width,
        expected.height,
        expected.stride,
        expected.n,
    )
    assert page.samples == expected.samples
    assert len(page.samples) == page.stride * page.height


def test_render_by_width_and_device_pixel_ratio(service: RenderService) -> None:
    result(service.open("second"))
    page = result(service.render("second", 1, width_px=400, device_pixel_ratio=2.0))
    assert page.width == pytest.approx(800, abs=4)
    assert page.scale == pytest.approx(800 / 595, abs=0.01)
    rgba = result(service.render("second", 1, zoom=0.5, alpha=True))
    assert rgba.channels == 4
    assert rgba.stride == rgba.width * 4


def test_search_finds_word_on_its_page(service: RenderService) -> None:
    hits = result(service.search("good", "quorum"))
    assert [h.page for h in hits] == [3]
    x0, y0 = hits[0].quads[0][0], hits[0].quads[0][1]
    assert 60 < x0 < 200
    assert 130 < y0 < 160
    assert {h.page for h in result(service.search("good", "budget"))} == set(range(PAGES))
    assert result(service.search("good", "absent-word")) == []
    assert result(service.search("good", "  ")) == []


def test_page_text_has_words_with_boxes(service: RenderService) -> None:
    text = result(service.page_text("good", 3))
    assert "quorum" in text.text
    words = {w.text: w for w in text.words}
    assert "quorum" in words
    x0, y0, x1, y1 = words["quorum"].rect
    assert x0 < x1
    assert y0 < y1


def test_render_cache_hits_and_is_bounded(service: RenderService) -> None:
    first = result(service.render("good", 2, zoom=1.0))
    hits = service.pages.hits
    again = service.render("good", 2, zoom=1.004)  # same zoom bucket
    assert again.done()
    assert again.result() is first
    assert service.pages.hits == hits + 1
    assert service.pages.bytes_used <= service.pages.budget


def test_thumbnails_are_cached_separately(service: RenderService) -> None:
    result(service.open("good"))
    thumb = result(service.thumbnail("good", 0, width_px=100))
    assert thumb.width == pytest.approx(100, abs=2)
    assert service.thumbnail("good", 0, width_px=100).done()
    assert any(key[0] == "good" for key in service.thumbnails._items)
    assert all(value.width > 200 for value in service.pages._items.values())


def test_byte_budget_evicts_least_recently_used(module_store: Store) -> None:
    from meetingroom.pdf.cache import ByteBudgetLRU
    from meetingroom.pdf.types import RenderedPage

    def page(n: int) -> RenderedPage:
        return RenderedPage("v", n, 1.0, 10, 10, 30, 3, bytes(300))

    cache: ByteBudgetLRU[int, RenderedPage] = ByteBudgetLRU(1000)
    for n in range(3):
        cache.put(n, page(n))
    assert cache.get(0) is not None  # 0 is now the most recently used
    cache.put(3, page(3))
    assert cache.get(1) is None
    assert cache.get(0) is not None
    assert cache.bytes_used == 900
    cache.put(9, RenderedPage("v", 9, 1.0, 10, 10, 300, 3, bytes(3000)))
    assert cache.get(9) is None  # bigger than the budget: not kept


# -- bad documents --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version_id", "error"),
    [
        ("password", DocumentPasswordProtected),
        ("stub", DocumentUnreadable),
        ("random", DocumentUnreadable),
        ("empty", DocumentUnreadable),
        ("partial", IncompleteDocument),
        ("never-stored", IncompleteDocument),
    ],
)
def test_bad_documents_give_typed_errors(
    service: RenderService, version_id: str, error: type[Exception]
) -> None:
    with pytest.raises(error) as caught:
        result(service.open(version_id))
    assert version_id in str(caught.value)
    with pytest.raises(error):
        result(service.render(version_id, 0))
    assert result(service.render("good", 0, zoom=0.25)).width > 0  # the engine carries on


def test_truncated_document_opens_repaired_or_fails_typed(service: RenderService) -> None:
    # MuPDF rebuilds what it can of a truncated file: the reader must say
    # "repaired" and each page either renders or fails with a typed error.
    info = result(service.open("truncated"))
    assert info.repaired
    outcomes = []
    for page in range(info.page_count):
        try:
            outcomes.append(result(service.render("truncated", page, zoom=0.3)).width > 0)
        except DocumentUnreadable as exc:
            outcomes.append(exc.version_id == "truncated")
    assert all(outcomes)


def test_page_out_of_range(service: RenderService) -> None:
    with pytest.raises(PageOutOfRange) as caught:
        result(service.render("good", PAGES))
    assert caught.value.page_count == PAGES


def test_tampered_chunk_is_reported(module_store: Store, tmp_path: Path) -> None:
    source = ChunkSource(module_store.path, module_store.data_key_for_worker())
    manifest = source.manifest("good")
    out = bytearray(manifest.size)
    source.read_into("good", manifest, memoryview(out))
    assert bytes(out) == GOOD
    with pytest.raises(Tampered):
        source.read_into("second", manifest, memoryview(out))  # wrong manifest for it
    wrong = ChunkSource(module_store.path, os.urandom(32))
    with pytest.raises(Tampered):
        wrong.manifest("good")
    source.close()
    wrong.close()


# -- crashes, hangs, cancelling -----------------------------------------------------------


def test_crash_restarts_worker_and_names_document(service: RenderService) -> None:
    result(service.open("crashy"))
    before = set(service.worker_pids())
    with pytest.raises(RenderFailed) as caught:
        result(service._test_crash("crashy"))
    assert caught.value.version_id == "crashy"
    assert "crashy" in str(caught.value)
    page = result(service.render("crashy", 1, zoom=0.5))  # reopened on the new worker
    assert page.width > 0
    assert set(service.worker_pids()) != before


def test_hang_is_killed_after_time_limit(service: RenderService) -> None:
    result(service.open("hangy"))
    started = time.monotonic()
    with pytest.raises(RenderTimeout) as caught:
        result(service._test_sleep("hangy", 60, time_limit=1.0))
    # Not a speed check: a worker left running would take the full 60 s.
    assert time.monotonic() - started < 45
    assert caught.value.version_id == "hangy"
    assert result(service.render("hangy", 0, zoom=0.5)).width > 0


def test_queue_is_newest_first_and_cancellable(service: RenderService) -> None:
    result(service.open("second"))
    busy = service._test_sleep("second", 1.0, time_limit=10)
    time.sleep(0.2)  # let the worker take the sleep
    order: list[int] = []
    futures = []
    for page in range(3):
        future = service.render("second", page, zoom=0.31 + page / 100)
        future.add_done_callback(lambda _f, n=page: order.append(n))  # type: ignore[misc]
        futures.append(future)
    stale = service.render("second", 0, zoom=0.77)
    assert service.cancel(stale.request_id)
    assert stale.cancelled()
    assert not service.cancel(stale.request_id)
    result(busy)
    for future in futures:
        result(future)
    assert order == [2, 1, 0]


def test_cancel_pending_drops_a_documents_queue(service: RenderService) -> None:
    busy = service._test_sleep("second", 0.8, time_limit=10)
    time.sleep(0.2)
    queued = [service.render("second", p, zoom=0.4) for p in range(3)]
    assert service.cancel_pending("second") == 3
    assert all(f.cancelled() for f in queued)
    result(busy)


def wait_until_taken(service: RenderService) -> None:
    """Return once every queued request is in a worker (the queue is empty)."""
    deadline = time.monotonic() + 30
    while any(slot.queued for slot in service._slots) and time.monotonic() < deadline:
        time.sleep(0.005)


def test_prefetches_wait_for_pages_in_view_and_thumbnails_for_both(service: RenderService) -> None:
    result(service.open("second"))
    busy = service._test_sleep("second", 0.5, time_limit=10)
    wait_until_taken(service)  # what follows queues behind the sleeping worker
    order: list[str] = []

    def track(future: Future[Any], name: str) -> None:
        future.add_done_callback(lambda _f: order.append(name))

    track(service.render("second", 0, zoom=0.52, prefetch=True), "prefetch 0")
    track(service.thumbnail("second", 1, width_px=53), "thumbnail 1")
    track(service.render("second", 2, zoom=0.52), "page 2")
    track(service.render("second", 1, zoom=0.52, prefetch=True), "prefetch 1")
    track(service.render("second", 1, zoom=0.52), "page 1")
    result(busy)
    deadline = time.monotonic() + 30
    while len(order) < 5 and time.monotonic() < deadline:
        time.sleep(0.005)
    # Pages in view first, then prefetches, then thumbnails; newest first within each.
    assert order == ["page 1", "page 2", "prefetch 1", "prefetch 0", "thumbnail 1"]


def test_one_document_at_a_time_needs_one_worker(module_store: Store) -> None:
    with RenderService(module_store, workers=2) as svc:
        for version_id in ("good", "second", "good"):
            assert result(svc.render(version_id, 0, zoom=0.3)).width > 0
            result(svc.close_document(version_id))
        assert len(svc.worker_pids()) == 1
        result(svc.render("good", 1, zoom=0.3))
        # A second document open at the same time gets the second worker, started now.
        assert result(svc.render("second", 1, zoom=0.3)).width > 0
        assert len(svc.worker_pids()) == 2
        assert result(svc.close_document("never-opened")) is None


def anonymous_mb(pid: int) -> float:
    """Return the private (anonymous) resident memory of ``pid`` in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no RssAnon")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_closing_a_document_frees_its_bytes_in_the_worker(store: Store) -> None:
    doc = pymupdf.open()
    for _ in range(12):  # incompressible images: a document of about 18 MB
        page = doc.new_page()
        pixmap = pymupdf.Pixmap(pymupdf.csRGB, 700, 700, os.urandom(700 * 700 * 3), False)
        page.insert_image(page.rect, pixmap=pixmap)
    data: bytes = doc.tobytes(deflate=True)
    doc.close()
    put(store, "big", data)
    size_mb = len(data) / 1e6
    with RenderService(store, workers=1, page_cache_bytes=0) as svc:
        result(svc.open("big"))
        result(svc.close_document("big"))
        pid = svc.worker_pids()[0]
        closed = anonymous_mb(pid)
        for _ in range(4):
            result(svc.open("big"))  # open reads every page: pages and document in cycles
            result(svc.close_document("big"))
        # Without a collection at close, each reopen kept another copy of the bytes.
        assert anonymous_mb(pid) - closed < size_mb


def test_test_requests_are_refused_by_default_and_key_stays_off_argv_env(
    store: Store,
) -> None:
    put(store, "doc", make_pdf(2))
    key = bytes(store.data_key_for_worker())
    with RenderService(store, workers=1) as svc:
        assert result(svc.render("doc", 0, zoom=0.5)).width > 0
        with pytest.raises(RenderFailed):
            result(svc._test_crash("doc"))
        assert svc.restarts == 0
        for pid in svc.worker_pids():
            for name in ("cmdline", "environ"):
                raw = Path(f"/proc/{pid}/{name}").read_bytes()
                assert key not in raw
                assert key.hex().encode() not in raw
                assert key.hex().upper().encode() not in raw
    with pytest.raises(RenderServiceClosed):
        result(svc.render("doc", 1))


def test_lock_zeroes_the_raw_key_and_stops_new_services(store: Store) -> None:
    raw = store._data_key
    assert raw is not None
    assert any(raw)
    store.lock()
    assert raw == bytearray(32)
    with pytest.raises(StoreLocked):
        store.data_key_for_worker()
    with pytest.raises(StoreLocked):
        RenderService(store)


def test_no_plaintext_temp_file(service: RenderService, module_store: Store) -> None:
    started = time.time() - 1
    put(module_store, "fresh", make_pdf(3, tag="T"))
    result(service.open("fresh"))
    result(service.render("fresh", 2, zoom=1.0))
    result(service.search("fresh", "quorum"))
    result(service.close_document("fresh"))
    needle = MARKER.encode()
    offenders = []
    for root, _dirs, files in os.walk(tempfile.gettempdir()):
        for name in files:
            path = Path(root, name)
            try:
                stat = path.stat()
                if stat.st_mtime < started or stat.st_size > 200 * 1024 * 1024:
                    continue
                if needle in path.read_bytes():
                    offenders.append(path)
            except OSError:
                continue
    assert offenders == []
