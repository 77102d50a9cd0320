"""The staff page, out/index.html: every leaflet and language, states, page counts, links and thumbnails,
in headless Chromium from a file:// URL, and no work when nothing changed.

Set LEAFLETS_SCREENSHOTS=<folder> to keep the screenshot the browser test takes.
"""
import datetime as dt
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pypdfium2 as pdfium
import pytest
from PIL import Image

from conftest import ROOT, break_a_msgstr, copy_project, run
from leaflets import staffpage
from leaflets.build import read_manifest
from leaflets.project import editions_of
from leaflets.files import new_file_mode
from leaflets.pipeline import Workspace
from leaflets.project import Project
from leaflets.staffpage import write_index
from leaflets.thumbnails import THUMB_WIDTH
from leaflets.translate import english_name, is_rtl, language_name
from test_html import AXE, AXE_RUN, WCAG_TAGS, Tree, squash
from test_html import browser  # noqa: F401  (the fixture: headless Chromium, skipped where it is not installed)

LEAFLET = "botox-migraines"


def _workspace(root: Path) -> Workspace:
    return Workspace(Project(root))


def _languages(ws):
    return ["en"] + [x for x in ws.languages() if x != "en"]


@pytest.fixture(scope="module")
def library(built, tmp_path_factory):
    """The whole library as the test run built it (a copy of its out folder), with its staff page."""
    out = tmp_path_factory.mktemp("staff") / "out"
    shutil.copytree(built.parent, out)
    ws = _workspace(built.parent.parent)
    return ws, out, write_index(ws, out)


def _small(tmp_path, langs=("ar", "de", "pl")) -> Path:
    """A project with a few languages, built."""
    root = copy_project(tmp_path / "proj")
    for folder in (root / "locales").iterdir():
        if folder.is_dir() and folder.name not in langs:
            shutil.rmtree(folder)
    assert run(root, "build")[0] == 0
    return root


# --- reading the page ----------------------------------------------------------------------

def _classes(node):
    return node.attrs.get("class", "").split()


def _columns(root):
    """The language code of every column after the leaflet's."""
    (thead,) = root.all("thead")
    heads = [th for th in thead.all("th") if th.attrs.get("scope") == "col"]
    assert heads[0].text() == "Leaflet"
    return heads[1:]


def _table(root):
    """{leaflet id: (row header, {lang: cell})}."""
    langs = [next(n for n in th.iter() if "code" in _classes(n)).text() for th in _columns(root)]
    rows = {}
    for tr in root.all("tbody")[0].all("tr"):
        (head,) = [th for th in tr.all("th") if th.attrs.get("scope") == "row"]
        leaflet = next(n for n in head.iter() if "meta" in _classes(n)).text().split(",")[0]
        cells = tr.all("td")
        assert len(cells) == len(langs)
        rows[leaflet] = (head, dict(zip(langs, cells)))
    return langs, rows


def _state(td):
    (state,) = [n for n in td.iter() if "state" in _classes(n)]
    after = state.parent.children[state.parent.children.index(state) + 1:]
    detail = squash("".join(c if isinstance(c, str) else c.text() for c in after if isinstance(c, str)
                            or c.tag == "span"))
    return state.text(), detail


def _links(td):
    return {a.text(): (a.attrs["href"], squash(a.parent.text())) for a in td.all("a")}


def _page(index: Path):
    return Tree(index.read_text(encoding="utf-8")).root


def _pixels_of_page_1(pdf: Path):
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[0]
    image = page.render(scale=THUMB_WIDTH / page.get_size()[0]).to_pil().convert("RGB")
    doc.close()
    return image.size, hashlib.sha256(image.tobytes()).hexdigest()


# --- the whole library -----------------------------------------------------------------------

