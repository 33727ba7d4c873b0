"""The ``meetingroom-server`` command: serve, migrate, and the admin subcommands.

Every subcommand takes the same ``--data``/``--database`` options, so an
admin command always talks to the database the server uses. Bad input ends
with a one-line message on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import socket
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from meetingroom.domain import Classification, Role
from server import accounts
from server.config import DEFAULT_HOST, DEFAULT_PORT, SETTINGS_ENV, Settings, settings_to_env
from server.db.engine import UnsupportedDatabase, create_db_engine
from server.db.migrate import upgrade
from server.routes import server_version

PROG = "meetingroom-server"
APP_FACTORY = "server.app:app_from_environment"


class CliError(Exception):
    """A problem to report in one line and exit with status 1."""


def _positive_int(text: str) -> int:
    """Return ``text`` as an int ≥ 1; raise ArgumentTypeError (a usage error) otherwise."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _accel_prefix(value: str) -> str:
    """Return an X-Accel-Redirect prefix: an absolute URI path, without a trailing slash."""
    prefix = value.rstrip("/")
    if not prefix.startswith("/") or any(c.isspace() or c in "?#" for c in prefix):
        raise argparse.ArgumentTypeError(f"not a URI path like /_blobs: {value!r}")
    return prefix


def _settings(args: argparse.Namespace) -> Settings:
    data = Path(args.data)
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CliError(f"cannot use data directory {data}: {e.strerror}") from e
    return Settings(
        data_dir=data,
        database_url=args.database,
        host=getattr(args, "host", DEFAULT_HOST),
        port=getattr(args, "port", DEFAULT_PORT),
        tls_cert=Path(args.tls_cert) if getattr(args, "tls_cert", None) else None,
        tls_key=Path(args.tls_key) if getattr(args, "tls_key", None) else None,
        accel_redirect=getattr(args, "accel_redirect", None),
        **(
            {"max_upload_bytes": args.max_upload_mb * 1000 * 1000}
            if getattr(args, "max_upload_mb", None) is not None
            else {}
        ),
    )


def _migrated_engine(settings: Settings) -> Engine:
    """Return an engine on the settings' database with every migration applied."""
    try:
        engine = create_db_engine(settings.resolved_database_url)
    except UnsupportedDatabase as e:
        raise CliError(str(e)) from e
    upgrade(engine)
    return engine


def cmd_migrate(args: argparse.Namespace) -> int:
    """Apply pending migrations; return 0."""
    _migrated_engine(_settings(args)).dispose()
    print("database is up to date")
    return 0


KEEP_ALIVE_SECONDS = 75


