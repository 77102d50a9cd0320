"""Text engine: words and lines for every script (the breaking half; :mod:`shaping` makes the pieces).

ReportLab's Paragraph cannot do right-to-left text with shaping (it reverses the
words of each line) nor fall back to another font, so text is set here:

1. markup → runs (bold or not); each character gets a font from the
   language's font chain and a bidi embedding level (UAX #9, by ICU);
2. text is cut into words at the line-break opportunities of UAX #14 (ICU, with
   its dictionaries for Thai, Lao, Khmer and Burmese and strict kinsoku for
   Chinese and Japanese); no break falls inside a name that must stay whole;
3. each word is cut into pieces of one font, style and level (:mod:`shaping`:
   HarfBuzz, or the font's widths where every character is one glyph);
4. lines are broken greedily in logical order, then each line is put in visual
   order (UAX #9 rules L1 and L2, by ICU) and aligned to the start side.

Drawing the lines is :mod:`draw`'s job.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from .fonts import Family, FontChain, script_of
from .shaping import MEMO_SIZE, Piece, Shaper
from .markup import BIDI_CONTROLS, parse_markup
from .unicode_text import BidiParagraph, graphemes, line_breaks

HYPHENS = "-\u2010\u05be"     # hyphen, Unicode hyphen, Hebrew maqaf
KEEP_ALL = {"Kore"}        # scripts broken between words only (KLREQ: Korean puts spaces between words)
NOT_DRAWN = BIDI_CONTROLS + "\u200e\u200f"      # bidi controls and marks: they act on levels only


@dataclass
class Word:
    pieces: list[Piece]
    gap_before: bool               # a space precedes it (break here drops the space)
    width: float
    space_level: int = 0           # bidi level of the preceding space
    start: int = 0                 # logical index of its first character in the paragraph
    spans: list[tuple[int, int]] = field(default_factory=list)   # logical (start, end) of each piece


@dataclass
class Line:
    items: list[tuple[Piece | None, float, int]]   # (piece or None for a space, width, level), logical
    width: float
    rtl: bool = False                              # the paragraph's direction
    spans: list[tuple[int, int]] = field(default_factory=list)   # logical (start, end) of each item
    para: BidiParagraph | None = None

    def visual(self) -> list[tuple[Piece | None, float, int]]:
        """Items in visual (left-to-right) order: UAX #9 rules L1 and L2, by ICU."""
        if self.para is None or not self.items or max(lv for _, _, lv in self.items) == 0:
            return list(self.items)
        start, end = self.spans[0][0], self.spans[-1][1]
        rank = {i: n for n, i in enumerate(self.para.visual(start, end))}
        order = sorted(range(len(self.items)), key=lambda k: min(rank[i] for i in range(*self.spans[k])))
        return [self.items[k] for k in order]


