"""Timings of the build against their goals:
.venv/bin/python benchmarks/bench.py [--repeat N] [--quick] [--jobs N] [--only 1,2,…] [LANG …]

Every figure is measured on this machine, printed as median (min–max, n=runs) beside its goal:

1. cold build of the shipped library, standard edition, into an empty folder, a fresh process per
   run (the font caches in ``.leaflets-cache/`` stay warm): the total and per 21 PDFs;
2. the whole job (``make-leaflets``: extract, update, build) with nothing changed; also ``build``
   (timed 2 s after the last file was written: a run in that window is done in full, see snapshot.py);
3. a synthetic library (``benchmarks/library.py``: 10, 25, 50 leaflets × 20 languages, 1,000
   standard PDFs at the largest), cold like (1): time, time per PDF (linear?) and peak memory
   (the largest process's RSS: flat?) at each size; then, in the largest, built, one German msgstr
   of one leaflet edited and ``build --lang de`` timed (what a translator waits for in a large library),
   and ``check`` and ``status`` run again with nothing changed;
4. one catalog edited (a Polish msgstr), then ``build --lang pl``, in a built copy of the project;
5. in one process, fonts loaded: our layout and PDF writing of one leaflet against WeasyPrint's
   rendering of our HTML edition of it, run in turn, one language per script (or the LANGs given);
   skipped when WeasyPrint cannot be imported (``pip install weasyprint``: a tool of this benchmark
   only, not a dependency of the project);
6. ReportLab's own floor (``floor.py``): the English text of the leaflet as plain Paragraphs in one
   font, beside our standard PDF of it, in turn, in one process (no goal: how far above the floor).

A yardstick, a fixed pure-Python loop, is timed first and last: the machine's speed then, by which
figures of other days compare.

(1) and (3) ask for ``build --edition standard``, and every build gets ``--jobs N`` when this
benchmark is given it; where ``build --help`` lacks an option, every edition is built (or the
build's own default used) and a note says so. ``--quick`` is a smoke run: 2 runs, (3) at 2 and 5
leaflets × 4 languages. Figures (2) and (5) read the project's own ``out/`` (its first run builds
what is missing). Timings are printed, never asserted in tests.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library import SHIPPED, copy_project, make_library  # noqa: E402
from runs import ROOT, beside, build_options, cli, failed, mb, run, spread  # noqa: E402

sys.path.insert(0, str(ROOT))

SCRIPTS = ["en", "ar", "ur", "hi", "bn", "ta", "th", "he", "ja", "ko", "zh_Hant", "am", "ru"]
PER = 21                  # goal (1) is stated per 21 PDFs
LIBRARY_EDIT = ("Wie BOTOX bei Migräne hilft", "Wie BOTOX gegen Migräne hilft")   # a German heading
EDIT = ("Korzyści, fachowa wiedza i możliwe skutki uboczne",     # the Polish subtitle, and an edit of it
        "Korzyści, wiedza fachowa i możliwe skutki uboczne")


class Builds:
    """The build options this benchmark may pass, as far as this version of the CLI has them."""

    def __init__(self, jobs: int | None):
        have = build_options()
        self.standard_only = "--edition" in have
        self.jobs = ["--jobs", str(jobs)] if jobs and "--jobs" in have else []
        self.notes = []
        if not self.standard_only:
            self.notes.append("this build has no --edition: (1) and (3) build every edition (standard, large "
                              "print, web page), so they are slower than the goals, which are for standard alone")
        if jobs and not self.jobs:
            self.notes.append(f"this build has no --jobs: --jobs {jobs} is not passed on")
        elif not jobs:
            self.notes.append("--jobs not given: the build's own default" +
                              (" (the machine's cores)" if "--jobs" in have else " (one process)"))

    def cold(self, root: Path, out: Path) -> list[str]:
        """A build of the standard edition (where possible) into ``out``."""
        editions = ["--edition", "standard"] if self.standard_only else []
        return cli(root, "build", "--out", str(out), *editions, *self.jobs)


def standard_pdfs(out: Path) -> int:
    from leaflets.project import EDITIONS
    others = tuple(f"-{e}.pdf" for e in EDITIONS if e not in ("standard", "html"))
    return sum(1 for p in out.glob("*/*.pdf") if not p.name.endswith(others))


def cold_runs(builds: Builds, root: Path, repeat: int, warm: bool = True):
    """``repeat`` cold builds of ``root``, each into an empty folder; (runs, standard PDFs made)."""
    runs, made = [], 0
    for i in range(-1 if warm else 0, repeat):
        out = Path(tempfile.mkdtemp(prefix="leaflets-bench-out-"))
        try:
            r = run(builds.cold(root, out))
            made = standard_pdfs(out)
        finally:
            shutil.rmtree(out)
        if i >= 0:
            runs.append(r)
    return runs, made


def cold_build(builds: Builds, repeat: int) -> None:
    runs, made = cold_runs(builds, ROOT, repeat)
    times = [r.seconds for r in runs]
    print(f"(1) cold build, shipped library, {made} standard PDFs: {spread(times)}{failed(runs)}")
    print(f"    per {PER} PDFs: {beside([t * PER / max(made, 1) for t in times], 1.0)}")


def noop(repeat: int) -> None:
    from leaflets.snapshot import RACY
    for args, goal, what in (((), 0.25, "whole job 'make-leaflets'"), (("build",), None, "'build' alone")):
        run(cli(ROOT, *args))                      # brings out/ up to date, if it is not
        time.sleep(RACY + 0.2)                     # files written in the last 2 s make a run's snapshot racy:
        run(cli(ROOT, *args))                      # a clinic's next run is later than that (snapshot.py)
        runs = [run(cli(ROOT, *args)) for _ in range(repeat)]
        times = [r.seconds for r in runs]
        figure = beside(times, goal) if goal else spread(times)
        print(f"(2) no-op {what}: {figure}{failed(runs)}")


def library(builds: Builds, repeat: int, sizes: tuple[int, ...], n_languages: int) -> None:
    per_pdf, peaks = {}, {}
    with tempfile.TemporaryDirectory(prefix="leaflets-bench-lib-") as tmp:
        for n in sizes:
            root = make_library(Path(tmp) / f"lib-{n}", n, n_languages)
            runs, made = cold_runs(builds, root, repeat, warm=n == sizes[0])
            times = [r.seconds for r in runs]
            per_pdf[n] = [t / max(made, 1) for t in times]
            peaks[n] = [r.peak_rss for r in runs]
            total = n * n_languages
            figure = beside(times, 20.0 * total / 1000) if total >= 1000 else spread(times)
            print(f"(3) {n} leaflets × {n_languages} languages, {made} standard PDFs: {figure}{failed(runs)}")
            print(f"      per PDF {spread(per_pdf[n], 'ms', 1000, 1)};  peak RSS {mb(peaks[n])}")
            if n == sizes[-1]:
                library_edit(builds, root, repeat, n)
            shutil.rmtree(root)
    small, large = sizes[0], sizes[-1]
    if len(sizes) > 1:
        ratio = statistics.median(per_pdf[large]) / statistics.median(per_pdf[small])
        grow = statistics.median(peaks[large]) / statistics.median(peaks[small])
        print(f"    per PDF at {large} leaflets / at {small}: {ratio:.2f}×   goal ≈ 1 (linear)")
        print(f"    peak RSS at {large} leaflets / at {small}: {grow:.2f}×   goal ≈ 1 (flat)")
    if large * n_languages < 1000:
        print("    (the 20 s goal is for 1,000 PDFs: run without --quick)")


def _edited_runs(catalog: Path, text: str, edit: tuple[str, str], repeat: int, command: list[str]) -> list:
    """``command`` run after each edit of ``catalog`` (whose text is ``text``): the msgstr ``edit[0]``
    becomes ``edit[1]`` and back, in turn; a warm-up edit first, not counted. Each edit also gives the
    message a translator's comment never written before, so that the catalog's bytes are new, as a
    translator's are: a build judges them afresh (a verdict is kept by the catalog's bytes, and the
    two texts alone would be seen again from the third run on)."""
    runs = []
    for i in range(-1, repeat):
        old, new = edit if i % 2 else edit[::-1]
        text = text.replace(f'msgstr "{old}"', f'msgstr "{new}"')
        catalog.write_text(_commented(text, f'msgstr "{new}"', f"edited by bench.py {time.time_ns()}"),
                           encoding="utf-8")
        r = run(command)
        if i >= 0:
            runs.append(r)
    return runs


def _commented(text: str, msgstr: str, comment: str) -> str:
    """``text`` (a catalog) with ``comment`` as a translator's comment of the entry whose msgstr is
    ``msgstr`` (first in its block of comments)."""
    at = text.index(msgstr)
    start = text.rfind("\n\n", 0, at) + 2
    return text[:start] + f"# {comment}\n" + text[start:]


def library_edit(builds: Builds, root: Path, repeat: int, n: int) -> None:
    """(4) in the library: one German message of one leaflet edited, that language rebuilt (the
    standard edition, as the library is built): what a translator waits for in a large library."""
    for command in ("check", "status"):                     # what every catalog says: kept (examined.py)
        run(cli(root, command))                             # the first run examines them all
        runs = [run(cli(root, command)) for _ in range(repeat)]
        print(f"    in this library, '{command}' with nothing changed since: {spread([r.seconds for r in runs])}"
              f"{failed(runs)}")
    catalog = root / "locales" / "de" / "LC_MESSAGES" / f"{SHIPPED}-01.po"
    text = catalog.read_text(encoding="utf-8") if catalog.is_file() else ""
    if f'msgstr "{LIBRARY_EDIT[0]}"' not in text:
        print("    (4) in the library: skipped (no German catalog with the heading this benchmark edits)")
        return
    editions = ["--edition", "standard"] if builds.standard_only else []
    run(cli(root, "build", *editions, *builds.jobs))        # the library built, as a clinic has it
    runs = _edited_runs(catalog, text, LIBRARY_EDIT, repeat,
                        cli(root, "build", "--lang", "de", *editions, *builds.jobs))
    print(f"    (4) in this library of {n} leaflets, one German msgstr edited, 'build --lang de'"
          f"{' --edition standard' if editions else ''}: {spread([r.seconds for r in runs])}{failed(runs)}")


def one_edit(builds: Builds, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="leaflets-bench-edit-") as tmp:
        root = copy_project(Path(tmp) / "proj")
        if (ROOT / "out").is_dir():                # a built project, as (2) left it: no full build here
            shutil.copytree(ROOT / "out", root / "out")
        run(cli(root, "build", *builds.jobs))      # whatever is not up to date
        catalog = root / "locales" / "pl" / "LC_MESSAGES" / f"{SHIPPED}.po"
        text = catalog.read_text(encoding="utf-8")
        if f'msgstr "{EDIT[0]}"' not in text:
            print("(4) skipped: the Polish subtitle is not what this benchmark edits")
            return
        runs = _edited_runs(catalog, text, EDIT, repeat, cli(root, "build", "--lang", "pl", *builds.jobs))
    print(f"(4) one msgstr edited, 'build --lang pl' (every edition): "
          f"{beside([r.seconds for r in runs], 0.5)}{failed(runs)}")


def _html_of(ws, leaflet, doc, tmp: Path) -> Path:
    """Our HTML edition of the leaflet: the built one in out/, or made now like the build makes it."""
    path = ws.project.output(ROOT / "out", leaflet.id, doc.lang, "html")
    if path.is_file():
        return path
    from leaflets.html import render_html
    path = tmp / path.name
    path.write_text(render_html(doc, ws.project.fonts, ROOT / ".leaflets-cache" / "fonts"), encoding="utf-8")
    return path


def in_turn(ours, theirs, repeat: int):
    """Each made once untimed (warm: first use of each glyph, font loading), then ``repeat`` times in turn:
    ((our times, our last result), (their times, their last result))."""
    timed: list[tuple[list[float], object]] = [([], ours()), ([], theirs())]
    for _ in range(repeat):
        for k, make in enumerate((ours, theirs)):
            start = time.perf_counter()
            result = make()
            timed[k] = (timed[k][0] + [time.perf_counter() - start], result)
    return timed


def against_weasyprint(repeat: int, langs: list[str]) -> None:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:          # OSError: pango missing
        print(f"(5) against WeasyPrint: skipped (WeasyPrint cannot be imported: {exc})")
        return
    from leaflets.pipeline import Workspace, render
    from leaflets.project import Project
    ws = Workspace(Project(ROOT))
    leaflet = ws.leaflet(SHIPPED)
    others = ws.languages_of(leaflet)
    start = time.perf_counter()
    for lang in langs:
        ws.fonts.chain(lang)
    print(f"(5) fonts of {len(langs)} languages loaded in {(time.perf_counter() - start) * 1000:.0f} ms; "
          f"then one leaflet, ours (standard PDF) against WeasyPrint (our HTML edition), in turn:")
    with tempfile.TemporaryDirectory() as tmp:
        for lang in langs:
            doc = ws.document(leaflet, lang, others)
            html = HTML(filename=str(_html_of(ws, leaflet, doc, Path(tmp))))
            (ours, (_, pages)), (theirs, _) = in_turn(lambda: render(doc, ws.fonts), html.write_pdf, repeat)
            ratios = beside([t / o for o, t in zip(ours, theirs)], 5, at_least=True, unit="×", digits=1)
            print(f"    {lang:8} {pages}p  ours {spread(ours, 'ms', 1000, 0)}  "
                  f"WeasyPrint {spread(theirs, 'ms', 1000, 0)}\n"
                  f"             WeasyPrint / ours, pair by pair: {ratios}")


def against_reportlab(repeat: int) -> None:
    from floor import reportlab_alone
    from leaflets.pipeline import Workspace, render
    from leaflets.project import Project
    ws = Workspace(Project(ROOT))
    leaflet = ws.leaflet(SHIPPED)
    doc = ws.document(leaflet, "en", ws.languages_of(leaflet))
    family = ws.fonts.chain("en").primary
    alone = reportlab_alone(doc, family.regular.ttf.face.filename, family.bold.ttf.face.filename)
    (ours, (_, pages)), (theirs, (_, floor_pages)) = in_turn(lambda: render(doc, ws.fonts), alone, repeat)
    print(f"(6) ReportLab alone, the English text as plain Paragraphs in one font ({floor_pages}p): "
          f"{spread(theirs, 'ms', 1000, 0)}\n"
          f"    ours, the standard PDF ({pages}p): {spread(ours, 'ms', 1000, 0)}; ours / ReportLab alone, pair by "
          f"pair: {spread([o / t for o, t in zip(ours, theirs)], '×', 1, 1)}")


def yardstick(repeat: int) -> str:
    """The machine's speed at this moment: a fixed pure-Python workload (the development machine is
    shared, and its speed varies from day to day and within a day: figures of other days compare by it)."""
    times = []
    for _ in range(max(repeat, 5)):
        start = time.perf_counter()
        sum(i * i for i in range(2_000_000))
        times.append(time.perf_counter() - start)
    return spread(times, "ms", 1000, 0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of each figure (default 5)")
    ap.add_argument("--quick", action="store_true", help="a smoke run: 2 runs, a small library for (3)")
    ap.add_argument("--jobs", type=int, default=None, help="passed to every build as --jobs (where it exists)")
    ap.add_argument("--only", default="1,2,3,4,5,6", help="the figures to measure, e.g. 1,2")
    ap.add_argument("langs", nargs="*", help=f"languages for (5) (default: {' '.join(SCRIPTS)})")
    args = ap.parse_args()
    repeat = min(args.repeat, 2) if args.quick else args.repeat
    only = {int(x) for x in args.only.split(",")}
    builds = Builds(args.jobs)
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {repeat} timed runs a figure"
          f"{' (--quick)' if args.quick else ''}")
    for note in builds.notes:
        print(f"note: {note}")
    print(f"yardstick, a fixed pure-Python loop (to compare days by): {yardstick(repeat)}")
    if 1 in only:
        cold_build(builds, repeat)
    if 2 in only:
        noop(repeat)
    if 3 in only:
        library(builds, repeat, (2, 5) if args.quick else (10, 25, 50), 4 if args.quick else 20)
    if 4 in only:
        one_edit(builds, repeat)
    if 5 in only:
        against_weasyprint(repeat, args.langs or SCRIPTS)
    if 6 in only:
        against_reportlab(repeat)
    print(f"yardstick again, at the end: {yardstick(repeat)}")


if __name__ == "__main__":
    main()
