"""The typed errors of the core. Each carries a message fit to show a user.

Callers catch ``MeetingRoomError`` to show ``str(error)``; the subclasses let
them react (ask for the PIN again, offer passphrase protection, and so on).
Messages never contain meeting content, keys or tokens.
"""

from __future__ import annotations


class MeetingRoomError(Exception):
    """Base of every error the core raises on purpose."""


class StoreError(MeetingRoomError):
    """Something is wrong with the local encrypted store."""


class StoreLocked(StoreError):
    """The store is locked: its data key is not in memory."""

    def __init__(self) -> None:
        super().__init__("The meeting data is locked. Unlock it with your PIN to continue.")


class WrongPin(StoreError):
    """The PIN or passphrase did not unlock the store."""

    def __init__(self, failed_attempts: int, attempts_left: int | None) -> None:
        self.failed_attempts = failed_attempts
        self.attempts_left = attempts_left
        left = "" if attempts_left is None else f" {attempts_left} attempt(s) left."
        super().__init__(f"Wrong PIN.{left}")


class TooManyAttempts(StoreError):
    """The policy's limit of failed unlock attempts has been reached."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"The PIN was entered wrongly {limit} times; this profile no longer unlocks. "
            "Sign in again or ask IT to reset it."
        )


class PinRequired(StoreError):
    """The store is protected by a PIN or passphrase and none was given."""

    def __init__(self) -> None:
        super().__init__("This profile is protected by a PIN. Enter it to unlock.")


class WeakSecret(StoreError):
    """A PIN or passphrase that does not meet the minimum length."""


class KeyringUnavailable(StoreError):
    """No usable OS keyring to hold the device secret."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(
            "No secure keyring is available on this computer to protect the meeting data "
            f"({detail}). Start or install the system keyring (for example GNOME Keyring or "
            "KWallet on Linux, or sign in to a desktop session), or choose protection by a "
            "passphrase alone (at least 12 characters), which you will enter at every unlock."
        )


class DeviceSecretMissing(StoreError):
    """The keyring no longer holds this profile's device secret."""

    def __init__(self) -> None:
        super().__init__(
            "This profile's key is missing from the system keyring (it may have been "
            "reset or the profile copied from another computer). The data cannot be "
            "unlocked here; sign in again to download the meeting pack afresh. "
            "The profile has been left untouched."
        )


class Tampered(StoreError):
    """A stored ciphertext failed authentication: modified, swapped or corrupted."""

    def __init__(self, table: str, row_id: str, field: str) -> None:
        self.table = table
        self.row_id = row_id
        self.field = field
        super().__init__(
            f"Record {table}/{row_id} ({field}) failed its integrity check: it was "
            "modified or damaged on disk. Other records are unaffected; sync again to "
            "restore it from the server."
        )


class StoreCorrupt(StoreError):
    """The database file is not a readable SQLite database any more."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        super().__init__(
            f"The local meeting database at {path} is damaged and cannot be read ({detail}). "
            "It has been left in place untouched; you can remove it and sign in again "
            "to download the meeting pack afresh."
        )


class StoreTooNew(StoreError):
    """The store was written by a newer version of MeetingRoom."""

    def __init__(self, path: str, unknown: list[str]) -> None:
        self.unknown = unknown
        super().__init__(
            f"The meeting database at {path} was written by a newer version of MeetingRoom "
            f"(unknown schema changes: {', '.join(unknown)}). Update MeetingRoom to open it."
        )


class StoreNotFound(StoreError):
    """No store exists at the given profile directory."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"No MeetingRoom profile at {path}.")


