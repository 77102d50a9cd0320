"""Unicode's text algorithms, from ICU: bidi (UAX #9) and line breaking (UAX #14).

ICU is the reference implementation of both (``pyicu-wheels`` ships it in the
wheel). This module only adapts ICU's UTF-16 view to Python strings (one index
per code point) and caches the break iterators; no rule is written here.
Tested against Unicode's ``BidiCharacterTest.txt`` and ``LineBreakTest.txt``.
"""
from __future__ import annotations

from functools import lru_cache

import icu

AUTO = None     # paragraph direction from the first strong character (rules P2, P3)


def _units(text: str) -> list[int] | None:
    """UTF-16 offset of each code point, or None when every code point is one unit."""
    if text.isascii() or max(text) < "\U00010000":
        return None
    out, n = [], 0
    for c in text:
        out.append(n)
        n += 2 if ord(c) >= 0x10000 else 1
    return out


class BidiParagraph:
    """One paragraph run through ICU's UAX #9: levels, and the visual order of any line of it."""

    def __init__(self, text: str, rtl: bool | None = AUTO):
        self.text = text
        self._units = _units(text)
        self._bidi = icu.Bidi()
        self._ustr = icu.UnicodeString(text)          # ICU keeps a pointer to it: keep it alive
        para = icu.Bidi.DEFAULT_LTR if rtl is AUTO else (1 if rtl else 0)
        self._bidi.setPara(self._ustr, para)
        self.rtl = self._bidi.getParaLevel() % 2 == 1
        levels = self._bidi.getLevels() if text else ()
        self.levels = list(levels) if self._units is None else [levels[u] for u in self._units]

    def _unit(self, index: int) -> int:
        if self._units is None:
            return index
        return self._units[index] if index < len(self._units) else len(self._ustr)

    def visual(self, start: int = 0, end: int | None = None) -> list[int]:
        """Indices of ``text[start:end]`` (one line) in visual order, left to right: rules L1 and L2."""
        end = len(self.text) if end is None else end
        if start >= end:
            return []
        if max(self.levels[start:end]) == 0:
            return list(range(start, end))
        u0 = self._unit(start)
        vmap = self._bidi.setLine(u0, self._unit(end)).getVisualMap()
        if self._units is None:
            return [start + i for i in vmap]
        back = {u: i for i, u in enumerate(self._units)}
        return [back[u0 + i] for i in vmap if u0 + i in back]


def paragraph_is_rtl(text: str) -> bool:
    """The direction rules P2 and P3 give ``text`` (False when it has no strong character)."""
    return BidiParagraph(text).rtl


def _boundaries(it, text: str) -> list[int]:
    """The iterator's boundaries in ``text`` after 0, as code-point offsets (ICU counts UTF-16 units)."""
    if not text:
        return []
    it.setText(icu.UnicodeString(text))
    units = _units(text)
    found = [b for b in it if b > 0]
    if units is None:
        return found
    back = {u: i for i, u in enumerate(units)}
    back[units[-1] + (2 if ord(text[-1]) >= 0x10000 else 1)] = len(text)
    return [back[b] for b in found]


@lru_cache(maxsize=1)
def _character_iterator():
    return icu.BreakIterator.createCharacterInstance(icu.Locale.getRoot())


def graphemes(text: str) -> list[int]:
    """Code-point offsets where a user-perceived character (grapheme cluster) ends (UAX #29)."""
    return _boundaries(_character_iterator(), text)


@lru_cache(maxsize=32)
def _line_iterator(lang: str):
    base = lang.replace("-", "_").split("_")[0]
    # Chinese and Japanese line breaking follows the strict (kinsoku) rules.
    name = f"{lang}@lb=strict" if base in ("zh", "ja") else lang
    return icu.BreakIterator.createLineInstance(icu.Locale(name))


def line_breaks(text: str, lang: str = "root") -> list[int]:
    """Code-point offsets where a line may begin (UAX #14 with ICU's dictionaries), ending with len(text)."""
    return _boundaries(_line_iterator(lang), text)
