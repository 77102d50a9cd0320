"""Tagged PDF (PDF/UA-1, ISO 14289-1): the structure tree and the marked content of the pages.

Layout builds the tree in reading order, the order of the source, while it makes
the flowables (:class:`Elem`, one per heading, paragraph, list, item …); each
flowable keeps the element its content belongs to. Drawing marks the content:

- ``with tagged(canvas, elem):`` wraps what draws an element's content in
  ``/Role <</MCID n>> BDC … EMC`` and records (page, n) as one of its kids: a
  paragraph split across two pages is one element with content on both;
- ``with artifact(canvas, kind):`` wraps page furniture (band, footer, page
  numbers) and decoration (backgrounds, rules, badge circles) in
  ``/Artifact … BDC … EMC``. Inside an artifact ``tagged`` marks nothing: the
  draft notice is content on the first page and furniture on the others.

Marked content encloses whole ``BT … ET`` text objects. Where the text layer
has marked content of its own (``/Span <</ActualText …>> BDC … EMC``), the
element's content is instead marked piece by piece inside each text object,
each span getting an MCID of its own: nothing nests in a tagged sequence,
because poppler (``pdfinfo -struct-text``; 22.12 here, and its source today)
ends an MCID's text at the first nested EMC. At save, :meth:`Tagger.write` adds
the StructTreeRoot, the elements, the ParentTree, ``/MarkInfo``,
``/ViewerPreferences`` and the XMP metadata (title, ``pdfuaid:part 1``) to the
document; :meth:`Tagger.add_page` gives each page ``/StructParents`` and
``/Tabs /S``.
"""
from __future__ import annotations

import html
import re
from contextlib import contextmanager

from . import rlconfig  # noqa: F401,I001 - first: ReportLab must not read the user's settings
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFStream

ARTIFACTS = {   # kind → the artifact's property list
    "layout": "<</Type /Layout>>",
    "header": "<</Type /Pagination /Subtype /Header>>",
    "footer": "<</Type /Pagination /Subtype /Footer>>",
    "marks": "<</Type /Page>>",           # production aids outside the page: the print edition's crop marks
}


def bcp47(lang: str) -> str:
    """CLDR code → BCP 47 language tag (``zh_Hans`` → ``zh-Hans``)."""
    return lang.replace("_", "-")


class Elem:
    """A structure element: a standard role, its kids (elements, or (page, MCID) content) and attributes."""

    __slots__ = ("role", "kids", "lang", "actual_text", "attributes")

    def __init__(self, role: str, lang: str | None = None, actual_text: str | None = None,
                 attributes: dict[str, str] | None = None):
        self.role = role
        self.kids: list[Elem | tuple[int, int]] = []
        self.lang = lang                  # BCP 47, only where it differs from its ancestors'
        self.actual_text = actual_text
        self.attributes = attributes      # e.g. {"O": "List", "ListNumbering": "Decimal"}

    def add(self, role: str, lang: str | None = None, actual_text: str | None = None,
            attributes: dict[str, str] | None = None) -> Elem:
        kid = Elem(role, lang, actual_text, attributes)
        self.kids.append(kid)
        return kid

    def has_content(self) -> bool:
        return any(isinstance(k, tuple) or k.has_content() for k in self.kids)


