"""Timings of the build: python benchmarks/bench.py [--repeat N] [LANG ...]

Measures, on this machine: loading fonts, then the median time to lay out and
write each language's PDF once fonts are loaded (what a full rebuild costs per
leaflet), and a whole no-op run of the CLI in a fresh process.
Timings are printed, never asserted in tests.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leaflets.pipeline import Workspace, render  # noqa: E402
from leaflets.project import Project  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("langs", nargs="*")
    args = ap.parse_args()
    ws = Workspace(Project(ROOT))
    leaflet = ws.leaflet("botox-migraines")
    langs = args.langs or ws.languages_of(leaflet)
    t0 = time.perf_counter()
    for lang in langs:
        ws.fonts.chain(lang)
    print(f"fonts loaded: {(time.perf_counter() - t0) * 1000:.0f} ms")
    docs = {lang: ws.document(leaflet, lang, ws.languages_of(leaflet)) for lang in langs}
    for lang in langs:
        render(docs[lang], ws.fonts)       # warm caches (first use of each glyph)
    total = 0.0
    for lang in langs:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            _, pages = render(docs[lang], ws.fonts)
            times.append(time.perf_counter() - t)
        med = statistics.median(times) * 1000
        total += med
        print(f"{lang:8} {pages} pages  {med:6.1f} ms (median of {args.repeat})")
    print(f"all {len(langs)} languages: {total:.0f} ms of layout and writing")
    subprocess.run([sys.executable, str(ROOT / "make_leaflets.py"), "build"], cwd=ROOT, capture_output=True)
    t = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "make_leaflets.py"), "build"], cwd=ROOT, capture_output=True)
    print(f"no-op 'build' (nothing changed), whole process: {(time.perf_counter() - t) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
