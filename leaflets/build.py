"""Building the editions (PDF, large-print PDF, print shop PDF, bilingual PDF, HTML): which languages print, what is rebuilt,
what is moved aside.

For each leaflet, every language is first judged on its own (its catalogs, the
fonts for its script): a problem in one language's catalog stops that language
alone. The "other languages" box of each PDF then lists exactly the languages
that print. Inputs are hashed into ``out/<leaflet>/.build.json``, so a rebuild
with nothing changed does no work. A language that cannot be rebuilt after its
English changed has its old PDF moved to ``out/<leaflet>/outdated/``: a PDF
under the current name is always current. Nothing here prints or exits.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CatalogError, LeafletError, NotPrintableError
from .files import move_aside, write_atomic
from .inputs import Inputs
from .model import Leaflet
from .project import EDITIONS, editions_of
from .thumbnails import drawn, thumb_name
from .translate import SOURCE_LANGUAGE, LanguageFacts, Review, build_document, language_name
from .verdicts import judged
from .workspace import INTERFACE, Workspace

BATCH = 8              # leaflets judged and rendered together
SAME_LAYOUT = ("standard", "print")    # editions laid out alike (rendered in one process when shared out)
COST = {"standard": 1.0, "print": 0.2, "large-print": 0.45, "booklet": 0.4, "html": 0.07, "bilingual": 1.0}
# ^ each edition's time to render, to the standard's with its thumbnail, in a worker that has drawn the
#   others of its share first (words shaped once serve them all): the medians of Polish, Arabic, Japanese,
#   Hindi and Tamil (one language's editions shared out over the workers)


@dataclass(frozen=True)
class BuildResult:
    leaflet: str
    lang: str
    path: Path
    state: str             # source | approved | draft | incomplete | failed
    pages: int = 0
    action: str = "built"  # built | unchanged | failed
    error: str = ""
    moved_to: tuple[Path, ...] = ()   # the outdated files, moved aside
    edition: str = "standard"
    warnings: tuple[str, ...] = ()    # e.g. words wider than the column, broken at its edge
    picture: tuple[str, str] | None = field(default=None, repr=False, compare=False)
    # ^ a standard PDF's page 1, drawn and written for the staff page: SHA-256 of (the PDF, the picture)


def document(ws: Workspace, leaflet: Leaflet, lang: str, allow_incomplete: bool = False,
             other_languages: tuple[tuple[str, str], ...] = ()):
    """The translated document of one leaflet in one language; raises if it must not print."""
    if lang == SOURCE_LANGUAGE:
        return build_document(leaflet, ws.interface, ws.clinic, lang, None, review=None,
                              other_languages=other_languages)
    entries, reviews = {}, []
    for domain in (ws.domain(INTERFACE), ws.domain(leaflet.id)):
        texts, state = judged(ws, domain, lang)
        entries.update(texts)
        reviews.append(state)
    approved = all(r.state == "approved" for r in reviews)
    ledger = reviews[-1].ledger
    try:
        return build_document(leaflet, ws.interface, ws.clinic, lang, entries,
                              review=Review(ledger.reviewer, ledger.date) if approved else None,
                              allow_incomplete=allow_incomplete, other_languages=other_languages)
    except NotPrintableError as exc:
        raise NotPrintableError(f"not printed: {exc.message} (use --allow-incomplete to print a marked "
                                "incomplete draft)", ws.rel(ws.catalog_path(leaflet.id, lang))) from None


def render(doc, fonts, edition: str = "standard", notes: list[str] | None = None, english=None):
    from .render import render_pdf   # ReportLab's canvas is imported only when something is drawn
    return render_pdf(doc, fonts, edition, notes=notes, english=english)


@dataclass(frozen=True)
class BuildOptions:
    """What ``build`` is asked for (the CLI's options)."""
    langs: tuple[str, ...] | None = None
    leaflet_ids: tuple[str, ...] | None = None
    allow_incomplete: bool = False
    force: bool = False
    editions: tuple[str, ...] = EDITIONS
    jobs: int = 1                         # worker processes (1: this one)
    shard: tuple[int, int] | None = None  # (i, n): this runner's share of the leaflets, 1 <= i <= n


def build(ws: Workspace, out_dir: Path, options: BuildOptions = BuildOptions()) -> list[BuildResult]:
    """Judge every language of every leaflet here, render what changed (in ``options.jobs`` worker
    processes), then record what was made in each leaflet's manifest."""
    from . import shards, workers
    global _WS
    facts = LanguageFacts(ws.project.root / ".leaflets-cache" / "languages.json")
    results: dict = {}
    leaflets = shards.share(ws.select(list(options.leaflet_ids or ())), options.shard)
    built: list[str] = []
    inputs = Inputs(ws, options.allow_incomplete)
    _WS = ws                                   # the workers' own (forked) workspace
    try:
        with workers.Pool(options.jobs, lambda: _ready(ws, options, inputs.languages)) as pool:
            for start in range(0, len(leaflets), BATCH):     # a batch at a time: memory stays flat
                plans = []
                for leaflet in leaflets[start:start + BATCH]:
                    folder = out_dir / leaflet.id
                    if folder.exists() and not folder.is_dir():
                        results[(leaflet.id, "*")] = [BuildResult(
                            leaflet.id, "*", folder, "failed", action="failed",
                            error=f"{folder} exists and is not a folder: move it away")]
                        continue
                    plans.append(_Leaflet(ws, leaflet, out_dir, options, inputs))
                _build_batch(plans, options, results, pool)
                built += [plan.leaflet.id for plan in plans]
    finally:
        _WS = None
    shards.record(ws, out_dir, built, options.shard)
    facts.keep()
    fonts = ws.__dict__.get("fonts")
    if fonts is not None and "index" in fonts.__dict__:
        fonts.index.keep_if_changed()
        if fonts.subsets is not None:
            from .subsets import trim
            trim(fonts.subsets)                         # the font subsets kept for the next build: bounded
        if fonts.metrics is not None:
            from .metrics import sweep
            sweep(fonts.metrics)                        # the fonts' tables of an older version: gone
    return [r for made in results.values() for r in made]


def _build_batch(plans: list[_Leaflet], options: BuildOptions, results: dict, pool) -> None:
    """Judge, render and record some leaflets (in the build's worker processes when that helps)."""
    from . import workers
    from .translate import remember_dates
    pending = [(plan, lang) for plan in plans for lang in plan.pending]
    verdicts = []
    asked = [(p.leaflet.id, lang, options.allow_incomplete) for p, lang in pending]
    for verdict, dates in pool.beside_ready(_judge_job, asked):     # while the fonts load, as far as it gets
        verdicts.append(verdict)
        remember_dates(dates)
    for plan in plans:
        plan.judged({lang: v for (p, lang), v in zip(pending, verdicts) if p is plan})
    units = [(plan, lang) for plan in plans for lang in plan.languages(options.langs)]
    work = workers.shares([u for u in units if u[0].needs_rendering(u[1])], options.jobs, SAME_LAYOUT,
                          COST)
    done: dict[tuple[int, str], list] = {}
    tasks = workers.grouped(work, options.jobs)
    jobs = [[(_portable(plan, lang), lang, share) for plan, lang, share in task] for task in tasks]
    for task, made in zip(tasks, pool.map(_render_jobs, jobs)):
        for (plan, lang, _), one in zip(task, made):
            done.setdefault((id(plan), lang), []).append(one)
    for unit in units:
        plan, lang = unit
        made, entry = workers.joined(plan.options.editions, done[(id(plan), lang)]) if (id(plan), lang) in done \
            else plan.unchanged(lang)
        plan.record(lang, entry)
        results[(plan.leaflet.id, lang)] = made
    for plan in plans:
        _write_manifest(plan.folder, plan.manifest)


# --- the work as it travels to the worker processes (pickled: plain data, and the document) ---

_WS: Workspace | None = None      # the build's workspace (a worker's: its own copy, forked)


def _ready(ws: Workspace, options: BuildOptions, languages: list[str]) -> None:
    """Before the workers are forked: load the fonts of every language they may draw or name
    (``languages``: the project's, as the build found them)."""
    from . import workers
    every = [SOURCE_LANGUAGE] + languages
    workers.prepare(ws, list(options.langs or every), every, options.editions)


def _judge_job(job: tuple[str, str, bool]):
    """A language's verdict (its document, or why it cannot print), and the long dates known here
    (a worker's go back to the parent, to be kept)."""
    from . import translate, workers
    leaflet_id, lang, allow_incomplete = job
    try:
        with workers.one_unit():
            verdict = document(_WS, _WS.leaflet(leaflet_id), lang, allow_incomplete)
    except LeafletError as exc:
        verdict = exc
    return verdict, translate.known_dates()


def _portable(plan: _Leaflet, lang: str) -> dict:
    """What rendering ``lang`` needs of a leaflet's build: its state less the workspace, the leaflet
    by id, the documents of this language (and the English, for the bilingual edition) alone."""
    state = {k: v for k, v in plan.__dict__.items() if k not in ("ws", "leaflet", "docs")}
    state["leaflet"] = plan.leaflet.id
    state["docs"] = {k: v for k, v in plan.docs.items() if k in (lang, SOURCE_LANGUAGE)}
    return state


def _render_jobs(jobs: list[tuple[dict, str, tuple[str, ...] | None]]) -> list[tuple[list[BuildResult], dict | None]]:
    from . import workers
    made = []
    for state, lang, share in jobs:
        plan = _Leaflet.__new__(_Leaflet)
        plan.__dict__.update(state, ws=_WS, leaflet=_WS.leaflet(state["leaflet"]))
        with workers.one_unit():
            made.append(plan.render(lang, share))
    return made


class _Leaflet:
    """One leaflet's build: judge every language, then render the editions that changed."""

    def __init__(self, ws: Workspace, leaflet: Leaflet, out_dir: Path, options: BuildOptions, inputs: Inputs):
        self.ws, self.leaflet, self.options = ws, leaflet, options
        self.folder = out_dir / leaflet.id
        self.manifest = read_manifest(self.folder)
        self.english = ws.english_hash(leaflet)
        self.docs, self.failures = {}, {}
        self.candidates = [SOURCE_LANGUAGE] + [x for x in inputs.languages if inputs.has_catalog(leaflet.id, x)]
        self.own = inputs.own_hashes(leaflet, self.candidates)
        self.pending = [lang for lang in self.candidates if not self._current(lang)]   # to be judged
        self.printable: list[str] = []
        self.stale: dict[str, list[str]] = {}     # language → editions to render (needs_rendering)

    def judged(self, verdicts: dict[str, object]) -> None:
        """Take each pending language's document, or why it cannot print; then which languages print."""
        for lang, verdict in verdicts.items():
            if isinstance(verdict, LeafletError):
                self.failures[lang] = verdict
                continue
            try:
                self.ws.fonts.chain(lang).primary     # a damaged font stops its own languages, here
                self.docs[lang] = verdict
            except LeafletError as exc:
                self.failures[lang] = exc
        self.printable = [lang for lang in self.candidates if lang not in self.failures]

    def languages(self, asked: tuple[str, ...] | None) -> list[str]:
        return list(asked) if asked else self.candidates

    def editions(self, lang: str) -> tuple[str, ...]:
        """The editions asked for that ``lang`` has (the English has no bilingual edition)."""
        return editions_of(lang, self.options.editions, SOURCE_LANGUAGE)

    def target(self, lang: str, edition: str = "standard") -> Path:
        return self.ws.project.output(self.folder.parent, self.leaflet.id, lang, edition)

    def _current(self, lang: str) -> bool:
        """Built from these very inputs, every edition there: it prints, nothing need be judged."""
        known = self.manifest.get(lang, {})
        return not self.options.force and known.get("own") == self.own[lang] and "error" not in known \
            and all(self.target(lang, e).exists() for e in self.editions(lang))

    def _digest(self, lang: str) -> str:
        return hashlib.sha256(f"{self.own.get(lang)}|{','.join(self.printable)}".encode()).hexdigest()[:32]

    def _stale(self, lang: str) -> list[str]:
        """The editions asked for whose file is missing or was made from other inputs."""
        known = self.manifest.get(lang, {})
        files = known.get("files", {}) if known.get("own") == self.own.get(lang) else {}
        digest = self._digest(lang)
        return [e for e in self.editions(lang) if self.options.force or not self.target(lang, e).exists()
                or files.get(e, {}).get("inputs") != digest]

    def needs_rendering(self, lang: str) -> bool:
        """Whether any edition asked for is stale (kept for :meth:`render`, which a worker may run)."""
        if lang not in self.own or lang in self.failures:
            return False
        self.stale[lang] = self._stale(lang)
        return bool(self.stale[lang])

    def unchanged(self, lang: str) -> tuple[list[BuildResult], dict | None]:
        """A language with nothing to render: its failure, or its files as they are."""
        if lang not in self.own:
            self.failures[lang] = CatalogError(f"no catalog for '{lang}': run 'init {lang}'",
                                               self.ws.rel(self.ws.catalog_path(self.leaflet.id, lang)))
        if lang in self.failures:
            moved = _set_aside(self, lang)
            error = _said(self.ws, self.failures[lang])
            entry = dict(self.manifest.get(lang, {}), error=error) if not moved else {"error": error}
            return [BuildResult(self.leaflet.id, lang, self.target(lang), "failed", action="failed",
                                error=error, moved_to=moved)], entry
        known = {k: v for k, v in self.manifest.get(lang, {}).items() if k != "error"}
        if not known:            # none of its editions asked for, none built (the English, bilingual only)
            return [], None
        files = known.get("files", {})
        return [BuildResult(self.leaflet.id, lang, self.target(lang, e), known.get("state", "?"),
                            files.get(e, {}).get("pages", 0), "unchanged", edition=e)
                for e in self.editions(lang)], known

    def render(self, lang: str, share: tuple[str, ...] | None = None) -> tuple[list[BuildResult], dict | None]:
        """Render the stale editions of one language (or those of them in ``share``; in a worker
        process, perhaps); returns the results and the language's new manifest entry. Files are
        written here, atomically."""
        known = self.manifest.get(lang, {})
        own, digest = self.own[lang], self._digest(lang)
        files = dict(known.get("files", {})) if known.get("own") == own else {}
        stale = self.stale[lang]
        results, doc = [], None
        for edition in self.editions(lang) if share is None else share:
            target = self.target(lang, edition)
            if edition not in stale:
                results.append(BuildResult(self.leaflet.id, lang, target, known.get("state", "?"),
                                           files.get(edition, {}).get("pages", 0), "unchanged", edition=edition))
                continue
            try:
                doc = doc or dataclasses.replace(   # language names (CLDR) only when something is drawn
                    self.docs.get(lang) or document(self.ws, self.leaflet, lang, self.options.allow_incomplete),
                    other_languages=tuple((x, language_name(x)) for x in self.printable if x != lang))
                notes: list[str] = []
                data, pages = self._render(doc, edition, notes)
            except LeafletError as exc:
                error = _said(self.ws, exc)
                return results + [BuildResult(self.leaflet.id, lang, target, "failed", action="failed",
                                              error=error, edition=edition)], dict(known, error=error)
            picture = drawn(target, data, self.folder.parent / thumb_name(self.leaflet.id, lang)) \
                if edition == "standard" and self.options.shard is None else None
            write_atomic(target, data)
            files[edition] = {"inputs": digest, "pages": pages}
            results.append(BuildResult(self.leaflet.id, lang, target, doc.state, pages, edition=edition,
                                       warnings=tuple(f"'{w}' is wider than the column: broken at its edge"
                                                      for w in notes), picture=picture))
        state = doc.state if doc else known.get("state", "?")
        return results, {"own": own, "state": state, "version": self.leaflet.version,
                         "english": self.english, "files": files}

    def record(self, lang: str, entry: dict | None) -> None:
        if entry is None:
            self.manifest.pop(lang, None)
        else:
            self.manifest[lang] = entry

    def _render(self, doc, edition: str, notes: list[str]) -> tuple[bytes, int]:
        if edition == "html":
            from .html import render_html    # fontTools is imported only when a page is written
            cache = self.ws.project.root / ".leaflets-cache" / "fonts"
            return render_html(doc, self.ws.project.fonts, cache, self.ws.fonts.index).encode("utf-8"), 0
        english = None
        if edition == "bilingual":     # the same leaflet's English, by the same translate step
            english = self.docs.get(SOURCE_LANGUAGE) or document(self.ws, self.leaflet, SOURCE_LANGUAGE)
        return render(doc, self.ws.fonts, edition, notes, english)


def _set_aside(plan: _Leaflet, lang: str) -> tuple[Path, ...]:
    """Move the files of older English out of the current names; keep current ones (the last good)."""
    known = plan.manifest.get(lang)
    if not known or known.get("english", plan.english) == plan.english:
        return ()
    moved = []
    for edition in EDITIONS:
        target = plan.target(lang, edition)
        if target.exists():
            old = f"{plan.leaflet.id}-{lang}-v{known.get('version', 'unknown')}"
            moved.append(move_aside(target, plan.folder / "outdated" / target.name.replace(
                f"{plan.leaflet.id}-{lang}", old, 1)))
    plan.manifest.pop(lang, None)
    return tuple(moved)


def _said(ws: Workspace, exc: LeafletError) -> str:
    """The error as ``check`` says it: paths relative to the project."""
    if exc.path:
        exc.path = ws.rel(Path(exc.path))
    return str(exc)


def outdated(ws: Workspace, out_dir: Path) -> list[tuple[str, str, str]]:
    """(leaflet, language, why) for each PDF still built from an older version of the English."""
    found = []
    for leaflet in ws.leaflets:
        english = ws.english_hash(leaflet)
        for lang, built in sorted(read_manifest(out_dir / leaflet.id).items()):
            if "english" in built and built["english"] != english:   # (an entry with only an error has no files)
                found.append((leaflet.id, lang, _outdated_why(built, leaflet)))
    return found


def _outdated_why(built: dict, leaflet: Leaflet) -> str:
    if built.get("version") != leaflet.version:
        return f"PDF is outdated: built from version {built.get('version')}, English is {leaflet.version}"
    return f"PDF is outdated: the English of version {leaflet.version} changed since it was built"


def read_manifest(folder: Path) -> dict:
    try:
        data = json.loads((folder / ".build.json").read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_manifest(folder: Path, manifest: dict) -> None:
    if manifest != read_manifest(folder):
        write_atomic(folder / ".build.json", (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())
