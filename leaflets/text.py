"""Text engine: shaping, bidi, line breaking and drawing for every script.

ReportLab's Paragraph cannot do right-to-left text with shaping (it reverses the
words of each line) nor fall back to another font, so text is set here:

1. markup → runs (bold or not); each character gets a font from the
   language's font chain and a bidi embedding level (Unicode bidi algorithm);
2. text is cut into words (at spaces; between Chinese characters, keeping
   closing punctuation off a line start and opening punctuation off a line end);
3. each word is cut into pieces of one font, style and level, shaped with
   HarfBuzz (complex scripts) or measured from the font's widths (others);
4. lines are broken greedily in logical order, then each line is put in visual
   order (UAX #9 rule L2) and aligned to the start side.

Drawing the lines is :mod:`draw`'s job.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import uharfbuzz as hb
from bidi import algorithm as _bidi

from .errors import LayoutError, MissingGlyphError
from .fonts import IGNORABLE, Face, Family, describe, is_mark
from .markup import parse_markup

NO_LINE_START = set("，。：；！？、）」』》〉】〕〗〙〛｝’”…‥・ー々,.:;!?)]}％")
NO_LINE_END = set("（「『《〈【〔〖〘〚｛‘“([{")
FEATURES = {"kern": True, "liga": True}


@lru_cache(maxsize=4096)
def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and not ch.isspace()


@dataclass
class Piece:
    """Glyphs of one face, size, style and bidi level, in visual order."""
    face: Face
    size: float
    level: int
    text: str                      # logical text, for /ActualText
    codes: str                     # one character per glyph (font's code for it)
    advances: list[float]          # in 1/1000 em
    offsets: list[tuple[float, float]] | None   # (dx, dy) in 1/1000 em, None if all zero
    shaped: bool
    width: float = 0.0             # points


@dataclass
class Word:
    pieces: list[Piece]
    gap_before: bool               # a space precedes it (break here drops the space)
    width: float
    space_level: int = 0           # bidi level of the preceding space


@dataclass
class Line:
    items: list[tuple[Piece | None, float, int]]   # (piece or None for a space, width, level), logical
    width: float
    rtl: bool = False                              # the paragraph's direction

    def visual(self) -> list[tuple[Piece | None, float, int]]:
        """Items in visual (left-to-right) order: UAX #9 rule L2."""
        items = list(self.items)
        if not items:
            return items
        levels = [lv for _, _, lv in items]
        top = max(levels)
        low_odd = min(lv for lv in levels) | 1
        for level in range(top, low_odd - 1, -1):
            i = 0
            while i < len(items):
                if items[i][2] >= level:
                    j = i
                    while j < len(items) and items[j][2] >= level:
                        j += 1
                    items[i:j] = items[i:j][::-1]
                    i = j
                else:
                    i += 1
        return items


