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
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def drawn_glyphs(pdf: bytes) -> list[tuple[str, str]]:
    """(BaseFont, character per ToUnicode) for every glyph shown, in content-stream order.

    Reads the page's content stream directly (no text-extraction heuristics), so the
    sequence is exactly what a viewer draws.
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
            table = {int(a, 16): chr(int(b, 16)) for a, b in re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4})>", cmap)}
            fonts[name] = (resolve1(font["BaseFont"]).name, table)
        content = b"".join(resolve1(c).get_data() for c in page.contents).decode("latin-1")
        current = None
        for token in re.finditer(r"/(\S+) [\d.]+ Tf|<([0-9A-Fa-f]+)>|\(((?:\\.|[^\\)])*)\)", content):
            if token.group(1):
                current = fonts.get(token.group(1))
            elif token.group(2) and current and len(token.group(2)) % 2 == 0 and "FEFF" not in token.group(2)[:4]:
                data = bytes.fromhex(token.group(2))
                out.extend((current[0], current[1].get(b, "\ufffd")) for b in data)
    return out
