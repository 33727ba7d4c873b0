"""Sign-in: server address, username, password.

The screen only collects and checks the form; it emits ``submitted(server,
username, password)`` and the app signs in on the network worker, then
calls ``failed(message)`` or moves on. First run goes sign-in → PIN setup →
sign-in through the sync engine; a profile whose token was dropped comes
back here with its username filled in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui import policy_texts  # noqa: F401  registers the policy_* texts
from ui.i18n import Translator


class SignInScreen(QWidget):
    """Emits ``submitted(server, username, password)`` when the form is complete."""

    submitted = Signal(str, str, str)

    def __init__(
        self,
        tr: Translator,
        server: str = "",
        username: str = "",
        message: str = "",
        *,
        server_editable: bool = True,
        server_from_policy: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signInScreen")
        self._tr = tr
        title = QLabel(f"<h1>{tr('signin_title')}</h1>")
        title.setToolTip(tr.other("signin_title"))
        intro = QLabel(tr("signin_intro"))
        intro.setToolTip(tr.other("signin_intro"))
        intro.setWordWrap(True)
        self.server = QLineEdit(server)
        self.server.setObjectName("signInServer")
        self.server.setPlaceholderText("https://hop.example.vn")
        self.server.setReadOnly(not server_editable or server_from_policy)
        self.server.setAccessibleName(tr("server"))
        if server_from_policy:
            # The deployment policy fixes the server; say why the field is read-only.
            self.server.setToolTip(tr("policy_server_locked"))
            self.server.setAccessibleDescription(tr("policy_server_locked"))
        self.username = QLineEdit(username)
        self.username.setObjectName("signInUsername")
        self.username.setAccessibleName(tr("username"))
        self.password = QLineEdit()
        self.password.setObjectName("signInPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(tr("password"))
        form = QFormLayout()
        for key, field in (
            ("server", self.server),
            ("username", self.username),
            ("password", self.password),
        ):
            label = QLabel(tr(key))
            label.setToolTip(tr.other(key))
            label.setBuddy(field)
            form.addRow(label, field)
            if field is self.server and server_from_policy:
                locked = QLabel(tr("policy_server_locked"))
                locked.setObjectName("signInServerLocked")
                locked.setWordWrap(True)
                locked.setStyleSheet("color: #555;")
                form.addRow("", locked)
                self.server.setStyleSheet("background: palette(window);")
        self.button = QPushButton(tr("signin_button"))
        self.button.setObjectName("signInButton")
        self.button.setAccessibleName(tr("signin_button"))
        self.button.setToolTip(tr.other("signin_button"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.password.returnPressed.connect(self.submit)
        self.message = QLabel(message)
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c;")
        box = QWidget()
        box.setFixedWidth(560)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(intro)
        inner.addLayout(form)
        inner.addWidget(self.button)
        inner.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self._first = (
            self.server
            if not server and not self.server.isReadOnly()
            else self.username
            if not username
            else self.password
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._first.setFocus()

    def submit(self) -> None:
        """Check the form and emit ``submitted``; say what is missing otherwise."""
        server = self.server.text().strip()
        username = self.username.text().strip()
        password = self.password.text()
        if not server or not username or not password:
            self.message.setText(self._tr("signin_missing"))
            return
        if "://" not in server:
            server = f"https://{server}"
            self.server.setText(server)
        self.message.setText(self._tr("signing_in"))
        self.message.setStyleSheet("color: palette(text);")
        self.button.setEnabled(False)
        self.submitted.emit(server, username, password)

    def failed(self, message: str) -> None:
        """Show why sign-in failed and let the user try again."""
        self.message.setStyleSheet("color: #b71c1c;")
        self.message.setText(message)
        self.password.clear()
        self.button.setEnabled(True)
        self.password.setFocus()
