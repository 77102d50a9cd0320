"""Properties of the built PDFs: page size, fonts, metadata, text order, notices."""
import re

import pytest
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

from conftest import ROOT
from leaflets.layout import footer_texts
from leaflets.markup import plain_text
from leaflets.pipeline import Workspace
from leaflets.project import Project
from pdfutil import fonts, page_texts, pdf_objects, squash

LATIN = ["en", "pl", "ro", "pt", "es", "it", "fr", "lt", "tr", "bg", "so"]
ALL = LATIN + ["ar", "ur", "fa", "bn", "hi", "pa", "gu", "ta", "zh_Hans", "ti"]


def _all_content(path) -> str:
    _, pages = pdf_objects(path)
    return "".join(b"".join(resolve1(c).get_data() for c in p.contents).decode("latin-1") for p in pages)


def _pdf(built, lang):
    return built / f"botox-migraines-{lang}.pdf"


def _document(lang):
    ws = Workspace(Project(ROOT))
    leaflet = ws.leaflet("botox-migraines")
    return ws.document(leaflet, lang, ws.languages_of(leaflet))


@pytest.mark.parametrize("lang", ALL)
def test_pages_are_a4(built, lang):
    _, pages = pdf_objects(_pdf(built, lang))
    assert pages
    for page in pages:
        x0, y0, x1, y1 = page.mediabox
        assert (round(x1 - x0, 1), round(y1 - y0, 1)) == (595.3, 841.9)


@pytest.mark.parametrize("lang", ALL)
def test_every_font_is_embedded_truetype(built, lang):
    found = fonts(_pdf(built, lang))
    assert found
    for font in found:
        base = resolve1(font.get("BaseFont")).name
        assert "Helvetica" not in base and "ZapfDingbats" not in base and "Times" not in base
        desc = resolve1(font.get("FontDescriptor"))
        assert desc is not None and "FontFile2" in desc, base
    assert b"/Helvetica" not in _pdf(built, lang).read_bytes()


@pytest.mark.parametrize("lang", ALL)
def test_metadata_language_title_and_outline(built, lang):
    doc, _ = pdf_objects(_pdf(built, lang))
    catalog = doc.catalog
    assert resolve1(catalog["Lang"]).decode() == lang.replace("_", "-")
    info = doc.info[0]
    expected = _document(lang)
    assert decode_text(info["Title"]) == plain_text(expected.title.text)
    assert b"The Cosmetic Skin Clinic" in info["Author"]
    outline = list(doc.get_outlines())
    assert len(outline) == len([s for s in expected.sections if s.heading]) + 1


