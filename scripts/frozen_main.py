"""Entry point of the PyInstaller build (build.spec): the ``MeetingRoom`` executable.

The PDF engine renders in worker processes started with multiprocessing's
"spawn" method. In a frozen app a spawned child is this same executable run
with multiprocessing's own arguments: ``freeze_support()`` must run first so
that such a child becomes the worker (or the shared-memory resource tracker)
instead of opening a second window.
"""

from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from ui.main import main

    sys.exit(main())
