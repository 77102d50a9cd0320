"""Drawing set lines: the glyphs HarfBuzz chose, at the positions it chose, and a text layer.

Every glyph is drawn with a code whose ToUnicode is the text it stands for
(:mod:`glyphs` shares the text out, :mod:`pdffont` makes the codes), so text
extractors read the page's real characters, in logical order:

- a left-to-right run is one text object per font, in visual order (which is
  its logical order), its word spaces real space glyphs inside the run; a
  shaped word is also wrapped in /ActualText;
- a right-to-left run is written one glyph per text object, from right to
  left, each at its own position: the content stream is in logical order (for
  MuPDF and pdfminer) and the glyph positions are the page's (for poppler and
  pdfium, which sort by position and reverse right-to-left runs).

What is painted is exactly what was painted before: the same glyphs at the
same places.
"""
from __future__ import annotations

from functools import lru_cache

from babel import UnknownLocaleError

from .glyphs import Glyph, ink
from .textlayer import line_glyphs
from .pdffont import TextFont
from .text import Line
from .translate import is_rtl


def _ltr_widths(glyphs: list[Glyph]) -> list[float]:
    """PDF widths for glyphs drawn left to right in one TJ: their own, but one followed by a move to
    the right (a mark placed back by an offset, a kerned pair) gets the way to the next glyph, so that
    no TJ shift to the right follows it (MuPDF and pdfium can take one for a word space), and a mark
    placed back reaches to the pen (pdfminer parts lines at glyphs with no width)."""
    widths = [_natural(g) for g in glyphs]
    for k, g in enumerate(glyphs):
        if g.advance == 0 and g.offset < 0:   # a mark placed back: its box reaches to the pen
            widths[k] = max(widths[k], round(-g.offset * 1000 / g.size, 1))
        if k + 1 < len(glyphs) and not glyphs[k + 1].space:
            way = round((glyphs[k + 1].x - g.x) * 1000 / g.size, 1)
            if way > widths[k] + 0.5:
                widths[k] = way
    return widths


def _hex_utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


RLM = "\u200f"


_NATURAL: dict[tuple[int, int], float] = {}


def _natural(glyph: Glyph) -> float:
    """The glyph's own advance, 1/1000 em (the PDF width of its code)."""
    face = glyph.face.ttf.face
    key = (id(face), glyph.gid)
    width = _NATURAL.get(key)
    if width is None:
        width = _NATURAL[key] = round(face.hmetrics[glyph.gid][0] * 1000 / face.unitsPerEm, 1)
    return width


def _width(glyph: Glyph) -> float:
    """The PDF width of a glyph's code: its own advance; a carrier's, the room it stands for. Never
    0 for a glyph drawn alone: pdfium would then take the width of the glyph's box, which for a
    Nastaliq letter is wide enough to merge lines."""
    if glyph.carrier:
        return max(round(glyph.advance * 1000 / glyph.size, 1), 1.0)
    return max(_natural(glyph), 1.0) if glyph.rtl else _natural(glyph)


