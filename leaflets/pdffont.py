"""TrueType subsets whose ToUnicode says what each drawn glyph stands for.

ReportLab encodes a TrueType font as 256-code subsets keyed by Unicode
character: the code of a glyph maps back (ToUnicode) to that one character.
Shaped text breaks this: a conjunct stands for several characters, a
contextual Arabic form has no character of its own (ReportLab then invents a
private-use one), and the same glyph can stand for different text in
different places.

:class:`TextFont` adds *glyph keys*: a private character (planes 15-16) per
(glyph, text, width) triple. A key draws its glyph like any character, and
the subset's ToUnicode maps its code to ``text``, which may be several
characters or none. Subsets are tagged (``AAAAAB+``) in one sequence per
document, so no two subsets of one file share a name. Widths are the PDF advance of the code; a zero width
gives a glyph that moves nothing (an invisible carrier of text).
"""
from __future__ import annotations

import os
import re
import zlib

from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

from . import rlconfig  # noqa: F401,I001 - first: ReportLab must not read the user's settings
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import SUBSETN, TTEncoding, TTFError, TTFont, TTFontFace

from .errors import FontError

from .memo import kept, recalled, remembered
from .metrics import load_metrics, save_metrics
from .subsets import SubsetStore
from .unhinted import unhinted

class _Deflate(pdfdoc.PDFStreamFilterZCompress):
    """ReportLab's Flate filter, remembering what it made of font programs: the languages box embeds
    the same subsets of a dozen fonts in every PDF, and deflating them again is most of the time
    spent compressing a leaflet. Only bytes (font programs) are remembered, never page text."""

    KEPT = 256
    PAGE_LEVEL = 3        # page text, made once: zlib's fast matcher, 2-3x quicker than its default (6) for
    #                       5-15 % more bytes (an Arabic page's 246 kB of operators: 42 kB at 6, 49 kB at 3)

    def __init__(self):
        self._made: dict[bytes, bytes] = {}

    def encode(self, text):
        if not isinstance(text, bytes):
            return zlib.compress(text.encode("utf8"), self.PAGE_LEVEL)
        if len(text) < 4096:
            return super().encode(text)
        return remembered(self._made, text, self.KEPT, lambda: super(_Deflate, self).encode(text))


pdfdoc.PDFZCompress = _Deflate()        # the same bytes out: a cache, not another compressor

_STORE: SubsetStore | None = None     # where formatted subsets are kept (:func:`keep_subsets_in`)


def keep_subsets_in(folder: Path | None) -> None:
    """Keep formatted subsets in ``folder`` (the project's ``.leaflets-cache/subsets``; None: nowhere).
    Fonts are registered once a process, whatever project drew them first: the store is the project's
    whose fonts were loaded last (one a process, but for tests)."""
    global _STORE
    _STORE = SubsetStore(folder) if folder is not None else None


KEY_FIRST = 0xF0000           # supplementary private use planes A and B
KEY_LAST = 0x10FFFD


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(subset: list[int], texts: dict[int, str], gids: list[int]) -> str:
    """A ToUnicode CMap for one subset: code ``i`` → ``texts[key]`` or the key's own character. It is
    named as ToUnicode CMaps conventionally are (``Adobe-Identity-UCS``), not after its font, so one
    subset's CMap is the same bytes in every PDF.

    A comment line names the font's glyph drawn by each code (``% glyphs g0 g1 …``): readers
    skip it; tests and people checking a file read what was drawn, which ToUnicode no longer says.
    """
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "% glyphs " + " ".join(map(str, gids)),
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
    ]
    pairs = []
    for code, key in enumerate(subset):
        text = texts.get(key)
        if text is None:
            text = chr(key) if key < KEY_FIRST else ""
        pairs.append(f"<{code:02X}> <{_utf16_hex(text)}>")
    for start in range(0, len(pairs), 100):      # at most 100 entries per block (CMap rule)
        chunk = pairs[start:start + 100]
        lines += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def _next_tag(doc) -> int:
    """The number of the document's next font subset (ReportLab numbers them per font)."""
    n = getattr(doc, "_leaflets_subsets", 0)
    doc._leaflets_subsets = n + 1
    return n


