"""Nothing lost, nothing blocked: translators' work survives every command, one catalog
affects its own language alone, files stay readable, and a clinic can have many leaflets."""
import os
import shutil
import stat

import polib
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, SEED, break_a_msgstr, run
from leaflets import catalogs
from pdfutil import page_texts, squash

LEAFLET = "botox-migraines"


def _po(root, lang="pl", domain=LEAFLET):
    return root / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"


def _translated(po):
    return {e.msgstr for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}


# --- 1. update never drops a translation ------------------------------------------------
def test_catalog_that_lost_its_msgctxt_keeps_every_translation_as_fuzzy(project):
    """An XLIFF round trip (po2xliff/xliff2po) drops msgctxt: every translation must survive, loudly."""
    path = _po(project)
    before = polib.pofile(str(path))
    translations = _translated(before)
    stripped = polib.POFile(wrapwidth=0)
    stripped.metadata = dict(before.metadata)
    for e in before:
        if not e.obsolete:
            stripped.append(polib.POEntry(msgid=e.msgid, msgstr=e.msgstr))     # keyed on msgid alone
    stripped.save(str(path))
    code, out, err = run(project)
    after = polib.pofile(str(path))
    live_fuzzy = {e.msgstr for e in after if e.msgstr and not e.obsolete and "fuzzy" in e.flags}
    assert translations == live_fuzzy, "every translation comes back, matched by its English, as fuzzy"
    assert f"{len(translations)} translated message(s) are now fuzzy" in err
    assert all(e.previous_msgid for e in after if "fuzzy" in e.flags)
    assert f"botox-migraines-pl.pdf: NOT BUILT" in err                  # not printed until checked
    assert code == 1


_text = st.text(alphabet="abcdeé ŁżąΩж", min_size=1, max_size=8)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=st.lists(st.tuples(st.one_of(st.none(), st.sampled_from("abcdefg")), _text, _text,
                              st.booleans(), st.booleans()), max_size=12),
       new=st.lists(st.tuples(st.sampled_from("abcdefgh"), _text), max_size=10, unique_by=lambda t: t[0]))
def test_merge_never_drops_a_translation(old, new):
    """Whatever the old catalog and the new template, every translation is still in the file."""
    po = polib.POFile(wrapwidth=0)
    seen = set()
    for ctx, msgid, msgstr, fuzzy, obsolete in old:
        if (ctx, msgid) in seen:
            continue
        seen.add((ctx, msgid))
        po.append(polib.POEntry(msgctxt=ctx, msgid=msgid, msgstr=msgstr, flags=["fuzzy"] if fuzzy else [],
                                obsolete=obsolete))
    pot = polib.POFile(wrapwidth=0)
    for ctx, msgid in new:
        pot.append(polib.POEntry(msgctxt=ctx, msgid=msgid, msgstr=""))
    merged = catalogs.merge(pot, po)
    assert {e.msgstr for e in po if e.msgstr.strip()} <= {e.msgstr for e in merged if e.msgstr.strip()}
    assert catalogs.fate(po, merged).lost == ()
    for e in merged:      # nothing printable that was not checked for exactly this key and English
        if e.msgstr and not e.obsolete and "fuzzy" not in e.flags:
            assert any(o.msgctxt == e.msgctxt and o.msgid == e.msgid and o.msgstr == e.msgstr and
                       "fuzzy" not in o.flags for o in po)


# --- 2 and 10. one catalog affects its own language alone ---------------------------------
def test_a_language_without_a_font_blocks_only_itself(project):
    (project / "fonts").unlink()         # the fonts, less the Hebrew font
    shutil.copytree(ROOT / "fonts", project / "fonts", ignore=shutil.ignore_patterns("noto-sans-hebrew"))
    code, out, err = run(project, "check", "he")
    assert code == 1 and "no font in fonts/ covers the Hebr script" in out, out
    code, out, err = run(project, "build")
    assert code == 1
    assert "botox-migraines-he.pdf: NOT BUILT" in err and "botox-migraines-yi.pdf: NOT BUILT" in err
    assert err.count("NOT BUILT") == 2, err          # Hebrew and Yiddish: the Hebrew script's languages
    assert "botox-migraines-en.pdf  3 pages  source" in out and "botox-migraines-pl.pdf" in out
    english = squash(" ".join(page_texts(project / "out" / LEAFLET / "botox-migraines-en.pdf")))
    assert "עברית" not in english and "Polski" in english


