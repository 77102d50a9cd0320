"""What the pages say and where: names whole, the language list, mirrored boxes, dates, bidi by ICU."""
import pypdfium2 as pdfium
import pytest

from conftest import ROOT, run
from leaflets.flowables import LanguageList
from leaflets.fonts import FontLibrary
from leaflets.layout import MARGIN, footer_texts, make_styles, story
from leaflets.pipeline import Workspace
from leaflets.project import Project
from leaflets.render import _language_setter, setter_for
from leaflets.text import TextSetter

FONTS = FontLibrary(ROOT / "fonts")
WS = Workspace(Project(ROOT))
LEAFLET = WS.leaflet("botox-migraines")
CLINIC = "The Cosmetic Skin Clinic"


def _document(lang):
    return WS.document(LEAFLET, lang, WS.languages_of(LEAFLET))


def _line_texts(lines):
    return ["".join(p.text if p is not None else " " for p, _, _ in line.items) for line in lines]


@pytest.mark.parametrize("lang", ["ar", "bg", "en"])
def test_names_are_never_split(lang):
    doc = _document(lang)
    setter = setter_for(doc, FONTS)
    text = f"{doc.title.text} {CLINIC} BOTOX {doc.title.text} 中文 (简体)"
    for width in range(170, 400, 7):
        lines = _line_texts(setter.lines(text, 12, width))
        assert any(CLINIC in line for line in lines), (width, lines)


@pytest.mark.parametrize("lang", ["es", "pt", "en", "pl"])
def test_footer_dates_stay_whole(lang):
    doc = _document(lang)
    setter = setter_for(doc, FONTS)
    width = 595.3 - 2 * MARGIN
    dates = doc.keep_whole[-2:]
    for text in footer_texts(doc, 3, 4):
        lines = _line_texts(setter.lines(text, 12, width))
        for date in dates:
            if date in text.replace("\u00a0", " "):
                assert any(date in line for line in lines), (date, lines)


def test_english_dates_follow_the_clinic_locale():
    doc = _document("en")
    assert "Published: 24 November 2026" in doc.footer[2] and "Next review: 24 November 2029" in doc.footer[3]


def test_unknown_clinic_locale_is_an_error_with_line(project):
    path = project / "content" / "clinic.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("locale: en_GB", "locale: xx_QQ"), encoding="utf-8")
    code, _, err = run(project, "build", "--lang", "en")
    assert code == 1 and "content/clinic.yaml:" in err and "unknown locale 'xx_QQ'" in err


def _language_list(lang, width=300):
    doc = _document(lang)
    flow = [f for f in story(doc, setter_for(doc, FONTS), make_styles(1.5), _language_setter(FONTS))]
    panel = flow[-1]
    lists = [f for f in panel.content if isinstance(f, LanguageList)]
    assert len(lists) == 1
    lst = lists[0]
    lst.wrap(width, 1e6)
    return doc, lst


@pytest.mark.parametrize("lang", ["ur", "ar", "bg", "en"])
def test_language_list_names_whole_each_in_its_own_fonts(lang):
    doc, lst = _language_list(lang)
    names = [name for _, name in doc.other_languages]
    rows = [["".join(p.text for p, _, _ in line.items if p is not None) for line in row] for row in lst._rows]
    assert [n.replace(" ", "") for row in rows for n in row] == [n.replace(" ", "") for n in names]
    assert len(rows) > 1
    for setter, name in lst.names:
        code = next(c for c, n in doc.other_languages if n == name)
        assert setter.lang == code
    faces = {name: {p.face.name for p, _, _ in setter.lines(name, 12, 1e6)[0].items if p is not None}
             for setter, name in lst.names}
    if "العربية" in faces:            # in the Urdu leaflet too: Arabic in Naskh, not in Urdu's Nastaliq
        assert all(f.startswith("NotoNaskhArabic") for f in faces["العربية"])
        assert all(f.startswith("NotoNaskhArabic") for f in faces["فارسی"])


def test_chinese_name_keeps_its_brackets_on_a_right_to_left_page():
    setter = TextSetter(FONTS.chain("ar"), True, "ar")
    line = setter.lines("اللغات: 中文 (简体) و English", 12, 1e6)[0]
    visual = "".join(p.text for p, _, _ in line.visual() if p is not None)
    assert "中文(简体)" in visual or "中文 (简体)" in visual, visual


def test_bidi_controls_in_the_english_source_do_not_crash(project):
    path = project / "content" / "clinic.yaml"
    text = path.read_text(encoding="utf-8").replace(f"name: {CLINIC}", f"name: \"\u2067{CLINIC}\u2069\"")
    path.write_text(text, encoding="utf-8")
    leaflet = project / "content" / "botox-migraines.yaml"
    leaflet.write_text(leaflet.read_text(encoding="utf-8").replace(
        "text: BOTOX for Migraines", "text: \"\u202bBOTOX\u202c for Migraines\""), encoding="utf-8")
    code, out, err = run(project, "build", "--lang", "en", "--lang", "ar")
    assert "botox-migraines-en.pdf  3 pages  source" in out, err


def test_contact_box_is_on_the_start_side_of_a_mirrored_page(built):
    pdf = pdfium.PdfDocument(str(built / "botox-migraines-ar.pdf"))
    for number in reversed(range(len(pdf))):             # the contact box is on one of the last pages
        page = pdf[number]
        width = page.get_width()
        text = page.get_textpage()
        searcher = text.search(CLINIC)
        boxes = []
        while True:
            found = searcher.get_next()
            if not found:
                break
            index, count = found
            boxes.append(text.get_charbox(index + count - 1))
        if len(boxes) == 2:
            break
    assert len(boxes) == 2                               # the band and the contact box
    contact = min(boxes, key=lambda b: b[1])             # the lower one
    assert contact[2] > width - MARGIN - 30, (contact, width)     # right edge near the right margin
