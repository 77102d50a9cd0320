"""Atomic file writes that keep normal permissions.

Every file the tool writes (templates, catalogs, review ledgers, PDFs, build
manifests) goes through :func:`write_atomic`: the data is written to a
temporary file in the same folder, given the mode the target has (or, for a
new file, what the umask allows, as ``open()`` would give it), then renamed
over the target. Readers never see half a file, and a shared clinic folder,
a web server or a Weblate running as another user can still read the result.
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode(target: Path) -> int:
    """The target's own mode if it exists, else 0666 less the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def file_names(folder: str | Path) -> frozenset[str]:
    """The names of the files in ``folder`` (empty if it cannot be listed): one listing, where a
    library would otherwise ask about thousands of files one by one."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(e.name for e in entries if e.is_file())
    except OSError:
        return frozenset()


def delete(paths) -> int:
    """Delete each of ``paths`` that can be deleted (a cache's files: one gone already is no error);
    how many were."""
    gone = 0
    for path in paths:
        try:
            os.unlink(path)
            gone += 1
        except OSError:
            pass
    return gone


def read_utf8(path: Path, error, cannot: str, not_utf8) -> str:
    """The text of ``path``; ``error(message, path, line)`` when it cannot be read or is not UTF-8
    (``not_utf8(byte)`` gives that message, with the line of the bad byte)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"{cannot}: {exc.strerror}", str(path)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(not_utf8(raw[exc.start]), str(path), raw[:exc.start].count(b"\n") + 1) from None


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` via a temporary file and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = new_file_mode(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def move_aside(source: Path, target: Path) -> Path:
    """Move ``source`` to ``target`` (never over an existing file: a number is added)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    candidate, n = target, 1
    while candidate.exists():
        n += 1
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
    os.replace(source, candidate)
    return candidate
