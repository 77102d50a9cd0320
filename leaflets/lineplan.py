"""A set line's glyphs as drawing meets them, worked out once per line: what :mod:`draw` writes of a
line is the same in every document but for the glyphs' codes (each document numbers its own font
subsets) and the line's place on the page.

- :func:`placed_glyphs`: the line's glyphs (:mod:`textlayer`), placed from x = 0;
- :func:`plan_of`: those glyphs cut into runs and text objects, with each glyph's PDF width and glyph
  key (:meth:`pdffont.TextFont.keys`); for a right-to-left run, what is written of each glyph but
  its code (:class:`Alone`).

A line drawn again (the furniture on every page; a paragraph that recurs from leaflet to leaflet in
a language) is then only looked up: a document finds its codes and formats its places. Both memos
are bounded (the oldest forgotten first), so memory stays flat.
"""
from __future__ import annotations

from .glyphs import RLM, Glyph
from .pdffont import TextFont
from .text import Line
from .textlayer import line_glyphs


def hex_utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def ltr_widths(glyphs: list[Glyph]) -> list[float]:
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


def key_runs(glyphs: list[Glyph], widths: list[float] | None = None) -> list[tuple[TextFont, str]]:
    """The glyphs' keys (:meth:`TextFont.keys`), one string per run of one face."""
    runs = []
    widths = widths or [_width(g) for g in glyphs]
    i, n = 0, len(glyphs)
    while i < n:
        face = glyphs[i].face
        j = i + 1
        while j < n and glyphs[j].face is face:
            j += 1
        ttf = face.ttf
        runs.append((ttf, ttf.keys((g.gid, RLM if g.late else g.text, w) for g, w in zip(glyphs[i:j], widths[i:j]))))
        i = j
    return runs


_GLYPHS: dict = {}       # a line drawn again (furniture on every page; the same text in every leaflet)
GLYPH_LINES = 2048       # lines remembered (oldest forgotten first): memory stays flat


def placed_glyphs(line: Line, width: float, right: bool, lang: str | None, rtl_page: bool,
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


HEX = [f"{b:02X}" for b in range(256)]


def glyph_parts(g: Glyph) -> tuple:
    """What is written of a glyph drawn in a text object of its own, but its code and place: its mode,
    size and rise, the start of its /ActualText span, the show operator around its code (with its
    offset as a TJ shift), the span's end."""
    offset, size = g.offset, g.size
    show = (f"[{-offset * 1000 / size:.2f} <", ">] TJ") if abs(offset) > 0.0005 else ("<", "> Tj")
    head, tail = ("", "") if g.actual is None else (f"/Span <</ActualText {hex_utf16(g.actual)}>> BDC ", " EMC")
    return 3 if g.carrier else (2 if g.face.emboldened else 0), size, g.rise, head, show, tail


class Alone:
    """A right-to-left run's glyphs as each is written alone (:func:`glyph_parts`), and their pens,
    formatted for the last few places the run was drawn at."""

    def __init__(self, glyphs: list[Glyph]):
        self.parts = [glyph_parts(g) for g in glyphs]
        self.pens = [g.x - g.offset for g in glyphs]      # the text position is the pen; an offset is a TJ shift
        self._at: dict[float, list[str]] = {}

    def x(self, dx: float) -> list[str]:
        at = self._at.get(dx)
        if at is None:
            if len(self._at) >= 4:
                self._at.clear()
            at = self._at[dx] = [f"{pen + dx:.3f}" for pen in self.pens]
        return at


_PLANS: dict[int, tuple] = {}       # id(a line's glyphs, as placed_glyphs keeps them) → (glyphs, plan)


def plan_of(glyphs: list[Glyph], line: Line) -> list[tuple]:
    """How a line's glyphs are drawn, as far as that is the same in every document: its runs, in
    logical order. A left-to-right run is cut into text objects ``(False, glyphs, /ActualText, PDF
    widths, key runs)``; a right-to-left run is ``(True, glyphs that are not late, the late ones,
    their :class:`Alone`, key runs)``. Worked out once for a line drawn again (in every leaflet of a language);
    each document then only looks its codes up."""
    hit = _PLANS.get(id(glyphs))
    if hit is not None and hit[0] is glyphs:
        return hit[1]
    for g in glyphs:
        if not isinstance(g.face.ttf, TextFont):
            raise TypeError(f"font {g.face.name} is not a leaflets.pdffont.TextFont")
    pieces = {i: p for i, (p, _, _) in enumerate(line.items) if p is not None}
    plan: list[tuple] = []
    start = 0
    while start < len(glyphs):
        rtl = glyphs[start].rtl
        end = start
        while end < len(glyphs) and glyphs[end].rtl == rtl:
            end += 1
        run = glyphs[start:end]
        if rtl:
            now = [g for g in run if not g.late]
            plan.append((True, now, [g for g in run if g.late], Alone(now), key_runs(now)))
        else:
            for chunk, text in _ltr_chunks(run, pieces):
                widths = ltr_widths(chunk)
                plan.append((False, chunk, text, widths, key_runs(chunk, widths)))
        start = end
    while _PLANS and len(_PLANS) >= GLYPH_LINES:
        del _PLANS[next(iter(_PLANS))]
    _PLANS[id(glyphs)] = (glyphs, plan)
    return plan
