"""What ReportLab reads from a TrueType font, kept on disk so the next process need not parse it again.

ReportLab parses a font's tables in Python (``TTFontFile.extractInfo``): for a CJK font of 20,000
glyphs that is 0.2-0.35 s, on every start. The result is a handful of plain values and five tables
(cmap both ways, widths, metrics, glyph offsets). They are written with :mod:`marshal` (plain data
only: numbers, strings, lists, dicts; nothing that runs; behind a checksum, :mod:`kept`), keyed by the font file's name, size and
modification time, its face number and the ReportLab version, in ``.leaflets-cache/metrics/``.
The big tables are read back only when first used (a name drawn in a font needs its cmap; the
offsets and metrics are needed only when its subset is written). The glyph offsets and metrics,
a list of 50,000 numbers or pairs in a CJK font (20 ms to unmarshal), are kept as packed arrays
(:class:`Pairs`), read back in microseconds: every PDF's languages box writes a subset of each
script's font, so each worker process reads them. So are the character maps and widths of a font of
thousands of characters (:class:`Sparse`: sorted codes and their values, looked up by bisection and
kept as found): the box draws a few characters of three CJK fonts, whose 20,000-entry dictionaries
took 3-7 ms each to unmarshal and some 3 MB each to hold, in the parent and again in every worker.
A file that cannot be read, or
does not hold what is expected, is ignored: the font is parsed again. Deleting the folder costs time only.
"""
from __future__ import annotations

import marshal
import os
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from reportlab import Version as RL_VERSION
from reportlab.pdfbase.ttfonts import TTFNameBytes

from . import kept
from .files import delete, write_atomic

FORMAT = 4
NAMES = ("familyName", "fullName", "name", "styleName", "uniqueFontID")      # TTFNameBytes
PLAIN = ("_pos", "ascent", "bbox", "capHeight", "defaultWidth", "descent", "flags", "fontRevision",
         "italicAngle", "numGlyphs", "stemV", "underlinePosition", "underlineThickness", "unitsPerEm",
         "_full_font", "subfontNameX")
TABLES = ("charWidths", "glyphPos", "glyphToChar", "hmetrics")          # read back when first used
TYPES = {"charToGlyph": dict, "charWidths": dict, "glyphToChar": dict}
PACKED = {"glyphPos": "q", "hmetrics": "q"}          # kept as arrays of 64-bit integers (pairs flattened)
SPARSE = ("charToGlyph", "charWidths")               # kept as sorted arrays (:class:`Sparse`) when big
BIG = 4096                                           # entries: a table this big is a Sparse one


class Pairs(Sequence):
    """ReportLab's ``hmetrics`` (a list of ``(advance, left side bearing)``) over one flat array."""

    def __init__(self, flat: array):
        if len(flat) % 2:
            raise ValueError("hmetrics is not a list of pairs")
        self._flat = flat

    def __len__(self) -> int:
        return len(self._flat) // 2

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("glyph index out of range")
        return self._flat[2 * i], self._flat[2 * i + 1]


def _pack(name: str, value) -> bytes:
    if name == "hmetrics":
        return array(PACKED[name], [int(v) for pair in value for v in pair]).tobytes()
    if name in PACKED:
        return array(PACKED[name], value).tobytes()
    if name in SPARSE and len(value) >= BIG:
        codes = sorted(value)
        values = [value[c] for c in codes]
        kind = "q" if all(type(v) is int for v in values) else "d"      # ReportLab's own types, kept
        return marshal.dumps(("sparse", kind, array("I", codes).tobytes(), array(kind, values).tobytes()))
    return marshal.dumps(value)


def _path(folder: Path, filename: str, subfont: int) -> Path:
    font = Path(filename)
    st = font.stat()
    return folder / f"{font.stem}-{subfont}-{st.st_size}-{st.st_mtime_ns}-rl{RL_VERSION}-{FORMAT}.marshal"


def sweep(folder: Path) -> int:
    """Delete the kept files of another format or ReportLab version, which are never read again (an
    upgrade leaves them: a CJK font's are 1-2.5 MB); how many were deleted."""
    current = f"-rl{RL_VERSION}-{FORMAT}.marshal"
    try:
        with os.scandir(folder) as entries:
            stale = [e.path for e in entries if e.name.endswith(".marshal") and not e.name.endswith(current)
                     and e.is_file()]
    except OSError:
        return 0
    return delete(stale)


def save_metrics(face, folder: Path, filename: str, subfont: int) -> None:
    """Keep what ``face`` read (best effort: a cache that cannot be written costs time only)."""
    try:
        data = {"plain": {k: getattr(face, k) for k in PLAIN if hasattr(face, k)},
                "names": {k: bytes(getattr(face, k)) for k in NAMES},
                "units": face.unitsPerEm,
                "tables": {k: _pack(k, getattr(face, k)) for k in ("charToGlyph", *TABLES)}}
        write_atomic(_path(folder, filename, subfont), kept.dumps(data))
    except (OSError, ValueError, TypeError):
        pass


