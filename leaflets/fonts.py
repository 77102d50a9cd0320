"""Fonts from the project's fonts/ folder, chosen by script; coverage checks.

The only module that touches ReportLab's global font registry. No system font
is ever looked up. A language's script comes from CLDR (babel's likely
subtags); each script has one family, with a per-language style where a
writing tradition needs it (Urdu is written in Nastaliq, not Naskh).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from babel.core import get_global
from reportlab.pdfbase import pdfmetrics

from .errors import MissingGlyphError
from .pdffont import TextFont


@dataclass(frozen=True)
class FamilySpec:
    name: str
    regular: str
    bold: str | None          # None: the family has no bold face (bold is emboldened)
    shaping: bool             # needs HarfBuzz (joining, conjuncts, mark positioning)
    line_height: float = 1.45 # leading as a multiple of the font size
    subfont: int = 0
    latin_first: bool = False # draw Latin letters and digits with Noto Sans (real bold, matching Latin)


FAMILIES = {
    "NotoSans": FamilySpec("NotoSans", "noto/NotoSans-Regular.ttf", "noto/NotoSans-Bold.ttf", False),
    "NotoNaskhArabic": FamilySpec("NotoNaskhArabic", "noto/NotoNaskhArabic-Regular.ttf",
                                  "noto/NotoNaskhArabic-Bold.ttf", True, 1.6),
    "NotoNastaliqUrdu": FamilySpec("NotoNastaliqUrdu", "noto/NotoNastaliqUrdu-Regular.ttf",
                                   "noto/NotoNastaliqUrdu-Bold.ttf", True, 2.1),
    "NotoSansBengali": FamilySpec("NotoSansBengali", "noto/NotoSansBengali-Regular.ttf",
                                  "noto/NotoSansBengali-Bold.ttf", True, 1.6),
    "NotoSansDevanagari": FamilySpec("NotoSansDevanagari", "noto/NotoSansDevanagari-Regular.ttf",
                                     "noto/NotoSansDevanagari-Bold.ttf", True, 1.6),
    "NotoSansGurmukhi": FamilySpec("NotoSansGurmukhi", "noto/NotoSansGurmukhi-Regular.ttf",
                                   "noto/NotoSansGurmukhi-Bold.ttf", True, 1.6),
    "NotoSansGujarati": FamilySpec("NotoSansGujarati", "noto/NotoSansGujarati-Regular.ttf",
                                   "noto/NotoSansGujarati-Bold.ttf", True, 1.6),
    "NotoSansTamil": FamilySpec("NotoSansTamil", "noto/NotoSansTamil-Regular.ttf",
                                "noto/NotoSansTamil-Bold.ttf", True, 1.6),
    "NotoSansEthiopic": FamilySpec("NotoSansEthiopic", "noto/NotoSansEthiopic-Regular.ttf",
                                   "noto/NotoSansEthiopic-Bold.ttf", True, 1.55),
    "NotoSansThai": FamilySpec("NotoSansThai", "noto/NotoSansThai-Regular.ttf", "noto/NotoSansThai-Bold.ttf",
                               True, 1.7),
    "WenQuanYiMicroHei": FamilySpec("WenQuanYiMicroHei", "wqy-microhei/wqy-microhei.ttc", None,
                                    False, 1.6, latin_first=True),
}

# ISO 15924 script → family. Latin, Greek and Cyrillic share Noto Sans.
SCRIPT_FAMILY = {
    "Latn": "NotoSans", "Grek": "NotoSans", "Cyrl": "NotoSans",
    "Arab": "NotoNaskhArabic", "Beng": "NotoSansBengali", "Deva": "NotoSansDevanagari",
    "Guru": "NotoSansGurmukhi", "Gujr": "NotoSansGujarati", "Taml": "NotoSansTamil",
    "Ethi": "NotoSansEthiopic", "Thai": "NotoSansThai", "Hans": "WenQuanYiMicroHei", "Hant": "WenQuanYiMicroHei",
}
# Where a language's tradition asks for another style of the same script.
LANGUAGE_STYLE = {("Arab", "ur"): "NotoNastaliqUrdu"}
# Fallback order for characters the main family lacks (Latin words, digits, names).
FALLBACK_ORDER = ("NotoSans", "NotoNaskhArabic", "NotoSansDevanagari", "NotoSansBengali",
                  "NotoSansGurmukhi", "NotoSansGujarati", "NotoSansTamil", "NotoSansEthiopic",
                  "NotoSansThai", "WenQuanYiMicroHei")
# Characters that never need a glyph of their own.
IGNORABLE = {"\u200c", "\u200d", "\u00ad", "\u2060", "\ufeff", "\u200e", "\u200f",
             *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"}    # joiners, marks, bidi controls


def script_of(lang: str) -> str:
    """The ISO 15924 script of a language, from CLDR likely subtags (``ur`` → ``Arab``)."""
    likely = get_global("likely_subtags")
    parts = lang.replace("-", "_").split("_")
    for part in parts[1:]:
        if len(part) == 4 and part.istitle():
            return part
    full = likely.get(lang.replace("-", "_")) or likely.get(parts[0]) or ""
    for part in full.split("_")[1:]:
        if len(part) == 4:
            return part
    return "Latn"


@dataclass
class Face:
    """One registered font file (a family's regular or bold face)."""
    name: str
    ttf: TextFont
    hb_font: hb.Font | None
    cmap: frozenset = field(repr=False)
    emboldened: bool = False


@dataclass
class Family:
    spec: FamilySpec
    regular: Face
    bold: Face

    @property
    def name(self) -> str:
        return self.spec.name

    def face(self, bold: bool) -> Face:
        return self.bold if bold else self.regular

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.regular.cmap


class FontLibrary:
    """Registers families from one fonts folder on first use."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._families: dict[str, Family] = {}

    def family(self, name: str) -> Family:
        fam = self._families.get(name)
        if fam is None:
            spec = FAMILIES[name]
            regular = self._face(f"{name}-Regular", spec.regular, spec)
            bold = self._face(f"{name}-Bold", spec.bold, spec) if spec.bold else \
                Face(regular.name, regular.ttf, regular.hb_font, regular.cmap, emboldened=True)
            fam = self._families[name] = Family(spec, regular, bold)
        return fam

    def _face(self, name: str, rel: str, spec: FamilySpec) -> Face:
        path = self.folder / rel
        try:
            ttf = pdfmetrics.getFont(name)
        except KeyError:
            if not path.is_file():
                raise MissingGlyphError(f"font file missing: {path}", str(path)) from None
            ttf = TextFont(name, str(path), subfontIndex=spec.subfont, asciiReadable=False)
            pdfmetrics.registerFont(ttf)
        hb_font = None
        if spec.shaping:
            ttf.hbFace  # noqa: B018 - creates ReportLab's HarfBuzz face and private-glyph map
            hb_font = ttf.hbFont(1000)
            hb_font.scale = (ttf.face.unitsPerEm, ttf.face.unitsPerEm)
        return Face(name, ttf, hb_font, frozenset(ttf.face.charToGlyph))

    def chain(self, lang: str) -> list[Family]:
        """The families that draw ``lang``: its own first, then the fallbacks."""
        primary = primary_family(lang)
        names = [primary] + [n for n in FALLBACK_ORDER if n != primary]
        if FAMILIES[primary].latin_first:
            names.remove("NotoSans")
            names.insert(0, "NotoSans")
        return [self.family(n) for n in names]


def primary_family(lang: str) -> str:
    script = script_of(lang)
    base = lang.replace("-", "_").split("_")[0]
    return LANGUAGE_STYLE.get((script, base)) or SCRIPT_FAMILY.get(script, "NotoSans")


def is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in IGNORABLE


def missing_characters(text: str, chain: list[Family]) -> list[str]:
    """Characters of ``text`` that no family in ``chain`` can draw."""
    return sorted(ch for ch in set(text)
                  if not ch.isspace() and ch not in IGNORABLE and not any(f.covers(ch) for f in chain))


@lru_cache(maxsize=None)
def describe(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}"
