"""Orchestration: the whole job in plain functions that return results.

content → template → catalogs → translated documents → PDFs. Nothing here
prints or exits; the CLI reports what these functions return.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import catalogs
from .checks import check_message
from .content import leaflet_paths, load_clinic, load_interface, load_leaflet
from .errors import CatalogError, LeafletError, NotPrintableError
from .extract import messages
from .fonts import FontLibrary, describe, missing_characters
from .markup import plain_text
from .model import Leaflet
from .project import Project
from .review import Ledger, ReviewState, read_ledger, review_state, write_ledger
from .translate import SOURCE_LANGUAGE, Review, build_document, language_name

ENGINE_VERSION = "1"   # bump when layout changes, so every PDF is rebuilt


@dataclass(frozen=True)
class Finding:
    severity: str        # error | warning
    path: str
    line: int | None
    key: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        key = f" [{self.key}]" if self.key else ""
        return f"{where}: {self.severity}: {self.message}{key}"

    def as_dict(self) -> dict:
        return {"severity": self.severity, "file": self.path, "line": self.line, "key": self.key,
                "code": self.code, "message": self.message}


@dataclass(frozen=True)
class BuildResult:
    leaflet: str
    lang: str
    path: Path
    state: str            # source | approved | draft | incomplete | failed
    pages: int = 0
    action: str = "built"  # built | unchanged | failed
    error: str = ""


@dataclass(frozen=True)
class StatusRow:
    leaflet: str
    lang: str
    name: str
    stats: catalogs.Stats | None
    review: ReviewState | None
    printable: bool
    reason: str
    outdated: str = ""


def _msgstr_lines(path: Path) -> dict[str, int]:
    """msgctxt → line number of its msgstr, for messages that point at the right line."""
    lines, ctx = {}, None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("msgctxt "):
            ctx = line[9:-1]
        elif line.startswith("msgstr") and ctx is not None:
            lines[ctx] = n
            ctx = None
    return lines


@dataclass
class Workspace:
    """One project's content, loaded once and shared by every command."""
    project: Project
    fonts: FontLibrary = field(init=False)

    def __post_init__(self):
        self.fonts = FontLibrary(self.project.fonts)

    @cached_property
    def leaflets(self) -> list[Leaflet]:
        return [load_leaflet(p) for p in leaflet_paths(self.project.content)]

    @cached_property
    def interface(self):
        return load_interface(self.project.interface_file)

    @cached_property
    def clinic(self):
        return load_clinic(self.project.clinic_file)

    def leaflet(self, leaflet_id: str) -> Leaflet:
        for leaflet in self.leaflets:
            if leaflet.id == leaflet_id:
                return leaflet
        raise LeafletError(f"no leaflet '{leaflet_id}' in {self.project.content}")

    def _rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.project.root))
        except ValueError:
            return str(path)

    # --- catalogs -------------------------------------------------------------------
    def template(self, leaflet: Leaflet):
        msgs = messages(leaflet, self.interface, str(self.project.root))
        return catalogs.build_template(msgs, leaflet.id, leaflet.version, leaflet.title.text)

    def extract(self) -> list[tuple[Path, bool]]:
        """Write every leaflet's template; True where the file changed."""
        out = []
        for leaflet in self.leaflets:
            path = self.project.template(leaflet.id)
            out.append((path, catalogs.save_if_changed(self.template(leaflet), path)))
        return out

    def update(self) -> list[tuple[Path, bool]]:
        """Merge each template into every catalog of its leaflet."""
        out = []
        for leaflet in self.leaflets:
            pot = self.template(leaflet)
            for lang in self.project.languages(leaflet.id):
                path = self.project.catalog(lang, leaflet.id)
                merged = catalogs.merge(pot, catalogs.read_catalog(path))
                out.append((path, catalogs.save_if_changed(merged, path)))
        return out

    def init(self, lang: str) -> list[Path]:
        catalogs.locale_of(lang)
        made = []
        for leaflet in self.leaflets:
            path = self.project.catalog(lang, leaflet.id)
            if path.exists():
                raise CatalogError("catalog exists already: use 'update'", self._rel(path))
            po = catalogs.new_catalog(self.template(leaflet), lang, leaflet.title.text, leaflet.id)
            catalogs.save_if_changed(po, path)
            made.append(path)
        return made

    def catalog(self, leaflet: Leaflet, lang: str):
        return catalogs.read_catalog(self.project.catalog(lang, leaflet.id))

    def review(self, leaflet: Leaflet, lang: str, po=None) -> ReviewState:
        po = po or self.catalog(leaflet, lang)
        ledger = read_ledger(self.project.review_file(lang, leaflet.id))
        return review_state(ledger, catalogs.fingerprint(po), catalogs.entry_hashes(po))

    def approve(self, lang: str, reviewer: str, leaflet_ids: list[str] | None = None) -> list[Path]:
        """Record that ``reviewer`` approved every listed leaflet's catalog as it is now."""
        if not reviewer.strip():
            raise LeafletError("approve needs the reviewer's name (--by NAME)")
        done = []
        for leaflet in self._select(leaflet_ids):
            path = self.project.catalog(lang, leaflet.id)
            po = catalogs.read_catalog(path)
            errors = [f for f in self.check_catalog(leaflet, lang, po) if f.severity == "error"]
            if errors:
                raise CatalogError(f"cannot approve: {errors[0].message} (run 'check {lang}')", errors[0].path,
                                   errors[0].line)
            st = catalogs.stats(po)
            if not st.complete:
                raise NotPrintableError(f"cannot approve: {st.untranslated} untranslated and {st.fuzzy} fuzzy "
                                        "message(s)", self._rel(path))
            ledger = Ledger(reviewer.strip(), _dt.date.today(), catalogs.fingerprint(po),
                            catalogs.entry_hashes(po), leaflet.version)
            write_ledger(self.project.review_file(lang, leaflet.id), ledger)
            done.append(self.project.review_file(lang, leaflet.id))
        return done

    # --- checks ---------------------------------------------------------------------
    def check_catalog(self, leaflet: Leaflet, lang: str, po=None) -> list[Finding]:
        """Every finding for one catalog; ``po`` if the caller has parsed it already."""
        path = self.project.catalog(lang, leaflet.id)
        rel = self._rel(path)
        if po is None:
            try:
                po = catalogs.read_catalog(path)
            except CatalogError as exc:
                return [Finding("error", rel, exc.line, "", "syntax", exc.message)]
        lines = _msgstr_lines(path)
        sources = {m.context: m.source for m in messages(leaflet, self.interface)}
        chain = self.fonts.chain(lang)
        found = []
        if po.metadata.get("Language", lang).replace("-", "_") != lang:
            found.append(Finding("error", rel, 1, "", "header",
                                 f"header Language is '{po.metadata.get('Language')}', folder says '{lang}'"))
        live = set()
        for e in po:
            if e.obsolete:
                continue
            live.add(e.msgctxt)
            line = lines.get(e.msgctxt, e.linenum)

            def note(severity, code, message, key=e.msgctxt, line=line):
                found.append(Finding(severity, rel, line, key, code, message))

            if e.msgctxt not in sources:
                note("warning", "stale", "message not in the template: run 'update'")
                continue
            if not e.msgstr.strip():
                note("warning", "untranslated", "untranslated")
                continue
            if "fuzzy" in e.flags:
                note("warning", "fuzzy", "fuzzy: the English changed; check the translation and clear the flag")
            problems = check_message(e.msgid, e.msgstr, leaflet.do_not_translate)
            for p in problems:
                note(p.severity, p.code, p.message)
            if not any(p.code == "markup" for p in problems):
                missing = missing_characters(plain_text(e.msgstr), chain)
                if missing:
                    note("error", "glyph", "no font can draw " + ", ".join(describe(c) for c in missing))
        for key in sources.keys() - live:
            found.append(Finding("warning", rel, None, key, "stale", "message missing: run 'update'"))
        return found

    def check(self, langs: list[str] | None = None) -> list[Finding]:
        found: list[Finding] = []
        if self.clinic.missing_contacts():
            found.append(Finding("warning", self._rel(self.project.clinic_file), None, "", "contact",
                                 "no " + ", ".join(self.clinic.missing_contacts()) +
                                 ": the standards expect contact details on every leaflet"))
        for leaflet in self.leaflets:
            for lang in langs or self.project.languages(leaflet.id):
                found.extend(self.check_catalog(leaflet, lang))
        return found

    # --- status and build -----------------------------------------------------------
    def _select(self, leaflet_ids):
        return [self.leaflet(i) for i in leaflet_ids] if leaflet_ids else self.leaflets

    def languages(self, leaflet: Leaflet) -> list[str]:
        return [SOURCE_LANGUAGE] + self.project.languages(leaflet.id)

    def status(self, out_dir: Path) -> list[StatusRow]:
        rows = []
        for leaflet in self.leaflets:
            manifest = _read_manifest(out_dir / leaflet.id)
            for lang in self.project.languages(leaflet.id):
                try:
                    po = self.catalog(leaflet, lang)
                except CatalogError as exc:
                    rows.append(StatusRow(leaflet.id, lang, language_name(lang), None, None, False, str(exc)))
                    continue
                st = catalogs.stats(po)
                rv = self.review(leaflet, lang, po)
                errors = [f for f in self.check_catalog(leaflet, lang, po) if f.severity == "error"]
                reason = ("" if st.complete and not errors else
                          f"{len(errors)} check error(s)" if errors else
                          f"{st.untranslated} untranslated, {st.fuzzy} fuzzy")
                rows.append(StatusRow(leaflet.id, lang, language_name(lang), st, rv, not reason, reason,
                                      _outdated(manifest.get(lang, {}), leaflet)))
        return rows

    def outdated(self, out_dir: Path) -> list[tuple[str, str, str]]:
        """(leaflet, language, why) for each PDF built from an older version of the English."""
        found = []
        for leaflet in self.leaflets:
            for lang, built in sorted(_read_manifest(out_dir / leaflet.id).items()):
                why = _outdated(built, leaflet)
                if why:
                    found.append((leaflet.id, lang, why))
        return found

    def build(self, out_dir: Path, langs: list[str] | None = None, leaflet_ids: list[str] | None = None,
              allow_incomplete: bool = False, force: bool = False) -> list[BuildResult]:
        results = []
        for leaflet in self._select(leaflet_ids):
            available = self.languages(leaflet)
            for lang in langs or available:
                results.append(self._build_one(leaflet, lang, available, out_dir, allow_incomplete, force))
        return results

    def _inputs_hash(self, leaflet: Leaflet, lang: str, allow_incomplete: bool, available) -> str:
        h = hashlib.sha256(f"{ENGINE_VERSION}|{lang}|{allow_incomplete}|{','.join(available)}".encode())
        files = [Path(leaflet.path), self.project.interface_file, self.project.clinic_file]
        if lang != SOURCE_LANGUAGE:
            files += [self.project.catalog(lang, leaflet.id), self.project.review_file(lang, leaflet.id)]
        for f in files:
            h.update(f.read_bytes() if f.exists() else b"-")
        h.update(self._code_hash.encode())
        return h.hexdigest()[:32]

    @cached_property
    def _code_hash(self) -> str:
        """The package's own source: a change of layout code rebuilds every PDF."""
        h = hashlib.sha256()
        for f in sorted(Path(__file__).parent.glob("*.py")):
            h.update(f.read_bytes())
        return h.hexdigest()

    def _build_one(self, leaflet, lang, available, out_dir, allow_incomplete, force) -> BuildResult:
        target = self.project.output(out_dir, leaflet.id, lang)
        manifest_dir = out_dir / leaflet.id
        manifest = _read_manifest(manifest_dir)
        try:
            digest = self._inputs_hash(leaflet, lang, allow_incomplete, available)
            known = manifest.get(lang, {})
            if not force and target.exists() and known.get("inputs") == digest:
                return BuildResult(leaflet.id, lang, target, known.get("state", "?"), known.get("pages", 0),
                                   "unchanged")
            doc = self.document(leaflet, lang, available, allow_incomplete)
            data, pages = render(doc, self.fonts)
            _write_atomic(target, data)
            manifest[lang] = {"inputs": digest, "state": doc.state, "pages": pages, "version": leaflet.version}
            _write_manifest(manifest_dir, manifest)
            return BuildResult(leaflet.id, lang, target, doc.state, pages)
        except LeafletError as exc:
            return BuildResult(leaflet.id, lang, target, "failed", action="failed", error=str(exc))

    def document(self, leaflet: Leaflet, lang: str, available: list[str], allow_incomplete: bool = False):
        others = tuple(language_name(x) for x in available if x != lang)
        if lang == SOURCE_LANGUAGE:
            return build_document(leaflet, self.interface, self.clinic, lang, None, review=None,
                                  other_languages=others)
        path = self.project.catalog(lang, leaflet.id)
        if not path.exists():
            raise CatalogError(f"no catalog for '{lang}': run 'init {lang}'", self._rel(path))
        po = self.catalog(leaflet, lang)
        entries = {e.msgctxt: (e.msgid, e.msgstr, "fuzzy" in e.flags) for e in po if not e.obsolete}
        errors = [f for f in self.check_catalog(leaflet, lang, po) if f.severity == "error"]
        if errors:
            first = errors[0]
            more = f" (and {len(errors) - 1} more; run 'check {lang}')" if len(errors) > 1 else ""
            raise CatalogError(f"{first.message} [{first.key}]{more}", first.path, first.line)
        rv = self.review(leaflet, lang, po)
        review = Review(rv.ledger.reviewer, rv.ledger.date) if rv.state == "approved" else None
        try:
            return build_document(leaflet, self.interface, self.clinic, lang, entries, review=review,
                                  allow_incomplete=allow_incomplete, other_languages=others)
        except NotPrintableError as exc:
            raise NotPrintableError(f"not printed: {exc.message} (use --allow-incomplete to print a "
                                    "marked incomplete draft)", self._rel(path)) from None


def render(doc, fonts):
    from .render import render_pdf   # ReportLab is imported only when something is drawn
    return render_pdf(doc, fonts)


def _outdated(built: dict, leaflet: Leaflet) -> str:
    if built and built.get("version") != leaflet.version:
        return f"PDF is outdated: built from version {built.get('version')}, English is {leaflet.version}"
    return ""


def _read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / ".build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_manifest(folder: Path, manifest: dict) -> None:
    _write_atomic(folder / ".build.json", (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())


def _write_atomic(target: Path, data: bytes) -> None:
    """Write via a temporary file and rename: the old file stays whole until the new one is."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
