"""``check`` and ``status`` keep what they found (examined.py), keyed by the catalog's bytes:
the same answer as examining again, never stale, never trusted blindly."""
import json
import os
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import break_a_msgstr, run
from leaflets import examined as examined_module
from leaflets.examined import examine, examined, load
from leaflets.project import Project
from leaflets.workspace import Workspace

LEAFLET = "botox-migraines"


def _small(project, langs=("de", "pl", "ro", "fr")):
    for folder in (project / "locales").iterdir():
        if folder.is_dir() and folder.name not in langs:
            shutil.rmtree(folder)
    return project


def _po(root, lang):
    return root / "locales" / lang / "LC_MESSAGES" / f"{LEAFLET}.po"


def _store(root, lang, domain=LEAFLET):
    return root / ".leaflets-cache" / "findings" / lang / f"{domain}.json"


def _mess_up(root):
    """A broken catalog (ro), a fuzzy one with a check error in it (de), an untranslated message (pl)."""
    break_a_msgstr(_po(root, "ro"))
    path = _po(root, "de")
    text = path.read_text(encoding="utf-8")
    head, sep, tail = text.partition('\nmsgctxt "how-it-helps.heading"')
    path.write_text(head + "\n#, fuzzy" + sep + tail.replace('msgstr "', 'msgstr "<b>', 1), encoding="utf-8")
    path = _po(root, "pl")
    text = path.read_text(encoding="utf-8")
    head, sep, tail = text.partition('\nmsgctxt "how-it-helps.heading"')
    msgstr = tail.split('msgstr "', 1)[1].split('"\n', 1)[0]
    path.write_text(head + sep + tail.replace(f'msgstr "{msgstr}"', 'msgstr ""', 1), encoding="utf-8")


def test_check_and_status_say_the_same_from_the_cache_as_examined_afresh(project):
    root = _small(project)
    _mess_up(root)
    first = [run(root, "check"), run(root, "status")]
    assert _store(root, "ro").is_file() and _store(root, "de", "interface").is_file()
    assert [run(root, "check"), run(root, "status")] == first          # the second time, from the cache
    code, out, err = first[0]
    assert code == 1 and "ro/LC_MESSAGES/botox-migraines.po" in out + err and "fuzzy" in out + err
    ws = Workspace(Project(root))
    for lang in ("de", "pl", "ro", "fr"):
        for domain in ws.domains:
            assert examined(Workspace(Project(root)), domain, lang) == examine(ws, domain, lang)


def test_an_edit_that_keeps_size_and_time_is_seen(project):
    root = _small(project)
    ws = Workspace(Project(root))
    domain = ws.domain(LEAFLET)
    before = examined(ws, domain, "pl")
    assert not before.findings
    path = _po(root, "pl")
    text, st_ = path.read_text(encoding="utf-8"), path.stat()
    changed = text.replace("BOTOX na migrenę", "BOTOX<b> migrenę", 1)       # unclosed markup, the same size
    assert changed != text and len(changed.encode()) == len(text.encode())
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns))
    after = examined(Workspace(Project(root)), domain, "pl")
    assert after == examine(ws, domain, "pl") and after != before


def test_a_forged_or_damaged_record_is_examined_again(project):
    root = _small(project)
    ws = Workspace(Project(root))
    domain = ws.domain(LEAFLET)
    truth = examined(ws, domain, "de")
    store = _store(root, "de")
    data = json.loads(store.read_text(encoding="utf-8"))
    store.write_text(json.dumps(dict(data, key="0", stats=[9, 9, 9, 9, 9, 9])), encoding="utf-8")
    assert examined(ws, domain, "de") == truth
    store.write_text(json.dumps(dict(data, stats=[1, 2, 3])), encoding="utf-8")
    assert examined(ws, domain, "de") == truth
    store.write_text(json.dumps(data)[:40], encoding="utf-8")
    assert examined(ws, domain, "de") == truth


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner, max_size=6),
                     max_leaves=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.fixed_dictionaries({"key": st.just("K")}, optional={
    "findings": st.lists(st.lists(st.none() | st.integers(-1, 9) | st.text(max_size=4), max_size=7), max_size=3) | _JSON,
    "stats": st.none() | st.lists(st.integers(-1, 9) | st.booleans(), max_size=7) | _JSON,
    "review": st.none() | _JSON,
    "error": st.none() | st.lists(st.none() | st.integers(0, 9) | st.text(max_size=4), max_size=4) | _JSON}),
    raw=st.binary(max_size=40))
def test_any_record_is_taken_whole_or_not_at_all(tmp_path_factory, data, raw):
    """Whatever the file says (the cache folder is not trusted), it is an examination of the right
    shape or nothing: never an exception."""
    store = tmp_path_factory.mktemp("f") / "x.json"
    for content in (json.dumps(data).encode(), raw):
        store.write_bytes(content)
        found = load(store, "K")
        assert found is None or isinstance(found, examined_module.Examined)
        if found is not None:
            assert (found.stats is None) == (found.error is not None) == (found.review is None)
            assert all(isinstance(f.line, (int, type(None))) and isinstance(f.message, str) for f in found.findings)
