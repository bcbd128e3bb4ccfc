"""``prioritize app`` options: the idle limit of a signed-in browser reaches the page as
``$PRIORITIZE_IDLE_MINUTES``; a limit that is not a whole number of minutes in range is
refused with what was expected."""

from __future__ import annotations

import argparse
from datetime import timedelta

import pytest

from prioritize.app import IDLE_ENV
from prioritize.cli.app import add_arguments
from prioritize.store.websessions import DEFAULT_IDLE


def parser() -> argparse.ArgumentParser:
    built = argparse.ArgumentParser(prog="prioritize app")
    add_arguments(built)
    return built


def test_the_idle_limit_is_read_in_minutes() -> None:
    assert parser().parse_args(["--idle-minutes", "90"]).idle_minutes == 90
    assert parser().parse_args([]).idle_minutes is None
    assert timedelta(minutes=480) == DEFAULT_IDLE  # a working day, as documented


@pytest.mark.parametrize(
    ("given", "said"),
    [("0", "outside 1 to 129600"), ("ninety", "not a whole number"), ("1.5", "not a whole")],
)
def test_a_wrong_idle_limit_is_refused_with_what_was_expected(
    given: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["--idle-minutes", given])
    assert said in capsys.readouterr().err


def test_the_page_reads_the_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from prioritize.app import state

    monkeypatch.setenv(IDLE_ENV, "45")
    assert state.idle_limit() == timedelta(minutes=45)
    monkeypatch.setenv(IDLE_ENV, "")
    assert state.idle_limit() == DEFAULT_IDLE
