"""How much of each leaflet four text extractors read back: python benchmarks/extract.py

    python benchmarks/extract.py [--pdfs DIR] [--root PROJECT] [--missing] [LANG ...]

Builds every leaflet (from a copy of the project, into a temporary folder) or takes
the PDFs already in ``--pdfs``, extracts the text of each PDF with poppler
(``pdftotext``), pdfium (pypdfium2), MuPDF (``mutool draw -F txt``) and pdfminer.six,
and prints per language and in total the percentage of printed messages found.

A printed message is every translated text the leaflet shows: title, subtitle,
headings, item titles, paragraphs, notices, footer parts, the contact and
languages boxes, the names of the other languages, the band. It is found when its
text, with markup removed and all whitespace (line breaks included) folded to one
space, occurs in the extractor's text with whitespace folded the same way (a line
break between two Chinese characters is no space) and bidi format characters
(U+200E/F marks, U+202A-E embeddings, U+2066-9 isolates, U+061C) taken out: they
are invisible, poppler wraps every right-to-left line in embeddings, and this
project's text layer has marks that steer poppler's and pdfium's bidi. A
paragraph split over two pages is looked for again with the page furniture (band,
notices, footer: the lines that hold nothing else) taken out of each page's text.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

EXTRACTORS = ("poppler", "pdfium", "mupdf", "pdfminer")
LEAFLET = "botox-migraines"


# Scripts written without spaces between words, broken between words or characters: CJK, and Thai,
# Lao, Khmer and Myanmar (broken at dictionary word boundaries).
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
_BIDI_FORMAT = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """A message as printed: markup gone, whitespace folded to one space."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def fold(text: str) -> str:
    """Extracted text: bidi format characters out (invisible; poppler wraps every right-to-left line
    in embeddings), each run of whitespace one space, or one line break if it holds one."""
    text = _BIDI_FORMAT.sub("", text).replace("\u00a0", " ")
    return _SPACE.sub(lambda m: "\n" if "\n" in m.group() or "\r" in m.group() else " ", text).strip()


def pattern(message: str) -> re.Pattern:
    """What finds ``message`` in folded text: a space may be a line break; next to a Chinese,
    Japanese, Thai, Lao, Khmer or Myanmar character a line break may also stand where the message
    has no space (those scripts break lines between characters or words without spaces, and no
    extractor can know there was no space)."""
    parts: list[str] = []
    for i, ch in enumerate(message):
        if ch == " ":
            parts.append("[ \n]")
            continue
        if i and message[i - 1] != " " and (_WIDE.match(ch) or _WIDE.match(message[i - 1])):
            parts.append("\n?")
        parts.append(re.escape(ch))
    return re.compile("".join(parts))


# --- what the page prints ------------------------------------------------------------
@dataclass(frozen=True)
class Message:
    key: str
    text: str          # folded, markup removed


def messages(doc) -> list[Message]:
    """The printed messages of a document, in reading order."""
    from leaflets.markup import plain_text

    out: list[Message] = []

    def add(key, text):
        text = squash(plain_text(text))
        if text:
            out.append(Message(key, text))

    add(doc.title.key, doc.title.text)
    if doc.subtitle:
        add(doc.subtitle.key, doc.subtitle.text)
    for section in doc.sections:
        if section.heading:
            add(section.heading.key, section.heading.text)
        for block in section.blocks:
            if block.title:
                add(block.title.key, block.title.text)
            add(block.text.key, block.text.text)
    for i, notice in enumerate(doc.notices):
        add(f"notice[{i}]", notice)
    add("band.clinic", doc.clinic_name)
    add("band.language", doc.language_name)
    for i, part in enumerate(doc.footer):
        add(f"footer[{i}]", part)
    add("footer.page", doc.page_label.format(page=1, pages="\uffff").split("\uffff")[0])
    if doc.approval:
        add("footer.approval", doc.approval)
    add("contacts.heading", doc.contacts_heading)
    for label, value in doc.contacts:
        add(f"contacts.{label}", f"{label}: {value}")
    add("languages.heading", doc.languages_heading)
    for i, text in enumerate(doc.languages_text):
        add(f"languages.text[{i}]", text)
    for name in doc.other_languages:
        name = name if isinstance(name, str) else name[1]     # a name, or (code, name)
        add(f"languages.name.{name}", name)
    return out


