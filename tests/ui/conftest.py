"""UI fixtures: a real store in tmp_path (file keyring), ops run synchronously."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from meetingroom.crypto import DeviceSecrets, Protection
from meetingroom.domain import MeetingId, UserId
from meetingroom.store import Store
from ui.app import AppServices, MeetingApp
from ui.context import UiContext, ensure_user_id
from ui.demo import fill_sample
from ui.i18n import Translator
from ui.ops import ErrorReporter, ImmediateExecutor, Ops

PIN = "2468"


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread() -> Iterator[None]:
    """Collect each test's Qt object cycles here, not later on some worker thread.

    A cycle holding QObjects that the garbage collector happens to free on a
    server or download thread crashes Qt; collecting on the GUI thread after
    each test keeps that from happening.
    """
    yield
    gc.collect()


@pytest.fixture
def services(profile: Path, device_secrets: DeviceSecrets) -> AppServices:
    """A local-only profile (no server): the offline screens' tests."""
    return AppServices(
        profile,
        device_secrets=device_secrets,
        executor=ImmediateExecutor(),
        dialogs=False,
        offline=True,
    )


@pytest.fixture
def pin_store(profile: Path, device_secrets: DeviceSecrets) -> Iterator[Store]:
    """A PIN-protected profile with the sample meetings; unlocked."""
    s = Store.create(profile, Protection.DEVICE_AND_PIN, PIN, device_secrets=device_secrets)
    yield s
    s.close()


@pytest.fixture
def user_id(profile: Path, pin_store: Store) -> UserId:
    return ensure_user_id(profile)


@pytest.fixture
def sample(pin_store: Store, user_id: UserId) -> MeetingId:
    return fill_sample(pin_store, user_id)


@pytest.fixture
def ctx(qtbot: object, pin_store: Store, user_id: UserId) -> UiContext:
    tr = Translator()
    ops = Ops(ImmediateExecutor(), ErrorReporter(tr, dialogs=False), lambda: pin_store)
    return UiContext(tr, ops, user_id, date.today)


@pytest.fixture
def app(
    qtbot: object, services: AppServices, pin_store: Store, sample: MeetingId
) -> Iterator[MeetingApp]:
    """The whole app on the sample profile, already unlocked."""
    meeting_app = MeetingApp(services, pin_store)
    meeting_app.start()
    meeting_app.window.show()
    yield meeting_app
    meeting_app.guard.detach()
    meeting_app.window.close()


# The real server of tests/sync (demo-seeded SQLite on 127.0.0.1, one per session).
from tests.sync.conftest import live, seeded  # noqa: E402, F401
