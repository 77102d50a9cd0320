"""Reading built PDFs back: objects with pdfminer, text and pixels with pypdfium2."""
import re
from pathlib import Path

import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1


def pdf_objects(path: Path):
    fh = open(path, "rb")
    doc = PDFDocument(PDFParser(fh))
    return doc, list(PDFPage.create_pages(doc))


def fonts(path: Path) -> list[dict]:
    """Every font dictionary used on any page."""
    _, pages = pdf_objects(path)
    found = {}
    for page in pages:
        res = resolve1(page.resources.get("Font", {}))
        for name, ref in res.items():
            found[name] = resolve1(ref)
    return list(found.values())


def page_texts(path: Path) -> list[str]:
    doc = pdfium.PdfDocument(str(path))
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


def squash(text: str) -> str:
    """Whitespace folded; bidi marks and embeddings out (invisible: the text layer's steering)."""
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


_OPS = re.compile(r"\bBT\b|\bET\b|(?P<tm>(?:-?[\d.]+\s+){6})Tm\b|/(?P<font>\S+)\s+[\d.]+\s+Tf\b"
                  r"|(?P<tr>\d)\s+Tr\b|<(?P<tj>[0-9A-Fa-f]*)>\s*Tj\b|\[(?P<arr>[^\]]*)\]\s*TJ\b"
                  r"|<<.*?>>\s*BDC", re.S)


def _registered(ps_name: str, gids: list[int] = ()):
    """The registered ReportLab font whose font file is ``ps_name`` (of several registrations of one
    file, by several projects in one test process, the one whose private codes map ``gids``)."""
    from reportlab.pdfbase import pdfmetrics
    found = []
    for font in pdfmetrics._fonts.values():
        face = getattr(font, "face", None)
        name, sub = getattr(face, "name", b""), getattr(face, "subfontNameX", b"")
        if isinstance(name, bytes) and isinstance(sub, bytes) and name + sub == ps_name.encode():
            found.append(font)
    if not found:
        return None
    return max(found, key=lambda f: (len(set(gids) & set(f.face.charToGlyph.values())),
                                     getattr(f, "fontName", "") == ps_name))


def drawn_glyphs(pdf: bytes) -> list[tuple[str, str]]:
    """(BaseFont, a character of the font for the glyph) for every glyph painted, in visual order.

    Reads the page's content stream directly (no text-extraction heuristics). The text layer's
    ToUnicode says what a glyph stands for, not which glyph it is: the glyph of each code is
    taken from the ``% glyphs`` line of the ToUnicode CMap, and the character returned is one
    that the registered font draws with that glyph (``face.charToGlyph[ord(ch)]`` is the glyph).
    Glyphs not painted (render mode 3: the text layer's invisible carriers) are left out. In each
    text object (a drawn line) the text-showing operators are put in order of the position they
    start from; the glyphs of one operator keep their order.
    """
    import io
    doc = PDFDocument(PDFParser(io.BytesIO(pdf)))
    out = []
    for page in PDFPage.create_pages(doc):
        fonts = {}
        for name, ref in resolve1(page.resources.get("Font", {})).items():
            font = resolve1(ref)
            if "ToUnicode" not in font:
                continue
            cmap = resolve1(font["ToUnicode"]).get_data().decode("latin-1")
            listed = re.search(r"% glyphs ([\d ]*)", cmap)
            base = resolve1(font["BaseFont"]).name
            registered = _registered(base.split("+", 1)[-1],
                                     [int(g) for g in listed.group(1).split()] if listed else [])
            if listed is None or registered is None:
                continue
            by_gid = {}
            for ch, gid in registered.face.charToGlyph.items():
                by_gid.setdefault(gid, chr(ch))
            fonts[name] = (base, [by_gid.get(int(g), "\ufffd") for g in listed.group(1).split()])
        content = b"".join(resolve1(c).get_data() for c in page.contents).decode("latin-1")
        ops, x, mode, current = [], 0.0, 0, None
        for m in _OPS.finditer(content):
            tok = m.group()
            if tok == "BT":
                ops, mode = [], 0
            elif tok == "ET":
                ops.sort(key=lambda op: op[0])
                out.extend(glyph for _, glyphs in ops for glyph in glyphs)
            elif m.group("tm"):
                x = float(m.group("tm").split()[4])
            elif m.group("font"):
                current = fonts.get(m.group("font"))
            elif m.group("tr"):
                mode = int(m.group("tr"))
            elif (m.group("tj") is not None or m.group("arr") is not None) and current and mode != 3:
                hexes = [m.group("tj")] if m.group("tj") is not None else re.findall(r"<([0-9A-Fa-f]*)>", m.group("arr"))
                codes = b"".join(bytes.fromhex(h) for h in hexes)
                ops.append((x, [(current[0], current[1][c]) for c in codes]))
    return out
