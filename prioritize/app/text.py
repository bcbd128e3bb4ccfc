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

# CommonMark lets any ASCII punctuation be backslash-escaped; escaping all of it also breaks
# the autolink forms (``http://``, ``www.``, ``user@host``) and inline HTML.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: object) -> str:
    """``text`` escaped so that Markdown shows it literally, line breaks kept.

    >>> plain("![img](http://x.y) *hi*")
    '\\\\!\\\\[img\\\\]\\\\(http\\\\:\\\\/\\\\/x\\\\.y\\\\) \\\\*hi\\\\*'
    """
    escaped = _PUNCTUATION.sub(r"\\\1", str(text))
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")
