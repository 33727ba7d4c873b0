"""The reader's user-visible texts (Vietnamese, English), registered at import."""

from __future__ import annotations

from ui.i18n import register

TEXTS: dict[str, tuple[str, str]] = {
    "reader_back": ("← Quay lại cuộc họp", "← Back to the meeting"),
    "reader_loading": ("Đang mở tài liệu…", "Opening the document…"),
    "reader_page_of": ("/ {count}", "/ {count}"),
    "reader_page_box": ("Trang", "Page"),
    "reader_zoom_in": ("Phóng to", "Zoom in"),
    "reader_zoom_out": ("Thu nhỏ", "Zoom out"),
    "reader_fit_width": ("Vừa chiều rộng", "Fit width"),
    "reader_fit_page": ("Vừa trang", "Fit page"),
    "reader_zoom_box": ("Tỷ lệ thu phóng", "Zoom level"),
    "reader_view": ("Nội dung tài liệu", "Document pages"),
    "reader_error_title": ("Không mở được tài liệu", "The document cannot be opened"),
    "reader_err_unreadable": (
        "Tệp PDF bị hỏng, bị cắt cụt hoặc không phải PDF, nên không hiển thị được.",
        "The PDF file is damaged, truncated or not a PDF, so it cannot be shown.",
    ),
    "reader_err_password": (
        "Tài liệu PDF được đặt mật khẩu nên không hiển thị được. Liên hệ thư ký cuộc họp.",
        "The PDF is password-protected and cannot be shown. Contact the meeting secretary.",
    ),
    "reader_err_incomplete": (
        "Tài liệu chưa tải về đầy đủ. Hãy đồng bộ rồi mở lại.",
        "The document is not fully downloaded yet. Sync, then open it again.",
    ),
    "reader_err_tampered": (
        "Dữ liệu tài liệu trên máy này không toàn vẹn (có thể đã bị sửa đổi).",
        "The document's data on this computer failed its integrity check.",
    ),
    "reader_err_failed": (
        "Bộ hiển thị PDF gặp lỗi với tài liệu này và đã được khởi động lại.",
        "The PDF renderer failed on this document and was restarted.",
    ),
    "reader_err_timeout": (
        "Tài liệu hiển thị quá lâu; bộ hiển thị đã được khởi động lại.",
        "The document took too long to display; the renderer was restarted.",
    ),
    "reader_err_other": ("Không hiển thị được tài liệu.", "The document cannot be displayed."),
    "reader_err_which": ("Tài liệu: {title}", "Document: {title}"),
    "reader_repaired": (
        "Tệp PDF bị hỏng một phần và đã được sửa tạm để hiển thị; có thể thiếu trang.",
        "The PDF was partly damaged and repaired for display; pages may be missing.",
    ),
    # tools
    "reader_tool_select": ("Chọn", "Select"),
    "reader_tool_highlight": ("Tô sáng", "Highlight"),
    "reader_tool_underline": ("Gạch chân", "Underline"),
    "reader_tool_strikeout": ("Gạch ngang", "Strikeout"),
    "reader_tool_ink": ("Vẽ tay", "Freehand ink"),
    "reader_tool_note": ("Ghi chú dán", "Sticky note"),
    "reader_tool_freetext": ("Chữ tự do", "Free text"),
    "reader_colour": ("Màu", "Colour"),
    "reader_colour_yellow": ("Vàng", "Yellow"),
    "reader_colour_green": ("Xanh lá", "Green"),
    "reader_colour_blue": ("Xanh dương", "Blue"),
    "reader_colour_pink": ("Hồng", "Pink"),
    "reader_colour_red": ("Đỏ", "Red"),
    "reader_undo": ("Hoàn tác", "Undo"),
    "reader_redo": ("Làm lại", "Redo"),
    "reader_delete": ("Xóa chú thích", "Delete annotation"),
    "reader_share": ("Chia sẻ với cuộc họp", "Share with this meeting"),
    "reader_edit_text": ("Sửa nội dung…", "Edit text…"),
    "reader_note_prompt": ("Nội dung ghi chú:", "Note text:"),
    "reader_copy": ("Sao chép", "Copy"),
    "reader_copy_forbidden": (
        "Chính sách bảo mật không cho phép sao chép nội dung tài liệu này.",
        "Copying from this document is not allowed by policy.",
    ),
    "reader_copied": ("Đã sao chép đoạn văn bản.", "The text was copied."),
    "reader_highlight_selection": ("Tô sáng đoạn đã chọn", "Highlight the selection"),
    "reader_saved": ("Đã lưu chú thích", "Annotation saved"),
    # kinds (panel)
    "reader_kind_highlight": ("Tô sáng", "Highlight"),
    "reader_kind_underline": ("Gạch chân", "Underline"),
    "reader_kind_strikeout": ("Gạch ngang", "Strikeout"),
    "reader_kind_ink": ("Nét vẽ tay", "Ink"),
    "reader_kind_note": ("Ghi chú", "Note"),
    "reader_kind_freetext": ("Chữ tự do", "Free text"),
    "reader_panel": ("Chú thích", "Annotations"),
    "reader_panel_row": ("Trang {page} · {kind}", "Page {page} · {kind}"),
    "reader_panel_shared": ("đã chia sẻ", "shared"),
    "reader_panel_by_other": ("của người khác", "by someone else"),
    "reader_panel_empty": ("Chưa có chú thích nào.", "No annotations yet."),
    # sidebar
    "reader_thumbnails": ("Trang", "Pages"),
    "reader_outline": ("Mục lục", "Outline"),
    "reader_outline_empty": ("Tài liệu không có mục lục.", "The document has no outline."),
    "reader_thumb_page": ("Trang {page}", "Page {page}"),
    # search
    "reader_search": ("Tìm trong tài liệu…", "Search in the document…"),
    "reader_search_next": ("Kết quả sau", "Next match"),
    "reader_search_prev": ("Kết quả trước", "Previous match"),
    "reader_search_count": ("{current}/{total}", "{current}/{total}"),
    "reader_search_none": ("Không tìm thấy", "Not found"),
    "reader_search_busy": ("Đang tìm…", "Searching…"),
    # versions, watermark, export
    "reader_older_has_notes": (
        "Chú thích của bạn nằm ở phiên bản {number} cũ hơn của tài liệu này.",
        "Your annotations are on the older version {number} of this document.",
    ),
    "reader_open_older": ("Mở phiên bản {number}", "Open version {number}"),
    "reader_viewing_older": (
        "Bạn đang xem phiên bản {number}; phiên bản hiện hành là {current}.",
        "You are viewing version {number}; the current version is {current}.",
    ),
    "reader_open_current": ("Mở phiên bản hiện hành", "Open the current version"),
    "reader_older_badge_tip": (
        "Phiên bản cũ hơn có chú thích của bạn — mở tài liệu để xem.",
        "An older version has your annotations — open the document to see them.",
    ),
    "reader_watermark": ("{name} · Ghế {seat} · {date}", "{name} · Seat {seat} · {date}"),
    "reader_watermark_noseat": ("{name} · {date}", "{name} · {date}"),
    "reader_export": ("Xuất…", "Export…"),
    "reader_export_forbidden": (
        "Chính sách không cho phép xuất tài liệu này.",
        "Exporting this document is not allowed by policy.",
    ),
    "reader_export_done": ("Đã xuất tài liệu ra {path}", "The document was exported to {path}"),
    "reader_export_mode": ("Cách xuất", "Export mode"),
    "reader_export_annotated": (
        "Bản sao kèm chú thích (sửa được)",
        "A copy with annotations (editable)",
    ),
    "reader_export_flattened": ("Bản in (chú thích cố định)", "For printing (flattened)"),
    "reader_goto": ("Đi tới trang", "Go to page"),
    "reader_document_no_version": (
        "Tài liệu này chưa có phiên bản nào để mở.",
        "This document has no version to open yet.",
    ),
}

register(TEXTS)