class _Writer:
    """Content-stream operators for the glyphs of one line."""

    def __init__(self, doc, y: float, dx: float = 0.0):
        self.doc, self.y, self.dx = doc, y, dx          # glyphs are placed from 0: ``dx`` is the line's x
        self._names: dict = {}        # (font, subset) → PDF font name
        self.ops: list[str] = []
        self.font = None              # (PDF font name, size) in effect
        self.mode = 0                 # text render mode in effect
        self.bold = False             # current run is emboldened (fill and stroke)

    def _encode(self, glyphs: list[Glyph], widths: list[float] | None = None) -> list[tuple[str, int]]:
        """(PDF font name, code) of each glyph: one subset look-up per run of one face."""
        out: list[tuple[str, int]] = []
        widths = widths or [_width(g) for g in glyphs]
        i, n = 0, len(glyphs)
        while i < n:
            face = glyphs[i].face
            j = i + 1
            while j < n and glyphs[j].face is face:
                j += 1
            ttf = face.ttf
            keys = ttf.keys((g.gid, RLM if g.late else g.text, w) for g, w in zip(glyphs[i:j], widths[i:j]))
            for subset, chunk in ttf.splitString(keys, self.doc):
                name = self._names.get((ttf, subset))
                if name is None:
                    name = self._names[(ttf, subset)] = ttf.getSubsetInternalName(subset, self.doc)
                out.extend((name, b) for b in chunk)
            i = j
        return out

    def _set_font(self, name: str, size: float) -> None:
        if self.font != (name, size):
            self.ops.append(f"{name} {size:g} Tf")
            self.font = (name, size)

    def _set_mode(self, glyph: Glyph) -> None:
        mode = 3 if glyph.carrier else (2 if glyph.face.emboldened else 0)
        if mode != self.mode:
            if mode == 2:
                self.ops.append(f"2 Tr {glyph.size * 0.035:.3f} w")
            else:
                self.ops.append(f"{mode} Tr")
            self.mode = mode

    def ltr(self, glyphs: list[Glyph], actual_text: str | None) -> None:
        """One text object: glyphs of one face and size, left to right."""
        g0 = glyphs[0]
        self._set_mode(g0)
        if actual_text is not None:
            self.ops.append(f"/Span <</ActualText {_hex_utf16(actual_text)}>> BDC")
        self.ops.append(f"1 0 0 1 {g0.x + self.dx:.3f} {self.y:.3f} Tm")
        size, rise = g0.size, 0.0
        widths = _ltr_widths(glyphs)
        parts: list[str] = []
        run = bytearray()
        font = None

        def flush(end: bool = False):
            if run:
                parts.append(f"<{run.hex().upper()}>")
                run.clear()
            if end and parts:
                self.ops.append(f"[{' '.join(parts)}] TJ")
                parts.clear()

        n = len(glyphs)
        for k, (name, b) in enumerate(self._encode(glyphs, widths)):
            g = glyphs[k]
            if name != font or g.rise != rise:           # a new subset, or a raised glyph: a new TJ
                flush(end=True)
                if name != font:
                    self._set_font(name, size)
                    font = name
                if g.rise != rise:
                    self.ops.append(f"{g.rise:.3f} Ts")
                    rise = g.rise
            run.append(b)
            if k + 1 < n:
                shift = (g.x + widths[k] * size / 1000 - glyphs[k + 1].x) * 1000 / size
                if abs(shift) > 0.01:
                    flush()
                    parts.append(f"{shift:.2f}")
        flush(end=True)
        if rise:
            self.ops.append("0 Ts")
        if actual_text is not None:
            self.ops.append("EMC")

    def glyph(self, g: Glyph, code: tuple[str, int], dy: float = 0.0) -> None:
        """One glyph in a text object of its own, at its place (with its /ActualText, if it has one).
        (A page of Arabic has thousands: mode and font are set only when they change.)"""
        if (3 if g.carrier else (2 if g.face.emboldened else 0)) != self.mode:
            self._set_mode(g)
        name, b = code
        size, offset = g.size, g.offset
        if self.font != (name, size):
            self._set_font(name, size)
        pen = g.x - offset + self.dx          # the text position is the pen; an offset is a TJ shift
        show = f"[{-offset * 1000 / size:.2f} <{b:02X}>] TJ" if abs(offset) > 0.0005 else f"<{b:02X}> Tj"
        op = f"1 0 0 1 {pen:.3f} {self.y + g.rise + dy:.3f} Tm {show}"
        actual = g.actual
        self.ops.append(op if actual is None else f"/Span <</ActualText {_hex_utf16(actual)}>> BDC {op} EMC")

    def rtl(self, glyphs: list[Glyph]) -> list[Glyph]:
        """The run's text layer, in reading order, one glyph per text object; returns the late glyphs."""
        now = [g for g in glyphs if not g.late]
        for g, code in zip(now, self._encode(now)):
            self.glyph(g, code)
        return [g for g in glyphs if g.late]

    def late(self, glyphs: list[Glyph]) -> None:
        """Glyphs painted after the text layer; they stand for no text (an invisible mark, set off
        on a line of its own in pdfium by an invisible glyph well above the baseline)."""
        first = glyphs[0]
        mark = Glyph(first.face, first.size, ink(first.face), first.x, 0.0, 0.0, RLM, True, first.word,
                     carrier=True)
        codes = self._encode([mark, *glyphs])
        self.ops.append("/Span <</ActualText <FEFF>>> BDC")          # poppler: they stand for nothing
        self.glyph(mark, codes[0], dy=first.size * 1.5)
        for g, code in zip(glyphs, codes[1:]):
            self.glyph(g, code)
        if self.mode == 3:
            self.ops.append("0 Tr")
            self.mode = 0
        self.ops.append("EMC")

    def finish(self) -> None:
        if self.mode:
            self.ops.append("0 Tr")


