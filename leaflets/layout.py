"""Translated document → flowables and page furniture (band, notices, footer).

Reads no files: it receives a :class:`Document` and a :class:`FontLibrary`.
Everything is placed relative to the "start" side, so right-to-left
languages get a mirrored page. Each flowable gets its structure element
(:mod:`tagging`) as it is made, so the structure tree is in source order; the
page furniture is drawn as artifacts.
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass

from . import rlconfig  # noqa: F401,I001 - first: ReportLab must not read the user's settings
from reportlab.lib.colors import CMYKColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from .flowables import LanguageList, Panel, TextBlock, TextStyle, check_fits, color_ops, keep_with_next
from .draw import draw_line
from .fitting import NORMAL, Spacing
from .tagging import Elem, artifact, bcp47
from .text import TextSetter
from .translate import Document, Text

PAGE = A4
MARGIN = 25 * mm               # side margins: a measure of at most ~75 characters (clear print)
BAND_TOP = 12 * mm
BAND_HEIGHT = 14 * mm
FOOTER_BOTTOM = 12 * mm

INK = CMYKColor(0, 0, 0, 1)                 # 100 % K for all body text
GREY = CMYKColor(0, 0, 0, 0.72)
BRAND = CMYKColor(0.92, 0.42, 0, 0.32)
TINT = CMYKColor(0.10, 0.03, 0, 0)
ALERT = CMYKColor(0, 0.95, 0.9, 0.12)
ALERT_TINT = CMYKColor(0, 0.10, 0.08, 0)
WHITE = CMYKColor(0, 0, 0, 0)


@dataclass(frozen=True)
class Styles:
    title: TextStyle
    subtitle: TextStyle
    heading: TextStyle
    body: TextStyle
    item_title: TextStyle
    notice: TextStyle
    footer: TextStyle
    band: TextStyle
    languages: TextStyle
    statement: TextStyle       # "available in other languages and formats": at least 14 pt
    spacing: Spacing = NORMAL  # the boxes' padding and the space around them (fitting.py)


def make_styles(line_height: float, edition: str = "standard", spacing: Spacing = NORMAL) -> Styles:
    """Clear-print styles: 12 pt body, sans serif, headings at least 20 % larger and bold.

    The large-print edition follows UKAAF's large print: 17 pt body (16 to 18),
    headings larger still, a blank line between paragraphs. The standard edition's vertical
    spacing is ``spacing`` (:mod:`fitting` tightens it, within its limits, to save a page).
    """
    lh = line_height
    if edition == "large-print":
        body = 17 * lh
        return Styles(
            title=TextStyle(32, max(1.2, lh * 0.85), BRAND, bold=True, space_after=8),
            subtitle=TextStyle(21, max(1.3, lh * 0.9), GREY, space_after=body),
            heading=TextStyle(23, max(1.3, lh * 0.9), BRAND, bold=True, space_before=body, space_after=8),
            body=TextStyle(17, lh, INK, space_after=body),
            item_title=TextStyle(18, lh, INK, bold=True, space_before=4, space_after=4),
            notice=TextStyle(17, lh, ALERT, bold=True),
            footer=TextStyle(16, max(1.3, lh * 0.9), GREY),
            band=TextStyle(17, 1.0, WHITE, bold=True),
            languages=TextStyle(21, lh, INK, bold=True, space_after=8),
            statement=TextStyle(17, lh, INK, space_after=body),
        )
    sp = spacing
    return Styles(
        title=TextStyle(26, max(1.2, lh * 0.85), BRAND, bold=True, space_after=sp.title_after),
        subtitle=TextStyle(16, max(1.3, lh * 0.9), GREY, space_after=sp.subtitle_after),
        heading=TextStyle(17, max(1.3, lh * 0.9), BRAND, bold=True, space_before=sp.heading_before,
                          space_after=sp.heading_after),
        body=TextStyle(12, lh, INK, space_after=sp.paragraph),
        item_title=TextStyle(13, lh, INK, bold=True, space_before=sp.item, space_after=sp.item),
        notice=TextStyle(12, lh, ALERT, bold=True),
        footer=TextStyle(12, max(1.3, lh * 0.9), GREY),
        band=TextStyle(14, 1.0, WHITE, bold=True),
        languages=TextStyle(16, lh, INK, bold=True, space_after=sp.heading_after),
        statement=TextStyle(14, lh, INK, space_after=sp.paragraph),
        spacing=sp,
    )


@dataclass
class Page:
    """What the page furniture needs, measured once per document."""
    setter: TextSetter
    styles: Styles
    doc: Document
    notice_blocks: list[TextBlock]
    notice_height: float
    footer_height: float
    bleed: float = 0.0         # the print edition's: the band runs off the page's top and sides by this much
    size: tuple[float, float] = PAGE        # the booklet's pages are A5
    margin: float = MARGIN

    @property
    def width(self) -> float:
        """The measure: between the side margins."""
        return self.size[0] - 2 * self.margin

    @property
    def frame_top(self) -> float:
        top = self.size[1] - BAND_TOP - BAND_HEIGHT - 6 * mm
        return top - (self.notice_height + 4 * mm if self.notice_blocks else 0)

    @property
    def frame_bottom(self) -> float:
        return FOOTER_BOTTOM + self.footer_height + 5 * mm


def _marked(t: Text) -> str:
    return f"<b>[EN]</b> {t.text}" if t.in_english else t.text


def _lang(doc: Document, lang: str) -> str | None:
    """/Lang for a text in ``lang``: only where it differs from the document's."""
    return None if lang == doc.lang else bcp47(lang)


