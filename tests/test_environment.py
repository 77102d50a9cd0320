"""The build environment: damaged fonts, the user's ReportLab settings, files outside the project."""
import json
import re
import os
import subprocess
import sys

import pytest

from conftest import ROOT, run

LEAFLET = "out/botox-migraines/botox-migraines"


def _fonts_with(project, damaged: str, data: bytes) -> None:
    """The project's fonts folder, every file linked to the shipped one except ``damaged``."""
    (project / "fonts").unlink()
    for src in sorted((ROOT / "fonts").rglob("*")):
        if src.is_file():
            rel = src.relative_to(ROOT / "fonts")
            dst = project / "fonts" / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            if rel.as_posix() == damaged:
                dst.write_bytes(data)
            else:
                dst.symlink_to(src)


@pytest.mark.parametrize("keep", [0, 100, 60_000])
def test_a_damaged_font_stops_only_the_languages_that_need_it(project, keep):
    font = "noto/NotoSansTamil-Regular.ttf"
    _fonts_with(project, font, (ROOT / "fonts" / font).read_bytes()[:keep])
    code, out, err = run(project, "build", "--lang", "en", "--lang", "ta", "--lang", "ar")
    assert code == 1 and "Traceback" not in err, err
    said = [line for line in err.splitlines() if "-ta" in line or " ta" in line or "ta:" in line]
    assert any("NotoSansTamil-Regular.ttf" in line for line in said), err
    assert (project / f"{LEAFLET}-en.pdf").is_file() and (project / f"{LEAFLET}-ar.pdf").is_file()
    assert not (project / f"{LEAFLET}-ta.pdf").exists()
    code, out, _ = run(project, "check", "ta")
    assert code == 1 and "NotoSansTamil-Regular.ttf" in out


def test_init_refuses_a_language_no_font_draws_and_says_which_font_to_add(project):
    code, _, err = run(project, "init", "si")
    assert code == 1 and "Sinhala" in err and "fonts/" in err and "licence" in err, err
    assert not (project / "locales" / "si").exists()


def test_a_font_without_a_licence_file_is_not_used(project):
    font = "noto/NotoSansTamil-Regular.ttf"
    _fonts_with(project, font, (ROOT / "fonts" / font).read_bytes())
    for f in (project / "fonts" / "noto").iterdir():
        if f.name.startswith(("OFL", "COPYRIGHT")):
            f.unlink()
    code, out, _ = run(project, "check", "ta")
    assert code == 1 and "licence" in out, out


_PROBE = """
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" and args and isinstance(args[0], (str, bytes)) else None)
from leaflets.cli import main
code = main(["--root", sys.argv[1], "build", "--lang", "en", "--force"])
print(json.dumps({"code": code, "opened": opened}))
"""


def _build_in_fresh_process(project, home, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RL_")}
    env.update(HOME=str(home), **(env_extra or {}))
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(project)], capture_output=True, text=True, env=env,
                          cwd=str(project), timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_nothing_outside_the_project_and_the_installed_packages_is_read(project, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    marker = tmp_path / "settings-were-read"
    (home / ".reportlab_settings").write_text(f"open({str(marker)!r}, 'w').close()\nuseA85 = 0\n")
    (home / ".reportlab_mods").write_text(f"open({str(marker)!r}, 'w').close()\n")
    plain = _build_in_fresh_process(project, tmp_path)          # no settings file
    pdf = (project / f"{LEAFLET}-en.pdf").read_bytes()
    hostile = _build_in_fresh_process(project, home, {"RL_useA85": "0", "RL_invariant": "0"})
    assert plain["code"] == hostile["code"] == 0
    assert not marker.exists()                          # neither ~/.reportlab_settings nor ~/.reportlab_mods ran
    assert (project / f"{LEAFLET}-en.pdf").read_bytes() == pdf   # nor did it or RL_* change the output
    allowed = [str(project.resolve()), str(project), str(ROOT), sys.prefix, sys.base_prefix, sys.exec_prefix,
               "/dev/", "/proc/",
               "/usr/share/zoneinfo/"]   # Python's time-zone database (babel's local zone): no effect on output
    allowed += [os.path.realpath(p) for p in sys.path if p]
    outside = sorted({p for p in hostile["opened"]
                      if os.path.isabs(p) and not any(os.path.realpath(p).startswith(a) or p.startswith(a)
                                                      for a in allowed)})
    assert outside == [], outside


_LAZY_PROBE = """
import json, re, sys
from leaflets.cli import main
code = main(["--root", sys.argv[1], "build", "--lang", "en", "--lang", "ar", "--jobs", "1", "--force"])
pil = type(sys.modules["PIL.Image"]).__name__          # type() does not load a lazy module
from reportlab.platypus import paragraph
deferred = type(paragraph.uri_pat).__name__
urls = ["https://www.nhs.uk/conditions/migraine/", "http://ex\\u00e4mple.com/a?b=1", "not a url",
        "ftp://10.0.0.1:21/x", "HTTPS://WWW.NHS.UK", "http://-bad-.com"]
compiled = re.compile(paragraph.uri_pat.pattern, paragraph.uri_pat.flags)
from PIL import Image
import yaml.reader
printable = yaml.reader.Reader.NON_PRINTABLE
yaml_deferred = type(printable).__name__
texts = ["plain text", "a\\x01b", "\\U0001F600 fine", "tab\\there", "\\x7f"]
yaml_same = [bool(printable.search(t)) for t in texts] == [bool(re.compile(printable.pattern).search(t)) for t in texts]
print(json.dumps({"code": code, "pil": pil, "deferred": deferred, "flags": paragraph.uri_pat.flags,
                  "yaml_deferred": yaml_deferred, "yaml_same": yaml_same,
                  "yaml_refuses": [bool(printable.search(t)) for t in texts],
                  "ours": [bool(paragraph.uri_pat.match(u)) for u in urls],
                  "compiled": [bool(compiled.match(u)) for u in urls],
                  "pil_works": Image.new("RGB", (2, 3)).size == (2, 3)}))
"""


def test_what_reportlab_imports_and_never_uses_costs_nothing_until_used(project):
    """Drawing a leaflet never loads Pillow (ReportLab imports it for bitmaps; it is loaded lazily),
    and Paragraph's URL pattern and PyYAML's pattern of the characters it refuses, slow to compile,
    are compiled when first used, to the same patterns (:mod:`leaflets.deferred`)."""
    proc = subprocess.run([sys.executable, "-c", _LAZY_PROBE, str(project)], capture_output=True, text=True,
                          cwd=str(project), timeout=600)
    assert proc.returncode == 0, proc.stderr
    said = json.loads(proc.stdout.strip().splitlines()[-1])
    assert said["code"] == 0
    assert said["pil"] == "_LazyModule"              # two leaflets drawn, Pillow never loaded
    assert said["deferred"] == "_Deferred"           # nothing asked for a URL: never compiled
    assert said["flags"] & re.IGNORECASE
    assert said["ours"] == said["compiled"] == [True, True, False, True, True, False]
    assert said["pil_works"]                          # and once used, each is the real thing
    assert said["yaml_deferred"] == "_Deferred"      # PyYAML's pattern of every plane: libyaml read the content
    assert said["yaml_same"] and said["yaml_refuses"] == [False, True, False, False, True]
