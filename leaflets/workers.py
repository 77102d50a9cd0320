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

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager



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
    """Load, before forking, what drawing ``langs`` with every language in ``names`` will need (the
    fonts' big tables, read when first used, are read by each worker: side by side, once a build)."""
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


@contextmanager
def one_unit() -> Iterator[None]:
    """One unit of work (a language's PDF, a verdict) with Python's cycle collector paused, and then
    the garbage it left collected. A render makes and drops hundreds of thousands of objects, and each
    automatic collection of the oldest generation walks every container still alive, the shaped words,
    pieces and set lines kept for the next leaflet among them: in one process holding every language's
    document, a quarter of the first renders went on that. Paused, a unit's
    cycles (ReportLab's canvas and document point at each other) wait for its end, when one
    collection of the youngest generation, which holds all the unit made, frees them: memory stays
    flat from unit to unit."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect(0)
        if enabled:
            gc.enable()


def _each(work: Callable, items: Sequence) -> list:
    return [work(i) for i in items]


class Pool:
    """Worker processes kept for a whole build, batch after batch: forked once, after ``ready()``
    (which loads what every worker needs), so what each worker remembers (shaped words, set lines,
    font subsets: a language's first leaflet costs two or three times its next) serves every
    batch, not one. ``work`` and what it is given must pickle; in one process, it runs here."""

    def __init__(self, jobs: int, ready: Callable[[], None] = lambda: None):
        self.jobs, self._ready, self._pool = jobs, ready, None

    def ready(self) -> None:
        """Load what every worker needs (once)."""
        ready, self._ready = self._ready, lambda: None
        ready()

    def beside_ready(self, work: Callable, items: Sequence) -> list:
        """``[work(i) for i in items]`` for items that come before the workers' first task (the
        verdicts): while the workers are still to be made, a process forked for it takes them one by
        one, in order, while this one loads what the workers will need (:meth:`ready`); those it has
        not begun when that is done go to the workers (:meth:`map`). A one-language rebuild's verdict
        is judged side by side with the fonts' loading; a whole library's kept verdicts mostly are,
        and catalogs that must all be read afresh are shared by the workers."""
        if not items or self._pool is not None or not parallel(self.jobs, 2):
            return self.map(work, items)
        beside = _Beside(work, items)
        try:
            self.ready()
        finally:
            done = beside.stop()
        left = [k for k in range(len(items)) if k not in done]
        for k, result in zip(left, self.map(work, [items[k] for k in left])):
            done[k] = result
        return [done[k] for k in range(len(items))]

    def map(self, work: Callable, items: Sequence, apart: int = 2) -> list:
        """``[work(i) for i in items]``: in the workers when there are ``apart`` items or more (or
        the workers are already there), else here."""
        if not items or (self._pool is None and (len(items) < apart or not parallel(self.jobs, len(items)))):
            return _each(work, items)
        if self._pool is None:
            import multiprocessing
            self.ready()
            gc.freeze()          # what the workers inherit is never walked by their collections
            self._pool = multiprocessing.get_context("fork").Pool(self.jobs)
        return self._pool.map(work, items, chunksize=1)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.terminate() if exc[0] else self._pool.close()
            self._pool.join()
            self._pool = None
            gc.unfreeze()        # here, what was frozen for the workers is collected as before


class _Beside:
    """A process forked to do ``work`` on ``items`` one by one, in order, until :meth:`stop`. Each
    result comes back pickled through a pipe, drained here by a thread (a document is larger than the
    pipe's buffer: the child must not wait for this process to be free). An item the child could not
    end (an exception, the child killed) comes back as not done: whoever takes the rest does it again,
    and an error is raised there, with its own traceback. (A fork and a pipe, not a process pool: its
    queues, threads and imports cost more than the verdict of a one-language rebuild.)"""

    def __init__(self, work: Callable, items: Sequence):
        import threading
        stop_r, self._stop = os.pipe()
        results, out = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:                    # the child: never returns
            code = 0
            try:
                os.close(results)
                os.close(self._stop)
                _beside(work, items, stop_r, out)
            except BaseException:  # noqa: BLE001 - what is not sent is done again by the parent
                code = 1
            finally:
                os._exit(code)
        os.close(stop_r)
        os.close(out)
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._drain, args=(results,), daemon=True)
        self._reader.start()

    def _drain(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as pipe:
            while chunk := pipe.read1(1 << 20):
                self._chunks.append(chunk)

    def stop(self) -> dict[int, object]:
        """Let the child end the item it has begun and take no other; its results, by item."""
        import io
        import pickle
        try:
            os.write(self._stop, b"x")
        except OSError:                       # the child has ended already
            pass
        os.close(self._stop)
        self._reader.join()
        os.waitpid(self._pid, 0)
        data = b"".join(self._chunks)
        done, stream = {}, io.BytesIO(data)
        while stream.tell() < len(data):
            try:
                k, result = pickle.load(stream)
            except Exception:  # noqa: BLE001 - cut short (the child was killed): the rest is done again
                break
            done[k] = result
        return done


def _beside(work: Callable, items: Sequence, stop: int, out: int) -> None:
    import pickle
    import select
    with os.fdopen(out, "wb") as pipe:
        for k, item in enumerate(items):
            if select.select([stop], [], [], 0)[0]:
                return
            result = work(item)
            pipe.write(pickle.dumps((k, result), pickle.HIGHEST_PROTOCOL))
            pipe.flush()


def grouped(units: list[tuple], jobs: int) -> list[list[tuple]]:
    """Units of rendering ``(plan, lang, editions)`` as the workers' tasks: one language's units in one
    task, so that one process draws that language in every leaflet in turn and takes again the fonts,
    shaped words and set lines it used for the one before (the same paragraphs recur from leaflet to
    leaflet); the largest tasks first, the last few cut into single units so that the workers finish
    together. In one process, one task in the units' own order."""
    if not parallel(jobs, len(units)):
        return [list(units)]
    by_lang: dict[tuple, list[tuple]] = {}
    for unit in units:
        by_lang.setdefault((unit[1], unit[2]), []).append(unit)
    tasks = sorted(by_lang.values(), key=len, reverse=True)
    whole = max(len(tasks) - jobs, 0)
    return tasks[:whole] + [[unit] for task in tasks[whole:] for unit in task]


def shares(work: list, jobs: int, together: tuple[str, ...], cost: dict[str, float]) -> list[tuple]:
    """Units of rendering ``(plan, lang, editions)`` from ``(plan, lang)`` (editions None: every stale
    one). When there are fewer languages than processes (one language rebuilt after an edit), a
    language's editions are shared out: one unit an edition (those in ``together`` in one unit: they
    reuse the lines set for each other), the dearest first by ``cost``, so that each worker takes the
    next as it comes free and they finish together (longest first: fixed shares, made before anything
    was timed, left one worker idle for a fifth of the rendering)."""
    if len(work) >= jobs or jobs < 2:
        return [(plan, lang, None) for plan, lang in work]
    units = []
    for plan, lang in work:
        stale = plan.stale[lang]
        items = [[e for e in stale if e in together]] + [[e] for e in stale if e not in together]
        items = sorted((i for i in items if i), key=lambda i: -sum(cost.get(e, 1.0) for e in i))
        units += [(plan, lang, tuple(i)) for i in items] if len(items) > 1 else [(plan, lang, None)]
    return units


def joined(editions: tuple[str, ...], made: list) -> tuple[list, dict | None]:
    """One language's results and manifest entry, from the shares of its editions (see :func:`shares`)."""
    if len(made) == 1:
        return made[0]
    order = {e: i for i, e in enumerate(editions)}
    results = sorted((r for rs, _ in made for r in rs), key=lambda r: order.get(r.edition, len(order)))
    failed = [entry for _, entry in made if entry is not None and "error" in entry]
    if failed:
        return results, failed[0]
    entry = dict(made[0][1], files=dict(made[0][1]["files"]))
    for rs, other in made[1:]:
        entry["files"].update({r.edition: other["files"][r.edition] for r in rs if r.edition in other["files"]})
    return results, entry