class _Keys:
    """Glyph keys of one font file, shared by the fonts drawn from it."""

    def __init__(self):
        self.keys: dict[tuple[int, str, float], str] = {}
        self.texts: dict[int, str] = {}
        self.next = KEY_FIRST


class _Face(TTFontFace):
    """ReportLab's parsed font, its tables' contents kept in ``metrics`` (a folder) once read: parsing
    the cmap, widths and glyph offsets of a CJK font in Python takes a third of a second, loading
    them back a few milliseconds (:mod:`metrics`).

    When they are kept, only the start of the file (its table directory) is read at first, and the
    whole file when a table is (a subset cut, text shaped): a leaflet that names Japanese in its
    languages box, with that subset kept (:mod:`subsets`) and Japanese needing no shaping, never reads
    the 5 MB font. The whole file is read only if it is still the file whose start was read (its
    size and modification time), else the build stops with :class:`FontError`."""

    SUBSETS = 64                  # font programs remembered per face (the languages box's, the same in
    #                               every PDF of a language; a body's subsets seldom recur: bounded small)
    HEAD = 1 << 14                # bytes read first (a font's table directory is at its start)

    def __init__(self, filename: str, subfont: int, metrics: Path | None):
        self._metrics = metrics
        self._subfont = subfont
        self._subsets: dict[tuple, bytes] = {}
        st = os.stat(filename)
        self._stamp = (os.path.basename(filename), st.st_size, st.st_mtime_ns, subfont)   # the file as read
        try:
            super().__init__(filename, validate=0, subfontIndex=subfont)
        except TTFError:
            if not self.__dict__.get("_partial"):
                raise
            self._whole()                     # a directory beyond the start: read as ReportLab reads it
            super().__init__(filename, validate=0, subfontIndex=subfont)
        if self.__dict__.get("_partial"):
            del self._ttf_data                # read whole when first asked for (__getattr__)

    def readFile(self, f):
        if "_ttf_data" not in self.__dict__:
            self.filename = f
            with open(f, "rb") as fh:
                head = fh.read(self.HEAD + 1)
                self._partial = self._metrics is not None and len(head) > self.HEAD
                self._ttf_data = head if self._partial else head + fh.read()
        self._pos = 0
        return self

    def __getattr__(self, name: str):
        if name == "_ttf_data" and self.__dict__.get("_partial"):
            return self._whole()
        raise AttributeError(name)

    def _whole(self) -> bytes:
        """The whole font file, if it is still the file that was opened."""
        try:
            with open(self.filename, "rb") as fh:
                st = os.fstat(fh.fileno())
                if (st.st_size, st.st_mtime_ns) != self._stamp[1:3]:
                    raise FontError("the font file changed while it was being used: build again",
                                    self.filename)
                data = fh.read()
        except OSError as exc:
            raise FontError(f"the font file can no longer be read ({exc.strerror}): build again",
                            self.filename) from None
        self._ttf_data, self._partial = data, False
        return data

    def makeSubset(self, subset):
        """ReportLab's font program for ``subset``, without hinting (:mod:`unhinted`), made once per
        process: the languages box draws the same glyphs of a dozen fonts in every PDF, and a CJK
        font's tables are large to cut."""
        return remembered(self._subsets, tuple(subset), self.SUBSETS,
                          lambda: unhinted(super(_Face, self).makeSubset(subset)))

    def extractInfo(self, charInfo=1):
        if self._metrics is not None and load_metrics(self, self._metrics, self.filename, self._subfont):
            return
        if self.__dict__.get("_partial"):
            self._whole()
        super().extractInfo(charInfo)
        if self._metrics is not None:
            save_metrics(self, self._metrics, self.filename, self._subfont)


