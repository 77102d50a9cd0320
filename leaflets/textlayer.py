"""The text layer of a line: its glyphs (:mod:`glyphs`) and what steers each text extractor.

poppler and pdfium rebuild reading order from positions with a bidi algorithm
much simpler than UAX #9; MuPDF and pdfminer.six read the content stream as it
comes. Besides the glyphs that stand for the line's text, a line gets
invisible helpers, each aimed at some of the readers:

- bidi marks in /ActualText or on glyphs without ink (pdfium drops those,
  poppler reads their /ActualText), so that poppler and pdfium put every
  character where the line has it;
- for pdfminer, invisible spaces that bridge the jumps of the stream around a
  left-to-right run in a right-to-left line;
- for pdfium, invisible glyphs well above the line around a left-to-right run
  of several parts (``The Cosmetic Skin Clinic``), which it then reads as a
  line of its own instead of reversing the order of its parts;
- for poppler, on right-to-left pages, right-to-left marks as many as the
  line's left-to-right letters, so that it reads the whole page right to left.

Every helper is invisible (not painted, or without ink) and stands for an
invisible bidi mark, a space where there is one, or nothing.
"""
from __future__ import annotations

import unicodedata

from .glyphs import LRM, RLM, Glyph, ink, piece_glyphs, poppler_only
from .text import Line

MIRRORED = set("()[]{}<>«»‹›")
STRONG_RTL = {"R", "AL", "NSM", "WS", "B", "S", "BN"}   # no mark needed before these in RTL text


def _bidi_marks(glyphs: list[Glyph], rtl_line: bool, rtl_page: bool) -> list[Glyph]:
    """Invisible bidi marks for poppler and pdfium, whose bidi is simpler than UAX #9. They are in
    /ActualText or on glyphs without ink that only poppler reads: MuPDF and pdfminer read the
    content stream in logical order as it is and need no marks.

    In right-to-left text:

    - a neutral or numeric character (punctuation): a right-to-left mark on its left for poppler,
      which would otherwise take the spaces beyond it into a left-to-right run;
    - one that pdfium would change (it mirrors brackets and guillemets, and spells out an
      ellipsis, in right-to-left runs): a right-to-left mark on its left and a left-to-right mark
      on its right in its /ActualText, so that pdfium takes it as left-to-right, as it is;
    - a combining mark before punctuation, or punctuation right after a number: a right-to-left
      mark between them, for pdfium (which otherwise reads ``2026،`` as ``،2026``).

    Around runs of the other direction, for poppler: in a right-to-left line a right-to-left mark
    on the left of each left-to-right run (and, for pdfminer, invisible spaces reaching over it); a left-to-right mark on the right of each
    left-to-right run that ends in a neutral character (``中文 (简体)``), and of each right-to-left
    run in a left-to-right line (there also in the /ActualText of a neutral character after the
    run, for pdfium). (poppler takes the direction of the whole page from the count of
    its letters; a right-to-left page needs the former.)
    """
    out: list[Glyph] = []
    n = len(glyphs)
    for i, g in enumerate(glyphs):
        nxt = glyphs[i + 1] if i + 1 < n else None
        text_glyph = not g.late and g.actual is None and len(g.text) == 1
        weak = g.rtl and text_glyph and unicodedata.bidirectional(g.text) not in STRONG_RTL
        if weak and (g.text in MIRRORED or unicodedata.decomposition(g.text).startswith("<")):
            g.actual = RLM + g.text + LRM
            weak = False
        elif weak and i and not glyphs[i - 1].rtl:      # right after a number: pdfium would join them
            g.actual = g.text + RLM
        if (not rtl_line and not g.rtl and text_glyph and i and glyphs[i - 1].rtl
                and unicodedata.bidirectional(g.text) not in ("L", "EN", "AN")):
            g.actual = LRM + g.text                      # pdfium would take it into the run before
        if g.rtl and text_glyph and unicodedata.category(g.text) in ("Mn", "Me"):
            after = next((glyphs[j] for j in range(i + 1, len(glyphs)) if not glyphs[j].late), None)
            if (after is not None and after.rtl and len(after.text) == 1
                    and unicodedata.bidirectional(after.text) not in STRONG_RTL):
                g.actual = RLM + g.text
        if rtl_line and not g.rtl and (i == 0 or glyphs[i - 1].rtl):
            left, right = _extent(_run(glyphs, _run_end(glyphs, i)))
            out.append(_bridge(g, left, right + g.size / 2))
        out.append(g)
        if weak:
            out.append(poppler_only(g, RLM, g.x - 0.02))
        end_of_run = nxt is None or nxt.rtl != g.rtl
        if not end_of_run or g.late:
            continue
        run = _run(glyphs, i)
        if not g.rtl and rtl_line:
            left, right = _extent(run)
            out.append(poppler_only(g, RLM, left - 0.02))
            out.append(_bridge(g, left - g.size / 2, right))
        right = max(o.x + o.advance for o in run if not o.late) if any(not o.late for o in run) else g.x
        if not g.rtl and rtl_page and unicodedata.bidirectional(g.text[-1:] or "a") not in ("L", "EN", "AN"):
            out.append(poppler_only(g, LRM, right - 0.02))
        elif g.rtl and not rtl_line:
            out.append(poppler_only(g, LRM, right - 0.02))
    return out


