"""The caches' file format: :mod:`marshal` behind a checksum. No ReportLab here.

What a build keeps in ``.leaflets-cache/`` (fonts read, their tables, formatted subsets) is plain data
written with :mod:`marshal`, which reads back far faster than JSON or pickle and runs nothing. But
marshal trusts the sizes it reads: a list or tuple is allocated at the length the data declares before
a single item is read, so five bytes of junk can ask for 16 GB (a fuzz test found one, and the test
process grew to 13 GB). A file is therefore read only if it is exactly what was written: a magic
number, the CRC-32 of what follows (a millisecond for the largest, 2.5 MB), then marshal's bytes.
Junk, a file cut short or damaged on disk is refused before marshal sees it, as :class:`ValueError`;
the caller ignores it and makes the cache again.
"""
from __future__ import annotations

import marshal
import zlib

MAGIC = b"LFK\x01"


def dumps(value) -> bytes:
    payload = marshal.dumps(value)
    return MAGIC + zlib.crc32(payload).to_bytes(4, "little") + payload


def loads(data: bytes):
    """The value written by :func:`dumps`; ValueError if ``data`` is not exactly that."""
    view = memoryview(data)
    if len(view) < 8 or view[:4] != MAGIC or int.from_bytes(view[4:8], "little") != zlib.crc32(view[8:]):
        raise ValueError("not a file kept by this tool, or damaged")
    return marshal.loads(view[8:])
