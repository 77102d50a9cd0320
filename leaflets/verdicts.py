"""A catalog judged: read, checked, its review state found; kept from one build to the next.

Judging a catalog (GNU-strict syntax, polib, every message's checks, glyph coverage, the review
ledger) is a tenth of a cold build. What it finds depends only on the catalog's bytes, its review
ledger's bytes, the template it is checked against, the fonts and this code, so the verdict is kept
in ``.leaflets-cache/verdicts/<lang>/<domain>.json`` under a hash of all of those, and taken back
only when that hash is the same (one file per catalog: the cache never grows past the catalogs).
A verdict is data (JSON), never code; a damaged or foreign file is judged again, not trusted.
Within a process the shared ``interface`` catalog's verdict is also kept in memory: every leaflet
of a library uses it.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from pathlib import Path

from .errors import CatalogError
from .files import write_atomic
from .findings import check_catalog, errors_of
from .review import Ledger, ReviewState
from .stamps import code_hash
from .translations import review
from .workspace import INTERFACE, Workspace

FORMAT = 2
_FONTS: dict[Path, str] = {}        # fonts folder → a stamp of its files (once per process)


def judged(ws: Workspace, domain, lang: str):
    """``(texts, review state)`` of one catalog; raises its first error (file and line)."""
    try:
        key = key_of(ws, domain, lang)
    except FileNotFoundError:
        raise CatalogError(f"no catalog for '{lang}': run 'update' (or 'init {lang}')",
                           ws.rel(ws.catalog_path(domain, lang))) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", ws.rel(ws.catalog_path(domain, lang))) from None
    memo = ws.__dict__.setdefault("_judged", {}) if domain.name == INTERFACE else {}   # the shared one only:
    found = memo.get(key)                                                              # memory stays flat
    if found is None:
        store = ws.project.root / ".leaflets-cache" / "verdicts" / lang / f"{domain.name}.json"
        found = _load(store, key)
        if found is None:
            found = _judge(ws, domain, lang)
            _keep(store, key, found)
        memo[key] = found
    if isinstance(found, CatalogError):
        raise CatalogError(found.message, found.path, found.line)
    return found


def _judge(ws: Workspace, domain, lang: str):
    try:
        po = ws.read(domain, lang)
        errors = errors_of(check_catalog(ws, domain, lang, po))
        if errors:
            first = errors[0]
            more = f" (and {len(errors) - 1} more; run 'check {lang}')" if len(errors) > 1 else ""
            raise CatalogError(f"{first.message} [{first.key}]{more}", first.path, first.line)
        texts = {e.msgctxt: (e.msgid, e.msgstr, "fuzzy" in e.flags) for e in po if not e.obsolete}
        return texts, review(ws, domain, lang, po)
    except CatalogError as exc:
        return exc


def key_of(ws: Workspace, domain, lang: str) -> str:
    """What a catalog's verdict (and what :mod:`examined` keeps) depends on, hashed: its bytes, its
    review ledger's, the template, the fonts, this code. Raises OSError if the catalog cannot be read."""
    data = ws.catalog_path(domain, lang).read_bytes()
    try:
        ledger = ws.project.review_file(lang, domain.name).read_bytes()
    except OSError:
        ledger = b""
    h = hashlib.sha256(f"{FORMAT}|{code_hash()}|{_fonts_stamp(ws.project.fonts)}|{lang}|{domain.name}|"
                       f"{domain.fingerprint}|{sorted(domain.names)!r}|{ws.rel(ws.catalog_path(domain, lang))}|".encode())
    for part in (data, ledger):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _fonts_stamp(folder: Path) -> str:
    """What the glyph checks depend on: every file under ``fonts/``, by name, size and time."""
    stamp = _FONTS.get(folder)
    if stamp is None:
        h = hashlib.sha256()
        if folder.is_dir():
            for f in sorted(folder.rglob("*")):
                if f.is_file():
                    st = f.stat()
                    h.update(f"{f.relative_to(folder)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
        stamp = _FONTS[folder] = h.hexdigest()
    return stamp


# --- the verdict as JSON -----------------------------------------------------------------

def _load(store: Path, key: str):
    try:
        data = json.loads(store.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        if "error" in data:
            message, path, line = data["error"]
            return CatalogError(str(message), str(path), line if isinstance(line, int) else None)
        texts = {None if k is None else str(k): (str(i), str(t), bool(f)) for k, i, t, f in data["texts"]}
        return texts, state_from(data["review"])
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def _keep(store: Path, key: str, found) -> None:
    if isinstance(found, CatalogError):
        data = {"key": key, "error": [found.message, found.path, found.line]}
    else:
        texts, state = found
        data = {"key": key, "texts": [[k, *v] for k, v in texts.items()],   # (an entry may lack msgctxt: None)
                "review": state_json(state)}
    try:
        write_atomic(store, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    except OSError:
        pass                            # a cache: a build never fails for want of one


def state_json(state: ReviewState) -> dict:
    ledger = state.ledger
    return {"state": state.state, "changed": list(state.changed),
            "ledger": None if ledger is None else {
                "reviewer": ledger.reviewer, "date": ledger.date.isoformat(), "fingerprint": ledger.fingerprint,
                "messages": ledger.messages, "version": ledger.version}}


def state_from(data: dict) -> ReviewState:
    ledger = data["ledger"]
    if ledger is not None:
        ledger = Ledger(str(ledger["reviewer"]), _dt.date.fromisoformat(ledger["date"]), str(ledger["fingerprint"]),
                        dict(ledger["messages"]), str(ledger["version"]))
    return ReviewState(str(data["state"]), ledger, tuple(str(k) for k in data["changed"]))
