"""The deployment policy parser: every key, its defaults, every malformed form.

Each malformed form must raise ``PolicyError`` whose message names the file,
the line and the key — never fall back to a default.
"""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from meetingroom.domain import (
    Classification,
    Document,
    DocumentId,
    DocumentVersion,
    DocumentVersionId,
    MeetingId,
)
from meetingroom.errors import LeaseExpired, PolicyError
from meetingroom.lease import (
    check_document_readable,
    lease_expired,
    open_document_bytes_checked,
    version_level,
)
from meetingroom.policy import (
    ENV_POLICY,
    Policy,
    find_key_line,
    load_policy,
    system_policy_path,
)
from meetingroom.store import Store

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "policy.example.toml"
HEX_PIN = "ab" * 32
PEM = (
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0xBU1NJRklFRA==\n-----END CERTIFICATE-----\n"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def fails(tmp_path: Path, text: str) -> PolicyError:
    path = write(tmp_path, text)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    error = caught.value
    assert error.path == str(path)
    assert str(path) in str(error)
    return error


# -- defaults and every key -----------------------------------------------------------


def test_no_file_gives_the_documented_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_POLICY, raising=False)
    monkeypatch.setattr("meetingroom.policy.system_policy_path", lambda: tmp_path / "none.toml")
    policy = load_policy()
    assert policy == Policy()
    assert policy.source is None
    assert policy.server_url is None
    assert policy.ca_bundle is None
    assert policy.spki_pins == ()
    assert policy.proxy is None
    assert policy.pin_required is False
    assert policy.pin_min_length == 4
    assert policy.idle_lock_minutes == 10.0
    assert policy.failed_pin_limit == 10
    assert policy.lease_hours == 72.0
    assert policy.watermark is True
    assert policy.log_level == "info"
    for action in ("copy", "export", "print"):
        assert policy.allows(action, Classification.NORMAL)
        for level in (
            Classification.CONFIDENTIAL,
            Classification.SECRET,
            Classification.TOP_SECRET,
        ):
            assert not policy.allows(action, level)
    assert "defaults" in policy.describe_source()


def test_an_empty_file_is_the_defaults_with_its_source(tmp_path: Path) -> None:
    path = write(tmp_path, "# nothing set\n")
    policy = load_policy(path)
    assert policy.source == path
    assert policy.pin_min_length == Policy().pin_min_length


def test_the_shipped_example_is_valid_and_sets_every_section() -> None:
    policy = load_policy(EXAMPLE)
    assert policy.server_url == "https://hop.example.vn"
    assert policy.pin_required is True
    assert policy.pin_min_length == 6
    assert policy.idle_lock_minutes == 5.0
    assert policy.failed_pin_limit == 5
    assert policy.lease_hours == 72.0
    assert policy.allows("print", Classification.CONFIDENTIAL)
    assert not policy.allows("copy", Classification.CONFIDENTIAL)
    assert policy.log_level == "info"
    text = EXAMPLE.read_text(encoding="utf-8")
    # Every key is at least documented in the example (commented out or set).
    for key in (
        "url",
        "ca_bundle",
        "spki_pins",
        "proxy",
        "pin_required",
        "pin_min_length",
        "idle_lock_minutes",
        "failed_pin_limit",
        "lease_hours",
        "watermark",
        "copy",
        "export",
        "print",
        "level",
    ):
        assert f"{key} =" in text, key


