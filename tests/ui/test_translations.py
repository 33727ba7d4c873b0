"""Qt's translation system: every registered text is in the compiled Vietnamese .qm.

A text added to a ``texts.py`` without running ``scripts/update_translations.py``
fails here, naming the key; so does an empty translation or a placeholder
that the Vietnamese and English do not share.
"""

from __future__ import annotations

import importlib.util
import json
import string
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from meetingroom.domain import Classification, MeetingStatus, Role
from ui import i18n
from ui.i18n import EN, VI, Translator

ROOT = Path(__file__).resolve().parents[2]
FIX = "run `.venv/bin/python scripts/update_translations.py` and commit resources/i18n/"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "update_translations", ROOT / "scripts" / "update_translations.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def texts() -> dict[str, tuple[str, str]]:
    """Every registered text, after importing every area that registers some."""
    return dict(_script().load_catalogue())


@pytest.fixture(scope="module")
def qm() -> QTranslator:
    translator = QTranslator()
    assert translator.load(str(i18n.QM_PATH)), f"{i18n.QM_PATH} does not load: {FIX}"
    return translator


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_registered_text_is_translated_in_the_qm(
    texts: dict[str, tuple[str, str]], qm: QTranslator
) -> None:
    missing = [
        key for key in sorted(texts) if not qm.translate(i18n.CONTEXT, i18n.source_text(key), key)
    ]
    assert not missing, f"texts missing from {i18n.QM_PATH.name}: {', '.join(missing)}; {FIX}"


def test_the_qm_says_what_the_catalogue_says(
    texts: dict[str, tuple[str, str]], qm: QTranslator
) -> None:
    stale = [
        key
        for key, (vi, _en) in sorted(texts.items())
        if qm.translate(i18n.CONTEXT, i18n.source_text(key), key) not in ("", vi)
    ]
    assert not stale, f"translations out of date for: {', '.join(stale)}; {FIX}"


def test_the_ts_file_is_up_to_date(texts: dict[str, tuple[str, str]]) -> None:
    script = _script()
    assert i18n.TS_PATH.read_text("utf-8") == script.render_ts(texts), (
        f"{i18n.TS_PATH.name} is out of date; {FIX}"
    )


def test_no_translation_is_empty_and_placeholders_match(
    texts: dict[str, tuple[str, str]],
) -> None:
    empty = [key for key, (vi, _en) in texts.items() if not vi.strip()]
    assert not empty, f"texts without Vietnamese: {', '.join(empty)}"
    mismatched = [key for key, (vi, en) in texts.items() if en and _fields(vi) != _fields(en)]
    assert not mismatched, f"placeholders differ between vi and en: {', '.join(mismatched)}"


def test_check_mode_of_the_script_agrees() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_translations.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


def test_translator_uses_the_qm_for_vietnamese_and_the_source_for_english() -> None:
    vi, en = Translator(VI), Translator(EN)
    assert vi("lock") == "Khóa"
    assert en("lock") == "Lock"
    assert vi.other("lock") == "Lock"
    assert en.other("lock") == "Khóa"
    assert vi("pending", count=3) == "Thay đổi chờ đồng bộ: 3"
    assert en("pending", count=3) == "Pending changes: 3"
    # One English word, two meanings: the key keeps them apart.
    assert en("agenda_title") == en("conflict_what") == "Item"
    assert vi("agenda_title") == "Nội dung"
    assert vi("conflict_what") == "Mục"


def test_statuses_roles_and_levels_go_through_the_catalogue() -> None:
    vi, en = Translator(VI), Translator(EN)
    assert vi.status(MeetingStatus.PUBLISHED) == "Đã phát hành / Published"
    assert en.status(MeetingStatus.PUBLISHED) == "Published"
    assert vi.classification(Classification.CONFIDENTIAL) == "Mật / Confidential"
    assert en.role(Role.CHAIR) == "Chair"
    assert vi.role(Role.OBSERVER) == "Khách mời"


