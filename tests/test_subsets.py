"""Font subsets kept on disk (:mod:`leaflets.subsets`) and font files read only when a table is
(:class:`leaflets.pdffont._Face`): a PDF written from kept subsets is the PDF made without them, to
the byte; a kept entry that is damaged, forged or another's is never used; the store stays bounded;
and a build that only names a script in its languages box does not read that script's font."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT
from leaflets import kept as kept_files
from leaflets.errors import FontError
from leaflets.pdffont import _Face
from leaflets.subsets import SubsetStore, trim

JP = ROOT / "fonts" / "noto-sans-jp" / "NotoSansJP-Regular.ttf"


def _build(root: Path, out: str, *args: str) -> dict[str, bytes]:
    """``build --lang pl`` in a fresh process (no subset remembered in memory); the PDFs it wrote."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000")
    proc = subprocess.run([sys.executable, "-m", "leaflets", "--root", str(root), "build", "--lang", "pl",
                           "--out", str(root / out), "--jobs", "1", *args],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return {p.name: p.read_bytes() for p in sorted((root / out).rglob("*.pdf"))}


def _entries(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (root / ".leaflets-cache" / "subsets").glob("*.marshal")}


def test_pdfs_written_from_kept_subsets_are_the_pdfs_made_without_them(project):
    made = _build(project, "made", "--edition", "standard", "--edition", "large-print")
    kept = _entries(project)
    assert len(kept) >= 15                          # the languages box's fonts, and the body's
    metrics = sorted((project / ".leaflets-cache" / "metrics").glob("*.marshal"))
    older = project / ".leaflets-cache" / "metrics" / "NotoSans-Regular-0-1-2-rl1.0-1.marshal"
    older.write_bytes(b"kept by an older version")
    again = _build(project, "again", "--edition", "standard", "--edition", "large-print")
    assert again == made
    assert not older.exists() and sorted((project / ".leaflets-cache" / "metrics").glob("*.marshal")) == metrics
    assert _entries(project).keys() == kept.keys()  # every subset taken from the store: none made again

    folder = project / ".leaflets-cache" / "subsets"
    names = sorted(kept)
    for i, name in enumerate(names):                # forged: each entry holds another's key and objects
        (folder / name).write_bytes(kept[names[(i + 1) % len(names)]])
    assert _build(project, "forged", "--edition", "standard", "--edition", "large-print") == made
    for name in names:                              # damaged: cut short, or objects of the wrong shape
        key, objects = kept_files.loads(kept[name])
        (folder / name).write_bytes(kept[name][:len(kept[name]) // 2] if len(name) % 2 else
                                    kept_files.dumps((key, (objects[0], objects[1], objects[2], (b"x", 9, b"y")))))
    assert _build(project, "damaged", "--edition", "standard", "--edition", "large-print") == made
    assert _entries(project) == kept                # and each was made again, as it was


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(max_size=400), key=st.binary(max_size=40))
def test_any_bytes_in_a_kept_entry_are_ignored_or_well_formed(tmp_path, junk, key):
    store = SubsetStore(tmp_path)
    store._path(key).write_bytes(junk)
    found = store.get(key)
    assert found is None or (len(found) == 4 and all(isinstance(part, tuple) for part in found))


def test_a_well_formed_entry_is_read_back_and_a_foreign_key_is_not(tmp_path):
    store = SubsetStore(tmp_path)
    made = ((b"cmap",), (b"program",), (b"<< /FontFile2 ", 1, b" >>"), (b"<< /Name ", 3, b" >>"))
    key = store.key(("Font.ttf", 1, 2, 0, "Font-Regular", 0, True), ((65, 36, 0, 600.0),))
    store.put(key, made)
    assert store.get(key) == made
    other = store.key(("Font.ttf", 1, 2, 0, "Font-Regular", 0, True), ((66, 37, 0, 600.0),))
    store._path(other).write_bytes(store._path(key).read_bytes())    # the same bytes under another name
    assert store.get(other) is None


def test_the_store_keeps_the_entries_used_last(tmp_path):
    store = SubsetStore(tmp_path)
    made = ((b"a",), (b"b",), (b"c",), (b"d",))
    keys = [store.key(("F.ttf", n), ()) for n in range(6)]
    for n, key in enumerate(keys):
        store.put(key, made)
        os.utime(store._path(key), ns=(n * 10**9, n * 10**9))
    assert store.get(keys[0]) == made               # used now: newest
    assert trim(tmp_path, limit=3) == 3
    assert [store.get(k) is not None for k in keys] == [True, False, False, False, True, True]
    assert trim(tmp_path, limit=3) == 0


def test_a_build_leaves_the_store_bounded(project):
    """A fresh process (no subset remembered in memory), its store's bound lowered to 5."""
    script = ("import sys; from leaflets import subsets; subsets.LIMIT = 5; from leaflets.cli import main; "
              "sys.exit(main(sys.argv[1:]))")
    proc = subprocess.run([sys.executable, "-c", script, "--root", str(project), "build", "--lang", "pl",
                           "--edition", "standard", "--jobs", "1"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert len(_entries(project)) == 5               # more were made, the oldest deleted


def test_a_font_whose_tables_are_kept_is_read_only_when_a_table_is(tmp_path):
    parsed = _Face(str(JP), 0, tmp_path)            # parsed: the whole file read
    assert "_ttf_data" in parsed.__dict__
    kept = _Face(str(JP), 0, tmp_path)              # read back: the table directory only
    assert "_ttf_data" not in kept.__dict__ and kept.charToGlyph == parsed.charToGlyph
    codes = [ord(c) for c in "日本語"]
    assert kept.makeSubset(codes) == parsed.makeSubset(codes)
    assert len(kept.__dict__["_ttf_data"]) == JP.stat().st_size


def test_a_font_file_changed_after_its_start_was_read_is_not_used(tmp_path):
    font = tmp_path / "NotoSansJP-Regular.ttf"
    shutil.copy2(JP, font)
    _Face(str(font), 0, tmp_path / "metrics")
    kept = _Face(str(font), 0, tmp_path / "metrics")
    stamp = font.stat()
    os.utime(font, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))   # another font under its name
    with pytest.raises(FontError) as caught:
        kept.makeSubset([ord("日")])
    assert caught.value.path == str(font) and "changed" in caught.value.message
    _Face(str(font), 0, tmp_path / "metrics")                              # its new reading kept
    again = _Face(str(font), 0, tmp_path / "metrics")
    assert "_ttf_data" not in again.__dict__
    font.unlink()                                                          # and then no font there at all
    with pytest.raises(FontError) as caught:
        again.makeSubset([ord("日")])
    assert caught.value.path == str(font) and "no longer be read" in caught.value.message


def test_a_polish_build_reads_no_cjk_font_once_its_subsets_are_kept(project):
    script = ("import sys, leaflets.fonts as f; from leaflets.cli import main; "
              "code = main(sys.argv[1:]); "
              "print(sorted(face.ttf.face.filename.rsplit('/', 1)[-1] for face in f._LOADED.values() "
              "if 'CJK' in face.name or face.ttf.face.filename.endswith(('JP-Regular.ttf', 'KR-Regular.ttf', "
              "'TC-Regular.ttf', 'microhei.ttc')) if '_ttf_data' in face.ttf.face.__dict__)); sys.exit(code)")

    def read_whole() -> str:
        proc = subprocess.run([sys.executable, "-c", script, "--root", str(project), "build", "--lang", "pl",
                               "--edition", "standard", "--jobs", "1", "--force"],
                              capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip().splitlines()[-1]

    assert read_whole() != "[]"                     # the first build cuts the subsets: it reads the fonts
    assert read_whole() == "[]"                     # the next takes them from the store
