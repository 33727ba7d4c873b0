"""The lock / unlock screen: PIN entry for an existing profile.

Unlocking runs on the ops worker (scrypt takes a moment). Failures are shown
on the screen itself, in words: wrong PIN with the attempts left, too many
attempts, PIN required, the keyring's secret missing or the keyring gone.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from meetingroom.crypto import Protection
from meetingroom.errors import TooManyAttempts
from meetingroom.store import Store
from ui import policy_texts  # noqa: F401  registers the policy_* texts
from ui.i18n import Translator
from ui.ops import Ops


class UnlockScreen(QWidget):
    """Asks for the PIN (or passphrase) and unlocks the store; emits ``unlocked``."""

    unlocked = Signal()
    # The policy's failed-PIN limit was reached (the app wipes the profile).
    too_many_attempts = Signal()

    def __init__(
        self,
        tr: Translator,
        ops: Ops,
        protection: Protection,
        parent: QWidget | None = None,
        *,
        wipe_after: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("unlockScreen")
        self._tr = tr
        self._ops = ops
        self._protection = protection
        title = QLabel(f"<h1>{tr('locked_title')}</h1>")
        title.setToolTip(tr.other("locked_title"))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        name = QLabel(tr("app_title"))
        name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint_key = {
            Protection.DEVICE: "unlock_hint_device",
            Protection.DEVICE_AND_PIN: "unlock_hint_pin",
            Protection.PASSPHRASE: "unlock_hint_passphrase",
        }[protection]
        hint = QLabel(tr(hint_key))
        hint.setToolTip(tr.other(hint_key))
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.secret = QLineEdit()
        self.secret.setObjectName("unlockSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(
            tr("pin") if protection is Protection.DEVICE_AND_PIN else tr("passphrase")
        )
        self.secret.setVisible(protection.uses_secret)
        self.secret.setAccessibleName(
            tr("pin") if protection is Protection.DEVICE_AND_PIN else tr("passphrase")
        )
        self.secret.returnPressed.connect(self.submit)
        self.button = QPushButton(tr("unlock"))
        self.button.setObjectName("unlockButton")
        self.button.setAccessibleName(tr("unlock"))
        self.button.setToolTip(tr.other("unlock"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.message = QLabel()
        self.message.setObjectName("unlockMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c;")
        box = QWidget()
        box.setFixedWidth(380)
        inner = QVBoxLayout(box)
        # Warn before a wipe, not only after it (policy: failed-PIN limit).
        self.wipe_warning = QLabel(
            tr("policy_attempts_before_wipe", limit=wipe_after) if wipe_after else ""
        )
        self.wipe_warning.setObjectName("unlockWipeWarning")
        self.wipe_warning.setWordWrap(True)
        self.wipe_warning.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.wipe_warning.setVisible(bool(wipe_after) and protection.uses_secret)
        # The centred box is laid out at its size hint: leave room for a wrapped line.
        self.wipe_warning.setMinimumHeight(self.wipe_warning.fontMetrics().lineSpacing() * 3)
        for widget in (title, name, hint, self.secret, self.button, self.message):
            inner.addWidget(widget)
        inner.addWidget(self.wipe_warning)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.secret.setFocus()

    def submit(self) -> None:
        """Try to unlock with what was typed (on the worker)."""
        secret = self.secret.text() or None
        self.secret.clear()
        self.message.clear()
        self.button.setEnabled(False)
        unlock: Callable[[Store], None] = lambda store: store.unlock(secret)  # noqa: E731
        self._ops.query(self, unlock, self._done, self._failed)

    def _done(self, _result: None) -> None:
        self.button.setEnabled(True)
        self.unlocked.emit()

    def _failed(self, error: BaseException) -> None:
        self.message.setText(self._tr.error(error))
        self.button.setEnabled(not isinstance(error, TooManyAttempts))
        self.secret.setEnabled(not isinstance(error, TooManyAttempts))
        self.secret.setFocus()
        if isinstance(error, TooManyAttempts):
            self.too_many_attempts.emit()
