"""Every script right, measured from the PDF: glyphs, order, line breaks, no missing glyphs."""
import io

import polib
import pytest
import uharfbuzz as hb
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar
from reportlab.pdfgen.canvas import Canvas

from conftest import ROOT, run
from leaflets.fonts import FontLibrary, script_of
from leaflets.project import Project
from leaflets.draw import draw_line
from leaflets.text import TextSetter
from pdfutil import drawn_glyphs, page_texts

FONTS = FontLibrary(ROOT / "fonts")


def primary_family(lang: str) -> str:
    return FONTS.chain(lang).primary_name


def _font_file(family: str, bold: bool = False) -> str:
    return str(ROOT / "fonts" / FONTS.index.families[family][1 if bold else 0].path)
# Kinsoku: characters a Chinese or Japanese line may not start / end with (JIS X 4051, strict).
NO_LINE_START = set("，。：；！？、）」』》〉】〕〗〙〛｝’”…‥・ー々,.:;!?)]}％")
NO_LINE_END = set("（「『《〈【〔〖〘〚｛‘“([{")

SAMPLES = {
    "ar": "يساعد البوتوكس في علاج الصداع النصفي عند بعض المرضى",
    "fa": "بوتاکس می‌تواند به درمان میگرن کمک کند",
    "ur": "بوٹوکس درد شقیقہ کے علاج میں مدد کر سکتا ہے",
    "hi": "स्त्री क्षमता प्रश्न कि इंजेक्शन माइग्रेन र्क",
    "bn": "বোটক্স ইনজেকশন মাইগ্রেনের চিকিৎসায় সাহায্য করতে পারে",
    "pa": "ਬੋਟੌਕਸ ਟੀਕੇ ਮਾਈਗ੍ਰੇਨ ਵਿੱਚ ਮਦਦ ਕਰ ਸਕਦੇ ਹਨ",
    "gu": "બોટોક્સ ઇન્જેક્શન માઇગ્રેનમાં મદદ કરી શકે છે",
    "ta": "போடாக்ஸ் ஊசிகள் ஒற்றைத் தலைவலிக்கு உதவக்கூடும்",
    "ti": "ቦቶክስ ንማይግሬን ክሕግዝ ይኽእል እዩ።",
}
RTL = {"ar", "fa", "ur"}


def _render(lang: str, text: str, width: float = 480, size: float = 14) -> bytes:
    setter = TextSetter(FONTS.chain(lang), lang in RTL, lang)
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(width + 40, 600))
    y = 560
    for line in setter.lines(text, size, width):
        draw_line(canvas, line, 20, y, width)
        y -= size * 2.2
    canvas.save()
    return buf.getvalue()


def _chars(pdf: bytes) -> list[LTChar]:
    """Every glyph in content-stream order (no layout analysis reordering)."""
    out = []

    def walk(obj):
        if isinstance(obj, LTChar):
            out.append(obj)
        elif hasattr(obj, "__iter__"):
            for child in obj:
                walk(child)
    for page in extract_pages(io.BytesIO(pdf), laparams=None):
        walk(page)
    return out


def _hb_glyphs(lang: str, word: str, rtl: bool) -> list[int]:
    blob = hb.Blob.from_file_path(_font_file(primary_family(lang)))
    font = hb.Font(hb.Face(blob))
    buf = hb.Buffer()
    buf.add_str(word)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    buf.language = lang
    hb.shape(font, buf, {"kern": True, "liga": True})
    space = hb.Font(hb.Face(blob)).get_nominal_glyph(32)
    return [g.codepoint for g in buf.glyph_infos if g.codepoint != space]


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_glyphs_in_pdf_equal_harfbuzz_shaping(lang):
    text = SAMPLES[lang]
    pdf = _render(lang, text)
    face = FONTS.family(primary_family(lang)).regular.ttf.face
    space = face.charToGlyph[32]
    drawn = [face.charToGlyph[ord(ch)] for _, ch in drawn_glyphs(pdf)]
    drawn = [g for g in drawn if g != space]
    words = text.split(" ")
    if lang in RTL:
        words = words[::-1]                    # a single RTL line: words right to left
    expected = [g for w in words for g in _hb_glyphs(lang, w, lang in RTL)]
    assert drawn == expected


