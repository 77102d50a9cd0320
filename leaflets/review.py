"""The review ledger: who approved a translation, when, and exactly what they saw.

Stored as JSON beside the catalog (``<domain>.review.json``), because Poedit and
Weblate rewrite .po headers and drop unknown flags, but never touch other files.
Pure functions of (ledger, catalog hashes); the pipeline does the file I/O.
"""
from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import CatalogError
from .files import write_atomic


@dataclass(frozen=True)
class Ledger:
    reviewer: str
    date: _dt.date
    fingerprint: str
    messages: dict          # msgctxt → entry hash at approval
    version: str            # leaflet version approved


@dataclass(frozen=True)
class ReviewState:
    state: str              # approved | changed | draft
    ledger: Ledger | None
    changed: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.state == "approved":
            return f"approved by {self.ledger.reviewer} on {self.ledger.date.isoformat()}"
        if self.state == "changed":
            return (f"draft: {len(self.changed)} message(s) changed since approval by "
                    f"{self.ledger.reviewer} on {self.ledger.date.isoformat()}")
        return "draft (never approved)"


def read_ledger(path: Path) -> Ledger | None:
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Ledger(str(data["reviewer"]), _dt.date.fromisoformat(data["date"]), str(data["fingerprint"]),
                      dict(data["messages"]), str(data.get("version", "")))
    except (ValueError, KeyError, TypeError) as exc:
        raise CatalogError(f"review ledger is damaged: {exc}", str(path)) from None


def write_ledger(path: Path, ledger: Ledger) -> None:
    data = {"reviewer": ledger.reviewer, "date": ledger.date.isoformat(), "fingerprint": ledger.fingerprint,
            "version": ledger.version, "messages": dict(sorted(ledger.messages.items()))}
    write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def review_state(ledger: Ledger | None, fingerprint: str, hashes: dict[str, str]) -> ReviewState:
    """Compare the catalog now with what the reviewer approved."""
    if ledger is None:
        return ReviewState("draft", None)
    if ledger.fingerprint == fingerprint:
        return ReviewState("approved", ledger)
    keys = set(hashes) | set(ledger.messages)
    changed = tuple(sorted(k for k in keys if hashes.get(k) != ledger.messages.get(k)))
    return ReviewState("changed", ledger, changed)
