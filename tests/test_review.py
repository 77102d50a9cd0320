"""approve → edit → draft again; status; outdated PDFs; reviewer in footer and metadata."""
import polib
from pdfminer.utils import decode_text

from conftest import run
from pdfutil import page_texts, pdf_objects, squash


def _po(root, lang="pl"):
    return root / "locales" / lang / "LC_MESSAGES" / "botox-migraines.po"


def test_approve_edit_draft_cycle(project):
    pdf = project / "out" / "botox-migraines" / "botox-migraines-pl.pdf"
    code, out, _ = run(project, "approve", "pl", "--by", "Anna Nowak")
    assert code == 0
    code, out, _ = run(project, "build", "--lang", "pl")
    assert code == 0 and "approved" in out
    texts = [squash(t) for t in page_texts(pdf)]
    assert all("Anna Nowak" in t for t in texts)
    assert not any("Draft translation" in t for t in texts)
    doc, _ = pdf_objects(pdf)
    keywords = decode_text(doc.info[0]["Keywords"])
    assert "state approved" in keywords and "reviewed by Anna Nowak on " in keywords

    # a translator edits one message in Poedit …
    po = polib.pofile(str(_po(project)), wrapwidth=0)
    po.find("practitioner.safety.title", by="msgctxt").msgstr = "Bezpieczeństwo"
    po.save()
    code, out, _ = run(project, "status")
    row = next(l for l in out.splitlines() if l.startswith("botox-migraines ") and " pl " in l)
    assert "changed since approval by Anna Nowak" in row and "practitioner.safety.title" in row
    code, out, _ = run(project, "build", "--lang", "pl")
    assert code == 0 and out.split()[-1] == "draft"
    texts = [squash(t) for t in page_texts(pdf)]
    assert all("Draft translation: not yet checked by a qualified translator." in t for t in texts)


def test_approval_survives_a_header_rewrite(project):
    """Poedit/Weblate rewrite headers and wrapping; the ledger is beside the file, keyed on content."""
    run(project, "approve", "pl", "--by", "Anna Nowak")
    po = polib.pofile(str(_po(project)))
    po.metadata["X-Generator"] = "Poedit 3.4"
    po.metadata["Last-Translator"] = "Anna <anna@example.org>"
    po.wrapwidth = 77
    po.save()
    code, out, _ = run(project, "status")
    row = next(l for l in out.splitlines() if l.startswith("botox-migraines ") and " pl " in l)
    assert "approved by Anna Nowak" in row


def test_changed_english_moves_the_old_pdf_aside_and_stops_printing(project):
    """Item 11: a PDF under the current name is always current; the old one is kept in outdated/."""
    assert run(project, "build")[0] == 0
    folder = project / "out" / "botox-migraines"
    pdf = folder / "botox-migraines-pl.pdf"
    before = pdf.read_bytes()
    path = project / "content" / "botox-migraines.yaml"
    text = path.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"')
    text = text.replace("title: Optimal Dosage", "title: The Right Dose")
    path.write_text(text, encoding="utf-8")
    code, out, err = run(project)
    assert code == 1
    assert "botox-migraines-pl.pdf: NOT BUILT" in err and "practitioner.dosage.title" in err
    assert not pdf.exists()
    moved = folder / "outdated" / "botox-migraines-pl-v1.0.pdf"
    assert moved.read_bytes() == before                      # the last good PDF is kept, not destroyed
    assert "moved to out/botox-migraines/outdated/botox-migraines-pl-v1.0.pdf" in err
    assert (folder / "botox-migraines-en.pdf").exists()       # English rebuilt at 1.1
    code, out, _ = run(project, "status")
    row = next(l for l in out.splitlines() if l.startswith("botox-migraines ") and " pl " in l)
    assert " 1 " in row and "1 fuzzy" in row and "no " in row


def test_a_broken_catalog_keeps_its_last_good_pdf_in_place(project):
    """A translator's mistake (English unchanged) leaves the last good PDF where it is."""
    assert run(project, "build", "--lang", "pl")[0] == 0
    pdf = project / "out" / "botox-migraines" / "botox-migraines-pl.pdf"
    before = pdf.read_bytes()
    po = polib.pofile(str(_po(project)), wrapwidth=0)
    po.find("title", by="msgctxt").msgstr += " <img>"
    po.save()
    code, _, err = run(project, "build", "--lang", "pl")
    assert code == 1 and "NOT BUILT" in err and "moved" not in err
    assert pdf.read_bytes() == before


def test_status_counts_fuzzy_and_untranslated_and_words_to_do(project):
    """Item 7: status names fuzzy and untranslated, not 'check errors', and the words still to do."""
    po = polib.pofile(str(_po(project)), wrapwidth=0)
    words = 0
    for key in ("title", "subtitle", "practitioner.dosage.title"):
        e = po.find(key, by="msgctxt")
        e.flags.append("fuzzy")
        e.msgstr = e.msgstr.replace("BOTOX", "Botox")      # a check error inside a fuzzy message
        words += len(e.msgid.split())
    e = po.find("summary.text", by="msgctxt")
    e.msgstr = ""
    words += len(e.msgid.split())
    po.save()
    code, out, _ = run(project, "status")
    row = next(l for l in out.splitlines() if l.startswith("botox-migraines ") and " pl " in l)
    assert "not printed: 3 fuzzy, 1 untranslated" in row and "check error" not in row
    assert row.split()[5] == str(words)


def test_rebuild_with_nothing_changed_does_no_work(project):
    assert run(project, "build", "--lang", "pl")[0] == 0
    pdf = project / "out" / "botox-migraines" / "botox-migraines-pl.pdf"
    stamp = pdf.stat().st_mtime_ns
    code, out, _ = run(project, "build", "--lang", "pl")
    assert code == 0 and "(unchanged)" in out
    assert pdf.stat().st_mtime_ns == stamp
