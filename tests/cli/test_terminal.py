"""Text from user data on its way to a terminal (issue 10, deliverable 3): escape
sequences, control characters and bidirectional controls never reach it."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prioritize.cli.terminal import REPLACEMENT, for_stream, printable

ESC, BEL = "\x1b", "\x07"
#: What must never reach a terminal from user data (tab and line feed aside).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u202a-\u202e\u2066-\u2069]")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (ESC + "[2J" + "cleared", "\ufffdcleared"),  # CSI: clear the screen
        (ESC + "[38;5;196m" + "red" + ESC + "[0m", "\ufffdred\ufffd"),
        (ESC + "]0;title" + BEL + "x", "\ufffdx"),  # OSC ended by BEL
        (ESC + "]8;;http://evil.example" + ESC + "\\" + "link", "\ufffdlink"),  # hidden link
        (ESC + "]52;c;cm0gLXJmIC8=" + BEL, "\ufffd"),  # writes the clipboard
        (ESC + "P" + "tmux;" + ESC + "\\", "\ufffd"),  # DCS
        ("\x9b" + "31m" + "c1", "\ufffdc1"),  # 8-bit CSI
        (ESC + "]0;never ended", "\ufffd0;never ended"),  # unterminated: the rest is text
        (ESC + "c", "\ufffd"),  # reset
        (ESC, "\ufffd"),
        ("a\bb\x7fc\x85d", "a\ufffdb\ufffdc\ufffdd"),
        ("\u202eevil\u202c \u2066x\u2069", "\ufffdevil\ufffd \ufffdx\ufffd"),
        ("plain ünïcode, 漢字 and emoji 🙂", "plain ünïcode, 漢字 and emoji 🙂"),
    ],
)
def test_sequences_and_controls_become_one_replacement(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_a_carriage_return_ends_the_line_and_one_line_joins() -> None:
    # "ok\rEVIL" would show EVIL over ok on a terminal
    assert printable("ok\rEVIL") == "ok\nEVIL"
    assert printable("a\r\nb\n\tc") == "a\nb\n\tc"
    assert printable("a\r\nb\n\tc\rd", one_line=True) == "a b  c d"


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from([ESC, "\x9b", "\r"])))
def test_nothing_printed_can_drive_a_terminal(text: str) -> None:
    shown = printable(text)
    assert CONTROL.search(shown) is None
    assert "\r" not in shown and ESC not in shown
    line = printable(text, one_line=True)
    assert CONTROL.search(line) is None and "\n" not in line and "\t" not in line
    assert printable(shown) == shown  # already printable: unchanged
    assert shown.count(REPLACEMENT) <= text.count(REPLACEMENT) + len(CONTROL.findall(text))


def test_data_is_exact_on_a_pipe_and_printable_on_a_terminal() -> None:
    data = '"R1","' + ESC + '[2Jtitle"\n'
    assert for_stream(data, io.StringIO()) == data
    assert for_stream(data, Terminal()) == '"R1","\ufffdtitle"\n'
