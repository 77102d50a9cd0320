"""Damaged and hostile input: bounded, contained, and said with a file and a line."""
import random

import polib
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, copy_project, run
from leaflets.catalogs import read_catalog
from leaflets.errors import LeafletError
from leaflets.fonts import FontLibrary
from leaflets.pipeline import Workspace
from leaflets.project import Project
from leaflets.text import TextSetter

CONTENT = "content/botox-migraines.yaml"
CATALOG = "locales/pl/LC_MESSAGES/botox-migraines.po"


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# 1. a key written twice
def test_a_yaml_key_written_twice_is_an_error_naming_both_lines(project):
    _replace(project / CONTENT, "    text: BOTOX for Migraines\n",
             "    text: BOTOX for Migraines\n    text: BOTOX for Headaches\n")
    code, _, err = run(project, "check")
    line = (ROOT / CONTENT).read_text(encoding="utf-8").splitlines().index("    text: BOTOX for Migraines") + 1
    assert code == 1 and f"{CONTENT}:{line + 1}:" in err and f"first on line {line}" in err, err


# 2. unbounded work
def test_yaml_aliases_are_refused_before_they_expand(project):
    bomb = "\n".join([f'l{i}: &l{i} [' + ",".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)])
    (project / CONTENT).write_text((ROOT / CONTENT).read_text(encoding="utf-8") + '\nl0: &l0 "lol"\n' + bomb,
                                   encoding="utf-8")
    code, _, err = run(project, "check")
    assert code == 1 and "anchors and aliases" in err and f"{CONTENT}:" in err


def test_a_content_file_of_a_few_megabytes_loads(project):
    text = (ROOT / CONTENT).read_text(encoding="utf-8")
    section = text[text.index("  - key: side-effects"):]
    copies = "".join(section.replace("key: ", f"key: copy{i}-") for i in range(500))
    (project / CONTENT).write_text(text + copies, encoding="utf-8")
    assert (project / CONTENT).stat().st_size > 1_000_000
    ws = Workspace(Project(project))
    assert len(ws.leaflets[0].units()) > 4000


# 3. every error has the right line
def test_invalid_utf8_in_content_names_the_line(project):
    data = (ROOT / CONTENT).read_bytes()
    at = data.index(b"Migraines are")
    (project / CONTENT).write_bytes(data[:at] + b"\xff" + data[at:])
    code, _, err = run(project, "check")
    line = data[:at].count(b"\n") + 1
    assert code == 1 and f"{CONTENT}:{line}: not UTF-8" in err, err


def test_a_duplicated_catalog_entry_names_both_definitions(project):
    path = project / CATALOG
    text = path.read_text(encoding="utf-8")
    start = text.index('msgctxt "subtitle"')
    end = text.index("\n\n", start)
    path.write_text(text + "\n" + text[start:end] + "\n", encoding="utf-8")
    code, out, _ = run(project, "check", "pl")
    first = text[:start].count("\n") + 1
    assert code == 1 and "duplicate message definition" in out and f"line {first + 1}" in out, out
    second = text.count("\n") + 3                            # the appended copy's msgid line
    assert f"{CATALOG}:{second}:" in out, out


def test_a_stable_key_used_twice_is_reported_at_its_line(project):
    _replace(project / CONTENT, "key: how-it-helps.intro", "key: title")
    lines = (ROOT / CONTENT).read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.strip() == "key: how-it-helps.intro")
    code, _, err = run(project, "check")
    assert code == 1 and f"{CONTENT}:{line}: key 'title' is used twice" in err, err


def test_build_names_files_relative_to_the_project(project):
    path = project / CATALOG
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "broken\n', encoding="utf-8")
    code, _, err = run(project, "build", "--lang", "pl")
    assert code == 1 and f"NOT BUILT ({CATALOG}:" in err and str(project) not in err, err


# 4. a catalog means to the tool what it means to GNU gettext
def test_gnu_escapes_are_read_as_gnu_reads_them(project):
    path = project / CATALOG
    po = polib.pofile(str(path))
    title = po.find("title", by="msgctxt")
    text = path.read_text(encoding="utf-8")
    quoted = f'msgstr "{title.msgstr}"'
    assert quoted in text
    path.write_text(text.replace(quoted, 'msgstr "BOTOX na migren\\x65 Korzy\\aci"'), encoding="utf-8")
    assert read_catalog(path).find("title", by="msgctxt").msgstr == "BOTOX na migrene Korzy\aci"
    code, out, _ = run(project, "check", "pl")
    assert code == 1 and "control character U+0007" in out and "[title]" in out, out


