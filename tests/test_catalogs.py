"""Extraction and update behave like the translators' tools expect."""
import shutil
import subprocess

import polib
import pytest

from conftest import ROOT, run
from leaflets import catalogs


def _pot(root):
    return root / "locales" / "botox-migraines.pot"


def _po(root, lang="pl"):
    return root / "locales" / lang / "LC_MESSAGES" / "botox-migraines.po"


def _edit_content(root, old, new):
    path = root / "content" / "botox-migraines.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_template_has_context_notes_references_in_document_order():
    pot = polib.pofile(str(_pot(ROOT)))
    assert pot[0].msgctxt == "title" and pot[0].msgid == "BOTOX for Migraines"
    lines = [int(e.occurrences[0][1]) for e in pot if e.occurrences[0][0] == "content/botox-migraines.yaml"]
    assert lines == sorted(lines)
    intro = pot.find("how-it-helps.intro", by="msgctxt")
    assert "Keep “BOTOX” exactly as written" in intro.comment
    shared = polib.pofile(str(ROOT / "locales" / "interface.pot"))
    assert shared.find("ui.page", by="msgctxt").flags == ["python-brace-format"]
    assert pot.find("ui.page", by="msgctxt") is None      # translated once per language, not per leaflet
    assert pot.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_extract_does_not_rewrite_when_only_the_date_would_change(project):
    before = _pot(project).read_bytes()
    code, out, _ = run(project, "extract")
    assert code == 0 and "unchanged" in out
    assert _pot(project).read_bytes() == before


def test_extract_is_deterministic(project):
    _pot(project).unlink()
    run(project, "extract")
    first = _pot(project).read_text()
    _pot(project).unlink()
    run(project, "extract")
    strip = lambda t: "\n".join(l for l in t.splitlines() if "POT-Creation-Date" not in l)
    assert strip(first) == strip(_pot(project).read_text())


def test_init_uses_cldr_headers(project):
    code, _, _ = run(project, "init", "hr")
    assert code == 0
    po = polib.pofile(str(_po(project, "hr")))
    assert po.metadata["Language"] == "hr"
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["X-Review-State"].startswith("draft")
    assert len([e for e in po if not e.msgstr]) == len(polib.pofile(str(_pot(project))))


def test_changed_english_keeps_translation_as_fuzzy_with_previous(project):
    old_pl = polib.pofile(str(_po(project))).find("practitioner.dosage.title", by="msgctxt").msgstr
    _edit_content(project, "title: Optimal Dosage", "title: The Right Dose")
    assert run(project, "extract")[0] == 0
    assert run(project, "update")[0] == 0
    entry = polib.pofile(str(_po(project))).find("practitioner.dosage.title", by="msgctxt")
    assert entry.msgid == "The Right Dose"
    assert entry.msgstr == old_pl
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == "Optimal Dosage"
    text = _po(project).read_text(encoding="utf-8")
    assert '#| msgid "Optimal Dosage"' in text


def test_removed_message_becomes_obsolete_and_translator_comments_survive(project):
    po = polib.pofile(str(_po(project)), wrapwidth=0)
    po.find("summary.heading", by="msgctxt").tcomment = "Checked with the nurse team"
    po.save()
    _edit_content(project, "    heading:\n      key: summary.heading\n      text: In summary…\n", "")
    run(project, "extract")
    run(project, "update")
    po = polib.pofile(str(_po(project)))
    obsolete = [e for e in po.obsolete_entries() if e.msgctxt == "summary.heading"]
    assert obsolete and obsolete[0].msgstr
    assert "#~ msgctxt \"summary.heading\"" in _po(project).read_text(encoding="utf-8")
    assert obsolete[0].tcomment == "Checked with the nurse team"


def test_update_leaves_files_untouched_when_nothing_changed(project):
    before = {p: p.read_bytes() for p in (project / "locales").rglob("*.po")}
    code, out, _ = run(project, "update")
    assert code == 0 and "updated" not in out
    assert {p: p.read_bytes() for p in before} == before


def test_update_is_idempotent_after_a_change(project):
    _edit_content(project, "title: Optimal Dosage", "title: The Right Dose")
    run(project, "extract")
    run(project, "update")
    once = {p: p.read_bytes() for p in (project / "locales").rglob("*.po")}
    code, out, _ = run(project, "update")
    assert "updated" not in out
    assert {p: p.read_bytes() for p in once} == once


