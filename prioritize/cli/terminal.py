"""Text from user data on its way to a terminal: nothing in it may drive the terminal.

A requirement title, a member's name, a file name or a reason can hold escape sequences
(``ESC [ 2 J`` clears the screen, ``ESC ] 8 ;;`` makes a hidden link, ``ESC ] 52`` writes
the clipboard), control characters (a carriage return that overwrites what the line
showed, a backspace) or bidirectional overrides that show text in another order than it is
stored. :func:`printable` replaces each escape sequence, each control character and each
bidirectional control with one U+FFFD (the replacement character), so the reader sees that
something was there and nothing is executed. The command line prints every user text
through it: tables, messages, warnings and errors.

Data printed on standard output (``--format csv``, ``--format json``) is data: it is passed
through :func:`printable` only when standard output is a terminal (:func:`for_stream`), so a
file or a pipe gets the exact bytes.
"""

from __future__ import annotations

import re
from typing import TextIO

__all__ = ["REPLACEMENT", "for_stream", "printable"]

#: What stands in for a removed sequence or character.
REPLACEMENT = "\ufffd"

# String terminators: BEL, ESC \, and the 8-bit ST.
_ST = r"(?:\x07|\x1b\\|\x9c)"
_SEQUENCE = re.compile(
    # OSC, DCS, SOS, PM, APC: ESC ] (or P X ^ _) ... up to the terminator, 7- or 8-bit
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*"
    + _ST
    # CSI: ESC [ (or 8-bit CSI) parameters, intermediates, final byte
    + r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    # any other escape: ESC, intermediates, a final byte (an unterminated string is cut here)
    + r"|\x1b[ -/]*[0-~]"
)
# C0 controls but tab and line feed, DEL, C1 controls, the Arabic letter mark and the
# bidirectional embeddings, overrides and isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile(r"\r\n|[\r\n]")


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` safe to print on a terminal.

    Escape sequences, control characters (all but tab and line feed) and bidirectional
    controls become U+FFFD. A carriage return ends a line (``\\r\\n`` and ``\\r`` become
    ``\\n``), so it cannot send the cursor back over what the line showed.

    Parameters
    ----------
    text
        The text (any ``str``).
    one_line
        For a table cell or a one-line message: line breaks and tabs become spaces.

    Examples
    --------
    >>> printable("\\x1b[2Jcleared\\x07 \\u202eevil")
    '\\ufffdcleared\\ufffd \\ufffdevil'
    >>> printable("one\\r\\ntwo\\tthree"), printable("one\\r\\ntwo\\tthree", one_line=True)
    ('one\\ntwo\\tthree', 'one two three')
    """
    text = _LINE_BREAK.sub(" " if one_line else "\n", text)
    if one_line:
        text = text.replace("\t", " ")
    text = _SEQUENCE.sub(REPLACEMENT, text)
    return _CONTROL.sub(REPLACEMENT, text)


def for_stream(text: str, stream: TextIO) -> str:
    """``text`` as it should be written to ``stream``: :func:`printable` when the stream is
    a terminal, else unchanged (a file or a pipe gets the data as it is)."""
    isatty = getattr(stream, "isatty", None)
    if callable(isatty) and isatty():
        return printable(text)
    return text
