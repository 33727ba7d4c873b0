"""``meetingroom doctor`` against the real server on 127.0.0.1 (plain and over TLS with a
self-signed certificate) and with broken inputs: a bad policy, a missing profile, a wrong
pin in the policy, an untrusted certificate, an unreachable server, a damaged record."""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn

from meetingroom import services
from meetingroom.crypto import DeviceSecrets, Protection
from meetingroom.domain import Meeting, MeetingId
from meetingroom.policy import ENV_POLICY
from meetingroom.store import Store
from server.app import create_app
from server.config import Settings
from sync.doctor import main as doctor
from tests.sync.conftest import Seeded
from tests.sync.selfsigned import self_signed_127

TLS = tuple[Path, Path, str]  # certificate, key, SPKI pin (hex)


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TLS:
    """A self-signed certificate for 127.0.0.1 (its own CA): files and its SPKI pin."""
    return self_signed_127(tmp_path_factory.mktemp("doctor-tls"))


@pytest.fixture(scope="module")
def https_url(seeded: Seeded, tls_files: TLS) -> Iterator[str]:
    """The real server (the seeded one's database) served over TLS on a free port."""
    backend = seeded.server.backend
    cert, key, _pin = tls_files
    config = uvicorn.Config(
        create_app(Settings(data_dir=backend.data_dir, database_url=backend.url)),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="on",
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-doctor", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the TLS test server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"https://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(15)


@pytest.fixture
def write_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    """Write a policy file and point $MEETINGROOM_POLICY at it."""

    def write(text: str) -> Path:
        path = tmp_path / "policy.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(ENV_POLICY, str(path))
        return path

    return write


@pytest.fixture(autouse=True)
def no_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """By default an explicit empty policy, so the machine's own file never leaks in."""
    path = tmp_path / "empty-policy.toml"
    path.write_text("")
    monkeypatch.setenv(ENV_POLICY, str(path))


def run(
    *args: str,
    secrets: DeviceSecrets,
    now: Callable[[], dt.datetime] | None = None,
) -> tuple[int, dict[str, str]]:
    """Run the doctor; return its exit code and its lines by check name (the last one wins)."""
    out = io.StringIO()
    code = doctor(list(args), out=out, device_secrets=secrets, now=now)
    lines: dict[str, str] = {}
    for line in out.getvalue().splitlines():
        status, rest = line.split(" ", 1)
        name = rest.strip().split(":", 1)[0]
        lines[name] = f"{status} {rest.strip()}"
    return code, lines


def make_profile(path: Path, secrets: DeviceSecrets, pin: str | None = None) -> Store:
    protection = Protection.DEVICE_AND_PIN if pin else Protection.DEVICE
    store = Store.create(path, protection, pin, device_secrets=secrets)
    start = dt.datetime(2030, 1, 1, 8, tzinfo=dt.UTC)
    services.save(
        store,
        Meeting(MeetingId("m-doctor"), "Họp kín", start, start + dt.timedelta(hours=2)),
    )
    return store


def test_everything_ok_over_tls_with_the_pin(
    https_url: str,
    tls_files: TLS,
    write_policy: Callable[[str], Path],
    profile: Path,
    device_secrets: DeviceSecrets,
) -> None:
    cert, _key, pin = tls_files
    write_policy(f'[server]\nurl = "{https_url}"\nca_bundle = "{cert}"\nspki_pins = ["{pin}"]\n')
    make_profile(profile, device_secrets).close()
    code, lines = run("--profile", str(profile), secrets=device_secrets)
    assert code == 0, lines
    assert lines["keyring"].startswith("OK ")
    assert lines["policy"].startswith("OK ")
    assert "policy.toml" in lines["policy"]
    assert lines["profile"].startswith("OK ")
    assert lines["integrity"].startswith("OK ")
    assert "records" in lines["integrity"]
    assert lines["server"].startswith("OK ")
    assert "reachable" in lines["server"]
    assert lines["tls"].startswith("OK ")
    assert "pin matches" in lines["tls"]
    assert lines["clock"].startswith("OK ")
    assert lines["disk"].split()[0] in {"OK", "WARN"}
    assert "Họp kín" not in "".join(lines.values())  # never meeting content


def test_a_wrong_pin_in_the_policy_fails_with_a_fix(
    https_url: str,
    tls_files: TLS,
    write_policy: Callable[[str], Path],
    profile: Path,
    device_secrets: DeviceSecrets,
) -> None:
    cert, _key, _pin = tls_files
    write_policy(
        f'[server]\nurl = "{https_url}"\nca_bundle = "{cert}"\nspki_pins = ["{"00" * 32}"]\n'
    )
    make_profile(profile, device_secrets).close()
    code, lines = run("--profile", str(profile), secrets=device_secrets)
    assert code == 1
    assert lines["server"].startswith("FAIL ")
    assert lines["tls"].startswith("FAIL ")
    assert "matches none of the policy's pins" in lines["tls"]
    assert "fix: update server.spki_pins" in lines["tls"]
    assert lines["clock"].startswith("WARN ")


def test_an_untrusted_certificate_fails(
    https_url: str, profile: Path, device_secrets: DeviceSecrets
) -> None:
    make_profile(profile, device_secrets).close()
    code, lines = run("--profile", str(profile), "--server", https_url, secrets=device_secrets)
    assert code == 1
    assert lines["tls"].startswith("FAIL ")
    assert "not trusted" in lines["tls"]
    assert "fix:" in lines["tls"]


def test_plain_http_loopback_server_and_clock_skew(
    seeded: Seeded, profile: Path, device_secrets: DeviceSecrets
) -> None:
    make_profile(profile, device_secrets).close()
    url = seeded.server.base_url
    code, lines = run("--profile", str(profile), "--server", url, secrets=device_secrets)
    assert code == 0, lines
    assert lines["server"].startswith("OK ")
    assert lines["tls"].startswith("WARN ")
    assert "plain http" in lines["tls"]
    ahead = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)  # noqa: E731
    code, lines = run("--profile", str(profile), "--server", url, secrets=device_secrets, now=ahead)
    assert code == 0  # a warning, not a failure
    assert lines["clock"].startswith("WARN ")
    assert "ahead of the server" in lines["clock"]
    assert "NTP" in lines["clock"]