def test_every_leaflet_and_language_with_state_pages_links_and_thumbnail(library):
    ws, out, index = library
    root = _page(index)
    langs, rows = _table(root)
    assert langs == _languages(ws) and len(langs) == 44
    assert list(rows) == [lf.id for lf in ws.leaflets]
    for th, lang in zip(_columns(root), langs):           # names in their own script and in English
        spans = {c: n for n in th.all("span") for c in _classes(n)}
        assert (spans["native"].attrs["lang"], spans["native"].attrs["dir"], spans["native"].text()) == \
            (lang.replace("_", "-"), "rtl" if is_rtl(lang) else "ltr", language_name(lang))
        if english_name(lang) != language_name(lang):           # Filipino is Filipino in both
            assert (spans["english"].attrs, spans["english"].text()) == \
                ({"class": "english", "lang": "en", "dir": "ltr"}, english_name(lang))
        else:
            assert "english" not in spans
    for leaflet in ws.leaflets:
        head, cells = rows[leaflet.id]
        assert squash(head.text()).startswith("BOTOX for Migraines")
        manifest = read_manifest(out / leaflet.id)
        for lang, td in cells.items():
            assert _state(td) == (manifest[lang]["state"], "")
            assert manifest[lang]["state"] == ("source" if lang == "en" else "draft")
            links = _links(td)
            targets = {e: ws.project.output(out, leaflet.id, lang, e) for e in editions_of(lang)}
            assert {out / unquote(href) for href, _ in links.values()} == set(targets.values())
            assert all(t.is_file() for t in targets.values())
            for edition, name in (("standard", "Standard PDF"), ("large-print", "Large print PDF")):
                pages = len(pdfium.PdfDocument(str(targets[edition])))
                assert links[name][1] == f"{name}, {pages} pages"
                assert f"{pages}\u00a0pages" in td.text()          # the number kept with its word (no wrap)
            (img,) = td.all("img")
            thumb = out / unquote(img.attrs["src"])
            assert thumb == out / leaflet.id / "thumbs" / f"{leaflet.id}-{lang}.png"
            assert thumb.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert stat.S_IMODE(thumb.stat().st_mode) == new_file_mode(out / "no such file")
            with Image.open(thumb) as png:
                size, pixels = png.size, hashlib.sha256(png.convert("RGB").tobytes()).hexdigest()
            assert abs(size[1] / size[0] - 841.89 / 595.28) < 0.01                 # A4, upright
            assert (size, pixels) == _pixels_of_page_1(targets["standard"])        # exactly page 1
            assert (int(img.attrs["width"]), int(img.attrs["height"])) == (size[0] // 2, size[1] // 2)
            assert img.attrs["alt"].startswith("Page 1 of BOTOX for Migraines, standard PDF")


def test_page_is_plain_static_and_accessible_markup(library):
    _, _, index = library
    source = index.read_text(encoding="utf-8")
    root = Tree(source).root
    assert "<script" not in source and "<link" not in source and "url(http" not in source
    assert all(not a.attrs["href"].startswith(("/", "http", "file:")) for a in root.all("a"))   # relative
    (html,) = root.all("html")
    assert html.attrs == {"lang": "en", "dir": "ltr"}
    (table,) = root.all("table")
    assert table.all("caption") and all(th.attrs.get("scope") in ("col", "row") for th in table.all("th"))
    assert len(re.findall(r"@font-face\{[^}]*src:url\(data:font/woff2;base64,", source)) >= 10


# --- in the browser ------------------------------------------------------------------------

def test_page_in_chromium_from_a_file_url(library, browser, tmp_path):
    ws, out, index = library
    url = index.as_uri()
    target, session = browser.open(url, width=1400, height=900)
    try:
        shot = browser.screenshot(session)
        folder = Path(os.environ.get("LEAFLETS_SCREENSHOTS") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "staff-index.png").write_bytes(shot)
        assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 50_000
        loaded = browser.evaluate(session, "[...document.images].map(i => i.complete && i.naturalWidth)")
        assert loaded == [THUMB_WIDTH] * 44
        faces = browser.evaluate(session, "[...document.fonts].map(f => f.status)")
        assert faces and set(faces) == {"loaded"}
        drawn = browser.platform_fonts(session)                 # no system font drew anything
        assert drawn and all(f["isCustomFont"] for f in drawn), {f["familyName"] for f in drawn}
        browser.evaluate(session, AXE.read_text(encoding="utf-8"))
        result = browser.evaluate(session, AXE_RUN % WCAG_TAGS)
        assert result["violations"] == [], result["violations"]
        assert {"color-contrast", "td-headers-attr", "image-alt", "valid-lang"} <= set(result["passes"])
        report = browser.report(session, url)
        assert (report.console, report.exceptions, report.log) == ([], [], [])
        thumbs = {(out / LEAFLET / "thumbs" / f"{LEAFLET}-{x}.png").as_uri() for x in _languages(ws)}
        asked = [u for u in report.requests if not u.startswith("data:font/")]
        assert asked[0] == url and set(asked[1:]) == thumbs
        printed = pdfium.PdfDocument(browser.print_pdf(session))        # on paper, every cell names its language
        assert {tuple(round(x) for x in printed[i].get_size()) for i in range(len(printed))} == {(595, 842)}
        text = squash(" ".join(printed[i].get_textpage().get_text_range() for i in range(len(printed))))
        assert all(english_name(x) in text for x in _languages(ws))
    finally:
        browser.close_page(target)


# --- states ----------------------------------------------------------------------------------

def test_states_approved_not_printable_outdated_and_no_catalog(tmp_path):
    root = _small(tmp_path)
    ws = _workspace(root)
    reviewer = "Dr <b>Zoë</b> & Co <script>alert(1)</script>"
    assert run(root, "approve", "pl", "--by", reviewer)[0] == 0
    po = root / "locales" / "de" / "LC_MESSAGES" / f"{LEAFLET}.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "BOTOX bei Migräne"',
                  'msgstr "<img src=x onerror=alert(1)> BOTOX"'), encoding="utf-8")
    assert run(root, "build")[0] == 1                                       # German does not print
    index = write_index(ws, root / "out")
    source = index.read_text(encoding="utf-8")
    assert "<script>alert" not in source and "<img src=x" not in source and "<b>Zoë" not in source
    _, cells = _table(_page(index))[1][LEAFLET]
    error = read_manifest(root / "out" / LEAFLET)["de"]["error"]
    assert "<img src=x onerror=alert(1)>" in error and "is not allowed" in error
    assert {lang: _state(td) for lang, td in cells.items()} == {
        "en": ("source", ""), "ar": ("draft", ""), "de": ("not printable", error),
        "pl": ("approved", f"by {reviewer} on {dt.date.today().isoformat()}")}
    assert len(_links(cells["de"])) == len(editions_of("de"))                 # its last good files are still there, and linked

    content = root / "content" / f"{LEAFLET}.yaml"
    content.write_text(content.read_text(encoding="utf-8").replace("text: BOTOX for Migraines",
                                                                   "text: BOTOX for migraine"), encoding="utf-8")
    (root / "locales" / "ar" / "LC_MESSAGES" / f"{LEAFLET}.po").unlink()
    assert run(root, "build", "--lang", "en")[0] == 0
    head, cells = _table(_page(write_index(_workspace(root), root / "out")))[1][LEAFLET]
    changed = "PDF is outdated: the English of version 1.0 changed since it was built"
    assert {lang: _state(td) for lang, td in cells.items()} == {
        "en": ("source", ""), "ar": ("no catalog", ""), "de": ("not printable", error),
        "pl": ("outdated", changed)}
    assert squash(head.text()).startswith("BOTOX for migraine ")