def test_rtl_paragraph_lines_top_to_bottom_words_right_to_left():
    text = ("هذه هي الجملة الأولى رقم 1 وبعدها الرقم 17 في النص. "
            "ثم تأتي الجملة الثانية رقم 2 وبعدها الرقم 27 في النص. "
            "وأخيرا الجملة الثالثة رقم 3 وبعدها الرقم 37 في النص.")
    pdf = _render("ar", text, width=170)
    digits = [c for c in _chars(pdf) if c.get_text().isdigit()]
    # group digits into numbers: same line, adjacent left to right
    digits.sort(key=lambda c: (-round(c.y0), c.x0))
    numbers, prev = [], None
    for c in digits:
        if prev and round(prev.y0) == round(c.y0) and abs(c.x0 - prev.x1) < 1:
            numbers[-1] = (numbers[-1][0] + c.get_text(), numbers[-1][1], numbers[-1][2])
        else:
            numbers.append((c.get_text(), round(c.y0), c.x0))
        prev = c
    lines = sorted({y for _, y, _ in numbers}, reverse=True)
    assert len(lines) >= 3
    # reading order: top line first; within a line, right to left
    reading = [n for n, _, _ in sorted(numbers, key=lambda t: (-t[1], -t[2]))]
    assert reading == ["1", "17", "2", "27", "3", "37"]


def test_latin_word_inside_arabic_sits_where_the_bidi_algorithm_puts_it():
    pdf = _render("ar", "يساعد BOTOX المرضى")
    chars = _chars(pdf)
    latin = [c for c in chars if c.get_text() in "BOTX"]
    arabic = [c for c in chars if not c.get_text().isascii()]
    assert "".join(c.get_text() for c in sorted(latin, key=lambda c: c.x0)) == "BOTOX"
    first_word_x = max(c.x1 for c in arabic)           # يساعد is rightmost
    assert all(c.x1 < first_word_x for c in latin)
    assert min(c.x0 for c in arabic) < min(c.x0 for c in latin)   # المرضى is left of BOTOX


def test_chinese_lines_never_start_with_closing_or_end_with_opening_punctuation():
    text = "肉毒杆菌（BOTOX）注射可以帮助治疗偏头痛，是吗？「好的」。" * 6
    for width in range(120, 300, 7):
        setter = TextSetter(FONTS.chain("zh_Hans"), False, "zh_Hans")
        for line in setter.lines(text, 12, width):
            pieces = [p for p, _, _ in line.items if p is not None]
            assert pieces[0].text[0] not in NO_LINE_START, (width, pieces[0].text)
            assert pieces[-1].text[-1] not in NO_LINE_END, (width, pieces[-1].text)


def test_built_chinese_leaflet_obeys_line_breaking_rules(built):
    for page in page_texts(built / "botox-migraines-zh_Hans.pdf"):
        for line in page.split("\r\n"):
            line = line.strip()
            if line:
                assert line[0] not in "，。：；！？」）、", line
                assert line[-1] not in "（「『《", line


@pytest.mark.parametrize("lang", ["en"] + Project(ROOT).languages("botox-migraines"))
def test_no_missing_glyph_in_built_pdf(built, lang):
    pdf = (built / f"botox-migraines-{lang}.pdf").read_bytes()
    texts = [c.get_text() for c in _chars(pdf)]
    assert texts
    assert not [t for t in texts if t.startswith("(cid:") or t == "\ufffd"]


def test_fonts_are_chosen_from_the_cldr_script():
    assert script_of("ar") == "Arab" and script_of("pa") == "Guru" and script_of("zh_Hans") == "Hans"
    assert script_of("ti") == "Ethi" and script_of("bg") == "Cyrl"
    assert primary_family("ur") == "Noto Nastaliq Urdu" and primary_family("fa") == "Noto Naskh Arabic"