_GLYPHS: dict = {}       # a line drawn again (furniture on every page; the same text in every leaflet)
GLYPH_LINES = 2048       # lines remembered (oldest forgotten first): memory stays flat


def _line_glyphs(line: Line, width: float, right: bool, lang: str | None, rtl_page: bool,
                 edge: float | None) -> list[Glyph]:
    """:func:`textlayer.line_glyphs` placed from x = 0, remembered for a line set once (:mod:`text`
    shares its lines) and drawn again, anywhere: nothing in drawing changes the glyphs."""
    key = (id(line), round(width, 3), right, lang, rtl_page, None if edge is None else round(edge, 3))
    hit = _GLYPHS.get(key)
    if hit is not None and hit[0] is line:
        return hit[1]
    glyphs = line_glyphs(line, 0.0, width, right, lang, rtl_page, edge)
    while _GLYPHS and len(_GLYPHS) >= GLYPH_LINES:
        del _GLYPHS[next(iter(_GLYPHS))]
    _GLYPHS[key] = (line, glyphs)
    return glyphs


def _page_left(canvas) -> float | None:
    """Just inside the page's left edge, in the canvas's current coordinates (ReportLab tracks the
    transformation matrix through saveState and restoreState); None if it is rotated or skewed, or
    if the text is set in one of several columns (``canvas.in_column``, :mod:`bilingual`): there the
    column's own edge, or a breaker would stand in the column beside it."""
    if getattr(canvas, "in_column", False):
        return None
    a, b, c, d, e, f = getattr(canvas, "_currentMatrix", (1, 0, 0, 1, 0, 0))
    if b or c or not a:
        return None
    return (1.0 - e) / a


def _language(canvas) -> str | None:
    """The document's language (its /Lang), if it has one."""
    lang = getattr(getattr(canvas._doc, "Catalog", None), "Lang", None)
    return getattr(lang, "s", lang) if lang else None