def test_other_languages_box_lists_only_languages_that_print(project):
    assert run(project, "build")[0] == 0
    english = project / "out" / LEAFLET / "botox-migraines-en.pdf"
    assert "Polski" in squash(" ".join(page_texts(english)))
    po = polib.pofile(str(_po(project)))
    po.find("title", by="msgctxt").flags.append("fuzzy")
    po.save()
    code, out, err = run(project, "build")
    assert code == 1 and "botox-migraines-pl.pdf: NOT BUILT" in err
    assert "Polski" not in squash(" ".join(page_texts(english)))
    french = project / "out" / LEAFLET / "botox-migraines-fr.pdf"
    assert "Polski" not in squash(" ".join(page_texts(french))) and "Română" in squash(" ".join(page_texts(french)))


# --- 3. a broken catalog is an error with its line ----------------------------------------
def test_unterminated_string_is_a_syntax_error_with_line(project):
    path = _po(project)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\nmsgid "broken\nmsgstr "x"\n', encoding="utf-8")
    line = text.count("\n") + 2
    code, out, _ = run(project, "check", "pl")
    assert code == 1 and f"botox-migraines.po:{line}: error: PO syntax error" in out, out
    code, _, err = run(project, "build", "--lang", "pl")
    assert code == 1 and f"botox-migraines.po:{line}" in err


# --- 4. files the tool writes keep normal permissions ---------------------------------------
def test_written_files_follow_the_umask_and_keep_their_mode(project):
    old = os.umask(0o022)
    try:
        kept = _po(project, "fr")
        kept.chmod(0o664)
        shutil.copy(ROOT / "content" / "botox-migraines.yaml", project / "content" / "second.yaml")
        text = (project / "content" / "second.yaml").read_text(encoding="utf-8")
        (project / "content" / "second.yaml").write_text(
            text.replace("id: botox-migraines", "id: second").replace("title: Optimal Dosage", "title: Dose"),
            encoding="utf-8")
        run(project)
        assert run(project, "approve", "pl", "--by", "Anna Nowak", "--leaflet", LEAFLET)[0] == 0
        written = [project / "locales" / "second.pot", _po(project, "pl", "second"), _po(project, "fr"),
                   project / "locales" / "pl" / "LC_MESSAGES" / "botox-migraines.review.json",
                   project / "out" / LEAFLET / "botox-migraines-en.pdf", project / "out" / LEAFLET / ".build.json"]
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in written}
        assert modes.pop("botox-migraines.po") == 0o664          # an existing file keeps its mode
        assert set(modes.values()) == {0o644}, modes              # new files: 0666 less the umask
    finally:
        os.umask(old)


# --- 5. two leaflets with one id --------------------------------------------------------------
def test_duplicate_leaflet_id_is_an_error_naming_both_files(project):
    shutil.copy(project / "content" / "botox-migraines.yaml", project / "content" / "copy.yaml")
    pot = project / "locales" / "botox-migraines.pot"
    before = pot.read_bytes()
    for command in ([], ["extract"], ["update"], ["build"], ["status"]):
        code, out, err = run(project, *command)
        assert code == 1
        assert "content/copy.yaml:5:" in err and "content/botox-migraines.yaml" in err, err
    assert pot.read_bytes() == before
    assert not (project / "out").exists()


# --- 7. Plural-Forms from CLDR ---------------------------------------------------------------
def test_plural_forms_follow_cldr_for_whole_numbers():
    import gettext

    from babel import Locale
    order = ("zero", "one", "two", "few", "many", "other")
    samples = list(range(0, 1200)) + [10_000, 1_000_000, 2_000_000]
    for lang in ("hu", "fa", "tr", "my", "am", "si", "tl", "pl", "cs", "ar", "fr", "lt", "cy", "he", "ro"):
        header = catalogs.plural_forms(lang)
        n, expr = header.split(";", 1)
        plural = gettext.c2py(expr.strip().removeprefix("plural=").rstrip(";"))
        rule = Locale.parse(lang).plural_form
        used = [c for c in order if any(rule(x) == c for x in samples)]
        assert int(n.split("=")[1]) == len(used), lang
        for x in samples:
            assert plural(x) == used.index(rule(x)), (lang, x)


