"""A catalog examined for ``check`` and ``status``: every finding, its counts, its review state,
kept from one run to the next.

Examining a catalog (GNU-strict syntax, polib, every message's checks, glyph coverage) costs
about 15 ms; a library of 50 leaflets in 20 languages has 1,000 catalogs, so ``check`` and
``status`` took 16 seconds however little had changed. What is found depends on exactly what a
build's verdict depends on (:func:`verdicts.key_of`: the catalog's and its ledger's bytes, the
template, the fonts, this code), so it is kept under the same key in
``.leaflets-cache/findings/<lang>/<domain>.json`` and taken back only when that key is the same.
It is data (JSON), never code; a damaged or foreign file is examined again, not trusted.
"""
from __future__ import annotations

import json
from dataclasses import astuple, dataclass

from . import catalogs
from .errors import CatalogError
from .files import write_atomic
from .findings import Finding, check_catalog
from .review import ReviewState
from .translations import review
from .verdicts import key_of, state_from, state_json
from .workspace import Workspace

FORMAT = 1


@dataclass(frozen=True)
class Examined:
    findings: tuple[Finding, ...]
    stats: catalogs.Stats | None            # None: the catalog cannot be read (``error`` says why)
    review: ReviewState | None
    error: tuple[str, str | None, int | None] | None = None    # (message, path, line) of a CatalogError

    def problem(self) -> CatalogError | None:
        return None if self.error is None else CatalogError(*self.error)


def examined(ws: Workspace, domain, lang: str) -> Examined:
    """One catalog (which exists) examined, or taken from the last run's examination of the same bytes."""
    try:
        key = f"{FORMAT}|{key_of(ws, domain, lang)}"
    except OSError:
        return examine(ws, domain, lang)      # it says why, as a finding
    store = ws.project.root / ".leaflets-cache" / "findings" / lang / f"{domain.name}.json"
    found = load(store, key)
    if found is None:
        found = examine(ws, domain, lang)
        try:
            write_atomic(store, json.dumps(_as_json(key, found), ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass                              # a cache: a check never fails for want of one
    return found


def examine(ws: Workspace, domain, lang: str) -> Examined:
    """One catalog examined now."""
    try:
        po = ws.read(domain, lang)
    except CatalogError as exc:
        rel = ws.rel(ws.catalog_path(domain, lang))
        return Examined((Finding("error", rel, exc.line, "", "syntax", exc.message),), None, None,
                        (exc.message, exc.path, exc.line))
    return Examined(tuple(check_catalog(ws, domain, lang, po)), catalogs.stats(po), review(ws, domain, lang, po))


def _as_json(key: str, found: Examined) -> dict:
    error = found.error
    return {"key": key, "findings": [list(astuple(f)) for f in found.findings],
            "stats": None if found.stats is None else list(astuple(found.stats)),
            "review": None if found.review is None else state_json(found.review),
            "error": None if error is None else list(error)}


def _line(value) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise TypeError("a line is a number")


def load(store, key: str) -> Examined | None:
    """What was kept under ``key`` in ``store``; None if there is none, or it is not exactly what
    :func:`examined` writes."""
    try:
        data = json.loads(store.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        findings = []
        for severity, path, line, fkey, code, message in data["findings"]:
            if not all(isinstance(x, str) for x in (severity, path, fkey, code, message)):
                return None
            findings.append(Finding(severity, path, _line(line), fkey, code, message))
        stats = data["stats"]
        if stats is not None:
            if len(stats) != 6 or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in stats):
                return None
            stats = catalogs.Stats(*stats)
        state = None if data["review"] is None else state_from(data["review"])
        error = data["error"]
        if error is not None:
            message, path, line = error
            if not isinstance(message, str) or not (path is None or isinstance(path, str)):
                return None
            error = (message, path, _line(line))
        if (stats is None) != (error is not None) or (stats is None) != (state is None):
            return None
        return Examined(tuple(findings), stats, state, error)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
