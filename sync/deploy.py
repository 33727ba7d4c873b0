"""The deployment policy's network settings applied to the transport.

The app and the headless commands build their ``Transport`` through
``policy_transport`` so the policy's CA bundle, SPKI pins and proxy are
never forgotten by one of them.
"""

from __future__ import annotations

from typing import Any

import requests

from meetingroom.policy import Policy
from sync.transport import RetryPolicy, Transport


def transport_options(policy: Policy) -> dict[str, Any]:
    """Return the ``Transport`` keyword arguments the policy sets (CA bundle, pins, proxy)."""
    return {
        "ca_bundle": str(policy.ca_bundle) if policy.ca_bundle is not None else None,
        "spki_pins": policy.spki_pins,
        "proxy": policy.proxy,
    }


def policy_transport(
    server: str,
    policy: Policy,
    session: requests.Session | None = None,
    *,
    retry: RetryPolicy | None = None,
    **overrides: Any,
) -> Transport:
    """Return a transport to ``server`` with the policy's TLS and proxy settings.

    ``overrides`` (e.g. ``read_timeout``) go to ``Transport`` as they are.

    Raises:
        ValueError: a pin is malformed (the policy parser already refuses those).
    """
    return Transport(server, session, retry=retry, **transport_options(policy), **overrides)