def page_furniture(doc, page: int, pages: int) -> list[str]:
    """What is printed around the body of one page: band, notices, the footer's parts (the
    footer joins them with dots into lines, differently in each edition), the dots."""
    from leaflets.markup import plain_text
    items = [doc.clinic_name, doc.language_name, *doc.notices, *doc.footer,
             doc.page_label.format(page=page, pages=pages), doc.approval, "·"]
    return sorted({squash(plain_text(t)) for t in items if t.strip()}, key=len, reverse=True)


def _only(line: str, items: list[re.Pattern]) -> bool:
    """Whether a line of extracted text is page furniture alone (a body line that starts with the
    clinic's name is not)."""
    for item in items:
        line = item.sub(" ", line)
    return not line.strip(" ·")


def found(msgs: list[Message], pages: list[str], doc) -> list[bool]:
    """For each message, whether it occurs in the text of ``pages`` (one string per page)."""
    whole = "\n".join(fold(p) for p in pages)
    body = None
    result = []
    for m in msgs:
        pat = pattern(m.text)
        ok = pat.search(whole) is not None
        if not ok:
            if body is None:
                stripped = []
                for i, p in enumerate(pages):
                    items = page_furniture(doc, i + 1, len(pages))
                    band = {squash(doc.clinic_name), squash(doc.language_name)}
                    text = fold(p)
                    for item in items:     # notices and footer parts wherever they are
                        if item not in band:
                            text = pattern(item).sub("\n", text)
                    lines = fold(text).split("\n")     # the band's names may also be in the body: of the
                    drop: list[int] = []               # lines that hold only them: both on one line, or
                    names = [pattern(squash(doc.language_name)), pattern(squash(doc.clinic_name))]
                    both = [k for k, line in enumerate(lines)          # each alone, nearest the other
                            if _only(line, names) and all(n.search(line) for n in names)]
                    if both:
                        drop.append(min(both, key=lambda k: min(k, len(lines) - 1 - k)))
                    else:
                        for name in names:
                            at = [k for k, line in enumerate(lines) if _only(line, [name]) and k not in drop]
                            if at:
                                drop.append(min(at, key=lambda k: min(abs(k - j) for j in drop) if drop
                                                else min(k, len(lines) - 1 - k)))
                    stripped.append("\n".join(line for k, line in enumerate(lines) if k not in drop))
                body = "\n".join(stripped)
            ok = pat.search(body) is not None
        result.append(ok)
    return result


# --- extractors --------------------------------------------------------------------
def text_poppler(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return _pages(out.stdout.decode("utf-8"))


def _pages(text: str) -> list[str]:
    """Pages of a form-feed separated text (the last page ends with one)."""
    pages = text.split("\f")
    return pages[:-1] if len(pages) > 1 and not pages[-1].strip() else pages


def text_pdfium(path: Path) -> list[str]:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(path))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def text_mupdf(path: Path) -> list[str]:
    out = subprocess.run(["mutool", "draw", "-q", "-F", "txt", "-o", "-", str(path)],
                         capture_output=True, check=True)
    return _pages(out.stdout.decode("utf-8"))


def text_pdfminer(path: Path) -> list[str]:
    from pdfminer.high_level import extract_text
    return _pages(extract_text(str(path)))


READERS = {"poppler": text_poppler, "pdfium": text_pdfium, "mupdf": text_mupdf, "pdfminer": text_pdfminer}


def available() -> dict[str, bool]:
    return {"poppler": shutil.which("pdftotext") is not None, "pdfium": True,
            "mupdf": shutil.which("mutool") is not None, "pdfminer": True}


def extract(path: Path, extractor: str) -> list[str]:
    return READERS[extractor](path)


