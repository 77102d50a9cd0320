"""ReportLab's own floor for a leaflet, for ``bench.py`` (6).

The shipped leaflet's English text, laid out by ReportLab alone: every heading and block as a plain
``Paragraph`` in the project's own Latin font (regular and bold), A4, compressed. None of what our
leaflet has besides: no boxes, page furniture, draft notice, tagging (PDF/UA), text layer, languages
box (our PDFs embed some 25 fonts for it) or fitted last page. What is left is the least ReportLab
itself takes to set and write that much text; our standard PDF of the same leaflet is timed beside it,
in turn, in the same process.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from xml.sax.saxutils import escape


def plain_texts(doc) -> list[tuple[str, bool]]:
    """(text, is a heading) of every text block of a translated document, in reading order."""
    from leaflets.markup import plain_text
    out = [(plain_text(doc.title.text), True)]
    if doc.subtitle is not None:
        out.append((plain_text(doc.subtitle.text), True))
    for section in doc.sections:
        if section.heading is not None:
            out.append((plain_text(section.heading.text), True))
        for block in section.blocks:
            if block.title is not None:
                out.append((plain_text(block.title.text), True))
            out.append((plain_text(block.text.text), False))
    out += [(text, False) for text in doc.notices + doc.languages_text]
    out += [(f"{label}: {value}", False) for label, value in doc.contacts]
    return out


def reportlab_alone(doc, regular: str, bold: str) -> Callable[[], tuple[bytes, int]]:
    """A function that lays ``doc``'s text out with ReportLab alone: (the PDF, its page count)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    pdfmetrics.registerFont(TTFont("FloorRegular", regular))
    pdfmetrics.registerFont(TTFont("FloorBold", bold))
    body = ParagraphStyle("body", fontName="FloorRegular", fontSize=12, leading=17, spaceAfter=6)
    head = ParagraphStyle("head", fontName="FloorBold", fontSize=15, leading=20, spaceBefore=10, spaceAfter=4)
    texts = plain_texts(doc)

    def make() -> tuple[bytes, int]:
        story = []
        for text, heading in texts:
            story += [Paragraph(escape(text), head if heading else body), Spacer(1, 2)]
        out = io.BytesIO()
        template = SimpleDocTemplate(out, pagesize=A4, invariant=1)
        template.build(story)
        return out.getvalue(), template.page
    return make
