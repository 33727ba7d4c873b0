"""``meetingroom sync`` and ``meetingroom status`` against the real server."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from meetingroom.crypto import DeviceSecrets
from sync.auth import TokenStore
from sync.cli import AUTH, INCOMPLETE, LOCAL, NETWORK, OK, USAGE, WIPED, Io, main
from tests.server.conftest import PASSWORD, LiveServer
from tests.sync.conftest import build_meeting, new_user


def _run(argv: list[str], device_secrets: DeviceSecrets, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        argv,
        io=Io(io.StringIO(stdin), out, err),
        device_secrets=device_secrets,
        tokens=TokenStore(allow_insecure_backend=True),
    )
    return code, out.getvalue(), err.getvalue()


def test_sync_creates_a_pin_profile_downloads_everything_and_status_reports_it(
    live: LiveServer, tmp_path: Path, device_secrets: DeviceSecrets
) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    build_meeting(secretary, [delegate])
    profile = str(tmp_path / "p")
    argv = ["sync", "--server", live.base_url, "--user", delegate.username]
    argv += ["--password-stdin", "--pin-stdin", "--profile", profile, "--once"]
    code, out, err = _run(argv, device_secrets, f"{PASSWORD}\n482913\n")
    assert code == OK, err
    assert "downloaded 1 documents" in out
    assert "sync: blobs" in err
    assert "\r" not in err
    assert PASSWORD not in out + err
    # Signed in now: a second run needs the PIN only.
    code, out, err = _run(["sync", "--profile", profile, "--pin-stdin"], device_secrets, "482913\n")
    assert code == OK, err
    code, out, err = _run(
        ["status", "--profile", profile, "--pin-stdin"], device_secrets, "482913\n"
    )
    assert code == OK, err
    assert "documents offline: 1/1" in out
    assert "pending changes: 0" in out
    assert "last sync: never" not in out
    assert "Họp giao ban" in out
    code, out, _ = _run(["status", "--profile", profile], device_secrets)
    assert code == OK
    assert "Họp giao ban" not in out
    assert "locked" in out


def test_exit_codes_for_usage_auth_network_and_wipe(
    live: LiveServer, tmp_path: Path, device_secrets: DeviceSecrets
) -> None:
    delegate = new_user(live)
    profile = str(tmp_path / "p")
    assert _run(["sync", "--bogus"], device_secrets)[0] == USAGE
    base = ["sync", "--server", live.base_url, "--user", delegate.username, "--profile", profile]
    assert _run([*base, "--password-stdin"], device_secrets, "sai mật khẩu\n")[0] == AUTH
    assert _run(base, device_secrets)[0] == AUTH  # no token, no password, not a TTY
    dead = [
        "sync",
        "--server",
        "http://127.0.0.1:9",
        "--user",
        "x",
        "--profile",
        str(tmp_path / "q"),
    ]
    assert _run([*dead, "--password-stdin"], device_secrets, "x\n")[0] == NETWORK
    assert _run([*base, "--password-stdin"], device_secrets, f"{PASSWORD}\n")[0] == OK
    assert _run(["status", "--profile", str(tmp_path / "none")], device_secrets)[0] == LOCAL
    from meetingroom.store import Store

    with Store.open(profile, device_secrets=device_secrets) as store:
        device_id = store.sync_state.device_id()
    assert live.backend.cli("wipe-device", device_id) == 0
    code, _, err = _run(base, device_secrets)
    assert code == WIPED, err
    assert not (Path(profile) / "meetingroom.db").exists()


def test_a_document_whose_bytes_are_missing_exits_incomplete(
    live: LiveServer, tmp_path: Path, device_secrets: DeviceSecrets
) -> None:
    from tests.server.conftest import build_meeting as build_meeting_without_blobs

    secretary, delegate = new_user(live, "secretary"), new_user(live)
    build_meeting_without_blobs(secretary.api, [(delegate.api, "normal")])
    argv = ["sync", "--server", live.base_url, "--user", delegate.username]
    code, _, err = _run(
        [*argv, "--password-stdin", "--profile", str(tmp_path / "p")],
        device_secrets,
        f"{PASSWORD}\n",
    )
    assert code == INCOMPLETE, err
    assert "not downloaded" in err


def test_meetingroom_routes_headless_commands_without_importing_qt(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from ui.main import main\n"
        f"rc = main(['status', '--profile', {str(tmp_path / 'none')!r}])\n"
        "assert 'PySide6' not in sys.modules, 'Qt was imported'\n"
        "sys.exit(rc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == LOCAL, result.stderr
    assert "no profile" in result.stderr
    help_ = subprocess.run(
        [sys.executable, "-m", "ui.main", "sync", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert help_.returncode == 0
    assert "exit codes" in help_.stdout
    assert "wiped" in help_.stdout