# --- no work when nothing changed --------------------------------------------------------------

def _stamps(out: Path):
    files = [out / "index.html", *sorted((out / LEAFLET / "thumbs").glob("*.png"))]
    return {f.name: (f.stat().st_ino, f.stat().st_mtime_ns) for f in files}


def test_nothing_rewritten_when_nothing_changed_and_only_a_changed_pdf_redrawn(tmp_path, monkeypatch):
    root = _small(tmp_path, ("de", "pl"))
    out = root / "out"
    drawn = []

    def counting(pdf, *args):
        drawn.append(pdf.name)
        return render_thumbnail(pdf, *args)

    render_thumbnail = staffpage.render_thumbnail
    monkeypatch.setattr(staffpage, "render_thumbnail", counting)
    assert (out / "index.html").is_file()                     # the build writes the staff page
    for png in (out / LEAFLET / "thumbs").glob("*.png"):
        png.unlink()
    write_index(_workspace(root), out)
    assert sorted(drawn) == [f"{LEAFLET}-{x}.pdf" for x in ("de", "en", "pl")]
    before, drawn[:] = _stamps(out), []

    assert run(root, "build")[0] == 0                         # nothing changed
    write_index(_workspace(root), out)
    assert drawn == [] and _stamps(out) == before
    (out / ".index.json").unlink()                            # even drawn again, the same bytes are not written
    write_index(_workspace(root), out)
    assert _stamps(out)["index.html"] == before["index.html"]
    drawn[:], before = [], _stamps(out)
    check = ("import sys; from pathlib import Path; from leaflets.pipeline import Workspace; "
             "from leaflets.project import Project; from leaflets.staffpage import write_index; "
             f"write_index(Workspace(Project(Path({str(root)!r}))), Path({str(out)!r})); "
             "print(sorted(m for m in ('pypdfium2', 'fontTools.subset') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout.strip() == "[]"         # a no-op loads neither pdfium nor fontTools

    po = root / "locales" / "pl" / "LC_MESSAGES" / f"{LEAFLET}.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "BOTOX na migrenę"',
                                                         'msgstr "BOTOX przy migrenie"'), encoding="utf-8")
    assert run(root, "build")[0] == 0         # the build draws the new PDF's picture where it made it
    after = _stamps(out)
    assert drawn == []                          # ... so the staff page drew none itself
    assert {name for name in after if after[name] != before[name]} <= {f"{LEAFLET}-pl.png", "index.html"}
    assert after[f"{LEAFLET}-pl.png"] != before[f"{LEAFLET}-pl.png"]
    with Image.open(out / LEAFLET / "thumbs" / f"{LEAFLET}-pl.png") as png:
        assert (png.size, hashlib.sha256(png.convert("RGB").tobytes()).hexdigest()) == _pixels_of_page_1(out / LEAFLET / f"{LEAFLET}-pl.pdf")
    write_index(_workspace(root), out)
    assert drawn == [] and _stamps(out) == after       # and nothing is left to draw


