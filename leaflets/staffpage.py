"""``out/index.html``: the staff page, one static page listing the whole library.

One row per leaflet, one column per language (English first, then the languages in
code order). Each cell says the state of that leaflet in that language (source,
approved by whom and when, draft, incomplete, not printable and why, outdated, no
catalog, not built), the page count of the standard PDF, a thumbnail of its page 1,
and relative links to every edition, so the folder still works when it is copied to
a shared drive and opened as a file. Everything comes from the build manifests
(``out/<leaflet>/.build.json``), the review ledgers and the content.

The page has no script and fetches nothing but its thumbnails: the fonts for the
language names are subset and embedded as :mod:`html` does for the leaflets.
Translator and reviewer text is untrusted and always escaped. Thumbnails
(``out/<leaflet>/thumbs/<leaflet>-<lang>.png``) are rendered by pdfium only when
their PDF changed; the page is rendered only when what it shows changed, and
written only when its bytes differ. What was made from what is kept in
``out/.index.json``. Nothing here prints or exits; ReportLab is not imported.
"""
from __future__ import annotations

import hashlib
import json
import re
import struct
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote

from babel.core import UnknownLocaleError

from .build import EDITIONS, outdated, read_manifest
from .errors import CatalogError
from .files import file_names, write_atomic
from .markup import plain_text
from .review import read_ledger
from .stamps import code_hash
from .thumbnails import render_thumbnail, thumb_name
from .translate import SOURCE_LANGUAGE, english_name, is_rtl, language_name
from .workspace import Workspace

INDEX = "index.html"
RECORD = ".index.json"
THUMBS_APART = 8            # thumbnails to draw before worker processes are worth starting
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINKS = {"standard": "Standard PDF", "large-print": "Large print PDF", "print": "Print shop PDF (PDF/X-4, bleed)",
         "booklet": "A5 booklet PDF (A4 duplex, fold)", "html": "Web page",
         "bilingual": "Bilingual PDF (with the English: the review copy)"}
STATES = (("source", "the English original"),
          ("approved", "a named reviewer approved exactly this translation"),
          ("draft", "translated, not yet reviewed: every page says so"),
          ("incomplete", "built with missing text printed in English, marked [EN]"),
          ("not printable", "the latest build of this language failed; the reason is given "
                            "(files shown are from its last good build)"),
          ("outdated", "built from an older version of the English: needs translating again"),
          ("no catalog", "the language has no catalog for this leaflet yet"),
          ("not built", "not built yet"))


@dataclass(frozen=True)
class Cell:
    lang: str
    state: str                              # one of STATES
    detail: str = ""                        # the reviewer and date, the error, or why outdated
    pages: tuple[tuple[str, int], ...] = ()  # (edition, pages) of the files that exist
    links: tuple[tuple[str, str], ...] = ()  # (edition, path relative to the page)
    thumb: str = ""                         # path of page 1's thumbnail relative to the page


@dataclass(frozen=True)
class Row:
    leaflet: str
    title: str
    version: str
    cells: tuple[Cell, ...]


def write_index(ws: Workspace, out_dir: Path, jobs: int = 1,
                drawn: dict[tuple[str, str], tuple[str, str]] | None = None) -> Path:
    """Write ``out_dir/index.html`` (and its thumbnails, in ``jobs`` processes) if anything it shows
    changed; returns its path. ``drawn``: thumbnails the build drew and wrote where it made their
    PDFs, {(leaflet, language): (SHA-256 of the PDF, of the picture)}, taken as they are where both
    still match."""
    out_dir = Path(out_dir)
    target = out_dir / INDEX
    langs = [SOURCE_LANGUAGE] + [x for x in ws.languages() if x != SOURCE_LANGUAGE]
    rows = _rows(ws, out_dir, langs)
    pdfs = {c.thumb: out_dir / dict(c.links)["standard"] for r in rows for c in r.cells if c.thumb}
    stamps = {t: _stamp(p) for t, p in pdfs.items()}
    digest = hashlib.sha256(repr((code_hash(), langs, rows, sorted(stamps.items()))).encode()).hexdigest()
    record = _read_record(out_dir)
    on_disk = _sha(target)                                     # the page as it is, hashed once
    if record.get("page") == digest and record.get("bytes") == on_disk \
            and all((out_dir / t).is_file() for t in pdfs):
        return target                                          # nothing it shows changed
    given = {thumb_name(leaflet, lang): picture for (leaflet, lang), picture in (drawn or {}).items()}
    thumbs = _thumbnails(out_dir, pdfs, stamps, record.get("thumbs", {}), jobs, given)
    body = _body(rows, langs, {t: _png_size(out_dir / t) for t in pdfs})
    drawn_from = hashlib.sha256(repr((code_hash(), body, ws.fonts.index.stamps())).encode()).hexdigest()
    made = record.get("bytes", "")
    if record.get("body") != drawn_from or on_disk != made:   # what it shows, or its fonts, changed
        page = render_page(ws, body).encode("utf-8")
        made = hashlib.sha256(page).hexdigest()
        if on_disk != made:
            write_atomic(target, page)
    _write_record(out_dir, {"page": digest, "body": drawn_from, "bytes": made, "thumbs": thumbs})
    return target


