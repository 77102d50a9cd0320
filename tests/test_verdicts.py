"""Judged catalogs are kept between builds (verdicts.py), keyed by their bytes: never stale, never trusted blindly."""
import json
import os

from conftest import break_a_msgstr, run
from leaflets.project import Project
from leaflets.verdicts import judged
from leaflets.workspace import Workspace


def _po(root, lang):
    return root / "locales" / lang / "LC_MESSAGES" / "botox-migraines.po"


def _store(root, lang, domain="botox-migraines"):
    return root / ".leaflets-cache" / "verdicts" / lang / f"{domain}.json"


def _texts(root, lang):
    ws = Workspace(Project(root))                     # a fresh workspace: nothing kept in memory
    return judged(ws, ws.domain("botox-migraines"), lang)[0]


def test_an_edit_that_keeps_size_and_time_is_seen(project):
    """The verdict follows the catalog's bytes, not its size and time (an editor may keep both)."""
    path = _po(project, "pl")
    before = _texts(project, "pl")
    assert _store(project, "pl").is_file()
    key, (msgid, msgstr, fuzzy) = next((k, v) for k, v in before.items() if " na " in v[1] and "\n" not in v[1])
    text = path.read_text(encoding="utf-8")
    changed = msgstr.replace(" na ", " no ", 1)      # same length, another word
    assert f'msgstr "{msgstr}"' in text
    st = path.stat()
    path.write_text(text.replace(f'msgstr "{msgstr}"', f'msgstr "{changed}"', 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert _texts(project, "pl")[key][1] == changed


def test_a_broken_catalog_stays_broken_with_its_line(project):
    index = break_a_msgstr(_po(project, "ro"))
    for _ in range(2):                                # judged, then taken from the cache
        code, out, err = run(project, "build", "--edition", "standard", "--lang", "ro", "--force")
        assert code == 1
        assert f"locales/ro/LC_MESSAGES/botox-migraines.po:{index + 1}: PO syntax error" in err
    assert "error" in json.loads(_store(project, "ro").read_text(encoding="utf-8"))


def test_a_forged_or_damaged_verdict_is_judged_again(project):
    truth = _texts(project, "de")
    store = _store(project, "de")
    data = json.loads(store.read_text(encoding="utf-8"))
    forged = dict(data, key="0" * 64, texts=[[k, msgid, "FORGED", False] for k, msgid, _, _ in data["texts"]])
    store.write_text(json.dumps(forged), encoding="utf-8")
    assert _texts(project, "de") == truth
    store.write_text('{"key": "' + data["key"] + '", "texts": [1, 2', encoding="utf-8")
    assert _texts(project, "de") == truth


def test_an_approval_is_seen_at_once(project):
    assert run(project, "build", "--edition", "standard", "--lang", "fr")[0] == 0
    code, out, err = run(project, "approve", "fr", "--by", "A. Reviewer")
    assert code == 0, err
    code, out, err = run(project, "build", "--edition", "standard", "--lang", "fr")
    assert code == 0, err
    assert "botox-migraines-fr.pdf" in out and "approved" in out


def test_an_entry_without_msgctxt_is_kept_as_it_is(project):
    """A catalog entry with no msgctxt (a translator's stray entry: a warning) survives the cache as None."""
    path = _po(project, "de")
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "Stray"\nmsgstr "Verirrt"\n', encoding="utf-8")
    first = _texts(project, "de")
    assert first[None] == ("Stray", "Verirrt", False)
    assert _texts(project, "de") == first                  # the second read comes from the cache
