"""A row of editor buttons, one per action: translated label, accessible name and a
tooltip naming the shortcut."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QHBoxLayout, QPushButton

from ui.i18n import Translator


def action_buttons(
    tr: Translator,
    specs: Sequence[tuple[str, str, str]],
    act: Callable[[str], object],
    row: QHBoxLayout,
    *,
    bind_shortcuts: bool,
) -> dict[str, QPushButton]:
    """Add a button per (action, text key, shortcut) to ``row``; clicking one calls
    ``act(action)``. Returns the buttons by action.

    ``bind_shortcuts`` gives each button its shortcut; leave it False where the
    keys are handled by the view itself (the tooltip still names them).
    """
    buttons: dict[str, QPushButton] = {}
    for action, key, shortcut in specs:
        button = QPushButton(tr(key))
        button.setAccessibleName(tr(key))
        button.setToolTip(f"{tr.other(key)} ({shortcut})" if shortcut else tr.other(key))
        if bind_shortcuts and shortcut:
            button.setShortcut(shortcut)
        button.clicked.connect(lambda _=False, a=action: act(a))
        row.addWidget(button)
        buttons[action] = button
    return buttons
