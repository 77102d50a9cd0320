"""Forty-odd languages: every script set as its readers expect, fonts found in fonts/ by what they cover."""
import io
import shutil

import icu
import pytest
import uharfbuzz as hb
from babel import localedata
from babel.core import get_global
from hypothesis import given, strategies as st
from reportlab.pdfgen.canvas import Canvas

from conftest import ROOT, copy_project, run
from leaflets.draw import draw_line
from leaflets.fontindex import FontIndex, exemplars, script_of
from leaflets.fonts import FontLibrary
from leaflets.project import Project
from leaflets.text import TextSetter
from leaflets.translate import is_rtl, language_name
from test_scripts import NO_LINE_END, NO_LINE_START, drawn_glyphs

FONTS = FontLibrary(ROOT / "fonts")
LANGS = Project(ROOT).languages("botox-migraines")

# One sample of each script added for the forty languages, with what makes it hard.
SAMPLES = {
    "he": "הַתְּרוּפָה נִתֶּנֶת בְּזְרִיקָה",                    # niqqud: marks placed by GPOS
    "yi": "די אײַנשפּריצונגען קענען העלפֿן",              # pointed digraphs (ײַ, פּ, פֿ)
    "th": "ผู้ป่วย ไม่ได้ น้ำ ที่นี่",                           # tone marks over upper vowels
    "ml": "ക്ഷമത സ്ത്രീ ന്റെ പ്രശ്നം",                        # conjuncts, reph, split vowel signs
    "vi": "Người bệnh đau nửa đầu được điều trị",      # stacked diacritics (ệ, ử, ầ)
    "yo": "Ọ̀pọ̀lọpọ̀ àwọn ènìyàn ń jìyà",                # dot below and a tone mark on one letter
    "ja": "ボトックス注射は片頭痛に使われます",
    "ko": "보툴리눔 독소는 편두통을 예방합니다",
    "zh_Hant": "肉毒桿菌毒素注射可以幫助治療偏頭痛",
    "el": "Η θεραπεία βοηθά τους ασθενείς",
    "ru": "Инъекции помогают при мигрени",
    "am": "ቦቶክስ ለማይግሬን ሕክምና ይረዳል",
    "ps": "بوټوکس د مېګرېن په درملنه کې مرسته کوي",
    "ckb": "بۆتۆکس یارمەتی چارەسەری شەقیقە دەدات",
}


def _render(lang, text, width=480.0, size=14.0):
    setter = TextSetter(FONTS.chain(lang), is_rtl(lang), lang)
    lines = setter.lines(text, size, width)
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(width + 40, 40 + len(lines) * size * 2.2))
    y = 20 + (len(lines) - 0.5) * size * 2.2
    for line in lines:
        draw_line(canvas, line, 20, y, width)
        y -= size * 2.2
    canvas.save()
    return buf.getvalue(), lines


def _harfbuzz(lang, word, rtl):
    index = FONTS.index
    face = index.families[index.primary(lang)][0]
    blob = hb.Blob.from_file_path(str(ROOT / "fonts" / face.path))
    font = hb.Font(hb.Face(blob, face.number))
    buf = hb.Buffer()
    buf.add_str(word)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    buf.language = lang.replace("_", "-")
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    hb.shape(font, buf, {"kern": True, "liga": True})
    return [g.codepoint for g in buf.glyph_infos]


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_glyphs_in_the_pdf_are_harfbuzz_shaping_of_each_word(lang):
    rtl = is_rtl(lang)
    pdf, lines = _render(lang, SAMPLES[lang])
    assert len(lines) == 1
    face = FONTS.chain(lang).primary.regular.ttf.face
    space = face.charToGlyph[32]
    drawn = [face.charToGlyph[ord(ch)] for _, ch in drawn_glyphs(pdf)]
    drawn = [g for g in drawn if g != space]
    pieces = [p for p, _, _ in lines[0].items if p is not None]        # logical order: one per word
    expected = [g for p in pieces for g in _harfbuzz(lang, p.text, rtl)]
    if rtl:     # drawn right to left: the words' order is reversed, each word's glyphs are HarfBuzz's
        expected = [g for p in reversed(pieces) for g in _harfbuzz(lang, p.text, rtl)]
    assert "".join(p.text for p in pieces).replace(" ", "") == SAMPLES[lang].replace(" ", "")
    assert drawn == expected
    assert 0 not in drawn


def _page_text(pdf: bytes) -> str:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(pdf)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def test_a_hebrew_paragraph_with_numbers_and_english_reads_in_order():
    sentences = ["המטופל מקבל 31 זריקות של BOTOX בכל ביקור.", "הטיפול חוזר כל 12 שבועות לפי ההנחיות.",
                 "אפשר לשאול את הצוות בטלפון 020 7946 0000 בכל יום."]
    text = " ".join(sentences)
    pdf, lines = _render("he", text, width=170)
    assert len(lines) >= 3
    got = " ".join(_page_text(pdf).split())
    assert got.replace(" ", "") == text.replace(" ", ""), got       # pdfium orders by position
    assert all(line.rtl for line in lines)