@lru_cache(maxsize=64)
def _right_to_left(lang: str | None) -> bool:
    """Whether pages in ``lang`` read right to left (CLDR, kept with the language's name)."""
    if not lang:
        return False
    try:
        return is_rtl(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False


def _ltr_chunks(glyphs: list[Glyph], pieces: dict[int, object]):
    """Split a left-to-right run into text objects, each with its /ActualText (or None): one per
    face and size; a shaped word alone, with the space after it, its text as /ActualText; a glyph
    with an /ActualText of its own (a bidi mark with it) alone."""
    chunk: list[Glyph] = []
    shaped_word = None

    def done():
        if shaped_word is not None:
            return chunk, pieces[shaped_word].text + (" " if chunk[-1].space else "")
        return chunk, chunk[0].actual if len(chunk) == 1 else None

    for g in glyphs:
        piece = pieces.get(g.word)
        shaped = piece is not None and piece.shaped
        if chunk and (g.face is not chunk[-1].face or g.size != chunk[-1].size or g.carrier != chunk[-1].carrier
                      or g.actual is not None or chunk[-1].actual is not None
                      or (shaped and g.word != shaped_word) or (shaped_word is not None and not g.space
                                                                and g.word != shaped_word)):
            yield done()
            chunk, shaped_word = [], None
        chunk.append(g)
        if shaped and g.actual is None:
            shaped_word = g.word
    if chunk:
        yield done()


def draw_line(canvas, line: Line, x: float, y: float, width: float, right: bool | None = None,
              color_ops: str = "") -> None:
    """Draw ``line`` in a column starting at ``x`` of ``width``.

    Aligned to the right if ``right`` (default: if the line's paragraph is RTL).
    """
    right = line.rtl if right is None else right
    lang = _language(canvas)
    rtl_page = _right_to_left(lang)
    if not rtl_page and all(p is None or (not p.shaped and lv % 2 == 0) for p, _, lv in line.items):
        _plain_line(canvas, line, x + (width - line.width if right else 0.0), y, color_ops)
        return
    edge = _page_left(canvas)
    glyphs = _line_glyphs(line, width, right, lang, rtl_page, None if edge is None else edge - x)
    if not glyphs:
        return
    for g in glyphs:
        if not isinstance(g.face.ttf, TextFont):
            raise TypeError(f"font {g.face.name} is not a leaflets.pdffont.TextFont")
    pieces = {i: p for i, (p, _, _) in enumerate(line.items) if p is not None}
    w = _Writer(canvas._doc, y, x)
    w.ops.append("BT")
    if color_ops:
        w.ops.append(color_ops)
    late: list[Glyph] = []
    start = 0
    while start < len(glyphs):
        rtl = glyphs[start].rtl
        end = start
        while end < len(glyphs) and glyphs[end].rtl == rtl:
            end += 1
        run = glyphs[start:end]
        if rtl:
            late += w.rtl(run)
        else:
            for chunk, text in _ltr_chunks(run, pieces):
                w.ltr(chunk, text)
        start = end
    if late:
        w.late(late)
    w.finish()
    w.ops.append("ET")
    canvas.addLiteral("\n".join(w.ops))


def _plain_line(canvas, line: Line, x: float, y: float, color_ops: str) -> None:
    """A left-to-right line of unshaped text (Latin, Cyrillic, Chinese): each glyph's code is its
    character and stands for it, so the glyphs are written as they come, one TJ per font, the word
    spaces real space glyphs in the run of the word before them."""
    doc = canvas._doc
    ops = ["BT"] + ([color_ops] if color_ops else [])
    runs: list[list] = []                    # [face, size, x, codes, advances]
    for piece, w, _ in line.items:
        if piece is None:
            if runs and 32 in runs[-1][0].cmap:
                runs[-1][3].append(" ")
                runs[-1][4].append(w * 1000 / runs[-1][1])
        elif runs and runs[-1][0] is piece.face and runs[-1][1] == piece.size:
            runs[-1][3].extend(piece.codes)
            runs[-1][4].extend(piece.advances)
        else:
            runs.append([piece.face, piece.size, x, list(piece.codes), list(piece.advances)])
        x += w
    for face, size, start, codes, advances in runs:
        ttf = face.ttf
        widths, default = ttf.face.charWidths, ttf.face.defaultWidth
        if face.emboldened:
            ops.append(f"2 Tr {size * 0.035:.3f} w")
        ops.append(f"1 0 0 1 {start:.3f} {y:.3f} Tm")
        shifts = [widths.get(ord(c), default) - a for c, a in zip(codes, advances)]
        moved = [k for k, shift in enumerate(shifts) if shift > 0.01 or shift < -0.01]
        k, m = 0, 0
        for subset, chunk in ttf.splitString("".join(codes), doc):
            ops.append(f"{ttf.getSubsetInternalName(subset, doc)} {size:g} Tf")
            parts, done, end = [], 0, k + len(chunk)
            while m < len(moved) and moved[m] < end:      # a TJ shift after each glyph that is moved
                cut = moved[m] - k + 1
                parts += [f"<{chunk[done:cut].hex().upper()}>", f"{shifts[moved[m]]:.2f}"]
                done, m = cut, m + 1
            if done < len(chunk):
                parts.append(f"<{chunk[done:].hex().upper()}>")
            k = end
            ops.append(f"[{' '.join(parts)}] TJ")
        if face.emboldened:
            ops.append("0 Tr")
    ops.append("ET")
    canvas.addLiteral("\n".join(ops))
