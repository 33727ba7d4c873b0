"""Texts of the deployment policy's enforcement (setup, unlock, start-up), registered at import."""

from __future__ import annotations

from ui.i18n import register

TEXTS: dict[str, tuple[str, str]] = {
    "policy_setup_intro": (
        "Dữ liệu cuộc họp được mã hóa trên máy này. Mã PIN bảo vệ dữ liệu khi máy bị mở khóa.",
        "Meeting data is encrypted on this computer. A PIN protects it while the computer "
        "is unlocked.",
    ),
    "policy_setup_required": (
        "Theo quy định của đơn vị, bắt buộc đặt mã PIN có ít nhất {n} chữ số.",
        "Your organisation requires a PIN of at least {n} digits.",
    ),
    "policy_setup_min": (
        "Theo quy định của đơn vị, mã PIN phải có ít nhất {n} chữ số.",
        "Your organisation requires a PIN to have at least {n} digits.",
    ),
    "policy_pin_too_short": (
        "Mã PIN phải có ít nhất {n} chữ số.",
        "The PIN must have at least {n} digits.",
    ),
    "policy_passphrase_too_short": (
        "Cụm mật khẩu phải có ít nhất {n} ký tự.",
        "The passphrase must be at least {n} characters long.",
    ),
    "policy_pins_wiped": (
        "Mã PIN đã bị nhập sai {limit} lần nên dữ liệu cuộc họp trên máy này đã bị xóa "
        "theo quy định của đơn vị. Hãy đăng nhập lại để tải lại tài liệu họp.",
        "The PIN was entered wrongly {limit} times, so the meeting data on this computer "
        "was wiped as your organisation requires. Sign in again to download the meeting "
        "documents afresh.",
    ),
    "policy_attempts_before_wipe": (
        "Nhập sai {limit} lần liên tiếp thì dữ liệu cuộc họp trên máy này sẽ bị xóa.",
        "After {limit} wrong attempts in a row the meeting data on this computer is wiped.",
    ),
    "policy_server_locked": (
        "Địa chỉ máy chủ do bộ phận CNTT quy định, không thể thay đổi.",
        "The server address is set by IT and cannot be changed.",
    ),
    "policy_lease_expired": (
        "Tài liệu mật này không mở được: máy này đã quá {hours} giờ chưa đồng bộ với máy chủ "
        "(giới hạn do bộ phận CNTT quy định cho tài liệu mật). Hãy kết nối mạng và đồng bộ, "
        "rồi mở lại.",
        "This classified document cannot be opened: this computer has not synced with the "
        "server for more than {hours} hours (the limit IT set for classified documents). "
        "Connect to the network and sync, then open it again.",
    ),
    "policy_action_refused": (
        "Quy định của đơn vị không cho phép {action} tài liệu ở mức {level}.",
        "Your organisation does not allow you to {action} documents classified {level}.",
    ),
    "policy_error_title": (
        "Tệp quy định triển khai không hợp lệ",
        "The deployment policy file is not valid",
    ),
    "policy_error_intro": (
        "MeetingRoom không khởi động vì tệp quy định triển khai (policy.toml) bị lỗi. "
        "Hãy báo cho bộ phận CNTT.",
        "MeetingRoom did not start because the deployment policy file (policy.toml) is "
        "broken. Tell IT.",
    ),
}

register(TEXTS)