class StoreExists(StoreError):
    """A store already exists where a new one was to be created."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"A MeetingRoom profile already exists at {path}; it was not replaced. "
            "Wipe it first if you mean to start over."
        )


class DiskFull(StoreError):
    """A write failed because the disk (or the database size limit) is full."""

    def __init__(self) -> None:
        super().__init__(
            "The disk is full: the last change was not saved, and everything saved "
            "before it is intact. Free some space and try again."
        )


class ReadOnlyStore(StoreError):
    """A write failed because the database or its disk is read-only."""

    def __init__(self) -> None:
        super().__init__(
            "The meeting database cannot be written (the disk or file is read-only). "
            "The last change was not saved; everything saved before it is intact."
        )


class NotFound(StoreError):
    """The requested record does not exist (or is deleted)."""

    def __init__(self, table: str, row_id: str) -> None:
        self.table = table
        self.row_id = row_id
        super().__init__(f"No {table} record {row_id}.")


class IncompleteDocument(StoreError):
    """Document bytes were read before their download finished and verified."""

    def __init__(self, version_id: str) -> None:
        self.version_id = version_id
        super().__init__(f"Document version {version_id} is not fully downloaded yet.")


class ChecksumMismatch(StoreError):
    """Downloaded document bytes do not match the expected SHA-256."""

    def __init__(self, version_id: str) -> None:
        self.version_id = version_id
        super().__init__(
            f"The download of document version {version_id} is corrupted "
            "(its checksum does not match); it was discarded and will be fetched again."
        )


class DocumentError(MeetingRoomError):
    """A document version could not be opened, read or rendered.

    ``version_id`` names the document version, so the reader can tell the
    user which document failed (by its title) while the app carries on.
    """

    def __init__(self, version_id: str, message: str) -> None:
        self.version_id = version_id
        super().__init__(message)


class DocumentUnreadable(DocumentError):
    """The document's bytes are not a PDF that can be opened (damaged, truncated, other)."""

    def __init__(self, version_id: str, reason: str) -> None:
        self.reason = reason
        super().__init__(
            version_id,
            f"Document {version_id} cannot be opened: {reason}. The file may be damaged "
            "or not a PDF; ask the secretary for a new copy.",
        )


class DocumentPasswordProtected(DocumentError):
    """The PDF is encrypted with a password; meeting documents must not be."""

    def __init__(self, version_id: str) -> None:
        super().__init__(
            version_id,
            f"Document {version_id} is protected by a password and cannot be shown. "
            "Ask the secretary to upload a copy without a password.",
        )


class PageOutOfRange(DocumentError):
    """A page number outside the document was requested."""

    def __init__(self, version_id: str, page: int, page_count: int) -> None:
        self.page = page
        self.page_count = page_count
        super().__init__(
            version_id,
            f"Document {version_id} has {page_count} page(s); page {page + 1} does not exist.",
        )


class RenderFailed(DocumentError):
    """The renderer failed on this document (it crashed or raised); it was restarted."""

    def __init__(self, version_id: str, reason: str) -> None:
        self.reason = reason
        super().__init__(
            version_id,
            f"Document {version_id} could not be displayed ({reason}). "
            "Other documents are unaffected; try again or ask for a new copy.",
        )


class RenderTimeout(DocumentError):
    """The renderer took longer than its time limit on this document; it was restarted."""

    def __init__(self, version_id: str, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            version_id,
            f"Document {version_id} took longer than {seconds:g} s to display and was "
            "stopped. Other documents are unaffected; try again or ask for a new copy.",
        )


class RenderServiceClosed(MeetingRoomError):
    """A request was made to (or pending in) a render service that has been closed."""

    def __init__(self) -> None:
        super().__init__("The document viewer was closed; the request was not carried out.")


class PrepareError(MeetingRoomError):
    """A secretary's edit of a meeting pack was refused; nothing was changed."""


class InvalidMeeting(PrepareError):
    """Meeting details that cannot be saved (empty title, end before start)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"The meeting was not saved: {reason}.")


class InvalidStatusChange(PrepareError):
    """A status change the meeting's life cycle does not allow (e.g. closed -> draft)."""

    def __init__(self, current: str, wanted: str) -> None:
        self.current = current
        self.wanted = wanted
        super().__init__(f"A {current} meeting cannot be made {wanted}.")


class InvalidAgendaMove(PrepareError):
    """An agenda item cannot go there (under itself or one of its own sub-items)."""

    def __init__(self, item_id: str) -> None:
        self.item_id = item_id
        super().__init__("An agenda item cannot be moved under itself or one of its sub-items.")


