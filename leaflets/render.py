"""Flowables → PDF bytes: A4 (the booklet: A5 pages on A4 sheets), embedded fonts only, metadata, /Lang,
outline; tagged (PDF/UA-1).

Page furniture that needs the page count ("Page 2 of 3") is drawn after the
last page is laid out, from saved page states, so layout runs once. The
structure tree (:mod:`tagging`) is written when the document is saved.
"""
from __future__ import annotations

import io

from . import rlconfig  # noqa: F401,I001 - first: ReportLab must not read the user's settings
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfdoc import PDFObjectReference
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus import doctemplate as platypus_doctemplate

from .errors import LayoutError
from .fitting import FrameBox, choose
from .fonts import FontLibrary
from .layout import Page, check_panels, decorate, make_styles, measure_page, story
from .markup import plain_text
from .tagging import Elem, Tagger
from .text import TextSetter
from .translate import Document, is_rtl

# Binary (Flate-only) streams: ASCII85 on top only makes files bigger, and ReportLab's
# pure-Python encoder was a third of the time spent writing a leaflet.
rl_config.useA85 = 0


class _CountingCanvas(Canvas):
    """Keeps each page open until the total is known, then draws the furniture."""

    page_info: Page | None = None
    tagger: Tagger | None = None
    press = None            # the print edition's printshop.Press: page boxes, crop marks, PDF/X
    binder = None           # the booklet edition's booklet.Binder: notes pages, imposition on A4 sheets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []
        if self.press is not None:
            self.press.start(self)

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def bookmarkPage(self, key, **kwargs):
        dest = super().bookmarkPage(key, **kwargs)
        if self.binder is not None:         # the page it is on is known now, its sheet at the end
            self.binder.bookmark(dest, self.getPageNumber())
        else:      # ReportLab names the page it has written last; ours are all written at the end
            dest.setPage(PDFObjectReference(f"Page{self.getPageNumber()}"))
        return dest

    def save(self):
        if self.binder is not None:
            self.binder.pad(self, self.page_info)
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            decorate(self, self.page_info, number, total)
            if self.press is not None:
                self.press.marks(self)
            if self.binder is not None:
                self.binder.keep(self)
            else:
                super().showPage()
        if self.binder is not None:
            self.binder.impose(self, super().showPage)
        if self.press is not None:
            self.press.finish(self._doc, self.tagger)
        if self.tagger is not None:
            self.tagger.write(self._doc)
        if self.binder is not None:
            self.binder.finish(self._doc)
        super().save()

    def _setAnnotations(self, page):        # ReportLab's hook as each page object is made
        super()._setAnnotations(page)
        if self.press is not None:
            self.press.page(page)
        if self.tagger is not None:
            self.tagger.add_page(self, page)


class _Template(BaseDocTemplate):
    def afterFlowable(self, flowable):
        outline = getattr(flowable, "outline", None)
        if outline:
            key, title = outline
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(plain_text(title), key, level=0)


def setter_for(doc: Document, fonts: FontLibrary) -> TextSetter:
    return _setter(fonts, doc.lang, doc.rtl, doc.keep_whole)


def _setter(fonts: FontLibrary, lang: str, rtl: bool, keep_whole: tuple[str, ...] = ()) -> TextSetter:
    """One setter per language and its settings in a process (kept with the fonts): what it has set
    is remembered for the next page, edition and leaflet."""
    key = (lang, rtl, tuple(keep_whole))
    setter = fonts.setters.get(key)
    if setter is None:
        setter = fonts.setters[key] = TextSetter(fonts.chain(lang), rtl, lang, keep_whole=tuple(keep_whole))
    return setter


def _language_setter(fonts: FontLibrary):
    """Setters for other languages' names: their own fonts and direction (an Arabic name in Naskh)."""
    return lambda lang: _setter(fonts, lang, is_rtl(lang))


FITTED = ("standard", "print")     # the editions whose last page is fitted (the print shop's is the standard's)


def fitted_styles(doc: Document, setter: TextSetter, edition: str, box: FrameBox, language_setter,
                  fit: bool = True, size: tuple[float, float] = A4):
    """The styles of the standard edition with the spacing :func:`fitting.choose` gives it."""
    line_height = setter.chain.line_height

    def lay(spacing):
        return story(doc, setter, make_styles(line_height, edition, spacing), language_setter, Elem("Document"))
    spacing = choose(lay, box, size).spacing if fit else make_styles(line_height, edition).spacing
    return make_styles(line_height, edition, spacing)


