"""Checks of whole catalogs: what ``check`` reports and what stops a build.

Every finding names the file, the line of the msgstr and the message key. The
per-message rules live in :mod:`checks`; this module runs them over a catalog,
adds what only a whole catalog shows (missing or stale messages, the Language
header, glyph coverage) and reports syntax errors with their line.
"""
from __future__ import annotations

from dataclasses import dataclass

from .checks import check_message
from .errors import CatalogError, MissingGlyphError, describe
from .markup import plain_text
from .workspace import Domain, Workspace


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


def _msgstr_lines(text: str) -> dict[str, int]:
    """msgctxt → line number of its msgstr (live entries)."""
    lines, ctx = {}, None
    for n, line in enumerate(text.splitlines(), start=1):
        if line.startswith("msgctxt "):
            ctx = line[9:-1]
        elif line.startswith("msgstr") and ctx is not None:
            lines[ctx] = n
            ctx = None
    return lines


def check_catalog(ws: Workspace, domain: Domain, lang: str, po=None) -> list[Finding]:
    """Every finding for one catalog; ``po`` if the caller has parsed it already.

    Fuzzy messages are not printed, so what the rules find in them is a warning
    (the translator sees it when checking the message), never a build error.
    """
    path = ws.catalog_path(domain, lang)
    rel = ws.rel(path)
    if po is None:
        try:
            po = ws.read(domain, lang)
        except CatalogError as exc:
            return [Finding("error", rel, exc.line, "", "syntax", exc.message)]
    lines = _msgstr_lines(path.read_text(encoding="utf-8")) if path.exists() else {}
    found: list[Finding] = []
    try:
        chain = ws.fonts.chain(lang)
    except MissingGlyphError as exc:
        chain = None
        found.append(Finding("error", rel, 1, "", "glyph", exc.message))
    if po.metadata.get("Language", lang).replace("-", "_") != lang:
        found.append(Finding("error", rel, 1, "", "header",
                             f"header Language is '{po.metadata.get('Language')}', folder says '{lang}'"))
    live = set()
    for e in po:
        if e.obsolete:
            continue
        live.add(e.msgctxt)
        line = lines.get(e.msgctxt, e.linenum)

        def note(severity, code, message, key=e.msgctxt or e.msgid[:40], line=line):
            found.append(Finding(severity, rel, line, key, code, message))

        if e.msgctxt not in domain.sources:
            note("warning", "stale", "message not in the template: run 'update'")
            continue
        if not e.msgstr.strip():
            note("warning", "untranslated", "untranslated")
            continue
        fuzzy = "fuzzy" in e.flags
        if fuzzy:
            note("warning", "fuzzy", "fuzzy: the English changed; check the translation and clear the flag")
        problems = check_message(e.msgid, e.msgstr, domain.names)
        for p in problems:
            note("warning" if fuzzy else p.severity, p.code, p.message)
        if chain is not None and not any(p.code == "markup" for p in problems):
            missing = chain.missing(plain_text(e.msgstr))
            if missing:
                note("warning" if fuzzy else "error", "glyph",
                     "no font can draw " + ", ".join(describe(c) for c in missing))
    for key in domain.sources.keys() - live:
        found.append(Finding("warning", rel, None, key, "stale", "message missing: run 'update'"))
    return found


def check(ws: Workspace, langs: list[str] | None = None, examine=None) -> list[Finding]:
    """Findings for the clinic details and every catalog of the languages given (or all);
    ``examine(ws, domain, lang)``, a catalog's findings (default: :func:`check_catalog`, now)."""
    examine = examine or check_catalog
    found: list[Finding] = []
    if ws.clinic.missing_contacts():
        found.append(Finding("warning", ws.rel(ws.project.clinic_file), None, "", "contact",
                             "no " + ", ".join(ws.clinic.missing_contacts()) +
                             ": the standards expect contact details on every leaflet"))
    for lang in langs or ws.languages():
        for domain in ws.domains:
            if ws.catalog_path(domain, lang).exists():
                found.extend(examine(ws, domain, lang))
            elif langs:
                found.append(Finding("error", ws.rel(ws.catalog_path(domain, lang)), None, "", "missing",
                                     f"no catalog: run 'init {lang}'"))
    return found


def errors_of(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]
