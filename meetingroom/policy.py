"""The machine-wide deployment policy: what IT decides and users cannot override.

The policy is a TOML file: ``$MEETINGROOM_POLICY`` when set, otherwise the
platform's path (``/etc/meetingroom/policy.toml``,
``%PROGRAMDATA%\\MeetingRoom\\policy.toml``,
``/Library/Application Support/MeetingRoom/policy.toml``). When no file
exists the defaults below apply (each is documented on its field and in
``resources/policy.example.toml``). A key left out of an existing file also
takes its default. Anything malformed — unknown keys, wrong types,
out-of-range values, bad URLs, an unreadable file, TOML syntax — raises
``PolicyError`` naming the file, the line and the key: a security setting is
never silently replaced by a default.
"""

from __future__ import annotations

import base64
import binascii
import math
import os
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal
from urllib.parse import urlsplit

from meetingroom.domain import Classification
from meetingroom.errors import PolicyError

ENV_POLICY = "MEETINGROOM_POLICY"
FILENAME = "policy.toml"

Action = Literal["copy", "export", "print"]
ACTIONS: tuple[Action, ...] = ("copy", "export", "print")
LOG_LEVELS = ("debug", "info", "warning", "error")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

# Limits of the numeric settings (inclusive); a value outside is an error.
PIN_MIN_LENGTH_RANGE = (4, 64)
IDLE_MINUTES_RANGE = (0.0, 24 * 60.0)  # exclusive of 0: a zero idle lock would lock at once
FAILED_PIN_RANGE = (1, 100)
LEASE_HOURS_RANGE = (0.0, 24 * 366.0)  # exclusive of 0


@dataclass(frozen=True, slots=True)
class Permissions:
    """What may be done with documents of one classification."""

    copy: bool
    export: bool
    print: bool


def _default_permissions() -> Mapping[Classification, Permissions]:
    # Normal documents may be copied, exported and printed; classified ones
    # may not, until IT allows it: leaking a classified text is the harm the
    # policy exists to prevent.
    table = {level: Permissions(False, False, False) for level in Classification}
    table[Classification.NORMAL] = Permissions(True, True, True)
    return MappingProxyType(table)


@dataclass(frozen=True)
class Policy:
    """The deployment policy in force; ``Policy()`` is the defaults (no file)."""

    source: Path | None = None
    """The file it was read from; None when no file exists (defaults)."""
    server_url: str | None = None
    """The server every profile uses; None lets the user type it at sign-in."""
    ca_bundle: Path | None = None
    """Extra trust roots (PEM) for the server's TLS; None: the system's store only."""
    spki_pins: tuple[str, ...] = ()
    """SHA-256 pins of the server key's SubjectPublicKeyInfo; empty: no pinning."""
    proxy: str | None = None
    """HTTP(S) proxy for the server; None: direct (or the environment's proxy)."""
    pin_required: bool = False
    """Whether a profile must have a PIN. Default False: the PIN is offered and
    preselected at setup, but a user may choose device-only protection."""
    pin_min_length: int = 4
    """Minimum PIN length in digits (4, the store's own minimum)."""
    idle_lock_minutes: float = 10.0
    """Lock after this many minutes without keyboard or mouse input."""
    failed_pin_limit: int = 10
    """Wrong PINs in a row before the profile is wiped (crypto-shredded)."""
    lease_hours: float | None = 72.0
    """Hours classified documents stay readable without a successful sync;
    None (``offline.lease_hours = false``) means no lease."""
    permissions: Mapping[Classification, Permissions] = field(default_factory=_default_permissions)
    """Copy/export/print per classification (normal: all; classified: none)."""
    watermark: bool = True
    """Watermark exported and printed copies of classified documents."""
    log_level: str = "info"
    """debug, info, warning or error."""

    def allows(self, action: Action, level: Classification) -> bool:
        """Return True when ``action`` is allowed on documents classified ``level``."""
        rules = self.permissions.get(level)
        if rules is None:
            return False
        return bool(getattr(rules, action))

    def describe_source(self) -> str:
        """Return where the policy came from, in words ("built-in defaults" or the path)."""
        return str(self.source) if self.source is not None else "built-in defaults (no file)"


