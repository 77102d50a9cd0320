"""The bilingual edition (out/<leaflet>/<leaflet>-<lang>-bilingual.pdf): the translation beside the English.

Every test reads files built by the command line (``build --edition bilingual``) for Polish, Arabic
(right to left), Thai and Japanese, and reads them back with pdfium, poppler, pikepdf, pdfminer and
Ghostscript.
"""
import re
import shutil
import subprocess

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfua import validate

from conftest import benchmark_module, copy_project, run
from leaflets.build import read_manifest
from leaflets.markup import plain_text
from leaflets.pipeline import Workspace
from leaflets.project import Project
from pdfutil import _OPS, page_texts
from tagutil import content_problems, marked_texts, norm, structure

LEAFLET = "botox-migraines"
LANGS = ["pl", "ar", "th", "ja"]


X = benchmark_module("extract")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("bilingual") / "proj")
    args = [a for lang in [*LANGS, "en"] for a in ("--lang", lang)]
    code, said, err = run(root, "build", *args, "--edition", "bilingual")
    assert code == 0, err
    return root, said


@pytest.fixture(scope="module")
def docs(out):
    ws = Workspace(Project(out[0]))
    leaflet = ws.leaflet(LEAFLET)
    every = ws.languages_of(leaflet)
    return {lang: ws.document(leaflet, lang, every) for lang in [*LANGS, "en"]}


def _path(out, lang):
    return out[0] / "out" / LEAFLET / f"{LEAFLET}-{lang}-bilingual.pdf"


def test_every_translation_has_one_and_the_english_none(out):
    root, said = out
    manifest = read_manifest(root / "out" / LEAFLET)
    for lang in LANGS:
        path = _path(out, lang)
        assert f"out/{LEAFLET}/{path.name}  {manifest[lang]['files']['bilingual']['pages']} pages  draft" in said
        assert len(pdfium.PdfDocument(str(path))) == manifest[lang]["files"]["bilingual"]["pages"] >= 2
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:          # A4 portrait
                assert [round(float(v), 1) for v in page.MediaBox] == [0, 0, 595.3, 841.9]
    assert not _path(out, "en").exists() and "en-bilingual" not in said
    assert "bilingual" not in manifest.get("en", {}).get("files", {})


# --- both languages' words, each column in reading order ------------------------------------------

def _body(doc):
    """The messages of the article and the boxes (the English document's furniture is not printed)."""
    return [m for m in X.messages(doc) if not m.key.startswith(("notice", "band", "footer", "languages.name"))]


def _unfound(msgs, pages, doc, heads):
    """Keys of the messages not in the pages' text, whole, or (a pair split at a page's foot) a start at
    the end of one page's column and the rest at the start of the next page's (the columns' headers,
    ``heads``, between)."""
    whole = X.found(msgs, pages, doc)
    pages = [X.fold("\n".join(line for line in X.fold(p).split("\n") if line.strip() not in heads)) for p in pages]
    lost = []
    for m, ok in zip(msgs, whole):
        text = m.text
        if not ok and not any(X.pattern(text[:k].rstrip()).search(a) and X.pattern(text[k:].lstrip()).search(b)
                              for a, b in zip(pages, pages[1:]) for k in range(1, len(text))
                              if X.pattern(text[:k].rstrip()).search(a)):
            lost.append(m.key)
    return lost


@pytest.mark.parametrize("lang", LANGS)
def test_pdfium_reads_every_block_in_both_languages(out, docs, lang):
    doc, english = docs[lang], docs["en"]
    pages = X.extract(_path(out, lang), "pdfium")
    heads = {X.squash(doc.language_name), english.language_name}
    assert _unfound(X.messages(doc), pages, doc, heads) == []        # the translation, notices, footer, band
    assert _unfound(_body(english), pages, doc, heads) == []         # and the English of every block


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_poppler_reads_each_column_in_order(out, docs, lang):
    """pdftotext's reading order keeps each column's lines together (no line of one column between two
    lines of the other's block): every block is found whole, in both languages. Poppler makes a block of
    lines less than 1.5 em apart: the columns are set at 1.45 em (bilingual.pitch), Arabic, Thai and
    Japanese too, whose own pitch is 1.6 to 1.7 em."""
    doc, english = docs[lang], docs["en"]
    pages = X.extract(_path(out, lang), "poppler")
    heads = {X.squash(doc.language_name), english.language_name}
    assert _unfound(X.messages(doc), pages, doc, heads) == []
    assert _unfound(_body(english), pages, doc, heads) == []


