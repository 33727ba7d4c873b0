"""The search panel's texts (Vietnamese, English), registered with the translator at import."""

from ui.i18n import register

TEXTS: dict[str, tuple[str, str]] = {
    "search_title": ("Tìm kiếm", "Search"),
    "search_placeholder": (
        "Tìm trong cuộc họp, chương trình họp, ghi chú và tài liệu (gõ có dấu hoặc không dấu)",
        "Search meetings, agendas, notes and documents (with or without accents)",
    ),
    "search_box": ("Ô tìm kiếm", "Search box"),
    "search_results_list": ("Kết quả tìm kiếm", "Search results"),
    "search_count": ("{count} kết quả", "{count} results"),
    "search_count_more": (
        "Hiển thị {shown} trên {total} kết quả — thêm từ để thu hẹp",
        "Showing {shown} of {total} results — add words to narrow down",
    ),
    "search_none": (
        "Không tìm thấy kết quả nào cho “{query}”.",
        "No results for “{query}”.",
    ),
    "search_running": ("Đang tìm kiếm…", "Searching…"),
    "search_hint": (
        "Mọi từ đều phải có mặt; không phân biệt dấu và chữ hoa. "
        "Nhấn Enter để mở kết quả đang chọn.",
        "Every word must appear; accents and case are ignored. "
        "Press Enter to open the selected result.",
    ),
    "search_kind_meeting": ("Cuộc họp", "Meeting"),
    "search_kind_agenda_item": ("Nội dung", "Agenda item"),
    "search_kind_note": ("Ghi chú cá nhân", "Personal notes"),
    "search_kind_document": ("Tài liệu", "Document"),
    "search_kind_page": ("Tài liệu", "Document"),
    "search_page": ("trang {page}", "page {page}"),
}

register(TEXTS)
