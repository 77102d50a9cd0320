"""Fitting the standard edition: no sheet of paper for a last page that holds a few lines.

A leaflet is first paginated as it is (a dry run of ReportLab's own frames: every block is
measured and placed, nothing is drawn; the lines set are remembered by the setter, so the
real layout after it sets nothing again). Only when its last page is less than half full
are the levers tried, at most two trials, within the clear-print limits:

- :data:`TIGHT`: the vertical space before and after headings, paragraphs and boxes, and
  inside the boxes, at its set minimum (a paragraph gap of half the body size, a heading still
  further from the text before it than from its own text). Text sizes, line spacing, line
  lengths and every word stay as they are.
- If that saves the page, :data:`SNUG` (half way) is tried, and taken if it saves it too.
- If nothing saves the page and its last page holds one box alone (the other-languages box, or
  the lone part of it that did not fit on the page before), it is balanced: the contact and
  the languages boxes go over together, each whole, as on most leaflets' last page, and the
  normal spacing is kept.

The choice is made from the layout alone, so the same inputs give the same choice and the
same bytes. Reads no files.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, replace
from typing import Callable

from . import rlconfig  # noqa: F401,I001 - first: ReportLab must not read the user's settings
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer
from reportlab.platypus.doctemplate import LayoutError

THRESHOLD = 0.5      # a last page less full than this is worth a trial


@dataclass(frozen=True)
class Spacing:
    """The standard edition's vertical spacing, in points, and how its boxes may break."""
    name: str
    title_after: float
    subtitle_after: float
    heading_before: float
    heading_after: float
    paragraph: float             # after a paragraph: the paragraph gap
    item: float                  # before and after a list item's title
    padding: float               # inside a box
    before_summary: float
    before_contact: float
    between_boxes: float
    together: bool = False       # balance: the contact and languages boxes kept together, each whole


NORMAL = Spacing("normal", 4, 10, 16, 6, 9, 2, 14, 14, 16, 12)
SNUG = Spacing("snug", 4, 8, 13, 5, 7.5, 2, 12, 11, 12, 10)
TIGHT = Spacing("tight", 3, 6, 10, 4, 6, 1.5, 10, 8, 8, 8)     # the set limits: never less than these
BALANCED = replace(NORMAL, name="balanced", together=True)


@dataclass(frozen=True)
class FrameBox:
    """The body frame on every page (the same on each), in points."""
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Fit:
    spacing: Spacing
    pages: int                   # of the chosen layout
    untightened: int             # of the first layout, as it was
    fill: float                  # of the chosen layout's last page, 0 to 1


class _DryCanvas(Canvas):
    """Takes the pages and writes nothing."""

    def showPage(self):
        self._startPage()

    def save(self):
        pass


class _DryFrame(Frame):
    """ReportLab's frame: the same measuring, splitting and placing, but blocks are not drawn."""

    def _add(self, flowable, canv, trySplit=0):
        flowable.drawOn = _not_drawn
        try:
            return Frame._add(self, flowable, canv, trySplit)
        finally:
            del flowable.drawOn

    add = _add


def _not_drawn(*args, **kwargs):
    pass


class _DryTemplate(BaseDocTemplate):
    def __init__(self, box: FrameBox, pagesize):
        super().__init__(io.BytesIO(), pagesize=pagesize, leftMargin=0, rightMargin=0, topMargin=0, bottomMargin=0)
        frame = _DryFrame(box.x, box.y, box.width, box.height, leftPadding=0, rightPadding=0, topPadding=0,
                          bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self.used: list[float] = []            # per page: from the frame's top to its lowest block
        self.last: list[list[Flowable]] = []   # per page: the blocks placed on it

    def handle_pageBegin(self):
        super().handle_pageBegin()
        self.used.append(0.0)
        self.last.append([])

    def afterFlowable(self, flowable):
        if isinstance(flowable, Spacer) or not getattr(flowable, "height", 0):
            return
        frame = self.frame
        bottom = frame._y + flowable.getSpaceAfter()
        self.used[-1] = max(self.used[-1], frame._y2 - bottom)
        self.last[-1].append(flowable)


def paginate(flowables: list[Flowable], box: FrameBox, pagesize) -> _DryTemplate:
    """Lay ``flowables`` out on pages without drawing them; ``.used`` and ``.last`` say what went where."""
    tmpl = _DryTemplate(box, pagesize)
    tmpl.build(list(flowables), canvasmaker=_DryCanvas)
    return tmpl


def choose(lay: Callable[[Spacing], list[Flowable]], box: FrameBox, pagesize) -> Fit:
    """The spacing for a leaflet: ``lay(spacing)`` makes its flowables (fresh ones each time)."""
    try:
        first = paginate(lay(NORMAL), box, pagesize)
    except LayoutError:                   # a block that fits no page: the real layout says which
        return Fit(NORMAL, 0, 0, 0.0)
    pages, fill = len(first.used), first.used[-1] / box.height
    if pages < 2 or fill >= THRESHOLD:
        return Fit(NORMAL, pages, pages, fill)
    tight = paginate(lay(TIGHT), box, pagesize)
    if len(tight.used) < pages:
        snug = paginate(lay(SNUG), box, pagesize)
        if len(snug.used) < pages:
            return Fit(SNUG, len(snug.used), pages, snug.used[-1] / box.height)
        return Fit(TIGHT, len(tight.used), pages, tight.used[-1] / box.height)
    if len(first.last[-1]) == 1 and hasattr(first.last[-1][0], "content"):     # one box (or a part) alone
        try:
            balanced = paginate(lay(BALANCED), box, pagesize)
        except LayoutError:               # a box taller than a page must split: leave it as it was
            balanced = None
        if balanced is not None and len(balanced.used) == pages:
            return Fit(BALANCED, pages, pages, balanced.used[-1] / box.height)
    return Fit(NORMAL, pages, pages, fill)
