"""First run: create the local profile, with a PIN (4+ digits, typed twice) or without.

When the OS keyring is unavailable the device secret cannot be kept, so the
screen shows the error's message and offers passphrase-only protection. The
deployment policy may require a PIN (the "No PIN" choice is then removed)
and a longer minimum length.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator, QShowEvent
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
from ui import policy_texts  # noqa: F401  registers the policy_* texts
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
        *,
        pin_required: bool = False,
        pin_min_length: int = PIN_MIN_LENGTH,
        message: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupScreen")
        self._tr = tr
        self._ops = ops
        self._profile_dir = profile_dir
        self._device_secrets = device_secrets
        self._policy = policy
        self._pin_required = pin_required
        self._pin_min = max(PIN_MIN_LENGTH, pin_min_length)
        self._passphrase_min = max(PASSPHRASE_MIN_LENGTH, self._pin_min)
        title = QLabel(f"<h1>{tr('setup_title')}</h1>")
        title.setToolTip(tr.other("setup_title"))
        title.setWordWrap(True)
        # The stock intro names the store's own 4-digit minimum; a policy states its own.
        policy_rules = pin_required or self._pin_min > PIN_MIN_LENGTH
        intro_key = "policy_setup_intro" if policy_rules else "setup_intro"
        intro = QLabel(tr(intro_key))
        intro.setToolTip(tr.other(intro_key))
        intro.setWordWrap(True)
        self.use_pin = QRadioButton(tr("setup_use_pin"))
        self.use_pin.setToolTip(tr.other("setup_use_pin"))
        self.no_pin = QRadioButton(tr("setup_no_pin"))
        self.no_pin.setToolTip(tr.other("setup_no_pin"))
        self.use_passphrase = QRadioButton(tr("setup_use_passphrase"))
        self.use_passphrase.setToolTip(tr.other("setup_use_passphrase"))
        self.use_passphrase.setVisible(False)
        self.use_pin.setAccessibleName(tr("setup_use_pin"))
        self.no_pin.setAccessibleName(tr("setup_no_pin"))
        self.use_passphrase.setAccessibleName(tr("setup_use_passphrase"))
        # A policy that requires a PIN removes the choice not to have one.
        self.no_pin.setVisible(not pin_required)
        self.no_pin.setEnabled(not pin_required)
        rule_key = None
        if pin_required:
            rule_key = "policy_setup_required"
        elif self._pin_min > PIN_MIN_LENGTH:
            rule_key = "policy_setup_min"
        self.rules = QLabel(tr(rule_key, n=self._pin_min) if rule_key else "")
        self.rules.setObjectName("setupPolicyRules")
        self.rules.setWordWrap(True)
        self.rules.setVisible(rule_key is not None)
        if rule_key:
            self.rules.setToolTip(tr.other(rule_key, n=self._pin_min))
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
        self.pin.setAccessibleName(tr("pin"))
        self.pin_confirm.setAccessibleName(tr("pin_confirm"))
        self.passphrase = QLineEdit()
        self.passphrase_confirm = QLineEdit()
        self.passphrase.setAccessibleName(tr("passphrase"))
        self.passphrase_confirm.setAccessibleName(tr("passphrase_confirm"))
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
        self.create_button.setAccessibleName(tr("setup_create"))
        self.create_button.setToolTip(tr.other("setup_create"))
        self.create_button.clicked.connect(self.submit)
        self.message = QLabel(message)
        self.message.setObjectName("setupMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c;")
        box = QWidget()
        box.setFixedWidth(560)
        inner = QVBoxLayout(box)
        for widget in (title, intro, self.rules, self.use_pin, self.no_pin, self.use_passphrase):
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
        # Keyboard: Tab goes PIN -> confirm -> create; Enter in a confirm field creates.
        QWidget.setTabOrder(self.pin, self.pin_confirm)
        QWidget.setTabOrder(self.pin_confirm, self.create_button)
        self.pin.returnPressed.connect(self.pin_confirm.setFocus)
        self.pin_confirm.returnPressed.connect(self.submit)
        self.passphrase_confirm.returnPressed.connect(self.submit)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        first = self.pin if self.use_pin.isChecked() else self.passphrase
        if first.isVisible():
            first.setFocus()

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
            too_short = tr("policy_pin_too_short", n=self._pin_min)
            if not pin.isdigit():
                problem = tr("pin_digits") if pin else too_short
            elif len(pin) < self._pin_min:
                problem = too_short
            elif pin != self.pin_confirm.text():
                problem = tr("pin_mismatch")
            result: tuple[Protection, str | None] = (Protection.DEVICE_AND_PIN, pin)
        elif self.use_passphrase.isChecked():
            phrase = self.passphrase.text()
            if len(phrase) < self._passphrase_min:
                problem = tr("policy_passphrase_too_short", n=self._passphrase_min)
            elif phrase != self.passphrase_confirm.text():
                problem = tr("passphrase_mismatch")
            result = (Protection.PASSPHRASE, phrase)
        elif self._pin_required:
            problem = tr("policy_setup_required", n=self._pin_min)
            result = (Protection.DEVICE, None)
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