@dataclass
class TextSetter:
    """Sets text for one language: its font chain, direction and HarfBuzz language."""
    chain: list[Family]
    rtl: bool
    lang: str
    _space_cache: dict = field(default_factory=dict)
    _families: dict = field(default_factory=dict)      # character → first family that has it

    # --- analysis -------------------------------------------------------------
    def paragraph_rtl(self, text: str) -> bool:
        """RTL pages set a paragraph right to left if it has any right-to-left letter."""
        return self.rtl and any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)

    def levels(self, text: str, rtl: bool) -> list[int]:
        if not rtl and all(ord(c) < 0x590 for c in text):
            return [0] * len(text)
        probe = "".join("\u00b7" if unicodedata.bidirectional(c) == "BN" else c for c in text)
        storage = _bidi.get_empty_storage()
        storage["base_level"] = 1 if rtl else 0
        storage["base_dir"] = "R" if rtl else "L"
        _bidi.get_embedding_levels(probe, storage, False, False)
        _bidi.explicit_embed_and_overrides(storage, False)
        _bidi.resolve_weak_types(storage, False)
        _bidi.resolve_neutral_types(storage, False)
        _bidi.resolve_implicit_levels(storage, False)
        return [c["level"] for c in storage["chars"]]

    def family_for(self, ch: str, current: Family | None) -> Family:
        if current is not None and (ch in IGNORABLE or ch == "\u00a0" or (is_mark(ch) and current.covers(ch))):
            return current          # joiners and marks stay with their base; HarfBuzz handles them
        fam = self._families.get(ch)
        if fam is None:
            fam = next((f for f in self.chain if f.covers(ch)), None)
            if fam is None:
                raise MissingGlyphError(f"no font has {describe(ch)}")
            self._families[ch] = fam
        return fam

    # --- shaping --------------------------------------------------------------
    def _piece(self, text: str, fam: Family, bold: bool, level: int, size: float) -> Piece:
        face = fam.face(bold)
        if not fam.spec.shaping:
            widths = face.ttf.face.charWidths
            default = face.ttf.face.defaultWidth
            adv = [widths.get(ord(c), default) for c in text]
            return Piece(face, size, level, text, text, adv, None, False, sum(adv) * size / 1000)
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.direction = "rtl" if level % 2 else "ltr"
        buf.language = self.lang.replace("_", "-")
        buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
        hb.shape(face.hb_font, buf, FEATURES)
        ttf = face.ttf
        upem = ttf.face.unitsPerEm
        scale = 1000.0 / upem
        codes, adv, offs = [], [], []
        any_off = False
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
            gid = info.codepoint
            if gid == 0:
                bad = text[info.cluster]
                raise MissingGlyphError(f"font {face.name} has no glyph for {describe(bad)}")
            chars = ttf.face.glyphToChar.get(gid)
            code = chars[0] if chars else ttf.hbAddPrivate(face.hb_font.glyph_to_string(gid), gid,
                                                         ttf.face._pdfScale(pos.x_advance))
            codes.append(chr(code))
            adv.append(pos.x_advance * scale)
            dx, dy = pos.x_offset * scale, pos.y_offset * scale
            any_off = any_off or bool(dx or dy)
            offs.append((dx, dy))
        return Piece(face, size, level, text, "".join(codes), adv, offs if any_off else None, True,
                     sum(adv) * size / 1000)

    def _gap(self, before: Word | None, after: Word, size: float) -> float:
        """A word space: the wider of the spaces of the two fonts that meet there."""
        faces = [after.pieces[0].face] + ([before.pieces[-1].face] if before else [])
        return max(self._space(f) for f in faces) * size / 1000

    def _space(self, face: Face) -> float:
        width = self._space_cache.get(face.name)
        if width is None:
            width = self._space_cache[face.name] = face.ttf.face.charWidths.get(32) or 260
        return width

    # --- words ------------------------------------------------------------------
    def words(self, marked: str, size: float, bold: bool = False) -> tuple[list[Word], bool]:
        """Marked-up text → shaped words in logical order, and the paragraph direction."""
        runs = parse_markup(marked)
        text = "".join(r.text for r in runs)
        styles = [bold or r.bold for r in runs for _ in r.text]
        rtl = self.paragraph_rtl(text)
        levels = self.levels(text, rtl)
        fams: list[Family] = []
        cur = None
        for ch in text:
            cur = self.family_for(ch, cur) if not ch.isspace() else (cur or self.chain[0])
            fams.append(cur)
        words: list[Word] = []
        for start, end, gap, space_level in self._word_spans(text, levels):
            pieces = []
            i = start
            while i < end:
                j = i + 1
                while j < end and fams[j] is fams[i] and styles[j] == styles[i] and levels[j] == levels[i]:
                    j += 1
                pieces.append(self._piece(text[i:j], fams[i], styles[i], levels[i], size))
                i = j
            words.append(Word(pieces, gap, sum(p.width for p in pieces), space_level))
        return words, rtl

    def _word_spans(self, text: str, levels: list[int]):
        """(start, end, gap_before, level of that gap) for each breakable word."""
        spans = []
        i, n = 0, len(text)
        gap, gap_level = False, 0
        while i < n:
            if text[i] == " ":
                gap, gap_level = True, levels[i]
                i += 1
                continue
            j = i + 1
            if _is_cjk(text[i]) or text[i] in NO_LINE_END:
                # one character, plus what may not be separated from it
                while j < n and text[j] in NO_LINE_START:
                    j += 1
                if text[i] in NO_LINE_END:
                    while j < n and text[j] in NO_LINE_END:
                        j += 1
                    if j < n and text[j] != " ":
                        j += 1
                        while j < n and text[j] in NO_LINE_START:
                            j += 1
            else:
                while j < n and text[j] != " " and not (_is_cjk(text[j]) and text[j] not in NO_LINE_START) \
                        and text[j] not in NO_LINE_END:
                    j += 1
            spans.append((i, j, gap, gap_level))
            gap = False
            i = j
        return spans

    # --- lines ------------------------------------------------------------------
    def lines(self, marked: str, size: float, width: float, bold: bool = False) -> list[Line]:
        """Break marked-up text into lines no wider than ``width``."""
        out: list[Line] = []
        items: list = []
        used = 0.0
        limit = width
        words, rtl = self.words(marked, size, bold)
        prev = None
        for word in words:
            extra = self._gap(prev, word, size) if word.gap_before and items else 0.0
            prev = word
            if items and used + extra + word.width > limit + 0.01:
                out.append(Line(items, used, rtl))
                items, used, extra, limit = [], 0.0, 0.0, width
            if word.width > limit + 0.01:
                raise LayoutError(f"the word “{''.join(p.text for p in word.pieces)}” is wider than the column")
            if extra:
                items.append((None, extra, word.space_level))
            items.extend((p, p.width, p.level) for p in word.pieces)
            used += extra + word.width
        if items:
            out.append(Line(items, used, rtl))
        return out
