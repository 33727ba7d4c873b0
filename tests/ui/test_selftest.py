"""``meetingroom --selftest`` and ``--version`` from the source tree (the venv's command).

The same checks run on the PyInstaller build in ``make package-test``.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from meetingroom import __version__
from ui import i18n, selftest

CHECKS = (
    "keyring",
    "encrypted store",
    "pdf render",
    "offscreen image",
    "qt platform plugins",
    "fonts",
    "translations",
)


def _command() -> list[str]:
    found = Path(sys.executable).parent / "meetingroom"
    assert found.exists(), f"{found} is not installed (make .venv/.installed)"
    return [str(found)]


@pytest.mark.slow
def test_selftest_passes_and_leaves_the_real_keyring_and_temp_alone(
    tmp_path: Path, file_keyring: dict[str, str]
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    env.pop("QT_QPA_PLATFORM", None)  # the selftest needs no display of its own
    env.pop("DISPLAY", None)
    result = subprocess.run(
        [*_command(), "--selftest"], capture_output=True, text=True, env=env, timeout=240
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"MeetingRoom {__version__} selftest"
    for name in CHECKS:
        assert any(line.startswith(f"ok   {name}: ") for line in lines), result.stdout
    assert lines[-1] == f"selftest passed: {len(CHECKS)} checks"
    # The user's keyring (here the tests' file backend) was never written...
    data_home = Path(file_keyring["XDG_DATA_HOME"])
    assert not any(data_home.rglob("*")), list(data_home.rglob("*"))
    # ...and the temporary profile is gone.
    assert list(temp.iterdir()) == []


def test_version_prints_the_package_version() -> None:
    result = subprocess.run(
        [*_command(), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"MeetingRoom {__version__}"


@pytest.mark.slow
def test_a_missing_translation_catalogue_fails_the_selftest_by_name(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installation without its .qm (as a broken build would be).
    monkeypatch.setattr(i18n, "QM_PATH", tmp_path / "meetingroom_vi.qm")
    out = io.StringIO()
    assert selftest.run(out) == 1
    lines = out.getvalue().splitlines()
    assert any(
        line.startswith("FAIL translations:") and "meetingroom_vi.qm" in line for line in lines
    ), lines
    assert lines[-1] == "selftest FAILED: translations"
    assert any(line.startswith("ok   pdf render: ") for line in lines)


def test_broken_fonts_fail_the_selftest_by_name(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import resources

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(resources.FONTS_DIR / "OFL.txt", fonts / "OFL.txt")
    (fonts / "NotoSerif-Regular.ttf").write_bytes(b"not a font at all")
    monkeypatch.setattr(resources, "FONTS_DIR", fonts)
    with pytest.raises(RuntimeError, match=r"NotoSerif-Regular\.ttf did not load"):
        selftest.fonts()