class TextFont(TTFont):
    """A ReportLab TTFont that can also draw glyph keys (see the module docstring)."""

    FORMATTED = 16                # subsets' objects remembered formatted (the languages box's recur)

    def __init__(self, name: str, filename: str, subfontIndex: int = 0, asciiReadable: bool = False,
                 metrics: Path | None = None):
        # As TTFont.__init__, with a face whose parsed tables are kept in ``metrics``.
        self.fontName = name
        self.face = _Face(filename, subfontIndex, metrics)
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = asciiReadable
        self.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)
        self._glyph_keys = _Keys()
        self._formatted: dict[tuple, tuple] = {}

    def stringWidth(self, text, size, encoding="utf8"):
        """As ReportLab's, in Python: its C accelerator reads the width table as a plain dictionary,
        which a big font's is not (:class:`metrics.Sparse`: widths found when first asked for)."""
        if not isinstance(text, str):
            text = text.decode(encoding or "utf8")
        width, default = self.face.charWidths.get, self.face.defaultWidth
        return 0.001 * size * sum([width(ord(c), default) for c in text])

    @property
    def _texts(self) -> dict[int, str]:
        return self._glyph_keys.texts

    def key(self, gid: int, text: str, width: float) -> str:
        """The character that draws glyph ``gid`` with PDF width ``width`` and stands for ``text``."""
        keys = self._glyph_keys
        ident = (gid, text, width)
        k = keys.keys.get(ident)
        if k is None:
            code = keys.next
            if code > KEY_LAST:
                raise RuntimeError(f"font {self.fontName}: more than {KEY_LAST - KEY_FIRST} glyph keys")
            keys.next += 1
            face = self.face
            face.charToGlyph[code] = gid
            face.charWidths[code] = width
            keys.texts[code] = text
            k = keys.keys[ident] = chr(code)
        return k

    def keys(self, glyphs) -> str:
        """The keys of ``(gid, text, width)`` glyphs, one string (those made before looked up without a call)."""
        known, key = self._glyph_keys.keys.get, self.key
        return "".join([known(ident) or key(*ident) for ident in glyphs])

    def splitString(self, text, doc, encoding="utf-8"):
        """As ReportLab's: ``[(subset, codes)]``. A run whose characters all have their codes in
        this document already (most runs, once a page is under way) is looked up at C speed;
        any other goes through ReportLab's loop, which assigns codes (the same result either way)."""
        state = self.state.get(doc)
        if state is None or not text or not isinstance(text, str):
            return super().splitString(text, doc, encoding)
        if "\xa0" in text:
            text = text.replace("\xa0", " ")          # ReportLab draws a no-break space as the space
        try:
            codes = list(map(state.assignments.__getitem__, map(ord, text)))
        except KeyError:
            return super().splitString(text, doc, encoding)
        if max(codes) < 256:
            return [(0, bytes(codes))]
        return super().splitString(text, doc, encoding)

    def addObjects(self, doc):
        """As ReportLab's, with a ToUnicode that maps glyph keys to their text. The objects of a subset
        seen before in this process (the languages box's, in every PDF) are written as ReportLab
        formatted them then (:class:`_Formatted`), with this document's names and object numbers."""
        state = self._assignState(doc)
        state.frozen = 1
        face = self.face
        for n, subset in enumerate(state.subsets):
            internal = self.getSubsetInternalName(n, doc)[1:]
            tag = SUBSETN(_next_tag(doc))            # tags differ across the document (ISO 32000-1 9.6.4)
            base = b"".join((tag, b"+", face.name, face.subfontNameX)).decode("pdfdoc")
            key = (n, tuple(subset), bool(doc.compression))
            made = recalled(self._formatted, key)
            if made is None:
                made = kept(self._formatted, key, self.FORMATTED, self._stored(doc, n, subset))
            cmap, font_file, descriptor, font = made
            slots = [doc.Reference(_Formatted(cmap), "toUnicodeCMap:" + base),
                     doc.Reference(_Formatted(font_file), f"fontFile:{face.filename}({base})"),
                     None, pdfdoc.pdfdocEnc(pdfdoc.PDFName(internal))[1:], pdfdoc.pdfdocEnc(pdfdoc.PDFName(base))[1:]]
            slots[2] = doc.Reference(_Formatted(descriptor, slots), "fontDescriptor:" + base)
            obj = _Formatted(font, slots, ref_only=True)
            doc.Reference(obj, internal)
            doc.idToObject["BasicFonts"].dict[internal] = obj
        del self.state[doc]

    def _stored(self, doc, n: int, subset: list[int]) -> tuple:
        """The subset's objects as an earlier process formatted them (:mod:`subsets`), else made now and kept."""
        store = _STORE
        if store is None:
            return self._format(doc, n, subset)
        face, texts = self.face, self._texts
        glyph, width = face.charToGlyph.get, face.getCharWidth
        codes = tuple((c, glyph(c, 0), glyph(32, 0) if c == 0xA0 else 0, width(c)) if c < KEY_FIRST
                      else (-1, glyph(c, 0), texts.get(c, ""), width(c)) for c in subset)
        key = store.key((*face._stamp, self.fontName, n, bool(doc.compression)), codes)
        made = store.get(key)
        if made is None:
            made = self._format(doc, n, subset)
            store.put(key, made)
        return made

    def _format(self, doc, n: int, subset: list[int]) -> tuple:
        """The subset's ToUnicode, font program, descriptor and font dictionary as ReportLab formats
        them, the last two cut where they name the subset or refer to another (:class:`_Slot`)."""
        face = self.face
        font = pdfdoc.PDFTrueTypeFont()
        font.__Comment__ = f"Font {self.fontName} subset {n}"
        font.Name = _Slot.name(3)
        font.BaseFont = _Slot.name(4)
        font.FirstChar = 0
        font.LastChar = len(subset) - 1
        font.Widths = pdfdoc.PDFArray([face.getCharWidth(c) for c in subset])
        cmap = pdfdoc.PDFStream()
        gids = [face.charToGlyph.get(32 if c == 0xA0 else c, 0) for c in subset]
        cmap.content = to_unicode_cmap(subset, self._texts, gids)
        if doc.compression:
            cmap.filters = [pdfdoc.PDFZCompress]
        font.ToUnicode = _Slot(0)
        made = _Made(doc.compression)                # ReportLab's font program and descriptor, as slots 1, 2
        font.FontDescriptor = face.addSubsetObjects(made, _Slot.name(4), subset)
        font_file, descriptor = made.objects
        return ((pdfdoc.format(cmap, doc, toplevel=1),), (pdfdoc.format(font_file, doc, toplevel=1),),
                _Formatted.cut(descriptor, doc), _Formatted.cut(font, doc))