def test_install_makes_qt_translate_and_sets_the_default_locale(qapp: QCoreApplication) -> None:
    before = QLocale()
    try:
        vi = Translator(VI)
        vi.install(qapp)
        assert QCoreApplication.translate(i18n.CONTEXT, "Lock", "lock") == "Khóa"
        # Qt's own dialog buttons come from the same catalogue.
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"
        assert QLocale().language() == QLocale.Language.Vietnamese
    finally:
        qm = i18n._load_qm(i18n.QM_PATH)
        assert qm is not None
        qapp.removeTranslator(qm)
        QLocale.setDefault(before)


def test_dates_and_times_follow_the_language() -> None:
    moment = datetime(2026, 11, 24, 14, 5, tzinfo=UTC).astimezone()
    local = moment.astimezone()
    vi = Translator(VI).datetime_text(moment)
    en = Translator(EN).datetime_text(moment)
    assert f"{local:%H:%M}" in vi
    assert f"{local.day}/{local.month}/{local.year}" in vi  # day first in Vietnamese
    assert str(local.year) in en
    assert vi != en
    assert Translator(VI).date_text(date(2026, 3, 9)).startswith("9/3/2026") or Translator(
        VI
    ).date_text(date(2026, 3, 9)).startswith("09/03/2026")


def test_language_follows_cli_then_env_then_setting_then_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    profile = tmp_path / "profile"
    system = i18n.system_language()
    assert i18n.choose_language(None, profile) == system
    i18n.save_language_setting(profile, EN)
    assert json.loads((profile / i18n.UI_SETTINGS_FILE).read_text()) == {"language": "en"}
    assert i18n.choose_language(None, profile) == EN
    i18n.save_language_setting(profile, VI)
    assert i18n.choose_language(None, profile) == VI
    monkeypatch.setenv(i18n.LANG_ENV, EN)
    assert i18n.choose_language(None, profile) == EN
    assert i18n.choose_language(VI, profile) == VI
    with pytest.raises(ValueError, match="unsupported"):
        i18n.save_language_setting(profile, "fr")


def test_a_damaged_settings_file_falls_back_to_the_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    (tmp_path / i18n.UI_SETTINGS_FILE).write_text("{not json")
    assert i18n.load_language_setting(tmp_path) is None
    (tmp_path / i18n.UI_SETTINGS_FILE).write_text('{"language": "xx"}')
    assert i18n.choose_language(None, tmp_path) == i18n.system_language()


def test_an_unknown_key_is_a_key_error_and_a_missing_translation_falls_back() -> None:
    with pytest.raises(KeyError):
        Translator(VI)("no_such_key_anywhere")
    i18n.register({"zz_test_untranslated": ("Chưa dịch", "Not translated yet")})
    try:
        # Not in the .qm: the registered Vietnamese still shows (and a warning is logged).
        assert Translator(VI)("zz_test_untranslated") == "Chưa dịch"
        assert Translator(EN)("zz_test_untranslated") == "Not translated yet"
    finally:
        del i18n._TEXTS["zz_test_untranslated"]


def test_the_translator_needs_no_qapplication() -> None:
    code = (
        "from PySide6.QtCore import QCoreApplication\n"
        "from ui.i18n import Translator\n"
        "assert QCoreApplication.instance() is None\n"
        "print(Translator('vi')('unlock'), Translator('en')('unlock'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Mở khóa Unlock"


def test_remember_lang_saves_the_profile_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    profile = tmp_path / "p"
    command = [sys.executable, "-m", "ui.main", "--profile", str(profile), "--lang", "en"]
    result = subprocess.run(
        [*command, "--remember-lang", "--quit-after", "0.3"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert i18n.load_language_setting(profile) == EN
    assert i18n.choose_language(None, profile) == EN
    # Only the language is in the plaintext settings file.
    assert json.loads((profile / i18n.UI_SETTINGS_FILE).read_text()) == {"language": "en"}
