"""What the fonts in ``fonts/`` can draw, and which one suits a language. No ReportLab here.

A font is found by being there: every ``.ttf``/``.ttc`` under ``fonts/`` with a licence file
(``OFL*``, ``LICEN[SC]E*``, ``COPYING*``, ``COPYRIGHT*``) in its folder. Nothing is listed by hand:

- what a face covers is its ``cmap``; whether it suits a language, whether it covers the language's
  CLDR exemplar characters (ICU's locale data);
- what it was designed for is the OpenType ``meta`` table's ``dlng`` tags, or else, the convention of
  Noto and Source Han, the family name's last word: a region (``JP``, ``KR``, ``HK``), Source Han's
  ``SC``/``TC``, or a CLDR script or language name in English (``Arabic``, ``Hebrew``, ``Urdu``);
- regular or bold is its ``OS/2`` weight.

Among the faces that cover a language, one designed for the language wins, then one designed for its
script, then one designed for nothing in particular, then the one with most characters of the script.
Reading a font with fontTools costs time, so what was read is cached by file size and modification time.
"""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import icu
from babel import Locale

from . import kept
from .files import write_atomic

INDEX_VERSION = 3
FONT_SUFFIXES = (".ttf", ".ttc")
LICENCE_PREFIXES = ("ofl", "license", "licence", "copying", "copyright")
# Source Han's and Noto CJK's names for their regional designs.
CJK_SUFFIXES = {"SC": "zh_Hans", "TC": "zh_Hant", "HK": "zh_Hant_HK", "JP": "ja", "KR": "ko"}
NEUTRAL = {"Zyyy", "Zinh", "Zzzz"}
# ISO 15924 scripts that are written with others (Japanese: Han, Hiragana, Katakana).
WRITTEN_WITH = {"Jpan": {"Hani", "Hira", "Kana"}, "Kore": {"Hang", "Hani"}, "Hans": {"Hani"}, "Hant": {"Hani"}}


class FontFileError(Exception):
    """A font file that cannot be read or used; ``path`` names it."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Design:
    """A design-language tag: a language, a script, or both (``ja``, ``Arab``, ``zh_Hant``)."""
    language: str = ""
    script: str = ""

    def suits(self, lang: str, script: str) -> int:
        """3: designed for this language; 2: for its script; 0: for something else."""
        base = lang.split("_")[0]
        if self.language and self.language != base:
            return 0
        if self.script and self.script != script and script not in WRITTEN_WITH.get(self.script, ()):
            return 0
        return 3 if self.language else 2


@dataclass(frozen=True)
class FontFace:
    """One face of one font file, as the index knows it."""
    path: str                      # relative to the fonts folder
    number: int                    # face in a collection (.ttc)
    family: str
    bold: bool
    designs: tuple[Design, ...]
    ranges: tuple[tuple[int, int], ...] = field(repr=False)
    scripts: dict = field(repr=False, hash=False, compare=False)
    upem: int = 1000
    win_height: float = 1.0        # (usWinAscent + usWinDescent) / unitsPerEm

    @cached_property
    def _starts(self) -> list[int]:
        return [a for a, _ in self.ranges]

    def covers(self, cp: int) -> bool:
        k = bisect.bisect_right(self._starts, cp) - 1
        return k >= 0 and cp <= self.ranges[k][1]

    def suits(self, lang: str, script: str) -> int:
        return max((d.suits(lang, script) for d in self.designs), default=1)


# Leading (line height as a multiple of the size) that each script's readers expect; scripts with tall
# stacks of marks need more. A font whose own ascent and descent need more gets more (Nastaliq).
SCRIPT_LEADING = {"Latn": 1.45, "Grek": 1.45, "Cyrl": 1.45, "Hebr": 1.5, "Ethi": 1.55, "Thai": 1.7}
DEFAULT_LEADING = 1.6


def leading(lang: str, win_height: float) -> float:
    """Line height for ``lang`` set in a font whose ascent plus descent is ``win_height`` em."""
    return round(max(SCRIPT_LEADING.get(script_of(lang), DEFAULT_LEADING), win_height * 0.85), 3)


@lru_cache(maxsize=1024)
def script_of(lang: str) -> str:
    """The ISO 15924 script of a language, from CLDR likely subtags (``ur`` → ``Arab``), by ICU (its
    data is in the library already loaded; babel's copy is a pickle of all CLDR's global data, tens
    of milliseconds to load); Latin for a language CLDR does not know."""
    parts = lang.replace("-", "_").split("_")
    for part in parts[1:]:
        if len(part) == 4 and part.istitle():
            return part
    try:
        script = icu.Locale("_".join(parts)).addLikelySubtags().getScript() if parts[0] else ""
    except icu.ICUError:          # not a locale ICU can read (a tag planted in a page, say)
        script = ""
    return script if script and script != "Zzzz" else "Latn"


@lru_cache(maxsize=None)
def exemplars(lang: str) -> frozenset[int]:
    """Code points of the language's standard exemplar characters (CLDR, by ICU); empty if unknown."""
    try:
        found = icu.LocaleData(lang).getExemplarSet(0, 0)
    except icu.ICUError:
        return frozenset()
    return frozenset(ord(c) for s in found for c in s if not c.isspace())


