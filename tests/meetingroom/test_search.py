"""Global search: page text extracted by real PDF workers, sealed in a real store,
searched accent-insensitively from memory."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetingroom import services
from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import DocumentVersionId, UserId
from meetingroom.errors import StoreLocked, Tampered
from meetingroom.pdf import RenderService, TimeLimits
from meetingroom.search import (
    ResultKind,
    SearchIndex,
    fold,
    index_pending,
    pagetext,
    pending_versions,
    term_pattern,
)
from meetingroom.store import Store
from tests.meetingroom.search_sample import Sample, add_document, fill, make_pdf

USER = UserId("u-delegate")


@pytest.fixture
def render(store: Store) -> Iterator[RenderService]:
    limits = TimeLimits(startup=30, open=20, render=20, search=20, text=20)
    service = RenderService(store, workers=1, limits=limits)
    yield service
    service.close()


@pytest.fixture
def sample(store: Store) -> Sample:
    return fill(store, USER)


@pytest.fixture
def indexed(store: Store, sample: Sample, render: RenderService) -> Sample:
    report = index_pending(store, render)
    assert sorted(report.indexed) == sorted(
        [sample.resolution_version.id, sample.report_version.id]
    )
    return sample


# -- folding -------------------------------------------------------------------------


def test_fold_drops_vietnamese_diacritics_case_and_extra_spaces() -> None:
    assert fold("Nghị quyết") == "nghi quyet"
    assert fold("  ĐẢNG bộ\n tỉnh ") == "dang bo tinh"
    assert fold("Ủy ban nhân dân tỉnh") == "uy ban nhan dan tinh"
    # Already-decomposed input folds the same as precomposed input.
    assert fold("Nghi\u0323 quye\u0302\u0301t") == "nghi quyet"


# Latin letters with their diacritics (Vietnamese among them), loose combining
# marks and whitespace: what meeting documents are written in.
LATIN_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x24F),
        st.characters(min_codepoint=0x1E00, max_codepoint=0x1EFF),
        st.characters(min_codepoint=0x300, max_codepoint=0x36F),
        st.sampled_from(" \n\t"),
    )
)


@settings(deadline=None)  # no timing in tests: a loaded machine is not a failure
@given(LATIN_TEXT)
def test_every_folded_word_is_found_again_in_the_original_text(text: str) -> None:
    for word in fold(text).split()[:5]:
        found = term_pattern((word,)).search(text)
        if found is None:
            # Only letters whose fold is longer than one character (ß -> ss) may be missed.
            assert any(len(fold(c)) > 1 for c in text)
        else:
            assert fold(found.group()) == word


def test_term_pattern_finds_vietnamese_words_as_written() -> None:
    text = "Thông qua NGHỊ QUYẾT về ngân sách; nghi\u0323 quye\u0302\u0301t (decomposed)."
    found = [m.group() for m in term_pattern(("nghi", "quyet")).finditer(text)]
    assert found == ["NGHỊ", "QUYẾT", "nghi\u0323", "quye\u0302\u0301t"]


# -- indexing --------------------------------------------------------------------------


def test_page_text_is_sealed_and_bound_to_its_version_and_page(
    store: Store, indexed: Sample
) -> None:
    version = indexed.resolution_version.id
    texts = pagetext.load_version(store, version)
    assert "Điều 1" in " ".join(texts[1].split())
    raw = store.path.read_bytes()
    for wal in store.directory.glob("*-wal"):
        raw += wal.read_bytes()
    for secret in ("Điều", "ngân sách", "NGHỊ QUYẾT", "Tổng thu"):
        assert secret.encode() not in raw
    # A page's ciphertext moved to another page does not decrypt.
    with store.atomic() as db:
        sealed = db.execute(
            'SELECT "content" FROM "page_text" WHERE "version_id" = ? AND "page" = 0', [version]
        ).fetchone()[0]
        db.execute(
            'UPDATE "page_text" SET "content" = ? WHERE "version_id" = ? AND "page" = 1',
            [sealed, version],
        )
    with pytest.raises(Tampered):
        pagetext.load_version(store, version)


def test_indexing_is_done_once_and_picks_up_new_documents(
    store: Store, indexed: Sample, render: RenderService
) -> None:
    assert pending_versions(store) == []
    assert index_pending(store, render).indexed == []
    _, version = add_document(
        store, indexed.meeting.id, "Tờ trình", ["Tờ trình về biểu quyết nhân sự"], 3
    )
    assert pending_versions(store) == [version.id]
    report = index_pending(store, render)
    assert report.indexed == [version.id]
    assert report.pages == 1


def test_a_pdf_that_does_not_open_is_recorded_as_failed_not_retried(
    store: Store, sample: Sample, render: RenderService
) -> None:
    document, version = add_document(store, sample.meeting.id, "Hỏng", ["x"], 4)
    services.store_document_bytes(store, DocumentVersionId("broken"), io.BytesIO(b"not a pdf"))
    broken = dataclasses.replace(version, id=DocumentVersionId("broken"))
    services.save(store, broken, document.touched(current_version_id=broken.id))
    report = index_pending(store, render)
    assert report.failed == ["broken"]
    assert "broken" not in pending_versions(store)
    assert index_pending(store, render).failed == []


def test_versions_without_downloaded_bytes_wait(store: Store, sample: Sample) -> None:
    document, version = add_document(store, sample.meeting.id, "Sau", ["y"], 5)
    missing = dataclasses.replace(version, id=DocumentVersionId("not-downloaded"))
    services.save(store, missing, document.touched(current_version_id=missing.id))
    assert "not-downloaded" not in pending_versions(store)


def test_a_locked_store_stops_indexing_quietly(
    store: Store, sample: Sample, render: RenderService
) -> None:
    store.lock()
    report = index_pending(store, render)
    assert report.interrupted
    assert report.indexed == []


def test_purging_a_meeting_removes_its_page_text(store: Store, indexed: Sample) -> None:
    services.purge_meeting(store, indexed.meeting.id)
    with store.reading() as db:
        for table in ("page_text", "page_text_done"):
            assert db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == 0


def test_purging_one_document_removes_only_its_page_text(store: Store, indexed: Sample) -> None:
    services.apply_remote(store, [], purge=[("document", indexed.report.id)])
    assert pagetext.load_version(store, indexed.report_version.id) == {}
    assert pagetext.load_version(store, indexed.resolution_version.id)


def test_new_bytes_for_a_version_drop_its_old_text(store: Store, indexed: Sample) -> None:
    version = indexed.report_version
    changed = dataclasses.replace(version, sha256="0" * 64, rev=(version.rev or 0) + 5)
    store.outbox.drop("document_versions", [version.id])
    services.apply_remote(store, [changed])
    assert pagetext.load_version(store, version.id) == {}
    assert version.id not in pagetext.done_versions(store)


# -- searching --------------------------------------------------------------------------


def test_unaccented_query_finds_pages_agenda_meeting_and_notes(
    store: Store, indexed: Sample
) -> None:
    outcome = SearchIndex(USER).search(store, "nghi quyet")
    kinds = [r.kind for r in outcome.results]
    assert kinds == sorted(kinds, key=list(ResultKind).index)  # grouped, meetings first
    pages = [(r.version_id, r.page) for r in outcome.results if r.kind is ResultKind.PAGE]
    assert pages == [
        (indexed.resolution_version.id, 0),
        (indexed.resolution_version.id, 2),
    ]
    agenda = [r.entity_id for r in outcome.results if r.kind is ResultKind.AGENDA_ITEM]
    assert agenda == [indexed.agenda[1].id]
    titles = [r for r in outcome.results if r.kind is ResultKind.DOCUMENT]
    assert [(r.version_id, r.page) for r in titles] == [(indexed.resolution_version.id, 0)]
    hit = next(r for r in outcome.results if r.kind is ResultKind.PAGE and r.page == 2)
    assert hit.meeting_id == indexed.meeting.id
    assert hit.meeting_title == indexed.meeting.title
    assert hit.title == "Dự thảo Nghị quyết hội nghị"
    marked = [hit.snippet[a:b] for a, b in hit.highlights]
    assert marked == ["nghị", "quyết"]
    assert outcome.total == len(outcome.results)


def test_every_word_must_match_on_the_same_page(store: Store, indexed: Sample) -> None:
    index = SearchIndex(USER)
    hits = index.search(store, "Ngan sach 2027").results
    assert [(r.kind, r.page) for r in hits] == [(ResultKind.AGENDA_ITEM, -1), (ResultKind.PAGE, 1)]
    page = hits[1]
    marked = [page.snippet[a:b] for a, b in page.highlights]
    assert set(marked) == {"ngân", "sách", "2027"}
    assert index.search(store, "nghi quyet tang truong").results == ()
    assert index.search(store, "   ").results == ()


def test_only_the_users_own_notes_are_searched(store: Store, indexed: Sample) -> None:
    hits = SearchIndex(USER).search(store, "ngan sach").results
    notes = [r.entity_id for r in hits if r.kind is ResultKind.NOTE]
    assert notes == [indexed.note.id]


def test_the_index_follows_edits_and_deletes(store: Store, indexed: Sample) -> None:
    index = SearchIndex(USER)
    assert index.search(store, "bieu quyet").results == ()
    services.save(store, indexed.note.touched(text="Đề nghị biểu quyết công khai"))
    assert [r.kind for r in index.search(store, "bieu quyet").results] == [ResultKind.NOTE]
    services.delete(store, indexed.report)
    assert index.search(store, "tang truong").results == ()


def test_a_damaged_page_text_is_skipped_not_fatal(store: Store, indexed: Sample) -> None:
    with store.atomic() as db:
        db.execute(
            'UPDATE "page_text" SET "content" = zeroblob(60) WHERE "version_id" = ?',
            [indexed.report_version.id],
        )
    hits = SearchIndex(USER).search(store, "nghi quyet").results
    assert any(r.kind is ResultKind.PAGE for r in hits)


def test_a_locked_store_refuses_search_and_drops_the_index(store: Store, indexed: Sample) -> None:
    index = SearchIndex(USER)
    assert index.search(store, "nghi quyet").results
    store.lock()
    with pytest.raises(StoreLocked):
        index.search(store, "nghi quyet")
    assert index._entries == []
    assert index._pages == {}


def test_results_are_limited_but_counted(store: Store, indexed: Sample) -> None:
    outcome = SearchIndex(USER).search(store, "hoi", limit=2)
    assert len(outcome.results) == 2
    assert outcome.total > 2


def test_make_pdf_sample_has_real_text(tmp_path: Path) -> None:
    # Guard for the fixtures above: the Vietnamese text is real, extractable text.
    from tests.meetingroom.search_sample import pymupdf

    doc = pymupdf.open(stream=make_pdf(["Nghị quyết"]), filetype="pdf")
    assert "Nghị quyết" in doc[0].get_text()


def test_changes_written_by_another_connection_are_seen(
    store: Store, indexed: Sample, device_secrets: DeviceSecrets
) -> None:
    # As when a headless `meetingroom sync` in another process writes the profile.
    index = SearchIndex(USER)
    assert index.search(store, "phien hop bat thuong").results == ()
    other = Store.open(store.directory, device_secrets=device_secrets)
    other.unlock()
    try:
        services.save(other, indexed.note.touched(text="Đề xuất phiên họp bất thường"))
    finally:
        other.close()
    assert [r.kind for r in index.search(store, "phien hop bat thuong").results] == [
        ResultKind.NOTE
    ]


def test_load_fills_the_index_ahead_of_the_first_search(store: Store, indexed: Sample) -> None:
    index = SearchIndex(USER)
    index.load(store)
    assert {v for v in index._pages} == {
        indexed.resolution_version.id,
        indexed.report_version.id,
    }
    assert index._entries
