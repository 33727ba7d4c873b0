"""Headless commands: ``meetingroom sync`` and ``meetingroom status``.

For IT filling laptops with tomorrow's meeting packs the evening before.
Never imports Qt. Exit codes are listed in ``EXIT_CODES`` and in --help.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import requests

from meetingroom.crypto import DeviceSecrets
from meetingroom.crypto.keys import Protection
from meetingroom.errors import PolicyError, StoreError, StoreNotFound, TooManyAttempts, WeakSecret
from meetingroom.policy import Policy, load_policy
from meetingroom.profile import profile_dir
from meetingroom.store import Store, UnlockPolicy
from sync.auth import TokenStore, signed_in_account
from sync.deploy import transport_options
from sync.engine import ProgressEvent, SyncEngine, SyncReport
from sync.errors import AuthRequired, NetworkError, ServerError, SyncBusy, WipeRequired
from sync.transport import Transport

OK, ERROR, USAGE, AUTH, NETWORK, REFUSED, WIPED, INCOMPLETE, LOCAL = 0, 1, 2, 3, 4, 5, 6, 7, 8
POLICY = 9
EXIT_CODES = """exit codes:
  0  every visible document is downloaded and verified
  1  unexpected error
  2  usage error
  3  sign-in failed or needed (wrong password, revoked or expired token)
  4  network failure (server unreachable, TLS or pin failure)
  5  the server refused a request
  6  the server ordered this device wiped: the profile was destroyed
  7  synced, but some documents are not downloaded yet (retry later)
  8  the local profile cannot be opened (wrong PIN, keyring unavailable)
  9  the deployment policy file is malformed (the message names file, line and key)

The deployment policy (policy.toml, or $MEETINGROOM_POLICY) fixes the server,
CA bundle, SPKI pins, proxy, PIN rules and the failed-PIN limit (reached: the
profile is wiped, exit 6); options that contradict it are refused.
"""


@dataclass
class Io:
    """Where a command reads and writes (the process's streams by default)."""

    stdin: IO[str] = field(default_factory=lambda: sys.stdin)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meetingroom",
        description="MeetingRoom headless commands",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EXIT_CODES,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser(
        "sync",
        help="sign in if needed and download everything the user may see",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EXIT_CODES,
    )
    s.add_argument("--server", metavar="URL", help="server address, e.g. https://hop.example.vn")
    s.add_argument("--user", metavar="NAME", help="account to sign in as")
    s.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin's first line"
    )
    s.add_argument(
        "--pin-stdin",
        action="store_true",
        help="read the profile PIN from stdin (the line after the password, if both)",
    )
    s.add_argument("--profile", metavar="DIR", help="profile directory (created if missing)")
    mode = s.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="sync once and exit (the default)")
    mode.add_argument("--watch", action="store_true", help="keep syncing every --interval")
    s.add_argument("--interval", type=float, default=300.0, metavar="SECONDS")
    s.add_argument("--ca-bundle", metavar="FILE", help="extra CA certificates to trust")
    s.add_argument(
        "--pin-spki",
        action="append",
        default=[],
        metavar="SHA256",
        help="pin the server key's SPKI SHA-256 (hex or base64; repeatable)",
    )
    s.add_argument("--device-name", metavar="NAME", help="name administrators see")
    st = sub.add_parser(
        "status",
        help="print what is offline, pending and last synced",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EXIT_CODES,
    )
    st.add_argument("--profile", metavar="DIR", help="profile directory")
    st.add_argument("--pin-stdin", action="store_true", help="read the profile PIN from stdin")
    return parser


def main(
    argv: list[str] | None = None,
    *,
    io: Io | None = None,
    device_secrets: DeviceSecrets | None = None,
    tokens: TokenStore | None = None,
    session: requests.Session | None = None,
) -> int:
    """Run ``sync`` or ``status``; return the exit code. The keyword arguments are for tests."""
    io = io or Io()
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return USAGE if exc.code else OK
    try:
        policy = load_policy()
    except PolicyError as exc:
        _say(io, f"meetingroom {args.command}: {exc}")
        return POLICY
    secrets_ = device_secrets or DeviceSecrets()
    tokens = tokens or TokenStore()
    if args.command == "status":
        return _status(args, io, secrets_)
    return _sync(args, io, secrets_, tokens, session, policy)


def _say(io: Io, text: str) -> None:
    print(text, file=io.stderr, flush=True)


def _read_line(io: Io) -> str | None:
    line = io.stdin.readline()
    return line.rstrip("\r\n") if line else None


