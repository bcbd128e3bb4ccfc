"""User text on the page: shown as typed, never as markup.

Streamlit renders Markdown (and its autolinks) in ``st.markdown``, titles, captions, alerts
and widget labels. A title, description, reason, comment, name or rationale goes through
:func:`plain` first, so a typed ``![x](http://…)`` fetches no image and a typed link or
``www.example.com`` is not clickable. The stored text is never changed: this is only how
it is shown.
"""

from __future__ import annotations

import re

__all__ = ["plain"]

# CommonMark lets any ASCII punctuation be backslash-escaped: no emphasis, link, image or
# inline HTML survives that.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# GitHub-flavoured Markdown also links bare addresses in the text it has already parsed
# (``http://…``, ``www.…``, ``user@host``), escapes or not; a zero-width space inside each
# of those patterns keeps them from matching and shows nothing.
_BARE_LINK = re.compile(r"(?i)([a-z][a-z0-9+.-]*)(:)|\b(www)(\.)|(@)")
ZERO_WIDTH_SPACE = "\u200b"


def _break_link(match: re.Match[str]) -> str:
    if match.group(2):
        return match.group(1) + ZERO_WIDTH_SPACE + ":"
    if match.group(3):
        return match.group(3) + ZERO_WIDTH_SPACE + "."
    return ZERO_WIDTH_SPACE + "@"


def plain(text: object) -> str:
    """``text`` escaped so that Markdown shows it literally, line breaks kept.

    >>> plain("*hi* [x](y)")
    '\\\\*hi\\\\* \\\\[x\\\\]\\\\(y\\\\)'
    >>> plain("www.a.b") == "www\\u200b\\\\.a\\\\.b"
    True
    """
    broken = _BARE_LINK.sub(_break_link, str(text))
    escaped = _PUNCTUATION.sub(r"\\\1", broken)
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")