# --- building ----------------------------------------------------------------------
def build_all(root: Path, dest: Path) -> Path:
    """Build every leaflet of a copy of ``root`` into ``dest``; returns the leaflet's folder."""
    proj = dest / "proj"
    shutil.rmtree(proj, ignore_errors=True)
    for name in ("content", "locales"):
        shutil.copytree(root / name, proj / name)
    (proj / "fonts").symlink_to(root / "fonts")
    import io
    from leaflets.cli import main
    out = io.StringIO()
    code = main(["--root", str(proj), "build", "--out", str(dest / "out")], out=out, err=out)
    if code:
        raise SystemExit(f"build failed ({code}):\n{out.getvalue()}")
    return dest / "out" / LEAFLET


def documents(root: Path, langs: list[str] | None):
    from leaflets.pipeline import Workspace
    from leaflets.project import Project
    ws = Workspace(Project(root))
    leaflet = ws.leaflet(LEAFLET)
    every = ws.languages_of(leaflet)
    return {lang: ws.document(leaflet, lang, every) for lang in (langs or every)}


def divergence(message: str, text: str) -> str:
    """Where the longest found prefix of ``message`` stops: expected vs extracted, for --missing."""
    lo, hi = 0, len(message)
    while lo < hi:                                  # longest prefix found (binary search)
        mid = (lo + hi + 1) // 2
        if pattern(message[:mid]).search(text):
            lo = mid
        else:
            hi = mid - 1
    hit = pattern(message[:lo]).search(text) if lo else None
    at = hit.end() if hit else 0
    return f"after {message[max(0, lo - 12):lo]!r}: wanted {message[lo:lo + 14]!r}, got {text[at:at + 14]!r}"


def score(args) -> tuple[str, dict[str, list[bool]], dict[str, list[str]]]:
    """(lang, {extractor: found per message}, {extractor: divergences}) for one PDF (worker process)."""
    lang, path, doc, extractors = args
    msgs = messages(doc)
    found_by, why = {}, {}
    for x in extractors:
        pages = extract(path, x)
        found_by[x] = found(msgs, pages, doc)
        whole = "\n".join(fold(p) for p in pages)
        why[x] = [divergence(m.text, whole) if not ok else "" for m, ok in zip(msgs, found_by[x])]
    return lang, found_by, why


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdfs", type=Path, help="folder with <leaflet>-<lang>.pdf (default: build them)")
    ap.add_argument("--root", type=Path, default=ROOT, help="project to build and read messages from")
    ap.add_argument("--keep", type=Path, help="build into this folder and keep the PDFs")
    ap.add_argument("--edition", default="", help="PDF name suffix of another edition (large-print)")
    ap.add_argument("--missing", action="store_true", help="list the messages each extractor misses")
    ap.add_argument("langs", nargs="*")
    args = ap.parse_args(argv)
    have = available()
    extractors = [x for x in EXTRACTORS if have[x]]
    for x in EXTRACTORS:
        if not have[x]:
            print(f"({x} is not installed: skipped)")
    docs = documents(args.root, args.langs)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.pdfs or build_all(args.root, args.keep or Path(tmp))
        suffix = f"-{args.edition}" if args.edition else ""
        jobs = [(lang, folder / f"{LEAFLET}-{lang}{suffix}.pdf", doc, extractors) for lang, doc in docs.items()]
        with ProcessPoolExecutor() as pool:
            scored = list(pool.map(score, jobs))
    results = {lang: res for lang, res, _ in scored}
    reasons = {lang: why for lang, _, why in scored}
    totals = {x: [0, 0] for x in extractors}
    print(f"{'lang':8} {'msgs':>4}  " + "  ".join(f"{x:>8}" for x in extractors))
    for lang, doc in docs.items():
        res = results[lang]
        n = len(next(iter(res.values())))
        cells = []
        for x in extractors:
            k = sum(res[x])
            totals[x][0] += k
            totals[x][1] += n
            cells.append(f"{100 * k / n:7.0f}%")
        print(f"{lang:8} {n:4}  " + "  ".join(cells))
        if args.missing:
            msgs = messages(doc)
            for x in extractors:
                for m, ok, why in zip(msgs, res[x], reasons[lang][x]):
                    if not ok:
                        print(f"    {x:8} {m.key}: {why}")
    print(f"{'total':8} {totals[extractors[0]][1]:4}  "
          + "  ".join(f"{100 * k / n:7.1f}%" for k, n in totals.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
