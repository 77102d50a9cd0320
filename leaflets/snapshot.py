"""A run that changes nothing, remembered: the next identical run only looks and says the same.

A whole job or ``build`` with nothing to do still imports ReportLab's neighbours, parses the
content and reads every manifest: a few hundred milliseconds. Like ``make`` (and git's index),
this module decides instead from the file system: the name, size, modification and change times
and inode of every file under ``content/``, ``locales/``, ``fonts/`` and the output folder, with the
package's own files, the command line, the Python and the date. When a run ends with all of that
exactly as it began (it wrote nothing), what it printed and its exit status are kept in
``.leaflets-cache/noop.json``. A later run that finds the same snapshot prints that again and stops.

Files changed within the last two seconds make a snapshot *racy* (a file system's clock is coarse:
an edit in the same tick could keep the same time and size), and a racy snapshot is never kept.
Any change to any file, a new or deleted file, another day, another command: the run is done in
full. Deleting the cache file costs one full no-op run.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

RACY = 2.0         # seconds: files newer than this make a snapshot unsafe to keep
PACKAGE = Path(__file__).resolve().parent


def _walk(folder: Path, out: list) -> float:
    """Append (path, size, mtime, ctime, inode) of every file under ``folder``; the newest time."""
    newest = 0.0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        out.append((str(folder), "absent"))
        return newest
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.name in (".leaflets-cache", "__pycache__"):
            continue
        try:
            if entry.is_dir():
                newest = max(newest, _walk(Path(entry.path), out))
                continue
            st = entry.stat()
        except OSError:
            out.append((entry.path, "unreadable"))
            continue
        out.append((entry.path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        newest = max(newest, st.st_mtime_ns / 1e9, st.st_ctime_ns / 1e9)
    return newest


def state(root: Path, out_dir: Path, argv: list[str]) -> tuple[str, float]:
    """(a digest of everything a run's output depends on, the newest file time among it)."""
    files: list = []
    newest = 0.0
    for folder in (root / "content", root / "locales", root / "fonts", out_dir, PACKAGE):
        newest = max(newest, _walk(folder, files))
    head = [argv, str(root), str(out_dir), sys.version, sys.executable, date.today().isoformat(),
            os.environ.get("SOURCE_DATE_EPOCH")]
    digest = hashlib.sha256(json.dumps([head, files], default=str).encode("utf-8")).hexdigest()
    return digest, newest


def _file(root: Path) -> Path:
    return root / ".leaflets-cache" / "noop.json"


def recall(root: Path, digest: str) -> tuple[str, str, int] | None:
    """What the run with this snapshot printed (stdout, stderr) and returned, if it is kept."""
    try:
        kept = json.loads(_file(root).read_text(encoding="utf-8"))
        if kept.get("state") == digest:
            return str(kept["out"]), str(kept["err"]), int(kept["code"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


def keep(root: Path, digest: str, newest: float, out: str, err: str, code: int) -> bool:
    """Keep a run that changed nothing; not when the snapshot is racy."""
    if time.time() - newest < RACY:
        return False
    from .files import write_atomic
    try:
        write_atomic(_file(root), json.dumps({"state": digest, "out": out, "err": err, "code": code},
                                             ensure_ascii=False).encode("utf-8"))
    except OSError:
        return False
    return True
