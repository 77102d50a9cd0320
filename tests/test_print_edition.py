"""The print-shop edition (render_pdf(..., "print")): PDF/X-4, bleed and crop marks, CMYK only, dated.

Every test reads files rendered here by ``render_pdf`` (the build is wired to this edition elsewhere):
English, Arabic (a mirrored page), Simplified Chinese and Hindi, with and without SOURCE_DATE_EPOCH.
"""
import re
import shutil
import subprocess
import time
from collections import Counter

import pikepdf
import pypdfium2 as pdfium
import pytest
from pdfua import validate

from conftest import ROOT
from leaflets.layout import BAND_HEIGHT, BAND_TOP, MARGIN
from leaflets.pipeline import Workspace
from leaflets.project import Project
from leaflets.render import render_pdf
from pdfutil import page_texts
from tagutil import TEXT_SHOWS, content_problems, marked_texts, structure, xmp_value

WS = Workspace(Project(ROOT))
LEAFLET = WS.leaflet("botox-migraines")
LANGS = ["en", "ar", "zh_Hans", "hi"]
MM = 72 / 25.4
A4 = (595.2756, 841.8898)
BLEED = 3 * MM                       # 8.504 pt


def _render(lang, edition="print"):
    return render_pdf(WS.document(LEAFLET, lang, WS.languages_of(LEAFLET)), WS.fonts, edition)[0]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """lang → (print PDF, standard PDF), rendered now (no SOURCE_DATE_EPOCH), and the time before."""
    mp = pytest.MonkeyPatch()
    mp.delenv("SOURCE_DATE_EPOCH", raising=False)
    folder = tmp_path_factory.mktemp("print")
    out = {"started": time.time()}
    try:
        for lang in LANGS:
            for edition, name in (("print", f"botox-migraines-{lang}-print.pdf"),
                                  ("standard", f"botox-migraines-{lang}.pdf")):
                (folder / name).write_bytes(_render(lang, edition))
            out[lang] = (folder / f"botox-migraines-{lang}-print.pdf", folder / f"botox-migraines-{lang}.pdf")
    finally:
        mp.undo()
    out["finished"] = time.time()
    return out


def _box(page, name):
    return [float(v) for v in page.obj[name]]


@pytest.mark.parametrize("lang", LANGS)
def test_page_boxes_trim_is_a4_bleed_3mm_media_has_room_for_marks(files, lang):
    pdf = pikepdf.open(files[lang][0])
    assert len(pdf.pages) >= 3
    for page in pdf.pages:
        media, bleed, trim = _box(page, "/MediaBox"), _box(page, "/BleedBox"), _box(page, "/TrimBox")
        assert trim[2] - trim[0] == pytest.approx(A4[0], abs=0.01)
        assert trim[3] - trim[1] == pytest.approx(A4[1], abs=0.01)
        for side in range(4):
            out = -1 if side < 2 else 1              # lower-left corner: smaller; upper-right: larger
            assert (bleed[side] - trim[side]) * out == pytest.approx(BLEED, abs=0.001)
            assert (media[side] - bleed[side]) * out >= 7 * MM       # crop marks (6 mm) beyond the bleed
        assert "/CropBox" not in page.obj or _box(page, "/CropBox") == media


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_output_intent_is_fogra39_with_its_profile(files, lang):
    pdf = pikepdf.open(files[lang][0])
    intents = list(pdf.Root.OutputIntents)
    assert len(intents) == 1
    intent = intents[0]
    assert intent.Type == pikepdf.Name.OutputIntent and intent.S == pikepdf.Name.GTS_PDFX
    assert str(intent.OutputConditionIdentifier) == "FOGRA39"
    assert str(intent.RegistryName) == "http://www.color.org"
    assert str(intent.Info) == "Coated FOGRA39 (ISO 12647-2:2004)"
    profile = intent.DestOutputProfile
    assert int(profile.N) == 4
    icc = profile.read_bytes()
    assert int.from_bytes(icc[:4], "big") == len(icc)
    assert (icc[12:16], icc[16:20], icc[20:24], icc[36:40]) == (b"prtr", b"CMYK", b"Lab ", b"acsp")
    assert b"Coated FOGRA39" in icc


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pdfx_and_pdfua_identification_info_and_xmp(files, lang):
    pdf = pikepdf.open(files[lang][0])
    assert pdf.pdf_version == "1.6" and len(pdf.trailer.ID) == 2
    info = pdf.docinfo
    assert str(info.GTS_PDFXVersion) == "PDF/X-4"
    assert info.Trapped == pikepdf.Name("/False")
    assert "/GTS_PDFXConformance" not in info                # X-1a's key, not X-4's
    xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
    assert xmp_value(xmp, "pdfxid:GTS_PDFXVersion") == "PDF/X-4"
    assert 'xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"' in xmp
    assert xmp_value(xmp, "pdfuaid:part") == "1"
    assert xmp_value(xmp, "pdf:Trapped") == "False"
    assert xmp_value(xmp, "dc:title") == str(info.Title) != ""
    assert re.fullmatch(r"uuid:[0-9a-f-]{36}", xmp_value(xmp, "xmpMM:DocumentID"))
    assert re.fullmatch(r"uuid:[0-9a-f-]{36}", xmp_value(xmp, "xmpMM:InstanceID"))
    assert xmp_value(xmp, "xmpMM:VersionID") == "1" and xmp_value(xmp, "xmpMM:RenditionClass") == "default"
    created = _date(str(info.CreationDate))
    assert str(info.ModDate) == str(info.CreationDate)
    for name in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
        assert xmp_value(xmp, name) == created.replace(" ", "T"), name


