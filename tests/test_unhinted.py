"""Embedded fonts without hinting (:mod:`leaflets.unhinted`): the subsets in a built PDF carry no
hinting tables and no glyph instructions, and every outline, advance and cmap entry is the font's
own; a damaged font program is passed on as it is, and any bytes at all are handled without an
error, in time proportional to their size."""
import io
from pathlib import Path

from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, example, given, settings, strategies as st
from pdfminer.pdftypes import resolve1
from reportlab.pdfbase.ttfonts import TTFontFace

from leaflets.unhinted import HINTING, unhinted
from pdfutil import fonts

ROOT = Path(__file__).resolve().parents[1]
FONTS = sorted((ROOT / "fonts").glob("*/*.tt[fc]"))
HINTED = ROOT / "fonts" / "noto" / "NotoSans-Regular.ttf"


def _subset(font: Path, every: int = 3, count: int = 300) -> bytes:
    face = TTFontFace(str(font), validate=0, subfontIndex=0)
    return face.makeSubset(sorted(face.charToGlyph)[:count * every:every])


def _outlines(font: TTFont) -> list:
    glyf = font["glyf"]
    out = []
    for name in font.getGlyphOrder():
        coords, ends, flags = glyf[name].getCoordinates(glyf)
        out.append((name, list(coords), list(ends), list(flags)))
    return out


def _programs(font: TTFont) -> int:
    glyf = font["glyf"]
    return sum(1 for name in font.getGlyphOrder()
               if hasattr(glyf[name], "program") and glyf[name].program.getBytecode())


def test_the_shipped_fonts_are_hinted_so_the_test_means_something():
    hinted = TTFont(io.BytesIO(_subset(HINTED)))
    assert {"fpgm", "prep", "cvt "} <= set(hinted.keys()) and _programs(hinted) > 0


def _instructed(font: TTFont) -> bool:
    return font["maxp"].maxSizeOfInstructions > 0


def test_every_outline_advance_and_code_is_the_fonts_own():
    hinted = 0
    for path in FONTS:
        raw = _subset(path)
        before, after = TTFont(io.BytesIO(raw)), TTFont(io.BytesIO(unhinted(raw)))
        if _instructed(before):
            hinted += 1
            assert not set(HINTING) & set(after.keys()), path.name
        else:                                  # made without hinting: taken as it is
            assert unhinted(raw) == raw and _programs(before) == 0, path.name
        assert _programs(after) == 0, path.name
        assert _outlines(after) == _outlines(before), path.name
        assert after["hmtx"].metrics == before["hmtx"].metrics, path.name
        assert after["cmap"].getBestCmap() == before["cmap"].getBestCmap(), path.name
        assert after["maxp"].numGlyphs == before["maxp"].numGlyphs, path.name
    assert hinted >= 10


def _font_programs(pdf: Path) -> list[bytes]:
    found = []
    for font in fonts(pdf):
        desc = resolve1(font.get("FontDescriptor"))
        found.append(resolve1(desc["FontFile2"]).get_data())
    return found


def test_a_built_pdf_embeds_its_fonts_without_hinting(built):
    for lang in ("en", "hi", "ar", "ur"):
        programs = _font_programs(built / f"botox-migraines-{lang}.pdf")
        assert programs
        for data in programs:
            font = TTFont(io.BytesIO(data))
            assert not {"fpgm", "cvt "} & set(font.keys()), lang
            assert _programs(font) == 0 and ("prep" not in font or not _instructed(font)), lang


def test_a_damaged_font_program_is_passed_on_as_it_is():
    raw = _subset(HINTED)
    for cut in (20, 200, len(raw) // 2):
        assert unhinted(raw[:cut]) == raw[:cut]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=20000), st.binary(min_size=1, max_size=64))
@example(at=5, junk=b"\x12")      # more tables than the directory holds: they overlap, 2.4 times the file
def test_any_damage_gives_bytes_not_an_error(at, junk):
    raw = _subset(HINTED, every=40, count=40)
    at %= len(raw)
    damaged = raw[:at] + junk + raw[at + len(junk):]
    out = unhinted(damaged)
    assert isinstance(out, bytes) and len(out) <= 2 * len(damaged) + 1024