# --- 8 and 9. many leaflets, one interface catalog ----------------------------------------------
def _add_leaflet(project, leaflet_id="aftercare"):
    text = (ROOT / "content" / "botox-migraines.yaml").read_text(encoding="utf-8")
    text = text.replace("id: botox-migraines", f"id: {leaflet_id}").replace("TCSC-PIL-001", "TCSC-PIL-002")
    (project / "content" / f"{leaflet_id}.yaml").write_text(text, encoding="utf-8")


def test_a_new_leaflet_gets_a_catalog_in_every_language(project):
    _add_leaflet(project)
    code, out, err = run(project)
    langs = sorted(p.name for p in (project / "locales").iterdir() if p.is_dir())
    for lang in langs:
        assert _po(project, lang, "aftercare").is_file(), lang
    assert f"aftercare: not printed in {len(langs)} language(s): " + ", ".join(langs) in err
    assert (project / "out" / "aftercare" / "aftercare-en.pdf").is_file()
    code, out, _ = run(project, "status")
    rows = [l for l in out.splitlines() if l.startswith("aftercare ")]
    assert len(rows) == len(langs) and all(" 0 " in r and "untranslated" in r for r in rows)
    shutil.rmtree(project / "locales" / "pl")
    code, out, err = run(project, "init", "pl")                       # a language starts every catalog
    assert code == 0 and {"interface.po", "botox-migraines.po", "aftercare.po"} <= \
        {p.name for p in (project / "locales" / "pl" / "LC_MESSAGES").iterdir()}


def test_interface_texts_have_one_catalog_per_language():
    pot = polib.pofile(str(ROOT / "locales" / "interface.pot"))
    keys = {e.msgctxt for e in pot}
    assert len(keys) == 16 and all(k.startswith("ui.") for k in keys)
    assert not keys & {e.msgctxt for e in polib.pofile(str(ROOT / "locales" / f"{LEAFLET}.pot"))}
    for folder in (ROOT / "locales").iterdir():
        if folder.is_dir():
            po = polib.pofile(str(folder / "LC_MESSAGES" / "interface.po"))
            assert len(_translated(po)) == 16, folder


def test_moving_interface_texts_to_their_own_catalog_loses_none(project):
    """Old layout: ui.* messages inside each leaflet catalog. `update` moves them, all translated."""
    for folder in (project / "locales").iterdir():
        if not folder.is_dir():
            continue
        shared = folder / "LC_MESSAGES" / "interface.po"
        leaflet = polib.pofile(str(folder / "LC_MESSAGES" / f"{LEAFLET}.po"))
        for e in [e for e in leaflet if e.obsolete and e.msgctxt.startswith("ui.")]:
            leaflet.remove(e)
        for e in polib.pofile(str(shared)):
            leaflet.append(e)
        leaflet.save()
        shared.unlink()
    before = {f.name: _translated(polib.pofile(str(_po(project, f.name)))) for f in (project / "locales").iterdir()
              if f.is_dir()}
    code, out, err = run(project, "update")
    assert code == 0 and "WARNING" not in err and "fuzzy" not in err
    for lang, translations in before.items():
        shared = polib.pofile(str(_po(project, lang, "interface")))
        now = _translated(shared) | _translated(polib.pofile(str(_po(project, lang))))
        assert translations <= now, lang
        assert not [e for e in shared if "fuzzy" in e.flags]


# --- 12. the project alone ----------------------------------------------------------------------
def test_the_seed_text_the_tests_need_is_inside_the_repository():
    assert SEED.is_file() and SEED.resolve().is_relative_to(ROOT)


def test_a_broken_catalog_stops_its_own_language_only(project):
    index = break_a_msgstr(_po(project, "ro"))
    code, out, err = run(project)
    assert code == 1
    assert f"locales/ro/LC_MESSAGES/botox-migraines.po:{index + 1}: PO syntax error" in err
    assert "botox-migraines-ro.pdf: NOT BUILT" in err and err.count("NOT BUILT") == 1
    assert "botox-migraines-pl.pdf  4 pages  draft" in out and "botox-migraines-en.pdf" in out
