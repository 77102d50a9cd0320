"""The command line: the only module that prints or exits.

Exit status: 0 success, 1 bad content or catalogs (file:line: message), 2 usage.
"""
from __future__ import annotations

import argparse
import gc
import io
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import snapshot
from .errors import LeafletError
from .project import EDITIONS, Project
from .workers import default_jobs

if TYPE_CHECKING:
    from .pipeline import Workspace

COLLECT_EVERY = (100_000, 20, 10)   # the cycle collector's thresholds in a command's process (see run)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="make-leaflets",
                                description="Build print-ready patient leaflets in every language. "
                                            "With no command: extract, update and build everything.")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: current folder)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: ROOT/out)")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("extract", help="write locales/<leaflet>.pot from content/")
    sub.add_parser("update", help="merge the templates into every catalog")
    i = sub.add_parser("init", help="start a catalog for a language")
    i.add_argument("lang", help="CLDR language code, e.g. pl, ar, zh_Hans")
    c = sub.add_parser("check", help="check catalogs (all, or the languages given)")
    c.add_argument("langs", nargs="*")
    c.add_argument("--json", action="store_true", help="findings as JSON")
    sub.add_parser("status", help="one row per leaflet and language")
    b = sub.add_parser("build", help="build PDFs")
    b.add_argument("--lang", action="append", dest="langs", help="language (repeatable)")
    b.add_argument("--leaflet", action="append", dest="leaflets", help="leaflet id (repeatable)")
    b.add_argument("--out", type=Path, dest="build_out", default=None, help="output folder")
    b.add_argument("--allow-incomplete", action="store_true",
                   help="build incomplete catalogs, marked as incomplete, missing text shown as [EN]")
    b.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    b.add_argument("--edition", action="append", dest="editions", choices=EDITIONS,
                   help="edition to build (repeatable; default: all)")
    b.add_argument("--jobs", type=int, default=None, metavar="N",
                   help=f"worker processes (default: the cores this machine gives us, here {default_jobs()})")
    b.add_argument("--shard", default=None, metavar="I/N",
                   help="build only share I of N of the leaflets (for N CI runners; then 'merge')")
    m = sub.add_parser("merge", help="after a sharded build: check every shard is in --out, write manifest.json")
    m.add_argument("--out", type=Path, dest="build_out", default=None, help="output folder holding every shard's")
    a = sub.add_parser("approve", help="record a reviewer's approval of a language (after checking its review "
                                       "copy, the bilingual PDF: out/<leaflet>/<leaflet>-<lang>-bilingual.pdf)",
                       description="Record that NAME checked this language's translation. The review copy to check "
                                   "first is the bilingual PDF, the translation beside the English, block by block: "
                                   "out/<leaflet>/<leaflet>-<lang>-bilingual.pdf (make-leaflets build --lang LANG "
                                   "--edition bilingual).")
    a.add_argument("lang")
    a.add_argument("--by", required=True, metavar="NAME", help="the reviewer's name")
    a.add_argument("--leaflet", action="append", dest="leaflets")
    return p


def run() -> None:
    """The command line (``make-leaflets``, ``python -m leaflets``, ``make_leaflets.py``): :func:`main`,
    then out of the process at once. A build holds every language's parsed fonts, ReportLab and its
    memos; Python would tear them down object by object on the way out, 50-80 ms after the work is
    done. Every file was written (atomically) and closed before :func:`main` returned, and the pool's
    workers were joined; what is left to do is flush the output.

    Python's cycle collector is run less often here (:data:`COLLECT_EVERY`): by default it runs every
    700 new objects, and each time the older generations grow it walks all of them. A build's start
    imports some 400 modules and loads the fonts, and in that time the collector found next to
    nothing while taking 5 % of the process's instructions. The garbage a build makes is made in its
    units of work, which collect their own (:func:`workers.one_unit`)."""
    gc.set_threshold(*COLLECT_EVERY)
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):          # a closed pipe (| head): nothing more can be said there
            pass
    os._exit(code)


