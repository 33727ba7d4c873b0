"""``meetingroom doctor``: checks this computer's MeetingRoom set-up, one line per check.

Checks, in order: the keyring backend, the deployment policy, the profile
and its integrity, the server's reachability, TLS and the key pin, the
clock against the server's, and free disk in the profile's folder. Each
line starts OK, WARN or FAIL; a failure carries a fix. Exit code 0 when
nothing failed, 1 otherwise (2 for a usage error).

Never imports Qt; prints no meeting content, tokens or keys (a profile
without a PIN is unlocked to verify its records, but only counts and
record ids are printed).
"""

from __future__ import annotations

import argparse
import email.utils
import shutil
import socket
import ssl
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import requests

from meetingroom.crypto import DeviceSecrets
from meetingroom.errors import KeyringUnavailable, PolicyError, StoreError, StoreNotFound
from meetingroom.policy import Policy, load_policy
from meetingroom.profile import profile_dir
from meetingroom.store import Store
from sync.deploy import policy_transport
from sync.errors import NetworkError, ServerError, SyncError, TlsError
from sync.transport import RetryPolicy, parse_pin, spki_sha256

OK, WARN, FAIL = "OK", "WARN", "FAIL"
SKEW_WARN_SECONDS = 120.0
FREE_DISK_WARN_BYTES = 1024**3


@dataclass(frozen=True, slots=True)
class Check:
    """One check's outcome: ``status`` OK/WARN/FAIL, what was found, and a fix when not OK."""

    name: str
    status: str
    detail: str
    fix: str = ""

    def line(self) -> str:
        """Return the check as one printed line."""
        text = f"{self.status:<4} {self.name}: {self.detail}"
        return f"{text} — fix: {self.fix}" if self.fix and self.status != OK else text


@dataclass
class Context:
    """What the checks share as they run."""

    profile: Path
    server: str | None
    device_secrets: DeviceSecrets
    session: requests.Session | None
    now: Callable[[], datetime]
    policy: Policy | None = None
    policy_ok: bool = False
    store_server: str | None = None
    server_date: datetime | None = None
    reached: bool = False
    tls_refused: bool = False


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meetingroom doctor",
        description="Check this computer's MeetingRoom set-up: keyring, policy, profile, "
        "server, TLS and pin, clock and disk. Exit 0 when no check failed, 1 otherwise.",
    )
    parser.add_argument("--profile", metavar="DIR", help="profile directory to check")
    parser.add_argument(
        "--server", metavar="URL", help="server to check (default: the policy's or the profile's)"
    )
    return parser


def main(
    argv: list[str] | None = None,
    *,
    out: IO[str] | None = None,
    device_secrets: DeviceSecrets | None = None,
    session: requests.Session | None = None,
    now: Callable[[], datetime] | None = None,
) -> int:
    """Run every check, print one line each; return 0 when none failed, 1 otherwise.

    The keyword arguments are for tests.
    """
    out = out or sys.stdout
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    ctx = Context(
        profile=profile_dir(override=args.profile),
        server=args.server,
        device_secrets=device_secrets or DeviceSecrets(),
        session=session,
        now=now or (lambda: datetime.now(UTC)),
    )
    failed = False
    for check in run_checks(ctx):
        print(check.line(), file=out, flush=True)
        failed = failed or check.status == FAIL
    return 1 if failed else 0


def run_checks(ctx: Context) -> Iterator[Check]:
    """Yield the checks' outcomes in order (later checks use what earlier ones found)."""
    yield check_keyring(ctx)
    yield check_policy(ctx)
    yield from check_profile(ctx)
    yield from check_server(ctx)
    yield check_disk(ctx)


# -- keyring and policy ------------------------------------------------------------------


def check_keyring(ctx: Context) -> Check:
    """Return whether a protecting keyring backend is usable (plaintext and fail refused)."""
    try:
        ctx.device_secrets.check_available()
        name = ctx.device_secrets.backend_name()
    except KeyringUnavailable as exc:
        return Check(
            "keyring",
            FAIL,
            f"no usable keyring ({exc.detail})",
            "start the system keyring (GNOME Keyring/KWallet on Linux; sign in to a desktop "
            "session), or configure keyring to use it (python -m keyring diagnose)",
        )
    except Exception as exc:  # a broken backend raises whatever it likes
        return Check(
            "keyring",
            FAIL,
            f"the keyring failed ({type(exc).__name__})",
            "repair or reinstall the system keyring",
        )
    return Check("keyring", OK, f"backend {name}")


