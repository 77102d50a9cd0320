"""Font subsets as a PDF holds them, kept on disk: the next process writes them as they were.

A subset's four objects (its ToUnicode, font program, descriptor and font dictionary) are formatted
once and written again with each document's own references and names in their slots
(:class:`pdffont._Formatted`). Made, they cost a process the most of its first PDF's writing: ReportLab
cuts the font program from the font in Python (the glyph offsets read back, the tables sliced, the
composite glyphs followed), and it is deflated. Every PDF's languages box draws a few glyphs of a
dozen fonts, the same subsets in every language and edition, so each worker of every build made the
same dozen subsets again, reading whole CJK fonts to do it.

What those objects hold depends only on the font file and on what each of the subset's codes draws:
its glyph, its width and the text it stands for (a glyph key, :mod:`pdffont`, is a code private to
one process: it is described by those three alone). That description, with the font file's name,
size, modification time and face, the font's name and subset number in the document, the
compression and ReportLab's version, is the key; the entry is kept under its SHA-256 in
``.leaflets-cache/subsets/``, with the key itself, which must match when it is read back (a file
that cannot be read, or holds another key or anything unexpected, is ignored and made again).
Written with :mod:`marshal` (plain data: bytes, numbers, tuples) behind a checksum (:mod:`kept`). The entries used longest ago are
deleted when there are more than :data:`LIMIT` (:func:`trim`). Deleting the folder costs time only.
"""
from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

from reportlab import Version as RL_VERSION

from . import kept
from .files import delete, write_atomic

FORMAT = 2
LIMIT = 4096            # entries kept: a library's languages boxes and its recent bodies
SLOTS = 5               # pdffont._Formatted's slots: ToUnicode, font program, descriptor, two names


class SubsetStore:
    """The formatted subsets kept in one folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, key: bytes) -> Path:
        return self.folder / f"{hashlib.sha256(key).hexdigest()}.marshal"

    @staticmethod
    def key(font: tuple, codes: tuple) -> bytes:
        """The key of a subset: ``font`` (the file and face, as the caller names them) and what each
        code draws (``codes``: numbers and strings only)."""
        return marshal.dumps((FORMAT, RL_VERSION, font, codes))

    def get(self, key: bytes) -> tuple | None:
        """The formatted objects kept under ``key``; None if there are none, or none that can be used."""
        path = self._path(key)
        try:
            key_kept, made = kept.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return None
        if key_kept != key or not _well_formed(made):
            return None
        try:
            os.utime(path)            # used now: trimmed last
        except OSError:
            pass
        return made

    def put(self, key: bytes, made: tuple) -> None:
        """Keep ``made`` under ``key`` (best effort: a cache that cannot be written costs time only)."""
        try:
            write_atomic(self._path(key), kept.dumps((key, made)))
        except (OSError, ValueError):
            pass


def _well_formed(made) -> bool:
    """Four objects, each a tuple of bytes with slot numbers between them."""
    return isinstance(made, tuple) and len(made) == 4 and all(
        isinstance(parts, tuple) and len(parts) % 2 == 1 and all(
            isinstance(p, bytes) if i % 2 == 0 else (type(p) is int and 0 <= p < SLOTS)
            for i, p in enumerate(parts))
        for parts in made)


def trim(folder: Path, limit: int | None = None) -> int:
    """Delete the entries used longest ago until ``limit`` (:data:`LIMIT`) are left; how many were deleted."""
    limit = LIMIT if limit is None else limit
    try:
        with os.scandir(folder) as entries:
            found = [e for e in entries if e.name.endswith(".marshal") and e.is_file()]
    except OSError:
        return 0
    if len(found) <= limit:
        return 0
    dated = []
    for entry in found:
        try:
            dated.append((entry.stat().st_mtime_ns, entry.path))
        except OSError:
            continue
    dated.sort()
    return delete(path for _, path in dated[:len(dated) - limit])
