"""``meetingroom sync`` in a child process, over the tests' file keyring.

Run as ``python -m tests.sync._sync_child sync --server URL ...``: the same
``sync.cli.main`` the ``meetingroom sync`` command runs, with the insecure
file keyring the tests configure (through the inherited environment) allowed.
"""

from __future__ import annotations

import sys

from meetingroom.crypto import DeviceSecrets
from sync.auth import TokenStore
from sync.cli import main

if __name__ == "__main__":
    sys.exit(
        main(
            sys.argv[1:],
            device_secrets=DeviceSecrets(allow_insecure_backend=True),
            tokens=TokenStore(allow_insecure_backend=True),
        )
    )