def check_policy(ctx: Context) -> Check:
    """Return whether the deployment policy is valid, and where it comes from."""
    try:
        policy = load_policy()
    except PolicyError as exc:
        ctx.policy = Policy()
        where = exc.path + (f" line {exc.line}" if exc.line else "")
        return Check(
            "policy",
            FAIL,
            str(exc),
            f"correct {exc.key or 'the file'} in {where} (see resources/policy.example.toml)",
        )
    ctx.policy = policy
    ctx.policy_ok = True
    return Check("policy", OK, f"valid ({policy.describe_source()})")


# -- profile -------------------------------------------------------------------------------


def check_profile(ctx: Context) -> Iterator[Check]:
    """Yield the profile's checks: it exists and opens, its protection, its records' integrity."""
    policy = ctx.policy or Policy()
    try:
        store = Store.open(ctx.profile, device_secrets=ctx.device_secrets)
    except StoreNotFound:
        yield Check(
            "profile",
            FAIL,
            f"no profile in {ctx.profile}",
            "sign in with the MeetingRoom app, or run meetingroom sync --profile DIR, "
            "or give the right --profile",
        )
        return
    except StoreError as exc:
        yield Check(
            "profile",
            FAIL,
            f"{ctx.profile} does not open: {exc}",
            "move the damaged profile folder aside and sign in again to download afresh",
        )
        return
    try:
        ctx.store_server = store.sync_state.get("server")
        protection = store.protection
        yield Check("profile", OK, f"{ctx.profile} ({protection.value} protection)")
        if policy.pin_required and not protection.uses_secret:
            yield Check(
                "profile PIN",
                WARN,
                "the policy requires a PIN but this profile has none",
                "set a PIN in the app, or wipe the profile and set it up again",
            )
        yield _integrity(store)
    finally:
        store.close()


def _integrity(store: Store) -> Check:
    """Return the integrity check: SQLite's structure, and every record when no PIN is needed."""
    try:
        with store.reading() as db:
            result = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
    except StoreError as exc:
        return Check(
            "integrity", FAIL, f"the database is damaged ({exc})", "move it aside and sign in again"
        )
    if result != ["ok"]:
        return Check(
            "integrity",
            FAIL,
            f"SQLite reports damage ({len(result)} problem(s))",
            "move the profile folder aside and sign in again to download afresh",
        )
    if store.protection.uses_secret:
        return Check("integrity", OK, "database structure intact (records not checked: PIN set)")
    try:
        store.unlock(None)
    except StoreError as exc:
        return Check(
            "integrity",
            FAIL,
            f"the profile does not unlock here ({type(exc).__name__}: {exc})",
            "sign in again to download the meeting pack afresh",
        )
    try:
        return _records(store)
    finally:
        store.lock()


def _records(store: Store) -> Check:
    from meetingroom.store.codec import ALL_SPECS

    damaged: list[str] = []
    rows = 0
    for spec in ALL_SPECS:
        readout = store.repos.for_table(spec.table).list()
        rows += len(readout.items) + len(readout.damaged)
        damaged.extend(f"{d.table}/{d.row_id}" for d in readout.damaged)
    documents = 0
    for version in store.repos.versions.list().items:
        if not store.blobs.is_complete(version.id):
            continue
        documents += 1
        try:
            store.blobs.manifest(version.id)
        except StoreError:
            damaged.append(f"blobs/{version.id}")
    if damaged:
        shown = ", ".join(damaged[:5]) + (" …" if len(damaged) > 5 else "")
        return Check(
            "integrity",
            FAIL,
            f"{len(damaged)} damaged record(s): {shown}",
            "sync again to restore them from the server (meetingroom sync)",
        )
    return Check("integrity", OK, f"{rows} records and {documents} documents' manifests intact")


# -- server, TLS, pin, clock ---------------------------------------------------------------


def check_server(ctx: Context) -> Iterator[Check]:
    """Yield reachability (GET /api/v1/health), TLS and pin, and clock skew."""
    policy = ctx.policy or Policy()
    server = ctx.server or policy.server_url or ctx.store_server
    if not server:
        yield Check(
            "server",
            WARN,
            "no server to check (none given, none in the policy or the profile)",
            "give --server URL",
        )
        return
    if ctx.server and policy.server_url and ctx.server.rstrip("/") != policy.server_url:
        yield Check(
            "server",
            WARN,
            f"{ctx.server} differs from the policy's {policy.server_url}, which the app uses",
            "check the policy's server.url",
        )
    yield from _reach(ctx, server, policy)
    yield _tls(ctx, server, policy)
    yield _clock(ctx)