@lru_cache(maxsize=None)
def script_of_char(ch: str) -> str:
    return icu.Script.getScript(ch).getShortName()


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, str], dict[str, str]]:
    en = Locale("en")
    scripts = {name.lower(): code for code, name in en.scripts.items()}
    languages = {name.lower(): code for code, name in en.languages.items() if "_" not in code}
    return scripts, languages


def designs_from(meta_dlng: str, family: str) -> tuple[Design, ...]:
    """Design tags from the ``meta`` table's ``dlng``, else from the family name (see module doc)."""
    tags = [t.strip() for t in meta_dlng.split(",") if t.strip()]
    if tags:
        out = []
        for tag in tags:
            parts = tag.replace("-", "_").split("_")
            lang = next((p for p in parts if p.islower() and 2 <= len(p) <= 3), "")
            script = next((p for p in parts if len(p) == 4 and p.istitle()), "")
            out.append(Design(lang, script))
        return tuple(out)
    words = family.split()
    last = words[-1] if len(words) > 1 else ""
    if last in CJK_SUFFIXES:
        tag = CJK_SUFFIXES[last]
        return (Design(tag.split("_")[0], script_of(tag)),)
    scripts, languages = _names()
    if last.lower() in scripts:
        return (Design("", scripts[last.lower()]),)
    if last.lower() in languages:
        return (Design(languages[last.lower()], ""),)
    return ()


def _ranges(cps: list[int]) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for cp in sorted(cps):
        if out and cp == out[-1][1] + 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return tuple((a, b) for a, b in out)