# --- what the page shows ---------------------------------------------------------------

def _rows(ws: Workspace, out_dir: Path, langs: list[str]) -> list[Row]:
    why_outdated = {(leaflet, lang): why for leaflet, lang, why in outdated(ws, out_dir)}
    rows = []
    catalogs = {lang: file_names(ws.project.catalog_folder(lang)) for lang in langs}
    for leaflet in ws.leaflets:
        manifest = read_manifest(out_dir / leaflet.id)
        files = file_names(out_dir / leaflet.id)
        cells = tuple(_cell(ws, leaflet.id, lang, manifest.get(lang), why_outdated.get((leaflet.id, lang), ""),
                            files, catalogs[lang]) for lang in langs)
        rows.append(Row(leaflet.id, plain_text(leaflet.title.text), leaflet.version, cells))
    return rows


def _cell(ws: Workspace, leaflet: str, lang: str, built: dict | None, why_outdated: str,
          present: frozenset[str], catalogs: frozenset[str]) -> Cell:
    """One language's cell: ``present``, the files of the leaflet's output folder; ``catalogs``, those
    of the language's catalog folder."""
    built = built if isinstance(built, dict) else {}
    made = built.get("files") if isinstance(built.get("files"), dict) else {}
    links, pages = [], []
    for edition in EDITIONS:
        name = ws.project.output_name(leaflet, lang, edition)
        if name in present:
            links.append((edition, f"{leaflet}/{name}"))
            if edition != "html":
                pages.append((edition, int((made.get(edition) or {}).get("pages") or 0)))
    thumb = thumb_name(leaflet, lang) if dict(links).get("standard") else ""
    files = {"pages": tuple(pages), "links": tuple(links), "thumb": thumb}
    if lang != SOURCE_LANGUAGE and ws.project.catalog_name(leaflet) not in catalogs:
        return Cell(lang, "no catalog", **files)
    if built.get("error"):
        return Cell(lang, "not printable", str(built["error"]), **files)
    if not links or "state" not in built:
        return Cell(lang, "not built", **files)
    if why_outdated:
        return Cell(lang, "outdated", why_outdated, **files)
    state = str(built["state"])
    return Cell(lang, state, _approval(ws, leaflet, lang) if state == "approved" else "", **files)


def _approval(ws: Workspace, leaflet: str, lang: str) -> str:
    """Who approved the leaflet's translation, and when (the ledger the PDF's footer names)."""
    try:
        ledger = read_ledger(ws.project.review_file(lang, leaflet))
    except CatalogError:
        return ""
    return f"by {ledger.reviewer} on {ledger.date.isoformat()}" if ledger else ""


def _names(lang: str) -> tuple[str, str, str]:
    """The language's name in its own script, in English, and its direction (CLDR; the code if CLDR does
    not know it)."""
    try:
        return language_name(lang), english_name(lang), "rtl" if is_rtl(lang) else "ltr"
    except (ValueError, UnknownLocaleError):
        return lang, lang, "ltr"


def _esc(text: str) -> str:
    """Text (or an attribute value) as HTML: escaped, control characters dropped."""
    return escape(_CONTROL.sub("", text), quote=True)


# --- thumbnails ------------------------------------------------------------------------

def _thumbnails(out_dir: Path, pdfs: dict[str, Path], stamps: dict[str, list[int]], old: dict,
                jobs: int = 1, given: dict[str, tuple[str, str]] | None = None) -> dict[str, list]:
    """Page 1 of each PDF as a PNG, rendered again only when the PDF's bytes changed:
    {thumbnail: [PDF hash, its size, its time]}. A PDF is hashed again only if its size or time
    changed (a one-message rebuild of a library of 1,000 PDFs hashed 150 MB to find one new).
    A picture ``given`` (drawn and written by the build from the PDF's bytes) is taken as it is if its
    PDF still has the hash it was drawn from and the picture on disk is the one drawn; the rest, a
    library's worth of them (a first build, a merge of shards), are shared out over ``jobs`` worker
    processes."""
    from . import workers
    done = {}
    for thumb, pdf in sorted(pdfs.items()):
        was = old.get(thumb)
        same = isinstance(was, list) and len(was) == 3 and was[1:] == stamps[thumb] and isinstance(was[0], str)
        done[thumb] = [was[0] if same else _sha(pdf), *stamps[thumb]]
    given = given or {}

    def current(thumb: str) -> bool:
        """The picture on disk shows this PDF: drawn from it here before, or by the build just now."""
        was, pdf_sha = old.get(thumb), done[thumb][0]
        if isinstance(was, list) and was[0] == pdf_sha and (out_dir / thumb).is_file():
            return True
        return thumb in given and given[thumb][0] == pdf_sha and _sha(out_dir / thumb) == given[thumb][1]

    todo = [thumb for thumb in done if not current(thumb)]
    with workers.Pool(jobs) as pool:
        pool.map(_write_thumbnail, [(out_dir / thumb, pdfs[thumb]) for thumb in todo], THUMBS_APART)
    for thumb in set(old) - set(done):            # a PDF that is gone leaves no picture of itself
        gone = out_dir / thumb
        if re.fullmatch(r"[\w.-]+/thumbs/[\w.-]+\.png", thumb) and ".." not in thumb and gone.is_file():
            gone.unlink()
    return done


