"""The translators' commands: extract, update, init, approve, status.

Plain functions of a :class:`Workspace` that return results; the CLI reports
them. No command turns a translated message untranslated without saying so:
``update`` returns, for every catalog, what became of its translations.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from babel import Locale

from . import catalogs
from .errors import CatalogError, LeafletError, NotPrintableError, describe
from .findings import check_catalog, errors_of
from .review import Ledger, ReviewState, read_ledger, review_state, write_ledger
from .translate import english_name, language_name
from .workspace import INTERFACE, Domain, Workspace


@dataclass(frozen=True)
class Written:
    path: Path
    action: str                         # written | created | updated | unchanged | failed
    fate: catalogs.Fate | None = None   # what became of the translations it had
    error: CatalogError | None = None   # why a catalog could not be updated (it is left as it was)


def extract(ws: Workspace) -> list[Written]:
    """Write every domain's template (only if more than its date changed)."""
    out = []
    for domain in ws.domains:
        path = ws.project.template(domain.name)
        if ws.stamps.fresh(path, domain.fingerprint):
            out.append(Written(path, "unchanged"))
            continue
        changed = catalogs.save_if_changed(ws.template(domain), path)
        ws.stamps.record(path, domain.fingerprint)
        out.append(Written(path, "written" if changed else "unchanged"))
    ws.stamps.save()
    return out


def update(ws: Workspace) -> list[Written]:
    """Merge each template into every language's catalog; make the catalogs a language lacks.

    A new leaflet gets a catalog in every language of the project (like msgmerge
    with an empty catalog). A new interface catalog takes exact (key, English)
    matches from the language's leaflet catalogs: that is how the interface
    texts moved out of the leaflet catalogs into their own, losing none.
    """
    out = []
    langs = ws.languages()
    for domain in ws.domains:
        pot = ws.template(domain)
        for lang in langs:
            path = ws.catalog_path(domain, lang)
            if ws.stamps.fresh(path, domain.fingerprint):
                out.append(Written(path, "unchanged"))
                continue
            if path.exists():
                try:
                    old = catalogs.read_catalog(path)
                except CatalogError as exc:      # this language alone: the file is left untouched
                    out.append(Written(path, "failed", error=exc))
                    continue
                merged = catalogs.merge(pot, old)
                changed = catalogs.save_if_changed(merged, path)
                fate = catalogs.fate(old, merged, _siblings(ws, domain, lang))
                out.append(Written(path, "updated" if changed else "unchanged", fate))
            else:
                catalogs.save_if_changed(_start(ws, domain, lang, pot), path)
                out.append(Written(path, "created"))
            ws.stamps.record(path, domain.fingerprint)
    ws.stamps.save()
    return out


def _start(ws: Workspace, domain: Domain, lang: str, pot):
    """A new catalog. The interface catalog takes the exact matches the language's leaflet catalogs
    hold (and their translator): the interface texts used to live there. A new leaflet starts empty."""
    siblings = _siblings(ws, domain, lang) if domain.name == INTERFACE else ()
    po = catalogs.merge(pot, catalogs.new_catalog(pot, lang, domain.title, domain.name), siblings)
    if any(e.msgstr for e in po):
        po.metadata["Last-Translator"] = next((s.metadata["Last-Translator"] for s in siblings
                                               if s.metadata.get("Last-Translator")), "")
    return po


def _siblings(ws: Workspace, domain: Domain, lang: str) -> tuple:
    found = []
    for other in ws.domains:
        path = ws.catalog_path(other, lang)
        if other.name != domain.name and path.exists():
            try:
                found.append(catalogs.read_catalog(path))
            except CatalogError:
                continue            # a broken sibling is reported by check; it gives nothing here
    return tuple(found)


def init(ws: Workspace, lang: str) -> tuple[list[Path], list[str]]:
    """Start the catalogs ``lang`` lacks; returns them and warnings.

    A language no font in fonts/ can draw is refused, saying which font to add.
    """
    catalogs.locale_of(lang)
    problem = font_warnings(ws, lang)
    if problem:
        raise CatalogError(problem[0], ws.rel(ws.project.fonts))
    made = []
    for domain in ws.domains:
        path = ws.catalog_path(domain, lang)
        if path.exists():
            continue
        pot = ws.template(domain)
        written = ws.project.template(domain.name)
        if written.is_file():       # the template's date, as msgmerge would write it
            pot.metadata["POT-Creation-Date"] = catalogs.read_catalog(written).metadata["POT-Creation-Date"]
        catalogs.save_if_changed(_start(ws, domain, lang, pot), path)
        made.append(path)
    if not made:
        raise CatalogError(f"every catalog for '{lang}' exists already: use 'update'",
                           ws.rel(ws.project.locales / lang))
    return made, font_warnings(ws, lang)


