"""Translation checks: planted faults are reported with file, line and message; no PDF changes."""
import json

import polib
import pytest

from conftest import run
from leaflets.checks import check_message


def _po(root, lang="pl", domain="botox-migraines"):
    return root / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"


def _domain(key):
    return "interface" if key.startswith("ui.") else "botox-migraines"


def _set(root, key, fn, lang="pl"):
    path = _po(root, lang, _domain(key))
    po = polib.pofile(str(path), wrapwidth=0)
    entry = po.find(key, by="msgctxt")
    entry.msgstr = fn(entry.msgstr)
    po.save()
    text = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, l in enumerate(text) if l == f'msgctxt "{key}"')
    return next(i for i in range(start, len(text)) if text[i].startswith("msgstr")) + 1


def test_shipped_catalogs_have_no_errors(project):
    code, out, _ = run(project, "check")
    assert code == 0, out
    assert out.strip().endswith("0 error(s), 1 warning(s)")


PLANTED = [
    ("how-it-helps.intro", lambda s: s + ' <img src="file:///etc/passwd"/>', "not allowed"),
    ("ui.page", lambda s: s.replace("{pages}", "3"), "placeholder missing: {pages}"),
    ("title", lambda s: s.replace("BOTOX", "Botox"), "“BOTOX” must appear unchanged"),
    ("how-it-helps.sensitivity.text", lambda s: s.replace("</b>", "", 1), "<b> is not closed"),
    ("how-it-helps.sensitivity.text", lambda s: s.replace("<b>", "<b><b>", 1), "<b> inside <b>"),
    ("summary.text", lambda s: s + " <a href='http://example.org'>x</a>", "not allowed"),
    ("summary.text", lambda s: s + " &nbsp;", "entity"),
    ("summary.text", lambda s: s + "\u202e", "control character"),
    ("side-effects.intro", lambda s: "<b>" + s + "</b>", "tags differ"),
]


@pytest.mark.parametrize("key,plant,message", PLANTED)
def test_planted_fault_is_reported_with_line_and_blocks_the_build(project, key, plant, message):
    assert run(project, "build", "--lang", "pl")[0] == 0
    pdf = project / "out" / "botox-migraines" / "botox-migraines-pl.pdf"
    before = pdf.read_bytes()
    line = _set(project, key, plant)
    code, out, _ = run(project, "check", "pl")
    assert code == 1
    assert f"locales/pl/LC_MESSAGES/{_domain(key)}.po:{line}: error: " in out, out
    assert message in out and f"[{key}]" in out
    code, _, err = run(project, "build", "--lang", "pl")
    assert code == 1 and "NOT BUILT" in err and f"{_domain(key)}.po:{line}" in err
    assert pdf.read_bytes() == before


def test_dropped_number_is_an_error():
    problems = check_message("Take 2 tablets of 500 mg every 12 hours.", "Weź tabletki 500 mg co 12 godzin.")
    assert [p.code for p in problems] == ["number"] and "2" in problems[0].message
    assert check_message("Dose: 0.1 ml, 31 sites.", "Dawka: 0,1 ml, 31 miejsc.") == []
    assert check_message("Take 2 tablets.", "٢ أقراص") == []       # native digits count


def test_phone_url_and_email_must_survive():
    src = "Call 01632 960 123, see https://clinic.example/botox or write to info@clinic.example."
    assert check_message(src, "Zadzwoń 01632 960 123, https://clinic.example/botox, info@clinic.example.") == []
    codes = {p.code for p in check_message(src, "Zadzwoń do nas.")}
    assert {"phone", "url", "email"} <= codes


def test_po_syntax_error_is_reported_with_line(project):
    path = _po(project)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[40] = "msgstr oops"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run(project, "check", "pl")
    assert code == 1 and "botox-migraines.po:41: error: PO syntax error" in out, out


def test_check_json_gives_the_same_findings(project):
    line = _set(project, "title", lambda s: s.replace("BOTOX", "Botox"))
    code, out, _ = run(project, "check", "--json", "pl")
    assert code == 1
    data = json.loads(out)
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    assert data["errors"] == 1 and errors[0]["line"] == line and errors[0]["key"] == "title"
    assert errors[0]["file"] == "locales/pl/LC_MESSAGES/botox-migraines.po"


def test_po_file_cannot_make_the_build_read_files_or_fetch_urls(project, monkeypatch):
    """Tags that would make ReportLab load an image or a link are refused before layout."""
    import urllib.request
    opened = []
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: opened.append(a))
    secret = project / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    _set(project, "summary.text", lambda s: s + f' <img src="{secret}"/> <a href="http://198.51.100.1/x">y</a>')
    code, _, err = run(project, "build", "--lang", "pl")
    assert code == 1 and "not allowed" in err
    assert not opened
    pdf = project / "out" / "botox-migraines" / "botox-migraines-pl.pdf"
    assert not pdf.exists()


def test_fuzzy_catalog_is_not_built_and_names_the_messages(project):
    po = polib.pofile(str(_po(project)), wrapwidth=0)
    po.find("title", by="msgctxt").flags.append("fuzzy")
    po.find("subtitle", by="msgctxt").msgstr = ""
    po.save()
    code, _, err = run(project, "build", "--lang", "pl")
    assert code == 1 and "title" in err and "subtitle" in err and "--allow-incomplete" in err
    code, out, _ = run(project, "build", "--lang", "pl", "--allow-incomplete")
    assert code == 0 and "incomplete" in out
