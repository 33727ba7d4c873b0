#!/usr/bin/env python3
"""Write resources/i18n/meetingroom_vi.ts from the UI's text catalogues and compile it.

Every UI area registers its texts (key -> (Vietnamese, English)) with
``ui.i18n.register``; this script imports every module of ``ui/`` that does,
writes one Qt Linguist .ts file (context "MeetingRoom", the English as source,
the key as disambiguation, the Vietnamese as a finished translation), adds
Vietnamese for the few Qt strings the app shows itself (dialog buttons, the
line-edit menu), and runs ``pyside6-lrelease`` to make meetingroom_vi.qm.

Run it after adding or changing a text: ``.venv/bin/python scripts/update_translations.py``.
``--check`` only reports whether the .ts is up to date (exit 1 when not).
"""

from __future__ import annotations

import argparse
import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Qt's own strings shown in our windows, by Qt context: (English, Vietnamese).
QT_TEXTS: dict[str, list[tuple[str, str]]] = {
    "QPlatformTheme": [
        ("OK", "Đồng ý"),
        ("Cancel", "Hủy"),
        ("Close", "Đóng"),
        ("Save", "Lưu"),
        ("Discard", "Bỏ qua"),
        ("Apply", "Áp dụng"),
        ("&Yes", "&Có"),
        ("&No", "&Không"),
        ("Yes to &All", "Có với &tất cả"),
        ("N&o to All", "Khô&ng với tất cả"),
        ("Abort", "Hủy bỏ"),
        ("Retry", "Thử lại"),
        ("Ignore", "Bỏ qua"),
        ("Help", "Trợ giúp"),
        ("Open", "Mở"),
    ],
    "QLineEdit": [
        ("&Undo", "&Hoàn tác"),
        ("&Redo", "&Làm lại"),
        ("Cu&t", "&Cắt"),
        ("&Copy", "&Sao chép"),
        ("&Paste", "&Dán"),
        ("Delete", "Xóa"),
        ("Select All", "Chọn tất cả"),
    ],
}


def text_modules() -> list[str]:
    """Return the dotted names of the ui modules that register texts (ui.i18n first)."""
    names = ["ui.i18n"]
    for path in sorted((ROOT / "ui").rglob("*.py")):
        source = path.read_text("utf-8")
        registers = re.search(r"\bregister\(", source) and "i18n" in source
        if path.name == "texts.py" or (registers and path.name != "i18n.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts))
    return list(dict.fromkeys(names))


def load_catalogue() -> dict[str, tuple[str, str]]:
    """Import every text module and return the whole catalogue (key -> (vi, en))."""
    for name in text_modules():
        importlib.import_module(name)
    from ui import i18n

    return i18n.catalogue()


def render_ts(texts: dict[str, tuple[str, str]]) -> str:
    """Return the .ts XML for ``texts`` plus QT_TEXTS, sorted so diffs stay small."""
    from ui import i18n

    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        "<!-- Written by scripts/update_translations.py from the texts.py catalogues: edit those. -->",
        '<TS version="2.1" language="vi_VN" sourcelanguage="en">',
        "<context>",
        f"    <name>{i18n.CONTEXT}</name>",
    ]
    for key in sorted(texts):
        vi, _en = texts[key]
        lines += [
            "    <message>",
            f"        <source>{escape(i18n.source_text(key))}</source>",
            f"        <comment>{escape(key)}</comment>",
            f"        <translation>{escape(vi)}</translation>",
            "    </message>",
        ]
    lines.append("</context>")
    for context, pairs in QT_TEXTS.items():
        lines += ["<context>", f"    <name>{context}</name>"]
        for english, vietnamese in pairs:
            lines += [
                "    <message>",
                f"        <source>{escape(english)}</source>",
                f"        <translation>{escape(vietnamese)}</translation>",
                "    </message>",
            ]
        lines.append("</context>")
    lines.append("</TS>")
    return "\n".join(lines) + "\n"


def lrelease() -> str:
    """Return the path of pyside6-lrelease (beside this Python, or on PATH).

    Raises SystemExit when there is none.
    """
    beside = Path(sys.executable).parent / "pyside6-lrelease"
    if beside.exists():
        return str(beside)
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if found is None:
        raise SystemExit("pyside6-lrelease not found: install the project (make .venv/.installed)")
    return found


def empty_translations(texts: dict[str, tuple[str, str]]) -> list[str]:
    """Return the keys whose Vietnamese is empty (they cannot be translated)."""
    return sorted(key for key, (vi, _en) in texts.items() if not vi.strip())


def main(argv: list[str] | None = None) -> int:
    """Write and compile the .ts (or only check it); return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the .ts is up to date")
    args = parser.parse_args(argv)
    from ui import i18n

    texts = load_catalogue()
    empty = empty_translations(texts)
    if empty:
        print(f"texts without Vietnamese: {', '.join(empty)}", file=sys.stderr)
        return 1
    wanted = render_ts(texts)
    current = i18n.TS_PATH.read_text("utf-8") if i18n.TS_PATH.exists() else ""
    if args.check:
        if current != wanted:
            print(f"{i18n.TS_PATH} is out of date: run scripts/update_translations.py")
            return 1
        print(f"{i18n.TS_PATH.name}: {len(texts)} texts, up to date")
        return 0
    i18n.TS_PATH.parent.mkdir(parents=True, exist_ok=True)
    i18n.TS_PATH.write_text(wanted, "utf-8")
    result = subprocess.run(
        [lrelease(), str(i18n.TS_PATH), "-qm", str(i18n.QM_PATH)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        return 1
    print(f"wrote {i18n.TS_PATH.name} and {i18n.QM_PATH.name}: {len(texts)} texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