def test_the_profiles_server_is_checked_when_none_is_given(
    seeded: Seeded, profile: Path, device_secrets: DeviceSecrets
) -> None:
    store = make_profile(profile, device_secrets)
    store.sync_state.set("server", seeded.server.base_url)
    store.close()
    code, lines = run("--profile", str(profile), secrets=device_secrets)
    assert code == 0, lines
    assert seeded.server.base_url in lines["server"]


def test_an_unreachable_server_fails(profile: Path, device_secrets: DeviceSecrets) -> None:
    make_profile(profile, device_secrets).close()
    code, lines = run(
        "--profile", str(profile), "--server", "http://127.0.0.1:9", secrets=device_secrets
    )
    assert code == 1
    assert lines["server"].startswith("FAIL ")
    assert "cannot be reached" in lines["server"]
    assert "fix: check the address" in lines["server"]
    assert lines["clock"].startswith("WARN ")


def test_a_bad_policy_fails_naming_file_line_and_key(
    write_policy: Callable[[str], Path], profile: Path, device_secrets: DeviceSecrets
) -> None:
    path = write_policy("[unlock]\npin_min_length = 2\n")
    make_profile(profile, device_secrets).close()
    code, lines = run("--profile", str(profile), secrets=device_secrets)
    assert code == 1
    line = lines["policy"]
    assert line.startswith("FAIL ")
    assert str(path) in line
    assert "line 2" in line
    assert "unlock.pin_min_length" in line
    assert "fix: correct unlock.pin_min_length" in line


def test_a_missing_profile_fails(tmp_path: Path, device_secrets: DeviceSecrets) -> None:
    code, lines = run("--profile", str(tmp_path / "nobody"), secrets=device_secrets)
    assert code == 1
    assert lines["profile"].startswith("FAIL ")
    assert "no profile" in lines["profile"]
    assert "fix: sign in" in lines["profile"]
    assert lines["server"].startswith("WARN ")  # nothing to check against
    assert lines["disk"].split()[0] in {"OK", "WARN"}


def test_a_plaintext_keyring_is_refused(profile: Path) -> None:
    code, lines = run("--profile", str(profile), secrets=DeviceSecrets())
    assert code == 1
    assert lines["keyring"].startswith("FAIL ")
    assert "PlaintextKeyring" in lines["keyring"]
    assert "fix:" in lines["keyring"]


def test_a_damaged_record_is_reported_by_id(profile: Path, device_secrets: DeviceSecrets) -> None:
    make_profile(profile, device_secrets).close()
    with sqlite3.connect(profile / "meetingroom.db") as db:
        db.execute("UPDATE meetings SET content = ? WHERE id = 'm-doctor'", (os.urandom(60),))
    code, lines = run("--profile", str(profile), secrets=device_secrets)
    assert code == 1
    assert lines["integrity"].startswith("FAIL ")
    assert "meetings/m-doctor" in lines["integrity"]
    assert "fix: sync again" in lines["integrity"]


def test_a_pin_profile_gets_a_structure_check_and_the_policy_pin_rule(
    write_policy: Callable[[str], Path], profile: Path, device_secrets: DeviceSecrets
) -> None:
    make_profile(profile, device_secrets, pin="2468").close()
    _code, lines = run("--profile", str(profile), secrets=device_secrets)
    assert lines["integrity"].startswith("OK ")
    assert "structure" in lines["integrity"]
    write_policy("[unlock]\npin_required = true\n")
    other = profile.parent / "nopin"
    make_profile(other, device_secrets).close()
    _code, lines = run("--profile", str(other), secrets=device_secrets)
    assert lines["profile PIN"].startswith("WARN ")


def test_the_meetingroom_command_routes_doctor_without_qt(tmp_path: Path) -> None:
    env = {**os.environ, ENV_POLICY: str(tmp_path / "none.toml")}
    (tmp_path / "none.toml").write_text("[logging]\nlevel = 'loud'\n")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from ui.main import main; code = main(sys.argv[1:]); "
            "assert 'PySide6' not in sys.modules; sys.exit(code)",
            "doctor",
            "--profile",
            str(tmp_path / "p"),
            "--server",
            "http://127.0.0.1:9",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    assert "FAIL policy" in out
    assert "logging.level" in out
    assert "FAIL profile" in out
    assert "FAIL server" in out