def cmd_serve(args: argparse.Namespace) -> int:
    """Migrate, then serve until interrupted; return 0."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from server.app import create_app

    if bool(args.tls_cert) != bool(args.tls_key):
        raise CliError("--tls-cert and --tls-key go together")
    for option in (args.tls_cert, args.tls_key):
        if option and not Path(option).is_file():
            raise CliError(f"no such file: {option}")
    settings = _settings(args)
    if args.workers > 1:
        # The processes share the cores: scrypt in all of them at once may
        # take at most all of them, never more.
        cpus = os.cpu_count() or 1
        settings = dataclasses.replace(settings, scrypt_threads=max(1, cpus // args.workers))
    _migrated_engine(settings).dispose()
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "ssl_certfile": settings.tls_cert,
        "ssl_keyfile": settings.tls_key,
        # The app's own handlers answer errors; the server header adds nothing.
        "server_header": False,
        "access_log": args.access_log,
        # Longer than nginx's upstream keepalive_timeout (60 s by default):
        # with uvicorn's 5 s, nginx could send a request on a kept-alive
        # connection the server was just closing, and a POST (not retried)
        # came back as 502 (seen in bench/server_bench.py's rush).
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
    }
    if args.workers == 1:
        uvicorn.run(create_app(settings), **options)
    else:
        # Each worker process imports the factory and builds its own app (and
        # engine) from the settings passed through the environment; all state
        # lives in the database and DATA, so the processes agree.
        os.environ[SETTINGS_ENV] = settings_to_env(settings)
        config = uvicorn.Config(APP_FACTORY, factory=True, workers=args.workers, **options)
        sock = config.bind_socket()
        # uvicorn's shared socket has proto 0, so asyncio skips TCP_NODELAY on
        # its connections (every small answer would wait ~40 ms for a delayed
        # ACK); accepted sockets inherit the option from the listening one.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            Multiprocess(config, sockets=[sock]).run()
        finally:
            sock.close()
    return 0


def _read_password() -> str:
    line = sys.stdin.readline()
    # Only the line ending goes: spaces may be part of a passphrase.
    return line.removesuffix("\n").removesuffix("\r")


def cmd_create_user(args: argparse.Namespace) -> int:
    """Create a user with the password read from stdin; return 0."""
    if not args.password_stdin:
        raise CliError("give the password on standard input with --password-stdin")
    password = _read_password()
    if not password:
        raise CliError("the password is empty")
    engine = _migrated_engine(_settings(args))
    try:
        with engine.begin() as conn:
            user = accounts.create_user(
                conn,
                args.username,
                password,
                Role(args.role),
                Classification(args.clearance),
                args.display_name,
            )
    except accounts.AccountError as e:
        raise CliError(str(e)) from e
    finally:
        engine.dispose()
    print(f"created {user.role.value} {user.username} ({user.id})")
    return 0


def cmd_list_users(args: argparse.Namespace) -> int:
    """Print one tab-separated line per user: username, role, clearance, display name, id."""
    engine = _migrated_engine(_settings(args))
    try:
        with engine.connect() as conn:
            users = accounts.list_users(conn)
    finally:
        engine.dispose()
    for u in users:
        print(f"{u.username}\t{u.role.value}\t{u.clearance.value}\t{u.display_name}\t{u.id}")
    return 0


def _device_command(action: Callable[..., None], done: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        engine = _migrated_engine(_settings(args))
        try:
            with engine.begin() as conn:
                action(conn, args.device_id)
        except accounts.AccountError as e:
            raise CliError(str(e)) from e
        finally:
            engine.dispose()
        print(f"device {args.device_id} {done}")
        return 0

    return run


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def cmd_seed_demo(args: argparse.Namespace) -> int:
    """Load the demo organisation; print ``ROLE USERNAME PASSWORD`` per account; return 0.

    Standard output carries only those lines, so scripts can read them;
    progress goes to standard error.
    """
    from server.demo.seed import SeedError, seed_demo

    settings = _settings(args)
    engine = _migrated_engine(settings)

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        result = seed_demo(
            engine,
            settings.data_dir,
            args.today or date.today(),
            seed=args.seed,
            force=args.force,
            progress=progress,
        )
    except SeedError as e:
        raise CliError(str(e)) from e
    except accounts.AccountError as e:
        raise CliError(str(e)) from e
    finally:
        engine.dispose()
    for a in result.accounts:
        print(f"{a.role.value} {a.username} {a.password}")
    sys.stdout.flush()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``meetingroom-server``."""
    parser = argparse.ArgumentParser(prog=PROG, description="The MeetingRoom meeting server.")
    parser.add_argument("--version", action="version", version=f"{PROG} {server_version()}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", required=True, metavar="DIR", help="the server's data directory")
    common.add_argument(
        "--database",
        metavar="URL",
        help="sqlite:///PATH or postgresql://... (default: a SQLite file inside DIR)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", parents=[common], help="migrate, then serve the API")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--tls-cert", metavar="FILE", help="PEM certificate (with --tls-key)")
    serve.add_argument("--tls-key", metavar="FILE", help="PEM private key (with --tls-cert)")
    serve.add_argument(
        "--max-upload-mb",
        type=_positive_int,
        metavar="MB",
        help="largest document a secretary may upload, in MB (default 500)",
    )
    serve.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        metavar="N",
        help="server processes sharing the port (default 1; about one per CPU core)",
    )
    serve.add_argument(
        "--access-log",
        action="store_true",
        help="log one line per request on standard output (default: off)",
    )
    serve.add_argument(
        "--accel-redirect",
        type=_accel_prefix,
        metavar="PREFIX",
        help="behind nginx: answer blob downloads with X-Accel-Redirect: PREFIX/ab/cd/<sha> "
        "and let nginx send the bytes from an internal location aliased to DATA/blobs",
    )
    serve.set_defaults(run=cmd_serve)

    migrate = sub.add_parser("migrate", parents=[common], help="apply database migrations")
    migrate.set_defaults(run=cmd_migrate)

    create = sub.add_parser("create-user", parents=[common], help="create an account")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument(
        "--clearance",
        default=Classification.NORMAL.value,
        choices=[c.value for c in Classification],
    )
    create.add_argument("--display-name", metavar="NAME")
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    create.set_defaults(run=cmd_create_user)

    listing = sub.add_parser("list-users", parents=[common], help="list the accounts")
    listing.set_defaults(run=cmd_list_users)

    revoke = sub.add_parser(
        "revoke-device", parents=[common], help="revoke a device's tokens and sign-ins"
    )
    revoke.add_argument("device_id")
    revoke.set_defaults(run=_device_command(accounts.revoke_device, "revoked"))

    wipe = sub.add_parser(
        "wipe-device", parents=[common], help="tell a device to wipe its meeting data"
    )
    wipe.add_argument("device_id")
    wipe.set_defaults(run=_device_command(accounts.wipe_device, "marked for wipe"))

    seed = sub.add_parser(
        "seed-demo",
        parents=[common],
        help="create the demo organisation; print ROLE USERNAME PASSWORD per account",
    )
    seed.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the day of the demo's current meeting (default: today)",
    )
    seed.add_argument(
        "--seed", type=int, metavar="N", help="fix the generated content (not the passwords)"
    )
    seed.add_argument(
        "--force",
        action="store_true",
        help="seed even if the database already has users (demo usernames are reused)",
    )
    seed.set_defaults(run=cmd_seed_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv``; return the exit code (0 ok, 1 failed, 2 usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse has printed usage or --help already
        return e.code if isinstance(e.code, int) else 2
    try:
        run: Callable[[argparse.Namespace], int] = args.run
        return run(args)
    except CliError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
    except SQLAlchemyError as e:
        # The driver's first line says what failed (unreachable host, bad
        # credentials) without SQL, parameters or a traceback.
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
        print(f"{PROG}: error: database: {reason}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
