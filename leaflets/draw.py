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
same places. What of a line is the same in every document (its glyphs, its
text objects, widths and glyph keys) is worked out once, in :mod:`lineplan`;
here each document looks its codes up and writes the operators.
"""
from __future__ import annotations

from functools import lru_cache

from babel import UnknownLocaleError

from .glyphs import RLM, Glyph, ink
from .lineplan import HEX, Alone, glyph_parts, hex_utf16, key_runs, placed_glyphs, plan_of
from .pdffont import TextFont
from .text import Line
from .translate import is_rtl


class _Writer:
    """Content-stream operators for the glyphs of one line."""

    def __init__(self, doc, y: float, dx: float = 0.0):
        self.doc, self.y, self.dx = doc, y, dx          # glyphs are placed from 0: ``dx`` is the line's x
        self._names: dict = {}        # (font, subset) → PDF font name
        self.ops: list[str] = []
        self.font = None              # (PDF font name, size) in effect
        self.mode = 0                 # text render mode in effect
        self.bold = False             # current run is emboldened (fill and stroke)

    def _encode(self, glyphs: list[Glyph]) -> list[tuple[str, int]]:
        """(PDF font name, code) of each glyph: one subset look-up per run of one face."""
        return self._codes(key_runs(glyphs))

    def _codes(self, runs: list[tuple[TextFont, str]]) -> list[tuple[str, int]]:
        """(PDF font name, code) of each glyph key of ``runs`` (a font and its glyphs' keys), in this document."""
        out: list[tuple[str, int]] = []
        for ttf, keys in runs:
            for subset, chunk in ttf.splitString(keys, self.doc):
                name = self._names.get((ttf, subset))
                if name is None:
                    name = self._names[(ttf, subset)] = ttf.getSubsetInternalName(subset, self.doc)
                out.extend((name, b) for b in chunk)
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

    def ltr(self, glyphs: list[Glyph], actual_text: str | None, widths: list[float],
            runs: list[tuple[TextFont, str]]) -> None:
        """One text object: glyphs of one face and size, left to right, with their PDF widths and
        glyph keys as :func:`lineplan.plan_of` worked them out."""
        g0 = glyphs[0]
        self._set_mode(g0)
        if actual_text is not None:
            self.ops.append(f"/Span <</ActualText {hex_utf16(actual_text)}>> BDC")
        self.ops.append(f"1 0 0 1 {g0.x + self.dx:.3f} {self.y:.3f} Tm")
        size, rise = g0.size, 0.0
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
        for k, (name, b) in enumerate(self._codes(runs)):
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
        """One glyph in a text object of its own, at its place (with its /ActualText, if it has one)."""
        self._alone([g], [code], [glyph_parts(g)], [f"{g.x - g.offset + self.dx:.3f}"], dy)

    def rtl(self, now: list[Glyph], runs: list[tuple[TextFont, str]], alone: Alone) -> None:
        """A right-to-left run's text layer (its glyphs that are not late, their key runs, and what is
        written of each but its code and place), in reading order, one glyph per text object."""
        self._alone(now, self._codes(runs), alone.parts, alone.x(self.dx))

    def _alone(self, glyphs: list[Glyph], codes: list[tuple[str, int]], parts: list[tuple], xs: list[str],
               dy: float = 0.0) -> None:
        """Glyphs each in a text object of its own, at their places (``xs``, formatted), with the
        parts :func:`lineplan.glyph_parts` gives. (A page of Arabic has thousands: mode and font are
        set only when they change.)"""
        ops, y = self.ops, f"{self.y + dy:.3f}"
        for g, (name, b), (mode, size, rise, head, show, tail), x in zip(glyphs, codes, parts, xs):
            if mode != self.mode:
                self._set_mode(g)
            if self.font != (name, size):
                self._set_font(name, size)
            ops.append(f"{head}1 0 0 1 {x} {f'{self.y + rise + dy:.3f}' if rise else y} Tm "
                       f"{show[0]}{HEX[b]}{show[1]}{tail}")

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
    glyphs = placed_glyphs(line, width, right, lang, rtl_page, None if edge is None else edge - x)
    if not glyphs:
        return
    w = _Writer(canvas._doc, y, x)
    w.ops.append("BT")
    if color_ops:
        w.ops.append(color_ops)
    late: list[Glyph] = []
    for rtl, run, text, widths, runs in plan_of(glyphs, line):
        if rtl:
            w.rtl(run, runs, widths)
            late += text
        else:
            w.ltr(run, text, widths, runs)
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
    runs: list[list] = []                    # [face, size, x, codes, {glyph: advance} where it may differ]
    for piece, w, _ in line.items:
        if piece is None:
            if runs and 32 in runs[-1][0].cmap:
                runs[-1][4][len(runs[-1][3])] = w * 1000 / runs[-1][1]
                runs[-1][3].append(" ")
            x += w
            continue
        if not (runs and runs[-1][0] is piece.face and runs[-1][1] == piece.size):
            runs.append([piece.face, piece.size, x, [], {}])
        codes, own = runs[-1][3], runs[-1][4]
        if piece.shaped or piece.nominal:     # HarfBuzz's advances (kerning): any glyph may be moved
            own.update(zip(range(len(codes), len(codes) + len(piece.codes)), piece.advances))
        codes.extend(piece.codes)            # (unshaped: advances are the font's widths, none is moved)
        x += w
    for face, size, start, codes, own in runs:
        ttf = face.ttf
        widths, default = ttf.face.charWidths, ttf.face.defaultWidth
        if face.emboldened:
            ops.append(f"2 Tr {size * 0.035:.3f} w")
        ops.append(f"1 0 0 1 {start:.3f} {y:.3f} Tm")
        shifts = {k: widths.get(ord(codes[k]), default) - a for k, a in own.items()}
        moved = sorted(k for k, shift in shifts.items() if shift > 0.01 or shift < -0.01)
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
