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