msgfmt = shutil.which("msgfmt")


@pytest.mark.skipif(msgfmt is None, reason="GNU gettext is not installed (.ci/run installs it)")
def test_every_shipped_catalog_passes_msgfmt_check():
    for po in sorted((ROOT / "locales").rglob("*.po")):
        result = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
        assert result.returncode == 0, (po, result.stderr)


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext is not installed (.ci/run installs it)")
def test_catalogs_round_trip_through_msgcat(tmp_path, project):
    run(project, "init", "hr")                                  # a catalog written by the tool itself
    _edit_content(project, "title: Optimal Dosage", "title: The Right Dose")
    run(project, "extract")
    run(project, "update")                                      # fuzzy entries with #| previous msgid
    for po in sorted((project / "locales").rglob("*.po")):
        out = tmp_path / "rt.po"
        subprocess.run(["msgcat", "-o", str(out), str(po)], check=True)   # default options: wrap at 79
        assert out.read_bytes() == po.read_bytes(), po


def test_broken_po_gives_one_line_error_with_file_and_line(project):
    path = _po(project)
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, l in enumerate(lines) if l.startswith("msgstr") and i > 30)
    lines[index] = 'msgstr "unterminated'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run(project, "build", "--lang", "pl")
    assert code == 1
    assert "locales/pl/LC_MESSAGES/botox-migraines.po:" in err
    assert err.strip().count("\n") == 0, err


def test_non_utf8_catalog_is_refused_clearly(project):
    path = _po(project)
    text = path.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-2")
    path.write_text(text, encoding="utf-8")
    code, _, err = run(project, "check", "pl")
    assert code == 1
    assert "ISO-8859-2 is not supported" in _all_output(project) or "ISO-8859-2" in err


def _all_output(project):
    return run(project, "check", "pl")[1]


def test_fingerprint_changes_with_any_translation(project):
    po = catalogs.read_catalog(_po(project))
    before = catalogs.fingerprint(po)
    po.find("title", by="msgctxt").msgstr += "!"
    assert catalogs.fingerprint(po) != before


def test_update_keeps_unknown_headers_and_header_comments(project):
    po = polib.pofile(str(_po(project)), wrapwidth=0)
    po.metadata["X-Poedit-Basepath"] = "."
    po.header += "\nReviewed glossary: see team wiki."
    po.save()
    _edit_content(project, "title: Optimal Dosage", "title: The Right Dose")
    run(project, "extract")
    run(project, "update")
    po = polib.pofile(str(_po(project)))
    assert po.metadata["X-Poedit-Basepath"] == "."
    assert "Reviewed glossary: see team wiki." in po.header


def test_fuzzy_update_writes_gnu_flag_order_and_previous_context(project):
    """Item 6: `#, fuzzy, python-brace-format` and `#| msgctxt`, as msgmerge --previous writes them."""
    path = project / "content" / "interface.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("text: Page {page} of {pages}",
                                                             "text: Page {page} / {pages}"), encoding="utf-8")
    assert run(project)[0] == 1                       # every language now waits for its translator
    text = _po(project, "pl").with_name("interface.po").read_text(encoding="utf-8")
    block = text[text.index("#, fuzzy, python-brace-format"):]
    assert block.startswith('#, fuzzy, python-brace-format\n#| msgctxt "ui.page"\n'
                            '#| msgid "Page {page} of {pages}"\nmsgctxt "ui.page"\nmsgid "Page {page} / {pages}"\n')
    assert max(len(line) for line in text.splitlines() if line.startswith(("msg", "\"", "#|"))) <= 79


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext is not installed (.ci/run installs it)")
def test_msgmerge_with_default_options_changes_no_catalog(tmp_path):
    """A translator's `msgmerge x.po x.pot` (what Poedit's "Update from POT" runs) leaves every byte alone."""
    for po in sorted((ROOT / "locales").rglob("*.po")):
        out = tmp_path / "merged.po"
        subprocess.run(["msgmerge", "-q", "--previous", "-o", str(out), str(po),
                        str(ROOT / "locales" / f"{po.stem}.pot")], check=True)
        assert out.read_bytes() == po.read_bytes(), po
