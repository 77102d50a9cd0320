"""The print-shop edition: PDF/X-4 (ISO 15930-7) with bleed, crop marks and a FOGRA39 output intent.

Why PDF/X-4 and not PDF/X-1a:2001: X-1a:2001 is PDF 1.3, and a leaflet is a tagged PDF (PDF/UA-1,
built on PDF 1.7) whose structure, ``/MarkInfo``, ``/Lang`` and XMP metadata stream are PDF 1.4 and
later; X-4 is PDF 1.6, keeps all of that, takes the embedded TrueType subsets as they are, and
identifies itself in the XMP metadata, where the PDF/UA identification already is. It asks for the
output intent's ICC profile to be embedded: ``icc/FOGRA39L.icc``, made from Fogra's FOGRA39
characterization data (zlib licence, ``icc/LICENSE.txt``).

The page is the A4 page (its ``TrimBox``, at the page's own coordinates: nothing moves) inside a
3 mm bleed (``BleedBox``) inside a MediaBox with room for the crop marks, which are drawn beyond
the bleed in 100 % K as artifacts (``/Type /Page``: production aids). The band at the top runs into
the bleed (:func:`layout.decorate` with ``Page.bleed``). Colour is DeviceCMYK only (``layout``'s
palette; ReportLab is told to refuse anything else), body text 0 0 0 1. The dates are the time of
the build, or ``SOURCE_DATE_EPOCH`` when it is set (ReportLab's time stamp, not invariant here).
"""
from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path

from . import rlconfig  # noqa: F401,I001 - first: ReportLab must not read the user's settings
from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import (PDFArray, PDFDate, PDFDictionary, PDFInfo, PDFName, PDFStream,
                                      PDFString, PDFZCompress)

from .layout import PAGE
from .tagging import artifact, xmp_date, xmp_stream

PDFX_VERSION = "PDF/X-4"
PDF_VERSION = (1, 6)                  # PDF/X-4 is PDF 1.6
BLEED = 3 * mm
MARK_OFFSET = BLEED + 1 * mm          # the crop marks start beyond the bleed …
MARK_LENGTH = 6 * mm                  # … and are this long
SLUG = MARK_OFFSET + MARK_LENGTH + 3 * mm     # the media beyond the trim on every side
MARK_WIDTH = 0.25
MARK_COLOR = CMYKColor(0, 0, 0, 1)    # 100 % K

TRIM_BOX = (0, 0, PAGE[0], PAGE[1])
BLEED_BOX = (-BLEED, -BLEED, PAGE[0] + BLEED, PAGE[1] + BLEED)
MEDIA_BOX = (-SLUG, -SLUG, PAGE[0] + SLUG, PAGE[1] + SLUG)

OUTPUT_INTENT = {       # a characterization registered at the ICC (its registry of printing conditions)
    "OutputConditionIdentifier": "FOGRA39",
    "RegistryName": "http://www.color.org",
    "Info": "Coated FOGRA39 (ISO 12647-2:2004)",
    "OutputCondition": "Offset printing, coated paper (ISO 12647-2:2004/Amd 1, paper type 1 or 2)",
}
PROFILE = Path(__file__).with_name("icc") / "FOGRA39L.icc"


@cache
def _profile() -> bytes:
    return PROFILE.read_bytes()


def crop_marks() -> list[tuple[float, float, float, float]]:
    """Two lines at each corner, on the trim's edges produced, beyond the bleed."""
    lines = []
    for x, sx in ((0, -1), (PAGE[0], 1)):
        for y, sy in ((0, -1), (PAGE[1], 1)):
            near, far = MARK_OFFSET, MARK_OFFSET + MARK_LENGTH
            lines.append((x, y + sy * near, x, y + sy * far))       # vertical: the trim's side produced
            lines.append((x + sx * near, y, x + sx * far, y))       # horizontal: its top or bottom
    return lines


class Press:
    """What the print edition adds to a leaflet's canvas: page boxes, crop marks, PDF/X."""

    bleed = BLEED

    def __init__(self, lang: str):
        self.lang = lang.replace("_", "-")

    def start(self, canvas) -> None:
        """Every page's TrimBox and BleedBox (ReportLab writes them on each page)."""
        canvas.setTrimBox(TRIM_BOX)
        canvas.setBleedBox(BLEED_BOX)

    @staticmethod
    def page(page) -> None:
        """A page object as ReportLab makes it: the MediaBox around the bleed and the marks."""
        page.MediaBox = PDFArray(list(MEDIA_BOX))

    @staticmethod
    def marks(canvas) -> None:
        with artifact(canvas, "marks"):
            canvas.saveState()
            canvas.setStrokeColor(MARK_COLOR)
            canvas.setLineWidth(MARK_WIDTH)
            canvas.lines(crop_marks())
            canvas.restoreState()

    def finish(self, doc, tagger=None) -> None:
        """The document's PDF/X parts: version, output intent, information and XMP metadata.

        Called before the tagger writes the structure tree (and, with it, the XMP metadata)."""
        doc._pdfVersion = PDF_VERSION
        profile = PDFStream(PDFDictionary({"N": 4}), _profile(), filters=[PDFZCompress])
        intent = {k: PDFString(v) for k, v in OUTPUT_INTENT.items()}
        intent.update(Type=PDFName("OutputIntent"), S=PDFName("GTS_PDFX"), DestOutputProfile=doc.Reference(profile))
        cat = doc.Catalog
        cat.__NoDefault__ = [*cat.__NoDefault__, "OutputIntents"]
        cat.OutputIntents = PDFArray([PDFDictionary(intent)])
        info = _PrintInfo()
        info.__dict__.update(doc.info.__dict__)
        doc.info = info
        extra = self._xmp(doc)
        if tagger is not None:
            tagger.xmp_extra = extra
        else:
            cat.Metadata = xmp_stream(doc, self.lang, extra, pdfua=False)

    def _xmp(self, doc) -> str:
        info = doc.info
        date = xmp_date(doc._timeStamp)
        document = uuid.uuid5(uuid.NAMESPACE_URL, f"leaflets:{info.title}\n{info.keywords}\n{self.lang}\nprint")
        instance = uuid.uuid5(document, date)
        return f"""
<rdf:Description rdf:about=""
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
  xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
<pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>
<pdf:Trapped>False</pdf:Trapped>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<xmpMM:DocumentID>uuid:{document}</xmpMM:DocumentID>
<xmpMM:InstanceID>uuid:{instance}</xmpMM:InstanceID>
<xmpMM:VersionID>1</xmpMM:VersionID>
<xmpMM:RenditionClass>default</xmpMM:RenditionClass>
</rdf:Description>"""


class _PrintInfo(PDFInfo):
    """ReportLab's document information dictionary, with the PDF/X version and ``/Trapped /False``."""

    def format(self, document):
        date = PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        return PDFDictionary({
            "Title": PDFString(self.title), "Author": PDFString(self.author),
            "Subject": PDFString(self.subject), "Keywords": PDFString(self.keywords),
            "Creator": PDFString(self.creator), "Producer": PDFString(self.producer),
            "CreationDate": date, "ModDate": date,
            "Trapped": PDFName("False"),          # nothing trapped: the print shop may trap
            "GTS_PDFXVersion": PDFString(PDFX_VERSION),
        }).format(document)
