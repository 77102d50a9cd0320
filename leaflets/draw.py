"""Drawing set lines: the glyphs HarfBuzz chose, at the positions it chose.

Glyphs go through ReportLab's font subsetting; shaped words carry /ActualText
so that copying text out of the PDF gives the real characters.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .fonts import Face
from .text import Line


def _hex_utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"




@dataclass
class _Segment:
    """Glyphs of one face and size drawn from one text position (one Tm)."""
    face: Face
    size: float
    x: float
    codes: list = field(default_factory=list)       # one character per glyph
    advances: list = field(default_factory=list)    # 1/1000 em
    offsets: list = field(default_factory=list)     # (dx, dy) in 1/1000 em
    actual_text: str | None = None                  # logical text of a shaped piece

    def add(self, codes: str, advances, offsets) -> None:
        self.codes.extend(codes)
        self.advances.extend(advances)
        self.offsets.extend(offsets or [(0.0, 0.0)] * len(codes))


class _TJ:
    """Builds TJ arrays into ``ops``: consecutive glyphs share one hex string."""

    def __init__(self, ops: list[str]):
        self.ops = ops
        self.parts: list[str] = []
        self.run = bytearray()

    def glyph(self, code: int) -> None:
        self.run.append(code)

    def shift(self, amount: float) -> None:
        """Move the next glyph left by ``amount`` thousandths of an em (PDF's TJ convention)."""
        if abs(amount) > 0.01:
            self._end_run()
            self.parts.append(f"{amount:.2f}")

    def _end_run(self) -> None:
        if self.run:
            self.parts.append(f"<{self.run.hex().upper()}>")
            self.run.clear()

    def close(self) -> None:
        self._end_run()
        if self.parts:
            self.ops.append(f"[{' '.join(self.parts)}] TJ")
            self.parts = []


def _segment_ops(seg: _Segment, y: float, doc) -> list[str]:
    """PDF operators for one segment: Tm, then Tf and TJ arrays (Ts for raised marks)."""
    ttf = seg.face.ttf
    widths, default = ttf.face.charWidths, ttf.face.defaultWidth
    ops = []
    if seg.actual_text is not None:
        ops.append(f"/Span <</ActualText {_hex_utf16(seg.actual_text)}>> BDC")
    if seg.face.emboldened:
        ops.append(f"2 Tr {seg.size * 0.035:.3f} w")
    ops.append(f"1 0 0 1 {seg.x:.3f} {y:.3f} Tm")
    k = 0
    rise = 0.0
    for subset, chunk in ttf.splitString("".join(seg.codes), doc):
        ops.append(f"{ttf.getSubsetInternalName(subset, doc)} {seg.size:g} Tf")
        tj = _TJ(ops)
        for b in chunk:
            dx, dy = seg.offsets[k]
            new_rise = dy * seg.size / 1000
            if new_rise != rise:
                tj.close()
                ops.append(f"{new_rise:.3f} Ts")
                rise = new_rise
            if dx:
                tj.shift(-dx)
            tj.glyph(b)
            tj.shift(widths.get(ord(seg.codes[k]), default) - seg.advances[k] + dx)
            k += 1
        tj.close()
    if rise:
        ops.append("0 Ts")
    if seg.face.emboldened:
        ops.append("0 Tr")
    if seg.actual_text is not None:
        ops.append("EMC")
    return ops


def draw_line(canvas, line: Line, x: float, y: float, width: float, right: bool | None = None,
              color_ops: str = "") -> None:
    """Draw ``line`` in a column starting at ``x`` of ``width``.

    Aligned to the right if ``right`` (default: if the line's paragraph is RTL).
    Unshaped words of one font and the spaces between them share one text run;
    each shaped word is its own run, wrapped in /ActualText. Spaces are real space
    glyphs, so copied text keeps its words.
    """
    right = line.rtl if right is None else right
    pos = x + (width - line.width if right else 0.0)
    segments: list[_Segment] = []
    last_face = None
    for piece, w, _level in line.visual():
        seg = segments[-1] if segments else None
        if piece is None:
            face = seg.face if seg is not None else last_face
            if face is not None and 32 in face.cmap:
                if seg is None or seg.actual_text is not None or seg.face is not face:
                    seg = _Segment(face, segments[-1].size, pos)
                    segments.append(seg)
                seg.add(" ", [w * 1000 / seg.size], None)
            pos += w
            continue
        if piece.shaped or seg is None or seg.actual_text is not None or seg.face is not piece.face \
                or seg.size != piece.size:
            seg = _Segment(piece.face, piece.size, pos, actual_text=piece.text if piece.shaped else None)
            segments.append(seg)
        seg.add(piece.codes, piece.advances, piece.offsets)
        last_face = piece.face
        pos += w
    doc = canvas._doc
    ops = ["BT"] + ([color_ops] if color_ops else [])
    for seg in segments:
        ops.extend(_segment_ops(seg, y, doc))
    ops.append("ET")
    canvas.addLiteral("\n".join(ops))