@dataclass
class TextSetter:
    """Sets text for one language: its font chain, direction and HarfBuzz language."""
    chain: FontChain
    rtl: bool
    lang: str
    keep_whole: tuple[str, ...] = ()                   # names never split across lines
    overflows: list = field(default_factory=list)      # words broken at the column edge (warnings)
    _set: dict = field(default_factory=dict)           # (text, size, width, bold) → its lines (texts repeat)
    shaper: Shaper = field(init=False, repr=False)
    _keep_all: bool = field(init=False, repr=False)     # broken between words only (KEEP_ALL)

    def __post_init__(self):
        self.shaper = Shaper(self.chain, self.lang)
        self._keep_all = script_of(self.lang) in KEEP_ALL

    # --- analysis -------------------------------------------------------------
    def paragraph_rtl(self, text: str) -> bool:
        """RTL pages set a paragraph right to left if it has any right-to-left letter."""
        return self.rtl and any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)

    def _gap(self, before: Word | None, after: Word, size: float) -> float:
        """A word space: the wider of the spaces of the two fonts that meet there."""
        space = self.shaper.space
        width = space(after.pieces[0].face)
        if before is not None:
            width = max(width, space(before.pieces[-1].face))
        return width * size / 1000

    # --- words ------------------------------------------------------------------
    def words(self, marked: str, size: float, bold: bool = False) -> tuple[list[Word], BidiParagraph]:
        """Marked-up text → shaped words in logical order, and its bidi paragraph."""
        runs = parse_markup(marked, bidi_controls=True)   # translations were checked before layout
        text = "".join(r.text for r in runs)
        styles = [bold or r.bold for r in runs for _ in r.text]
        para = BidiParagraph(text, self.paragraph_rtl(text))
        levels = para.levels
        fams: list[Family] = []
        cur = None
        known, family_for = self.shaper.known_family, self.shaper.family_for
        for ch in text:
            if ch.isspace():
                cur = cur or self.chain.primary
            elif known(ch) is not cur or cur is None:       # the run's own family: the common case
                cur = family_for(ch, cur)
            fams.append(cur)
        words: list[Word] = []
        for start, end, gap, space_level in self._word_spans(text, levels):
            pieces, spans = [], []
            i = start
            while i < end:
                if text[i] in NOT_DRAWN:        # they shape the levels (ICU), and are not drawn (X9)
                    i += 1
                    continue
                j = i + 1
                while j < end and fams[j] is fams[i] and styles[j] == styles[i] and levels[j] == levels[i] \
                        and text[j] not in NOT_DRAWN:
                    j += 1
                pieces.append(self.shaper.piece(text[i:j], fams[i], styles[i], levels[i], size))
                spans.append((i, j))
                i = j
            if not pieces:
                continue
            words.append(Word(pieces, gap, sum(p.width for p in pieces), space_level, start, spans))
        return words, para

    def _word_spans(self, text: str, levels: list[int]):
        """(start, end, gap_before, level of that gap) for each unbreakable word (UAX #14)."""
        breaks = self._breaks(text)
        spans, start, gap, gap_level = [], 0, False, 0
        for end in breaks:
            stop = end
            while stop > start and text[stop - 1] == " ":
                stop -= 1
            if stop > start:
                spans.append((start, stop, gap, gap_level))
                gap = False
            if stop < end:
                gap, gap_level = True, levels[stop]
            start = end
        return spans

    def _breaks(self, text: str) -> list[int]:
        """Line-break opportunities, less those inside a name that must stay whole.

        Two tailorings of UAX #14 (which allows them): no break after a hyphen inside a
        word (clear print keeps words whole, and a word split at its hyphen is no
        longer found by search or read whole by a screen reader); and Korean, which
        puts spaces between words, is broken only at spaces and punctuation, not
        between two syllables (CSS ``word-break: keep-all``; ICU breaks anywhere).
        """
        keep_all = self._keep_all
        breaks = [b for b in line_breaks(text, self.lang)
                  if not (0 < b < len(text) and (text[b - 1] in HYPHENS or keep_all and text[b - 1].isalnum())
                          and text[b].isalnum())]
        inside = set()
        for name in self.keep_whole:
            at = text.find(name)
            while name and at >= 0:
                inside.update(range(at + 1, at + len(name)))
                at = text.find(name, at + 1)
        return [b for b in breaks if b not in inside] if inside else breaks

    # --- lines ------------------------------------------------------------------
    def lines(self, marked: str, size: float, width: float, bold: bool = False) -> list[Line]:
        """Break marked-up text into lines no wider than ``width``.

        A word wider than the column (a long URL, a compound, a drug name) is broken
        at the column edge between grapheme clusters, as browsers' ``overflow-wrap``
        does, and noted in ``overflows``. The same text set again (ReportLab asks a
        block's size several times; the interface texts are on every page and in every
        leaflet) is taken from a bounded memo: the lines are shared, and never changed.
        """
        key = (marked, size, round(width, 3), bold)
        done = self._set.get(key)
        if done is None:
            start = len(self.overflows)
            done = (self._lines(marked, size, width, bold), tuple(self.overflows[start:]))
            if len(self._set) >= MEMO_SIZE:
                del self._set[next(iter(self._set))]      # the oldest: memory stays flat
            self._set[key] = done
        else:
            self.overflows.extend(done[1])
        return list(done[0])

    def _lines(self, marked: str, size: float, width: float, bold: bool) -> list[Line]:
        out: list[Line] = []
        words, para = self.words(marked, size, bold)
        line = Line([], 0.0, para.rtl, [], para)
        prev = None
        for word in words:
            extra = self._gap(prev, word, size) if word.gap_before and line.items else 0.0
            prev = word
            if line.items and line.width + extra + word.width > width + 0.01:
                if word.width <= width + 0.01:
                    out.append(line)
                    line, extra = Line([], 0.0, para.rtl, [], para), 0.0
            while line.width + extra + word.width > width + 0.01:
                head, rest = cut(self.shaper, word, width - line.width - extra, size, after_hyphen=True)
                if not head.pieces and line.items and cut(self.shaper, word, width, size, after_hyphen=True)[0].pieces:
                    out.append(line)         # a hyphen it can break at on the next line
                    line, extra = Line([], 0.0, para.rtl, [], para), 0.0
                    continue
                if head.pieces:              # a hyphenated word wider than the column: at a hyphen (UAX #14)
                    word = rest
                else:                        # else at the column's edge, and said
                    self.overflows.append("".join(p.text for p in word.pieces))
                    head, word = cut(self.shaper, word, width - line.width - extra, size)
                if head.pieces:
                    add(line, head, extra)
                if line.items:
                    out.append(line)
                line, extra = Line([], 0.0, para.rtl, [], para), 0.0
            add(line, word, extra)
        if line.items:
            out.append(line)
        return [joined(self.shaper, line) for line in out]