def _write_thumbnail(unit: tuple[Path, Path]) -> None:
    target, pdf = unit
    write_atomic(target, render_thumbnail(pdf))


def _png_size(path: Path) -> tuple[int, int]:
    with open(path, "rb") as fh:
        head = fh.read(24)
    return struct.unpack(">II", head[16:24])


# --- records ---------------------------------------------------------------------------

def _stamp(path: Path) -> list[int]:
    """The file's size and time (nanoseconds): a file written again (atomically, a new file) has a new time."""
    try:
        st = path.stat()
    except OSError:
        return [-1, -1]
    return [st.st_size, st.st_mtime_ns]


def _sha(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _read_record(out_dir: Path) -> dict:
    try:
        data = json.loads((out_dir / RECORD).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and isinstance(data.get("thumbs", {}), dict) else {}
    except (OSError, ValueError):
        return {}


def _write_record(out_dir: Path, record: dict) -> None:
    if record != _read_record(out_dir):
        write_atomic(out_dir / RECORD, (json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n").encode())


# --- the page --------------------------------------------------------------------------

CSS = """
*,*::before,*::after{box-sizing:border-box}
html{background:#fff;color:#1a1a1a}
body{margin:0;padding:1rem 1.25rem 2rem;font-size:1rem;line-height:1.5}
h1{font-size:1.75rem;color:#0b4f8a;margin:.25em 0 .4em;line-height:1.25}
p{margin:0 0 .5em;max-width:75ch}
.legend{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:0 0 1.25rem;max-width:90ch}
.legend dt,.legend dd{margin:0}
.scroll{overflow-x:auto;margin:0 0 1rem}
.scroll:focus-visible{outline:3px solid #0b0c0c;outline-offset:2px}
table{border-collapse:collapse}
caption{text-align:start;padding:0 0 .5rem;font-size:1.1rem}
th,td{border:1px solid #8a9aab;padding:.5rem .6rem;vertical-align:top;text-align:start;font-weight:400}
thead th{background:#eaf2fa;min-width:13rem}
th[scope=row]{position:sticky;left:0;z-index:1;background:#eaf2fa;min-width:12rem;max-width:16rem}
td{min-width:13rem;max-width:16rem}
.native{display:block;font-size:1.15rem;line-height:var(--lh,1.5);text-align:left}
.english,.code,.meta{display:block;color:#4a4a4a}
.state{display:inline-block;padding:0 .35em;border-radius:.25em;margin-bottom:.25em}
.s-source{background:#eaf2fa;color:#0b4f8a} .s-approved{background:#e3f1e6;color:#14532d}
.s-draft,.s-incomplete{background:#fff3d6;color:#5c3b00} .s-not-printable{background:#fff1f3;color:#8c001a}
.s-outdated{background:#ececec;color:#333} .s-no-catalog,.s-not-built{background:#f4f4f4;color:#4a4a4a}
.why{display:block;font-size:.875rem;overflow-wrap:anywhere}
img{display:block;border:1px solid #767676;margin:0 0 .4rem;background:#fff}
ul{list-style:none;padding:0;margin:.35rem 0 0} li{margin:0 0 .3em}
a{color:#0b4f8a;text-decoration:underline;text-underline-offset:.15em}
a:focus-visible{outline:3px solid #0b0c0c;outline-offset:0;background:#ffdd00;color:#0b0c0c;text-decoration:none}
.print-lang{display:none}
@media print{@page{size:A4;margin:12mm}
 html{color:#000} body{padding:0;font-size:9.5pt} h1,a{color:#000}
 .scroll{overflow:visible} table,caption,tbody,tr,th,td{display:block} thead{display:none}
 th[scope=row]{position:static;max-width:none;border:0;border-bottom:1.5pt solid #000;background:none;
  padding:.3rem 0;break-after:avoid}
 tr{margin:0 0 1rem} td{display:inline-block;width:32.5%;max-width:none;min-width:0;border:1pt solid #000;
  margin:0 0 .3rem;break-inside:avoid}
 .print-lang{display:block;margin-bottom:.3em} .hint{display:none} .state{border:1pt solid #000;background:none;color:#000}
 img{width:60px;height:auto}
}
"""


def _css_class(state: str) -> str:
    return "s-" + state.replace(" ", "-")


def render_page(ws: Workspace, body: str) -> str:
    """The page around ``body`` (:func:`_body`): fonts for every language name subset and embedded (as
    the HTML leaflets have them). Finding the characters each language's text uses and the fonts'
    subsets takes tens of milliseconds: :func:`write_index` calls this only when the body or the
    fonts changed (a PDF rebuilt with the same pages shows the same cells)."""
    from .html import font_css, font_usage   # fontTools only when the page is drawn again
    fonts = font_css(font_usage(body, "en"), ws.project.fonts, ws.project.root / ".leaflets-cache" / "fonts", ws.fonts.index)
    csp = ("default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'; font-src data:; "
           "base-uri 'none'; form-action 'none'")
    return ('<!doctype html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
            "<title>Patient leaflets: every language</title>\n"
            f"<style>{CSS}{fonts}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def _body(rows: list[Row], langs: list[str], sizes: dict[str, tuple[int, int]]) -> str:
    heads = {lang: _language(lang) for lang in langs}
    count = f"{len(rows)} leaflet{'s' if len(rows) != 1 else ''} in {len(langs)} languages"
    out = ["<header>", "<h1>Patient leaflets</h1>",
           f"<p>{count}. Each cell is one leaflet in one language: its state, a picture of page 1, the "
           "number of pages, and links to every edition (the standard PDF, the large-print PDF, the print shop's PDF, the A5 "
           "booklet to print on A4 and fold, the web page and, for a translation, the bilingual PDF beside the English, "
           "the review copy). This page and the files it links to can be copied together to a shared drive.</p>",
           '<dl class="legend">'] + [f"<dt><strong>{s}</strong></dt><dd>{what}</dd>" for s, what in STATES]
    out += ["</dl>", "</header>", "<main>",
            '<div class="scroll" role="region" aria-labelledby="caption" tabindex="0">', "<table>",
            f'<caption id="caption"><strong>Leaflets by language</strong> ({count}<span class="hint">; '
            "scroll sideways for more languages</span>)</caption>", '<thead><tr><th scope="col">Leaflet</th>']
    out += [f'<th scope="col">{heads[lang]}</th>' for lang in langs] + ["</tr></thead>", "<tbody>"]
    for row in rows:
        out.append(f'<tr><th scope="row"><strong>{_esc(row.title)}</strong> '
                   f'<span class="meta">{_esc(row.leaflet)}, version {_esc(row.version)}</span></th>')
        out += [f"<td>{_cell_html(c, heads[c.lang], row.title, sizes)}</td>" for c in row.cells]
        out.append("</tr>")
    out += ["</tbody>", "</table>", "</div>", "</main>"]
    return "\n".join(out)


def _language(lang: str) -> str:
    """The language's name in its own script and direction, in English, and its code."""
    native, english, direction = _names(lang)
    tag = _esc(lang.replace("_", "-"))                  # BCP 47: zh_Hans → zh-Hans
    own = f'<span class="native" lang="{tag}" dir="{direction}">{_esc(native)}</span>'
    english = f' <span class="english" lang="en" dir="ltr">{_esc(english)}</span>' if english != native else ""
    return f'{own}{english} <span class="code">{_esc(lang)}</span>'


def _cell_html(cell: Cell, language: str, title: str, sizes: dict[str, tuple[int, int]]) -> str:
    out = [f'<span class="print-lang" aria-hidden="true">{language}</span>']
    if cell.thumb:
        width, height = sizes[cell.thumb]
        out.append(f'<img src="{_esc(quote(cell.thumb))}" width="{width // 2}" height="{height // 2}" '
                   f'alt="Page 1 of {_esc(title)}, standard PDF ({_esc(cell.lang)})">')
    out.append(f'<strong class="state {_css_class(cell.state)}">{_esc(cell.state)}</strong>')
    if cell.detail:
        out.append(f" <span>{_esc(cell.detail)}</span>" if cell.state == "approved"
                   else f'<span class="why">{_esc(cell.detail)}</span>')
    pages = dict(cell.pages)
    if cell.links:
        out.append("<ul>" + "".join(
            f'<li><a href="{_esc(quote(path))}">{LINKS[edition]}</a>'
            + (f", {pages[edition]}\u00a0page{'s' if pages[edition] != 1 else ''}" if pages.get(edition) else "")
            + "</li>" for edition, path in cell.links) + "</ul>")
    return "".join(out)