def test_every_key_is_read(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text(PEM)
    path = write(
        tmp_path,
        f"""
[server]
url = "https://hop.example.vn/"
ca_bundle = "{bundle}"
spki_pins = ["{HEX_PIN}", "sha256/{"A" * 43}="]
proxy = "http://proxy.example.vn:3128"

[unlock]
pin_required = true
pin_min_length = 8
idle_lock_minutes = 0.5
failed_pin_limit = 3

[offline]
lease_hours = 12

[documents]
watermark = false
normal = {{ copy = false, export = true, print = true }}

[documents.confidential]
copy = true
export = false
print = true

[documents.secret]
print = true

[logging]
level = "DEBUG"
""",
    )
    policy = load_policy(path)
    assert policy.server_url == "https://hop.example.vn"  # trailing slash dropped
    assert policy.ca_bundle == bundle
    assert policy.spki_pins == (HEX_PIN, f"sha256/{'A' * 43}=")
    assert policy.proxy == "http://proxy.example.vn:3128"
    assert policy.pin_required is True
    assert policy.pin_min_length == 8
    assert policy.idle_lock_minutes == 0.5
    assert policy.failed_pin_limit == 3
    assert policy.lease_hours == 12.0
    assert policy.watermark is False
    assert not policy.allows("copy", Classification.NORMAL)
    assert policy.allows("export", Classification.NORMAL)
    assert policy.allows("copy", Classification.CONFIDENTIAL)
    assert not policy.allows("export", Classification.CONFIDENTIAL)
    assert policy.allows("print", Classification.SECRET)
    assert not policy.allows("copy", Classification.SECRET)  # left out: default
    assert not policy.allows("print", Classification.TOP_SECRET)
    assert policy.log_level == "debug"


def test_lease_false_means_no_lease(tmp_path: Path) -> None:
    assert load_policy(write(tmp_path, "[offline]\nlease_hours = false\n")).lease_hours is None


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost:8000/", "http://[::1]:8000"]
)
def test_plain_http_is_allowed_on_loopback_only(tmp_path: Path, url: str) -> None:
    policy = load_policy(write(tmp_path, f'[server]\nurl = "{url}"\n'))
    assert policy.server_url == url.rstrip("/")


# -- where the file comes from ----------------------------------------------------------


def test_environment_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "[unlock]\npin_min_length = 7\n")
    monkeypatch.setenv(ENV_POLICY, str(path))
    assert load_policy().pin_min_length == 7


def test_a_missing_file_named_by_the_environment_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "gone.toml"
    monkeypatch.setenv(ENV_POLICY, str(missing))
    with pytest.raises(PolicyError) as caught:
        load_policy()
    assert str(missing) in str(caught.value)
    assert "cannot be read" in str(caught.value)


def test_platform_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    assert system_policy_path("linux") == Path("/etc/meetingroom/policy.toml")
    assert system_policy_path("darwin") == Path(
        "/Library/Application Support/MeetingRoom/policy.toml"
    )
    monkeypatch.setenv("PROGRAMDATA", "D:\\PD")
    assert system_policy_path("win32") == Path("D:\\PD") / "MeetingRoom" / "policy.toml"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "[unlock]\npin_required = true\n")
    path.chmod(0)
    try:
        with pytest.raises(PolicyError) as caught:
            load_policy(path)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert "cannot be read" in str(caught.value)


def test_a_directory_instead_of_a_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError):
        load_policy(tmp_path)


def test_not_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_bytes(b'[server]\nurl = "\xff\xfe"\n')
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert "UTF-8" in str(caught.value)


# -- malformed forms: file, line and key in the message --------------------------------


def test_syntax_error_names_the_line_and_key(tmp_path: Path) -> None:
    error = fails(tmp_path, "[unlock]\npin_required = true\npin_min_length = six\n")
    assert error.line == 3
    assert error.key == "pin_min_length"
    assert "line 3" in str(error)
    assert "pin_min_length" in str(error)
    assert "not valid TOML" in str(error)


def test_syntax_error_without_a_key(tmp_path: Path) -> None:
    error = fails(tmp_path, "[unlock\n")
    assert error.line == 1
    assert "line 1" in str(error)


def test_duplicate_key_is_a_syntax_error(tmp_path: Path) -> None:
    error = fails(tmp_path, "[unlock]\npin_min_length = 6\npin_min_length = 8\n")
    assert error.line == 3