def test_the_page_is_drawn_again_only_when_what_it_shows_changed(tmp_path, monkeypatch):
    """A PDF rebuilt after an edit, with the same pages, shows the same cell: the page (its fonts found
    and subset) is not drawn again. A cell that changes (a catalog that no longer prints) redraws it,
    to what a page drawn afresh is."""
    root = _small(tmp_path, ("de", "pl"))
    out = root / "out"
    bodies = []
    real = staffpage.render_page
    monkeypatch.setattr(staffpage, "render_page", lambda ws, body: bodies.append(body) or real(ws, body))
    page = (out / "index.html").read_bytes()
    pdf = (out / LEAFLET / f"{LEAFLET}-pl.pdf").read_bytes()
    po = root / "locales" / "pl" / "LC_MESSAGES" / f"{LEAFLET}.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "BOTOX na migrenę"',
                                                         'msgstr "BOTOX przy migrenie"'), encoding="utf-8")
    assert run(root, "build")[0] == 0
    assert (out / LEAFLET / f"{LEAFLET}-pl.pdf").read_bytes() != pdf          # rebuilt ...
    assert bodies == [] and (out / "index.html").read_bytes() == page       # ... the page as it was

    break_a_msgstr(po)
    assert run(root, "build")[0] == 1                                         # Polish no longer prints
    assert len(bodies) == 1 and "not printable" in bodies[0]
    fresh = real(_workspace(root), bodies[0]).encode("utf-8")
    assert (out / "index.html").read_bytes() == fresh != page


