"""The app's log: rotated file, safe format, and no meeting content after a full session.

The session test signs a demo account in through the app against the real
server on 127.0.0.1, syncs the demo organisation, opens every meeting page,
reads and renders documents, locks and unlocks with a wrong PIN first, and
has a sync fail; then it scans every log file for the demo's marker strings
(meeting, agenda and document titles, file names, participant names, the
username, the password, the token). It also checks the log is not empty and
holds the lines that session must have produced, so it cannot pass vacuously.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import Classification
from meetingroom.lease import open_document_bytes_checked
from meetingroom.logs import (
    BACKUPS,
    LOG_FILENAME,
    MAX_BYTES,
    close_logging,
    configure_logging,
    log_directory,
)
from meetingroom.pdf import RenderService
from meetingroom.policy import Policy
from tests.sync.conftest import Seeded, live, seeded  # noqa: F401

log = logging.getLogger("tests.logs")


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "logs"
    yield directory
    close_logging()


def read_logs(directory: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(directory.iterdir()))


def test_log_file_in_the_given_directory_at_the_level(log_dir: Path) -> None:
    path = configure_logging("warning", log_dir)
    assert path == log_dir / LOG_FILENAME
    log.info("not written at warning")
    log.warning("written at warning")
    text = path.read_text(encoding="utf-8")
    assert "written at warning" in text
    assert "not written" not in text
    assert (path.stat().st_mode & 0o777) == 0o600


def test_reconfiguring_replaces_the_handler(log_dir: Path) -> None:
    configure_logging("info", log_dir)
    configure_logging("debug", log_dir)
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_meetingroom_handler", False)]
    assert len(ours) == 1
    log.debug("one line")
    assert read_logs(log_dir).count("one line") == 1


def test_unknown_level_is_refused(log_dir: Path) -> None:
    with pytest.raises(ValueError, match="loud"):
        configure_logging("loud", log_dir)


def test_rotation_keeps_a_bounded_number_of_files(log_dir: Path) -> None:
    configure_logging("info", log_dir)
    line = "x" * 1000
    for _ in range(int(MAX_BYTES * (BACKUPS + 2) / 1000)):
        log.info(line)
    files = sorted(p.name for p in log_dir.iterdir())
    assert LOG_FILENAME in files
    assert f"{LOG_FILENAME}.{BACKUPS}" in files
    assert len(files) == BACKUPS + 1
    assert all(p.stat().st_size <= MAX_BYTES + 2000 for p in log_dir.iterdir())


def test_exception_messages_are_withheld_and_tokens_masked(log_dir: Path) -> None:
    configure_logging("info", log_dir)
    try:
        raise ValueError("Tờ trình dự toán ngân sách mật")
    except ValueError:
        log.exception("unexpected error in a background op")
    log.info("header Authorization: Bearer abc.DEF-123_secret")
    log.info("retrying with password=hunter2 token: t0k3n")
    text = read_logs(log_dir)
    assert "Traceback" in text
    assert "ValueError (message withheld)" in text
    assert "ngân sách" not in text
    assert "abc.DEF-123_secret" not in text
    assert "Bearer [redacted]" in text
    assert "hunter2" not in text
    assert "t0k3n" not in text


def test_the_platform_log_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert str(log_directory()).startswith(str(tmp_path / "state"))
    assert "MeetingRoom" in str(log_directory())


# -- a full demo session leaves none of the demo's content in the log -------------------------


def _markers(store: object, password: str, username: str, token: str) -> set[str]:
    """Return the strings of the synced pack that must never reach a log."""
    from meetingroom import services
    from meetingroom.store import Store

    assert isinstance(store, Store)
    found: set[str] = {password, username, token}
    for meeting in services.list_meetings(store).items:
        found |= {meeting.title, meeting.location}
        found |= {item.title for item in services.agenda(store, meeting.id).items}
        found |= {p.display_name for p in services.participants(store, meeting.id).items}
        room = services.room(store, meeting.id)
        if room is not None:
            found.add(room.name)
        for doc in services.documents(store, meeting.id).items:
            found.add(doc.title)
            found |= {v.filename for v in services.versions(store, doc.id).items}
    # Short or purely numeric strings would match timestamps and counters by chance.
    return {m for m in found if m and len(m) >= 5 and not m.isdigit()}


@pytest.mark.slow
def test_a_full_demo_session_logs_no_content(
    qtbot: QtBot,
    seeded: Seeded,  # noqa: F811
    log_dir: Path,
    profile: Path,
    device_secrets: DeviceSecrets,
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from sync.auth import TokenStore
    from sync.transport import RetryPolicy
    from ui.app import AppServices, MeetingApp
    from ui.ops import ImmediateExecutor
    from ui.screens.meetings import MeetingListScreen
    from ui.screens.setup import SetupScreen
    from ui.screens.signin import SignInScreen
    from ui.screens.unlock import UnlockScreen

    configure_logging("debug", log_dir)
    username = "chutri"  # top-secret clearance: sees every demo document
    password = seeded.password(username)
    tokens = TokenStore(allow_insecure_backend=True)
    services = AppServices(
        profile,
        device_secrets=device_secrets,
        executor=ImmediateExecutor(),
        dialogs=False,
        tokens=tokens,
        retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02),
        deployment=Policy(server_url=seeded.server.base_url, failed_pin_limit=5),
    )
    app = MeetingApp(services)
    app.start()
    app.window.show()
    qtbot.addWidget(app.window)
    try:
        signin = app.window.stack.currentWidget()
        assert isinstance(signin, SignInScreen)
        signin.username.setText(username)
        signin.password.setText(password)
        QTest.mouseClick(signin.button, Qt.MouseButton.LeftButton)
        setup = app.window.stack.currentWidget()
        assert isinstance(setup, SetupScreen)
        setup.pin.setText("2468")
        setup.pin_confirm.setText("2468")
        setup.submit()
        assert isinstance(app.window.stack.currentWidget(), MeetingListScreen)
        store = app.store
        assert store is not None
        token = tokens.load(store.profile_id)
        assert token
        markers = _markers(store, password, username, token)
        assert len(markers) > 30  # the demo organisation really was synced
        meetings = app.meetings
        assert meetings is not None
        rows = meetings.model.meeting_rows()
        assert len(rows) >= 3
        for row in rows:
            page = app.open_meeting(row.id)
            page.flush()
        versions = [v for v in store.repos.versions.list().items if store.blobs.is_complete(v.id)]
        assert versions
        classified = 0
        for version in versions:
            data = open_document_bytes_checked(store, services.deployment or Policy(), version.id)
            assert bytes(data[:5]) == b"%PDF-"
            classified += version.classification is not Classification.NORMAL
        with RenderService(store, workers=1) as render:
            info = render.open(versions[0].id).result(timeout=60)
            render.render(versions[0].id, 0, zoom=1.0).result(timeout=60)
            assert info.page_count >= 1
        app.lock()
        unlock = app.window.stack.currentWidget()
        assert isinstance(unlock, UnlockScreen)
        QTest.keyClicks(unlock.secret, "1111")  # a wrong PIN is logged (its count only)
        QTest.keyClick(unlock.secret, Qt.Key.Key_Return)
        QTest.keyClicks(unlock.secret, "2468")
        QTest.keyClick(unlock.secret, Qt.Key.Key_Return)
        assert isinstance(app.window.stack.currentWidget(), MeetingListScreen)
        assert app.engine is not None
        app.engine.transport.base_url = "http://127.0.0.1:9"  # the network drops
        assert app.sync_now()
    finally:
        app.shutdown()
        close_logging()
    text = read_logs(log_dir)
    # Not vacuous: the session's own events are in the log.
    assert text.strip()
    assert "signed in (role chair)" in text
    assert "store: wrong PIN (1 failed)" in text
    assert "failed (ConnectionError), retrying" in text
    leaked = sorted(m for m in markers if m in text)
    assert leaked == [], f"log contains demo content: {leaked}"
    assert "%PDF" not in text