def _date(pdf_date: str) -> str:
    """D:YYYYMMDDHHmmSS+hh'mm' → 'YYYY-MM-DD HH:mm:SS+hh:mm'."""
    m = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-]\d\d)'(\d\d)'", pdf_date)
    assert m, pdf_date
    y, mo, d, h, mi, s, tzh, tzm = m.groups()
    return f"{y}-{mo}-{d} {h}:{mi}:{s}{tzh}:{tzm}"


def _epoch(pdf_date: str) -> float:
    from datetime import datetime
    return datetime.fromisoformat(_date(pdf_date)).timestamp()


def test_creation_date_is_the_time_of_the_build(files):
    printed, standard = pikepdf.open(files["en"][0]), pikepdf.open(files["en"][1])
    assert files["started"] - 2 <= _epoch(str(printed.docinfo.CreationDate)) <= files["finished"] + 2
    assert str(standard.docinfo.CreationDate).startswith("D:2000")      # the other editions stay invariant


def test_source_date_epoch_is_honoured_and_reproducible(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = _render("en"), _render("en")
    assert first == second                                     # a reproducible build
    pdf = pikepdf.open(__import__("io").BytesIO(first))
    assert str(pdf.docinfo.CreationDate) == "D:20231114221320+00'00'"
    xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
    assert xmp_value(xmp, "xmp:CreateDate") == "2023-11-14T22:13:20+00:00"


# --- colour ---------------------------------------------------------------------------------------

NOT_CMYK = {"rg", "RG", "g", "G", "cs", "CS", "sc", "SC", "scn", "SCN", "sh"}


def _operations(pdf):
    """(page index, operator, operands) of every page and of every form XObject they use."""
    for index, page in enumerate(pdf.pages):
        for item in pikepdf.parse_content_stream(page):
            if isinstance(item, pikepdf.ContentStreamInlineImage):
                yield index, "INLINE IMAGE", [item.iimage]
            else:
                yield index, str(item.operator), list(item.operands)
        for _, xobject in (page.Resources.get("/XObject") or {}).items():
            if xobject.Subtype == pikepdf.Name.Form:
                for item in pikepdf.parse_content_stream(xobject):
                    yield index, str(item.operator), list(item.operands)


@pytest.mark.parametrize("lang", LANGS)
def test_only_cmyk_colour_and_total_ink_at_most_300_percent(files, lang):
    pdf = pikepdf.open(files[lang][0])
    ops = Counter()
    for _, op, operands in _operations(pdf):
        ops[op] += 1
        assert op not in NOT_CMYK, op
        if op in ("k", "K"):
            values = [float(v) for v in operands]
            assert len(values) == 4 and all(0 <= v <= 1 for v in values), values
            assert sum(values) <= 3.0, values
        if op == "INLINE IMAGE":
            assert operands[0].colorspace == "/DeviceCMYK"
    assert ops["k"] and ops["K"]
    for page in pdf.pages:        # no colour space, image or shading that is not DeviceCMYK
        res = page.Resources
        assert "/ColorSpace" not in res and "/Shading" not in res and "/Pattern" not in res
        for _, xobject in (res.get("/XObject") or {}).items():
            if xobject.Subtype == pikepdf.Name.Image:
                assert xobject.ColorSpace == pikepdf.Name.DeviceCMYK


def _text_colours(pdf) -> Counter:
    """The fill colour (CMYK) of every text-showing operator, counted (the last k in force)."""
    colours, stack, fill = Counter(), [], None
    for _, op, operands in _operations(pdf):
        if op == "q":
            stack.append(fill)
        elif op == "Q":
            fill = stack.pop()
        elif op == "k":
            fill = tuple(round(float(v), 3) for v in operands)
        elif op in TEXT_SHOWS:
            colours[fill] += 1
    return colours


@pytest.mark.parametrize("lang", LANGS)
def test_black_text_is_100_percent_k(files, lang):
    colours = _text_colours(pikepdf.open(files[lang][0]))
    assert None not in colours                               # every text drawn after a CMYK fill colour
    assert colours.most_common(1)[0][0] == (0, 0, 0, 1)      # the body text
    for colour in colours:
        assert colour[3] < 0.8 or colour == (0, 0, 0, 1), colour    # dark text: K alone, no rich black


# --- fonts ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_font_subset_has_its_own_tag(files, lang):
    pdf = pikepdf.open(files[lang][0])
    fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == pikepdf.Name.Font]
    assert len(fonts) >= 2
    tags = []
    for font in fonts:
        base = str(font.BaseFont)[1:]
        assert re.fullmatch(r"[A-Z]{6}\+.+", base), base
        assert str(font.FontDescriptor.FontName)[1:] == base
        assert "/FontFile2" in font.FontDescriptor
        tags.append(base[:6])
    assert len(set(tags)) == len(tags), Counter(tags).most_common(3)