def test_the_pitch_is_under_poppler_block_limit_but_nastaliq_keeps_its_own():
    from leaflets.bilingual import pitch
    assert pitch(1.45) == 1.45 and pitch(1.6) == pitch(1.7) == 1.45 < 1.5
    assert pitch(2.125) == 2.125                     # Urdu's Nastaliq: lines would touch


# --- pairs: the same height, the columns on their sides -------------------------------------------

def _start(textpage, text, other):
    """Where the block of ``text`` starts: the index in the page's text of the longest start of it (up to
    16 characters, so on its first line) that pdfium finds and ``other`` does not hold, and its length."""
    text, other = X.squash(plain_text(text)), X.squash(plain_text(other))
    for n in (16, 12, 8, 5):
        start = text[:n].rstrip()
        if start in other:
            continue
        search, hits = textpage.search(start, match_case=True), []
        while (hit := search.get_next()) is not None:
            hits.append(hit[0])
        at_line_start = [i for i in hits if i == 0 or textpage.get_text_range(i - 1, 1) in ("\n", "\r")]
        if hits:          # a block starts a line: the same words inside another block's line are not it
            return (at_line_start or hits), len(start)
    return [], 0


def _baseline(textpage, index):
    """(x, y) of the character at ``index`` (pdfium's origin), y the baseline of its line: the most common
    origin of the next few characters (HarfBuzz moves some glyphs up or down: marks, cursive joins)."""
    ys = []
    x = y = None
    for i in range(index, min(index + 12, textpage.count_chars())):
        cx, cy = pdfium_c.c_double(), pdfium_c.c_double()
        if pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, cx, cy):
            if x is None:
                x = cx.value
            ys.append(round(cy.value, 1))
    y = max(set(ys), key=ys.count)
    return x, y


def _samples(doc, english):
    pairs = [(doc.title, english.title)]
    for section, eng in zip(doc.sections, english.sections):
        if section.heading:
            pairs.append((section.heading, eng.heading))
        pairs += [(b.text, e.text) for b, e in zip(section.blocks, eng.blocks)][:2]
    return pairs


@pytest.mark.parametrize("lang", LANGS)
def test_a_block_and_its_english_start_at_the_same_height_translation_on_its_reading_side(out, docs, lang):
    doc, english = docs[lang], docs["en"]
    pdf = pdfium.PdfDocument(str(_path(out, lang)))
    measured = 0
    for t, e in _samples(doc, english):
        found = []       # on the page where both starts are found longest (shorter ones occur elsewhere too)
        for page in pdf:
            textpage = page.get_textpage()
            (ts, n), (es, m) = _start(textpage, t.text, e.text), _start(textpage, e.text, t.text)
            if n and m:
                found.append((min(n, m), page.get_width(), textpage, ts, es[0]))
        if not found:
            continue
        _, width, textpage, ts, j = max(found, key=lambda f: f[0])
        xe, ye = _baseline(textpage, j)      # the same words may start another line of the page: the nearest
        xt, yt = min((_baseline(textpage, i) for i in ts), key=lambda xy: abs(xy[1] - ye))
        assert abs(yt - ye) <= 0.5, (t.key, (xt, yt), (xe, ye))
        if doc.rtl:      # the translation's column on its reading-start side, the English beside it
            assert xt > width / 2 > xe, (t.key, xt, xe)
        else:
            assert xt < width / 2 < xe, (t.key, xt, xe)
        measured += 1
    assert measured >= len(_samples(doc, english)) * 0.8, measured


# --- checks as the standard edition's ---------------------------------------------------------------

