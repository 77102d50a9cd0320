"""Text runs → pieces of glyphs: which font draws each character, and HarfBuzz's shaping.

The analysis half of the text engine (:mod:`text` breaks the pieces into lines): each
character gets a family from the language's font chain (joiners, marks and punctuation stay
with the run they are in); each run of one family, style and bidi level becomes a
:class:`Piece`, shaped with HarfBuzz (joining, conjuncts, marks, kerning) or, when every
character is one glyph (Latin, Greek, Cyrillic, Han, kana, Hangul without combining marks),
measured from the font's widths. Pieces and shaped runs are remembered (bounded): words repeat.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import uharfbuzz as hb

from .errors import MissingGlyphError
from .fontindex import NEUTRAL, script_of_char
from .fonts import IGNORABLE, Face, Family, FontChain, describe, is_mark
from .memo import kept, recalled, remembered

FEATURES = {"kern": True, "liga": True}
MEMO_SIZE = 4096              # paragraphs set, remembered per language (oldest forgotten first)


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
    family: Family | None = field(default=None, repr=False)
    clusters: tuple[int, ...] | None = field(default=None, repr=False)   # HarfBuzz cluster of each glyph
    nominal: bool = False          # shaped, and found to be each character's own glyph (drawn as plain text)


# Scripts whose letters are one glyph each, with no joining, reordering or mark positioning.
SIMPLE_SCRIPTS = {"Latn", "Grek", "Cyrl", "Hani", "Hira", "Kana", "Hang", "Bopo", "Zyyy"}


_SIMPLE_CHARS: set[str] = set()     # characters found simple (bounded by Unicode's repertoire)


def _simple(text: str) -> bool:
    """Whether ``text`` needs no shaping: letters of simple scripts, no combining mark (a Yoruba
    tone mark over a dotted vowel, a Vietnamese letter in decomposed form, do need it)."""
    for c in set(text).difference(_SIMPLE_CHARS):
        if script_of_char(c) not in SIMPLE_SCRIPTS or unicodedata.combining(c):
            return False
        _SIMPLE_CHARS.add(c)
    return True


def _nominal(text: str, advances: tuple[float, ...]) -> bool:
    """Whether HarfBuzz's glyphs for a left-to-right ``text`` (already known to be each character's
    own glyph, in order, unmoved) are plain text: every glyph takes room and none is a combining
    mark. Such a run (an Ethiopic word; a Devanagari word without conjuncts or reordering) is drawn
    and read back like Latin, one code per character, with HarfBuzz's advances."""
    return all(advances) and not any(unicodedata.category(c) in ("Mn", "Me") for c in text)


@dataclass
class Shaper:
    """Pieces of glyphs for one language's text: its font chain and HarfBuzz language."""
    chain: FontChain
    lang: str
    _families: dict = field(default_factory=dict)      # character → first family that has it
    _pieces: dict = field(default_factory=dict)        # (text, family, bold, level, size) → its piece
    _spaces: dict = field(default_factory=dict)        # face → its space's width
    _stays: dict = field(default_factory=dict)         # (character, family) → whether it stays in that run

    def __post_init__(self):
        self.known_family = self._families.get     # a character's family, if it was found before

    def family_for(self, ch: str, current: Family | None) -> Family:
        fam = self._families.get(ch)
        if fam is not None and fam is current:
            return current
        if current is not None:     # joiners, marks and punctuation stay with the run they are in
            stays = self._stays.get((ch, current.name))
            if stays is None:       # (asked of every comma and digit of a non-Latin text: remembered)
                stays = self._stays[(ch, current.name)] = ch in IGNORABLE or ch == "\u00a0" or \
                    (current.covers(ch) and (is_mark(ch) or script_of_char(ch) in NEUTRAL))
            if stays:
                return current
        if fam is None:
            fam = self.chain.for_char(ch)
            if fam is None:
                raise MissingGlyphError(f"no font has {describe(ch)}")
            self._families[ch] = fam
        return fam

    def piece(self, text: str, fam: Family, bold: bool, level: int, size: float) -> Piece:
        """One run of one face, measured (or shaped); remembered, as words repeat (pieces are never changed)."""
        key = (text, fam.name, bold, level, size)
        hit = recalled(self._pieces, key)         # (called for every word set: no closure made for a hit)
        return hit if hit is not None else kept(self._pieces, key, MEMO_SIZE * 8,
                                                self._make_piece(text, fam, bold, level, size))

    def _make_piece(self, text: str, fam: Family, bold: bool, level: int, size: float) -> Piece:
        face = fam.face(bold)
        if not level % 2 and _simple(text):      # one glyph per character: widths from the font
            widths, default = face.ttf.face.charWidths, face.ttf.face.defaultWidth
            adv = [widths.get(ord(c), default) for c in text]
            return Piece(face, size, level, text, text, adv, None, False, sum(adv) * size / 1000, fam)
        codes, adv, offs, width, clusters = remembered(face.shaped, (text, level % 2, self.lang), MEMO_SIZE * 8,
                                                       lambda: self._shape(text, face, level))
        if not level % 2 and codes == text and offs is None and _nominal(text, adv):
            return Piece(face, size, level, text, text, list(adv), None, False, width * size / 1000, fam,
                         nominal=True)
        return Piece(face, size, level, text, codes, adv, offs, True, width * size / 1000, fam, clusters)

    def _shape(self, text: str, face: Face, level: int) -> tuple:
        """HarfBuzz's glyphs for ``text`` in one face: every script is shaped (kerning, marks, joining)."""
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.direction = "rtl" if level % 2 else "ltr"
        buf.language = self.lang.replace("_", "-")
        buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
        hb.shape(face.hb_font, buf, FEATURES)
        ttf = face.ttf
        scale = 1000.0 / ttf.face.unitsPerEm
        to_char = ttf.face.glyphToChar
        codes, adv, offs, clusters = [], [], [], []
        any_off = False
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions):    # (each builds its list anew: once)
            gid = info.codepoint
            if gid == 0:
                raise MissingGlyphError(f"font {face.name} has no glyph for {describe(text[info.cluster])}")
            chars = to_char.get(gid)
            code = chars[0] if chars else ttf.hbAddPrivate(face.hb_font.glyph_to_string(gid), gid,
                                                         ttf.face._pdfScale(pos.x_advance))
            codes.append(chr(code))
            adv.append(pos.x_advance * scale)
            dx, dy = pos.x_offset, pos.y_offset
            if dx or dy:
                any_off = True
                offs.append((dx * scale, dy * scale))
            else:
                offs.append((0.0, 0.0))
            clusters.append(info.cluster)
        return "".join(codes), tuple(adv), tuple(offs) if any_off else None, sum(adv), tuple(clusters)

    def space(self, face: Face) -> float:
        """The width of a word space in ``face`` (1/1000 em)."""
        width = self._spaces.get(face.name)
        if width is None:
            width = self._spaces[face.name] = face.ttf.face.charWidths.get(32) or 260
        return width