def _word_boundaries(lang, text):
    it = icu.BreakIterator.createWordInstance(icu.Locale(lang))
    it.setText(text)
    return set(it)


def test_a_thai_paragraph_breaks_only_between_dictionary_words():
    text = ("ผู้ป่วยที่เป็นไมเกรนเรื้อรังอาจได้รับการรักษาด้วยการฉีดโบท็อกซ์ทุกสิบสองสัปดาห์"
            "โดยแพทย์ที่ได้รับการฝึกอบรมมาเป็นอย่างดีและมีประสบการณ์")
    setter = TextSetter(FONTS.chain("th"), False, "th")
    lines = setter.lines(text, 12, 110)
    assert len(lines) >= 3 and not setter.overflows
    words = _word_boundaries("th", text)
    for line in lines[1:]:
        assert line.spans[0][0] in words, line.spans[0]
    assert "".join(text[a:b] for line in lines for a, b in line.spans) == text


def test_korean_breaks_only_at_spaces():
    text = "보툴리눔 독소 주사는 만성 편두통 환자의 두통 일수를 줄이는 데 도움이 될 수 있습니다. " * 3
    setter = TextSetter(FONTS.chain("ko"), False, "ko")
    for width in range(90, 260, 17):
        for line in setter.lines(text, 12, width)[:-1]:
            end = line.spans[-1][1]
            assert text[end] == " " or not text[end - 1].isalnum(), (width, text[:end][-8:])


@pytest.mark.parametrize("lang", ["ja", "zh_Hant"])
def test_japanese_and_traditional_chinese_lines_obey_kinsoku(lang):
    text = {"ja": "ボトックス注射（ボツリヌス毒素）は、片頭痛の予防に使われます。「注射」ですか？はい、そうです。",
            "zh_Hant": "肉毒桿菌毒素（BOTOX）注射可以幫助治療偏頭痛，是嗎？「可以」。"}[lang] * 5
    for width in range(100, 300, 9):
        setter = TextSetter(FONTS.chain(lang), False, lang)
        for line in setter.lines(text, 12, width):
            pieces = [p for p, _, _ in line.items if p is not None]
            assert pieces[0].text[0] not in NO_LINE_START, (width, pieces[0].text)
            assert pieces[-1].text[-1] not in NO_LINE_END, (width, pieces[-1].text)


def test_japanese_korean_and_chinese_each_get_a_font_of_their_own_design():
    families = {lang: FONTS.index.primary(lang) for lang in ("ja", "ko", "zh_Hant", "zh_Hans")}
    assert len(set(families.values())) == 4, families
    for lang, family in families.items():
        face = FONTS.index.families[family][0]
        assert all(face.covers(cp) for cp in exemplars(lang)), lang


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_is_drawn_by_a_font_that_covers_it(lang):
    chain = FONTS.chain(lang)
    assert chain.missing(language_name(lang)) == []
    assert [chr(cp) for cp in exemplars(lang) if chain.family_name(chr(cp)) is None] == []


def test_forty_languages_besides_english_ship():
    assert len([lang for lang in LANGS if lang != "en"]) >= 40


def test_hebrew_and_yiddish_pages_are_mirrored_like_arabic():
    assert is_rtl("he") and is_rtl("yi") and is_rtl("ar") and not is_rtl("th")


def test_adding_a_font_folder_is_all_a_new_script_needs(tmp_path):
    project = copy_project(tmp_path / "proj")
    (project / "fonts").unlink()
    shutil.copytree(ROOT / "fonts", project / "fonts", ignore=shutil.ignore_patterns("noto-sans-hebrew"))
    shutil.rmtree(project / "locales" / "he")
    code, _, err = run(project, "init", "he")
    assert code == 1 and "Hebrew" in err and "licence" in err, err
    shutil.copytree(ROOT / "fonts" / "noto-sans-hebrew", project / "fonts" / "noto-sans-hebrew")
    code, _, err = run(project, "init", "he")
    assert code == 0, err
    assert FontIndex(project / "fonts").primary("he") == "Noto Sans Hebrew"


