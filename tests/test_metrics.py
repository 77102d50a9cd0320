"""ReportLab's parsed font tables kept on disk (:mod:`leaflets.metrics`): a font read back from them
is the font parsed again, to the byte of every subset written; a kept file that is damaged or forged
is ignored (the font is parsed again), never trusted."""
import marshal
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from leaflets import kept
from leaflets.metrics import _path
from leaflets.pdffont import _Face

ROOT = Path(__file__).resolve().parents[1]
FONTS = [ROOT / "fonts" / "noto" / "NotoSans-Regular.ttf", ROOT / "fonts" / "noto-sans-jp" / "NotoSansJP-Regular.ttf"]
TABLES = ("charToGlyph", "charWidths", "glyphToChar")


def _faces(font: Path, folder: Path) -> tuple[_Face, _Face]:
    parsed = _Face(str(font), 0, folder)            # parses the font, and keeps what it read
    assert _path(folder, str(font), 0).is_file()
    return parsed, _Face(str(font), 0, folder)      # read back


def test_a_font_read_back_is_the_font_parsed(tmp_path):
    for font in FONTS:
        parsed, kept = _faces(font, tmp_path)
        assert type(kept) is not type(parsed)                      # it was read back, not parsed
        for name in TABLES:
            assert getattr(kept, name) == getattr(parsed, name), name
        assert list(kept.glyphPos) == list(parsed.glyphPos)
        assert len(kept.hmetrics) == len(parsed.hmetrics) == parsed.numGlyphs
        assert list(kept.hmetrics) == [tuple(pair) for pair in parsed.hmetrics]
        assert kept.hmetrics[-1] == tuple(parsed.hmetrics[-1]) and kept.hmetrics[1:3] == parsed.hmetrics[1:3]
        codes = sorted(parsed.charToGlyph)[::max(1, len(parsed.charToGlyph) // 200)][:200]
        assert kept.makeSubset(codes) == parsed.makeSubset(codes)
        for name in ("unitsPerEm", "ascent", "descent", "bbox", "name", "defaultWidth"):
            assert getattr(kept, name) == getattr(parsed, name), name


def _damaged(tmp_path: Path, change) -> bool:
    """Whether the font is read back (not parsed again) after ``change`` was made to its kept file."""
    font = FONTS[0]
    path = _path(tmp_path, str(font), 0)
    if not path.is_file():
        _Face(str(font), 0, tmp_path)
    data = kept.loads(path.read_bytes())
    path.write_bytes(change(data))
    face = _Face(str(font), 0, tmp_path)
    read_back = type(face) is not _Face
    if not read_back:
        assert face.hmetrics and face.glyphPos                     # parsed again, whole
    return read_back


def test_damaged_tables_are_not_trusted(tmp_path):
    def odd(data):
        data["tables"]["hmetrics"] = data["tables"]["hmetrics"][:-8]       # half a pair short
        return kept.dumps(data)

    def wrong(data):
        data["tables"]["glyphPos"] = b"\x00" * 7
        return kept.dumps(data)

    def missing(data):
        del data["tables"]["glyphPos"]
        return kept.dumps(data)

    assert not _damaged(tmp_path, odd)
    assert not _damaged(tmp_path, wrong)
    assert not _damaged(tmp_path, missing)
    assert _damaged(tmp_path, kept.dumps)                                   # as it was: read back


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=4096), st.integers(min_value=0, max_value=4096))
def test_any_bytes_in_a_kept_file_are_ignored_or_read_whole(tmp_path, junk, cut):
    """A kept file cut short, or replaced by junk: the font is parsed again (or, if what is left still
    holds the tables, read back); never an exception."""
    _damaged(tmp_path, lambda data: junk)
    _damaged(tmp_path, lambda data: kept.dumps(data)[:cut])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("abc xyz\u00a0\u65e5\u672c\u8a9e\u6587\u5b57\u4e00\u4e8c\u4e09\u56db"
                                                   "\u4e94\U000e0001\u0301"), max_size=30), max_size=12),
       st.integers(min_value=0, max_value=600))
def test_the_quick_subset_split_is_reportlabs(runs, filler):
    """``TextFont.splitString`` (codes already given looked up at once) answers exactly as ReportLab's
    loop, run by run, over a document's life: codes past 255 in later subsets, a no-break space,
    characters the font lacks."""
    from reportlab.pdfbase.pdfdoc import PDFDocument
    from reportlab.pdfbase.ttfonts import TTFont
    from leaflets.pdffont import TextFont
    font = TextFont("QuickSplitJP", str(FONTS[1]))
    ours, theirs = PDFDocument(), PDFDocument()
    cjk = "".join(chr(c) for c in sorted(font.face.charToGlyph) if 0x4E00 <= c < 0x9FFF)[:filler]
    for text in [cjk, *runs, cjk, *runs]:
        assert font.splitString(text, ours) == TTFont.splitString(font, text, theirs)


