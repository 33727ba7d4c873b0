"""The ``meetingroom-server`` command.

The reference meeting server (sync protocol, authorization, admin CLI) is
the next piece of work; until it lands this command says so plainly and
exits with status 2 rather than pretending to serve.
"""

from __future__ import annotations

import argparse
import sys

from meetingroom import __version__

NOT_BUILT = (
    "meetingroom-server: the reference meeting server is not built yet in this version "
    "(only the client's encrypted store is). Nothing was started."
)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and return the exit code (2: not available yet)."""
    parser = argparse.ArgumentParser(prog="meetingroom-server", description=NOT_BUILT)
    parser.add_argument("--version", action="version", version=f"meetingroom-server {__version__}")
    parser.parse_args(argv)
    print(NOT_BUILT, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
