"""Stamps: what a file looked like when a command last left it up to date.

``update`` and ``extract`` are deterministic functions of (template, catalog,
this program's code). A stamp records a hash of those inputs together with the
file's bytes as written; when neither changed, the file is up to date and is
not even parsed. That keeps a run with nothing changed close to free. The stamps
live in ``.leaflets-cache/stamps.json`` (not in git): deleting it only costs time.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from .files import write_atomic


@lru_cache(maxsize=1)
def code_hash() -> str:
    """The package's own source: a change of code redoes everything."""
    h = hashlib.sha256()
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.read_bytes())
    return h.hexdigest()


class Stamps:
    def __init__(self, path: Path, root: Path):
        self.path, self.root = path, root
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.data = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self.data = {}
        self._saved = dict(self.data)

    def _digest(self, target: Path, inputs: str) -> str | None:
        try:
            content = target.read_bytes()
        except OSError:
            return None
        return hashlib.sha256(f"{code_hash()}|{inputs}|".encode() + content).hexdigest()[:32]

    def _key(self, target: Path) -> str:
        return str(target.relative_to(self.root)) if target.is_relative_to(self.root) else str(target)

    def fresh(self, target: Path, inputs: str) -> bool:
        """True if ``target`` is exactly as it was left from these ``inputs``."""
        digest = self._digest(target, inputs)
        return digest is not None and self.data.get(self._key(target)) == digest

    def record(self, target: Path, inputs: str) -> None:
        digest = self._digest(target, inputs)
        if digest is not None:
            self.data[self._key(target)] = digest

    def save(self) -> None:
        if self.data != self._saved:
            write_atomic(self.path, (json.dumps(self.data, indent=0, sort_keys=True) + "\n").encode())
            self._saved = dict(self.data)
