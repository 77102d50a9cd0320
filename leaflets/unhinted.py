"""TrueType font programs without hinting, as embedded in every PDF.

Hinting (the ``fpgm``, ``prep`` and ``cvt `` tables and each glyph's instructions) bends outlines
to a screen's pixel grid. Paper never sees it: a printer's raster is far finer, and poppler, MuPDF
and pdf.js draw outlines unhinted anyway. pdfium (Chrome, Edge, the staff page's thumbnails) runs
the font's bytecode for every size and glyph it draws: page 1 of a leaflet in Noto's hinted fonts
took 4-12 ms to draw, without hinting 1.5-3 ms, and the embedded subsets are 5-8 % smaller. Noto's
own project ships unhinted fonts as its default for the same reasons.

:func:`unhinted` takes a subset as ReportLab makes it (a small TrueType file) and returns it with
the hinting tables left out and every glyph's instructions removed; the outlines, metrics, cmap
and names are the same bytes. A font whose ``maxp`` says no glyph has instructions (Noto's unhinted
builds, the CJK fonts) is taken as it is.
"""
from __future__ import annotations

import struct
from struct import pack, unpack_from

from reportlab.pdfbase.ttfonts import (GF_ARG_1_AND_2_ARE_WORDS, GF_MORE_COMPONENTS, GF_WE_HAVE_A_SCALE,
                                       GF_WE_HAVE_A_TWO_BY_TWO, GF_WE_HAVE_AN_X_AND_Y_SCALE,
                                       GF_WE_HAVE_INSTRUCTIONS, TTFontMaker)

HINTING = ("cvt ", "fpgm", "prep", "hdmx", "LTSH", "VDMX")   # tables that only serve grid-fitting
_MAXP_HINTING = (20, 22, 26)    # maxp 1.0: maxFunctionDefs, maxInstructionDefs, maxSizeOfInstructions


def _tables(font: bytes) -> dict[str, bytes]:
    """The font's tables by tag; ValueError if they hold more bytes than the file (a damaged directory
    whose tables overlap: what is made of them must stay in proportion to the file)."""
    count = unpack_from(">H", font, 4)[0]
    tables, size = {}, 0
    for i in range(count):
        tag, _, offset, length = unpack_from(">4sLLL", font, 12 + 16 * i)
        tables[tag.decode("latin-1")] = data = font[offset:offset + length]
        size += len(data)
        if size > len(font):
            raise ValueError("the font's tables overlap")
    return tables


_BARE: dict[bytes, bytes] = {}     # a glyph's data → the same less its instructions (glyphs recur in subsets)
BARE_KEPT = 16384


def _bare_glyph(data: bytes) -> bytes:
    """One glyph's data less its instructions (remembered, bounded: a face's glyphs recur in subset
    after subset)."""
    bare = _BARE.get(data)
    if bare is None:
        if len(_BARE) >= BARE_KEPT:
            _BARE.clear()
        bare = _BARE[data] = _stripped(data)
    return bare


def _stripped(data: bytes) -> bytes:
    """One glyph's data less its instructions, and less the padding after it (the file is padded again)."""
    if len(data) < 10:
        return data
    contours = unpack_from(">h", data, 0)[0]
    if contours >= 0:                                  # simple: instructions after the contour ends
        at = 10 + 2 * contours
        points = unpack_from(">H", data, at - 2)[0] + 1 if contours else 0
        length = unpack_from(">H", data, at)[0]
        i, coords, n = at + 2 + length, 0, 0
        while n < points:                              # flags, then the x and y coordinates they size
            flag = data[i]
            i += 1
            repeat = 1
            if flag & 8:
                repeat += data[i]
                i += 1
            coords += repeat * ((1 if flag & 2 else 0 if flag & 16 else 2) + (1 if flag & 4 else 0 if flag & 32 else 2))
            n += repeat
        return data[:at] + b"\0\0" + data[at + 2 + length:i + coords]
    out = bytearray(data)                              # composite: instructions after the last component
    at, flags = 10, GF_MORE_COMPONENTS
    while flags & GF_MORE_COMPONENTS:
        flags = unpack_from(">H", data, at)[0]
        out[at:at + 2] = pack(">H", flags & ~GF_WE_HAVE_INSTRUCTIONS)
        at += 4 + (4 if flags & GF_ARG_1_AND_2_ARE_WORDS else 2)
        if flags & GF_WE_HAVE_A_SCALE:
            at += 2
        elif flags & GF_WE_HAVE_AN_X_AND_Y_SCALE:
            at += 4
        elif flags & GF_WE_HAVE_A_TWO_BY_TWO:
            at += 8
    return bytes(out[:at])


def unhinted(font: bytes) -> bytes:
    """``font`` (a TrueType file with ``glyf`` outlines) without its hinting; a file it cannot read
    as one (a damaged font) is returned as it is, to be drawn as before."""
    try:
        return _unhinted(font)
    except (struct.error, IndexError, KeyError, ValueError):
        return font


def _unhinted(font: bytes) -> bytes:
    tables = _tables(font)
    if "glyf" not in tables or "loca" not in tables:
        return font
    head, maxp, loca, glyf = tables["head"], tables["maxp"], tables["loca"], tables["glyf"]
    if len(maxp) >= 28 and not unpack_from(">H", maxp, 26)[0]:
        return font           # a font made without hinting (no instructions; perhaps an empty prep): as it is
    glyphs = unpack_from(">H", maxp, 4)[0]
    long_loca = unpack_from(">h", head, 50)[0] == 1
    starts = unpack_from(f">{glyphs + 1}{'L' if long_loca else 'H'}", loca)
    if not long_loca:
        starts = [s * 2 for s in starts]
    parts, offsets, pos = [], [], 0
    for g in range(glyphs):
        data = _bare_glyph(glyf[starts[g]:starts[g + 1]])
        offsets.append(pos)
        parts.append(data)
        pos += len(data)
        if pos % 4:
            parts.append(b"\0" * (4 - pos % 4))
            pos += 4 - pos % 4
    offsets.append(pos)
    long_loca = pos // 2 > 0xFFFF
    loca = pack(f">{len(offsets)}L", *offsets) if long_loca else pack(f">{len(offsets)}H", *(o // 2 for o in offsets))
    head = head[:50] + pack(">h", 1 if long_loca else 0) + head[52:]
    if unpack_from(">L", maxp, 0)[0] == 0x00010000 and len(maxp) >= 28:
        for at in _MAXP_HINTING:
            maxp = maxp[:at] + b"\0\0" + maxp[at + 2:]
    maker = TTFontMaker()
    for tag, data in tables.items():
        if tag not in HINTING:
            maker.add(tag, {"glyf": b"".join(parts), "loca": loca, "head": head, "maxp": maxp}.get(tag, data))
    return maker.makeStream()