def test_missing_glyph_is_an_error_naming_language_message_and_character(project):
    path = project / "locales" / "hi" / "LC_MESSAGES" / "botox-migraines.po"
    po = polib.pofile(str(path), wrapwidth=0)
    po.find("summary.heading", by="msgctxt").msgstr += " Ꭰ"       # Cherokee: no font has it
    po.save()
    code, out, _ = run(project, "check", "hi")
    assert code == 1
    assert "locales/hi/LC_MESSAGES/botox-migraines.po:" in out
    assert "U+13A0 CHEROKEE LETTER A" in out and "[summary.heading]" in out
    assert run(project, "build", "--lang", "hi")[0] == 1


def test_copied_indic_text_gives_the_real_characters():
    """Shaped words carry /ActualText; pdfium's text extraction honours it."""
    import pypdfium2 as pdfium
    text = "स्त्री क्षमता"
    doc = pdfium.PdfDocument(_render("hi", text))
    extracted = doc[0].get_textpage().get_text_range()
    assert extracted.replace(" ", "").strip() == text.replace(" ", "")


def test_inline_bold_in_rtl_text_keeps_word_order_and_uses_the_bold_face():
    text = "<b>تخفيف الحساسية:</b> يعاني المرضى"
    pdf = _render("ar", text)
    glyphs = drawn_glyphs(pdf)
    fonts_left_to_right = [f for f, ch in glyphs if ch != " "]
    # visual order: the logical end (regular words) is on the left, the bold lead-in on the right
    assert fonts_left_to_right[0].endswith("NotoNaskhArabic-Regular")
    assert fonts_left_to_right[-1].endswith("NotoNaskhArabic-Bold")
    bold = [ch for f, ch in glyphs if f.endswith("Bold")]
    regular = FONTS.family("Noto Naskh Arabic").bold.ttf.face
    words = ["الحساسية:", "تخفيف"]                 # right to left: تخفيف is drawn last
    expected = []
    for w in words:
        spec_font = hb.Font(hb.Face(hb.Blob.from_file_path(_font_file("Noto Naskh Arabic", bold=True))))
        buf = hb.Buffer(); buf.add_str(w); buf.guess_segment_properties(); buf.direction = "rtl"; buf.language = "ar"
        hb.shape(spec_font, buf, {"kern": True, "liga": True})
        expected += [g.codepoint for g in buf.glyph_infos]
    assert [regular.charToGlyph[ord(c)] for c in bold if c != " "] == expected


def test_a_run_harfbuzz_leaves_as_it_is_is_plain_text():
    """An Ethiopic line (each character its own glyph, in order, unmoved) is drawn as plain text, one
    code per character with no /ActualText, and reads back whole; a Devanagari conjunct, or a word
    with a mark on a letter, stays a shaped run with its /ActualText."""
    import pypdfium2 as pdfium
    text = SAMPLES["ti"]
    setter = TextSetter(FONTS.chain("ti"), False, "ti")
    pieces = [p for line in setter.lines(text, 14, 480) for p, _, _ in line.items if p is not None]
    assert pieces and not any(p.shaped for p in pieces)
    pdf = _render("ti", text)
    assert "/ActualText" not in _content(pdf)
    assert page_texts_of(pdf) == [text]
    words = {p.text: p.shaped for line in TextSetter(FONTS.chain("hi"), False, "hi").lines("क्षमता कि का", 14, 480)
             for p, _, _ in line.items if p is not None}
    assert words == {"क्षमता": True, "कि": True, "का": False}
    assert pdfium.PdfDocument(_render("hi", "क्षमता कि का"))[0].get_textpage().get_text_range().split() == \
        ["क्षमता", "कि", "का"]


def _content(pdf: bytes) -> str:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    pages = PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(pdf))))
    return "".join(s.get_data().decode("latin-1") for page in pages for s in page.contents)


def page_texts_of(pdf: bytes) -> list[str]:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(pdf)
    return [doc[i].get_textpage().get_text_range().strip() for i in range(len(doc))]