def _text_lang(doc: Document, t: Text) -> str | None:
    return _lang(doc, "en") if t.in_english else None


def story(doc: Document, setter: TextSetter, st: Styles, setter_for=None,
          root: Elem | None = None) -> list[Flowable]:
    """The flowing content of the leaflet, in reading order.

    ``setter_for(lang)`` gives the text setter of another language (for the
    names in the "other languages" box, each in its own fonts). The structure
    elements are added to ``root`` (the tagged PDF's Document element).
    """
    root = Elem("Document") if root is None else root
    out: list[Flowable] = [TextBlock(setter, _marked(doc.title), st.title, label=doc.title.key,
                                     tag=root.add("H1", _text_lang(doc, doc.title)))]
    if doc.subtitle:
        out.append(TextBlock(setter, _marked(doc.subtitle), st.subtitle, label=doc.subtitle.key,
                             tag=root.add("P", _text_lang(doc, doc.subtitle))))
    for section in doc.sections:
        parent = root.add("Sect") if section.style == "summary" else root
        parts = _section(doc, setter, st, section, parent)
        if section.style == "summary":
            if parts and hasattr(parts[0], "outline"):
                parts[0].spaceBefore = 0
            panel = Panel(parts, TINT, padding=st.spacing.padding, label=section.key)
            panel.outline = getattr(parts[0], "outline", None)
            out.extend([Spacer(1, st.spacing.before_summary), panel])
        else:
            out.extend(parts)
    out.extend(_back_matter(doc, setter, st, setter_for or (lambda lang: setter), root))
    return keep_with_next(out)


def lead_in(section, i: int) -> bool:
    """Whether paragraph ``i`` leads in to a list ("… will ensure:"): it stays on the page of the list's
    first item."""
    return i + 1 < len(section.blocks) and section.blocks[i + 1].kind != "paragraph"


class ListTags:
    """A section's lists in the structure tree: an L for each run of items of one kind, an LI (Lbl +
    LBody) for each item."""

    def __init__(self, parent: Elem, headed: bool):
        self.parent, self.headed = parent, headed
        self.lst: Elem | None = None
        self.kind: str | None = None

    def end(self) -> None:
        self.lst = None

    def item(self, block) -> tuple[Elem, Elem, tuple[str, str], str]:
        """(label element, body element, marker, role of the item's title) for a list item."""
        numbered = block.kind == "numbered"
        if self.lst is None or self.kind != block.kind:
            self.lst = self.parent.add("L", attributes={"O": "List",
                                                         "ListNumbering": "Decimal" if numbered else "Disc"})
            self.kind = block.kind
        item = self.lst.add("LI")
        label = item.add("Lbl", actual_text=None if numbered else "•")
        marker = ("number", str(block.number)) if numbered else ("bullet", "")
        # as the HTML edition: an item's title is a heading where its section has one
        return label, item.add("LBody"), marker, "H3" if self.headed else "P"