def test_a_big_fonts_maps_are_read_back_sparse_and_answer_as_the_whole(tmp_path):
    """A CJK font's character map and widths (thousands of entries) come back as sorted arrays,
    looked up by bisection: a lookup answers as the parsed dictionary does without making the table
    whole, codes added later are its own, ``codes`` is what the font covers, and ReportLab's string
    width (whose C accelerator reads a plain dictionary) is the parsed font's."""
    from leaflets.metrics import Sparse
    from leaflets.pdffont import TextFont
    parsed, kept = _faces(FONTS[1], tmp_path)
    cmap, widths = kept.charToGlyph, kept.charWidths
    assert isinstance(cmap, Sparse) and isinstance(widths, Sparse)
    assert not isinstance(_faces(FONTS[0], tmp_path)[1].charToGlyph, Sparse)       # a Latin font's: a dict
    probe = [0x20, 0x41, 0x3042, 0x65E5, 0x8A9E, 0xFF01, 0x10FFFF, 0x0590, -1, 2**40, "x", None]
    for code in probe:
        assert (code in cmap) == (code in parsed.charToGlyph), code
        assert cmap.get(code, "none") == parsed.charToGlyph.get(code, "none"), code
        assert widths.get(code, "none") == parsed.charWidths.get(code, "none"), code
        assert type(widths.get(code)) is type(parsed.charWidths.get(code)), code
    assert dict.__len__(cmap) < 10                       # found one by one, not made whole
    cmap[0xF0001] = 7                                    # a glyph key (pdffont.TextFont.key)
    assert cmap[0xF0001] == 7 and 0xF0001 in cmap and 0xF0001 not in cmap.codes and 0x3042 in cmap.codes
    assert len(cmap.codes) == len(parsed.charToGlyph)
    assert dict(cmap) == {**parsed.charToGlyph, 0xF0001: 7} and cmap == {**parsed.charToGlyph, 0xF0001: 7}
    assert set(cmap.codes) == set(parsed.charToGlyph)
    text = "日本語のテキスト、abc。"
    font = TextFont("SparseProbe", str(FONTS[1]), metrics=tmp_path)
    assert isinstance(font.face.charWidths, Sparse)
    expected = sum(parsed.charWidths.get(ord(c), parsed.defaultWidth) for c in text) * 12 / 1000
    assert font.stringWidth(text, 12) == expected and font.stringWidth(text.encode(), 12) == expected


def test_a_damaged_packed_table_is_not_trusted(tmp_path):
    font = FONTS[1]
    path = _path(tmp_path, str(font), 0)
    _Face(str(font), 0, tmp_path)
    data = kept.loads(path.read_bytes())
    kind, codes, values = marshal.loads(data["tables"]["charToGlyph"])[1:]
    for table in ("charToGlyph", "charWidths"):
        saved = data["tables"][table]
        for bad in [("sparse", kind, codes, values[:-8]), ("sparse", "x", codes, values), ("packed", kind, codes, values),
                    ("sparse", kind, codes), ("sparse", kind, codes[:-1], values)]:
            data["tables"][table] = marshal.dumps(bad)
            path.write_bytes(kept.dumps(data))
            face = _Face(str(font), 0, tmp_path)
            assert type(face) is _Face and len(getattr(face, table)) > 10000, (table, bad)    # parsed again, whole
        data["tables"][table] = saved


def test_kept_files_of_another_format_or_reportlab_are_swept_and_the_current_kept(tmp_path):
    """An upgrade leaves the tables kept by the older version, never read again: a build deletes them
    (metrics.sweep, at its end), and only them."""
    from reportlab import Version

    from leaflets.metrics import FORMAT, sweep
    current = _path(tmp_path, str(FONTS[0]), 0)
    _Face(str(FONTS[0]), 0, tmp_path)
    stem = current.name[:current.name.index("-rl")]
    old = [tmp_path / f"{stem}-rl{Version}-{FORMAT - 1}.marshal", tmp_path / f"{stem}-rl3.6.0-{FORMAT}.marshal",
           tmp_path / f"Other-0-1-2-rl{Version}-2.marshal"]
    other = [tmp_path / "notes.txt", tmp_path / f"Other-0-1-2-rl{Version}-{FORMAT}.marshal"]
    for path in old + other:
        path.write_bytes(b"x")
    assert sweep(tmp_path) == 3
    assert current.is_file() and all(p.is_file() for p in other) and not any(p.exists() for p in old)
    assert sweep(tmp_path / "missing") == 0