# -- where the file is -----------------------------------------------------------------


def system_policy_path(platform: str | None = None) -> Path:
    """Return the platform's machine-wide policy path (for ``platform``, default this one)."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        root = os.environ.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(root) / "MeetingRoom" / FILENAME
    if platform == "darwin":
        return Path("/Library/Application Support/MeetingRoom") / FILENAME
    return Path("/etc/meetingroom") / FILENAME


def policy_path() -> tuple[Path, bool]:
    """Return (the policy file to read, whether it was named explicitly by the environment)."""
    named = os.environ.get(ENV_POLICY)
    if named:
        return Path(named), True
    return system_policy_path(), False


# -- loading -----------------------------------------------------------------------------


def load_policy(path: Path | None = None) -> Policy:
    """Return the policy in force.

    ``path`` (tests, tools) wins over ``$MEETINGROOM_POLICY``, which wins
    over the platform path. A missing platform file means the defaults; a
    missing file named by ``path`` or the environment is an error.

    Raises:
        PolicyError: the file is unreadable or malformed (names file, line, key).
    """
    explicit = path is not None
    if path is None:
        path, explicit = policy_path()
    if not path.exists() and not explicit:
        return Policy()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyError(path, None, None, f"cannot be read ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError(path, None, None, "is not UTF-8 text") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _syntax_line(str(exc))
        key = _key_on_line(text, line)
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise PolicyError(path, line, key, f"is not valid TOML: {problem}") from exc
    return _Parser(path, text).parse(data)


def _syntax_line(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else None


def _key_on_line(text: str, line: int | None) -> str | None:
    if line is None:
        return None
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    match = re.match(r"\s*([A-Za-z0-9_.\"' -]+?)\s*=", lines[line - 1])
    return match.group(1).strip() if match else None


def find_key_line(text: str, dotted: str) -> int | None:
    """Return the 1-based line where the key ``dotted`` ("a.b.c") is set, or None.

    Tracks ``[table]`` headers and dotted keys; good enough for the policy's
    shallow layout. Falls back to the table's header line for a table path.
    """
    want = dotted.split(".")
    table: list[str] = []
    header_line: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.split("#", 1)[0].strip()
        if not stripped:
            continue
        header = re.fullmatch(r"\[\[?\s*([^\]]+?)\s*\]\]?", stripped)
        if header:
            table = [_unquote(p) for p in header.group(1).split(".")]
            if table == want and header_line is None:
                header_line = number
            continue
        assignment = re.match(r"([A-Za-z0-9_.\"' -]+?)\s*=", stripped)
        if assignment:
            key = [_unquote(p) for p in assignment.group(1).split(".")]
            full = table + key
            if full == want or full == want[: len(full)]:
                return number
    return header_line


def _unquote(part: str) -> str:
    return part.strip().strip("\"'")


# -- the schema --------------------------------------------------------------------------


class _Parser:
    """Checks the parsed TOML against the policy's schema, key by key."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text

    def fail(self, key: str, problem: str) -> PolicyError:
        return PolicyError(self.path, find_key_line(self.text, key), key, problem)

    def table(
        self, data: Mapping[str, Any], name: str, allowed: set[str], prefix: str = ""
    ) -> Mapping[str, Any]:
        value = data.get(name, {})
        full = prefix + name
        if not isinstance(value, dict):
            raise self.fail(full, f"must be a table ([{full}]), not {_kind(value)}")
        for key in value:
            if key not in allowed:
                raise self.fail(f"{full}.{key}", _unknown(key, allowed))
        return value

    def parse(self, data: Mapping[str, Any]) -> Policy:
        sections = {"server", "unlock", "offline", "documents", "logging"}
        for key in data:
            if key not in sections:
                raise self.fail(key, _unknown(key, sections))
        server = self.table(data, "server", {"url", "ca_bundle", "spki_pins", "proxy"})
        unlock = self.table(
            data,
            "unlock",
            {"pin_required", "pin_min_length", "idle_lock_minutes", "failed_pin_limit"},
        )
        offline = self.table(data, "offline", {"lease_hours"})
        levels = {c.value for c in Classification}
        documents = self.table(data, "documents", {"watermark", *levels})
        logging_ = self.table(data, "logging", {"level"})
        defaults = Policy()

        url = self.url(server, "server.url", "url", {"https"}, loopback_http=True)
        proxy = self.url(server, "server.proxy", "proxy", {"http", "https"}, loopback_http=True)
        ca_bundle = self.ca_bundle(server)
        pins = self.pins(server)

        pin_required = self.boolean(unlock, "unlock.pin_required", defaults.pin_required)
        pin_min = self.integer(
            unlock, "unlock.pin_min_length", defaults.pin_min_length, PIN_MIN_LENGTH_RANGE
        )
        idle = self.number(
            unlock, "unlock.idle_lock_minutes", defaults.idle_lock_minutes, IDLE_MINUTES_RANGE
        )
        failed = self.integer(
            unlock, "unlock.failed_pin_limit", defaults.failed_pin_limit, FAILED_PIN_RANGE
        )
        lease: float | None = defaults.lease_hours
        if "lease_hours" in offline and offline["lease_hours"] is False:
            lease = None  # explicitly no lease
        else:
            lease = self.number(offline, "offline.lease_hours", lease or 0.0, LEASE_HOURS_RANGE)

        watermark = self.boolean(documents, "documents.watermark", defaults.watermark)
        permissions = dict(defaults.permissions)
        for level in Classification:
            rules = self.table(documents, level.value, set(ACTIONS), prefix="documents.")
            current = permissions[level]
            values = {
                action: self.boolean(
                    rules, f"documents.{level.value}.{action}", getattr(current, action)
                )
                for action in ACTIONS
            }
            permissions[level] = Permissions(**values)

        level_name = logging_.get("level", defaults.log_level)
        if not isinstance(level_name, str):
            raise self.fail("logging.level", f"must be a string, not {_kind(level_name)}")
        if level_name.lower() not in LOG_LEVELS:
            raise self.fail("logging.level", f"must be one of {', '.join(LOG_LEVELS)}")

        return Policy(
            source=self.path,
            server_url=url,
            ca_bundle=ca_bundle,
            spki_pins=pins,
            proxy=proxy,
            pin_required=pin_required,
            pin_min_length=pin_min,
            idle_lock_minutes=idle,
            failed_pin_limit=failed,
            lease_hours=lease,
            permissions=MappingProxyType(permissions),
            watermark=watermark,
            log_level=level_name.lower(),
        )

    # -- value checks ---------------------------------------------------------------

    def boolean(self, table: Mapping[str, Any], key: str, default: bool) -> bool:
        value = table.get(key.rsplit(".", 1)[1], default)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, not {_kind(value)}")
        return value

    def integer(
        self, table: Mapping[str, Any], key: str, default: int, limits: tuple[int, int]
    ) -> int:
        value = table.get(key.rsplit(".", 1)[1], default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be a whole number, not {_kind(value)}")
        low, high = limits
        if not low <= value <= high:
            raise self.fail(key, f"must be between {low} and {high}, not {value}")
        return value

    def number(
        self, table: Mapping[str, Any], key: str, default: float, limits: tuple[float, float]
    ) -> float:
        value = table.get(key.rsplit(".", 1)[1], default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"must be a number, not {_kind(value)}")
        low, high = limits
        if not math.isfinite(value) or not low < value <= high:
            raise self.fail(key, f"must be more than {low:g} and at most {high:g}, not {value}")
        return float(value)

    def url(
        self,
        table: Mapping[str, Any],
        key: str,
        name: str,
        schemes: set[str],
        *,
        loopback_http: bool,
    ) -> str | None:
        if name not in table:
            return None
        value = table[name]
        if not isinstance(value, str):
            raise self.fail(key, f"must be a URL string, not {_kind(value)}")
        problem = check_url(value, schemes, loopback_http=loopback_http)
        if problem:
            raise self.fail(key, problem)
        return value.rstrip("/") if key == "server.url" else value

    def ca_bundle(self, table: Mapping[str, Any]) -> Path | None:
        if "ca_bundle" not in table:
            return None
        value = table["ca_bundle"]
        key = "server.ca_bundle"
        if not isinstance(value, str) or not value:
            raise self.fail(key, f"must be the path of a PEM file, not {_kind(value)}")
        bundle = Path(value)
        if not bundle.is_absolute():
            raise self.fail(key, "must be an absolute path")
        try:
            head = bundle.read_bytes()
        except OSError as exc:
            raise self.fail(key, f"{value} cannot be read ({exc.strerror or exc})") from exc
        if b"-----BEGIN CERTIFICATE-----" not in head:
            raise self.fail(key, f"{value} holds no PEM certificate")
        return bundle

    def pins(self, table: Mapping[str, Any]) -> tuple[str, ...]:
        if "spki_pins" not in table:
            return ()
        value = table["spki_pins"]
        key = "server.spki_pins"
        if not isinstance(value, list) or not value:
            raise self.fail(key, "must be a non-empty list of SHA-256 pins")
        out: list[str] = []
        for item in value:
            if not isinstance(item, str) or not valid_pin(item):
                shown = item if isinstance(item, str) else _kind(item)
                raise self.fail(
                    key,
                    f"{shown!s} is not an SPKI SHA-256 pin (64 hex digits, or base64 of 32 bytes, "
                    "optionally prefixed sha256/)",
                )
            out.append(item)
        return tuple(out)


def check_url(value: str, schemes: set[str], *, loopback_http: bool) -> str | None:
    """Return what is wrong with ``value`` as a server or proxy URL, or None when it is fine.

    ``https`` is required unless the host is a loopback address
    (127.0.0.1, localhost, ::1) and ``loopback_http`` allows plain http there.
    """
    try:
        parts = urlsplit(value)
        host = parts.hostname
        _ = parts.port  # raises ValueError on a bad port
    except ValueError:
        return f"{value!r} is not a valid URL"
    if not host:
        return f"{value!r} is not a URL with a host (e.g. https://hop.example.vn)"
    scheme = parts.scheme.lower()
    allowed = set(schemes)
    if loopback_http and host in LOOPBACK_HOSTS:
        allowed.add("http")
    if scheme not in allowed:
        if scheme == "http" and "https" in schemes:
            return f"{value!r} must use https:// (plain http only for 127.0.0.1/localhost)"
        return f"{value!r} must start with {' or '.join(sorted(s + '://' for s in allowed))}"
    if parts.query or parts.fragment:
        return f"{value!r} must not have a query or fragment"
    return None


def valid_pin(pin: str) -> bool:
    """Return True when ``pin`` is a SHA-256 written as 64 hex digits or base64."""
    text = pin.strip().removeprefix("sha256/")
    if len(text) == 64:
        return re.fullmatch(r"[0-9a-fA-F]{64}", text) is not None
    try:
        return len(base64.b64decode(text, validate=True)) == 32
    except (binascii.Error, ValueError):
        return False


def _unknown(key: str, allowed: set[str]) -> str:
    return f"unknown key {key!r} (known: {', '.join(sorted(allowed))})"


def _kind(value: object) -> str:
    names: dict[type, str] = {
        bool: "a boolean",
        int: "a whole number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }
    for kind, name in names.items():
        if type(value) is kind:
            return f"{name} ({value!r})" if kind in (bool, int, float, str) else name
    return type(value).__name__
