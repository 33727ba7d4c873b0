"""``meetingroom --selftest``: checks that this installation works, without a user profile.

Runs the core checks of ``meetingroom.selftest`` (temporary keyring backend,
temporary encrypted store, a PDF page rendered by a worker process), then the
Qt ones: the platform plugins are there, the rendered page becomes an image
offscreen, the bundled fonts load with Vietnamese glyphs, and the Vietnamese
translations load and translate. Prints one line per check; exit code 0 when
all pass, 1 otherwise (the failing lines say what failed).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from meetingroom.selftest import Check, run_core_checks

#: The native platform plugin each system needs besides "offscreen".
NATIVE_PLATFORM = {"linux": "xcb", "win32": "windows", "darwin": "cocoa"}
#: A text whose Vietnamese the .qm must give (key, Vietnamese).
KNOWN_TEXT = ("lock", "Khóa")


def _check(name: str, run: Callable[[], object]) -> Check:
    try:
        return Check(name, True, str(run()))
    except Exception as exc:
        return Check(name, False, f"{type(exc).__name__}: {exc}")


def platform_plugins() -> str:
    """Return which platform plugins are present. Raises RuntimeError when one is missing."""
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    present = sorted(
        name for name in {"offscreen", *NATIVE_PLATFORM.values()} if any(folder.glob(f"*q{name}.*"))
    )
    wanted = ["offscreen"]
    native = NATIVE_PLATFORM.get(sys.platform)
    if native is not None:
        wanted.append(native)
    missing = [name for name in wanted if name not in present]
    if missing:
        raise RuntimeError(f"missing in {folder}: {', '.join(missing)}")
    return f"{', '.join(present)} in {folder}"


def page_image(page: object) -> str:
    """Return the size of the QImage made from a RenderedPage. Raises RuntimeError if unusable."""
    from PySide6.QtGui import QImage

    from meetingroom.pdf.types import RenderedPage

    assert isinstance(page, RenderedPage)
    fmt = QImage.Format.Format_RGB888 if page.channels == 3 else QImage.Format.Format_RGBA8888
    image = QImage(page.samples, page.width, page.height, page.stride, fmt).copy()
    if image.isNull() or image.width() != page.width:
        raise RuntimeError("the rendered page did not become an image")
    return f"{image.width()}x{image.height()} image on the {_platform()} platform"


def _platform() -> str:
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.platformName()


def fonts() -> str:
    """Return the bundled families loaded. Raises RuntimeError when one fails or lacks Vietnamese."""
    from PySide6.QtGui import QFontDatabase

    import resources

    files = sorted(resources.FONTS_DIR.glob("*.ttf"))
    if not files:
        raise RuntimeError(f"no fonts in {resources.FONTS_DIR}")
    families: set[str] = set()
    for path in files:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise RuntimeError(f"{path.name} did not load")
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    for family in families:
        if QFontDatabase.WritingSystem.Vietnamese not in QFontDatabase.writingSystems(family):
            raise RuntimeError(f"{family} has no Vietnamese glyphs")
    return f"{len(files)} files, families {', '.join(sorted(families))}, Vietnamese glyphs"


def translations() -> str:
    """Return what the Vietnamese catalogue gave. Raises RuntimeError when it is missing or wrong."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    from ui import i18n

    translator = QTranslator()
    if not translator.load(str(i18n.QM_PATH)):
        raise RuntimeError(f"{i18n.QM_PATH} does not load")
    key, expected = KNOWN_TEXT
    got = translator.translate(i18n.CONTEXT, i18n.source_text(key), key)
    if got != expected:
        raise RuntimeError(f"{key!r} gave {got!r}, not {expected!r}")
    app = QCoreApplication.instance()
    assert app is not None
    app.installTranslator(translator)
    through_app = QCoreApplication.translate(i18n.CONTEXT, i18n.source_text(key), key)
    app.removeTranslator(translator)
    if through_app != expected:
        raise RuntimeError(f"QCoreApplication.translate gave {through_app!r}")
    return f"{i18n.QM_PATH.name}: {key!r} -> {got!r}"


def run(out: TextIO | None = None) -> int:
    """Run every check, print one line each to ``out`` (stdout); return 0 if all pass, else 1."""
    stream = out or sys.stdout
    # Never needs a display: rendering and fonts are checked offscreen.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QGuiApplication

    from meetingroom import __version__

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    print(f"MeetingRoom {__version__} selftest", file=stream)
    with tempfile.TemporaryDirectory(prefix="meetingroom-selftest-") as tmp:
        checks, page = run_core_checks(Path(tmp))
        if page is not None:
            checks.append(_check("offscreen image", lambda: page_image(page)))
        checks.append(_check("qt platform plugins", platform_plugins))
        checks.append(_check("fonts", fonts))
        checks.append(_check("translations", translations))
    for check in checks:
        print(f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}", file=stream)
    failed = [check.name for check in checks if not check.ok]
    if failed:
        print(f"selftest FAILED: {', '.join(failed)}", file=stream)
    else:
        print(f"selftest passed: {len(checks)} checks", file=stream)
    del app
    return 1 if failed else 0
