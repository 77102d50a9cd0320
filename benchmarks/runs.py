"""Helpers of the benchmarks: whole commands timed in fresh processes, figures printed beside goals.

A run is one child process: its wall time, and the peak resident memory of the largest single
process of it (``os.wait4``'s ``ru_maxrss``: the child or any worker it waited for), so each
run's memory is its own, not the maximum over every child this benchmark started.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss: int          # bytes
    code: int
    said: str = ""         # the last line of its stderr, when it failed


def run(cmd: list[str], cwd: Path | None = None) -> Run:
    """Run ``cmd`` to its end (its output thrown away) and measure it."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        said = ""
        if proc.returncode:
            err.seek(0)
            lines = err.read().decode("utf-8", "replace").strip().splitlines()
            said = lines[-1] if lines else ""
    return Run(seconds, usage.ru_maxrss * 1024, proc.returncode, said)


def cli(root: Path, *args: str) -> list[str]:
    """``python make_leaflets.py --root ROOT ARGS…`` with this Python (the project's venv)."""
    return [sys.executable, str(ROOT / "make_leaflets.py"), "--root", str(root), *args]


def build_options() -> set[str]:
    """The options ``build --help`` lists (``--edition``, ``--jobs``, ``--shard`` … where they exist)."""
    text = subprocess.run(cli(ROOT, "build", "--help"), check=False, capture_output=True, text=True).stdout
    return {word.strip("[],") for word in text.split() if word.startswith(("--", "[--"))}


def failed(runs: list[Run]) -> str:
    bad = [r for r in runs if r.code]
    return f"  FAILED {len(bad)} of {len(runs)} (exit {bad[0].code}: {bad[0].said})" if bad else ""


def spread(values: list[float], unit: str = "s", scale: float = 1.0, digits: int = 2) -> str:
    """``median unit (min–max, n=N)``."""
    v = sorted(x * scale for x in values)
    return f"{statistics.median(v):.{digits}f} {unit} ({v[0]:.{digits}f}–{v[-1]:.{digits}f}, n={len(v)})"


def beside(values: list[float], goal: float, at_least: bool = False, unit: str = "s", scale: float = 1.0,
           digits: int = 2) -> str:
    """The figure, its goal, and whether its median meets it."""
    median = statistics.median(values) * scale
    met = median >= goal if at_least else median <= goal
    sign = "≥" if at_least else "≤"
    return f"{spread(values, unit, scale, digits)}   goal {sign} {goal:g} {unit}: {'met' if met else 'NOT MET'}"


def mb(values: list[int]) -> str:
    return spread([v / 2**20 for v in values], "MB", digits=0)
