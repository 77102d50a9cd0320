"""Fonts for the PDF: the faces :mod:`fontindex` chose, registered with ReportLab when first needed.

The only module that touches ReportLab's font registry. No system font is ever looked up, and a font
file is read only when a page draws a character from it, so a damaged font stops only the languages
that need it (:class:`FontError` names the file).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import uharfbuzz as hb
from . import rlconfig  # noqa: F401,I001 - first: ReportLab must not read the user's settings
from reportlab.pdfbase import pdfmetrics

from .errors import FontError, MissingGlyphError, describe
from .fontindex import FontFace, FontIndex, leading, script_of
from .metrics import Codes, Sparse
from .pdffont import TextFont, keep_subsets_in

__all__ = ["FontLibrary", "FontChain", "Family", "Face", "script_of", "describe", "is_mark", "IGNORABLE"]

# Characters that never need a glyph of their own.
IGNORABLE = {"\u200c", "\u200d", "\u00ad", "\u2060", "\ufeff", "\u200e", "\u200f",
             *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"}    # joiners, marks, bidi controls


@dataclass
class Face:
    """One registered font face (a family's regular or bold)."""
    name: str
    ttf: TextFont
    cmap: frozenset | Codes = field(repr=False)        # the codes the font covers (metrics.Codes: a big font's)
    emboldened: bool = False
    shaped: dict = field(default_factory=dict, repr=False)   # text run → HarfBuzz's glyphs (text.py)
    _hb: hb.Font | None = field(default=None, repr=False)

    @property
    def hb_font(self) -> hb.Font:
        """HarfBuzz's font, made when something is first shaped in this face (a CJK font's names in the
        languages box are never shaped: one glyph a character)."""
        if self._hb is None:
            ttf = self.ttf
            ttf.hbFace  # noqa: B018 - creates ReportLab's HarfBuzz face and private-glyph map
            font = ttf.hbFont(1000)
            font.scale = (ttf.face.unitsPerEm, ttf.face.unitsPerEm)
            self._hb = font
        return self._hb


@dataclass
class Family:
    name: str
    regular: Face
    bold: Face
    win_height: float

    def face(self, bold: bool) -> Face:
        return self.bold if bold else self.regular

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.regular.cmap

    @property
    def has_bold(self) -> bool:
        return self.bold is not self.regular


_LOADED: dict[tuple, Face] = {}      # font file (name, face, size, mtime) → its registered face


def _pdf_name(family: str, style: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", family) + "-" + style


class FontLibrary:
    """The fonts of one fonts folder: chosen by the index, registered on first use."""

    def __init__(self, folder: Path, cache: Path | None = None):
        self.folder = Path(folder)
        self.cache = cache
        self._families: dict[str, Family] = {}
        self._chains: dict[str, FontChain] = {}
        self.setters: dict = {}       # the layout's text setters, one per language and settings (render.py)
        self.subsets = self.cache.parent / "subsets" if self.cache else None    # formatted subsets (subsets.py)
        self.metrics = self.cache.parent / "metrics" if self.cache else None    # parsed tables (metrics.py)
        keep_subsets_in(self.subsets)

    @cached_property
    def index(self) -> FontIndex:
        return FontIndex(self.folder, self.cache)

    def family(self, name: str) -> Family:
        fam = self._families.get(name)
        if fam is None:
            regular_face, bold_face = self.index.families[name]
            regular = self._face(_pdf_name(name, "Regular"), regular_face)
            bold = self._face(_pdf_name(name, "Bold"), bold_face) if bold_face else \
                Face(regular.name, regular.ttf, regular.cmap, emboldened=True,
                     shaped=regular.shaped)
            fam = self._families[name] = Family(name, regular, bold, regular_face.win_height)
        return fam

    def _face(self, name: str, info: FontFace) -> Face:
        path = self.folder / info.path
        st = path.stat()
        key = (path.name, info.number, st.st_size, st.st_mtime_ns)     # a copy of a file is the same font
        face = _LOADED.get(key)       # ReportLab's registry is global: one registration per font file
        if face is None:
            taken = set(pdfmetrics.getRegisteredFontNames())
            unique, n = name, 1
            while unique in taken:            # another file under this name (another project)
                n += 1
                unique = f"{name}{n}"
            try:
                ttf = TextFont(unique, str(path), subfontIndex=info.number, asciiReadable=False,
                               metrics=self.metrics)
                pdfmetrics.registerFont(ttf)
            except Exception as exc:  # noqa: BLE001 - ReportLab reports a damaged font in many ways
                raise FontError(f"font cannot be used: {type(exc).__name__}: {exc}",
                                f"fonts/{info.path}") from None
            cmap = ttf.face.charToGlyph       # what the font covers: its own codes, before any key is added
            face = _LOADED[key] = Face(unique, ttf, cmap.codes if isinstance(cmap, Sparse) else frozenset(cmap))
        return face

    def chain(self, lang: str) -> FontChain:
        """The fonts that draw ``lang``; raises :class:`MissingGlyphError` when none covers it."""
        chain = self._chains.get(lang)
        if chain is None:
            chain = self._chains[lang] = FontChain(self, lang)
        return chain

    def missing_font(self, lang: str) -> str:
        """Why no font draws ``lang`` ("" if one does): which script, and any font that could not be read."""
        if self.index.primary(lang) is not None:
            return ""
        why = f"no font in fonts/ covers the {script_of(lang)} script"
        if self.index.problems:
            why += " (" + "; ".join(str(p) for p in self.index.problems) + ")"
        return why


class FontChain:
    """One language's fonts: its own family, then a family per character it lacks (by the character's script)."""

    def __init__(self, library: FontLibrary, lang: str):
        self.library = library
        self.lang = lang
        name = library.index.primary(lang)
        if name is None:
            raise MissingGlyphError(f"{lang}: {library.missing_font(lang)}")
        self.primary_name = name

    @cached_property
    def primary(self) -> Family:
        return self.library.family(self.primary_name)

    @property
    def line_height(self) -> float:
        return leading(self.lang, self.library.index.families[self.primary_name][0].win_height)

    def family_name(self, ch: str) -> str | None:
        """The family for ``ch`` (index only: nothing is loaded)."""
        return self.library.index.family_for(ch, self.lang)

    def for_char(self, ch: str) -> Family | None:
        name = self.family_name(ch)
        return None if name is None else self.library.family(name)

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` that no font can draw (sorted)."""
        return sorted(ch for ch in set(text)
                      if not ch.isspace() and ch not in IGNORABLE and self.family_name(ch) is None)


def is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in IGNORABLE



