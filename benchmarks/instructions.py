"""Instructions, not seconds: what rendering costs, counted by valgrind's callgrind.
.venv/bin/python benchmarks/instructions.py [LANG …]   (default: ar he hi th ja pl)

The development machine is shared and its speed varies by half from one hour to the next, so a change
worth a few per cent cannot be seen in seconds. Callgrind counts the instructions a process runs: the
same code, inputs and hash seed give the same count (to a few hundredths of a per cent), whatever else
the machine is doing. Each count is a fresh process, with ``PYTHONHASHSEED=0`` (set and dict orders,
and so the work, depend on the seed):

- setting up: the imports, the fonts of every language (as a build loads them before its workers are
  forked) and each language's translated document;
- the same, then the first standard PDF of each language, one after the other (a cold build's work);

and the difference, the renders alone. Run it on two checkouts and compare. It takes a minute or two
(valgrind runs Python some 50 times slower) and needs valgrind (Debian's ``valgrind``); a run first
builds the project's caches, natively, so neither count includes filling them.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library import SHIPPED  # noqa: E402
from runs import ROOT  # noqa: E402

LANGS = ["ar", "he", "hi", "th", "ja", "pl"]

_SCRIPT = """
import dataclasses, sys
from pathlib import Path
root, langs, render = Path(sys.argv[1]), sys.argv[2].split(","), sys.argv[3] == "render"
sys.path.insert(0, str(root))
from leaflets import build, workers
from leaflets.inputs import Inputs
from leaflets.project import Project
from leaflets.translate import LanguageFacts, language_name
from leaflets.workspace import Workspace
LanguageFacts(root / ".leaflets-cache" / "languages.json")
ws = Workspace(Project(root))
every = ["en"] + Inputs(ws, False).languages
workers.prepare(ws, langs, every, ("standard",))
leaflet = ws.leaflet(sys.argv[4])
docs = [dataclasses.replace(build.document(ws, leaflet, lang),
                            other_languages=tuple((x, language_name(x)) for x in every if x != lang))
        for lang in langs]
for doc in docs if render else []:
    with workers.one_unit():
        build.render(doc, ws.fonts, "standard", [])
"""


def count(langs: list[str], render: bool) -> int:
    """Instructions of one fresh process (see the module's docstring)."""
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", _SCRIPT,
           str(ROOT), ",".join(langs), "render" if render else "set-up", SHIPPED]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED="0"))
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode or not found:
        sys.exit(f"callgrind failed ({proc.returncode}): {proc.stderr.strip().splitlines()[-1:]}")
    return int(found.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("langs", nargs="*", help=f"languages (default: {' '.join(LANGS)})")
    langs = ap.parse_args().langs or LANGS
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    subprocess.run([sys.executable, "-c", _SCRIPT, str(ROOT), ",".join(langs), "render", SHIPPED], check=True)
    setup, both = count(langs, False), count(langs, True)
    print(f"{' '.join(langs)}: setting up {setup / 1e9:.3f} G instructions; with their first standard PDFs "
          f"{both / 1e9:.3f} G; the renders alone {(both - setup) / 1e9:.3f} G")


if __name__ == "__main__":
    main()