def _run_end(glyphs: list[Glyph], start: int) -> int:
    end = start
    while end + 1 < len(glyphs) and glyphs[end + 1].rtl == glyphs[start].rtl:
        end += 1
    return end


def _extent(run: list[Glyph]) -> tuple[float, float]:
    return min(o.x for o in run), max(o.x + o.advance for o in run)


def _bridge(near: Glyph, left: float, right: float) -> Glyph:
    """For pdfminer, which reads the content stream in order but parts a line where the next glyph
    is far from the last: an invisible word space (no ink: pdfium drops it; poppler is told it is
    nothing) reaching over a left-to-right run, where the stream jumps across it."""
    blank = near.face.ttf.face.charToGlyph.get(32, 0)
    return Glyph(near.face, near.size, blank, left, 0.0, right - left, " ", True, near.word, carrier=True,
                 actual="")


def _run(glyphs: list[Glyph], end: int) -> list[Glyph]:
    """The run of one direction that ends at ``glyphs[end]``."""
    start = end
    while start > 0 and glyphs[start - 1].rtl == glyphs[end].rtl:
        start -= 1
    return glyphs[start:end + 1]


def _breaker(near: Glyph, x: float, height: float) -> Glyph:
    """An invisible glyph ``height`` em above the line, standing for a mark that poppler is told to skip
    (two alike at one place would be one for pdfium: it drops text drawn twice). It stands at ``x``,
    the page's left edge: where its height meets another line (the line above, one pitch up),
    pdfium sorts it into that line by position, and there it must not fall inside a word."""
    return Glyph(near.face, near.size, near.gid, x, near.size * height, 0.0, RLM, True, near.word,
                 carrier=True, actual="")


def _several_segments(run: list[Glyph]) -> bool:
    """Whether pdfium's bidi, which knows only strong letters and neutrals, sees more than one segment
    in the text of ``run`` (spaces at its ends aside): a space
    or punctuation between words, a combining mark after a letter."""
    text = "".join(o.text for o in run if not o.late).strip()
    strong = ("R", "AL") if run[0].rtl else ("L", "EN", "AN")
    return any(unicodedata.bidirectional(c) not in strong for c in text)


