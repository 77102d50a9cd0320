"""The A5 booklet edition (render_pdf(..., "booklet")): A5 pages imposed two to a side on A4 sheets.

Every test reads files rendered here by ``render_pdf`` (English, and Arabic: a right-to-left booklet,
bound on the other side), and one build through the command line. Where each booklet page must be
is the issue's rule, written here on its own: for n pages, sheet s (from 0) has on its front
n−2s | 2s+1 and on its back 2s+2 | n−2s−1 (left | right); right-to-left booklets mirror each side.
Each half of each sheet side is read back by poppler (``pdftotext -x -y -W -H``) and must carry
that page's own footer ("Page N of M", in the language) and no other.
"""
import re
import shutil
import subprocess

import pikepdf
import pypdfium2 as pdfium
import pytest
from pdfua import validate

from conftest import ROOT, run
from leaflets.markup import plain_text
from leaflets.pipeline import Workspace
from leaflets.project import Project
from leaflets.render import render_pdf
from tagutil import content_problems, marked_texts, norm, structure

WS = Workspace(Project(ROOT))
LEAFLET = WS.leaflet("botox-migraines")
LANGS = ["en", "ar"]
TALL = "ta"         # Tamil: under its tall draft notice, its summary box cannot stay whole on an A5 page
MM = 72 / 25.4
SHEET = (841.8898, 595.2756)          # A4 landscape
A5 = (419.5276, 595.2756)
X0 = (SHEET[0] - 2 * A5[0]) / 2       # the half millimetre A4 has beyond two A5s, on each side
GS = shutil.which("gs")


def _doc(lang):
    return WS.document(LEAFLET, lang, WS.languages_of(LEAFLET))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """lang → (booklet PDF, standard PDF, booklet pages as render_pdf counts them)."""
    folder = tmp_path_factory.mktemp("booklet")
    out = {}
    for lang in [*LANGS, TALL]:
        doc = _doc(lang)
        booklet, pages = render_pdf(doc, WS.fonts, "booklet")
        standard, _ = render_pdf(doc, WS.fonts, "standard")
        (folder / f"{lang}-booklet.pdf").write_bytes(booklet)
        (folder / f"{lang}.pdf").write_bytes(standard)
        out[lang] = (folder / f"{lang}-booklet.pdf", folder / f"{lang}.pdf", pages)
    return out


