"""Until the server lands, its command says so and refuses to pretend."""

from __future__ import annotations

import pytest

from server.cli import main


def test_server_command_says_it_is_not_built_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 2
    assert "not built yet" in capsys.readouterr().err