class Tagger:
    """One document's structure tree, marked-content IDs and page references."""

    def __init__(self, lang: str):
        self.lang = bcp47(lang)
        self.root = Elem("Document")
        self._marks: dict[int, list[Elem]] = {}   # page index → the element of each MCID
        self._pages: dict[int, object] = {}        # page index → reference to the page object
        self.artifact_depth = 0
        self.xmp_extra = ""     # more XMP (an rdf:Description): the print edition's PDF/X identification

    def mark(self, page: int, elem: Elem) -> int:
        marks = self._marks.setdefault(page, [])
        marks.append(elem)
        elem.kids.append((page, len(marks) - 1))
        return len(marks) - 1

    def marks_on(self, page: int) -> list[Elem]:
        """The element of each MCID on a page, in MCID order."""
        return list(self._marks.get(page, []))

    def move_content(self, moved: dict[tuple[int, int], tuple[int, int]], marks: dict[int, list[Elem]]) -> None:
        """Content moved to other pages (the booklet's sheets): ``moved`` maps every (page, MCID) to its
        new (page, MCID), ``marks`` gives the new pages' elements in MCID order. The tree does not change."""
        self._marks = marks
        for elem in _preorder(self.root):
            elem.kids = [moved[k] if isinstance(k, tuple) else k for k in elem.kids]

    def add_page(self, canvas, page) -> None:
        """Called as each page object is made: /StructParents (its ParentTree key) and /Tabs."""
        index = canvas.getPageNumber() - 1
        self._pages[index] = canvas._doc.thisPageRef()
        page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = index
        page.Tabs = PDFName("S")

    def write(self, doc) -> None:
        """Add the structure tree and what PDF/UA asks of the catalog to ReportLab's PDFDocument.

        The tree's objects are written as they are made (object numbers are known as soon as
        ReportLab registers an object): its generic dictionaries cost more than the tree's worth.
        """
        def number(ref) -> str:
            return "%d %d R" % doc.idToObjectNumberAndVersion[ref.name]

        root = _Raw()
        root_ref = doc.Reference(root)
        elems = [e for e in _preorder(self.root) if e is self.root or e.has_content()]
        objs = {id(e): _Raw() for e in elems}
        refs = {id(e): number(doc.Reference(objs[id(e)])) for e in elems}
        pages = {i: number(ref) for i, ref in self._pages.items()}
        parents = {id(k): refs[id(e)] for e in elems for k in e.kids if isinstance(k, Elem)}
        parents[id(self.root)] = number(root_ref)
        for e in elems:
            objs[id(e)].text = self._element(e, refs, parents[id(e)], pages)
        nums = []
        for page in sorted(self._pages):
            kids = _Raw("[" + " ".join(refs[id(e)] for e in self._marks.get(page, [])) + "]")
            nums.append(f"{page} {number(doc.Reference(kids))}")
        root.text = (f"<</Type /StructTreeRoot /K {refs[id(self.root)]} /ParentTree <</Nums [{' '.join(nums)}]>> "
                     f"/ParentTreeNextKey {len(self._pages)}>>")
        cat = doc.Catalog
        cat.StructTreeRoot = root_ref
        cat.MarkInfo = PDFDictionary({"Marked": "true"})
        cat.ViewerPreferences = PDFDictionary({"DisplayDocTitle": "true"})
        cat.Metadata = xmp_stream(doc, self.lang, self.xmp_extra)

    @staticmethod
    def _element(elem: Elem, refs: dict[int, str], parent: str, pages: dict[int, str]) -> str:
        kids, first = [], None
        for kid in elem.kids:
            if isinstance(kid, Elem):
                if id(kid) in refs:
                    kids.append(refs[id(kid)])
                continue
            page, mcid = kid
            if first is None:
                first = page
            kids.append(str(mcid) if page == first else f"<</Type /MCR /Pg {pages[page]} /MCID {mcid}>>")
        out = [f"<</Type /StructElem /S {PDFName(elem.role)} /P {parent}"]
        if first is not None:
            out.append(f"/Pg {pages[first]}")
        out.append(f"/K {kids[0]}" if len(kids) == 1 else f"/K [{' '.join(kids)}]")
        if elem.lang:
            out.append(f"/Lang {_text(elem.lang)}")
        if elem.actual_text:
            out.append(f"/ActualText {_text(elem.actual_text)}")
        if elem.attributes:
            out.append("/A <<" + " ".join(f"{PDFName(k)} {PDFName(v)}" for k, v in elem.attributes.items()) + ">>")
        return " ".join(out) + ">>"


class _Raw(PDFObject):
    """A PDF object written as it was made (no encryption here: the leaflets are never encrypted)."""

    def __init__(self, text: str = ""):
        self.text = text

    def format(self, document):
        return self.text.encode("latin-1")