def _line_breaks(glyphs: list[Glyph], rtl_line: bool, rtl_page: bool, ltr_page: bool,
                 edge: float) -> list[Glyph]:
    """Around a run of more than one bidi segment against the direction around it, where spaces (or
    the line's ends) part it from its neighbours: an invisible glyph well above the line before and
    after it. pdfium then reads the run as a line of its own; otherwise it keeps the order its
    segments have on the page, taking them for parts of the line around, and reverses them:

    - a left-to-right run (``The Cosmetic Skin Clinic``, ``TCSC-PIL-001``, ``1.0``) in a
      right-to-left line, or a left-to-right line on a right-to-left page (the clinic's name in
      the band, on the baseline of the language's name);
    - a right-to-left run (``کوردیی ناوەندی``, two words; ``ייִדיש``, a mark between letters) on a
      page known to read left to right (its /Lang says so) or in a left-to-right line (a language's name in the languages box,
      on one baseline with the names around it).

    pdfium reads such a line by its majority: a right-to-left name among Latin names has its
    segments in left-to-right order, and so has a right-to-left name whose line also holds the
    clinic's name."""
    out: list[Glyph] = []
    i, n = 0, len(glyphs)
    while i < n:
        g = glyphs[i]
        against = (rtl_line or rtl_page) if not g.rtl else (not rtl_line or ltr_page)
        if g.late or not against:
            out.append(g)
            i += 1
            continue
        j = i
        while j < n and glyphs[j].rtl == g.rtl:
            j += 1
        run = glyphs[i:j]
        written = [o for o in run if not o.late]
        before = not out or out[-1].space or run[0].space
        after = j >= n or glyphs[j].space or written[-1].space
        if _several_segments(run) and before and after:
            near = next((o for o in reversed(out) if not o.space), None) or \
                next((o for o in glyphs[j:] if not o.space), None) or run[0]
            out += [_breaker(near, edge, 1.5), *run, _breaker(near, edge, 2.0)]
        else:
            out += run
        i = j
    return out


def line_glyphs(line: Line, x: float, width: float, right: bool, lang: str | None = None,
                rtl_page: bool = False, edge: float | None = None) -> list[Glyph]:
    """The glyphs of ``line`` in logical order of its items, each item's glyphs in reading order.
    ``edge`` is the page's left edge in the line's coordinates (default: the column's)."""
    pos = x + (width - line.width if right else 0.0)
    placed: dict[int, float] = {}
    for item in line.visual():
        placed[id(item)] = pos
        pos += item[1]
    out: list[Glyph] = []
    spaces: list[Glyph] = []
    first: dict[int, Glyph] = {}              # item index → its first glyph
    for word, item in enumerate(line.items):
        piece, w, level = item
        at = placed[id(item)]
        if piece is None:
            g = Glyph(None, 0.0, 0, at, 0.0, w, " ", level % 2 == 1, word, space=True)
            spaces.append(g)
            out.append(g)
            continue
        glyphs = piece_glyphs(piece, at, word, lang)
        if glyphs:
            first[word] = glyphs[0]
        out.extend(glyphs)
    for g in spaces:                          # a space is drawn in the font of a neighbour
        src = first.get(g.word - 1) or first.get(g.word + 1) or next(iter(first.values()), None)
        if src is None:
            continue
        g.face, g.size = src.face, src.size
        if g.rtl:                             # pdfium keeps only a space with ink: draw one unpainted
            g.gid, g.carrier = ink(src.face), True
        else:
            g.gid = src.face.ttf.face.charToGlyph.get(32, 0)
    out = [g for g in out if g.face is not None]
    if line.rtl or rtl_page or any(g.rtl for g in out):
        out = _line_breaks(out, line.rtl, rtl_page, bool(lang) and not rtl_page, x if edge is None else edge)
    if line.rtl or rtl_page or any(g.rtl for g in out):
        out = _bidi_marks(out, line.rtl, rtl_page)
    if rtl_page and out:
        out = _counterweight(out)
    return out


def _counterweight(glyphs: list[Glyph]) -> list[Glyph]:
    """poppler reads a whole page right to left or left to right, by the count of its letters of either
    direction; a right-to-left page with much English (the notices, the languages box) can tip over,
    and then poppler puts the parts of every right-to-left line around numbers and punctuation in
    the wrong order. So on a right-to-left page each line also carries, for poppler alone, as many
    right-to-left marks as it has left-to-right letters, at its right end."""
    latin = sum(1 for g in glyphs if not g.late and not g.carrier
                for c in g.text if unicodedata.bidirectional(c) == "L")
    if not latin:
        return glyphs
    right = max(g.x + g.advance for g in glyphs if not g.late)
    near = next(g for g in glyphs if not g.late)
    return glyphs + [poppler_only(near, RLM * latin, right - 0.02)]