def _reach(ctx: Context, server: str, policy: Policy) -> Iterator[Check]:
    try:
        transport = policy_transport(
            server,
            policy,
            ctx.session,
            retry=RetryPolicy(attempts=1),
            connect_timeout=5.0,
            read_timeout=10.0,
        )
        response = transport.request("GET", "/health")
    except TlsError:
        ctx.tls_refused = True
        yield Check(
            "server",
            FAIL,
            f"{server} answered, but its TLS certificate or key pin was refused",
            "see the tls line below",
        )
        return
    except NetworkError as exc:
        via = f" through the proxy {policy.proxy}" if policy.proxy else ""
        yield Check(
            "server",
            FAIL,
            f"{server} cannot be reached{via} ({exc})",
            "check the address, the network, the proxy and that the server runs",
        )
        return
    except ServerError as exc:
        yield Check(
            "server",
            FAIL,
            f"{server} answered {exc.status} to /api/v1/health",
            "check the address points at a MeetingRoom server",
        )
        return
    except (SyncError, ValueError) as exc:
        yield Check("server", FAIL, f"{server}: {exc}", "check the server address and the pins")
        return
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or body.get("status") != "ok":
        yield Check(
            "server",
            FAIL,
            f"{server} is not a MeetingRoom server (unexpected /api/v1/health answer)",
            "check the address",
        )
        return
    ctx.reached = True
    ctx.server_date = _parse_date(response.headers.get("Date"))
    yield Check("server", OK, f"{server} reachable (server version {body.get('version', '?')})")


def _tls(ctx: Context, server: str, policy: Policy) -> Check:
    """Return the TLS check: certificate verification and the SPKI pin, made directly."""
    parts = urlsplit(server)
    if parts.scheme != "https":
        if policy.spki_pins:
            return Check(
                "tls",
                FAIL,
                "key pins are set but the server is plain http, so they cannot apply",
                "use the server's https:// address",
            )
        return Check("tls", WARN, "plain http (allowed for 127.0.0.1/localhost only)", "use https")
    if not ctx.reached and not ctx.tls_refused:
        return Check("tls", WARN, "not checked (server not reached)", "fix the server first")
    if policy.proxy:
        # The direct handshake below would bypass the proxy; the transport
        # (pinned through the tunnel) already answered for TLS.
        status = OK if ctx.reached else FAIL
        return Check(
            "tls",
            status,
            "verified through the proxy" if ctx.reached else "not verified (see the server line)",
            "check the CA bundle and the pins",
        )
    host = parts.hostname or ""
    port = parts.port or 443
    context = ssl.create_default_context(cafile=str(policy.ca_bundle) if policy.ca_bundle else None)
    try:
        with (
            socket.create_connection((host, port), timeout=5.0) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
            version = tls.version()
    except ssl.SSLCertVerificationError as exc:
        return Check(
            "tls",
            FAIL,
            f"the certificate is not trusted ({exc.verify_message})",
            "install the organisation's CA (policy server.ca_bundle) or renew the certificate",
        )
    except (OSError, ssl.SSLError) as exc:
        return Check(
            "tls", FAIL, f"no TLS handshake ({type(exc).__name__})", "check the server's TLS setup"
        )
    if not der:
        return Check("tls", FAIL, "the server sent no certificate", "check the server's TLS setup")
    if not policy.spki_pins:
        return Check("tls", OK, f"{version}, certificate verified (no key pin set)")
    actual = spki_sha256(der)
    if actual not in {parse_pin(pin) for pin in policy.spki_pins}:
        return Check(
            "tls",
            FAIL,
            f"{version}, certificate verified but its key (SPKI sha256 {actual.hex()}) "
            "matches none of the policy's pins",
            "update server.spki_pins in the policy, or check for an intercepting proxy",
        )
    return Check("tls", OK, f"{version}, certificate verified and the key pin matches")


def _clock(ctx: Context) -> Check:
    if not ctx.reached:
        return Check("clock", WARN, "not checked (server not reached)", "fix the server first")
    if ctx.server_date is None:
        return Check("clock", WARN, "the server sent no Date header", "")
    skew = (ctx.now() - ctx.server_date).total_seconds()
    text = f"{abs(skew):.0f} s {'ahead of' if skew > 0 else 'behind'} the server"
    if abs(skew) > SKEW_WARN_SECONDS:
        return Check(
            "clock",
            WARN,
            text,
            "turn on automatic time (NTP); tokens and the offline lease depend on the clock",
        )
    return Check("clock", OK, text)


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


# -- disk ----------------------------------------------------------------------------------


def check_disk(ctx: Context) -> Check:
    """Return the free space where the profile lives (warn below 1 GB)."""
    folder = ctx.profile
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        return Check("disk", WARN, f"free space unknown ({type(exc).__name__})", "")
    text = f"{free / 1024**3:.1f} GB free in {folder}"
    if free < FREE_DISK_WARN_BYTES:
        return Check("disk", WARN, text, "free some space: meeting documents are downloaded there")
    return Check("disk", OK, text)
