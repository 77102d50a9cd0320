"""The benchmark's synthetic library (benchmarks/library.py) is a valid project: its catalogs pass
``check``, templates and catalogs are up to date, and it builds N leaflets × M languages."""

from conftest import FONT_CACHE, benchmark_module, run
from leaflets.project import EDITIONS

OTHER_PDFS = tuple(f"-{e}.pdf" for e in EDITIONS if e not in ("standard", "html"))   # every PDF edition but the standard


def test_library_checks_and_builds_n_leaflets_in_m_languages(tmp_path):
    lib = benchmark_module("library")
    root = lib.make_library(tmp_path / "lib", 2, 3, subsets=FONT_CACHE)
    langs = lib.languages()[:3]
    code, out, _ = run(root, "check")
    assert code == 0, out
    code, out, _ = run(root, "extract")
    assert code == 0 and out.count(": unchanged") == 3, out      # the templates are what extract writes
    code, out, err = run(root, "build")
    assert code == 0, err
    built = sorted(p.name for p in (root / "out").glob("*/*.pdf") if not p.name.endswith(OTHER_PDFS))
    assert built == sorted(f"botox-migraines-{n:02d}-{lang}.pdf" for n in (1, 2) for lang in langs)
    assert "BOTOX for Migraines 02" in (root / "out" / "botox-migraines-02" / "botox-migraines-02-en.html").read_text()


def test_the_reportlab_floor_sets_all_of_the_leaflets_text():
    """bench.py (6) sets the English leaflet's text with ReportLab alone, as a floor to compare our PDF
    with: the comparison is fair only if the floor sets every heading and block of the same text."""
    import re

    import pypdfium2 as pdfium

    from conftest import ROOT
    from leaflets.pipeline import Workspace
    from leaflets.project import Project
    floor = benchmark_module("floor")
    ws = Workspace(Project(ROOT))
    leaflet = ws.leaflets[0]
    doc = ws.document(leaflet, "en", ws.languages_of(leaflet))
    family = ws.fonts.chain("en").primary
    data, pages = floor.reportlab_alone(doc, family.regular.ttf.face.filename, family.bold.ttf.face.filename)()
    pdf = pdfium.PdfDocument(data)
    assert len(pdf) == pages >= 2

    def words(text: str) -> str:
        return " ".join(re.findall(r"\w+", text))

    printed = words(" ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
    texts = floor.plain_texts(doc)
    assert len(texts) > 20 and sum(heading for _, heading in texts) >= 5
    for text, _ in texts:
        assert words(text) in printed, text
    from leaflets.markup import plain_text
    blocks = [plain_text(b.text.text) for section in doc.sections for b in section.blocks]
    assert blocks and set(blocks) <= {t for t, _ in texts}