def render_pdf(doc: Document, fonts: FontLibrary, edition: str = "standard",
               tagged: bool = True, notes: list[str] | None = None,
               english: Document | None = None, fit: bool = True) -> tuple[bytes, int]:
    """Lay out and write one edition of a leaflet; returns the PDF bytes and the page count.

    ``tagged=False`` leaves out the structure tree and the marked content (to compare); ``fit=False``
    lays the standard edition out as it comes, without :mod:`fitting`'s trials (to compare).
    ``notes``, if given, gets the words that were wider than their column (broken at its edge).
    ``edition="print"`` is the print shop's (:mod:`printshop`: PDF/X-4, bleed, crop marks, the
    date of the build or ``SOURCE_DATE_EPOCH``); the others are dated 2000-01-01 (or ``SOURCE_DATE_EPOCH``).
    ``edition="bilingual"`` sets ``doc`` beside ``english``, the same leaflet's English document
    (:mod:`bilingual`).
    ``edition="booklet"`` is laid out at A5 and imposed on A4 sheets (:mod:`booklet`); the page count
    returned is the booklet's (its A5 pages, notes pages included), not the sheet sides'.
    """
    press = binder = None
    if edition == "print":
        from .printshop import Press
        press = Press(doc.lang)
    elif edition == "booklet":
        from . import booklet
        binder = booklet.Binder(doc.rtl)
    setter = setter_for(doc, fonts)
    setter.overflows.clear()
    line_height = setter.chain.line_height
    if edition == "bilingual":
        from .bilingual import pitch
        line_height = pitch(line_height)
    styles = make_styles(line_height, edition)
    tagger = Tagger(doc.lang)
    if binder is None:
        page = measure_page(doc, setter, styles, tagger.root)
    else:
        page = measure_page(doc, setter, styles, tagger.root, booklet.PAGE, booklet.MARGIN)
    if press is not None:
        page.bleed = press.bleed
    setters, on_page = [setter], None
    if edition == "bilingual":
        from .bilingual import Bilingual
        en_setter = setter_for(english, fonts) if english is not None else setter
        setters.append(en_setter)
        en_setter.overflows.clear()
        two = Bilingual(doc, english, setter, en_setter, styles, make_styles(en_setter.chain.line_height))
        page = two.page(page)
        flowables = two.story(_language_setter(fonts), tagger.root)
        on_page = lambda canvas, _: two.draw_heads(canvas, page)  # noqa: E731
    else:
        if edition in FITTED:
            box = FrameBox(page.margin, page.frame_bottom, page.width, page.frame_top - page.frame_bottom)
            styles = fitted_styles(doc, setter, edition, box, _language_setter(fonts), fit, page.size)
        flowables = story(doc, setter, styles, _language_setter(fonts), tagger.root)
    check_panels(flowables, page)
    buf = io.BytesIO()
    base_font = setter.chain.primary.regular.name
    tmpl = _Template(
        buf, pagesize=page.size, leftMargin=page.margin, rightMargin=page.margin, topMargin=0, bottomMargin=0,
        title=plain_text(doc.title.text), author=doc.clinic_name, subject=plain_text(doc.meta_subject),
        keywords=list(doc.keywords), creator="make-leaflets", producer="make-leaflets (ReportLab)",
        lang=doc.lang.replace("_", "-"), initialFontName=base_font, invariant=press is None,
        enforceColorSpace="cmyk",      # print shops want CMYK; any RGB colour is an error
        pageCompression=1,
    )
    frame = Frame(page.margin, page.frame_bottom, page.width, page.frame_top - page.frame_bottom,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    tmpl.addPageTemplates([PageTemplate(id="page", frames=[frame], **({"onPage": on_page} if on_page else {}))])

    class Canvas_(_CountingCanvas):
        page_info = page
    Canvas_.tagger = tagger if tagged else None
    Canvas_.press = press
    Canvas_.binder = binder

    try:
        tmpl.build(flowables, canvasmaker=Canvas_)
    except platypus_doctemplate.LayoutError as exc:     # a box taller than a page: say so, not a traceback
        raise LayoutError(f"{doc.lang}, {edition} edition: a block does not fit on a page "
                          f"(ReportLab: {str(exc).splitlines()[0][:160]})") from None
    if notes is not None:
        notes.extend(dict.fromkeys(w for s in setters for w in s.overflows))
    return buf.getvalue(), binder.pages if binder is not None else tmpl.page
