"""A small dict-based translator: Vietnamese by default, English alongside.

No Qt .ts files yet: every UI string has a key here, and screens call
``tr(key, **values)`` on the ``Translator`` they were given (never a global).
``tr.other(key)`` returns the text in the other language, used for tooltips
so a reader of either language finds their way.
"""

from __future__ import annotations

import unicodedata

from meetingroom import errors
from meetingroom.domain import Classification, MeetingStatus, Role

VI = "vi"
EN = "en"

_TEXTS: dict[str, tuple[str, str]] = {
    # key: (Vietnamese, English)
    "app_title": ("Phòng họp không giấy", "Paperless meeting room"),
    "offline": (
        "Ngoại tuyến / Offline — chưa kết nối máy chủ",
        "Ngoại tuyến / Offline — not connected to a server",
    ),
    "pending": ("Thay đổi chờ đồng bộ: {count}", "Pending changes: {count}"),
    "last_sync_never": ("Đồng bộ lần cuối: chưa bao giờ", "Last synced: never"),
    "lock": ("Khóa", "Lock"),
    "locked_title": ("Đã khóa", "Locked"),
    "unlock": ("Mở khóa", "Unlock"),
    "unlock_hint_pin": ("Nhập mã PIN để mở khóa", "Enter your PIN to unlock"),
    "unlock_hint_passphrase": ("Nhập cụm mật khẩu để mở khóa", "Enter your passphrase to unlock"),
    "unlock_hint_device": (
        "Dữ liệu cuộc họp đã được khóa. Bấm Mở khóa để tiếp tục.",
        "The meeting data is locked. Press Unlock to continue.",
    ),
    "pin": ("Mã PIN", "PIN"),
    "pin_confirm": ("Nhập lại mã PIN", "Confirm PIN"),
    "passphrase": ("Cụm mật khẩu", "Passphrase"),
    "passphrase_confirm": ("Nhập lại cụm mật khẩu", "Confirm passphrase"),
    "setup_title": ("Thiết lập hồ sơ trên máy này", "Set up a profile on this computer"),
    "setup_intro": (
        "Dữ liệu cuộc họp được mã hóa trên máy này. Đặt mã PIN (ít nhất 4 chữ số) "
        "để bảo vệ khi máy bị mở khóa.",
        "Meeting data is encrypted on this computer. Set a PIN (at least 4 digits) "
        "to protect it while the computer is unlocked.",
    ),
    "setup_use_pin": ("Dùng mã PIN (khuyến nghị)", "Use a PIN (recommended)"),
    "setup_no_pin": ("Không dùng mã PIN", "No PIN"),
    "setup_use_passphrase": (
        "Chỉ dùng cụm mật khẩu (ít nhất 12 ký tự)",
        "Passphrase only (at least 12 characters)",
    ),
    "setup_create": ("Tạo hồ sơ", "Create profile"),
    "pin_too_short": ("Mã PIN phải có ít nhất 4 chữ số.", "The PIN must have at least 4 digits."),
    "pin_digits": ("Mã PIN chỉ gồm chữ số.", "The PIN may contain digits only."),
    "pin_mismatch": ("Hai mã PIN không khớp.", "The two PINs do not match."),
    "passphrase_too_short": (
        "Cụm mật khẩu phải có ít nhất 12 ký tự.",
        "The passphrase must be at least 12 characters long.",
    ),
    "passphrase_mismatch": ("Hai cụm mật khẩu không khớp.", "The two passphrases do not match."),
    "meetings": ("Cuộc họp", "Meetings"),
    "search_meetings": ("Tìm kiếm cuộc họp theo tên…", "Search meetings by title…"),
    "section_today": ("Hôm nay", "Today"),
    "section_upcoming": ("Sắp tới", "Upcoming"),
    "section_past": ("Đã qua", "Past"),
    "no_meetings": ("Không có cuộc họp nào.", "No meetings."),
    "pack_offline": ("✓ có sẵn ngoại tuyến", "✓ available offline"),
    "pack_partial": (
        "tài liệu chưa tải về ({missing}/{total})",
        "documents not downloaded ({missing}/{total})",
    ),
    "pack_empty": ("chưa có tài liệu", "no documents"),
    "no_place": ("chưa có địa điểm", "no place"),
    "back": ("← Danh sách cuộc họp", "← Meeting list"),
    "agenda": ("Chương trình họp", "Agenda"),
    "agenda_title": ("Nội dung", "Item"),
    "presenter": ("Người trình bày", "Presenter"),
    "minutes": ("Thời lượng", "Duration"),
    "minutes_value": ("{n} phút", "{n} min"),
    "documents": ("Tài liệu họp", "Meeting documents"),
    "documents_of_item": ("Tài liệu: {item}", "Documents: {item}"),
    "documents_all": ("Tất cả tài liệu họp", "All meeting documents"),
    "no_documents": ("Không có tài liệu.", "No documents."),
    "badge_offline": ("✓ ngoại tuyến", "✓ offline"),
    "badge_missing": ("chưa tải về", "not downloaded"),
    "badge_no_version": ("chưa có tệp", "no file yet"),
    "badge_confidential": ("bảo mật: {level}", "classified: {level}"),
    "badge_new_version": ("phiên bản mới", "new version"),
    "seating": ("Sơ đồ chỗ ngồi", "Seating chart"),
    "your_seat": ("Chỗ ngồi của bạn: {label}", "Your seat: {label}"),
    "no_seat": ("Bạn chưa được xếp chỗ ngồi.", "You have no seat assigned."),
    "no_room": ("Chưa có sơ đồ phòng họp.", "No room plan yet."),
    "find_person": ("Tìm đại biểu…", "Find a person…"),
    "person_not_found": ("Không tìm thấy.", "Not found."),
    "notes": ("Ghi chú cá nhân", "Personal notes"),
    "notes_placeholder": (
        "Ghi chú riêng của bạn cho cuộc họp này (tự động lưu)…",
        "Your private notes for this meeting (saved automatically)…",
    ),
    "notes_saved": ("Đã lưu", "Saved"),
    "notes_saving": ("Đang lưu…", "Saving…"),
    "participants": ("Thành phần tham dự", "Participants"),
    "room_label": ("Phòng: {room}", "Room: {room}"),
    "error_title": ("Lỗi", "Error"),
    "unexpected_error": (
        "Đã xảy ra lỗi không mong muốn. Thao tác chưa được thực hiện.",
        "An unexpected error occurred. The action was not carried out.",
    ),
    "wrong_pin": ("Sai mã PIN.", "Wrong PIN."),
    "wrong_pin_left": ("Sai mã PIN. Còn {left} lần thử.", "Wrong PIN. {left} attempt(s) left."),
    "too_many_attempts": (
        "Mã PIN đã nhập sai {limit} lần; hồ sơ này không thể mở khóa nữa. "
        "Hãy đăng nhập lại hoặc liên hệ bộ phận CNTT.",
        "The PIN was entered wrongly {limit} times; this profile no longer unlocks. "
        "Sign in again or ask IT to reset it.",
    ),
    "pin_required": ("Hồ sơ này được bảo vệ bằng mã PIN. Hãy nhập mã PIN.", ""),
    "device_secret_missing": (
        "Khóa của hồ sơ này không còn trong kho khóa của hệ thống; không thể mở khóa "
        "dữ liệu trên máy này. Hãy đăng nhập lại để tải tài liệu họp.",
        "",
    ),
    "keyring_unavailable": (
        "Máy này không có kho khóa an toàn để bảo vệ dữ liệu cuộc họp. Có thể chọn "
        "bảo vệ chỉ bằng cụm mật khẩu (ít nhất 12 ký tự).",
        "",
    ),
    "store_locked": ("Dữ liệu cuộc họp đang khóa. Hãy mở khóa bằng mã PIN.", ""),
    # sign-in and sync
    "online": ("Trực tuyến", "Online"),
    "offline_short": ("Ngoại tuyến", "Offline"),
    "last_sync": ("Đồng bộ lần cuối: {when}", "Last synced: {when}"),
    "syncing": ("Đang đồng bộ…", "Syncing…"),
    "download_progress": ("Đang tải tài liệu: {percent}%", "Downloading documents: {percent}%"),
    "conflicts": ("Xung đột: {count}", "Conflicts: {count}"),
    "signin_title": ("Đăng nhập", "Sign in"),
    "signin_intro": (
        "Đăng nhập bằng tài khoản do bộ phận CNTT cấp để tải tài liệu họp về máy này.",
        "Sign in with the account IT gave you to download the meeting packs to this computer.",
    ),
    "server": ("Địa chỉ máy chủ", "Server address"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "signin_button": ("Đăng nhập", "Sign in"),
    "signing_in": ("Đang đăng nhập…", "Signing in…"),
    "signin_missing": (
        "Hãy nhập địa chỉ máy chủ, tên đăng nhập và mật khẩu.",
        "Enter the server address, username and password.",
    ),
    "signin_again": (
        "Phiên đăng nhập đã hết hạn hoặc bị thu hồi. Hãy đăng nhập lại.",
        "Your session expired or was revoked. Please sign in again.",
    ),
    "wiped": (
        "Máy chủ đã yêu cầu xóa dữ liệu cuộc họp trên máy này; hồ sơ đã bị xóa. Hãy đăng nhập lại.",
        "The server ordered this computer's meeting data wiped; the profile was deleted. "
        "Please sign in again.",
    ),
    "err_wrong_password": (
        "Sai tên đăng nhập hoặc mật khẩu.",
        "Wrong username or password.",
    ),
    "err_throttled": (
        "Đăng nhập sai quá nhiều lần. Hãy thử lại sau ít phút.",
        "Too many failed sign-ins. Try again in a few minutes.",
    ),
    "err_device_revoked": (
        "Máy này đã bị thu hồi quyền truy cập. Hãy liên hệ bộ phận CNTT.",
        "This device has been revoked. Ask IT to re-enable it.",
    ),
    "err_other_user": (
        "Hồ sơ trên máy này thuộc về tài khoản khác.",
        "The profile on this computer belongs to another account.",
    ),
    "err_auth": ("Cần đăng nhập lại.", "You need to sign in again."),
    "err_unreachable": (
        "Không kết nối được máy chủ. Hãy kiểm tra địa chỉ máy chủ và kết nối mạng.",
        "The server cannot be reached. Check the server address and the network.",
    ),
    "err_tls": (
        "Không thể kết nối an toàn: chứng chỉ bảo mật (TLS) của máy chủ không hợp lệ "
        "hoặc không khớp. Hãy liên hệ bộ phận CNTT.",
        "No secure connection: the server's TLS certificate is invalid or does not match "
        "its pin. Ask IT.",
    ),
    "err_server": ("Máy chủ từ chối yêu cầu ({code}).", "The server refused the request ({code})."),
    "conflicts_title": ("Xung đột đồng bộ", "Sync conflicts"),
    "conflicts_intro": (
        "Các thay đổi trên máy này không khớp với bản trên máy chủ. "
        "Bản của máy chủ đang được dùng; bản của bạn được giữ lại ở đây.",
        "These local changes clashed with the server's. The server's version is in use; "
        "yours is kept here.",
    ),
    "conflict_what": ("Mục", "Item"),
    "conflict_field": ("Trường", "Field"),
    "conflict_local": ("Giá trị trên máy này", "Value on this computer"),
    "conflict_server": ("Giá trị trên máy chủ", "Value on the server"),
    "keep_server": ("Giữ bản của máy chủ", "Keep the server's version"),
    "close": ("Đóng", "Close"),
    "no_conflicts": ("Không có xung đột.", "No conflicts."),
}


def register(texts: dict[str, tuple[str, str]]) -> None:
    """Add an area's texts (key -> (Vietnamese, English)) to the catalogue.

    Each UI area keeps its strings in its own ``texts.py`` and registers them
    at import, so areas do not edit one shared dict. Raises ValueError when a
    key is already defined: two areas meaning different things by one key
    would show the wrong text.
    """
    clash = sorted(set(texts) & set(_TEXTS))
    if clash:
        raise ValueError(f"text keys defined twice: {', '.join(clash)}")
    _TEXTS.update(texts)


_STATUS = {
    MeetingStatus.DRAFT: ("Bản nháp", "Draft"),
    MeetingStatus.PUBLISHED: ("Đã phát hành", "Published"),
    MeetingStatus.CLOSED: ("Đã kết thúc", "Closed"),
}
_CLASSIFICATION = {
    Classification.NORMAL: ("Thường", "Normal"),
    Classification.CONFIDENTIAL: ("Mật", "Confidential"),
    Classification.SECRET: ("Tối mật", "Secret"),
    Classification.TOP_SECRET: ("Tuyệt mật", "Top secret"),
}
_ROLE = {
    Role.SECRETARY: ("Thư ký", "Secretary"),
    Role.CHAIR: ("Chủ trì", "Chair"),
    Role.DELEGATE: ("Đại biểu", "Delegate"),
    Role.OBSERVER: ("Khách mời", "Observer"),
}


class Translator:
    """Looks up UI texts in one language; ``other`` gives the second language."""

    def __init__(self, language: str = VI) -> None:
        if language not in (VI, EN):
            raise ValueError(f"unsupported language: {language!r}")
        self.language = language

    def _pick(self, pair: tuple[str, str], language: str) -> str:
        vi, en = pair
        return vi if language == VI or not en else en

    def __call__(self, key: str, **values: object) -> str:
        """Return the text of ``key`` in the current language, formatted with ``values``."""
        return self._pick(_TEXTS[key], self.language).format(**values)

    def other(self, key: str, **values: object) -> str:
        """Return the text of ``key`` in the other language (for tooltips)."""
        other = EN if self.language == VI else VI
        return self._pick(_TEXTS[key], other).format(**values)

    def status(self, status: MeetingStatus) -> str:
        """Return a meeting status in words ("Đã phát hành / Published")."""
        return " / ".join(_STATUS[status]) if self.language == VI else _STATUS[status][1]

    def classification(self, level: Classification) -> str:
        """Return a classification level in words ("Mật / Confidential")."""
        pair = _CLASSIFICATION[level]
        return " / ".join(pair) if self.language == VI else pair[1]

    def role(self, role: Role) -> str:
        """Return a participant role in the current language."""
        return self._pick(_ROLE[role], self.language)

    def error(self, error: BaseException) -> str:
        """Return the message to show the user for ``error``; never a traceback.

        Known errors get their Vietnamese text (with the core's English message
        after it); other MeetingRoomErrors show the core's own message.
        """
        english = str(error)
        sync_key = _sync_error_key(error)
        if sync_key is not None:
            key, values = sync_key
            return (
                self(key, **values)
                if self.language == EN
                else (f"{self(key, **values)}\n\n{self.other(key, **values)}")
            )
        if isinstance(error, errors.WrongPin):
            if error.attempts_left is None:
                vi = _TEXTS["wrong_pin"][0]
            else:
                vi = _TEXTS["wrong_pin_left"][0].format(left=error.attempts_left)
        elif isinstance(error, errors.TooManyAttempts):
            vi = _TEXTS["too_many_attempts"][0].format(limit=error.limit)
        elif isinstance(error, errors.PinRequired):
            vi = _TEXTS["pin_required"][0]
        elif isinstance(error, errors.DeviceSecretMissing):
            vi = _TEXTS["device_secret_missing"][0]
        elif isinstance(error, errors.KeyringUnavailable):
            vi = _TEXTS["keyring_unavailable"][0]
        elif isinstance(error, errors.StoreLocked):
            vi = _TEXTS["store_locked"][0]
        elif isinstance(error, errors.MeetingRoomError):
            return english
        else:
            return self("unexpected_error")
        return english if self.language == EN else f"{vi}\n\n{english}"


def _sync_error_key(error: BaseException) -> tuple[str, dict[str, object]] | None:
    """Return the text key (and values) for a sync error, or None for other errors."""
    from sync import errors as sync_errors

    if isinstance(error, sync_errors.AuthRequired):
        key = {
            "invalid_credentials": "err_wrong_password",
            "throttled": "err_throttled",
            "too_many_attempts": "err_throttled",
            "device_revoked": "err_device_revoked",
            "profile_of_another_user": "err_other_user",
        }.get(error.reason, "err_auth")
        return key, {}
    if isinstance(error, sync_errors.TlsError):
        return "err_tls", {}
    if isinstance(error, sync_errors.NetworkError):
        return "err_unreachable", {}
    if isinstance(error, sync_errors.WipeRequired):
        return "wiped", {}
    if isinstance(error, sync_errors.ServerError):
        return "err_server", {"code": error.code}
    return None


def fold(text: str) -> str:
    """Return ``text`` for accent-insensitive matching: "Hội nghị" -> "hoi nghi".

    NFD splits letters from their diacritics, which are then dropped; đ/Đ do
    not decompose, so they are mapped to d explicitly.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())
