"""UI fixtures: a real store in tmp_path (file keyring), ops run synchronously."""

from __future__ import annotations

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


@pytest.fixture
def services(profile: Path, device_secrets: DeviceSecrets) -> AppServices:
    return AppServices(
        profile, device_secrets=device_secrets, executor=ImmediateExecutor(), dialogs=False
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
