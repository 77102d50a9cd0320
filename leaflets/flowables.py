"""ReportLab flowables that set their text with :mod:`leaflets.text`.

Every flowable knows its writing direction: "start" is the left side for
left-to-right languages and the right side for right-to-left ones, so the
same layout code produces a mirrored page for Arabic, Persian and Urdu.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import rlconfig  # noqa: F401,I001 - first: ReportLab must not read the user's settings
from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from .errors import LayoutError
from .draw import draw_line
from .tagging import Elem, artifact, tagged
from .text import Line, TextSetter


@dataclass(frozen=True)
class TextStyle:
    size: float
    leading: float           # multiple of size
    color: Color
    bold: bool = False
    space_before: float = 0.0
    space_after: float = 0.0


def color_ops(color: Color) -> str:
    """Fill-colour operator for a colour (CMYK colours stay CMYK)."""
    if hasattr(color, "cyan"):
        c = f"{color.cyan:.3f} {color.magenta:.3f} {color.yellow:.3f} {color.black:.3f}"
        return f"{c} k {c} K"        # stroke too: emboldened faces are drawn filled and stroked
    c = f"{color.red:.3f} {color.green:.3f} {color.blue:.3f}"
    return f"{c} rg {c} RG"


class TextBlock(Flowable):
    """A paragraph set by the text engine, optionally with a marker in its start gutter.

    ``marker`` is ``("number", "3")``, ``("bullet", "")`` or None; it is drawn
    beside the first line, centred in the ``indent`` gutter. ``tag`` is the
    structure element of the text (both halves of a split block share it),
    ``marker_tag`` the list label's.
    """

    marker_scale = 0.95      # the number in a marker's disc, to the text's size

    def __init__(self, setter: TextSetter, marked: str, style: TextStyle, indent: float = 0.0,
                 marker: tuple[str, str] | None = None, marker_color: Color | None = None,
                 keep_with_next: bool = False, label: str = "", tag: Elem | None = None,
                 marker_tag: Elem | None = None):
        super().__init__()
        self.setter = setter
        self.marked = marked
        self.style = style
        self.indent = indent
        self.marker = marker
        self.marker_color = marker_color or style.color
        self.keepWithNext = keep_with_next
        self.label = label            # the message key, for error messages
        self.tag, self.marker_tag = tag, marker_tag
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after
        self._lines: list[Line] | None = None
        self._width = None

    @property
    def line_height(self) -> float:
        return self.style.size * self.style.leading

    def _set(self, width: float) -> list[Line]:
        if self._lines is None or self._width != width:
            try:
                self._lines = self.setter.lines(self.marked, self.style.size, width - self.indent,
                                                self.style.bold)
            except LayoutError as exc:
                raise LayoutError(f"{self.label}: {exc.message}") from None
            self._width = width
        return self._lines

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = len(self._set(avail_width)) * self.line_height
        return self.width, self.height

    def split(self, avail_width, avail_height):
        lines = self._set(avail_width)
        fit = int(avail_height // self.line_height)
        if fit <= 0 or fit >= len(lines):
            return []
        if len(lines) - fit == 1:               # no widow: take one more line over
            fit -= 1
        if fit < 2:                             # no orphan: the whole block goes to the next page
            return []
        first, rest = self._copy(lines[:fit], self.marker), self._copy(lines[fit:], None)
        first.spaceAfter = 0
        rest.spaceBefore = 0
        return [first, rest]

    def _copy(self, lines: list[Line], marker) -> "TextBlock":
        block = type(self)(self.setter, self.marked, self.style, self.indent, marker, self.marker_color,
                           self.keepWithNext, self.label, self.tag, self.marker_tag)
        block._lines, block._width = lines, self._width
        return block

    def draw(self):
        canvas = self.canv
        rtl = self.setter.rtl
        size, lh = self.style.size, self.line_height
        x0 = 0.0 if rtl else self.indent
        column = self.width - self.indent
        baseline = self.height - lh + (lh - size) / 2 + size * 0.22
        ops = color_ops(self.style.color)
        with tagged(canvas, self.tag):
            for line in self._lines:       # aligned to the page's start side, whatever the line's direction
                draw_line(canvas, line, x0, baseline, column, rtl, ops)
                baseline -= lh
        if self.marker:
            self._draw_marker(self.height - lh / 2)

    def _draw_marker(self, centre_y: float):
        canvas = self.canv
        kind, label = self.marker
        cx = self.width - self.indent / 2 if self.setter.rtl else self.indent / 2
        canvas.saveState()
        canvas.setFillColor(self.marker_color)
        if kind == "bullet":              # the bullet is the label's content (its /ActualText says "•")
            with tagged(canvas, self.marker_tag):
                canvas.circle(cx, centre_y, self.style.size * 0.2, stroke=0, fill=1)
        else:                             # the number is the label, its disc decoration
            r = self.style.size * 0.72
            with artifact(canvas):
                canvas.circle(cx, centre_y, r, stroke=0, fill=1)
            size = self.style.size * self.marker_scale
            line = self.setter.lines(label, size, 1e6, True)[0]
            white = "0 0 0 0 k 0 0 0 0 K"
            with tagged(canvas, self.marker_tag):
                draw_line(canvas, line, cx - line.width / 2, centre_y - size * 0.35, line.width, False, white)
        canvas.restoreState()


class LanguageList(Flowable):
    """Language names, each set with its own language's fonts and direction, never split across lines.

    A dot separates the names; it never starts a line. On a right-to-left page
    the list runs from the right. ``tags`` are the names' structure elements
    (the dots are decoration).
    """

    def __init__(self, page: TextSetter, names: list[tuple[TextSetter, str]], style: TextStyle,
                 tags: list[Elem] | None = None):
        super().__init__()
        self.page, self.names, self.style = page, names, style
        self.tags = tags or [None] * len(names)
        self._rows: list[list[Line]] = []

    def wrap(self, avail_width, avail_height):
        size = self.style.size
        self._dot = self.page.lines("·", size, 1e6)[0]
        self._gap = size * 0.45
        sep = 2 * self._gap + self._dot.width
        rows, row, used = [], [], 0.0
        for setter, name in self.names:
            line = setter.lines(name, size, 1e6)[0]
            if row and used + sep + line.width > avail_width:
                rows.append(row)
                row, used = [], 0.0
            used += (sep if row else 0.0) + line.width
            row.append(line)
        self._rows = rows + ([row] if row else [])
        self.width, self.height = avail_width, len(self._rows) * size * self.style.leading
        return self.width, self.height

    def draw(self):
        size, lh = self.style.size, self.style.size * self.style.leading
        rtl, ops = self.page.rtl, color_ops(self.style.color)
        y = self.height - lh + (lh - size) / 2 + size * 0.22
        tags = iter(self.tags)
        for row in self._rows:
            seq: list[tuple[Line | None, float, Elem | None]] = []
            for i, line in enumerate(row):
                if i:
                    gap = (None, self._gap, None)
                    seq += [gap, (self._dot, self._dot.width, None), gap]
                seq.append((line, line.width, next(tags)))
            x = self.width if rtl else 0.0
            for line, w, tag in seq:
                x -= w if rtl else 0.0
                if line is not None:
                    with (tagged(self.canv, tag) if line is not self._dot else artifact(self.canv)):
                        draw_line(self.canv, line, x, y, w, False, ops)
                x += 0.0 if rtl else w
            y -= lh


class Panel(Flowable):
    """Flowables on a tinted, rounded background; kept on one page, or split between its parts
    (unless ``whole``) when it cannot fit on one."""

    def __init__(self, content: list[Flowable], fill: Color, padding: float = 12.0,
                 border: Color | None = None, label: str = "", whole: bool = False):
        super().__init__()
        self.whole = whole
        self.content = content
        self.fill = fill
        self.border = border
        self.padding = padding
        self.label = label
        self.frame_height: float | None = None      # the page's frame, if known (layout.check_panels)

    def wrap(self, avail_width, avail_height):
        inner = avail_width - 2 * self.padding
        self._heights = []
        total = 0.0
        for i, f in enumerate(self.content):
            _, h = f.wrap(inner, 1e6)
            gap = (f.getSpaceBefore() if i else 0.0) + (f.getSpaceAfter() if i < len(self.content) - 1 else 0.0)
            self._heights.append(h)
            total += h + gap
        self.width, self.height = avail_width, total + 2 * self.padding
        return self.width, self.height

    def split(self, avail_width, avail_height):
        """Between its parts, when it cannot fit whole (large print): never right after a heading.

        Only where that can never work, not even on an empty page (``frame_height``: a heading and
        the paragraph after it taller than the page, as in the booklet's A5 pages), inside a paragraph.
        """
        if len(self.content) < 2 or self.whole:
            return []
        inner = avail_width - 2 * self.padding
        take = self._take(inner, avail_height)
        if take == 0 and self.frame_height and self._take(inner, self.frame_height) == 0:
            return self._split_text(inner, avail_height)
        if take == 0 or take == len(self.content):
            return []
        return self._pair(self.content[:take], self.content[take:])

    def _take(self, inner: float, avail_height: float) -> int:
        used, take = 2 * self.padding, 0
        for i, f in enumerate(self.content):
            _, h = f.wrap(inner, 1e6)
            used += h + (f.getSpaceBefore() if i else 0.0)
            if used > avail_height:
                break
            used += f.getSpaceAfter()
            take = i + 1
        while take and getattr(self.content[take - 1], "keepWithNext", False):
            take -= 1
        return take

    def _split_text(self, inner: float, avail_height: float) -> list[Flowable]:
        used = 2 * self.padding
        for i, f in enumerate(self.content):
            _, h = f.wrap(inner, 1e6)
            before = f.getSpaceBefore() if i else 0.0
            if used + before + h > avail_height:
                parts = f.split(inner, avail_height - used - before) if isinstance(f, TextBlock) else []
                return self._pair(self.content[:i] + parts[:1], parts[1:] + self.content[i + 1:]) \
                    if len(parts) == 2 else []
            used += before + h + f.getSpaceAfter()
        return []

    def _pair(self, first: list[Flowable], rest: list[Flowable]) -> list[Flowable]:
        out = [Panel(first, self.fill, self.padding, self.border, self.label),
               Panel(rest, self.fill, self.padding, self.border, self.label)]
        out[0].outline = getattr(self, "outline", None)
        for panel in out:
            panel.frame_height = self.frame_height
        return out

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.fill)
        if self.border is not None:
            canvas.setStrokeColor(self.border)
            canvas.setLineWidth(1.2)
        with artifact(canvas):
            canvas.roundRect(0, 0, self.width, self.height, 6, stroke=1 if self.border is not None else 0, fill=1)
        canvas.restoreState()
        y = self.height - self.padding
        for i, (f, h) in enumerate(zip(self.content, self._heights)):
            if i:
                y -= f.getSpaceBefore()
            y -= h
            f.drawOn(canvas, self.padding, y)
            y -= f.getSpaceAfter()


def check_fits(flowable: Flowable, width: float, height: float, what: str) -> None:
    """Raise LayoutError if an unsplittable flowable is taller than a page frame."""
    _, h = flowable.wrap(width, height)
    if h > height:
        raise LayoutError(f"{what} is {h / 72 * 25.4:.0f} mm tall and cannot fit on a page")


class Room(Flowable):
    """Starts a new page unless a heading (and what must stay with it) has room here with at least
    the first two lines of the text that follows it.

    ReportLab's ``keepWithNext`` moves a heading *and its whole next paragraph* to the next page when
    the paragraph does not fit below it, leaving half a page empty; this asks only for two lines.
    """

    def __init__(self, group: list[Flowable]):
        super().__init__()
        self.group = group
        self.width = self.height = 0

    def wrap(self, avail_width, avail_height):
        need = 0.0
        for k, f in enumerate(self.group):
            _, h = f.wrap(avail_width, 1e6)
            if k == len(self.group) - 1 and isinstance(f, TextBlock) and h > 3.5 * f.line_height:
                h = 2 * f.line_height     # a block of 4 lines or more may split after its first two
            need += h + f.getSpaceBefore() + (f.getSpaceAfter() if k < len(self.group) - 1 else 0)
        frame = self._doctemplateAttr("frame")
        if avail_height < need and frame is not None and not getattr(frame, "_atTop", False):
            from reportlab.platypus.doctemplate import FrameBreak
            frame.add_generated_content(FrameBreak)
        return 0, 0

    def draw(self):
        pass


def keep_with_next(flowables: list[Flowable], kind: type = TextBlock, room: type = Room) -> list[Flowable]:
    """``flowables`` with a ``room`` (:class:`Room`) before each run of keep-with-next flowables of
    ``kind`` (and no keepWithNext)."""
    out: list[Flowable] = []
    k = 0
    while k < len(flowables):
        f = flowables[k]
        if getattr(f, "keepWithNext", False) and isinstance(f, kind):
            j = k
            while j < len(flowables) - 1 and getattr(flowables[j], "keepWithNext", False):
                flowables[j].keepWithNext = False
                j += 1
            out.append(room(flowables[k:j + 1]))
        out.append(f)
        k += 1
    return out
