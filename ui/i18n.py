"""UI texts through Qt's translation system: English source strings, Vietnamese .qm.

Screens call ``tr(key, **values)`` on the ``Translator`` they were given
(never a global). Each UI area keeps its texts in its own ``texts.py`` as
``key -> (Vietnamese, English)`` and ``register``s them; that catalogue is
the source of ``resources/i18n/meetingroom_vi.ts``, which
``scripts/update_translations.py`` writes (English as the source string, the
key as Qt's disambiguation, the Vietnamese as the translation) and compiles
with ``pyside6-lrelease`` into ``meetingroom_vi.qm``. At run time the
English is the source text and a ``QTranslator`` loaded from the .qm gives
the Vietnamese, so translators can work in Qt Linguist like on any Qt app.

``tr.other(key)`` returns the text in the other language, used for tooltips
so a reader of either language finds their way. The language follows the
system locale unless the profile's UI settings or ``--lang`` say otherwise
(``choose_language``); dates and times are formatted with the QLocale of the
chosen language (``tr.locale``, and ``install`` makes it Qt's default).
"""

from __future__ import annotations

import json
import logging
import os
import unicodedata
from datetime import date, datetime
from functools import cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QTime, QTranslator

import resources
from meetingroom import errors
from meetingroom.domain import Classification, MeetingStatus, Role

log = logging.getLogger(__name__)

VI = "vi"
EN = "en"
LANGUAGES = (VI, EN)

#: Qt translation context of every MeetingRoom text (the key disambiguates).
CONTEXT = "MeetingRoom"
I18N_DIR = Path(resources.__file__).resolve().parent / "i18n"
TS_PATH = I18N_DIR / "meetingroom_vi.ts"
QM_PATH = I18N_DIR / "meetingroom_vi.qm"
#: Plaintext UI settings in the profile folder: the language only, never content.
UI_SETTINGS_FILE = "ui-settings.json"
LANG_ENV = "MEETINGROOM_LANG"

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
    "pin_required": (
        "Hồ sơ này được bảo vệ bằng mã PIN. Hãy nhập mã PIN.",
        "This profile is protected by a PIN. Enter the PIN.",
    ),
    "device_secret_missing": (
        "Khóa của hồ sơ này không còn trong kho khóa của hệ thống; không thể mở khóa "
        "dữ liệu trên máy này. Hãy đăng nhập lại để tải tài liệu họp.",
        "This profile's key is no longer in the system keyring; its data cannot be "
        "unlocked on this computer. Sign in again to download the meeting packs.",
    ),
    "keyring_unavailable": (
        "Máy này không có kho khóa an toàn để bảo vệ dữ liệu cuộc họp. Có thể chọn "
        "bảo vệ chỉ bằng cụm mật khẩu (ít nhất 12 ký tự).",
        "This computer has no secure keyring to protect the meeting data. You can "
        "protect it with a passphrase only (at least 12 characters).",
    ),
    "store_locked": (
        "Dữ liệu cuộc họp đang khóa. Hãy mở khóa bằng mã PIN.",
        "The meeting data is locked. Unlock it with your PIN.",
    ),
    # sign-in and sync
    "online": ("Trực tuyến", "Online"),
    "offline_short": ("Ngoại tuyến", "Offline"),
    "last_sync": ("Đồng bộ lần cuối: {when}", "Last synced: {when}"),
    "syncing": ("Đang đồng bộ…", "Syncing…"),
    "upload_progress": ("Đang tải lên tài liệu: {percent}%", "Uploading documents: {percent}%"),
    "new_meeting": ("Tạo cuộc họp mới", "New meeting"),
    "prepare_meeting": ("Chuẩn bị cuộc họp", "Prepare meeting"),
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
    # meeting statuses, classification levels, participant roles
    "status_draft": ("Bản nháp", "Draft"),
    "status_published": ("Đã phát hành", "Published"),
    "status_closed": ("Đã kết thúc", "Closed"),
    "classification_normal": ("Thường", "Normal"),
    "classification_confidential": ("Mật", "Confidential"),
    "classification_secret": ("Tối mật", "Secret"),
    "classification_top_secret": ("Tuyệt mật", "Top secret"),
    "role_secretary": ("Thư ký", "Secretary"),
    "role_chair": ("Chủ trì", "Chair"),
    "role_delegate": ("Đại biểu", "Delegate"),
    "role_observer": ("Khách mời", "Observer"),
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
    MeetingStatus.DRAFT: "status_draft",
    MeetingStatus.PUBLISHED: "status_published",
    MeetingStatus.CLOSED: "status_closed",
}
_CLASSIFICATION = {
    Classification.NORMAL: "classification_normal",
    Classification.CONFIDENTIAL: "classification_confidential",
    Classification.SECRET: "classification_secret",
    Classification.TOP_SECRET: "classification_top_secret",
}
_ROLE = {
    Role.SECRETARY: "role_secretary",
    Role.CHAIR: "role_chair",
    Role.DELEGATE: "role_delegate",
    Role.OBSERVER: "role_observer",
}
_CORE_ERRORS: tuple[tuple[type[errors.MeetingRoomError], str], ...] = (
    (errors.TooManyAttempts, "too_many_attempts"),
    (errors.PinRequired, "pin_required"),
    (errors.DeviceSecretMissing, "device_secret_missing"),
    (errors.KeyringUnavailable, "keyring_unavailable"),
    (errors.StoreLocked, "store_locked"),
)