def expected_sides(n: int, rtl: bool) -> list[tuple[int, int]]:
    out = []
    for s in range(n // 4):
        front, back = (n - 2 * s, 2 * s + 1), (2 * s + 2, n - 2 * s - 1)
        out += [front[::-1], back[::-1]] if rtl else [front, back]
    return out


def half_text(path, side: int, half: int) -> str:
    """What poppler reads in one half (0 left, 1 right) of one sheet side (from 0)."""
    x = X0 + half * A5[0]
    result = subprocess.run(["pdftotext", "-r", "72", "-f", str(side + 1), "-l", str(side + 1),
                             "-x", str(int(x + 1)), "-y", "0", "-W", str(int(A5[0] - 2)), "-H", str(int(SHEET[1])),
                             str(path), "-"], capture_output=True, text=True, check=True)
    return norm(result.stdout)


def footers_in(text: str, label: str, pages: int) -> list[int]:
    """The booklet page numbers whose footer label ("Page N of M") is in ``text``."""
    return [n for n in range(1, pages + 1) if norm(label.format(page=n, pages=pages)) in text]


# --- sheets and pages -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_sheets_are_a4_landscape_two_a5_pages_a_side(files, lang):
    path, standard, pages = files[lang]
    pdf = pikepdf.open(path)
    assert pages % 4 == 0 and pages >= 4
    assert len(pdf.pages) == pages // 2 == 2 * (pages // 4)       # two sides a sheet, two pages a side
    for page in pdf.pages:
        media = [float(v) for v in page.obj.MediaBox]
        assert media == pytest.approx([0, 0, *SHEET], abs=0.01)
        for box in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
            assert box not in page.obj or [float(v) for v in page.obj[box]] == pytest.approx(media, abs=0.01)
        assert "/Rotate" not in page.obj or int(page.obj.Rotate) == 0
    assert len(pikepdf.open(standard).pages) < pages         # A5 holds less than A4


@pytest.mark.parametrize("lang", LANGS)
def test_duplex_flip_on_short_edge_at_full_size(files, lang):
    pdf = pikepdf.open(files[lang][0])
    prefs = pdf.Root.ViewerPreferences
    assert prefs.Duplex == pikepdf.Name.DuplexFlipShortEdge
    assert prefs.PrintScaling == pikepdf.Name("/None")
    assert prefs.DisplayDocTitle is True
    assert pdf.pdf_version >= "1.7"                       # /Duplex is PDF 1.7


@pytest.mark.parametrize("lang", LANGS)
def test_every_booklet_page_on_its_half_of_its_sheet(files, lang):
    path, _, pages = files[lang]
    doc = _doc(lang)
    layout = expected_sides(pages, doc.rtl)
    assert len(layout) == len(pikepdf.open(path).pages)
    seen = []
    for side, halves in enumerate(layout):
        for half, number in enumerate(halves):
            found = footers_in(half_text(path, side, half), doc.page_label, pages)
            assert found == [number], (side, half, found)
            seen.append(number)
    assert sorted(seen) == list(range(1, pages + 1))


@pytest.mark.parametrize("lang", LANGS)
def test_cover_on_the_front_of_sheet_1_on_the_side_the_booklet_opens(files, lang):
    """Folded, the front of sheet 1 is outside: its right half is the cover of a booklet bound on
    the left (English), its left half the cover of one bound on the right (Arabic)."""
    path, _, pages = files[lang]
    doc = _doc(lang)
    cover, back = (0, 1) if doc.rtl else (1, 0)
    title = norm(plain_text(doc.title.text))
    assert title in half_text(path, 0, cover)
    assert title not in half_text(path, 0, back)
    assert footers_in(half_text(path, 0, back), doc.page_label, pages) == [pages]       # the back cover


def _text_pages(path, pages: int, doc) -> dict[int, str]:
    layout = expected_sides(pages, doc.rtl)
    return {number: half_text(path, side, half) for side, halves in enumerate(layout)
            for half, number in enumerate(halves)}


@pytest.mark.parametrize("lang", LANGS)
def test_padded_with_ruled_notes_pages_after_the_text(files, lang):
    path, _, pages = files[lang]
    doc = _doc(lang)
    marks = marked_texts(path).marks
    root = structure(pikepdf.open(path))
    layout = expected_sides(pages, doc.rtl)
    where = {number: (side, half) for side, halves in enumerate(layout) for half, number in enumerate(halves)}
    # a booklet page has text content if an MCID on its sheet side is painted in its half
    tagged_sides = {side for node in root.walk() for side, _ in node.content()}
    content = _content_halves(path)
    text_pages = [n for n in range(1, pages + 1) if where[n] in content]
    assert text_pages == list(range(1, len(text_pages) + 1))        # the text runs on, no gap
    notes = list(range(len(text_pages) + 1, pages + 1))
    assert len(notes) < 4 and (len(text_pages) + len(notes)) % 4 == 0
    assert {where[n][0] for n in text_pages} <= tagged_sides and marks
    texts = _text_pages(path, pages, doc)
    for n in notes:                       # furniture only: band, notice, footer (this page's number)
        side, half = where[n]
        assert footers_in(texts[n], doc.page_label, pages) == [n]
        assert _rules(path, side, half) >= 10, n
    if lang == "ar":                      # the draft notice on every page, in Arabic and in English
        for n in range(1, pages + 1):
            assert all(norm(plain_text(t)) in texts[n] for t in doc.notices), n


def _content_halves(path) -> set[tuple[int, int]]:
    """(sheet side, half) of every tagged (MCID) text-showing operator, from the content streams."""
    pdf = pikepdf.open(path)
    found = set()
    for side, page in enumerate(pdf.pages):
        depth, x = [], X0
        for item in pikepdf.parse_content_stream(page):
            op, operands = str(item.operator), list(item.operands)
            if _half_start(op, operands) is not None:
                x = _half_start(op, operands)
            elif op in ("BDC", "BMC"):
                mcid = op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]
                depth.append(mcid)
            elif op == "EMC":
                depth.pop()
            elif op in ("Tj", "TJ") and any(depth):
                found.add((side, 0 if x < X0 + A5[0] / 2 else 1))
    return found


def _half_start(op, operands) -> float | None:
    """The x of a half, if this is the translation that starts drawing one."""
    if op != "cm" or [float(v) for v in operands] != pytest.approx([1, 0, 0, 1, float(operands[4]), 0]):
        return None
    x = float(operands[4])
    return x if any(abs(x - (X0 + h * A5[0])) < 0.01 for h in (0, 1)) else None


