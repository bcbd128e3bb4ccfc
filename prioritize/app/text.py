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
# (``http://…``, ``www.…``, ``user@host``), escapes or not; an invisible word joiner
# (U+2060) inside each of those patterns keeps them from matching; it shows nothing and,
# unlike a zero-width space, allows no line break there.
_BARE_LINK = re.compile(r"(?i)\b(https?|ftps?|mailto|xmpp)(:)|\b(www)(\.)|(@)")
WORD_JOINER = "\u2060"


def _break_link(match: re.Match[str]) -> str:
    if match.group(2):
        return match.group(1) + WORD_JOINER + ":"
    if match.group(3):
        return match.group(3) + WORD_JOINER + "."
    return WORD_JOINER + "@"


def plain(text: object) -> str:
    """``text`` escaped so that Markdown shows it literally, line breaks kept.

    >>> plain("*hi* [x](y)")
    '\\\\*hi\\\\* \\\\[x\\\\]\\\\(y\\\\)'
    >>> plain("www.a.b") == "www\\u2060\\\\.a\\\\.b"
    True
    """
    broken = _BARE_LINK.sub(_break_link, str(text))
    escaped = _PUNCTUATION.sub(r"\\\1", broken)
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")
