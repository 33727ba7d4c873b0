"""The deployment policy enforced by the app: idle lock, failed-PIN wipe, PIN rules at
setup, the server fixed at sign-in, the transport's proxy, a malformed policy stopping
the app (exit code 3), and the Qt-free lease and permission API the reader uses.

Ops run synchronously (``ImmediateExecutor``); the server is tests/sync's real one.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from meetingroom import services as core
from meetingroom.crypto import DeviceSecrets, Protection
from meetingroom.domain import (
    Classification,
    Document,
    DocumentId,
    DocumentVersion,
    DocumentVersionId,
    MeetingId,
)
from meetingroom.errors import LeaseExpired
from meetingroom.lease import check_document_readable
from meetingroom.policy import ENV_POLICY, Policy
from meetingroom.store import DB_FILENAME, Store
from sync.auth import TokenStore
from sync.transport import RetryPolicy
from tests.server.conftest import PASSWORD, LiveServer
from tests.sync.conftest import User, new_user
from ui.app import AppServices, MeetingApp
from ui.i18n import Translator
from ui.ops import ImmediateExecutor
from ui.screens.meetings import MeetingListScreen
from ui.screens.setup import SetupScreen
from ui.screens.signin import SignInScreen
from ui.screens.unlock import UnlockScreen

PIN = "2468"


def build(qtbot: QtBot, services: AppServices, store: Store | None = None) -> MeetingApp:
    app = MeetingApp(services, store)
    app.start()
    app.window.show()
    qtbot.addWidget(app.window)
    return app


@pytest.fixture
def made() -> Iterator[list[MeetingApp]]:
    apps: list[MeetingApp] = []
    yield apps
    for app in apps:
        app.shutdown()


def test_idle_lock_after_the_policys_minutes(
    qtbot: QtBot,
    services: AppServices,
    pin_store: Store,
    sample: MeetingId,
    made: list[MeetingApp],
) -> None:
    services.deployment = Policy(idle_lock_minutes=0.005)  # 0.3 s
    services.__post_init__()
    app = build(qtbot, services, pin_store)
    made.append(app)
    assert isinstance(app.window.stack.currentWidget(), MeetingListScreen)
    assert app.guard.timer.interval() == 300
    qtbot.waitUntil(
        lambda: isinstance(app.window.stack.currentWidget(), UnlockScreen), timeout=10_000
    )
    assert pin_store.is_locked
    assert app.ctx is None


def test_failed_pin_limit_wipes_the_profile_and_returns_to_first_run(
    qtbot: QtBot,
    services: AppServices,
    profile: Path,
    device_secrets: DeviceSecrets,
    made: list[MeetingApp],
) -> None:
    store = Store.create(profile, Protection.DEVICE_AND_PIN, PIN, device_secrets=device_secrets)
    profile_id = store.profile_id
    store.close()
    services.deployment = Policy(failed_pin_limit=3)
    services.__post_init__()
    app = build(qtbot, services)
    made.append(app)
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, UnlockScreen)
    assert "Nhập sai 3 lần liên tiếp" in screen.wipe_warning.text()
    for left in (2, 1):
        QTest.keyClicks(screen.secret, "0000")
        QTest.keyClick(screen.secret, Qt.Key.Key_Return)
        assert f"Còn {left} lần thử" in screen.message.text()
        assert (profile / DB_FILENAME).exists()
    QTest.keyClicks(screen.secret, "0000")
    QTest.keyClick(screen.secret, Qt.Key.Key_Return)
    # Wiped: the database and the keyring's device secret are gone; first run again.
    assert not (profile / DB_FILENAME).exists()
    assert device_secrets.load(profile_id) is None
    assert app.store is None
    setup = app.window.stack.currentWidget()
    assert isinstance(setup, SetupScreen)
    assert "đã bị xóa" in setup.message.text()
    assert "3 lần" in setup.message.text()
    setup.pin.setText("1357")
    setup.pin_confirm.setText("1357")
    setup.submit()
    assert app.store is not None
    assert isinstance(app.window.stack.currentWidget(), MeetingListScreen)


def test_without_a_deployment_policy_the_limit_only_refuses(
    qtbot: QtBot,
    services: AppServices,
    profile: Path,
    device_secrets: DeviceSecrets,
    made: list[MeetingApp],
) -> None:
    from meetingroom.store import UnlockPolicy

    Store.create(profile, Protection.DEVICE_AND_PIN, PIN, device_secrets=device_secrets).close()
    services.policy = UnlockPolicy(max_attempts=1)
    app = build(qtbot, services)
    made.append(app)
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, UnlockScreen)
    assert not screen.wipe_warning.isVisible()
    screen.secret.setText("0000")
    screen.submit()
    assert (profile / DB_FILENAME).exists()


def test_setup_follows_the_pin_rules(
    qtbot: QtBot, services: AppServices, made: list[MeetingApp]
) -> None:
    services.deployment = Policy(pin_required=True, pin_min_length=6)
    services.__post_init__()
    app = build(qtbot, services)
    made.append(app)
    setup = app.window.stack.currentWidget()
    assert isinstance(setup, SetupScreen)
    assert not setup.no_pin.isVisible()
    assert not setup.no_pin.isEnabled()
    assert "bắt buộc đặt mã PIN có ít nhất 6 chữ số" in setup.rules.text()
    setup.pin.setText("1234")
    setup.pin_confirm.setText("1234")
    setup.submit()
    assert "ít nhất 6 chữ số" in setup.message.text()
    assert app.store is None
    # Even if the hidden choice were selected somehow, no PIN is refused.
    setup.no_pin.setChecked(True)
    setup.submit()
    assert app.store is None
    setup.use_pin.setChecked(True)
    setup.pin.setText("123456")
    setup.pin_confirm.setText("123456")
    setup.submit()
    assert app.store is not None
    assert app.store.protection is Protection.DEVICE_AND_PIN


def test_default_policy_keeps_the_no_pin_choice(
    qtbot: QtBot, services: AppServices, made: list[MeetingApp]
) -> None:
    services.deployment = Policy()
    services.__post_init__()
    app = build(qtbot, services)
    made.append(app)
    setup = app.window.stack.currentWidget()
    assert isinstance(setup, SetupScreen)
    assert setup.no_pin.isVisible()
    assert not setup.rules.isVisible()


# -- online: the server fixed by the policy, and the proxy ----------------------------------


@pytest.fixture
def online(profile: Path, device_secrets: DeviceSecrets, live: LiveServer) -> AppServices:
    return AppServices(
        profile,
        device_secrets=device_secrets,
        executor=ImmediateExecutor(),
        dialogs=False,
        server="https://typed-by-the-user.example",
        tokens=TokenStore(allow_insecure_backend=True),
        retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02),
    )


def first_run(app: MeetingApp, user: User) -> None:
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SignInScreen)
    screen.username.setText(user.username)
    screen.password.setText(PASSWORD)
    QTest.mouseClick(screen.button, Qt.MouseButton.LeftButton)
    setup = app.window.stack.currentWidget()
    assert isinstance(setup, SetupScreen)
    setup.pin.setText(PIN)
    setup.pin_confirm.setText(PIN)
    setup.submit()


def test_the_policy_server_is_prefilled_and_locked(
    qtbot: QtBot, online: AppServices, live: LiveServer, made: list[MeetingApp]
) -> None:
    online.deployment = Policy(server_url=live.base_url)
    online.__post_init__()
    app = build(qtbot, online)
    made.append(app)
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SignInScreen)
    assert screen.server.text() == live.base_url
    assert screen.server.isReadOnly()
    assert "CNTT" in screen.server.toolTip()
    QTest.keyClicks(screen.server, "https://elsewhere.example")  # typing changes nothing
    assert screen.server.text() == live.base_url
    first_run(app, new_user(live))
    assert isinstance(app.window.stack.currentWidget(), MeetingListScreen)
    assert app.engine is not None
    assert app.engine.transport.base_url == live.base_url


def test_the_policy_proxy_is_used_by_the_app(
    qtbot: QtBot, online: AppServices, live: LiveServer, made: list[MeetingApp]
) -> None:
    # A proxy nobody listens on: the sign-in cannot go around it to the (reachable) server.
    online.deployment = Policy(server_url=live.base_url, proxy="http://127.0.0.1:9")
    online.__post_init__()
    app = build(qtbot, online)
    made.append(app)
    first_run(app, new_user(live))
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SignInScreen)
    assert "Không kết nối được máy chủ" in screen.message.text()


# -- the Qt-free API the reader uses: lease and copy/export/print ------------------------------


def _secret_version(store: Store) -> DocumentVersionId:
    from meetingroom.domain import Meeting

    start = datetime(2030, 1, 1, 8, tzinfo=UTC)
    meeting = Meeting(MeetingId("m-lease"), "Họp", start, start + timedelta(hours=1))
    doc = Document(
        DocumentId("d-lease"), meeting.id, "Tài liệu", classification=Classification.SECRET
    )
    data = b"%PDF-1.7\n"
    version = DocumentVersion(
        DocumentVersionId("v-lease"), doc.id, 1, hashlib.sha256(data).hexdigest(), len(data), 1
    )
    core.save(store, meeting, doc, version)
    core.store_document_bytes(store, version.id, io.BytesIO(data))
    return version.id


def test_offline_lease_expiry_makes_a_classified_document_unreadable(pin_store: Store) -> None:
    policy = Policy(lease_hours=48)
    vid = _secret_version(pin_store)
    pin_store.sync_state.set("server", "https://hop.example.vn")
    synced = datetime.now(UTC) - timedelta(hours=49)
    pin_store.sync_state.mark_synced(synced)
    with pytest.raises(LeaseExpired) as caught:
        check_document_readable(pin_store, policy, vid)
    tr = Translator("vi")
    text = tr("policy_lease_expired", hours=f"{caught.value.hours:g}")
    assert "quá 48 giờ chưa đồng bộ" in text
    assert "48 hours" in str(caught.value)
    pin_store.sync_state.mark_synced()  # a sync renews the lease
    assert check_document_readable(pin_store, policy, vid) is Classification.SECRET


def test_copy_and_export_refused_for_classified_documents() -> None:
    policy = Policy()
    assert policy.allows("copy", Classification.NORMAL)
    assert not policy.allows("copy", Classification.CONFIDENTIAL)
    assert not policy.allows("export", Classification.SECRET)
    strict = replace(policy, permissions={})
    assert not strict.allows("print", Classification.NORMAL)  # a level missing: refused


# -- start-up: a malformed policy stops the app ----------------------------------------------------


def _run_main(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def _bad_policy(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "policy.toml"
    path.write_text("[unlock]\nidle_lock_minutes = 0\n")
    env = {**os.environ, ENV_POLICY: str(path), "XDG_STATE_HOME": str(tmp_path / "state")}
    return path, env


def test_a_malformed_policy_stops_the_app_without_a_display(tmp_path: Path) -> None:
    path, env = _bad_policy(tmp_path)
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(key, None)
    result = _run_main(env, "--profile", str(tmp_path / "p"))
    assert result.returncode == 3
    assert str(path) in result.stderr
    assert "line 2" in result.stderr
    assert "unlock.idle_lock_minutes" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "p").exists()  # no app, no profile


def test_a_malformed_policy_shows_a_message_box(tmp_path: Path) -> None:
    path, env = _bad_policy(tmp_path)
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = _run_main(env, "--profile", str(tmp_path / "p"), "--quit-after", "0.5")
    assert result.returncode == 3
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_valid_policy_starts_the_app_and_writes_the_log(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("[logging]\nlevel = 'debug'\n")
    env = {
        **os.environ,
        ENV_POLICY: str(path),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = _run_main(env, "--profile", str(tmp_path / "p"), "--quit-after", "0.3")
    assert result.returncode == 0, result.stderr
    logs = list((tmp_path / "state").rglob("meetingroom.log"))
    assert logs, "no log file in the platform log directory"
    assert "starting; policy: file" in logs[0].read_text(encoding="utf-8")
