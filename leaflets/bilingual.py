"""The bilingual edition: the translation and the English side by side, block by block.

For clinicians, interpreters and the reviewer who approves a translation (``approve`` names this
file as the review copy). Every block of the leaflet (title, subtitle, headings, paragraphs, list
items, the summary box, the contact and languages boxes) is a :class:`Pair`: the block in the
language and the same message (the same key) in English, each set by its own language's
:class:`TextSetter` (fonts, direction, line breaking), their first baselines level. A pair that
does not fit splits both sides at the page's foot and both go on at the top of the next page.

The translation's column is on the side its reading starts from: the left for left-to-right
languages, the right for right-to-left ones (whose page furniture is mirrored as in the standard
edition); the English takes the other. Each column is headed, on every page, with its language's
name in its own script (page furniture). In the structure tree each pair is the translation's
element, then the English one (``/Lang en``): a screen reader hears a block, then its English. In
the content stream each side of a pair is drawn whole, the translation first.

Reads no files: it gets the two translated documents (:mod:`translate`) and the setters.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from . import rlconfig  # noqa: F401,I001 - first: ReportLab must not read the user's settings
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from .draw import draw_line
from .errors import LayoutError
from .flowables import LanguageList, Panel, Room, TextBlock, color_ops, keep_with_next
from .layout import BRAND, TINT, WHITE, ListTags, Page, Styles, lead_in
from .tagging import Elem, artifact, bcp47
from .text import TextSetter
from .translate import SOURCE_LANGUAGE, Document, Text

GUTTER = 9 * mm                 # between the columns: wide enough that text extractors see two columns
HEAD_SIZE = 13                  # the columns' headers: the language's own name, bold
PITCH = 1.45                    # the line pitch in the columns, in em (see :func:`pitch`)
TALL = 1.7                      # a script whose font needs more than this keeps its own pitch


def pitch(line_height: float) -> float:
    """The line pitch of a column: text extractors that read by position (poppler's pdftotext) make a
    block of lines less than 1.5 em apart, and a script set wider than that (Arabic, the Indic scripts,
    Thai, Chinese, Japanese and Korean at 1.6 to 1.7 em) is read a line at a time, its lines
    interleaved with the other column's. 1.45 em keeps every column one block; only Nastaliq (Urdu,
    2.1 em) needs more than the 1.7 em of Thai and keeps its own."""
    return line_height if line_height > TALL else min(line_height, PITCH)
EN = bcp47(SOURCE_LANGUAGE)


class ColumnBlock(TextBlock):
    """A block in a column. A list item's number is as large as its text: poppler takes a line whose
    first word is smaller (by 5 % of the size) for the start of a block of its own, and on a page of
    two columns it then reads the English of the item before the rest of its translation."""

    marker_scale = 1.0


class EnglishBlock(ColumnBlock):
    """The English side of a pair: its list marker is decoration (the translation's is the label)."""

    def _draw_marker(self, centre_y: float):
        with artifact(self.canv):
            super()._draw_marker(centre_y)


def _lead(block: TextBlock) -> float:
    """From a block's top to its first baseline (as :meth:`TextBlock.draw` places it)."""
    lh, size = block.line_height, block.style.size
    return lh - (lh - size) / 2 - size * 0.22


class Pair(Flowable):
    """The same message in the translation and in English, side by side, first baselines level.

    ``translation_right``: the translation's column is the right one (right-to-left languages).
    Either side may be None (the rest of a split pair whose other side ended on the page before).
    """

    def __init__(self, translation: TextBlock | None, english: TextBlock | None, translation_right: bool):
        super().__init__()
        self.sides = (translation, english)
        self.translation_right = translation_right
        blocks = [b for b in self.sides if b is not None]
        self.spaceBefore = max(b.getSpaceBefore() for b in blocks)
        self.spaceAfter = max(b.getSpaceAfter() for b in blocks)
        self.keepWithNext = any(getattr(b, "keepWithNext", False) for b in blocks)
        self.line_height = max(b.line_height for b in blocks)
        self.label = next(b.label for b in blocks)
        self.outline = getattr(translation, "outline", None)

    def _columns(self, width: float) -> tuple[float, float, float]:
        """(the translation's x, the English x, the columns' width)."""
        column = (width - GUTTER) / 2
        far = column + GUTTER
        return (far, 0.0, column) if self.translation_right else (0.0, far, column)

    def _drops(self) -> list[float]:
        leads = [_lead(b) if b is not None else 0.0 for b in self.sides]
        top = max(leads)
        return [top - lead for lead in leads]

    def wrap(self, avail_width, avail_height):
        column = self._columns(avail_width)[2]
        height = 0.0
        for block, drop in zip(self.sides, self._drops()):
            if block is not None:
                height = max(height, drop + block.wrap(column, avail_height)[1])
        self.width, self.height = avail_width, height
        return self.width, self.height

    def split(self, avail_width, avail_height):
        """Both sides at the page's foot (each keeping its own widow and orphan rules), or not at all."""
        column = self._columns(avail_width)[2]
        firsts, rests = [], []
        for block, drop in zip(self.sides, self._drops()):
            if block is None:
                firsts.append(None)
                rests.append(None)
                continue
            _, h = block.wrap(column, avail_height)
            if h <= avail_height - drop:
                firsts.append(block)
                rests.append(None)
                continue
            parts = block.split(column, avail_height - drop)
            if len(parts) != 2:
                return []
            firsts.append(parts[0])
            rests.append(parts[1])
        if all(r is None for r in rests) or all(f is None for f in firsts):
            return []
        first, rest = Pair(*firsts, self.translation_right), Pair(*rests, self.translation_right)
        first.spaceAfter, rest.spaceBefore = 0, 0
        first.outline, rest.outline = self.outline, None
        return [first, rest]

    def draw(self):
        x_tr, x_en, _ = self._columns(self.width)
        canvas = self.canv
        before, canvas.in_column = getattr(canvas, "in_column", False), True    # draw.py: the text layer's
        try:                                                                      # marks stay in the column
            for block, x, drop in zip(self.sides, (x_tr, x_en), self._drops()):
                if block is not None:   # each side whole, the translation first: a column's lines stay together
                    block.drawOn(canvas, x, self.height - drop - block.height)
        finally:
            canvas.in_column = before


class PairRoom(Room):
    """:class:`Room` for pairs: a heading pair stays with the first two lines of the pair after it. A
    pair of four lines or more after the first may split after its first two: what follows it need not
    be on this page (a section's heading, its long introduction, then its first list item)."""

    def wrap(self, avail_width, avail_height):
        need = 0.0
        for k, f in enumerate(self.group):
            _, h = f.wrap(avail_width, 1e6)
            if k and isinstance(f, Pair) and h > 3.5 * f.line_height:
                need += 2 * f.line_height + max(f._drops()) + f.getSpaceBefore()
                break
            need += h + f.getSpaceBefore() + (f.getSpaceAfter() if k < len(self.group) - 1 else 0)
        frame = self._doctemplateAttr("frame")
        if avail_height < need and frame is not None and not getattr(frame, "_atTop", False):
            from reportlab.platypus.doctemplate import FrameBreak
            frame.add_generated_content(FrameBreak)
        return 0, 0


def keep_pairs(flowables: list[Flowable]) -> list[Flowable]:
    """A :class:`PairRoom` before each run of keep-with-next pairs."""
    return keep_with_next(flowables, Pair, PairRoom)


@dataclass
class BilingualPage(Page):
    """The standard page's furniture, and room under it for the columns' headers."""
    head: float = 0.0
    english: Document | None = None
    english_setter: TextSetter | None = None

    @property
    def frame_top(self) -> float:
        return super().frame_top - self.head


def _marked(t: Text) -> str:
    return f"<b>[EN]</b> {t.text}" if t.in_english else t.text


class Bilingual:
    """One leaflet's bilingual edition: its page and its story, from the two documents."""

    def __init__(self, doc: Document, english: Document, setter: TextSetter, english_setter: TextSetter,
                 styles: Styles, english_styles: Styles):
        if english is None or english.lang != SOURCE_LANGUAGE or english.leaflet_id != doc.leaflet_id:
            raise LayoutError(f"{doc.lang}, bilingual edition: needs the English document of {doc.leaflet_id}")
        if doc.lang == SOURCE_LANGUAGE:
            raise LayoutError("the English has no bilingual edition")
        self.doc, self.en = doc, english
        self.setter, self.en_setter = setter, english_setter
        self.st, self.en_st = styles, english_styles
        self.right = doc.rtl

    # --- the page ---------------------------------------------------------------------------------

    def page(self, page: Page) -> BilingualPage:
        lines = max(len(s.lines(name, HEAD_SIZE, 1e6, True)) for s, name in self._heads())
        head = lines * HEAD_SIZE * max(self.setter.chain.line_height, self.en_setter.chain.line_height) + 5 * mm
        fields = {f.name: getattr(page, f.name) for f in dataclasses.fields(page)}
        return BilingualPage(**fields, head=head, english=self.en, english_setter=self.en_setter)

    def _heads(self) -> list[tuple[TextSetter, str]]:
        return [(self.setter, self.doc.language_name), (self.en_setter, self.en.language_name)]

    def draw_heads(self, canvas, page: BilingualPage) -> None:
        """The columns' headers, on every page (furniture): each language's name in its own script."""
        width, margin = page.width, page.margin
        column = (width - GUTTER) / 2
        far = margin + column + GUTTER
        xs = (far, margin) if self.right else (margin, far)
        top = Page.frame_top.fget(page)
        canvas.saveState()
        with artifact(canvas, "header"):
            for (setter, name), x in zip(self._heads(), xs):
                line = setter.lines(name, HEAD_SIZE, column, True)[0]
                draw_line(canvas, line, x, top - HEAD_SIZE, column, setter.rtl, color_ops(BRAND))
                canvas.setStrokeColor(BRAND)
                canvas.setLineWidth(0.8)
                rule = top - page.head + 3 * mm
                canvas.line(x, rule, x + column, rule)
        canvas.restoreState()

    # --- the story --------------------------------------------------------------------------------

    def _lang(self, t: Text) -> str | None:
        return EN if t.in_english else None

    def _pair(self, t: Text, e: Text, style: str, parent: Elem, role: str, **kw) -> Pair:
        """A pair of blocks for message ``t`` and its English ``e``, both elements under ``parent``."""
        if t.key != e.key:
            raise LayoutError(f"{self.doc.lang}, bilingual edition: {t.key} has no English beside it ({e.key})")
        marker_tag = kw.pop("marker_tag", None)
        tr = ColumnBlock(self.setter, _marked(t), getattr(self.st, style), label=t.key,
                       tag=parent.add(role, self._lang(t)), marker_tag=marker_tag, **kw)
        en = EnglishBlock(self.en_setter, e.text, getattr(self.en_st, style), label=e.key,
                          tag=parent.add(role, EN), **kw)
        return Pair(tr, en, self.right)

    def _plain(self, text: str, english: str, style: str, parent: Elem, role: str, label: str,
               lang: str | None = None, english_lang: str | None = EN, **kw) -> Pair:
        """A pair of interface texts (already in their languages: ``lang`` if it is English)."""
        tr = ColumnBlock(self.setter, text, getattr(self.st, style), label=label, tag=parent.add(role, lang), **kw)
        en = EnglishBlock(self.en_setter, english, getattr(self.en_st, style), label=label,
                          tag=parent.add(role, english_lang), **kw)
        return Pair(tr, en, self.right)

    def story(self, setter_for, root: Elem) -> list[Flowable]:
        doc, en = self.doc, self.en
        out: list[Flowable] = [self._pair(doc.title, en.title, "title", root, "H1")]
        if doc.subtitle and en.subtitle:
            out.append(self._pair(doc.subtitle, en.subtitle, "subtitle", root, "P"))
        if len(doc.sections) != len(en.sections):
            raise LayoutError(f"{doc.lang}, bilingual edition: the sections differ from the English's")
        for section, english in zip(doc.sections, en.sections):
            parent = root.add("Sect") if section.style == "summary" else root
            parts = self._section(section, english, parent)
            if section.style == "summary":
                if parts and parts[0].outline:
                    parts[0].spaceBefore = 0
                panel = Panel(parts, TINT, padding=14, label=section.key)
                panel.outline = parts[0].outline if parts else None
                out.extend([Spacer(1, 14), panel])
            else:
                out.extend(parts)
        out.extend(self._back_matter(setter_for, root))
        return keep_pairs(out)

    def _section(self, section, english, parent: Elem) -> list[Flowable]:
        parts: list[Flowable] = []
        indent = 11 * mm
        if section.heading and english.heading:
            head = self._pair(section.heading, english.heading, "heading", parent, "H2", keep_with_next=True)
            head.outline = (section.key, section.heading.text)
            parts.append(head)
        if len(section.blocks) != len(english.blocks):
            raise LayoutError(f"{self.doc.lang}, bilingual edition: {section.key} differs from the English")
        lists = ListTags(parent, bool(section.heading))
        for i, (block, eng) in enumerate(zip(section.blocks, english.blocks)):
            if block.kind == "paragraph":
                parts.append(self._pair(block.text, eng.text, "body", parent, "P",
                                        keep_with_next=lead_in(section, i)))
                lists.end()
                continue
            label, body, marker, role = lists.item(block)
            parts.append(self._pair(block.title, eng.title, "item_title", body, role, indent=indent, marker=marker,
                                    marker_color=BRAND, keep_with_next=True, marker_tag=label))
            parts.append(self._pair(block.text, eng.text, "body", body, "P", indent=indent))
        return parts

    def _back_matter(self, setter_for, root: Elem) -> list[Flowable]:
        doc, en = self.doc, self.en
        ui = {k: EN for k in doc.english_ui}
        box = root.add("Sect")
        contact = [self._plain(doc.contacts_heading, en.contacts_heading, "heading", box, "H2", "ui.contact.heading",
                               ui.get("ui.contact.heading"), keep_with_next=True),
                   self._plain(f"<b>{doc.clinic_name}</b>", f"<b>{en.clinic_name}</b>", "body", box, "P",
                               "clinic.name", english_lang=None)]
        contact[0].spaceBefore = 0
        langs = doc.contact_langs or (doc.lang,) * len(doc.contacts)
        for (label, value), (en_label, en_value), lang in zip(doc.contacts, en.contacts, langs):
            contact.append(self._plain(f"<b>{label}:</b> {value}", f"<b>{en_label}:</b> {en_value}", "body", box,
                                       "P", "clinic", EN if lang == SOURCE_LANGUAGE else None))
        box = root.add("Sect")
        langs = [self._plain(doc.languages_heading, en.languages_heading, "languages", box, "H2",
                             "ui.languages.heading", ui.get("ui.languages.heading"), keep_with_next=True)]
        text_lang = (doc.languages_text_langs or (doc.lang,))[0]
        langs.append(self._plain(doc.languages_text[0], en.languages_text[0], "statement", box, "P",
                                 "ui.languages.text", EN if text_lang == SOURCE_LANGUAGE else None))
        if doc.other_languages:         # across both columns, as in the standard edition
            names = box.add("L", attributes={"O": "List", "ListNumbering": "None"})
            tags = [names.add("LI", bcp47(code)).add("LBody") for code, _ in doc.other_languages]
            langs.append(LanguageList(self.setter, [(setter_for(code), name) for code, name in doc.other_languages],
                                      self.st.body, tags))
        contact_panel = Panel(contact, TINT, padding=14, label="contact")
        contact_panel.outline = ("contact", doc.contacts_heading)
        languages = Panel(langs, WHITE, padding=14, border=BRAND, label="languages")
        return [Spacer(1, 16), contact_panel, Spacer(1, 12), languages]