def _preorder(elem: Elem):
    yield elem
    for kid in elem.kids:
        if isinstance(kid, Elem):
            yield from _preorder(kid)


def _text(text: str) -> str:
    """A PDF text string: UTF-16BE with its byte-order mark, in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


@contextmanager
def tagged(canvas, elem: Elem | None):
    """Mark what the block draws as content of ``elem`` (nothing on an untagged canvas or in an artifact)."""
    tagger = getattr(canvas, "tagger", None)
    if tagger is None or elem is None or tagger.artifact_depth:
        yield
        return
    page = canvas.getPageNumber() - 1
    mcid = tagger.mark(page, elem)
    code = canvas._code
    start = len(code)
    code.append(f"/{elem.role} <</MCID {mcid}>> BDC")
    yield
    if not any("BDC" in c or "BMC" in c for c in code[start + 1:]):
        code.append("EMC")
        return
    pieces = [_pieces(c) for c in code[start + 1:]]
    if None in pieces:    # deeper nesting: left as it is (valid PDF, but poppler's text of it ends early)
        code.append("EMC")
        return
    ids = _mcids(mcid, lambda: tagger.mark(page, elem))
    code[start:] = [_flatten(p, elem.role, ids) for p in pieces]


@contextmanager
def artifact(canvas, kind: str = "layout"):
    """Mark what the block draws as an artifact: page furniture or decoration."""
    tagger = getattr(canvas, "tagger", None)
    if tagger is None or tagger.artifact_depth:
        yield
        return
    canvas.addLiteral(f"/Artifact {ARTIFACTS[kind]} BDC")
    tagger.artifact_depth += 1
    try:
        yield
    finally:
        tagger.artifact_depth -= 1
    canvas.addLiteral("EMC")


# a text object's bounds, or one marked-content sequence of the text layer, whole
_PIECES = re.compile(r"(\bBT\b|\bET\b|/[^\s/<>\[\]()]+\s*(?:<<.*?>>\s*BDC|BMC)\b.*?\bEMC\b)", re.S)
_OPENS_WITH_DICT = re.compile(r"/[^\s/<>\[\]()]+\s*<<")
_PAINTS = re.compile(r"(?:^|\s)(?:Tj|TJ|'|\"|f\*?|F|B\*?|b\*?|S|s|sh|Do)(?=\s|$)")


def _mcids(first: int, more):
    yield first
    while True:
        yield more()


_TOKENS = re.compile(r"(?:BT|ET|BDC|BMC|EMC)\b")     # (a leading \b would make re try every character)
_GLUED = re.compile(r"(?:BT|ET|BDC|BMC|EMC)\w")    # such letters with more after them (a glyph code <BDC0>)
_TAG = re.compile(r"/[^\s/<>\[\]()]+\s*")
_DICT_END = re.compile(r">>\s*")


def _pieces(code: str) -> list[str] | None:
    """``code`` split at text-object bounds and around the text layer's marked-content sequences
    (odd items); None if those nest in each other. As ``_PIECES.split``, but that regex tries every
    character of a right-to-left line's thousands of one-glyph text objects: this walks the operators
    that matter (a fifth of the time), and leaves to the regex anything not written as the drawing
    code writes it, and any code where an operator's letters run into a longer word (``BDCBT``,
    ``<0BDC>``: the regex's lazy match may reach across them)."""
    if _GLUED.search(code):
        return _split(code)               # an operator's letters inside a longer word: as the regex finds it
    parts, pos, start = [], 0, None       # start: where the open marked-content sequence began
    for m in _TOKENS.finditer(code):
        at = m.start()
        if at and (code[at - 1].isalnum() or code[at - 1] == "_"):
            return _split(code)
        token = m.group()
        if start is None:
            if token == "BT" or token == "ET":
                parts += [code[pos:at], token]
                pos = m.end()
            elif token != "EMC":
                start = _tag_start(code, pos, at, token)
                if start is None:
                    return _split(code)
        elif token == "EMC":
            parts += [code[pos:start], code[start:m.end()]]
            pos, start = m.end(), None
        elif token == "BDC" or token == "BMC":
            return _split(code)           # nested (or not closed): as the regex finds it
    if start is not None:
        return _split(code)
    parts.append(code[pos:])
    return parts