# 5. check and build agree: a long word is broken at the column edge, not refused
def test_a_word_wider_than_the_column_is_broken_at_its_edge():
    setter = TextSetter(FontLibrary(ROOT / "fonts").chain("de"), False, "de")
    word = "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz"
    lines = setter.lines(f"Das {word} gilt.", 12, 120)
    assert all(line.width <= 120.01 for line in lines) and len(lines) >= 3
    assert "".join(p.text for line in lines for p, _, _ in line.items if p is not None) == f"Das{word}gilt."
    assert setter.overflows


def test_a_hyphenated_word_wider_than_the_column_breaks_at_its_hyphens():
    """Hyphenated words are kept whole where they fit; one wider than the column (a narrow column of
    the bilingual edition) breaks after a hyphen, as UAX #14 allows, not at the column's edge."""
    setter = TextSetter(FontLibrary(ROOT / "fonts").chain("pl"), False, "pl")
    text = "Zobacz (https://www.example-clinic.nhs.uk/patient-information/botulinum-toxin-for-chronic-migraine) teraz"
    wide = setter.lines(text, 12, 400)
    assert all(not line_text(line).endswith("-") for line in wide)          # where it fits: whole
    narrow = setter.lines(text, 12, 120)
    texts = [line_text(line) for line in narrow]
    assert all(line.width <= 120.01 for line in narrow) and len(narrow) >= 4
    assert "".join(texts).replace(" ", "") == text.replace(" ", "")
    assert any(t.endswith("-") for t in texts) and not setter.overflows, (texts, setter.overflows)


def line_text(line) -> str:
    return "".join(p.text if p is not None else " " for p, _, _ in line.items)


def test_a_long_url_in_a_translation_builds(project):
    url = "https://www.example-clinic.nhs.uk/patient-information/botulinum-toxin-for-chronic-migraine"
    path = project / CATALOG
    po = polib.pofile(str(path))
    po.find("summary.text", by="msgctxt").msgstr += f" ({url})"
    po.save()
    assert run(project, "check", "pl")[0] == 0
    code, out, err = run(project, "build", "--lang", "pl")
    assert code == 0, err
    assert "broken at its edge" not in err       # a URL breaks after its slashes (UAX #14)
    word = "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetzesbegründungsentwurfsfassung"
    po = polib.pofile(str(path))
    po.find("summary.text", by="msgctxt").msgstr += f" {word}"
    po.save()
    code, out, err = run(project, "build", "--lang", "pl")
    assert code == 0 and f"warning: out/botox-migraines/botox-migraines-pl.pdf: '{word}' is wider than the column: " \
        "broken at its edge" in err, err


# 6. the build environment
def test_an_output_folder_that_is_a_file_is_a_clear_error(project):
    (project / "out").mkdir()
    (project / "out" / "botox-migraines").write_text("not a folder")
    code, _, err = run(project, "build", "--lang", "en")
    assert code == 1 and "exists and is not a folder" in err and "Traceback" not in err


# the fuzz test: damaged content and catalogs never escape as another exception
_SEED = random.Random(1)


def _mutate(data: bytes, ops) -> bytes:
    data = bytearray(data)
    for kind, where, value in ops:
        at = where % (len(data) + 1)
        if kind == 0:
            data[at:at + 1] = b""
        elif kind == 1:
            data[at:at] = bytes([value])
        elif kind == 2:
            data[at:at] = b'"'
        elif kind == 3:
            data[at:at] = b"\n"
        else:
            data[at:at + 40] = b""
    return bytes(data)


_OPS = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(content_ops=_OPS, catalog_ops=_OPS)
def test_fuzzed_content_and_catalog_give_the_tools_own_errors(tmp_path_factory, content_ops, catalog_ops):
    root = copy_project(tmp_path_factory.mktemp("fuzz") / "proj")
    for rel, ops in ((CONTENT, content_ops), (CATALOG, catalog_ops)):
        path = root / rel
        path.write_bytes(_mutate(path.read_bytes(), ops))
    ws = Workspace(Project(root))
    try:
        leaflet = ws.leaflets[0]
        ws.check(["pl"])
        ws.document(leaflet, "pl", ["en", "pl"])
    except LeafletError as exc:
        assert exc.path and (exc.line or "cannot" in exc.message or "no " in exc.message
                             or "not printed" in exc.message or "missing" in exc.message), str(exc)
    code, out, err = run(root, "check", "pl")
    assert code in (0, 1) and "Traceback" not in err


def test_the_whole_job_and_check_run_within_2_gb_of_address_space(project):
    import subprocess
    import sys
    job = f"ulimit -v 2000000 && {sys.executable} -m leaflets --root {project} && " \
          f"{sys.executable} -m leaflets --root {project} check"
    result = subprocess.run(["bash", "-c", job], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "botox-migraines-ur-large-print.pdf" in result.stdout
