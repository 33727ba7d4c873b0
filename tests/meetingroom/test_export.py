"""Export: real PDFs from a real encrypted store, exported by a spawned process,
reopened with PyMuPDF to check what other readers will find."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pymupdf as _pymupdf
import pytest

from meetingroom import services
from meetingroom.domain import (
    Annotation,
    AnnotationId,
    AnnotationKind,
    Classification,
    DocumentId,
    DocumentVersion,
    DocumentVersionId,
    UserId,
    new_id,
)
from meetingroom.errors import ExportFailed, ExportForbidden, ExportTimeout
from meetingroom.export import ExportMode, export_document
from meetingroom.store import Store

pymupdf: Any = _pymupdf

AUTHOR = UserId("u-ha")
AUTHOR_NAME = "Nguyễn Thu Hà"
PAGES = 3


def make_pdf(pages: int = PAGES) -> bytes:
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page()
        page.insert_text(
            (72, 100), f"Resolution {number + 1}: the budget is approved.", fontsize=14
        )
    data: bytes = doc.tobytes()
    doc.close()
    return data


def add_version(
    store: Store, data: bytes, classification: Classification = Classification.NORMAL
) -> DocumentVersion:
    version = DocumentVersion(
        id=DocumentVersionId(new_id()),
        document_id=DocumentId(new_id()),
        number=1,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        page_count=PAGES,
        classification=classification,
    )
    store.repos.versions.put(version)
    services.store_document_bytes(store, version.id, io.BytesIO(data))
    return version


def ann(
    version: DocumentVersion,
    kind: AnnotationKind,
    geometry: tuple[tuple[float, ...], ...],
    *,
    page: int = 0,
    text: str = "",
    colour: str = "#ff0000",
) -> Annotation:
    return Annotation(
        id=AnnotationId(new_id()),
        version_id=version.id,
        page=page,
        kind=kind,
        geometry=geometry,
        author_id=AUTHOR,
        colour=colour,
        text=text,
    )


def every_kind(version: DocumentVersion) -> list[Annotation]:
    line = ((72.0, 86.0, 300.0, 104.0),)
    return [
        ann(version, AnnotationKind.HIGHLIGHT, line, text="Quan trọng", colour="#ffd400"),
        ann(version, AnnotationKind.UNDERLINE, line, page=1, colour="#0000ff"),
        ann(version, AnnotationKind.STRIKEOUT, line, page=2, colour="#00ff00"),
        ann(
            version,
            AnnotationKind.INK,
            ((100.0, 300.0, 150.0, 350.0, 200.0, 300.0), (100.0, 400.0, 200.0, 400.0)),
            colour="#ff0000",
        ),
        ann(version, AnnotationKind.NOTE, ((400.0, 100.0, 420.0, 120.0),), text="Hỏi lại số liệu"),
        ann(
            version,
            AnnotationKind.FREETEXT,
            ((72.0, 500.0, 400.0, 540.0),),
            text="Ý kiến: đồng ý",
            colour="#000080",
        ),
    ]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The folder the user exports into (apart from the profile)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def annots_by_type(path: Path) -> dict[str, list[dict[str, Any]]]:
    doc = pymupdf.open(path)
    found: dict[str, list[dict[str, Any]]] = {}
    for page in doc:
        for annot in page.annots():
            found.setdefault(annot.type[1], []).append(
                {
                    "page": page.number,
                    "info": dict(annot.info),
                    "stroke": annot.colors.get("stroke"),
                    "vertices": annot.vertices,
                    "rect": tuple(annot.rect),
                }
            )
    doc.close()
    return found


def test_annotated_export_writes_standard_annotations_of_each_kind(store: Store, out: Path) -> None:
    version = add_version(store, make_pdf())
    dest = out / "annotated.pdf"
    result = export_document(
        store,
        version.id,
        every_kind(version),
        ExportMode.ANNOTATED,
        dest,
        authors={AUTHOR: AUTHOR_NAME},
    )
    assert result == dest
    found = annots_by_type(dest)
    assert sorted(found) == ["FreeText", "Highlight", "Ink", "StrikeOut", "Text", "Underline"]
    highlight = found["Highlight"][0]
    assert highlight["page"] == 0
    assert highlight["info"]["title"] == AUTHOR_NAME
    assert highlight["info"]["content"] == "Quan trọng"
    assert highlight["stroke"] == pytest.approx((1.0, 0.831, 0.0), abs=0.01)
    xs = [v[0] for v in highlight["vertices"]]
    ys = [v[1] for v in highlight["vertices"]]
    assert (min(xs), min(ys), max(xs), max(ys)) == pytest.approx((72, 86, 300, 104), abs=0.5)
    assert found["Underline"][0]["page"] == 1
    assert found["StrikeOut"][0]["page"] == 2
    assert found["Ink"][0]["stroke"] == pytest.approx((1.0, 0.0, 0.0))
    assert len(found["Ink"][0]["vertices"]) == 2  # two strokes
    assert found["Text"][0]["info"]["content"] == "Hỏi lại số liệu"
    assert found["FreeText"][0]["info"]["content"] == "Ý kiến: đồng ý"
    assert found["FreeText"][0]["rect"] == pytest.approx((72, 500, 400, 540), abs=0.5)
    # Only the exported file: nothing else was left in the folder.
    assert [p.name for p in dest.parent.iterdir()] == ["annotated.pdf"]


def test_flattened_export_bakes_annotations_into_the_pages(store: Store, out: Path) -> None:
    version = add_version(store, make_pdf())
    dest = out / "print.pdf"
    export_document(store, version.id, every_kind(version), ExportMode.FLATTENED, dest)
    doc = pymupdf.open(dest)
    assert sum(len(list(page.annots())) for page in doc) == 0
    assert "Ý kiến: đồng ý" in doc[0].get_text()
    # The highlight is now yellow paint under the first line.
    pixmap = doc[0].get_pixmap(clip=pymupdf.Rect(74, 88, 76, 90))
    r, g, b = pixmap.pixel(0, 0)
    assert (r > 200, g > 150, b < 100) == (True, True, True)
    assert doc[0].get_drawings()  # the ink strokes became paths
    doc.close()


@pytest.mark.parametrize("mode", list(ExportMode))
def test_watermark_is_on_every_page(store: Store, out: Path, mode: ExportMode) -> None:
    version = add_version(store, make_pdf(), Classification.CONFIDENTIAL)
    dest = out / "wm.pdf"
    watermark = "Nguyễn Thu Hà — ghế A12 — 02/12/2026"
    export_document(store, version.id, [], mode, dest, watermark=watermark)
    doc = pymupdf.open(dest)
    assert doc.page_count == PAGES
    for page in doc:
        assert watermark in " ".join(page.get_text().split())
    doc.close()


def test_the_original_in_the_store_is_never_changed(store: Store, out: Path) -> None:
    data = make_pdf()
    version = add_version(store, data)
    export_document(store, version.id, every_kind(version), ExportMode.ANNOTATED, out / "a.pdf")
    assert bytes(store.blobs.read_into_buffer(version.id)) == data


def test_deleted_annotations_and_other_versions_are_left_out(store: Store, out: Path) -> None:
    version = add_version(store, make_pdf())
    other = add_version(store, make_pdf())
    line = ((72.0, 86.0, 300.0, 104.0),)
    keep = ann(version, AnnotationKind.HIGHLIGHT, line)
    gone = ann(version, AnnotationKind.UNDERLINE, line).tombstoned()
    elsewhere = ann(other, AnnotationKind.STRIKEOUT, line)
    dest = out / "a.pdf"
    export_document(store, version.id, [keep, gone, elsewhere], ExportMode.ANNOTATED, dest)
    assert sorted(annots_by_type(dest)) == ["Highlight"]


def test_policy_can_forbid_export_of_classified_documents(store: Store, out: Path) -> None:
    version = add_version(store, make_pdf(), Classification.SECRET)
    dest = out / "secret.pdf"
    with pytest.raises(ExportForbidden, match="secret"):
        export_document(
            store,
            version.id,
            [],
            ExportMode.FLATTENED,
            dest,
            allowed=lambda level: level == Classification.NORMAL,
        )
    assert list(out.iterdir()) == []


def test_a_file_that_is_not_a_pdf_fails_cleanly_and_keeps_the_old_file(
    store: Store, out: Path
) -> None:
    version = add_version(store, b"%PDF-1.7\n" + b"\x00garbage" * 1000)
    dest = out / "broken.pdf"
    dest.write_bytes(b"the user's earlier export")
    with pytest.raises(ExportFailed, match="not a readable PDF"):
        export_document(store, version.id, [], ExportMode.ANNOTATED, dest)
    assert dest.read_bytes() == b"the user's earlier export"
    assert [p.name for p in out.iterdir()] == ["broken.pdf"]


def test_an_annotation_on_a_missing_page_is_reported(store: Store, out: Path) -> None:
    version = add_version(store, make_pdf())
    bad = ann(version, AnnotationKind.HIGHLIGHT, ((1.0, 1.0, 2.0, 2.0),), page=7)
    with pytest.raises(ExportFailed, match="page 8"):
        export_document(store, version.id, [bad], ExportMode.ANNOTATED, out / "x.pdf")
    assert list(out.iterdir()) == []


def test_a_hung_or_slow_export_is_killed_at_its_time_limit(store: Store, out: Path) -> None:
    version = add_version(store, make_pdf())
    # Far below what starting the export process takes: the limit is what ends it.
    with pytest.raises(ExportTimeout):
        export_document(store, version.id, [], ExportMode.ANNOTATED, out / "x.pdf", timeout=0.001)
    assert list(out.iterdir()) == []


def test_an_unwritable_destination_is_a_clear_error(store: Store, out: Path) -> None:
    version = add_version(store, make_pdf())
    with pytest.raises(ExportFailed, match="could not be written"):
        export_document(
            store, version.id, [], ExportMode.ANNOTATED, out / "missing-folder" / "x.pdf"
        )


def test_no_temporary_file_is_written_anywhere_else(
    store: Store, out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The decrypted document travels through a pipe: the temp folder (this
    # process's and the export process's, which inherits TMPDIR) stays empty.
    import tempfile

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    version = add_version(store, make_pdf())
    export_document(store, version.id, every_kind(version), ExportMode.FLATTENED, out / "p.pdf")
    assert list(temp.iterdir()) == []
    assert [p.name for p in out.iterdir()] == ["p.pdf"]
