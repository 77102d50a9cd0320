"""The glyphs of a set piece of text, each with the text it stands for.

:func:`piece_glyphs` places every glyph of a piece (the glyphs HarfBuzz chose,
where it put them) and shares the piece's text out among them so that a text
extractor that reads the glyphs in *reading order* gets the logical text.

Left to right, the reading order is HarfBuzz's (visual) order: each glyph gets
the characters of its own cluster where it can (a conjunct all of them, a
reordered vowel sign the one it stands at), a cluster with more glyphs than
characters borrows from its neighbours, and a glyph left without any stands
for an invisible mark (MuPDF reads nothing as junk).

Right to left, the reading order is from right to left by glyph origin: the
order poppler and pdfium rebuild (they sort by position, then reverse
right-to-left runs) and the order :mod:`draw` writes the glyphs in for MuPDF
and pdfminer, which read the content stream as it comes. A glyph that is one
letter on the baseline carries it. Any other unit, a lam-alef (two glyphs at
one place), a letter with its marks, every letter of Nastaliq (which climbs off
the baseline), is painted as it is but *late*, standing for nothing, and its
letters are written by *carriers*: invisible glyphs on the baseline, one per
letter (its marks with it), right to left across the unit's box. Everything a
reader sorts by position then lies on one line in distinct places.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .fonts import Face
from .text import Piece

LRM, RLM = "\u200e", "\u200f"


@dataclass(slots=True)
class Glyph:
    face: Face
    size: float
    gid: int
    x: float                  # origin on the page, points
    rise: float               # above the baseline, points
    advance: float            # HarfBuzz advance, points
    text: str                 # what it stands for (may be empty)
    rtl: bool                 # part of a right-to-left run
    word: int                 # logical index of the line item it belongs to
    space: bool = False       # a word space
    carrier: bool = False     # invisible (not painted), on the baseline: carries text only
    late: bool = False        # painted after the line's text layer, standing for no text
    actual: str | None = None  # /ActualText of its text object, if not ``text`` (poppler, pdfium)
    offset: float = 0.0       # HarfBuzz x offset, points: the pen is at ``x - offset``


def _counts(order: list[int], clusters: list[int] | None, n_chars: int) -> list[int]:
    """How many characters each glyph carries, in reading ``order``, summing to ``n_chars``."""
    k = len(order)
    if clusters is None:                    # unknown: everything on the first glyph
        return [n_chars] + [0] * (k - 1)
    starts = sorted(set(clusters)) + [n_chars]
    length = {c: starts[i + 1] - c for i, c in enumerate(starts[:-1])}
    seen: dict[int, int] = {}
    for j in order:
        seen[clusters[j]] = seen.get(clusters[j], 0) + 1
    given: dict[int, int] = {}
    counts = []
    for j in order:                          # a cluster's first glyph takes its surplus characters
        c = clusters[j]
        i = given.get(c, 0)
        given[c] = i + 1
        m, g = length[c], seen[c]
        counts.append((m - g + 1 if i == 0 else 1) if g <= m else (1 if i < m else 0))
    for i, c in enumerate(counts):           # glyphs left without text borrow from a neighbour
        if c:
            continue
        for d in range(1, k):
            donor = next((j for j in (i - d, i + d) if 0 <= j < k and counts[j] > 1), None)
            if donor is not None:            # the text is dealt out in order: only boundaries move
                counts[donor] -= 1
                counts[i] = 1
                break
    return counts


def _ltr_piece(piece: Piece, out: list[Glyph], clusters: list[int] | None) -> list[Glyph]:
    """Left to right: the glyphs in HarfBuzz order, each with its share of the text."""
    counts = _counts(list(range(len(out))), clusters, len(piece.text))
    at = 0
    for g, c in zip(out, counts):
        g.text, at = piece.text[at:at + c], at + c
        if not g.text and piece.shaped:      # more glyphs than letters (a split vowel sign): an
            g.text = LRM                      # invisible mark, not nothing, which MuPDF reads as junk;
    return out                                # poppler and pdfium read the word's /ActualText


def _units(piece: Piece, out: list[Glyph], pens: list[float], clusters: list[int]):
    """Right to left: glyphs grouped into units that take room on the line (zero-width clusters such
    as marks join the cluster they sit on), each with its box and text; from right to left."""
    n, text = len(out), piece.text
    starts = sorted(set(clusters)) + [len(text)]
    end_of = {c: starts[i + 1] for i, c in enumerate(starts[:-1])}
    if len(starts) == n + 1 and all(g.advance > 0 for g in out):     # each glyph a cluster of its own that
        result = [([j], text[c:end_of[c]], pens[j], pens[j] + out[j].advance)   # takes room (most words):
                  for j, c in enumerate(clusters)]                            # each glyph is its own unit
        result.sort(key=lambda u: -u[2])
        return result
    groups: list[list[int]] = []
    for j in range(n):                        # runs of one cluster, in visual order
        if groups and clusters[groups[-1][-1]] == clusters[j]:
            groups[-1].append(j)
        else:
            groups.append([j])
    units: list[list[int]] = []
    pending: list[int] = []
    for grp in groups:                        # a group that takes no room joins the next one
        pending += grp
        if sum(out[j].advance for j in grp) > 0:
            units.append(pending)
            pending = []
    if pending:
        if units:
            units[-1] += pending
        else:
            units.append(pending)
    result = []
    for unit in units:
        cs = sorted({clusters[j] for j in unit})
        chunk = "".join(text[c:end_of[c]] for c in cs)
        left = min(pens[j] for j in unit)
        right = max(pens[j] + out[j].advance for j in unit)
        result.append((unit, chunk, left, right))
    result.sort(key=lambda u: -u[2])
    return result


_INK: dict[str, int] = {}


def ink(face: Face) -> int:
    """The glyph a carrier is drawn with (unpainted): one that stands on the baseline with a letter's
    height, the same for every carrier of the face, so that pdfium, which sets text apart by glyph
    boxes, sees carriers as one line with the letters around them."""
    gid = _INK.get(face.name)
    if gid is None:
        to_gid = face.ttf.face.charToGlyph
        gid = next((to_gid[ord(c)] for c in "\u0627\u0905\u0995\u0A05\u0A85\u0B85\u1200xo" if ord(c) in to_gid),
                   to_gid.get(32, 0))
        _INK[face.name] = gid
    return gid


def _slots(text: str) -> list[str]:
    """Carrier texts: each letter alone, the combining marks after it together (pdfium keeps a run
    of marks in the order it reads them, poppler reverses it with the letters)."""
    slots: list[str] = []
    for ch in text:
        if slots and unicodedata.category(ch) in ("Mn", "Me") and unicodedata.category(slots[-1][-1]) in ("Mn", "Me"):
            slots[-1] += ch
        else:
            slots.append(ch)
    return slots


def _rtl_piece(piece: Piece, out: list[Glyph], pens: list[float], clusters: list[int] | None) -> list[Glyph]:
    """Right to left: a glyph that is one letter on the baseline carries it; any other unit is drawn
    as it is but late, and its letters go on carriers on the baseline across its box, right to left.
    In a script whose letters climb (Nastaliq: letters raised off the baseline) every unit is."""
    if clusters is None:
        clusters = [0] * len(out)
    climbing = any(g.rise and g.advance > 0 for g in out)
    reading: list[Glyph] = []
    for unit, chunk, left, right in _units(piece, out, pens, clusters):
        glyphs = [out[j] for j in unit]
        g = glyphs[0]
        if len(glyphs) == 1 and len(chunk) == 1 and g.rise == 0 and g.advance > 0 and not climbing:
            g.text = chunk
            reading.append(g)
            continue
        for g in glyphs:
            g.late = True
        first = glyphs[0]
        gid = ink(first.face)
        slots = _slots(chunk)
        step = (right - left) / max(len(slots), 1)
        for i, slot in enumerate(slots):
            x = right - (i + 1) * step
            if len(slot) == 1:
                reading.append(Glyph(first.face, first.size, gid, x, 0.0, step, slot, True, first.word, carrier=True))
                continue
            # Marks after a letter: poppler reverses their run with the letters, pdfium keeps it as
            # it reads it. pdfium and the rest read this carrier (poppler is told it stands for
            # nothing); poppler reads the next one, which has no ink, so pdfium drops it.
            reading.append(Glyph(first.face, first.size, gid, x, 0.0, step, slot, True, first.word,
                                 carrier=True, actual=""))
            reading.append(poppler_only(first, slot[::-1], x, step))
        reading.extend(glyphs)
    return reading


_PLACED: dict[int, tuple] = {}   # id(piece) → (piece, its glyphs' fields placed from 0): words recur
PLACED_KEPT = 8192


def piece_glyphs(piece: Piece, pos: float, word: int, lang: str | None) -> list[Glyph]:
    """The glyphs of ``piece`` placed from ``pos``, each with its share of the text, all of item ``word``.
    A piece's glyphs are worked out once (they depend on the piece alone) and placed each time."""
    hit = _PLACED.get(id(piece))
    if hit is None or hit[0] is not piece:
        if len(_PLACED) >= PLACED_KEPT:
            del _PLACED[next(iter(_PLACED))]
        hit = _PLACED[id(piece)] = (piece, [(g.face, g.size, g.gid, g.x, g.rise, g.advance, g.text, g.rtl,
                                             g.space, g.carrier, g.late, g.actual, g.offset)
                                            for g in _piece_glyphs(piece, 0.0, 0)])
    return [Glyph(f, s, gid, x + pos, rise, adv, text, rtl, word, space, carrier, late, actual, offset)
            for f, s, gid, x, rise, adv, text, rtl, space, carrier, late, actual, offset in hit[1]]