# --- bleed and crop marks -------------------------------------------------------------------------

SCALE = 2.0


def _render_page(path):
    """Page 1 as pixels, all of its MediaBox (bleed and marks too), and the point → pixel mapping."""
    page = pdfium.PdfDocument(str(path))[0]
    left, bottom, _, top = page.get_mediabox()
    image = page.render(scale=SCALE, may_draw_forms=False).to_pil().convert("RGB")
    return image, lambda x, y: (int(round((x - left) * SCALE)), int(round((top - y) * SCALE)))


def _near(a, b, tolerance=12):
    return all(abs(p - q) <= tolerance for p, q in zip(a, b))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_band_reaches_into_the_bleed(files, lang):
    image, px = _render_page(files[lang][0])
    W, H = A4
    band_y = H - BAND_TOP - BAND_HEIGHT + 2                  # just above the band's bottom edge
    band = image.getpixel(px(MARGIN / 2, H - BAND_TOP - BAND_HEIGHT / 2))    # beside any text
    assert not _near(band, (255, 255, 255)), band
    # the top bleed strip, its full width, and the side bleed strips beside the band
    for x in [-BLEED + 1, 1, MARGIN / 2, W / 2, W - 1, W + BLEED - 1]:
        for y in [H + 1, H + BLEED / 2, H + BLEED - 1]:
            assert _near(image.getpixel(px(x, y)), band), (x, y)
    for x in [-BLEED + 1, -1, W + 1, W + BLEED - 1]:
        for y in [band_y, H - 1]:
            assert _near(image.getpixel(px(x, y)), band), (x, y)
    # and no further: between the bleed and the crop marks the media is white
    for x in [-BLEED - 2 * MM + 1, W / 2]:
        assert _near(image.getpixel(px(x, H + BLEED + 2)), (255, 255, 255)), x
    # the standard edition's band stays inside the page (its corner is white)
    standard = pdfium.PdfDocument(str(files[lang][1]))[0].render(scale=SCALE).to_pil().convert("RGB")
    assert _near(standard.getpixel((int(5 * SCALE), int(5 * SCALE))), (255, 255, 255))