def _rules(path, side: int, half: int) -> int:
    """Horizontal rules across the measure of one half, counted on pixels (1 px = 1 pt)."""
    image = pdfium.PdfDocument(str(path))[side].render(scale=1).to_pil().convert("L")
    left = X0 + half * A5[0]
    xs = [int(left + A5[0] * f) for f in (0.2, 0.5, 0.8)]
    count, previous = 0, False
    for y in range(image.height):
        dark = all(image.getpixel((x, y)) < 225 for x in xs)
        count += dark and not previous
        previous = dark
    return count


@pytest.mark.parametrize("lang", LANGS)
def test_everything_at_least_10_mm_inside_each_pages_trim(files, lang):
    path = files[lang][0]
    scale = 2
    pdf = pdfium.PdfDocument(str(path))
    edge = int(10 * MM * scale)
    for side in range(len(pdf)):
        image = pdf[side].render(scale=scale).to_pil().convert("L")
        w, h = image.size
        for half in (0, 1):
            left = int((X0 + half * A5[0]) * scale)
            right = int((X0 + (half + 1) * A5[0]) * scale)
            strips = [(left, 0, left + edge, h), (right - edge, 0, right, h),
                      (left, 0, right, edge), (left, h - edge, right, h)]
            for box in strips:
                assert image.crop(box).getextrema()[0] >= 250, (side, half, box)      # white


# --- a tagged PDF, in reading order ---------------------------------------------------------------

def _tree(path):
    marks = marked_texts(path).marks

    def walk(node, depth):
        yield depth, node.role, node.lang, norm(node.text(marks)) if node.content() else None
        for kid in node.kids:
            if not isinstance(kid, tuple):
                yield from walk(kid, depth + 1)
    return list(walk(structure(pikepdf.open(path)), 0))


@pytest.mark.parametrize("lang", [*LANGS, TALL])
def test_structure_tree_reads_in_booklet_order_as_the_standard_edition(files, lang):
    path, standard, pages = files[lang]
    tree = _tree(path)
    assert tree == _tree(standard)                      # every element, its language and its text
    headings = [(role, text) for _, role, _, text in tree if role in ("H1", "H2")]
    assert headings[0] == ("H1", norm(plain_text(_doc(lang).title.text)))
    # its content, in tree order, is on booklet pages in order (page 1 first), whatever the sheets' order
    doc = _doc(lang)
    where = {}
    for side, halves in enumerate(expected_sides(pages, doc.rtl)):
        for half, number in enumerate(halves):
            where[(side, half)] = number
    order = _mcid_halves(path)
    root = structure(pikepdf.open(path))
    numbers = [where[order[item]] for node in root.walk() for item in node.content()]
    assert numbers == sorted(numbers) and numbers[0] == 1


def _mcid_halves(path) -> dict[tuple[int, int], tuple[int, int]]:
    """(sheet side, MCID) → (sheet side, half it is drawn in)."""
    pdf = pikepdf.open(path)
    out = {}
    for side, page in enumerate(pdf.pages):
        x = X0
        for item in pikepdf.parse_content_stream(page):
            op, operands = str(item.operator), list(item.operands)
            if _half_start(op, operands) is not None:
                x = _half_start(op, operands)
            elif op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                key = (side, int(operands[1].MCID))
                assert key not in out, key                      # one MCID, one sequence, per sheet side
                out[key] = (side, 0 if x < X0 + A5[0] / 2 else 1)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_pdfua_clean_and_every_mcid_in_the_parent_tree(files, lang):
    path = files[lang][0]
    report = validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    pdf = pikepdf.open(path)
    assert content_problems(pdf) == [] and pdf.check_pdf_syntax() == []
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    parents = {int(nums[i]): list(nums[i + 1]) for i in range(0, len(nums), 2)}
    drawn = _mcid_halves(path)
    for side, page in enumerate(pdf.pages):
        key = int(page.obj.StructParents)
        assert key == side
        assert sorted(m for s, m in drawn if s == side) == list(range(len(parents[key])))
    # each MCID's parent element has it as a kid on that page
    root = structure(pdf)
    owner = {item: node.obj.objgen for node in root.walk() for item in node.content()}
    assert set(owner) == set(drawn)
    for (side, mcid), objgen in owner.items():
        assert parents[side][mcid].objgen == objgen