def _open_store(
    directory: Path,
    pin: str | None,
    secrets_: DeviceSecrets,
    create: bool,
    policy: Policy | None = None,
) -> tuple[Store, bool]:
    """Return the unlocked store of ``directory`` (created when missing and ``create``).

    The policy's failed-PIN limit counts wrong PINs; reaching it wipes the
    profile. A new profile follows the policy's PIN rules.

    Raises:
        TooManyAttempts: the limit was reached (the profile is wiped).
        WeakSecret: a new profile's PIN breaks the policy's rules.
        StoreError: as ``Store.open``, ``Store.create`` and ``Store.unlock``.
    """
    policy = policy or Policy()
    unlock_policy = UnlockPolicy(max_attempts=policy.failed_pin_limit)
    try:
        store = Store.open(directory, device_secrets=secrets_, policy=unlock_policy)
    except StoreNotFound:
        if not create:
            raise
        if policy.pin_required and not pin:
            raise WeakSecret(
                "The deployment policy requires a PIN for a new profile: give it with --pin-stdin."
            ) from None
        if pin and len(pin) < policy.pin_min_length:
            raise WeakSecret(
                f"The deployment policy requires a PIN of at least {policy.pin_min_length} digits."
            ) from None
        protection = Protection.DEVICE_AND_PIN if pin else Protection.DEVICE
        store = Store.create(
            directory, protection, pin, device_secrets=secrets_, policy=unlock_policy
        )
        return store, True
    try:
        store.unlock(pin if store.protection.uses_secret else None)
    except TooManyAttempts:
        store.wipe()  # the deployment's rule: the limit wipes, it does not only refuse
        raise
    except BaseException:
        store.close()
        raise
    return store, False


def _contradicts_policy(args: argparse.Namespace, policy: Policy) -> str | None:
    """Return the option that contradicts the deployment policy, or None."""
    if policy.server_url and args.server and args.server.rstrip("/") != policy.server_url:
        return "--server"
    if policy.ca_bundle is not None and args.ca_bundle:
        return "--ca-bundle"
    if policy.spki_pins and args.pin_spki:
        return "--pin-spki"
    return None