def test_language_facts_are_kept_from_one_build_to_the_next(tmp_path, monkeypatch):
    """Names and directions (CLDR) come from the cache a build keeps, English names too (loading
    babel's English names costs a fresh process tens of milliseconds); a cache of an older shape,
    or of another babel, is not used."""
    import json

    from babel import __version__ as babel_version
    from leaflets import translate
    monkeypatch.setattr(translate, "_FACTS", {})
    path = tmp_path / "languages.json"
    facts = translate.LanguageFacts(path)
    assert (language_name("pl"), is_rtl("ar"), translate.english_name("pl")) == ("Polski", True, "Polish")
    facts.keep()
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["babel"] == babel_version and kept["facts"]["pl"] == ["Polski", False, "Polish"]

    kept["facts"]["pl"] = ["Polszczyzna", False, "Polish (kept)"]      # what the cache says is what is used
    kept["facts"]["ar"] = ["العربية", True]                          # an older shape: not used
    path.write_text(json.dumps(kept), encoding="utf-8")
    monkeypatch.setattr(translate, "_FACTS", {})
    translate.LanguageFacts(path)
    assert (language_name("pl"), translate.english_name("pl")) == ("Polszczyzna", "Polish (kept)")
    assert translate.english_name("ar") == "Arabic" and is_rtl("ar")

    kept["babel"] = "0.0"                                                 # another babel: CLDR asked again
    path.write_text(json.dumps(kept), encoding="utf-8")
    monkeypatch.setattr(translate, "_FACTS", {})
    translate.LanguageFacts(path)
    assert translate.english_name("pl") == "Polish"


def test_a_languages_script_is_cldrs_likely_script():
    """script_of asks ICU's CLDR likely subtags (no pickle to load): for every locale babel knows, it
    agrees with babel's copy of the same table, but for the few a newer CLDR revised."""
    likely = get_global("likely_subtags")
    known = [x for x in localedata.locale_identifiers() if "_" not in x]
    agree = [x for x in known if likely.get(x, "").split("_")[1:2] == [script_of(x)]]
    assert len(agree) >= 0.99 * len(known)
    shipped = sorted(p.name for p in (ROOT / "locales").iterdir() if p.is_dir())
    assert [script_of(x) for x in shipped] == [
        next(p for p in (x.split("_")[1:] + likely[x.split("_")[0]].split("_")[1:]) if len(p) == 4)
        for x in shipped]


@given(st.text(max_size=40))
def test_any_language_tag_has_a_script(tag):
    script = script_of(tag)
    assert len(script) == 4 and script.istitle()


def _small_fonts(folder):
    shutil.copytree(ROOT / "fonts" / "noto-sans-hebrew", folder)
    return folder


def _faces(index):
    return sorted((f.path, f.number, f.family, f.bold, f.ranges, f.upem) for f in index.faces)


def test_the_font_index_is_kept_and_read_back_as_it_was_read(tmp_path):
    """What the index read from the fonts is kept (``.leaflets-cache/fonts-index.marshal``, with the
    family chosen for each language); read back, it is what reading the fonts gives."""
    fonts, cache = _small_fonts(tmp_path / "fonts"), tmp_path / "index.marshal"
    fresh = FontIndex(fonts, cache)
    assert fresh.primary("he") == "Noto Sans Hebrew" and cache.is_file()
    fresh.keep_if_changed()
    import leaflets.fontindex as fontindex
    fontindex._READ.clear()                                # (this process's own memory of the fonts)
    kept = FontIndex(fonts, cache)
    assert _faces(kept) == _faces(fresh) and kept._chosen == {"he": "Noto Sans Hebrew"}
    assert all(face.covers(0x05D0) and not face.covers(0x0627) for face in kept.faces)


@given(st.binary(max_size=2000), st.integers(min_value=0, max_value=20000), st.sampled_from(
    ["junk", "cut", "ranges", "faces", "stamp", "files", "chosen"]))
def test_a_damaged_font_index_is_read_again_from_the_fonts(tmp_path_factory, junk, cut, how):
    """A kept index that is junk, cut short or of the wrong shape: the fonts are read again (the same
    faces), never an exception."""
    import leaflets.fontindex as fontindex
    tmp = tmp_path_factory.mktemp("index")
    fonts, cache = _small_fonts(tmp / "fonts"), tmp / "index.marshal"
    expected = _faces(FontIndex(fonts, cache))
    from leaflets import kept
    data = kept.loads(cache.read_bytes())
    entry = next(iter(data["files"].values()))
    if how == "junk":
        damaged = junk
    elif how == "cut":
        damaged = cache.read_bytes()[:cut]
    else:
        if how == "ranges":
            entry["faces"][0]["ranges"] = [[1], "x"]
        elif how == "faces":
            entry["faces"] = [{"path": 1}]
        elif how == "stamp":
            entry["stamp"] = None
        elif how == "files":
            data["files"] = ["not", "a", "dict"]
        else:
            data["chosen"] = {"icu": icu.ICU_VERSION, "languages": {"he": 7, 3: "x"}}
        damaged = kept.dumps(data)
    cache.write_bytes(damaged)
    fontindex._READ.clear()
    again = FontIndex(fonts, cache)
    assert _faces(again) == expected and again.primary("he") == "Noto Sans Hebrew"