def _tag_start(code: str, lo: int, at: int, token: str) -> int | None:
    """Where the ``/Tag [<<...>>] BDC|BMC`` operator ending at ``at`` begins (None: not as drawn here)."""
    end = at
    if token == "BDC":
        end = code.rfind("<<", lo, at)
        if end < 0 or not _DICT_END.fullmatch(code, code.rfind(">>", end, at), at):
            return None
    start = code.rfind("/", lo, end)
    return start if start >= 0 and _TAG.fullmatch(code, start, end) else None


_OPENS = re.compile(r"\b(?:BDC|BMC)\b")


def _split(code: str) -> list[str] | None:
    """The regex's split (see :func:`_pieces`); None if marked content nests. Operators are counted as
    words: a glyph code written ``<..DBDC..>`` in a Malayalam line is no ``BDC`` (it once made a
    line be taken for nested content and left unflattened)."""
    parts = _PIECES.split(code)
    if any(len(_OPENS.findall(p)) > 1 for p in parts[1::2]):
        return None
    return parts


def _flatten(parts: list[str], role: str, ids) -> str:
    """The pieces with nothing nested in tagged content: each run of operators that paints in a
    ``/role <</MCID n>>`` sequence, each of the text layer's sequences given an MCID of its own."""
    out = []
    for i, part in enumerate(parts):
        if not i % 2:
            out.append(f"\n/{role} <</MCID {next(ids)}>> BDC\n{part}\nEMC\n" if _PAINTS.search(part) else part)
        elif part == "BT" or part == "ET" or part.startswith("/Artifact"):
            out.append(part)             # (an artifact is no longer inside tagged content: as it is)
        elif _OPENS_WITH_DICT.match(part):
            out.append(part.replace("<<", f"<</MCID {next(ids)} ", 1))
        else:
            name, rest = part.split("BMC", 1)
            out.append(f"{name.rstrip()} <</MCID {next(ids)}>> BDC{rest}")
    return "".join(out)


def _xml(text: str) -> str:
    """XML's &, < and > escaped (as xml.sax.saxutils.escape, whose import loads urllib, http and email)."""
    return html.escape(text, quote=False)


def xmp_date(ts) -> str:
    """ReportLab's time stamp (that of the information dictionary's dates) as an XMP date."""
    return "%04d-%02d-%02dT%02d:%02d:%02d" % tuple(ts.YMDhms) + "%+03d:%02d" % (ts.dhh, ts.dmm)


def xmp_stream(doc, lang: str, extra: str = "", pdfua: bool = True) -> PDFStream:
    """XMP metadata matching the document information dictionary, claiming PDF/UA-1 (unless not
    ``pdfua``); ``extra``, more rdf:Description elements, is added as it is."""
    info = doc.info
    date = xmp_date(doc._timeStamp)

    def alt(text: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{_xml(text)}</rdf:li></rdf:Alt>'

    xml = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title>{alt(info.title)}</dc:title>
<dc:creator><rdf:Seq><rdf:li>{_xml(info.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description>{alt(info.subject)}</dc:description>
<dc:language><rdf:Bag><rdf:li>{_xml(lang)}</rdf:li></rdf:Bag></dc:language>
<pdf:Producer>{_xml(info.producer)}</pdf:Producer>
<pdf:Keywords>{_xml(info.keywords)}</pdf:Keywords>
<xmp:CreatorTool>{_xml(info.creator)}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
{"<pdfuaid:part>1</pdfuaid:part>" if pdfua else ""}
</rdf:Description>{extra}
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    stream = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                       xml.encode("utf-8"))
    return stream
