"""The ``meetingroom-server`` admin commands, run in-process against each backend."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from server.cli import main
from tests.server.conftest import Backend


def _name() -> str:
    return f"cli{secrets.token_hex(4)}"


def test_create_user_then_list_users_shows_it(
    backend: Backend, capsys: pytest.CaptureFixture[str]
) -> None:
    name = _name()
    code = backend.cli(
        "create-user",
        name,
        "--role",
        "secretary",
        "--clearance",
        "secret",
        "--display-name",
        "Nguyễn Thị Thu Hà",
        "--password-stdin",
        stdin="pw with spaces \n",
    )
    assert code == 0
    capsys.readouterr()
    assert backend.cli("list-users") == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    mine = [line for line in lines if line[0] == name]
    assert len(mine) == 1
    assert mine[0][1:4] == ["secretary", "secret", "Nguyễn Thị Thu Hà"]


@pytest.mark.parametrize(
    ("args", "stdin", "code", "message"),
    [
        (["--role", "delegate", "--password-stdin"], "\n", 1, "password is empty"),
        (["--role", "delegate", "--password-stdin"], "", 1, "password is empty"),
        (["--role", "delegate"], "pw\n", 1, "--password-stdin"),
        (["--role", "king", "--password-stdin"], "pw\n", 2, "invalid choice: 'king'"),
        (
            ["--role", "chair", "--clearance", "cosmic", "--password-stdin"],
            "pw\n",
            2,
            "invalid choice",
        ),
        (["--password-stdin"], "pw\n", 2, "--role"),
    ],
)
def test_create_user_rejects_bad_input_with_a_message(
    backend: Backend,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: str,
    code: int,
    message: str,
) -> None:
    assert backend.cli("create-user", _name(), *args, stdin=stdin) == code
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_duplicate_and_invalid_usernames_are_refused(
    backend: Backend, capsys: pytest.CaptureFixture[str]
) -> None:
    name = _name()
    assert (
        backend.cli("create-user", name, "--role", "chair", "--password-stdin", stdin="pw\n") == 0
    )
    assert (
        backend.cli("create-user", name, "--role", "chair", "--password-stdin", stdin="pw\n") == 1
    )
    assert f"a user named '{name}' already exists" in capsys.readouterr().err
    assert (
        backend.cli("create-user", "bad name", "--role", "chair", "--password-stdin", stdin="pw\n")
        == 1
    )
    assert "invalid username" in capsys.readouterr().err


def test_migrate_is_idempotent_and_default_database_is_inside_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["migrate", "--data", str(data)]) == 0
    assert main(["migrate", "--data", str(data)]) == 0
    assert (data / "meetingroom-server.db").is_file()
    assert "up to date" in capsys.readouterr().out


def test_bad_database_urls_and_options_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path)
    assert main(["list-users", "--data", data, "--database", "mysql://x/y"]) == 1
    assert "unsupported database 'mysql'" in capsys.readouterr().err
    assert main(["list-users", "--data", data, "--database", "postgresql://u@127.0.0.1:1/x"]) == 1
    assert "database:" in capsys.readouterr().err
    assert main(["serve", "--data", data, "--tls-cert", "c.pem"]) == 1
    assert "go together" in capsys.readouterr().err
    assert main(["serve", "--data", data, "--tls-cert", "c.pem", "--tls-key", "k.pem"]) == 1
    assert "no such file" in capsys.readouterr().err
    assert main(["list-users"]) == 2
    assert "--data" in capsys.readouterr().err
    assert main([]) == 2


def test_serve_takes_the_upload_size_limit_in_megabytes(tmp_path: Path) -> None:
    from server.cli import _settings, build_parser

    parser = build_parser()
    args = parser.parse_args(["serve", "--data", str(tmp_path), "--max-upload-mb", "5"])
    assert _settings(args).max_upload_bytes == 5_000_000
    default = parser.parse_args(["serve", "--data", str(tmp_path)])
    assert _settings(default).max_upload_bytes == 500_000_000
    for bad in ("0", "-3", "lots"):
        with pytest.raises(SystemExit) as exit_info:
            parser.parse_args(["serve", "--data", str(tmp_path), "--max-upload-mb", bad])
        assert exit_info.value.code == 2


def test_serve_accel_redirect_option_reaches_every_worker(tmp_path: Path) -> None:
    from server.cli import _settings, build_parser
    from server.config import settings_from_env, settings_to_env

    args = build_parser().parse_args(
        ["serve", "--data", str(tmp_path), "--accel-redirect", "/_blobs/"]
    )
    settings = _settings(args)
    assert settings.accel_redirect == "/_blobs"
    assert settings_from_env(settings_to_env(settings)).accel_redirect == "/_blobs"
    default = _settings(build_parser().parse_args(["serve", "--data", str(tmp_path)]))
    assert default.accel_redirect is None
    for bad in ("_blobs", "/", "/a b", "/x?y"):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["serve", "--data", str(tmp_path), "--accel-redirect", bad])


def test_settings_of_links_and_scrypt_reach_every_worker(tmp_path: Path) -> None:
    import dataclasses
    from datetime import timedelta

    from server.config import Settings, settings_from_env, settings_to_env

    settings = dataclasses.replace(
        Settings(data_dir=tmp_path), scrypt_threads=1, blob_link_lifetime=timedelta(seconds=90)
    )
    back = settings_from_env(settings_to_env(settings))
    assert back.scrypt_threads == 1
    assert back.blob_link_lifetime == timedelta(seconds=90)
    assert settings_from_env(settings_to_env(Settings(data_dir=tmp_path))).scrypt_threads is None