def catalogue() -> dict[str, tuple[str, str]]:
    """Return a copy of every registered text: key -> (Vietnamese, English)."""
    return dict(_TEXTS)


def source_text(key: str) -> str:
    """Return the Qt source string of ``key``: its English, or its Vietnamese if it has none.

    Raises KeyError for a key nobody registered.
    """
    vi, en = _TEXTS[key]
    return en or vi


@cache
def _load_qm(path: Path) -> QTranslator | None:
    """Return a QTranslator loaded from ``path``, or None when it is missing or unreadable.

    Loaded once per process: every Translator shares it (a QTranslator needs
    no QCoreApplication to translate).
    """
    translator = QTranslator()
    if not translator.load(str(path)):
        log.error(
            "translations %s are missing or unreadable; run scripts/update_translations.py", path
        )
        return None
    return translator


class Translator:
    """Looks up UI texts in one language; ``other`` gives the second language."""

    def __init__(self, language: str = VI) -> None:
        """Raises ValueError for a language other than "vi" or "en"."""
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language: {language!r}")
        self.language = language
        self._qm = _load_qm(QM_PATH)
        self._warned: set[str] = set()

    @property
    def locale(self) -> QLocale:
        """Return the QLocale that dates, times and numbers are shown in.

        The system's own locale when it speaks the chosen language (so an
        en_GB user keeps day/month order), else the language's main locale.
        """
        system = QLocale.system()
        if system.name().split("_")[0] == self.language:
            return system
        if self.language == VI:
            return QLocale("vi_VN")
        return QLocale("en_US")

    def install(self, app: QCoreApplication) -> None:
        """Make this language Qt's: the .qm on ``app`` (so Qt's own dialog buttons are
        translated too) and ``locale`` as the default QLocale."""
        QLocale.setDefault(self.locale)
        if self.language == VI and self._qm is not None:
            app.installTranslator(self._qm)

    def _vi(self, key: str) -> str:
        source = source_text(key)
        text = self._qm.translate(CONTEXT, source, key) if self._qm is not None else None
        if text:
            return text
        if key not in self._warned:
            self._warned.add(key)
            log.warning(
                "text %r is not in %s; run scripts/update_translations.py", key, QM_PATH.name
            )
        return _TEXTS[key][0]

    def _text(self, key: str, language: str) -> str:
        return self._vi(key) if language == VI else source_text(key)

    def __call__(self, key: str, **values: object) -> str:
        """Return the text of ``key`` in the current language, formatted with ``values``.

        Raises KeyError for a key nobody registered.
        """
        return self._text(key, self.language).format(**values)

    def other(self, key: str, **values: object) -> str:
        """Return the text of ``key`` in the other language (for tooltips)."""
        other = EN if self.language == VI else VI
        return self._text(key, other).format(**values)

    def _both(self, key: str) -> str:
        # Official labels read "Mật / Confidential" in Vietnamese, as printed on papers.
        return f"{self(key)} / {self.other(key)}" if self.language == VI else self(key)

    def status(self, status: MeetingStatus) -> str:
        """Return a meeting status in words ("Đã phát hành / Published")."""
        return self._both(_STATUS[status])

    def classification(self, level: Classification) -> str:
        """Return a classification level in words ("Mật / Confidential")."""
        return self._both(_CLASSIFICATION[level])

    def role(self, role: Role) -> str:
        """Return a participant role in the current language."""
        return self(_ROLE[role])

    def datetime_text(self, when: datetime) -> str:
        """Return ``when`` in local time, short format of ``locale`` ("14:05 2/12/2026")."""
        return format_datetime(when, self.locale)

    def date_text(self, day: date) -> str:
        """Return ``day`` in the short date format of ``locale``."""
        return format_date(day, self.locale)

    def error(self, error: BaseException) -> str:
        """Return the message to show the user for ``error``; never a traceback.

        Known errors get their text in the current language (in Vietnamese with
        the core's English message after it); other MeetingRoomErrors show the
        core's own message.
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
                vi = self._vi("wrong_pin")
            else:
                vi = self._vi("wrong_pin_left").format(left=error.attempts_left)
        elif isinstance(error, errors.TooManyAttempts):
            vi = self._vi("too_many_attempts").format(limit=error.limit)
        elif isinstance(error, errors.MeetingRoomError):
            core_key = next((k for kind, k in _CORE_ERRORS if isinstance(error, kind)), None)
            if core_key is None:
                return english
            vi = self._vi(core_key)
        else:
            return self("unexpected_error")
        return english if self.language == EN else f"{vi}\n\n{english}"


def _date_pattern(locale: QLocale) -> str:
    # Qt's short formats write two-digit years ("2/12/26"); papers and minutes
    # always show four.
    if locale.language() == QLocale.Language.C:  # no locale set up (a bare test run)
        return "dd/MM/yyyy"
    pattern = locale.dateFormat(QLocale.FormatType.ShortFormat)
    return pattern if "yyyy" in pattern else pattern.replace("yy", "yyyy")


def format_datetime(when: datetime, locale: QLocale | None = None) -> str:
    """Return ``when`` in local time as ``locale`` (default: Qt's default) writes it.

    E.g. "14:05 2/12/2026" in Vietnamese, "2:05 PM 12/2/2026" in US English.
    """
    return f"{format_time(when, locale)} {format_date(when, locale)}"


def format_time(when: datetime, locale: QLocale | None = None) -> str:
    """Return the local time of day of ``when`` as ``locale`` (default: Qt's default) writes it."""
    local = when.astimezone()
    chosen = locale or QLocale()
    moment = QTime(local.hour, local.minute)
    if chosen.language() == QLocale.Language.C:
        return moment.toString("HH:mm")
    return chosen.toString(moment, QLocale.FormatType.ShortFormat)


def format_date(when: date, locale: QLocale | None = None) -> str:
    """Return the (local, for a datetime) date of ``when`` as ``locale`` writes it, 4-digit year."""
    day = when.astimezone() if isinstance(when, datetime) else when
    chosen = locale or QLocale()
    return chosen.toString(QDate(day.year, day.month, day.day), _date_pattern(chosen))


def system_language() -> str:
    """Return "vi" when the system locale is Vietnamese, else "en"."""
    return VI if QLocale.system().language() == QLocale.Language.Vietnamese else EN


def load_language_setting(profile: Path) -> str | None:
    """Return the language saved in ``profile``'s UI settings, or None when none is saved.

    A missing, unreadable or malformed settings file counts as none (logged):
    the language then follows the system, nothing is lost.
    """
    path = profile / UI_SETTINGS_FILE
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("ignoring %s: %s", UI_SETTINGS_FILE, type(exc).__name__)
        return None
    language = data.get("language") if isinstance(data, dict) else None
    return language if language in LANGUAGES else None


def save_language_setting(profile: Path, language: str) -> None:
    """Save ``language`` as ``profile``'s UI language (a plaintext file: the language only).

    Raises ValueError for an unsupported language, OSError when the file cannot be written.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language!r}")
    profile.mkdir(parents=True, exist_ok=True)
    path = profile / UI_SETTINGS_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"language": language}) + "\n", "utf-8")
    os.replace(tmp, path)


def choose_language(cli: str | None, profile: Path | None) -> str:
    """Return the UI language: ``--lang``, else $MEETINGROOM_LANG, else the profile's
    setting, else the system locale (Vietnamese → "vi", anything else → "en")."""
    for candidate in (cli, os.environ.get(LANG_ENV)):
        if candidate in LANGUAGES:
            return candidate
    saved = load_language_setting(profile) if profile is not None else None
    return saved or system_language()


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