def read_faces(path: Path, rel: str) -> list[FontFace]:
    """Every face of one font file (fontTools, tables read lazily)."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        if path.suffix.lower() == ".ttc":
            with TTCollection(str(path), lazy=True) as coll:
                count = len(coll.fonts)
        else:
            count = 1
        faces = []
        for number in range(count):
            with TTFont(str(path), fontNumber=number, lazy=True) as font:
                if font["post"].isFixedPitch:
                    continue          # a monospaced companion face (WenQuanYi Micro Hei Mono)
                if "glyf" not in font:
                    raise FontFileError(rel, "has PostScript (CFF) outlines, which ReportLab cannot embed: "
                                             "use the TrueType (glyf) build of the font")
                cmap = font.getBestCmap() or {}
                name = font["name"]
                family = str(name.getDebugName(16) or name.getDebugName(1) or path.stem)
                dlng = font["meta"].data.get("dlng", "") if "meta" in font else ""
                os2 = font["OS/2"]
                upem = font["head"].unitsPerEm
                scripts = Counter(script_of_char(chr(cp)) for cp in cmap if cp < 0x110000)
                bold = os2.usWeightClass >= 600 or bool(os2.fsSelection & 0x20) or bool(font["head"].macStyle & 1)
                faces.append(FontFace(rel, number, family, bold,
                                      designs_from(dlng, family), _ranges(list(cmap)), dict(scripts),
                                      upem, (os2.usWinAscent + os2.usWinDescent) / upem))
        return faces
    except FontFileError:
        raise
    except (TTLibError, KeyError, AssertionError, ValueError, EOFError, OSError, IndexError,
            TypeError, AttributeError) as exc:       # fontTools reports damage in many ways
        raise FontFileError(rel, f"cannot be read as a font ({type(exc).__name__}: {exc})") from None


_READ: dict[tuple[str, str], dict] = {}     # what this process has read, by file and stamp


def _has_licence(folder: Path) -> bool:
    return any(p.name.lower().startswith(LICENCE_PREFIXES) for p in folder.iterdir() if p.is_file())


class FontIndex:
    """The faces in one fonts folder, with those that could not be used and why."""

    def __init__(self, folder: Path, cache: Path | None = None):
        self.folder = Path(folder)
        self.cache = cache
        self.faces: list[FontFace] = []
        self.problems: list[FontFileError] = []
        self._chosen: dict[str, str | None] = {}      # language → its family, kept with the index
        self._entries: dict = {}
        self._kept_chosen: dict = {}
        self._load()

    def _load(self) -> None:
        old = self._read_cache()
        entries, changed = {}, False
        files = sorted(p for p in self.folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file()) \
            if self.folder.is_dir() else []
        licensed: dict[Path, bool] = {}
        made: dict[str, list[FontFace]] = {}         # the faces of each kept entry, made once (checking it)
        for path in files:
            rel = path.relative_to(self.folder).as_posix()
            if path.parent not in licensed:
                licensed[path.parent] = _has_licence(path.parent)
            if not licensed[path.parent]:
                self.problems.append(FontFileError(rel, "has no licence file beside it (OFL.txt, LICENSE…): "
                                                        "not used"))
                continue
            st = path.stat()
            stamp = f"{st.st_size}:{st.st_mtime_ns}"
            hit = old.get(rel) or _READ.get((str(path.resolve()), stamp))
            faces = _kept_faces(hit) if isinstance(hit, dict) and hit.get("stamp") == stamp else None
            if faces is not None:
                entries[rel], made[rel] = hit, faces
            else:
                changed = True
                try:
                    entries[rel] = {"stamp": stamp, "faces": [_to_json(f) for f in read_faces(path, rel)]}
                except FontFileError as exc:
                    entries[rel] = {"stamp": stamp, "error": exc.message}
            _READ[(str(path.resolve()), stamp)] = entries[rel]
        for rel, entry in entries.items():
            if "error" in entry:
                self.problems.append(FontFileError(rel, entry["error"]))
            else:
                self.faces.extend(made[rel] if rel in made else map(_from_json, entry["faces"]))
        self._entries = entries
        if changed or set(entries) != set(old):
            self._chosen = {}
            self.keep()

    def _read_cache(self) -> dict:
        if self.cache is None or not self.cache.is_file():
            return {}
        try:
            data = kept.loads(self.cache.read_bytes())
            if data.get("version") != INDEX_VERSION:
                return {}
            chosen = data.get("chosen", {})
            if isinstance(chosen, dict) and chosen.get("icu") == icu.ICU_VERSION \
                    and isinstance(chosen.get("languages"), dict):
                self._chosen = {k: v for k, v in chosen["languages"].items()
                                if isinstance(k, str) and (v is None or isinstance(v, str))}
                self._kept_chosen = dict(self._chosen)
            return data["files"] if isinstance(data["files"], dict) else {}
        except (ValueError, EOFError, KeyError, TypeError, AttributeError):
            return {}                 # a damaged cache is rebuilt

    def keep(self) -> None:
        """Write the index, with the family chosen for each language so far (exemplars from ICU's
        data take milliseconds a language to match against every font)."""
        if self.cache is None:
            return
        try:
            write_atomic(self.cache, kept.dumps({"version": INDEX_VERSION, "files": self._entries,
                                                 "chosen": {"icu": icu.ICU_VERSION, "languages": self._chosen}}))
            self._kept_chosen = dict(self._chosen)
        except OSError:
            pass

    def stamps(self) -> tuple:
        """Each font file of the folder with its size and modification time: what the index was read from."""
        return tuple(sorted((rel, entry["stamp"]) for rel, entry in self._entries.items()))

    def keep_if_changed(self) -> None:
        if self._chosen != self._kept_chosen:
            self.keep()

    # --- choosing -------------------------------------------------------------
    @cached_property
    def families(self) -> dict[str, tuple[FontFace, FontFace | None]]:
        """Family name → (regular face, bold face or None)."""
        by_family: dict[str, dict[bool, FontFace]] = {}
        for face in self.faces:
            by_family.setdefault(face.family, {}).setdefault(face.bold, face)
        return {name: (faces[False], faces.get(True))     # a family needs its regular face (a bold
                for name, faces in sorted(by_family.items()) if False in faces}   # alone is not used)

    def rank(self, lang: str, script: str, need: frozenset[int]) -> list[str]:
        """Families that draw every character of ``need``, best first for ``lang`` in ``script``."""
        ranked = []
        for name, (face, _) in self.families.items():
            if all(face.covers(cp) for cp in need):
                ranked.append((-face.suits(lang, script), -face.scripts.get(script, 0), name))
        return [name for *_, name in sorted(ranked)]

    def primary(self, lang: str) -> str | None:
        """The family that draws ``lang``: covers its exemplar characters, suits it best."""
        if lang not in self._chosen:
            self._chosen[lang] = self._primary(lang)
        chosen = self._chosen[lang]          # (one read from the cache may name a family no longer here)
        return chosen if chosen is None or chosen in self.families else self._primary(lang)

    def _primary(self, lang: str) -> str | None:
        script = script_of(lang)
        need = exemplars(lang)
        ranked = self.rank(lang, script, need)
        if not need:            # no CLDR exemplars: any family with letters of the script
            ranked = [n for n in ranked if self.families[n][0].scripts.get(script)]
        return next(iter(ranked), None)

    @lru_cache(maxsize=4096)
    def for_char(self, ch: str, lang: str) -> str | None:
        """The family that draws ``ch`` inside ``lang`` text when the language's own family lacks it."""
        script = script_of_char(ch)
        if script in NEUTRAL:
            script = script_of(lang)
        return next(iter(self.rank(lang, script, frozenset((ord(ch),)))), None)

    @lru_cache(maxsize=65536)
    def family_for(self, ch: str, lang: str) -> str | None:
        """The family that draws ``ch`` in ``lang`` text: the language's own if it has the character
        (Latin letters and digits go to a Latin family when the language's has no bold face), else
        the best family for the character's script."""
        primary = self.primary(lang)
        if primary is None:
            return None
        own, bold = self.families[primary]
        if own.covers(ord(ch)) and not (bold is None and (script_of_char(ch) == "Latn" or ch.isdigit())):
            return primary
        return self.for_char(ch, lang) or (primary if own.covers(ord(ch)) else None)

    def chain(self, lang: str) -> list[str]:
        """Every family that may draw ``lang`` text, its own first (a CSS font stack)."""
        primary = self.primary(lang)
        rest = [n for n in self.families if n != primary]
        return ([primary] if primary else []) + rest


def _to_json(face: FontFace) -> dict:
    d = asdict(face)
    d["designs"] = [[x.language, x.script] for x in face.designs]
    return d


def _kept_faces(entry: dict) -> list[FontFace] | None:
    """The faces of a kept entry, if it holds them as the index writes them (None: damaged, to be
    read again from its font); an entry that records the font's error has none."""
    if "error" in entry:
        return [] if isinstance(entry["error"], str) else None
    try:
        faces = [_from_json(f) for f in entry["faces"]]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    ok = all(isinstance(r, tuple) and len(r) == 2 and type(r[0]) is int is type(r[1])
             for face in faces for r in face.ranges[:1] + face.ranges[-1:])
    return faces if ok else None


def _from_json(d: dict) -> FontFace:
    return FontFace(d["path"], d["number"], d["family"], d["bold"],
                    tuple(Design(a, b) for a, b in d["designs"]),
                    tuple(map(tuple, d["ranges"])), d["scripts"], d["upem"], d["win_height"])