def main(argv: list[str] | None = None, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    root = args.root.resolve()
    out_dir = (getattr(args, "build_out", None) or args.out or root / "out").resolve()
    if args.command not in (None, "build"):
        return _guarded(args, root, out_dir, out, err)
    # The whole job and build: a run that changed nothing is remembered (snapshot.py).
    argv = list(sys.argv[1:] if argv is None else argv)
    before, newest = snapshot.state(root, out_dir, argv)
    kept = snapshot.recall(root, before)
    if kept is not None:
        said, warned, code = kept
        try:
            out.write(said)
            err.write(warned)
        except BrokenPipeError:
            return 0
        return code
    said, warned = _Tee(out), _Tee(err)
    code = _guarded(args, root, out_dir, said, warned)
    after, newest = snapshot.state(root, out_dir, argv)
    if after == before:
        snapshot.keep(root, before, newest, said.text.getvalue(), warned.text.getvalue(), code)
    return code


class _Tee:
    """A stream that also keeps what was written to it."""

    def __init__(self, stream):
        self.stream, self.text = stream, io.StringIO()

    def write(self, s: str) -> int:
        self.text.write(s)
        return self.stream.write(s)

    def flush(self) -> None:
        self.stream.flush()


def _guarded(args, root: Path, out_dir: Path, out, err) -> int:
    from .pipeline import Workspace
    ws = Workspace(Project(root))
    try:
        return _run(args, ws, out_dir, out, err)
    except LeafletError as exc:
        print(f"error: {_rel(exc, root)}", file=err)
        return 1
    except BrokenPipeError:          # output piped into `head` and closed early
        return 0


def _rel(exc: LeafletError, root: Path) -> str:
    if exc.path and exc.path.startswith(str(root) + "/"):
        exc.path = exc.path[len(str(root)) + 1:]
    return str(exc)


def _show(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _run(args, ws: Workspace, out_dir: Path, out, err) -> int:
    root = ws.project.root
    cmd = args.command
    if cmd == "extract":
        for w in ws.extract():
            print(f"{_show(w.path, root)}: {w.action}", file=out)
        return 0
    if cmd == "update":
        return _report_update(ws.update(), root, out, err, quiet=False)
    if cmd == "init":
        made, warnings = ws.init(args.lang)
        for path in made:
            print(f"{_show(path, root)}: created", file=out)
        for w in warnings:
            print(f"warning: {args.lang}: {w}", file=err)
        return 0
    if cmd == "check":
        return _check(ws, args, out)
    if cmd == "status":
        return _status(ws, out_dir, out)
    if cmd == "approve":
        for path in ws.approve(args.lang, args.by, args.leaflets):
            print(f"{_show(path, root)}: approved by {args.by.strip()}", file=out)
        for copy in ws.review_copies(args.lang, out_dir, args.leaflets):
            missing = "" if copy.exists() else f" (not built yet: make-leaflets build --lang {args.lang} --edition bilingual)"
            print(f"review copy: {_show(copy, root)}{missing}", file=out)
        return 0
    if cmd == "build":
        from .pipeline import BuildOptions
        from .shards import parse_shard
        if args.jobs is not None and args.jobs < 1:
            print("error: --jobs takes a number of processes, 1 or more", file=err)
            return 2
        options = BuildOptions(tuple(args.langs) if args.langs else None,
                               tuple(args.leaflets) if args.leaflets else None, args.allow_incomplete, args.force,
                               tuple(dict.fromkeys(args.editions)) if args.editions else EDITIONS,
                               args.jobs or default_jobs(), parse_shard(args.shard) if args.shard else None)
        return _build(ws, out_dir, out, err, options)
    if cmd == "merge":
        print(_show(ws.merge(out_dir, default_jobs()), root), file=out)
        return 0
    # no command: the whole job
    for w in ws.extract():
        if w.action != "unchanged":
            print(f"{_show(w.path, root)}: updated", file=out)
    _report_update(ws.update(), root, out, err, quiet=True)
    from .pipeline import BuildOptions
    code = _build(ws, out_dir, out, err, BuildOptions(jobs=default_jobs()))
    for leaflet_id, lang, why in ws.outdated(out_dir):
        print(f"warning: {leaflet_id}-{lang}: {why}", file=err)
    return code


def _report_update(written, root: Path, out, err, quiet: bool) -> int:
    """Say what changed, and loudly what became of translations that will not print as they did."""
    for w in written:
        if w.error:
            print(f"error: {_rel(w.error, root)} (not updated; the other catalogs were)", file=err)
        elif w.action != "unchanged" or not quiet:
            print(f"{_show(w.path, root)}: {w.action}", file=out)
        fate = w.fate
        if fate is None or not fate.unprinted:
            continue
        where = _show(w.path, root)
        if fate.fuzzy:
            print(f"warning: {where}: {len(fate.fuzzy)} translated message(s) are now fuzzy (their English changed "
                  f"or they were matched by their English, not their key): {_few(fate.fuzzy)}. They are kept; "
                  "a translator must check them before this language prints again.", file=err)
        if fate.obsolete:
            print(f"warning: {where}: {len(fate.obsolete)} translation(s) no longer match any message and are "
                  f"kept as obsolete (#~) at the end of the file: {_few(fate.obsolete)}", file=err)
        if fate.lost:
            print(f"WARNING: {where}: {len(fate.lost)} translation(s) were removed: {_few(fate.lost)}", file=err)
    return 1 if any(w.error for w in written) else 0


def _few(keys, n: int = 5) -> str:
    return ", ".join(keys[:n]) + (f" and {len(keys) - n} more" if len(keys) > n else "")


def _check(ws, args, out) -> int:
    findings = ws.check(args.langs or None)
    errors = [f for f in findings if f.severity == "error"]
    if args.json:
        json.dump({"errors": len(errors), "findings": [f.as_dict() for f in findings]}, out,
                  ensure_ascii=False, indent=1)
        print(file=out)
    else:
        for f in findings:
            print(str(f), file=out)
        print(f"{len(errors)} error(s), {len(findings) - len(errors)} warning(s)", file=out)
    return 1 if errors else 0


def _build(ws, out_dir, out, err, options) -> int:
    failed = 0
    results = ws.build(out_dir, options)
    for r in results:
        path = _show(r.path, ws.project.root)
        if r.action == "failed":
            failed += 1
            print(f"{path}: NOT BUILT ({r.error})", file=err)
            for moved in r.moved_to:
                print(f"  its file of older English was moved to {_show(moved, ws.project.root)}", file=err)
        else:
            note = " (unchanged)" if r.action == "unchanged" else ""
            size = "web page" if r.edition == "html" else f"{r.pages} page{'s' if r.pages != 1 else ''}"
            print(f"{path}  {size}  {r.state}{note}", file=out)
            for warning in r.warnings:
                print(f"warning: {path}: {warning}", file=err)
    if options.langs is None:
        for leaflet in sorted({r.leaflet for r in results}):
            lacking = sorted(r.lang for r in results if r.leaflet == leaflet and r.action == "failed")
            if lacking:
                print(f"{leaflet}: not printed in {len(lacking)} language(s): {', '.join(lacking)}", file=err)
    return 1 if failed else 0


def _status(ws, out_dir: Path, out) -> int:
    head = (f"{'catalog':16} {'lang':8} {'translated':>10} {'fuzzy':>5} {'untr.':>5} {'to do':>6}  "
            f"{'prints':6}  review")
    print(head, file=out)
    for r in ws.status():
        if r.stats is None:
            print(f"{r.domain:16} {r.lang:8} {'-':>10} {'-':>5} {'-':>5} {'-':>6}  {'no':6}  {r.reason}", file=out)
            continue
        s = r.stats
        prints = "yes" if r.printable else "no"
        todo = s.fuzzy_words + s.untranslated_words
        line = (f"{r.domain:16} {r.lang:8} {s.translated:>10} {s.fuzzy:>5} {s.untranslated:>5} "
                f"{todo:>6}  {prints:6}  {r.review.describe()}")
        if r.reason:
            line += f"; not printed: {r.reason}"
        if r.review.changed:
            line += f"; changed: {', '.join(r.review.changed)}"
        print(line, file=out)
    for leaflet_id, lang, why in ws.outdated(out_dir):
        print(f"{leaflet_id}-{lang}: {why}", file=out)
    print("'to do': English words still to translate or check (untranslated and fuzzy messages)", file=out)
    print("review copy of a translation (before 'approve'): out/<leaflet>/<leaflet>-<lang>-bilingual.pdf", file=out)
    return 0
