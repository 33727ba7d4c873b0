"""Strings of prepare mode (key -> (Vietnamese, English)), registered at import.

``message_for`` words the core's prepare errors in the user's language.
"""

from __future__ import annotations

from meetingroom import errors
from ui.i18n import EN, Translator, register

TEXTS: dict[str, tuple[str, str]] = {
    # screen
    "prep_back": ("← Quay lại", "← Back"),
    "prep_new_meeting": ("Cuộc họp mới", "New meeting"),
    "prep_publish": ("Phát hành", "Publish"),
    "prep_reopen": ("Mở lại", "Reopen"),
    "prep_unpublish": ("Hủy phát hành", "Unpublish"),
    "prep_close_meeting": ("Kết thúc cuộc họp", "Close meeting"),
    "prep_status_now": ("Trạng thái: {status}", "Status: {status}"),
    "prep_tab_meeting": ("Cuộc họp và thành phần", "Meeting and participants"),
    "prep_tab_agenda": ("Chương trình họp", "Agenda"),
    "prep_tab_documents": ("Tài liệu họp", "Documents"),
    "prep_tab_seating": ("Sơ đồ chỗ ngồi", "Seating chart"),
    "prep_tab_preview": ("Xem như đại biểu", "Preview as delegate"),
    "prep_confirm_title": ("Xác nhận", "Confirm"),
    "prep_conflicts": (
        "{n} thay đổi trùng với thay đổi khác trên máy chủ (cùng một mục). Hãy xem và quyết định.",
        "{n} change(s) clashed with another edit of the same field on the server. "
        "Review them and decide.",
    ),
    "prep_conflicts_review": ("Xem xung đột…", "Review conflicts…"),
    # meeting
    "prep_meeting_details": ("Thông tin cuộc họp", "Meeting details"),
    "prep_field_title": ("Tên cuộc họp", "Title"),
    "prep_field_starts": ("Bắt đầu", "Starts"),
    "prep_field_ends": ("Kết thúc", "Ends"),
    "prep_field_location": ("Phòng họp", "Room"),
    "prep_field_classification": ("Độ mật", "Classification"),
    "prep_field_description": ("Ghi chú", "Description"),
    "prep_save": ("Lưu", "Save"),
    "prep_saved": (
        "Đã lưu trên máy này; sẽ đồng bộ khi có mạng.",
        "Saved on this computer; it syncs when a network is there.",
    ),
    "prep_participants": ("Thành phần tham dự", "Participants"),
    "prep_directory": ("Danh bạ người dùng", "User directory"),
    "prep_directory_filter": ("Lọc theo tên…", "Filter by name…"),
    "prep_directory_empty": (
        "Danh bạ chưa được tải về. Hãy đồng bộ khi có mạng.",
        "The directory has not been downloaded yet. Sync when a network is there.",
    ),
    "prep_add_participants": ("Thêm vào cuộc họp →", "Add to meeting →"),
    "prep_remove_participant": ("Bỏ khỏi cuộc họp", "Remove from meeting"),
    "prep_col_name": ("Họ và tên", "Name"),
    "prep_col_role": ("Vai trò", "Role"),
    "prep_col_clearance": ("Độ mật được xem", "Clearance"),
    # agenda
    "prep_agenda_tree": ("Chương trình họp", "Agenda"),
    "prep_agenda_col_title": ("Nội dung", "Item"),
    "prep_agenda_col_presenter": ("Người trình bày", "Presenter"),
    "prep_agenda_col_minutes": ("Thời lượng (phút)", "Planned (min)"),
    "prep_minutes": ("{n} phút", "{n} min"),
    "prep_agenda_sum_tip": (
        "Tổng thời lượng các nội dung con (khi nội dung này không tự đặt thời lượng)",
        "Sum of the sub-items (when this item has no time of its own)",
    ),
    "prep_agenda_total": (
        "Tổng thời lượng dự kiến: {n} phút ({h} giờ {m} phút)",
        "Total planned time: {n} min ({h} h {m} min)",
    ),
    "prep_agenda_keys": (
        "Kéo thả để sắp xếp. Phím: Ctrl+↑/↓ di chuyển, Tab/Shift+Tab lùi vào/ra, "
        "F2 sửa, Del xóa, Insert thêm, Ctrl+Tab rời danh sách.",
        "Drag and drop to reorder. Keys: Ctrl+Up/Down move, Tab/Shift+Tab nest/unnest, "
        "F2 edit, Del remove, Insert add, Ctrl+Tab leave the list.",
    ),
    "prep_agenda_add": ("Thêm nội dung", "Add item"),
    "prep_agenda_add_sub": ("Thêm nội dung con", "Add sub-item"),
    "prep_agenda_up": ("Lên", "Up"),
    "prep_agenda_down": ("Xuống", "Down"),
    "prep_agenda_indent": ("Lùi vào", "Nest"),
    "prep_agenda_outdent": ("Lùi ra", "Unnest"),
    "prep_agenda_remove": ("Xóa", "Remove"),
    "prep_agenda_new_item": ("Nội dung mới", "New item"),
    "prep_agenda_confirm_remove": (
        "Xóa nội dung “{title}” cùng các nội dung con? Tài liệu của nó được giữ lại "
        "ở mục chung của cuộc họp.",
        "Remove “{title}” and its sub-items? Its documents stay, at the meeting level.",
    ),
    # documents
    "prep_docs_list": ("Danh sách tài liệu họp", "Meeting documents"),
    "prep_docs_col_title": ("Tài liệu", "Document"),
    "prep_docs_col_item": ("Nội dung", "Agenda item"),
    "prep_docs_col_version": ("Phiên bản", "Version"),
    "prep_docs_col_pages": ("Số trang", "Pages"),
    "prep_docs_col_class": ("Độ mật", "Classification"),
    "prep_docs_col_upload": ("Tải lên", "Upload"),
    "prep_docs_target": ("Gắn vào", "Attach to"),
    "prep_docs_whole_meeting": ("(Chung cho cuộc họp)", "(Whole meeting)"),
    "prep_docs_add": ("Thêm tệp PDF…", "Add PDF files…"),
    "prep_docs_new_version": ("Phiên bản mới…", "New version…"),
    "prep_docs_remove": ("Xóa tài liệu", "Remove document"),
    "prep_docs_hint": (
        "Kéo thả tệp PDF vào danh sách để đính kèm. Mỗi tệp tối đa {mb} MB, không đặt mật khẩu.",
        "Drop PDF files on the list to attach them. At most {mb} MB each, without a password.",
    ),
    "prep_docs_messages": ("Kết quả kiểm tra tệp", "File check results"),
    "prep_docs_checking": ("Đang kiểm tra và lưu {name}", "Checking and storing {name}"),
    "prep_docs_attached": ("Đã đính kèm {name}.", "Attached {name}."),
    "prep_docs_new_version_done": (
        "Đã đính kèm {name} làm phiên bản mới (phiên bản {n}).",
        "Attached {name} as a new version (version {n}).",
    ),
    "prep_docs_version": ("phiên bản {n}", "version {n}"),
    "prep_docs_waiting": ("chờ tải lên", "waiting to upload"),
    "prep_docs_uploaded": ("đã tải lên", "uploaded"),
    "prep_docs_no_file": ("chưa có tệp", "no file"),
    "prep_docs_confirm_remove": (
        "Xóa tài liệu “{title}” và mọi phiên bản của nó khỏi cuộc họp?",
        "Remove the document “{title}” and all its versions from the meeting?",
    ),
    # seating
    "prep_seat_template": ("Mẫu phòng", "Room template"),
    "prep_tpl_rows": ("Dãy ghế", "Rows"),
    "prep_tpl_u_shape": ("Chữ U", "U-shape"),
    "prep_tpl_boardroom": ("Bàn dài", "Boardroom"),
    "prep_tpl_grid": ("Lưới", "Grid"),
    "prep_seat_count": ("Số chỗ", "Seats"),
    "prep_seat_rows": ("Hàng", "Rows"),
    "prep_seat_cols": ("Cột", "Columns"),
    "prep_seat_apply": ("Tạo sơ đồ", "Lay out"),
    "prep_seat_confirm_template": (
        "Tạo lại sơ đồ sẽ thay mọi chỗ ngồi hiện có và bỏ xếp chỗ của mọi người. Tiếp tục?",
        "Laying out again replaces every seat and unseats everyone. Continue?",
    ),
    "prep_seat_room": ("Sơ đồ phòng họp", "Room plan"),
    "prep_seat_add": ("Thêm chỗ", "Add seat"),
    "prep_seat_relabel": ("Đổi số chỗ", "Relabel"),
    "prep_seat_label": ("Số hiệu chỗ ngồi:", "Seat label:"),
    "prep_seat_remove": ("Xóa chỗ", "Remove seat"),
    "prep_seat_here": ("Xếp vào chỗ này", "Seat here"),
    "prep_seat_unseat": ("Bỏ xếp chỗ", "Empty seat"),
    "prep_seat_export": ("Xuất PDF…", "Export PDF…"),
    "prep_seat_export_name": ("So do cho ngoi", "Seating chart"),
    "prep_seat_exported": ("Đã xuất sơ đồ ra {path}", "Chart exported to {path}"),
    "prep_seat_unseated": ("Chưa xếp chỗ", "Unseated"),
    "prep_seat_unseated_count": (
        "Chưa xếp chỗ: {n}/{total} người",
        "Unseated: {n} of {total}",
    ),
    "prep_seat_hint": (
        "Kéo một người vào chỗ ngồi, hoặc chọn người và chỗ rồi bấm “Xếp vào chỗ này”. "
        "Kéo chỗ ngồi để di chuyển; phím mũi tên dịch chuyển chỗ đang chọn.",
        "Drag a person onto a seat, or pick a person and a seat and press “Seat here”. "
        "Drag seats to move them; arrow keys nudge the selected seat.",
    ),
    "prep_seat_no_room": (
        "Chưa có sơ đồ. Chọn mẫu phòng rồi bấm “Tạo sơ đồ”.",
        "No chart yet. Choose a room template and press “Lay out”.",
    ),
    "prep_seat_count_text": ("{n} chỗ ngồi", "{n} seats"),
    # preview
    "prep_preview_who": ("Xem như", "Preview as"),
    "prep_preview_show": ("Xem", "Show"),
    "prep_preview_tree": ("Những gì đại biểu sẽ thấy", "What the delegate will see"),
    "prep_preview_col": ("Nội dung hiển thị", "Visible content"),
    "prep_preview_intro": (
        "{who} được xem tài liệu đến độ mật: {level}. Chỉ xem, không sửa được.",
        "{who} may open documents up to: {level}. Read-only.",
    ),
    "prep_preview_manager": (
        "Tài khoản thư ký: xem được toàn bộ cuộc họp.",
        "A secretary account: sees the whole meeting.",
    ),
    "prep_preview_reason_draft": (
        "Cuộc họp chưa phát hành: người này chưa nhận được gì; dưới đây là những gì "
        "họ sẽ nhận khi phát hành.",
        "The meeting is not published: this person receives nothing yet; below is what "
        "they will receive once it is.",
    ),
    "prep_preview_reason_deleted": (
        "Cuộc họp đã bị xóa: người này không nhận được.",
        "The meeting is deleted: this person does not receive it.",
    ),
    "prep_preview_reason_no_account": (
        "Người này chưa gắn với tài khoản nào nên không nhận được tài liệu họp trên máy.",
        "This participant is not linked to an account, so no laptop receives the pack.",
    ),
    "prep_preview_reason_removed": (
        "Người này đã bị bỏ khỏi cuộc họp.",
        "This person was removed from the meeting.",
    ),
    "prep_preview_no_account_info": (
        "Chưa có danh bạ người dùng trên máy này: dùng độ mật ghi trong thành phần tham dự.",
        "No user directory on this computer: the participant's own clearance is used.",
    ),
    "prep_preview_agenda": ("Chương trình họp ({n})", "Agenda ({n})"),
    "prep_preview_documents": ("Tài liệu được xem ({n})", "Documents they can open ({n})"),
    "prep_preview_hidden": (
        "Tài liệu không được xem do độ mật ({n})",
        "Documents hidden by classification ({n})",
    ),
    "prep_preview_seat": ("Chỗ ngồi: {label}", "Seat: {label}"),
    "prep_preview_no_seat": ("Chưa được xếp chỗ ngồi", "No seat assigned"),
    "prep_preview_people": ("Thành phần tham dự ({n})", "Participants ({n})"),
    # errors
    "prep_err_not_pdf": ("{name}: không phải tệp PDF.", "{name}: this is not a PDF file."),
    "prep_err_password": (
        "{name}: tệp PDF có mật khẩu. Hãy đính kèm bản không đặt mật khẩu.",
        "{name}: the PDF is password-protected. Attach a copy without a password.",
    ),
    "prep_err_corrupt": (
        "{name}: tệp PDF bị hỏng, không đọc được.",
        "{name}: the PDF is damaged and cannot be read.",
    ),
    "prep_err_too_large": (
        "{name}: tệp quá lớn ({size} MB, tối đa {limit} MB).",
        "{name}: the file is too large ({size} MB, at most {limit} MB).",
    ),
    "prep_err_unreadable": ("{name}: không đọc được tệp.", "{name}: the file cannot be read."),
    "prep_err_duplicate": (
        "{name}: tệp này đã được đính kèm (tài liệu “{title}”), không lưu lại lần nữa.",
        "{name}: this file is already attached (document “{title}”); not stored twice.",
    ),
    "prep_err_status": (
        "Không thể chuyển cuộc họp từ “{current}” sang “{wanted}”.",
        "The meeting cannot go from “{current}” to “{wanted}”.",
    ),
    "prep_err_agenda_move": (
        "Không thể đưa một nội dung vào trong chính nó hoặc nội dung con của nó.",
        "An item cannot be moved under itself or one of its sub-items.",
    ),
    "prep_err_empty_title": ("Chưa nhập tên.", "The title is empty."),
    "prep_err_times": (
        "Giờ kết thúc phải sau giờ bắt đầu.",
        "The meeting must end after it starts.",
    ),
    "prep_err_invalid": ("Không lưu được: {reason}.", "Not saved: {reason}."),
}