def _section(doc: Document, setter: TextSetter, st: Styles, section, parent: Elem) -> list[Flowable]:
    """A section's heading (H2), paragraphs (P) and lists (L > LI > Lbl + LBody)."""
    parts: list[Flowable] = []
    indent = 11 * mm
    if section.heading:
        head = TextBlock(setter, _marked(section.heading), st.heading, keep_with_next=True,
                         label=section.heading.key, tag=parent.add("H2", _text_lang(doc, section.heading)))
        head.outline = (section.key, section.heading.text)
        parts.append(head)
    lists = ListTags(parent, bool(section.heading))
    for i, block in enumerate(section.blocks):
        if block.kind == "paragraph":
            parts.append(TextBlock(setter, _marked(block.text), st.body, keep_with_next=lead_in(section, i),
                                   label=block.text.key, tag=parent.add("P", _text_lang(doc, block.text))))
            lists.end()
            continue
        label, body, marker, title_role = lists.item(block)
        parts.append(TextBlock(setter, _marked(block.title), st.item_title, indent=indent, marker=marker,
                               marker_color=BRAND, keep_with_next=True, label=block.title.key,
                               tag=body.add(title_role, _text_lang(doc, block.title)), marker_tag=label))
        parts.append(TextBlock(setter, _marked(block.text), st.body, indent=indent, label=block.text.key,
                               tag=body.add("P", _text_lang(doc, block.text))))
    return parts


def _back_matter(doc: Document, setter: TextSetter, st: Styles, setter_for, root: Elem) -> list[Flowable]:
    ui = {k: _lang(doc, "en") for k in doc.english_ui}
    box = root.add("Sect")
    contact = [TextBlock(setter, doc.contacts_heading, st.heading, label="ui.contact.heading", keep_with_next=True,
                         tag=box.add("H2", ui.get("ui.contact.heading"))),
               TextBlock(setter, f"<b>{doc.clinic_name}</b>", st.body, label="clinic.name", tag=box.add("P"))]
    contact[0].spaceBefore = 0
    langs = doc.contact_langs or (doc.lang,) * len(doc.contacts)
    for (label, value), lang in zip(doc.contacts, langs):
        contact.append(TextBlock(setter, f"<b>{label}:</b> {value}", st.body, label="clinic",
                                 tag=box.add("P", _lang(doc, lang))))
    box = root.add("Sect")
    langs = [TextBlock(setter, doc.languages_heading, st.languages, label="ui.languages.heading",
                       keep_with_next=True, tag=box.add("H2", ui.get("ui.languages.heading")))]
    text_langs = doc.languages_text_langs or (doc.lang,) * len(doc.languages_text)
    langs += [TextBlock(setter, t, st.statement, label="ui.languages.text", tag=box.add("P", _lang(doc, lang)))
              for t, lang in zip(doc.languages_text, text_langs)]
    if doc.other_languages:
        names = box.add("L", attributes={"O": "List", "ListNumbering": "None"})
        tags = [names.add("LI", bcp47(code)).add("LBody") for code, _ in doc.other_languages]
        langs.append(LanguageList(setter, [(setter_for(code), name) for code, name in doc.other_languages],
                                  st.body, tags))
    sp = st.spacing
    contact_panel = Panel(contact, TINT, padding=sp.padding, label="contact", whole=sp.together)
    contact_panel.outline = ("contact", doc.contacts_heading)
    languages = Panel(langs, WHITE, padding=sp.padding, border=BRAND, label="languages", whole=sp.together)
    boxes = [contact_panel, Spacer(1, sp.between_boxes), languages]
    return [Spacer(1, sp.before_contact)] + ([KeepTogether(boxes)] if sp.together else boxes)