def test_a_picture_handed_over_is_taken_only_for_the_pdf_it_was_drawn_from(tmp_path, monkeypatch):
    """The build writes the pictures it draws and tells the staff page the hashes of each PDF and
    picture; a picture is taken as it is only if its PDF still has that hash and the picture on disk
    is the one drawn: one whose PDF was written again since, or that something else overwrote, is
    drawn again from the PDF."""
    root = _small(tmp_path, ("de", "pl"))
    out, ws = root / "out", _workspace(root)
    thumb = out / LEAFLET / "thumbs" / f"{LEAFLET}-de.png"
    pdf = out / LEAFLET / f"{LEAFLET}-de.pdf"
    pdf_sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    drawn, render = [], staffpage.render_thumbnail
    monkeypatch.setattr(staffpage, "render_thumbnail", lambda p, *a: drawn.append(p.name) or render(p, *a))

    def again(picture_bytes: bytes, hashes: tuple[str, str]) -> list[str]:
        for png in (out / LEAFLET / "thumbs").glob("*.png"):
            png.unlink()
        (out / ".index.json").unlink()
        thumb.write_bytes(picture_bytes)
        drawn[:] = []
        write_index(ws, out, drawn={(LEAFLET, "de"): hashes})
        return sorted(drawn)

    picture = b"the picture the build drew"
    picture_sha = hashlib.sha256(picture).hexdigest()
    others = [f"{LEAFLET}-{x}.pdf" for x in ("en", "pl")]
    assert again(picture, (pdf_sha, picture_sha)) == others            # taken as it is
    assert thumb.read_bytes() == picture
    assert again(picture, ("0" * 64, picture_sha)) == sorted(others + [pdf.name])     # drawn from another PDF
    assert again(b"overwritten since", (pdf_sha, picture_sha)) == sorted(others + [pdf.name])
    with Image.open(thumb) as png:
        assert (png.size, hashlib.sha256(png.convert("RGB").tobytes()).hexdigest()) == _pixels_of_page_1(pdf)


def test_a_pdf_is_read_again_only_when_its_size_or_time_changed(tmp_path, monkeypatch):
    """Drawing the page again does not hash every PDF of the library to find the one rebuilt: a PDF
    whose size and time are as recorded is taken as it was; one written again (the same bytes) is
    hashed, and its picture is not drawn again."""
    root = _small(tmp_path, ("de",))
    out, ws = root / "out", _workspace(root)
    hashed, drawn = [], []
    sha, render = staffpage._sha, staffpage.render_thumbnail
    monkeypatch.setattr(staffpage, "_sha", lambda path: hashed.append(path.name) or sha(path))
    monkeypatch.setattr(staffpage, "render_thumbnail", lambda pdf, *a: drawn.append(pdf.name) or render(pdf, *a))
    (out / "index.html").unlink()                              # the page must be written again
    write_index(ws, out)
    assert (out / "index.html").is_file() and drawn == []
    assert [name for name in hashed if name.endswith(".pdf")] == []
    pdf = out / LEAFLET / f"{LEAFLET}-de.pdf"
    data, before = pdf.read_bytes(), pdf.stat().st_mtime_ns
    pdf.unlink()
    pdf.write_bytes(data)
    os.utime(pdf, ns=(before + 10**9, before + 10**9))
    hashed[:] = []
    write_index(ws, out)
    assert [name for name in hashed if name.endswith(".pdf")] == [pdf.name] and drawn == []


def test_the_characters_of_the_page_are_read_quickly_as_the_parser_reads_them(library):
    from leaflets import html as html_module
    _, _, page = library
    body = page.read_text(encoding="utf-8").split("<body>\n", 1)[1].rsplit("\n</body>", 1)[0]
    assert html_module.font_usage(body, "en") == html_module._parsed(body, "en")
    parsed = html_module._parsed
    try:                                   # and it is read without the parser: the page is ours
        html_module._parsed = lambda page, lang: pytest.fail("the staff page fell back to html.parser")
        html_module.font_usage(body, "en")
    finally:
        html_module._parsed = parsed