register(TEXTS)


def message_for(tr: Translator, error: BaseException) -> str:
    """Return the message to show for ``error``, in ``tr``'s language; never a traceback."""
    from meetingroom.domain import MeetingStatus

    if isinstance(error, errors.FileRejected):
        name = error.filename
        if isinstance(error, errors.DuplicateDocument):
            return tr("prep_err_duplicate", name=name, title=error.existing_title)
        if isinstance(error, errors.FileTooLarge):
            mib = 1024 * 1024
            return tr(
                "prep_err_too_large",
                name=name,
                size=f"{error.size / mib:.1f}",
                limit=f"{error.limit / mib:.0f}",
            )
        key = {
            "not_pdf": "prep_err_not_pdf",
            "password": "prep_err_password",
            "corrupt": "prep_err_corrupt",
        }.get(error.reason, "prep_err_unreadable")
        return tr(key, name=name)
    if isinstance(error, errors.InvalidStatusChange):
        return tr(
            "prep_err_status",
            current=tr.status(MeetingStatus(error.current)),
            wanted=tr.status(MeetingStatus(error.wanted)),
        )
    if isinstance(error, errors.InvalidAgendaMove):
        return tr("prep_err_agenda_move")
    if isinstance(error, errors.InvalidMeeting):
        if "title" in error.reason:
            return tr("prep_err_empty_title")
        if "end after" in error.reason:
            return tr("prep_err_times")
        if tr.language == EN:
            return str(error)
        return f"{tr('prep_err_invalid', reason=error.reason)}"
    return tr.error(error)
