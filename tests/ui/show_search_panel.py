"""Show the search panel on a throwaway profile with Vietnamese results (for the screenshot).

    /work/shared/tools/xshot docs/screenshots/search.png 14 .venv/bin/python tests/ui/show_search_panel.py

The profile lives in a temporary directory with its device secret in memory
(``ui.demo.MemoryDeviceSecrets``); it is wiped when the window closes.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from meetingroom.domain import UserId
    from meetingroom.pdf import RenderService
    from meetingroom.search import index_pending
    from meetingroom.store import Store
    from tests.meetingroom.search_sample import REPORT_PAGES, RESOLUTION_PAGES, add_document
    from ui.context import UiContext
    from ui.demo import MemoryDeviceSecrets, fill_sample
    from ui.i18n import Translator
    from ui.ops import ErrorReporter, Ops, WorkerExecutor
    from ui.search import SearchPanel

    app = QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="mr-search-shot-"))
    store = Store.create(folder / "profile", device_secrets=MemoryDeviceSecrets())
    user = UserId("demo-user")
    meeting = fill_sample(store, user)
    add_document(store, meeting, "Nghị quyết Hội nghị lần thứ 15 (bản trình)", RESOLUTION_PAGES, 10)
    add_document(store, meeting, "Báo cáo kinh tế – xã hội năm 2026", REPORT_PAGES, 11)
    with RenderService(store, workers=1) as render:
        index_pending(store, render)
    tr = Translator()
    ops = Ops(WorkerExecutor(), ErrorReporter(tr), lambda: store)
    panel = SearchPanel(UiContext(tr, ops, user, date.today))
    panel.setWindowTitle(f"{tr('app_title')} — {tr('search_title')}")
    panel.resize(1366, 768)
    panel.show()
    panel.query.setText("nghi quyet")
    panel.run_search()
    code = app.exec()
    ops.shutdown()
    store.wipe()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