class _Progress:
    """A progress bar on a terminal, plain lines otherwise."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.tty = out.isatty()
        self._stage: str | None = None
        self._items = -1

    def __call__(self, e: ProgressEvent) -> None:
        if self.tty:
            if e.bytes_total:
                width = 30
                filled = int(width * e.bytes_done / e.bytes_total)
                bar = "#" * filled + "-" * (width - filled)
                mb = f"{e.bytes_done / 1e6:.1f}/{e.bytes_total / 1e6:.1f} MB"
                line = f"\r{e.stage:6} [{bar}] {e.items_done}/{e.items_total} {mb}"
            else:
                line = f"\r{e.stage:6} {e.items_done}" + (
                    f"/{e.items_total}" if e.items_total else ""
                )
            self.out.write(line.ljust(79))
            self.out.flush()
            return
        if e.stage != self._stage:
            self._stage = e.stage
            self._items = -1
            total = f" ({e.items_total} items)" if e.items_total is not None else ""
            print(f"sync: {e.stage}{total}", file=self.out, flush=True)
        if e.stage in ("blobs", "upload") and e.items_done != self._items and e.items_done:
            self._items = e.items_done
            what = "documents" if e.stage == "blobs" else "uploaded"
            print(
                f"sync: {what} {e.items_done}/{e.items_total}, "
                f"{e.bytes_done}/{e.bytes_total} bytes",
                file=self.out,
                flush=True,
            )

    def end(self) -> None:
        if self.tty:
            self.out.write("\n")
            self.out.flush()


def _sync(
    args: argparse.Namespace,
    io: Io,
    secrets_: DeviceSecrets,
    tokens: TokenStore,
    session: requests.Session | None,
    policy: Policy | None = None,
) -> int:
    policy = policy or Policy()
    refused = _contradicts_policy(args, policy)
    if refused:
        _say(io, f"meetingroom sync: {refused} is set by the deployment policy ({policy.source})")
        return USAGE
    password = _read_line(io) if args.password_stdin else None
    pin = _read_line(io) if args.pin_stdin else None
    if args.password_stdin and not password:
        _say(io, "meetingroom sync: --password-stdin given but stdin had no password")
        return USAGE
    directory = Path(args.profile) if args.profile else profile_dir()
    try:
        store, created = _open_store(directory, pin, secrets_, create=True, policy=policy)
    except TooManyAttempts as exc:
        _say(
            io, f"meetingroom sync: {exc} The profile was wiped, as the deployment policy requires."
        )
        return WIPED
    except WeakSecret as exc:
        _say(io, f"meetingroom sync: {exc}")
        return USAGE
    except StoreError as exc:
        _say(io, f"meetingroom sync: cannot open the profile: {exc}")
        return LOCAL
    try:
        if created:
            _say(io, f"meetingroom sync: created a new profile in {directory}")
        server = policy.server_url or args.server or store.sync_state.get("server")
        if not server:
            _say(io, "meetingroom sync: --server is needed for a new profile")
            return USAGE
        progress = _Progress(io.stderr)
        try:
            options = transport_options(policy)
            transport = Transport(
                server,
                session,
                ca_bundle=options["ca_bundle"] or args.ca_bundle,
                spki_pins=options["spki_pins"] or args.pin_spki,
                proxy=options["proxy"],
            )
        except ValueError as exc:
            _say(io, f"meetingroom sync: bad --pin-spki: {exc}")
            return USAGE
        engine = SyncEngine(store, transport, tokens, on_progress=progress)
        while True:
            code = _sync_once(args, io, engine, password, progress)
            if not args.watch or code in (AUTH, WIPED, USAGE, LOCAL):
                return code
            try:
                time.sleep(args.interval)
            except KeyboardInterrupt:
                return code
    finally:
        store.close()


def _sign_in(
    args: argparse.Namespace, io: Io, engine: SyncEngine, password: str | None
) -> int | None:
    """Sign in with the given or prompted password; return an exit code on failure."""
    account = signed_in_account(engine.store)
    username = args.user or (account.username if account else None)
    if not username:
        _say(io, "meetingroom sync: --user is needed to sign in")
        return USAGE
    if password is None:
        if not io.stdin.isatty():
            _say(io, "meetingroom sync: sign-in needed; give the password with --password-stdin")
            return AUTH
        password = getpass.getpass(f"Password for {username}: ")
    engine.sign_in(username, password, args.device_name)
    return None


def _sync_once(
    args: argparse.Namespace,
    io: Io,
    engine: SyncEngine,
    password: str | None,
    progress: _Progress,
) -> int:
    report: SyncReport | None = None
    try:
        for attempt in range(2):
            if not engine.signed_in():
                failed = _sign_in(args, io, engine, password)
                if failed is not None:
                    return failed
            try:
                report = engine.sync()
                break
            except AuthRequired:
                # The token was revoked or expired: sign in again once, if we can.
                if attempt or password is None:
                    raise
    except AuthRequired as exc:
        progress.end()
        _say(io, f"meetingroom sync: sign-in failed ({exc.reason})")
        return AUTH
    except WipeRequired:
        progress.end()
        _say(io, "meetingroom sync: the server ordered this device wiped; its profile is destroyed")
        return WIPED
    except NetworkError as exc:
        progress.end()
        _say(io, f"meetingroom sync: network failure: {exc}")
        return NETWORK
    except ServerError as exc:
        progress.end()
        _say(io, f"meetingroom sync: {exc}")
        return REFUSED
    except SyncBusy:
        _say(io, "meetingroom sync: a sync is already running")
        return REFUSED
    except StoreError as exc:
        progress.end()
        _say(io, f"meetingroom sync: local profile problem: {exc}")
        return LOCAL
    progress.end()
    assert report is not None
    for problem in report.errors:
        _say(io, f"meetingroom sync: {problem}")
    print(
        f"synced: uploaded {report.uploaded} documents ({report.bytes_uploaded} bytes), "
        f"pushed {report.pushed}, pulled {report.pulled}, purged {report.purged}, "
        f"downloaded {report.downloaded} documents ({report.bytes_downloaded} bytes), "
        f"conflicts {report.conflicts}, missing {len(report.missing)}",
        file=io.stdout,
        flush=True,
    )
    return OK if report.complete else INCOMPLETE


def _status(args: argparse.Namespace, io: Io, secrets_: DeviceSecrets) -> int:
    directory = Path(args.profile) if args.profile else profile_dir()
    pin = _read_line(io) if args.pin_stdin else None
    try:
        store = Store.open(directory, device_secrets=secrets_)
    except StoreNotFound:
        _say(io, f"meetingroom status: no profile in {directory}")
        return LOCAL
    except StoreError as exc:
        _say(io, f"meetingroom status: cannot open the profile: {exc}")
        return LOCAL
    out = io.stdout
    try:
        state = store.sync_state
        with store.reading() as db:
            versions = db.execute(
                'SELECT count(*) FROM "document_versions" WHERE "deleted" = 0'
            ).fetchone()[0]
            offline = db.execute(
                'SELECT count(*) FROM "document_versions" v JOIN "blobs" b '
                'ON b."version_id" = v."id" WHERE v."deleted" = 0 AND b."complete" = 1'
            ).fetchone()[0]
            meetings = db.execute('SELECT count(*) FROM "meetings" WHERE "deleted" = 0').fetchone()[
                0
            ]
        last = state.last_sync
        print(f"profile: {directory}", file=out)
        print(f"server: {state.get('server') or '-'}", file=out)
        print(f"user: {state.get('username') or '-'}", file=out)
        print(f"last sync: {last.isoformat() if last else 'never'}", file=out)
        print(f"pending changes: {store.outbox.count()}", file=out)
        print(f"conflicts: {store.conflicts.count()}", file=out)
        print(f"meetings: {meetings}", file=out)
        print(f"documents offline: {offline}/{versions}", file=out)
        try:
            if store.protection.uses_secret and not pin:
                raise StoreError("locked")
            store.unlock(pin if store.protection.uses_secret else None)
        except StoreError:
            print("(meeting titles hidden: the profile is locked)", file=out)
        else:
            from meetingroom import services

            for meeting in services.list_meetings(store):
                print(f"  {meeting.starts_at:%Y-%m-%d %H:%M} {meeting.title}", file=out)
        out.flush()
        return OK
    finally:
        store.close()