def _piece_glyphs(piece: Piece, pos: float, word: int) -> list[Glyph]:
    face, size = piece.face, piece.size
    to_gid = face.ttf.face.charToGlyph
    rtl = piece.level % 2 == 1
    scale = size / 1000
    if not piece.shaped and not rtl:          # one glyph per character, each its own text
        out, pen = [], pos
        for code, adv in zip(piece.codes, piece.advances):
            gid = to_gid.get(ord(code), 0) if code != "\u00a0" else to_gid.get(32, 0)
            out.append(Glyph(face, size, gid, pen, 0.0, adv * scale, code, False, word))
            pen += adv * scale
        return out
    out, pens, pen = [], [], pos
    for j, code in enumerate(piece.codes):
        dx, dy = piece.offsets[j] if piece.offsets else (0.0, 0.0)
        gid = to_gid.get(ord(code), 0) if code != "\u00a0" else to_gid.get(32, 0)
        out.append(Glyph(face, size, gid, pen + dx * size / 1000, dy * size / 1000,
                         piece.advances[j] * size / 1000, "", rtl, word, offset=dx * size / 1000))
        pens.append(pen)
        pen += piece.advances[j] * size / 1000
    clusters = list(piece.clusters) if piece.shaped else list(range(len(out)))   # HarfBuzz's, kept by text.py
    return _rtl_piece(piece, out, pens, clusters) if rtl else _ltr_piece(piece, out, clusters)


def poppler_only(near: Glyph, text: str, x: float, width: float = 0.0) -> Glyph:
    """``text`` for poppler alone: a glyph without ink (pdfium drops it) whose /ActualText is
    ``text``; MuPDF and pdfminer, which ignore /ActualText, read an invisible mark."""
    blank = near.face.ttf.face.charToGlyph.get(32, 0)
    return Glyph(near.face, near.size, blank, x, 0.0, width, RLM, True, near.word, carrier=True, actual=text)
