"""Rendering in worker processes: fonts loaded once, then the work shared out over forked workers.

ReportLab, HarfBuzz and ICU are single-threaded Python, so a build uses both cores of a clinic's
PC only in two processes. The parent loads what every worker will need (the modules that draw,
each language's fonts, the fonts of every name in the languages box) and then forks: the workers
inherit it all, copy-on-write, and nothing is loaded twice. Each unit of work (one leaflet in one
language) returns its results to the parent, which alone writes the manifests. The output is
byte-for-byte what one process writes (tested): nothing in a PDF depends on which process drew it.

Where ``fork`` does not exist (Windows), or there is one unit of work or one job, everything runs
here, in order.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence

_WORK: tuple[Sequence, Callable] | None = None      # set in the parent before forking


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:           # not on Linux
        return max(1, os.cpu_count() or 1)


def parallel(jobs: int, count: int) -> bool:
    import multiprocessing
    return jobs > 1 and count > 1 and "fork" in multiprocessing.get_all_start_methods()


def prepare(ws, langs: list[str], names: list[str], editions: tuple[str, ...]) -> None:
    """Load, before forking, what drawing ``langs`` with every language in ``names`` will need."""
    from . import render  # noqa: F401 - ReportLab's canvas and platypus, imported once
    if "html" in editions:
        from . import html  # noqa: F401
    from .translate import language_name
    fonts = ws.fonts
    for lang in sorted(set(langs) | set(names)):
        try:
            chain = fonts.chain(lang)
            chain.primary
            for ch in set(language_name(lang)):
                if not ch.isspace():
                    chain.for_char(ch)
        except Exception:  # noqa: BLE001 - a font that cannot be loaded fails its language in the worker
            continue


def run(units: Sequence, work: Callable, jobs: int) -> list:
    """``[work(u) for u in units]``, in ``jobs`` forked processes when that helps."""
    global _WORK
    if not parallel(jobs, len(units)):
        return [work(u) for u in units]
    import multiprocessing
    _WORK = (units, work)
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(units))) as pool:
            return pool.map(_one, range(len(units)), chunksize=1)
    finally:
        _WORK = None


def _one(i: int):
    units, work = _WORK
    return work(units[i])
