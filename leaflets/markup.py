"""The inline markup that texts may carry, parsed strictly.

Only ``<b>…</b>`` (bold, no attributes, not nested) and the entities ``&amp;``,
``&lt;``, ``&gt;`` exist. Anything else (other tags, attributes, unknown
entities, control characters) is a :class:`MarkupError`: translator text is
untrusted and never reaches a markup interpreter such as ReportLab's.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .errors import MarkupError

ALLOWED_TAGS = ("b",)
_TOKEN = re.compile(r"<[^>]*>?|&[^;\s<>]*;?")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style."""
    text: str
    bold: bool = False


def parse_markup(text: str, bidi_controls: bool = False) -> list[Run]:
    """Split marked-up text into runs; raise MarkupError on anything not allowed.

    Bidi embedding and isolate controls are allowed only where ``bidi_controls``
    is true: in the English source and clinic details, never in a translation.

    >>> parse_markup("a <b>b</b> &amp; c")
    [Run(text='a ', bold=False), Run(text='b', bold=True), Run(text=' & c', bold=False)]
    """
    bad = _CONTROL.search(text) or (None if bidi_controls else _BIDI.search(text))
    if bad:
        raise MarkupError(f"control character U+{ord(bad.group()):04X} is not allowed")
    runs: list[Run] = []
    bold = False
    pos = 0
    buf = ""
    for m in _TOKEN.finditer(text):
        buf += text[pos:m.start()]
        pos = m.end()
        token = m.group()
        if token.startswith("&"):
            if token not in _ENTITIES:
                raise MarkupError(f"entity {token!r} is not allowed (only &amp; &lt; &gt;)")
            buf += _ENTITIES[token]
            continue
        if token == "<b>":
            if bold:
                raise MarkupError("<b> inside <b> is not allowed")
        elif token == "</b>":
            if not bold:
                raise MarkupError("</b> without an opening <b>")
        else:
            raise MarkupError(f"tag {token!r} is not allowed (only <b>…</b>)")
        if buf:
            runs.append(Run(buf, bold))
        buf = ""
        bold = token == "<b>"
    buf += text[pos:]
    if bold:
        raise MarkupError("<b> is not closed")
    if buf:
        runs.append(Run(buf, bold))
    return runs


def tag_counts(text: str) -> Counter:
    """How often each tag occurs, e.g. ``Counter({'<b>': 1, '</b>': 1})``."""
    return Counter(m.group() for m in _TOKEN.finditer(text) if m.group().startswith("<"))


def plain_text(text: str) -> str:
    """The text a reader sees, without tags."""
    return "".join(r.text for r in parse_markup(text, bidi_controls=True))


def escape(text: str) -> str:
    """Make plain text (names, dates, contact details) safe to place in marked-up text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
