"""What ReportLab reads from a TrueType font, kept on disk so the next process need not parse it again.

ReportLab parses a font's tables in Python (``TTFontFile.extractInfo``): for a CJK font of 20,000
glyphs that is 0.2-0.35 s, on every start. The result is a handful of plain values and five tables
(cmap both ways, widths, metrics, glyph offsets). They are written with :mod:`marshal` (plain data
only: numbers, strings, lists, dicts; nothing that runs), keyed by the font file's name, size and
modification time, its face number and the ReportLab version, in ``.leaflets-cache/metrics/``.
The big tables are read back only when first used (a name drawn in a font needs its cmap; the
offsets and metrics are needed only when its subset is written). The glyph offsets and metrics,
a list of 50,000 numbers or pairs in a CJK font (20 ms to unmarshal), are kept as packed arrays
(:class:`Pairs`), read back in microseconds: every PDF's languages box writes a subset of each
script's font, so each worker process reads them. A file that cannot be read, or
does not hold what is expected, is ignored: the font is parsed again. Deleting the folder costs time only.
"""
from __future__ import annotations

import marshal
from array import array
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from reportlab import Version as RL_VERSION
from reportlab.pdfbase.ttfonts import TTFNameBytes

from .files import write_atomic

FORMAT = 2
NAMES = ("familyName", "fullName", "name", "styleName", "uniqueFontID")      # TTFNameBytes
PLAIN = ("_pos", "ascent", "bbox", "capHeight", "defaultWidth", "descent", "flags", "fontRevision",
         "italicAngle", "numGlyphs", "stemV", "underlinePosition", "underlineThickness", "unitsPerEm",
         "_full_font", "subfontNameX")
TABLES = ("charWidths", "glyphPos", "glyphToChar", "hmetrics")          # read back when first used
TYPES = {"charToGlyph": dict, "charWidths": dict, "glyphToChar": dict}
PACKED = {"glyphPos": "q", "hmetrics": "q"}          # kept as arrays of 64-bit integers (pairs flattened)


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
    return marshal.dumps(value)


def _path(folder: Path, filename: str, subfont: int) -> Path:
    font = Path(filename)
    st = font.stat()
    return folder / f"{font.stem}-{subfont}-{st.st_size}-{st.st_mtime_ns}-rl{RL_VERSION}-{FORMAT}.marshal"


def save_metrics(face, folder: Path, filename: str, subfont: int) -> None:
    """Keep what ``face`` read (best effort: a cache that cannot be written costs time only)."""
    try:
        data = {"plain": {k: getattr(face, k) for k in PLAIN if hasattr(face, k)},
                "names": {k: bytes(getattr(face, k)) for k in NAMES},
                "units": face.unitsPerEm,
                "tables": {k: _pack(k, getattr(face, k)) for k in ("charToGlyph", *TABLES)}}
        write_atomic(_path(folder, filename, subfont), marshal.dumps(data))
    except (OSError, ValueError, TypeError):
        pass


def load_metrics(face, folder: Path, filename: str, subfont: int) -> bool:
    """Give ``face`` the values kept for its font; False (nothing changed) if there are none."""
    try:
        data = marshal.loads(_path(folder, filename, subfont).read_bytes())
        plain, names, tables = data["plain"], data["names"], data["tables"]
        if not (isinstance(plain, dict) and isinstance(names, dict) and isinstance(tables, dict)
                and set(tables) == {"charToGlyph", *TABLES} and set(names) == set(NAMES)
                and all(isinstance(v, bytes) for v in (*names.values(), *tables.values()))
                and not len(tables["glyphPos"]) % 8 and not len(tables["hmetrics"]) % 16):
            return False
        cmap = _table(tables["charToGlyph"], "charToGlyph")
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
    return True


def _table(blob: bytes, name: str):
    if name in PACKED:                    # (their lengths were checked by load_metrics)
        flat = array(PACKED[name])
        flat.frombytes(blob)
        return Pairs(flat) if name == "hmetrics" else flat
    value = marshal.loads(blob)
    if not isinstance(value, TYPES[name]):
        raise ValueError(f"{name} is not a {TYPES[name].__name__}")
    return value


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