def font_warnings(ws: Workspace, lang: str) -> list[str]:
    """Why ``lang`` cannot be printed with the fonts in fonts/, if it cannot."""
    from .fontindex import script_of
    script = script_of(lang)
    why = ws.fonts.missing_font(lang)
    if not why:
        missing = ws.fonts.chain(lang).missing(language_name(lang))
        if not missing:
            return []
        why = f"no font in fonts/ can draw {', '.join(describe(c) for c in missing[:3])}"
    return [f"{english_name(lang)} ({lang}) cannot be printed: {why}. Add a TrueType font for the {script} "
            f"script ({script_name(script)}), for example Noto Sans {script_name(script)} (SIL Open Font "
            "Licence), to its own folder in fonts/ with its licence file; nothing else needs to change"]


def script_name(script: str) -> str:
    return Locale("en").scripts.get(script, script)


def approve(ws: Workspace, lang: str, reviewer: str, leaflet_ids: list[str] | None = None) -> list[Path]:
    """Record that ``reviewer`` approved the listed leaflets' catalogs and the shared interface catalog."""
    if not reviewer.strip():
        raise LeafletError("approve needs the reviewer's name (--by NAME)")
    domains = [ws.domain(INTERFACE)] + [ws.domain(lf.id) for lf in ws.select(leaflet_ids)]
    pos = []
    for domain in domains:          # check everything before recording anything
        path = ws.catalog_path(domain, lang)
        po = catalogs.read_catalog(path)
        errors = errors_of(check_catalog(ws, domain, lang, po))
        if errors:
            raise CatalogError(f"cannot approve: {errors[0].message} (run 'check {lang}')", errors[0].path,
                               errors[0].line)
        st = catalogs.stats(po)
        if not st.complete:
            raise NotPrintableError(f"cannot approve: {st.untranslated} untranslated and {st.fuzzy} fuzzy "
                                    "message(s)", ws.rel(path))
        pos.append((domain, po))
    done = []
    for domain, po in pos:
        ledger = Ledger(reviewer.strip(), _dt.date.today(), catalogs.fingerprint(po),
                        catalogs.entry_hashes(po), domain.version)
        write_ledger(ws.project.review_file(lang, domain.name), ledger)
        done.append(ws.project.review_file(lang, domain.name))
    return done


def review(ws: Workspace, domain: Domain | str, lang: str, po) -> ReviewState:
    name = getattr(domain, "name", domain)
    ledger = read_ledger(ws.project.review_file(lang, name))
    return review_state(ledger, catalogs.fingerprint(po), catalogs.entry_hashes(po))


@dataclass(frozen=True)
class StatusRow:
    domain: str
    lang: str
    name: str
    stats: catalogs.Stats | None
    review: ReviewState | None
    printable: bool
    reason: str


def status(ws: Workspace, examine) -> list[StatusRow]:
    """One row per domain and language: counts, words to translate, review, whether it prints and why not.
    ``examine(ws, domain, lang)`` gives a catalog's findings, counts and review (:mod:`examined`)."""
    rows = []
    langs = ws.languages()
    unprintable = {lang: bool(font_warnings(ws, lang)) for lang in langs}     # once a language, not a catalog
    for domain in ws.domains:
        for lang in langs:
            path = ws.catalog_path(domain, lang)
            if not path.exists():
                rows.append(StatusRow(domain.name, lang, language_name(lang), None, None, False,
                                      "no catalog: run 'update'"))
                continue
            found = examine(ws, domain, lang)
            if found.error is not None:
                rows.append(StatusRow(domain.name, lang, language_name(lang), None, None, False, str(found.problem())))
                continue
            st, errors = found.stats, errors_of(list(found.findings))
            reasons = [f"{n} {what}" for n, what in ((st.fuzzy, "fuzzy"), (st.untranslated, "untranslated"))
                       if n]
            if errors:
                reasons.append(f"{len(errors)} check error(s), first: {errors[0].message}")
            if unprintable[lang]:
                reasons.append("no font for the script")
            rows.append(StatusRow(domain.name, lang, language_name(lang), st, found.review, not reasons,
                                  ", ".join(reasons)))
    return rows