MALFORMED = [
    # (text, key, line, words in the problem)
    ("colour = 1\n", "colour", 1, "unknown key"),
    ("[unlock]\npin_lenght = 6\n", "unlock.pin_lenght", 2, "unknown key"),
    ("[server]\nurl = 'https://a.vn'\nport = 443\n", "server.port", 3, "unknown key"),
    ("[documents.confidential]\nshare = false\n", "documents.confidential.share", 2, "unknown"),
    ("[documents.restricted]\ncopy = false\n", "documents.restricted", 1, "unknown key"),
    ("server = 'https://a.vn'\n", "server", 1, "must be a table"),
    ("[documents]\nconfidential = true\n", "documents.confidential", 2, "must be a table"),
    ("[server]\nurl = 42\n", "server.url", 2, "URL string"),
    ("[server]\nurl = 'http://hop.example.vn'\n", "server.url", 2, "https://"),
    ("[server]\nurl = 'ftp://hop.example.vn'\n", "server.url", 2, "must start with"),
    ("[server]\nurl = 'hop.example.vn'\n", "server.url", 2, "host"),
    ("[server]\nurl = 'https://hop.example.vn:99999'\n", "server.url", 2, "not a valid URL"),
    ("[server]\nurl = 'https://a.vn/?x=1'\n", "server.url", 2, "query"),
    ("[server]\nproxy = 'socks5://p.vn:1080'\n", "server.proxy", 2, "must start with"),
    ("[server]\nproxy = true\n", "server.proxy", 2, "URL string"),
    ("[server]\nca_bundle = 'relative/ca.pem'\n", "server.ca_bundle", 2, "absolute"),
    ("[server]\nca_bundle = '/nonexistent/ca.pem'\n", "server.ca_bundle", 2, "cannot be read"),
    ("[server]\nca_bundle = 5\n", "server.ca_bundle", 2, "PEM"),
    ("[server]\nspki_pins = 'abc'\n", "server.spki_pins", 2, "list"),
    ("[server]\nspki_pins = []\n", "server.spki_pins", 2, "non-empty"),
    ("[server]\nspki_pins = ['abc']\n", "server.spki_pins", 2, "not an SPKI"),
    ("[server]\nspki_pins = ['" + "zz" * 32 + "']\n", "server.spki_pins", 2, "not an SPKI"),
    ("[server]\nspki_pins = [1]\n", "server.spki_pins", 2, "not an SPKI"),
    ("[unlock]\npin_required = 'yes'\n", "unlock.pin_required", 2, "true or false"),
    ("[unlock]\npin_required = 1\n", "unlock.pin_required", 2, "true or false"),
    ("[unlock]\npin_min_length = 3\n", "unlock.pin_min_length", 2, "between 4 and 64"),
    ("[unlock]\npin_min_length = 65\n", "unlock.pin_min_length", 2, "between"),
    ("[unlock]\npin_min_length = 6.5\n", "unlock.pin_min_length", 2, "whole number"),
    ("[unlock]\npin_min_length = true\n", "unlock.pin_min_length", 2, "whole number"),
    ("[unlock]\nidle_lock_minutes = 0\n", "unlock.idle_lock_minutes", 2, "more than 0"),
    ("[unlock]\nidle_lock_minutes = -5\n", "unlock.idle_lock_minutes", 2, "more than 0"),
    ("[unlock]\nidle_lock_minutes = 1441\n", "unlock.idle_lock_minutes", 2, "at most 1440"),
    ("[unlock]\nidle_lock_minutes = nan\n", "unlock.idle_lock_minutes", 2, "more than 0"),
    ("[unlock]\nidle_lock_minutes = '5'\n", "unlock.idle_lock_minutes", 2, "number"),
    ("[unlock]\nfailed_pin_limit = 0\n", "unlock.failed_pin_limit", 2, "between 1 and 100"),
    ("[unlock]\nfailed_pin_limit = 101\n", "unlock.failed_pin_limit", 2, "between"),
    ("[offline]\nlease_hours = 0\n", "offline.lease_hours", 2, "more than 0"),
    ("[offline]\nlease_hours = inf\n", "offline.lease_hours", 2, "more than 0"),
    ("[offline]\nlease_hours = true\n", "offline.lease_hours", 2, "number"),
    ("[offline]\nlease_hours = 10000\n", "offline.lease_hours", 2, "at most"),
    ("[documents]\nwatermark = 'on'\n", "documents.watermark", 2, "true or false"),
    ("[documents.secret]\nprint = 'no'\n", "documents.secret.print", 2, "true or false"),
    ("[documents]\nnormal.copy = 0\n", "documents.normal.copy", 2, "true or false"),
    ("[logging]\nlevel = 'verbose'\n", "logging.level", 2, "one of"),
    ("[logging]\nlevel = 10\n", "logging.level", 2, "string"),
]


@pytest.mark.parametrize(("text", "key", "line", "words"), MALFORMED)
def test_malformed_policy_names_file_line_and_key(
    tmp_path: Path, text: str, key: str, line: int, words: str
) -> None:
    error = fails(tmp_path, "# MeetingRoom policy\n" + text)
    assert error.key == key
    assert error.line == line + 1
    message = str(error)
    assert f"line {line + 1}" in message
    assert key in message
    assert words in message


