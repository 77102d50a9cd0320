"""Reading a tagged PDF back: its structure tree (pikepdf) and the text of each marked-content
sequence (pdfminer, in content-stream order, /ActualText honoured as ISO 32000 says)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

# operators that paint: text showing, path painting, shadings, XObjects, inline images
PAINTS = {"Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "Do", "INLINE IMAGE"}
TEXT_SHOWS = {"Tj", "TJ", "'", '"'}


@dataclass
class Node:
    role: str
    obj: pikepdf.Dictionary
    lang: str | None = None
    actual_text: str | None = None
    attributes: dict = field(default_factory=dict)
    kids: list = field(default_factory=list)      # Node, or (page index, MCID)

    def walk(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.walk()

    def content(self) -> list[tuple[int, int]]:
        return [k for k in self.kids if not isinstance(k, Node)]

    def text(self, marks: dict[tuple[int, int], str]) -> str:
        if self.actual_text is not None:
            return self.actual_text
        return "".join(k.text(marks) if isinstance(k, Node) else marks.get(k, "") for k in self.kids)


def _str(value) -> str | None:
    return None if value is None else str(value)


def structure(pdf: pikepdf.Pdf) -> Node:
    """The Document element and everything under it."""
    pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}

    def build(elem: pikepdf.Dictionary, page: int | None) -> Node:
        if "/Pg" in elem:
            page = pages[elem.Pg.objgen]
        attrs = elem.get("/A")
        node = Node(str(elem.S)[1:], elem, _str(elem.get("/Lang")), _str(elem.get("/ActualText")),
                    {str(k)[1:]: str(v) for k, v in attrs.items()} if attrs is not None else {})
        kids = elem.get("/K")
        for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]):
            if isinstance(kid, int):
                node.kids.append((page, kid))
            elif kid.get("/Type") == pikepdf.Name.MCR:
                node.kids.append((pages[kid.Pg.objgen], int(kid.MCID)))
            else:
                node.kids.append(build(kid, page))
        return node

    root = pdf.Root.StructTreeRoot
    assert not isinstance(root.K, pikepdf.Array) or len(root.K) == 1
    return build(root.K[0] if isinstance(root.K, pikepdf.Array) else root.K, None)


class _Marks(PDFDevice):
    """Collects the text of every marked-content sequence with an MCID, and of artifacts, per page."""

    def __init__(self, rsrcmgr):
        super().__init__(rsrcmgr)
        self.page = -1
        self.stack: list[dict] = []
        self.marks: dict[tuple[int, int], str] = {}
        self.artifacts: dict[int, str] = {}
        self.unmarked = ""

    def begin_page(self, page, ctm):
        self.page += 1

    def begin_tag(self, tag, props=None):
        props = resolve1(props) if props is not None else {}
        props = props if isinstance(props, dict) else {}
        actual = props.get("ActualText")
        self.stack.append({"tag": tag.name, "mcid": props.get("MCID"), "text": "",
                           "actual": None if actual is None else decode_text(resolve1(actual))})

    def end_tag(self):
        top = self.stack.pop()
        text = top["actual"] if top["actual"] is not None else top["text"]
        if top["mcid"] is not None:
            self.marks[(self.page, top["mcid"])] = text
        if top["tag"] == "Artifact":
            self.artifacts[self.page] = self.artifacts.get(self.page, "") + text
        if self.stack:
            self.stack[-1]["text"] += text

    def render_string(self, textstate, seq, ncs, graphicstate):
        font, text = textstate.font, ""
        for obj in seq:
            if isinstance(obj, bytes):
                for cid in font.decode(obj):
                    try:
                        text += font.to_unichr(cid)
                    except Exception:
                        pass
        if self.stack:
            self.stack[-1]["text"] += text
        else:
            self.unmarked += text


def marked_texts(path: Path) -> _Marks:
    with open(path, "rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        rsrc = PDFResourceManager()
        device = _Marks(rsrc)
        interpreter = PDFPageInterpreter(rsrc, device)
        for page in PDFPage.create_pages(doc):
            interpreter.process_page(page)
    return device


def norm(text: str) -> str:
    """Text as a reader hears it, for comparison: NFC, without spaces and format characters
    (RLM/LRM carriers of the text layer, and the spaces a line break takes away)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def content_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Painting outside marked content (neither tagged nor artifact), MCID sequences nested in
    each other or in artifacts, and marked content crossing a text object's bounds."""
    problems = []
    for index, page in enumerate(pdf.pages):
        stack: list[tuple[str, bool, int]] = []     # (tag, has MCID, BT depth when opened)
        in_text = 0
        for item in pikepdf.parse_content_stream(page):
            if isinstance(item, pikepdf.ContentStreamInlineImage):
                op, operands = "INLINE IMAGE", []
            else:
                op, operands = str(item.operator), item.operands
            where = f"page {index + 1}: {op}"
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                mcid = op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]
                if mcid and any(m or t == "/Artifact" for t, m, _ in stack):
                    problems.append(f"{where}: MCID sequence nested in another marked sequence")
                if tag == "/Artifact" and any(m for _, m, _ in stack):
                    problems.append(f"{where}: artifact inside tagged content")
                stack.append((tag, mcid, in_text))
            elif op == "EMC":
                if not stack or stack[-1][2] != in_text:
                    problems.append(f"{where}: EMC unbalanced or across BT/ET")
                else:
                    stack.pop()
            elif op == "BT":
                in_text += 1
            elif op == "ET":
                if stack and stack[-1][2] == in_text:
                    problems.append(f"{where}: marked content open at ET")
                in_text -= 1
            elif op in PAINTS and not any(m or t == "/Artifact" for t, m, _ in stack):
                problems.append(f"{where}: neither tagged nor artifact")
        if stack:
            problems.append(f"page {index + 1}: {len(stack)} marked sequences left open")
    return problems


def xmp_value(xmp: str, name: str) -> str | None:
    m = re.search(rf"<{name}>(.*?)</{name}>", xmp, re.S)
    return None if m is None else re.sub(r"<[^>]+>", "", m.group(1)).strip()