@pytest.mark.parametrize("lang", ["en", "ar", "ja", "pl"])
@pytest.mark.parametrize("edition", ["", "-large-print", "-print"])
def test_each_outline_entry_opens_the_page_of_its_heading(built, lang, edition):
    """A bookmark takes the reader to its section, not to page 1."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(built / f"botox-migraines-{lang}{edition}.pdf"))
    try:
        texts = [squash(pdf[i].get_textpage().get_text_bounded()) for i in range(len(pdf))]
        toc = list(pdf.get_toc())
        assert len(toc) >= 4
        pages = [entry.get_dest().get_index() for entry in toc]
        assert pages == sorted(pages) and pages[-1] > 0
        for entry, page in zip(toc, pages):
            title = squash(entry.get_title())
            assert title in texts[page], (title, page)
    finally:
        pdf.close()


def _strip_furniture(text: str, doc, page: int, pages: int) -> str:
    text = squash(text)
    furniture = [f"{doc.clinic_name} {doc.language_name}", *doc.notices, *footer_texts(doc, page, pages)]
    for item in furniture:
        text = text.replace(squash(plain_text(item)), " ")
    return squash(text)


@pytest.mark.parametrize("lang", LATIN)
def test_every_translated_unit_appears_in_reading_order(built, lang):
    doc = _document(lang)
    pages = page_texts(_pdf(built, lang))
    body = " ".join(_strip_furniture(t, doc, i + 1, len(pages)) for i, t in enumerate(pages))
    units = [doc.title] + ([doc.subtitle] if doc.subtitle else [])
    for s in doc.sections:
        units += ([s.heading] if s.heading else [])
        for b in s.blocks:
            units += ([b.title] if b.title else []) + [b.text]
    pos = 0
    for unit in units:
        wanted = squash(plain_text(unit.text))
        found = body.find(wanted, pos)
        assert found >= 0, (unit.key, wanted[:60], body[pos:pos + 200])
        pos = found + len(wanted)


@pytest.mark.parametrize("lang", [l for l in ALL if l != "en"])
def test_draft_notice_on_every_page_in_language_and_english(built, lang):
    doc = _document(lang)
    assert doc.state == "draft"
    english = "Draft translation: not yet checked by a qualified translator."
    for i, text in enumerate(page_texts(_pdf(built, lang))):
        if lang in LATIN:
            assert squash(plain_text(doc.notices[0])) in squash(text), i
        assert english in squash(text), i


def test_english_source_has_no_draft_notice(built):
    for text in page_texts(_pdf(built, "en")):
        assert "Draft translation" not in text


@pytest.mark.parametrize("lang", ["en", "ar", "zh_Hans"])
def test_colours_are_cmyk_for_print(built, lang):
    _, pages = pdf_objects(_pdf(built, lang))
    for page in pages:
        content = b"".join(resolve1(c).get_data() for c in page.contents).decode("latin-1")
        ops = set(re.findall(r"\b(rg|RG|g|G|k|K)\n?(?=\s|$)", content))
        assert not ops & {"rg", "RG"}, ops
        assert "k" in ops


def test_body_text_is_at_least_12_points(built):
    sizes = [float(s) for s in re.findall(
        r"/F\S+ ([\d.]+) Tf", _all_content(_pdf(built, "pl")))]
    assert sizes and min(sizes) >= 12


def test_ghostscript_renders_every_pdf_of_every_edition_without_a_word(built):
    """Every PDF the build made (standard, large print, print shop, booklet, bilingual; all languages),
    rendered by Ghostscript, which prints nothing when it finds nothing to warn about."""
    import shutil
    import subprocess
    gs = shutil.which("gs")
    if gs is None:
        pytest.skip("Ghostscript (gs) is not installed")
    from leaflets.project import EDITIONS
    pdfs = sorted(built.glob("*.pdf"))
    kinds = {next((e for e in EDITIONS if p.stem.endswith(f"-{e}")), "standard") for p in pdfs}
    assert kinds == {e for e in EDITIONS if e != "html"}, kinds
    noisy = {}
    for start in range(0, len(pdfs), 20):          # one Ghostscript for 20 files: they are read in turn
        batch = pdfs[start:start + 20]
        result = subprocess.run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-dPDFSTOPONERROR",
                                 "-dPDFSTOPONWARNING", "-sDEVICE=nullpage", *map(str, batch)],
                                capture_output=True, text=True, timeout=600)
        if (result.returncode, result.stderr, result.stdout) != (0, "", ""):
            noisy[batch[0].name] = (result.returncode, result.stderr[:300], result.stdout[:300])
    assert noisy == {}


def test_font_objects_written_again_are_the_bytes_reportlab_formats(monkeypatch):
    """A subset's font objects, formatted once in a process and written again in the next PDF (the
    languages box's are in every PDF), are the bytes ReportLab formats for them afresh."""
    from leaflets.build import render
    from leaflets import pdffont
    from leaflets.pdffont import TextFont
    ws = Workspace(Project(ROOT))
    leaflet = ws.leaflet("botox-migraines")
    doc = ws.document(leaflet, "ar", ws.languages_of(leaflet))
    render(doc, ws.fonts)
    fresh_calls, again_calls = [], []
    original = TextFont._format
    calls = fresh_calls

    def counted(self, *args):
        calls.append(self)
        return original(self, *args)

    monkeypatch.setattr(TextFont, "_format", counted)
    monkeypatch.setattr(pdffont, "_STORE", None)        # formatted afresh, not taken from the disk (test_subsets)
    for font in _text_fonts():
        font._formatted.clear()
    fresh, _ = render(doc, ws.fonts)
    calls = again_calls
    again, _ = render(doc, ws.fonts)
    assert len(fresh_calls) >= 6 and not again_calls      # every subset taken as it was formatted
    assert again == fresh


def _text_fonts():
    from reportlab.pdfbase import pdfmetrics
    from leaflets.pdffont import TextFont
    return [f for f in pdfmetrics._fonts.values() if isinstance(f, TextFont)]
