"""Cold build of each language: python benchmarks/cold.py [--repeat N] [--root DIR] [LANG ...]

For every language, a fresh process runs ``make-leaflets build --lang LANG --force`` into a
temporary folder (every edition: standard, large print, web page), and the wall time is printed:
median, min-max and run count. Before the timed runs one untimed build fills the font caches
(``.leaflets-cache``), so a figure is a cold *process*, not a first-ever build. Timings are printed,
never asserted in tests.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    ap.add_argument("langs", nargs="*")
    args = ap.parse_args()
    root = args.root.resolve()
    exe = root / ".venv" / "bin" / "make-leaflets"
    langs = args.langs or sorted(["en"] + [p.name for p in (root / "locales").iterdir() if p.is_dir()])
    with tempfile.TemporaryDirectory() as tmp:
        def once(lang: str) -> tuple[float, int]:
            t = time.perf_counter()
            proc = subprocess.run([str(exe), "--root", str(root), "build", "--out", tmp, "--lang", lang, "--force"],
                                  capture_output=True, text=True)
            return time.perf_counter() - t, proc.returncode
        for lang in langs:
            once(lang)
            runs = [once(lang) for _ in range(args.repeat)]
            times = sorted(t for t, _ in runs)
            state = "ok" if all(code == 0 for _, code in runs) else "FAILED"
            print(f"{lang:8} {statistics.median(times):6.2f} s  ({times[0]:.2f}-{times[-1]:.2f}, n={len(times)})"
                  f"  {state}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