def _marks(pdf):
    """The lines of each page's /Artifact <</Type /Page>> sequences and the stroke colour they use."""
    found = {}
    for index, page in enumerate(pdf.pages):
        lines, depth, inside, point, stroke = [], 0, False, None, None
        for item in pikepdf.parse_content_stream(page):
            op, operands = str(item.operator), list(item.operands)
            if op in ("BDC", "BMC"):
                depth += 1
                if (op == "BDC" and str(operands[0]) == "/Artifact"
                        and operands[1].get("/Type") == pikepdf.Name.Page):
                    inside = depth
            elif op == "EMC":
                if inside == depth:
                    inside = False
                depth -= 1
            elif inside and op == "K":
                stroke = tuple(float(v) for v in operands)
            elif inside and op == "m":
                point = tuple(float(v) for v in operands)
            elif inside and op == "l":
                end = tuple(float(v) for v in operands)
                lines.append((point, end, stroke))
                point = end
        found[index] = lines
    return found


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_crop_marks_beyond_the_bleed_in_100_percent_k_as_artifacts(files, lang):
    pdf = pikepdf.open(files[lang][0])
    assert content_problems(pdf) == []
    W, H = A4
    for index, lines in _marks(pdf).items():
        assert len(lines) == 8, index                       # two at each corner
        corners = set()
        for (x0, y0), (x1, y1), stroke in lines:
            assert stroke == (0, 0, 0, 1)
            vertical = x0 == x1
            assert vertical or y0 == y1
            edge, along = (x0, (y0, y1)) if vertical else (y0, (x0, x1))
            assert any(abs(edge - e) < 0.01 for e in ((0, W) if vertical else (0, H)))   # the trim produced
            size = H if vertical else W
            outside = [-v if v < 0 else v - size for v in along]
            assert min(outside) >= BLEED + 0.5 * MM and max(outside) >= 8 * MM, along
            corners.add((x0 + x1 > W, y0 + y1 > H, vertical))
        assert len(corners) == 8
    image, px = _render_page(files[lang][0])
    x, y = px(0, -7 * MM)                                    # a mark is drawn, visibly, beyond the bleed
    assert min(sum(image.getpixel((x + dx, y))) for dx in (-1, 0, 1)) < 600


# --- everything else as the standard edition ------------------------------------------------------

def _tree(path):
    marks = marked_texts(path).marks

    def walk(node, depth):
        yield depth, node.role, node.lang, node.text(marks) if node.content() else None
        for kid in node.kids:
            if not isinstance(kid, tuple):
                yield from walk(kid, depth + 1)
    return list(walk(structure(pikepdf.open(path)), 0))


@pytest.mark.parametrize("lang", LANGS)
def test_same_text_tags_and_notices_as_the_standard_edition(files, lang):
    printed, standard = files[lang]
    assert page_texts(printed) == page_texts(standard)
    assert _tree(printed) == _tree(standard)
    report = validate(str(printed))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    assert pikepdf.open(printed).check_pdf_syntax() == []


GS = shutil.which("gs")


@pytest.mark.skipif(GS is None, reason="Ghostscript (gs) is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_ghostscript_reads_it_without_a_word(files, lang):
    result = subprocess.run([GS, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-dPDFSTOPONERROR", "-dPDFSTOPONWARNING",
                             "-sDEVICE=nullpage", str(files[lang][0])], capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "")
