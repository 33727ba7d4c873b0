"""First run: create the local profile, with a PIN (4+ digits, typed twice) or without.

When the OS keyring is unavailable the device secret cannot be kept, so the
screen shows the error's message and offers passphrase-only protection.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from meetingroom.crypto import DeviceSecrets, Protection
from meetingroom.crypto.keys import PASSPHRASE_MIN_LENGTH, PIN_MIN_LENGTH
from meetingroom.errors import KeyringUnavailable
from meetingroom.store import Store, UnlockPolicy
from ui.i18n import Translator
from ui.ops import Ops


class SetupScreen(QWidget):
    """Creates the profile's store; emits ``created(store)`` with it unlocked."""

    created = Signal(object)

    def __init__(
        self,
        tr: Translator,
        ops: Ops,
        profile_dir: Path,
        device_secrets: DeviceSecrets,
        policy: UnlockPolicy,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupScreen")
        self._tr = tr
        self._ops = ops
        self._profile_dir = profile_dir
        self._device_secrets = device_secrets
        self._policy = policy
        title = QLabel(f"<h1>{tr('setup_title')}</h1>")
        title.setToolTip(tr.other("setup_title"))
        title.setWordWrap(True)
        intro = QLabel(tr("setup_intro"))
        intro.setToolTip(tr.other("setup_intro"))
        intro.setWordWrap(True)
        self.use_pin = QRadioButton(tr("setup_use_pin"))
        self.use_pin.setToolTip(tr.other("setup_use_pin"))
        self.no_pin = QRadioButton(tr("setup_no_pin"))
        self.no_pin.setToolTip(tr.other("setup_no_pin"))
        self.use_passphrase = QRadioButton(tr("setup_use_passphrase"))
        self.use_passphrase.setToolTip(tr.other("setup_use_passphrase"))
        self.use_passphrase.setVisible(False)
        group = QButtonGroup(self)
        for button in (self.use_pin, self.no_pin, self.use_passphrase):
            group.addButton(button)
        self.use_pin.setChecked(True)
        digits = QRegularExpressionValidator(QRegularExpression(r"\d*"), self)
        self.pin = QLineEdit()
        self.pin.setObjectName("setupPin")
        self.pin_confirm = QLineEdit()
        self.pin_confirm.setObjectName("setupPinConfirm")
        for field in (self.pin, self.pin_confirm):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setValidator(digits)
        self.passphrase = QLineEdit()
        self.passphrase_confirm = QLineEdit()
        for field in (self.passphrase, self.passphrase_confirm):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        self._pin_rows = [(tr("pin"), self.pin), (tr("pin_confirm"), self.pin_confirm)]
        self._pass_rows = [
            (tr("passphrase"), self.passphrase),
            (tr("passphrase_confirm"), self.passphrase_confirm),
        ]
        for label, field in (*self._pin_rows, *self._pass_rows):
            form.addRow(label, field)
        self._form = form
        self.create_button = QPushButton(tr("setup_create"))
        self.create_button.setObjectName("setupCreate")
        self.create_button.setToolTip(tr.other("setup_create"))
        self.create_button.clicked.connect(self.submit)
        self.message = QLabel()
        self.message.setObjectName("setupMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c;")
        box = QWidget()
        box.setFixedWidth(560)
        inner = QVBoxLayout(box)
        for widget in (title, intro, self.use_pin, self.no_pin, self.use_passphrase):
            inner.addWidget(widget)
        inner.addLayout(form)
        inner.addWidget(self.create_button)
        inner.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        for button in (self.use_pin, self.no_pin, self.use_passphrase):
            button.toggled.connect(self._mode_changed)
        self._mode_changed()

    def _mode_changed(self) -> None:
        for _label, field in self._pin_rows:
            self._form.setRowVisible(field, self.use_pin.isChecked())
        for _label, field in self._pass_rows:
            self._form.setRowVisible(field, self.use_passphrase.isChecked())

    def offer_passphrase(self, error: KeyringUnavailable) -> None:
        """Show why the keyring cannot be used and switch to passphrase-only."""
        self.message.setText(self._tr.error(error))
        self.use_pin.setEnabled(False)
        self.no_pin.setEnabled(False)
        self.use_passphrase.setVisible(True)
        self.use_passphrase.setChecked(True)

    def validate(self) -> tuple[Protection, str | None] | None:
        """Return (protection, secret) from the form, or None after saying what is wrong."""
        tr = self._tr
        problem = None
        if self.use_pin.isChecked():
            pin = self.pin.text()
            if not pin.isdigit():
                problem = tr("pin_digits") if pin else tr("pin_too_short")
            elif len(pin) < PIN_MIN_LENGTH:
                problem = tr("pin_too_short")
            elif pin != self.pin_confirm.text():
                problem = tr("pin_mismatch")
            result: tuple[Protection, str | None] = (Protection.DEVICE_AND_PIN, pin)
        elif self.use_passphrase.isChecked():
            phrase = self.passphrase.text()
            if len(phrase) < PASSPHRASE_MIN_LENGTH:
                problem = tr("passphrase_too_short")
            elif phrase != self.passphrase_confirm.text():
                problem = tr("passphrase_mismatch")
            result = (Protection.PASSPHRASE, phrase)
        else:
            result = (Protection.DEVICE, None)
        if problem:
            self.message.setText(problem)
            return None
        return result

    def submit(self) -> None:
        """Create the store (on the worker) with the chosen protection."""
        chosen = self.validate()
        if chosen is None:
            return
        protection, secret = chosen
        self.message.clear()
        self.create_button.setEnabled(False)
        directory, secrets, policy = self._profile_dir, self._device_secrets, self._policy
        create: Callable[[], Store] = lambda: Store.create(  # noqa: E731
            directory, protection, secret, device_secrets=secrets, policy=policy
        )
        self._ops.run(self, create, self.created.emit, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.create_button.setEnabled(True)
        if isinstance(error, KeyringUnavailable):
            self.offer_passphrase(error)
        else:
            self.message.setText(self._tr.error(error))