# --- a line's words: cut where they must be, joined where they run on --------------------------

def joined(shaper: Shaper, line: Line) -> Line:
    """Neighbouring shaped pieces of one word run (Thai words, which have no spaces between them)
    shaped again as one: one run of glyphs, read back as one by text extractors. (A piece HarfBuzz
    left as each character's own glyph, drawn as plain text, is one of them: ``nominal``.)"""
    items, spans = [], []
    for item, span in zip(line.items, line.spans):
        piece = item[0]
        prev = items[-1][0] if items else None
        if (piece is not None and prev is not None and (piece.shaped or piece.nominal)
                and (prev.shaped or prev.nominal) and piece.face is prev.face
                and piece.level == prev.level and piece.size == prev.size and spans[-1][1] == span[0]
                and piece.family is not None):
            fam = piece.family
            joined = shaper.piece(prev.text + piece.text, fam, piece.face is fam.bold and fam.has_bold,
                                 piece.level, piece.size)
            items[-1] = (joined, joined.width, joined.level)
            spans[-1] = (spans[-1][0], span[1])
            line.width += joined.width - prev.width - piece.width
            continue
        items.append(item)
        spans.append(span)
    line.items, line.spans = items, spans
    return line
def add(line: Line, word: Word, extra: float) -> None:
    if extra:
        line.items.append((None, extra, word.space_level))
        line.spans.append((word.start - 1, word.start))
    line.items.extend((p, p.width, p.level) for p in word.pieces)
    line.spans.extend(word.spans)
    line.width += extra + word.width
def cut(shaper: Shaper, word: Word, room: float, size: float, after_hyphen: bool = False) -> tuple[Word, Word]:
    """The longest start of ``word`` (whole grapheme clusters; ``after_hyphen``: ending in a hyphen,
    inside one of its pieces) no wider than ``room``, and the rest."""
    head: list[tuple[Piece, tuple[int, int]]] = []
    used = 0.0
    for k, (piece, span) in enumerate(zip(word.pieces, word.spans)):
        if used + piece.width <= room:
            head.append((piece, span))
            used += piece.width
            continue
        fam = piece.family
        bold = piece.face is fam.bold and fam.bold is not fam.regular
        cut, best = 0, None
        ends = graphemes(piece.text)[:-1]
        if after_hyphen:                # only a hyphen inside the word's first piece will do
            if k:
                return Word([], word.gap_before, 0.0, word.space_level, word.start, []), word
            ends = [e for e in ends if e > 1 and piece.text[e - 1] in HYPHENS and piece.text[e - 2].isalnum()
                    and piece.text[e].isalnum()]
        for end in ends:
            part = shaper.piece(piece.text[:end], fam, bold, piece.level, size)
            if used + part.width > room:
                break
            cut, best = end, part
        rest = [(piece, span)] + list(zip(word.pieces[k + 1:], word.spans[k + 1:]))
        if best is not None:
            head.append((best, (span[0], span[0] + cut)))
            tail = shaper.piece(piece.text[cut:], fam, bold, piece.level, size)
            rest[0] = (tail, (span[0] + cut, span[1]))
        if not head:                    # not one cluster fits: the caller starts a new line
            return Word([], word.gap_before, 0.0, word.space_level, word.start, []), word
        return _word(head, word.gap_before, word.space_level), _word(rest, False, 0)
    return word, Word([], False, 0.0)
def _word(parts, gap: bool, level: int) -> Word:
    pieces = [p for p, _ in parts]
    return Word(pieces, gap, sum(p.width for p in pieces), level, parts[0][1][0] if parts else 0,
                [s for _, s in parts])
