"""The booklet edition: the leaflet at A5, imposed two pages a side on A4 sheets, for duplex printing
and folding (saddle stitch: the sheets nest, fold in the middle, staple on the fold).

The leaflet is laid out on A5 pages as any other edition (:mod:`render`'s counting canvas keeps
every page open until the end). The page count is padded to a multiple of 4 with ruled notes pages
(artifacts, no words: nothing to translate) *after* the text: the text runs on without a gap, its
pages keep their numbers, and a booklet's last pages being for the reader's notes (questions for the
next appointment, a headache diary) is what a clinic hands out. Every page, notes pages too, has the
band, the notice and the footer ("Page N of M" counts booklet pages).

Then each side of each sheet is composed from two A5 pages' content streams, each in ``q … cm … Q``
and clipped to its half: for n pages, sheet s (from 0) carries, left | right, on its front
n−2s | 2s+1 and on its back 2s+2 | n−2s−1, so that page 1 is on the front's right half and the
booklet opens on the left (it is bound on its left). Right-to-left booklets are bound on the right
and open from the other side: each side is mirrored (front 2s+1 | n−2s, back n−2s−1 | 2s+2).

It stays a tagged PDF: marked-content IDs are renumbered per sheet side (the right half's after the
left half's), and the structure tree's content items are moved to the sheet side and ID they now
have; the tree itself does not change, so it reads in booklet order, page 1 first, whatever the
sheets' order. Outline entries point at their page's half of its sheet. The catalog's
``/ViewerPreferences`` ask print dialogs for duplex, flipped on the short edge, at 100 %.
"""
from __future__ import annotations

import re

from . import rlconfig  # noqa: F401,I001 - first: ReportLab must not read the user's settings
from reportlab.lib.colors import CMYKColor
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObjectReference

from .tagging import Elem, artifact

PAGE = A5
MARGIN = 12 * mm            # at least 10 mm inside the trim, the fold side too; a measure of at most ~75 characters
SHEET = landscape(A4)
PDF_VERSION = (1, 7)        # /Duplex in /ViewerPreferences
RULE_PITCH = 9 * mm         # the notes pages' lines: handwriting
RULE_WIDTH = 0.5
RULE_COLOR = CMYKColor(0, 0, 0, 0.4)
_MCID = re.compile(r"<</MCID (\d+)")


