"""The text layer equals the page: every printed message, read back out of the PDFs.

Every message of every language (title, headings, paragraphs, notices, footer parts, the
contact and languages boxes, the other languages' names) must be found exactly, in logical
order, with its real letters and its spaces, in the text of poppler (``pdftotext``) and of
pdfium (pypdfium2), in both PDF editions. MuPDF (``mutool``) and pdfminer.six read the
ToUnicode in content-stream order: they must reach at least the level measured when this
was written, per script, so that a regression fails.

Messages and matching are the benchmark's (``benchmarks/extract.py``): whitespace folded,
bidi format characters (invisible; poppler wraps right-to-left lines in embeddings) left out.
"""
import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from conftest import ROOT, benchmark_module
from leaflets.draw import draw_line
from leaflets.fonts import FontLibrary, script_of
from leaflets.text import TextSetter


X = benchmark_module("extract")
DOCS = X.documents(ROOT, None)
LANGS = sorted(DOCS)
EDITIONS = ["standard", "large-print"]
HAVE = X.available()

# pdfium decomposes these letters wherever it reads right-to-left text (its own normalisation table;
# measured on every Arabic-block letter with a decomposition): no PDF can make it return them whole.
# They are canonically equivalent, so pdfium's text is compared with them decomposed.
PDFIUM_DECOMPOSES = str.maketrans({"\u06c0": "\u06d5\u0654", "\u06c2": "\u06c1\u0654", "\u06d3": "\u06d2\u0654"})

def _family(lang: str) -> str:
    """The kind of script, for the content-stream readers' floors (from CLDR, no list of languages)."""
    script = script_of(lang)
    if script == "Arab":
        return "nastaliq" if FONTS.chain(lang).primary_name.startswith("Noto Nastaliq") else "arabic"
    if script in ("Beng", "Deva", "Guru", "Gujr", "Taml", "Mlym"):
        return "indic"
    return {"Hebr": "hebrew", "Thai": "thai"}.get(script, "other")


# Fraction of messages MuPDF / pdfminer.six find, at least (measured with benchmarks/extract.py:
# Arabic script 0.976 / 0.812 at worst, Hebrew 0.953 / 0.800, Thai 0.824 / 0.765, Indic 0.824 / 0.824).
FLOOR = {"mupdf": {"arabic": 0.95, "nastaliq": 0.95, "hebrew": 0.95, "thai": 0.80, "indic": 0.75, "other": 1.0},
         "pdfminer": {"arabic": 0.70, "nastaliq": 0.75, "hebrew": 0.78, "thai": 0.75, "indic": 0.75, "other": 1.0}}

_missing: dict = {}


def missing(built, lang: str, extractor: str, edition: str = "standard") -> list[str]:
    """Keys of the messages of ``lang`` that ``extractor`` does not find in the built PDF."""
    key = (lang, extractor, edition)
    if key not in _missing:
        doc = DOCS[lang]
        name = f"botox-migraines-{lang}" + ("" if edition == "standard" else f"-{edition}") + ".pdf"
        msgs = X.messages(doc)
        if extractor == "pdfium":
            msgs = [X.Message(m.key, m.text.translate(PDFIUM_DECOMPOSES)) for m in msgs]
        found = X.found(msgs, X.extract(built / name, extractor), doc)
        _missing[key] = [m.key for m, ok in zip(msgs, found) if not ok]
    return _missing[key]


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("lang", LANGS)
def test_pdfium_reads_every_message(built, lang, edition):
    assert missing(built, lang, "pdfium", edition) == []


@pytest.mark.skipif(not HAVE["poppler"], reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("lang", LANGS)
def test_poppler_reads_every_message(built, lang, edition):
    assert missing(built, lang, "poppler", edition) == []


@pytest.mark.parametrize("extractor", [
    pytest.param("mupdf", marks=pytest.mark.skipif(not HAVE["mupdf"], reason="mupdf-tools is not installed")),
    "pdfminer"])
@pytest.mark.parametrize("lang", LANGS)
def test_content_stream_readers_keep_their_level(built, lang, extractor):
    """MuPDF and pdfminer.six: at least the level measured for the script."""
    lost = missing(built, lang, extractor)
    floor = FLOOR[extractor][_family(lang)]
    assert 1 - len(lost) / len(X.messages(DOCS[lang])) >= floor, lost


# --- one line of every kind, without building the leaflets ----------------------------------
FONTS = FontLibrary(ROOT / "fonts")
SAMPLES = {
    "ar": "تاريخ النشر: 24 نوفمبر 2026، الممارس المدرَّب لـ«توكسين» (BOTOX) وعادةً The Cosmetic Skin Clinic "
          "ملايين الأشخاص؟ المرجع: TCSC-PIL-001 الإصدار 1.0",
    "fa": "بوتاکس می‌تواند به درمان میگرن کمک کند، «بوتولینوم توکسین» به‌طور خلاصه…",
    "ur": "بوٹوکس درد شقیقہ کے علاج میں مدد کر سکتا ہے، جو اس طریقۂ علاج میں مہارت رکھتا ہو۔",
    "hi": "स्त्री क्षमता प्रश्न कि इंजेक्शन माइग्रेन के लिए कुछ संकेतों",
    "bn": "বোটক্স ইনজেকশন মাইগ্রেনের চিকিৎসায় রোগ সাহায্য করতে পারে কো",
    "ta": "போடாக்ஸ் ஊசிகள் ஒற்றைத் தலைவலிக்கு உதவக்கூடும் கொடு",
    "en": "Botox (botulinum toxin), 24 November 2026 — fine: 1.0 «العربية» ok",
}


def _render(lang: str, text: str, width: float = 430, size: float = 13) -> bytes:
    setter = TextSetter(FONTS.chain(lang), lang in ("ar", "fa", "ur"), lang)
    lines = setter.lines(text, size, width)
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(width + 40, 40 + len(lines) * size * 2.6), lang=lang)
    y = 20 + (len(lines) - 0.5) * size * 2.6
    for line in lines:
        draw_line(canvas, line, 20, y, width)
        y -= size * 2.6
    canvas.save()
    return buf.getvalue()


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_a_line_of_every_kind_reads_back(lang, tmp_path):
    """Right-to-left lines with numbers, Latin names, brackets, guillemets, marks and lam-alef;
    Indic conjuncts, reordered and split vowel signs: exact in poppler and pdfium."""
    path = tmp_path / f"{lang}.pdf"
    path.write_bytes(_render(lang, SAMPLES[lang]))
    want = X.Message("sample", X.squash(SAMPLES[lang]))
    readers = ["pdfium"] + (["poppler"] if HAVE["poppler"] else [])
    for reader in readers:
        msg = X.Message(want.key, want.text.translate(PDFIUM_DECOMPOSES)) if reader == "pdfium" else want
        pages = X.extract(path, reader)
        assert X.found([msg], pages, DOCS["en"]) == [True], (reader, X.fold(" ".join(pages)))


@pytest.mark.parametrize("lang", ["ar", "ur", "hi", "bn"])
def test_every_reader_gets_letters_not_glyph_codes(lang, tmp_path):
    """No Arabic presentation forms and no private-use characters, whichever reader reads the page."""
    path = tmp_path / f"{lang}.pdf"
    path.write_bytes(_render(lang, SAMPLES[lang]))
    for reader in [r for r in X.EXTRACTORS if HAVE[r]]:
        text = X.fold(" ".join(X.extract(path, reader)))
        odd = [c for c in text if 0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFE
               or 0xE000 <= ord(c) <= 0xF8FF or ord(c) >= 0xF0000]
        assert not odd, (reader, odd)