def load_metrics(face, folder: Path, filename: str, subfont: int) -> bool:
    """Give ``face`` the values kept for its font; False (nothing changed) if there are none."""
    try:
        data = kept.loads(_path(folder, filename, subfont).read_bytes())
        plain, names, tables = data["plain"], data["names"], data["tables"]
        if not (isinstance(plain, dict) and isinstance(names, dict) and isinstance(tables, dict)
                and set(tables) == {"charToGlyph", *TABLES} and set(names) == set(NAMES)
                and all(isinstance(v, bytes) for v in (*names.values(), *tables.values()))
                and not len(tables["glyphPos"]) % 8 and not len(tables["hmetrics"]) % 16):
            return False
        cmap = _table(tables["charToGlyph"], "charToGlyph")
        widths = _table(tables["charWidths"], "charWidths") if isinstance(cmap, Sparse) else None
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return False
    units = plain.get("unitsPerEm")
    if not isinstance(units, int) or units <= 0:
        return False
    for key, value in plain.items():
        if key in PLAIN:
            setattr(face, key, value)
    for key, value in names.items():
        setattr(face, key, TTFNameBytes(value))
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, m=1000.0 / units: x * m)
    face.charToGlyph = cmap
    face._tables = tables
    face.__class__ = _lazy_class(type(face))
    if widths is not None:
        face.charWidths = widths          # a big font's (packed with its map), read now: checked, and cheap
    return True


def _table(blob: bytes, name: str):
    if name in PACKED:                    # (their lengths were checked by load_metrics)
        flat = array(PACKED[name])
        flat.frombytes(blob)
        return Pairs(flat) if name == "hmetrics" else flat
    value = marshal.loads(blob)
    if name in SPARSE and isinstance(value, tuple):
        return Sparse.unpacked(value)
    if not isinstance(value, TYPES[name]):
        raise ValueError(f"{name} is not a {TYPES[name].__name__}")
    return value


class Sparse(dict):
    """A big character map or width table (code → glyph or width) over two packed arrays: a code is
    found by bisection when first asked for, then kept in the dictionary itself. It answers as the
    whole dictionary would (``[]``, ``get``, ``in``); entries added (glyph keys, HarfBuzz's private
    codes) are its own, and iterating or comparing it first makes it whole. ``codes`` is the font's
    own codes (what the font covers), without those added."""

    def __init__(self, codes: array, values: array):
        super().__init__()
        self.codes = Codes(codes)
        self._values = values
        self._whole = False

    @classmethod
    def unpacked(cls, kept) -> Sparse:
        if not (len(kept) == 4 and kept[0] == "sparse" and kept[1] in ("q", "d")
                and isinstance(kept[2], bytes) and isinstance(kept[3], bytes)):
            raise ValueError("not a packed table")
        codes, values = array("I"), array(kept[1])
        codes.frombytes(kept[2])
        values.frombytes(kept[3])
        if len(codes) != len(values):
            raise ValueError("a packed table's codes and values differ in number")
        return cls(codes, values)

    def __missing__(self, code):
        k = self.codes.index(code)
        if k < 0:
            raise KeyError(code)
        value = self[code] = self._values[k]
        return value

    def get(self, code, default=None):
        try:
            return self[code]
        except KeyError:
            return default

    def __contains__(self, code) -> bool:
        return dict.__contains__(self, code) or code in self.codes

    def whole(self) -> Sparse:
        if not self._whole:
            for code, value in zip(self.codes, self._values):
                self.setdefault(code, value)
            self._whole = True
        return self

    def __iter__(self):
        return dict.__iter__(self.whole())

    def __len__(self) -> int:
        return dict.__len__(self.whole())

    def keys(self):
        return dict.keys(self.whole())

    def values(self):
        return dict.values(self.whole())

    def items(self):
        return dict.items(self.whole())

    def __eq__(self, other) -> bool:
        return dict.__eq__(self.whole(), other.whole() if isinstance(other, Sparse) else other)

    __hash__ = None


class Codes:
    """Sorted codes (a packed array), as a set: ``in``, ``len``, iteration."""

    def __init__(self, codes: array):
        self._codes = codes

    def index(self, code) -> int:
        """Where ``code`` is, or -1."""
        codes = self._codes
        if not isinstance(code, int) or not 0 <= code <= 0xFFFFFFFF:
            return -1
        k = bisect_left(codes, code)
        return k if k < len(codes) and codes[k] == code else -1

    def __contains__(self, code) -> bool:
        return self.index(code) >= 0

    def __len__(self) -> int:
        return len(self._codes)

    def __iter__(self):
        return iter(self._codes)


_LAZY: dict[type, type] = {}


def _lazy_class(base: type) -> type:
    """``base`` with the big tables read from the kept bytes on first use."""
    cls = _LAZY.get(base)
    if cls is None:
        attrs = {}
        for name in TABLES:
            def get(self, name=name):
                return _table(self._tables[name], name)
            get.__name__ = name
            attrs[name] = cached_property(get)
        cls = _LAZY[base] = type(base.__name__, (base,), attrs)
    return cls