def sides(pages: int, rtl: bool = False) -> list[tuple[int, int]]:
    """The booklet pages (from 1) on the left and right half of each sheet side, in printing order:
    sheet 1 front, sheet 1 back, sheet 2 front … ``pages`` is a multiple of 4."""
    if pages % 4:
        raise ValueError(f"a booklet has a multiple of 4 pages, not {pages}")
    out = []
    for s in range(pages // 4):
        front, back = (pages - 2 * s, 2 * s + 1), (2 * s + 2, pages - 2 * s - 1)
        out += [front[::-1], back[::-1]] if rtl else [front, back]
    return out


def padding(pages: int) -> int:
    """Notes pages that make ``pages`` a multiple of 4."""
    return -pages % 4


class Binder:
    """What the booklet edition adds to a leaflet's canvas: notes pages, imposition, duplex settings."""

    def __init__(self, rtl: bool):
        self.rtl = rtl
        self._kept: list[dict] = []                       # each A5 page's canvas state, decorated
        self._bookmarks: list[tuple[object, int]] = []    # (destination, booklet page)
        self._where: dict[int, tuple[int, float]] = {}    # booklet page → (sheet side, x of its half)

    @property
    def pages(self) -> int:
        """The booklet's pages (A5), once laid out: the text's and the notes pages."""
        return len(self._kept)

    def bookmark(self, dest, page: int) -> None:
        self._bookmarks.append((dest, page))

    def pad(self, canvas, page) -> None:
        """Ruled notes pages after the text, up to a multiple of 4 pages (``page``: the :class:`layout.Page`)."""
        for _ in range(padding(len(canvas._pages))):
            with artifact(canvas):
                canvas.saveState()
                canvas.setStrokeColor(RULE_COLOR)
                canvas.setLineWidth(RULE_WIDTH)
                y = page.frame_top - RULE_PITCH
                rules = []
                while y >= page.frame_bottom + RULE_PITCH / 2:     # clear of the footer's rule
                    rules.append((page.margin, y, page.size[0] - page.margin, y))
                    y -= RULE_PITCH
                canvas.lines(rules)
                canvas.restoreState()
            canvas.showPage()

    def keep(self, canvas) -> None:
        """One A5 page, decorated: kept for its sheet."""
        self._kept.append(dict(canvas.__dict__))

    def impose(self, canvas, show) -> None:
        """Write the sheet sides (``show``: ReportLab's own showPage) and move the marked content there."""
        width = self._kept[0]["_pagesize"][0]
        x0 = (SHEET[0] - 2 * width) / 2          # A4 is 1 mm wider than two A5s: the spare is shared
        tagger = canvas.tagger
        moved: dict[tuple[int, int], tuple[int, int]] = {}
        marks: dict[int, list[Elem]] = {}
        for side, halves in enumerate(sides(len(self._kept), self.rtl)):
            states = [self._kept[n - 1] for n in halves]
            if any(state["_extgstate"].getState() for state in states):
                raise ValueError("the booklet cannot impose pages with extended graphics states")
            code, side_marks = [], []
            for half, (number, state) in enumerate(zip(halves, states)):
                own = tagger.marks_on(number - 1) if tagger is not None else []
                moved.update({(number - 1, m): (side, m + len(side_marks)) for m in range(len(own))})
                self._where[number] = (side, x0 + half * width)
                code += _half(canvas, state, x0 + half * width, len(side_marks))
                side_marks += own
            marks[side] = side_marks
            canvas.__dict__.update(states[0])
            canvas.__dict__.update(
                _code=code, _pagesize=SHEET, _pageNumber=side + 1, _psCommandsBeforePage=[], _psCommandsAfterPage=[],
                _colorsUsed={k: v for st in states for k, v in st["_colorsUsed"].items()},
                _shadingUsed={k: v for st in states for k, v in st["_shadingUsed"].items()},
                _formsinuse=[f for st in states for f in st["_formsinuse"]],
                _annotationrefs=[a for st in states for a in st["_annotationrefs"]],
                _currentPageHasImages=any(st["_currentPageHasImages"] for st in states))
            show()
        if tagger is not None:
            tagger.move_content(moved, marks)

    def finish(self, doc) -> None:
        """After the structure tree: outline destinations on their sheet, duplex preferences, PDF 1.7."""
        for dest, page in self._bookmarks:
            side, x = self._where[page]
            dest.xyz(round(x, 2), round(SHEET[1], 2), "null")        # the half of the sheet the page is on
            dest.setPage(PDFObjectReference(f"Page{side + 1}"))
        prefs = getattr(doc.Catalog, "ViewerPreferences", None)
        if prefs is None:                       # untagged (to compare): no preferences yet
            prefs = doc.Catalog.ViewerPreferences = PDFDictionary({})
        prefs.dict.update(Duplex=PDFName("DuplexFlipShortEdge"), PrintScaling=PDFName("None"))
        doc._pdfVersion = max(doc._pdfVersion, PDF_VERSION)


def _half(canvas, state: dict, x: float, offset: int) -> list[str]:
    """One A5 page's content, moved to ``x`` on its sheet and clipped to its page; its marked-content
    IDs follow the ``offset`` IDs of the other half."""
    width, height = state["_pagesize"]
    body = state["_code"]
    if offset:
        body = [_MCID.sub(lambda m: f"<</MCID {int(m.group(1)) + offset}", c) for c in body]
    return [f"q 1 0 0 1 {x:.4f} 0 cm 0 0 {width:.4f} {height:.4f} re W n", canvas._preamble,
            *state["_psCommandsBeforePage"], *body, *state["_psCommandsAfterPage"], "Q"]