def _gids(path):
    """The glyph id of every glyph painted (the ToUnicode CMap's ``% glyphs`` line gives each code's)."""
    with open(path, "rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        found = []
        for page in PDFPage.create_pages(doc):
            fonts = {}
            for name, ref in resolve1(page.resources.get("Font", {})).items():
                font = resolve1(ref)
                cmap = resolve1(font["ToUnicode"]).get_data().decode("latin-1")
                listed = re.search(r"% glyphs ([\d ]*)", cmap)
                assert listed, name
                fonts[name] = [int(g) for g in listed.group(1).split()]
            content = b"".join(resolve1(c).get_data() for c in page.contents).decode("latin-1")
            current, mode = None, 0
            for m in _OPS.finditer(content):
                if m.group("font"):
                    current = fonts[m.group("font")]
                elif m.group("tr"):
                    mode = int(m.group("tr"))
                elif (m.group("tj") is not None or m.group("arr") is not None) and mode != 3:
                    hexes = [m.group("tj")] if m.group("tj") is not None else re.findall(r"<([0-9A-Fa-f]*)>",
                                                                                       m.group("arr"))
                    found += [current[c] for c in b"".join(bytes.fromhex(h) for h in hexes)]
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_no_missing_glyph(out, lang):
    gids = _gids(_path(out, lang))
    assert len(gids) > 2000 and 0 not in gids
    assert not any("\ufffd" in t for t in page_texts(_path(out, lang)))


@pytest.mark.parametrize("lang", LANGS)
def test_the_draft_notice_on_every_page_in_the_language_and_in_english(out, docs, lang):
    doc = docs[lang]
    assert len(doc.notices) == 2
    for text in page_texts(_path(out, lang)):
        for notice in doc.notices:
            assert norm(plain_text(notice)) in norm(text)


@pytest.mark.parametrize("lang", LANGS)
def test_tagged_pairs_translation_then_english_and_pdfua(out, docs, lang):
    path = _path(out, lang)
    doc, english = docs[lang], docs["en"]
    report = validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    with pikepdf.open(path) as pdf:
        assert content_problems(pdf) == []
        assert str(pdf.Root.Lang) == lang
        root = structure(pdf)
    marks = marked_texts(path).marks
    texts = [(n.role, n.lang, norm(n.text(marks))) for n in root.walk() if n.content()]
    assert [(r, lang_) for r, lang_, _ in texts[:2]] == [("P", None), ("P", "en")]     # the draft notice,
    assert [t for _, _, t in texts[:2]] == [norm(plain_text(n)) for n in doc.notices]  # content on page 1
    assert texts[2:4] == [("H1", None, norm(plain_text(doc.title.text))),
                          ("H1", "en", norm(plain_text(english.title.text)))]
    for section, eng in zip(doc.sections, english.sections):       # every block: its English right after it
        for block, e in zip(section.blocks, eng.blocks):
            k = next(i for i, (_, _, t) in enumerate(texts) if t == norm(plain_text(block.text.text)))
            assert texts[k + 1] == (texts[k][0], "en", norm(plain_text(e.text.text)))


GS = shutil.which("gs")


@pytest.mark.skipif(GS is None, reason="Ghostscript (gs) is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_ghostscript_reads_it_without_a_word(out, lang):
    result = subprocess.run([GS, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-dPDFSTOPONERROR", "-dPDFSTOPONWARNING",
                             "-sDEVICE=nullpage", str(_path(out, lang))], capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "")


# --- the review copy ----------------------------------------------------------------------------------

def test_approve_names_the_review_copy_and_the_approval_is_printed(project, capsys):
    code, said, _ = run(project, "approve", "pl", "--by", "Anna Nowak", "--leaflet", LEAFLET)
    assert code == 0
    copy = f"out/{LEAFLET}/{LEAFLET}-pl-bilingual.pdf"
    assert f"review copy: {copy} (not built yet: make-leaflets build --lang pl --edition bilingual)" in said
    code, said, err = run(project, "build", "--lang", "pl", "--edition", "bilingual")
    assert code == 0, err
    assert f"{copy}  " in said and "approved" in said
    texts = page_texts(project / copy)
    assert all("Anna Nowak" in t for t in texts)                    # the approval line, in every footer
    assert not any("qualified translator" in t for t in texts)      # and no draft notice
    code, said, _ = run(project, "approve", "pl", "--by", "Anna Nowak", "--leaflet", LEAFLET)
    assert f"review copy: {copy}\n" in said
    capsys.readouterr()
    assert run(project, "approve", "--help")[0] == 0
    assert "out/<leaflet>/<leaflet>-<lang>-bilingual.pdf" in " ".join(capsys.readouterr().out.split())
