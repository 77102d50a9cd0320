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