def measure_page(doc: Document, setter: TextSetter, st: Styles, root: Elem | None = None,
                 size: tuple[float, float] = PAGE, margin: float = MARGIN) -> Page:
    """The furniture's measures on a page of ``size``; the draft notice is content of ``root`` on the first page."""
    width = size[0] - 2 * margin
    root = Elem("Document") if root is None else root
    langs = doc.notice_langs or (doc.lang,) * len(doc.notices)
    blocks = [TextBlock(setter, n, st.notice, label="ui.draft-notice", tag=root.add("P", _lang(doc, lang)))
              for n, lang in zip(doc.notices, langs)]
    notice_h = sum(b.wrap(width - 16, 1e6)[1] for b in blocks) + (16 if blocks else 0)
    footer_h = sum(len(setter.lines(t, st.footer.size, width)) for t in footer_texts(doc, 99, 99)) \
        * st.footer.size * st.footer.leading
    return Page(setter, st, doc, blocks, notice_h, footer_h, size=size, margin=margin)


def footer_texts(doc: Document, page: int, pages: int) -> list[str]:
    dot = "  ·  "
    lines = [dot.join([doc.footer[0], doc.footer[1], doc.page_label.format(page=page, pages=pages)]),
             dot.join([doc.footer[2], doc.footer[3]])]
    if doc.approval:
        lines.append(doc.approval)
    return lines


def decorate(canvas, page: Page, number: int, total: int) -> None:
    """Draw the band, the notice and the footer of one page."""
    st, setter, doc = page.styles, page.setter, page.doc
    width, margin, (page_w, page_h) = page.width, page.margin, page.size
    rtl = setter.rtl
    top = page_h - BAND_TOP
    canvas.saveState()
    with artifact(canvas, "header"):
        canvas.setFillColor(BRAND)
        if page.bleed:          # to the trim edge and on into the bleed (cut off by the print shop)
            canvas.rect(-page.bleed, top - BAND_HEIGHT, page_w + 2 * page.bleed,
                        BAND_TOP + BAND_HEIGHT + page.bleed, stroke=0, fill=1)
        else:
            canvas.roundRect(margin, top - BAND_HEIGHT, width, BAND_HEIGHT, 5, stroke=0, fill=1)
        middle = (page_h + top - BAND_HEIGHT) / 2 if page.bleed else top - BAND_HEIGHT / 2   # of what is seen
        base = middle - st.band.size * 0.35
        name = setter.lines(doc.clinic_name, st.band.size, width * 0.6, True)[0]
        lang = setter.lines(doc.language_name, st.band.size - 1, width * 0.35)[0]
        inner_x, inner_w = margin + 5 * mm, width - 10 * mm
        draw_line(canvas, name, inner_x, base, inner_w, rtl, color_ops(WHITE))
        draw_line(canvas, lang, inner_x, base, inner_w, not rtl, color_ops(WHITE))
    if page.notice_blocks:
        _notice(canvas, page, top - BAND_HEIGHT - 4 * mm, width, number)
    with artifact(canvas, "footer"):
        fy = FOOTER_BOTTOM + page.footer_height
        canvas.setStrokeColor(BRAND)
        canvas.setLineWidth(0.8)
        canvas.line(margin, fy + 3 * mm, margin + width, fy + 3 * mm)
        lh = st.footer.size * st.footer.leading
        y = fy - st.footer.size
        for text in footer_texts(doc, number, total):
            for line in setter.lines(text, st.footer.size, width):
                draw_line(canvas, line, margin, y, width, rtl, color_ops(GREY))
                y -= lh
    canvas.restoreState()


def _notice(canvas, page: Page, y_top: float, width: float, number: int) -> None:
    """The draft notice: content on the first page (its blocks are tagged), furniture on the others."""
    with artifact(canvas):
        canvas.setFillColor(ALERT_TINT)
        canvas.setStrokeColor(ALERT)
        canvas.setLineWidth(1.5)
        canvas.roundRect(page.margin, y_top - page.notice_height, width, page.notice_height, 5, stroke=1, fill=1)
    with artifact(canvas, "header") if number > 1 else nullcontext():
        y = y_top - 8
        for block in page.notice_blocks:
            y -= block.height
            block.drawOn(canvas, page.margin + 8, y)


def check_panels(flowables: list[Flowable], page: Page) -> None:
    width = page.width
    for f in flowables:
        if isinstance(f, Panel):
            f.frame_height = page.frame_top - page.frame_bottom
            for part in f.content:           # a box splits between its parts; each part must fit
                check_fits(part, width - 2 * f.padding, page.frame_top - page.frame_bottom - 2 * f.padding,
                           f"a part of the box “{f.label}”")