@pytest.mark.parametrize("lang", LANGS)
def test_outline_entries_go_to_their_headings_half_sheet(files, lang):
    path, _, pages = files[lang]
    pdf = pikepdf.open(path)
    index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    item, checked = pdf.Root.Outlines.First, 0
    while True:
        dest = item.Dest
        side, left = index[dest[0].objgen], float(dest[2])
        assert dest[1] == pikepdf.Name.XYZ and float(dest[3]) == pytest.approx(SHEET[1], abs=0.01)
        half = 0 if left < X0 + A5[0] / 2 else 1
        assert left == pytest.approx(X0 + half * A5[0], abs=0.01)
        assert norm(str(item.Title)) in half_text(path, side, half)
        checked += 1
        if "/Next" not in item:
            break
        item = item.Next
    assert checked >= 5


def test_a_box_taller_than_a_page_goes_on_over_two_pages_whole(files):
    """Tamil's summary (heading and paragraph) is taller than an A5 page's frame: the box splits
    inside the paragraph, which is one element with its text on two booklet pages, none of it lost."""
    path, standard, pages = files[TALL]
    doc = _doc(TALL)
    summary = next(s for s in doc.sections if s.style == "summary")
    paragraph = norm(plain_text(summary.blocks[0].text.text))
    marks = marked_texts(path).marks
    where = {}
    for side, halves in enumerate(expected_sides(pages, doc.rtl)):
        for half, number in enumerate(halves):
            where[(side, half)] = number
    halves = _mcid_halves(path)
    found = [node for node in structure(pikepdf.open(path)).walk()
             if node.role == "P" and norm(node.text(marks)) == paragraph]
    assert len(found) == 1
    numbers = sorted({where[halves[item]] for item in found[0].content()})
    assert len(numbers) == 2 and numbers[1] == numbers[0] + 1, numbers


# --- fonts and Ghostscript ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_fonts_embedded_and_no_glyph_0_painted(files, lang):
    pdf = pikepdf.open(files[lang][0])
    fonts = {}
    for page in pdf.pages:
        for name, font in page.Resources.Font.items():
            assert "/FontFile2" in font.FontDescriptor, str(font.BaseFont)
            assert re.fullmatch(r"/[A-Z]{6}\+.+", str(font.BaseFont)), str(font.BaseFont)
            listed = re.search(r"% glyphs ([\d ]*)", font.ToUnicode.read_bytes().decode("latin-1"))
            fonts[name] = [int(g) for g in listed.group(1).split()]
    painted = 0
    for page in pdf.pages:
        current = None
        for item in pikepdf.parse_content_stream(page):
            op, operands = str(item.operator), list(item.operands)
            if op == "Tf":
                current = fonts[str(operands[0])]
            elif op in ("Tj", "TJ"):
                strings = [operands[0]] if op == "Tj" else [s for s in operands[0] if isinstance(s, pikepdf.String)]
                for code in b"".join(bytes(s) for s in strings):
                    assert current[code] != 0
                    painted += 1
    assert painted > 1000


@pytest.mark.skipif(GS is None, reason="Ghostscript (gs) is not installed")
@pytest.mark.parametrize("lang", [*LANGS, TALL])
def test_ghostscript_reads_it_without_a_word(files, lang):
    result = subprocess.run([GS, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-dPDFSTOPONERROR", "-dPDFSTOPONWARNING",
                             "-sDEVICE=nullpage", str(files[lang][0])], capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "")


# --- the build ------------------------------------------------------------------------------------

def test_built_with_the_other_editions_and_linked_from_the_staff_page(project):
    code, out, err = run(project, "build", "--lang", "en", "--lang", "ar", "--edition", "booklet")
    assert code == 0, err
    folder = project / "out" / "botox-migraines"
    for lang, state in (("en", "source"), ("ar", "draft")):
        path = folder / f"botox-migraines-{lang}-booklet.pdf"
        pages = len(pikepdf.open(path).pages) * 2
        assert re.search(rf"out/botox-migraines/botox-migraines-{lang}-booklet\.pdf\s+{pages} pages\s+{state}", out), out
        assert oct(path.stat().st_mode & 0o777) != "0o600"
    assert not list(folder.glob("*-print.pdf")) and not list(folder.glob("botox-migraines-en.pdf"))
    index = (project / "out" / "index.html").read_text()
    assert 'href="botox-migraines/botox-migraines-ar-booklet.pdf">A5 booklet PDF' in index
    code, out, _ = run(project, "build", "--lang", "en", "--edition", "booklet")
    assert code == 0 and "(unchanged)" in out