class _Slot(pdfdoc.PDFObject):
    """Where an object formatted once refers to another, or names its subset: a mark cut out, and
    this document's reference or name put in its place (:class:`_Formatted`)."""

    def __init__(self, index: int):
        self.index = index

    def format(self, document):
        return b"LeafletsSlot%d" % self.index

    @staticmethod
    def name(index: int) -> str:
        return f"LeafletsSlot{index}"


class _Made:
    """Stands for the document while ReportLab makes a subset's font program and descriptor: keeps
    them, and gives each a slot (1, 2) for the reference to it."""

    def __init__(self, compression):
        self.compression, self.objects = compression, []

    def Reference(self, obj, name=None):  # noqa: N802 - ReportLab's name
        self.objects.append(obj)
        return _Slot(len(self.objects))


class _Formatted(pdfdoc.PDFObject):
    """A PDF object as ReportLab formatted it once, written again as it was: its parts, and between
    them the slots where this document's references (objects) and names (bytes) go."""

    SLOT = re.compile(rb"LeafletsSlot(\d)")

    def __init__(self, parts: tuple, slots: list = (), ref_only: bool = False):
        self.parts, self.slots = parts, slots
        if ref_only:               # a font: in a page's resources, a reference to it (as ReportLab's)
            self.__RefOnly__ = 1

    @classmethod
    def cut(cls, obj, doc) -> tuple:
        """A dictionary (no stream: its bytes are not searched) formatted, cut at its slots."""
        parts = cls.SLOT.split(pdfdoc.format(obj, doc, toplevel=1))
        return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))

    def format(self, document):
        parts = self.parts
        if len(parts) == 1:
            return parts[0]
        out = []
        for i, p in enumerate(parts):
            if i % 2 == 0:
                out.append(p)
            else:
                slot = self.slots[p]
                out.append(slot if isinstance(slot, bytes) else slot.format(document))
        return b"".join(out)