def test_ca_bundle_without_a_certificate_is_refused(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate\n")
    error = fails(tmp_path, f'[server]\nca_bundle = "{bundle}"\n')
    assert error.key == "server.ca_bundle"
    assert "no PEM certificate" in str(error)


def test_find_key_line_follows_tables_and_dotted_keys() -> None:
    text = (
        "# header\n"
        "[server]\n"
        "url = 'x'\n"
        "\n"
        "[documents]\n"
        "secret.copy = true\n"
        "[documents.normal]  # note\n"
        "  copy = true\n"
    )
    assert find_key_line(text, "server.url") == 3
    assert find_key_line(text, "documents.secret.copy") == 6
    assert find_key_line(text, "documents.normal.copy") == 8
    assert find_key_line(text, "documents.normal") == 7
    assert find_key_line(text, "logging.level") is None


# -- the offline lease ---------------------------------------------------------------------


def _classified_version(store: Store, level: Classification) -> DocumentVersionId:
    from meetingroom import services
    from meetingroom.domain import Meeting

    meeting = Meeting(
        id=MeetingId(f"m-{level.value}"),
        title="Họp",
        starts_at=datetime(2030, 1, 1, tzinfo=UTC),
        ends_at=datetime(2030, 1, 1, 2, tzinfo=UTC),
    )
    doc = Document(
        id=DocumentId(f"d-{level.value}"),
        meeting_id=meeting.id,
        title="Tờ trình",
        classification=level,
    )
    data = b"%PDF-1.7\nlease test\n"
    import hashlib
    import io

    version = DocumentVersion(
        id=DocumentVersionId(f"v-{level.value}"),
        document_id=doc.id,
        number=1,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        page_count=1,
    )
    services.save(store, meeting, doc, version)
    services.store_document_bytes(store, version.id, io.BytesIO(data))
    return version.id


def test_lease_expires_for_classified_documents_only(store: Store) -> None:
    policy = Policy(lease_hours=24)
    secret = _classified_version(store, Classification.SECRET)
    normal = _classified_version(store, Classification.NORMAL)
    assert version_level(store, secret) is Classification.SECRET
    synced = datetime(2030, 1, 1, 8, tzinfo=UTC)
    # A local-only profile (never had a server) has no lease.
    assert not lease_expired(store, policy, Classification.SECRET, synced + timedelta(days=30))
    store.sync_state.set("server", "https://hop.example.vn")
    # A server but never a completed sync: no lease was granted.
    assert lease_expired(store, policy, Classification.SECRET, synced)
    store.sync_state.mark_synced(synced)
    within = synced + timedelta(hours=23, minutes=59)
    after = synced + timedelta(hours=24, minutes=1)
    assert not lease_expired(store, policy, Classification.SECRET, within)
    assert lease_expired(store, policy, Classification.SECRET, after)
    assert lease_expired(store, policy, Classification.CONFIDENTIAL, after)
    assert not lease_expired(store, policy, Classification.NORMAL, after)
    assert not lease_expired(store, Policy(lease_hours=None), Classification.SECRET, after)
    assert check_document_readable(store, policy, secret, within) is Classification.SECRET
    assert bytes(open_document_bytes_checked(store, policy, normal, after)).startswith(b"%PDF")
    with pytest.raises(LeaseExpired) as caught:
        open_document_bytes_checked(store, policy, secret, after)
    assert "24 hours" in str(caught.value)
    assert "sync" in str(caught.value)
    assert "Tờ trình" not in str(caught.value)  # no document names in messages
    # The next successful sync renews the lease.
    store.sync_state.mark_synced(after)
    assert bytes(open_document_bytes_checked(store, policy, secret, after)).startswith(b"%PDF")


def test_a_version_more_classified_than_its_document_counts(store: Store) -> None:
    from dataclasses import replace

    from meetingroom import services

    vid = _classified_version(store, Classification.NORMAL)
    version = store.repos.versions.get(vid)
    services.save(store, replace(version, classification=Classification.TOP_SECRET))
    assert version_level(store, vid) is Classification.TOP_SECRET