class FileRejected(PrepareError):
    """A file offered as a meeting document failed its check; it was not attached.

    ``filename`` is the file's name (not its path) and ``reason`` a short
    machine-readable word, so a UI can word the message in its language.
    """

    reason = "rejected"

    def __init__(self, filename: str, detail: str) -> None:
        self.filename = filename
        super().__init__(f"{filename}: {detail}. The file was not attached.")


class NotAPdf(FileRejected):
    """The file is not a PDF."""

    reason = "not_pdf"

    def __init__(self, filename: str) -> None:
        super().__init__(filename, "this is not a PDF file")


class PdfPasswordProtected(FileRejected):
    """The PDF needs a password to open; meeting documents must not."""

    reason = "password"

    def __init__(self, filename: str) -> None:
        super().__init__(filename, "the PDF is protected by a password; attach a copy without one")


class PdfCorrupt(FileRejected):
    """The PDF is damaged: it cannot be opened or a page cannot be read."""

    reason = "corrupt"

    def __init__(self, filename: str, detail: str = "") -> None:
        self.detail = detail
        super().__init__(filename, "the PDF is damaged and cannot be read")


class FileTooLarge(FileRejected):
    """The file is bigger than the size limit for meeting documents."""

    reason = "too_large"

    def __init__(self, filename: str, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        mib = 1024 * 1024
        super().__init__(
            filename, f"the file is {size / mib:.1f} MiB, over the limit of {limit / mib:.0f} MiB"
        )


class FileUnreadable(FileRejected):
    """The file could not be read from disk (missing, no permission)."""

    reason = "unreadable"

    def __init__(self, filename: str, detail: str) -> None:
        self.detail = detail
        super().__init__(filename, f"the file cannot be read ({detail})")


class DuplicateDocument(FileRejected):
    """The same file (same SHA-256) is already attached to this meeting."""

    reason = "duplicate"

    def __init__(self, filename: str, existing_title: str, document_id: str) -> None:
        self.existing_title = existing_title
        self.document_id = document_id
        super().__init__(filename, "the same file is already attached to this meeting")


class ExportError(MeetingRoomError):
    """A document could not be exported; nothing was left at the destination."""


class ExportForbidden(ExportError):
    """Policy forbids exporting documents of this classification."""

    def __init__(self, classification: str) -> None:
        self.classification = classification
        super().__init__(
            f"Exporting {classification} documents is not allowed by this computer's policy."
        )


class ExportFailed(ExportError):
    """The export process failed (unreadable PDF, crash, or the file could not be written)."""

    def __init__(self, version_id: str, reason: str) -> None:
        self.version_id = version_id
        self.reason = reason
        super().__init__(
            f"Document {version_id} could not be exported: {reason}. Nothing was written."
        )


class ExportTimeout(ExportFailed):
    """The export process took longer than its time limit and was stopped."""

    def __init__(self, version_id: str, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(version_id, f"it took longer than {seconds:g} s and was stopped")


class PolicyError(MeetingRoomError):
    """The deployment policy file is unreadable or malformed; the app must not start.

    ``path``, ``line`` (1-based, None when unknown) and ``key`` (dotted,
    e.g. ``unlock.pin_min_length``; None when unknown) say where; ``problem``
    says what is wrong.
    """

    def __init__(self, path: object, line: int | None, key: str | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.key = key
        self.problem = problem
        where = self.path + (f", line {line}" if line is not None else "")
        what = f"key {key}: " if key else ""
        super().__init__(
            f"The MeetingRoom policy file {where} is not valid: {what}{problem}. "
            "Ask IT to correct it; MeetingRoom does not start with a broken policy."
        )


class LeaseExpired(StoreError):
    """A classified document was read after the policy's offline lease ran out.

    ``hours`` is the lease; ``level`` the document's classification value.
    The document becomes readable again after the next successful sync.
    """

    def __init__(self, version_id: str, level: str, hours: float) -> None:
        self.version_id = version_id
        self.level = level
        self.hours = hours
        super().__init__(
            f"This {level} document cannot be opened: this computer has not synced with "
            f"the meeting server for more than {hours:g} hours, the offline limit set by "
            "IT for classified documents. Connect to the network and sync, then open it again."
        )
