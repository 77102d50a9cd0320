"""Write .po/.pot text exactly as GNU gettext 0.21 ``msgcat`` writes it.

``format_catalog(po)`` serialises a polib.POFile to the text that ``msgcat``
(default options: page width 79) prints for that same catalog, so running
msgcat over the result changes no byte.  Why: polib's own wrapping differs
(textwrap moves the space to the start of the next line, knows no UAX #14
break rules and counts every character as one column), while Poedit,
msgcat, msgmerge and msginit all wrap the GNU way at 79 columns; writing
GNU's layout keeps catalogs byte-stable whichever of these tools a
translator runs, and keeps diffs small.

What it mirrors: gettext's write-po.c (``wrap()``, ``message_print()``,
``message_print_obsolete()``) and libunistring 1.0's ``u8_width_linebreaks``
(greedy: a break is put at the last opportunity before a piece that would
pass the width).  Break opportunities come from ICU's UAX #14 line breaker;
``_fix()`` adjusts the few places where ICU (Unicode 16 rules) and
libunistring 1.0 (Unicode 14 rules, plus quirks) disagree in realistic text.

msgcat normalises some things, and so does this writer, so that its output is
a fixed point: unknown flags and ``wrap`` are dropped, format flags are put in
gettext's order after ``fuzzy``, ``possible-X-format`` becomes
``X-format``, ``fuzzy`` is dropped from a live entry whose (first) msgstr is
empty, an obsolete entry with an empty (first) msgstr is dropped, a leading
``./`` is removed from references, repeated references are dropped and line
numbers lose leading zeros.
Not handled (never seen in this project's catalogs): gettext's rule not to
break inside c-format/python-format directives (python-brace directives
like ``{name}`` hold no UAX #14 break opportunity anyway), file names with
spaces, raw control characters other than the escaped ones, and catalogs
in a charset other than UTF-8.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import icu
import polib

PAGE_WIDTH = 79
_ESC = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v",
        "\\": "\\", '"': '"'}
_FORMATS = ("c objc python python-brace java java-printf csharp javascript scheme lisp "
            "elisp librep ruby sh awk lua object-pascal smalltalk qt qt-plural kde "
            "kde-kuit boost tcl perl perl-brace php gcc-internal gfc-internal ycp").split()
_BREAKER = icu.BreakIterator.createLineInstance(icu.Locale.getRoot())
_LB = icu.UProperty.LINE_BREAK
_SHORT = icu.UPropertyNameChoice.SHORT_PROPERTY_NAME
_ALPHA = ("AL", "HL", "SA", "AI")


@lru_cache(maxsize=None)
def _cls(ch: str) -> str:
    """UAX #14 line-break class of a character (ICU's data)."""
    return icu.Char.getPropertyValueName(_LB, icu.Char.getIntPropertyValue(ch, _LB), _SHORT)


@lru_cache(maxsize=None)
def _width(ch: str) -> int:
    """Columns of a character, as libunistring's uc_width for UTF-8."""
    if ch in "\u0cbf\u0cc6":                # Kannada vowel signs I, E: spacing there
        return 1
    if (unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc") or ch == "\u200b"
            or "\u1160" <= ch <= "\u11ff" or "\ud7b0" <= ch <= "\ud7ff"):   # Hangul jamo
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _base(t: str, i: int) -> int:
    """Index of the character before position i, skipping combining marks (LB9)."""
    j = i - 1
    while j > 0 and _cls(t[j]) in ("CM", "ZWJ") and _cls(t[j - 1]) != "SP":
        j -= 1
    return j


def _fix(t: str, i: int, icu_says: bool) -> bool:
    """Whether libunistring 1.0 has a break opportunity before t[i], given ICU's answer.

    Each rule below is a difference found by comparing ICU 77 with libunistring
    1.0's u8_possible_linebreaks (through ctypes) on prose in all the leaflet
    scripts and on URLs, e-mail addresses, numbers, tags, placeholders, quotes
    and dashes.  Left alone (they need a combining mark after a space, a dash
    or punctuation, or ZWJ/ZW next to spaces): a handful of pairs such as
    "( ◌्" and "א◌्–x".
    """
    b = _base(t, i)
    before, after = _cls(t[b]), _cls(t[i])
    if _cls(t[i - 1]) == "ZWJ" or after in ("SP", "ZW"):
        return False                       # LB8a ZWJ ×, LB7 × SP, × ZW
    if _cls(t[i - 1]) == "ZW":
        return True                        # LB8 ZW ÷, before the quote rules below
    if before == "SA" and after == "SA":
        return False                       # libunistring has no Thai/Lao/Khmer dictionary
    if before == "IS" and after in _ALPHA:
        return True                        # libunistring quirk: "example.|com", "e.|g."
    if before in ("IS", "SY") and after in ("PR", "PO"):
        return True                        # "1.|%", "12.50/|$": ICU's LB25 regex joins them
    if before in ("HY", "BA") and after in _ALPHA and (b == 0 or _cls(t[b - 1]) in ("SP", "GL", "ZW")):
        return True                        # ICU's LB20a (no break after a word-initial hyphen) is newer
    if before in ("HY", "BA") and b > 0 and _cls(t[_base(t, b)]) == "HL":
        # Unicode 14 LB21a: HL (HY | BA) ×  ("על-ידי"); libunistring sees no HL through a CM
        return _cls(t[b - 1]) != "HL" and (icu_says or after in _ALPHA)
    if (before, after) in (("CL", "PR"), ("CL", "PO"), ("CP", "PR"), ("CP", "PO"),
                           ("PR", "OP"), ("PO", "OP"), ("SY", "NU")):
        return False                       # Unicode 14 LB25 pairs; ICU uses LB25's regex form
    if before == "SP":
        j = b
        while j > 0 and _cls(t[j - 1]) == "SP":
            j -= 1
        first = _cls(t[_base(t, j)]) if j > 0 else "SP"
        if after == "IS" or (first == "QU" and after == "OP"):
            return False                   # Unicode 14: × IS (ICU: LB15c), QU SP* × OP
        if first == "CP" and after in ("NS", "CJ"):
            return True                    # libunistring applies LB16 (CP SP* × NS) without spaces only
        if "QU" in (first, after) and first != "OP" and after not in (
                "SP", "CL", "CP", "EX", "SY", "WJ", "ZW", "CM", "ZWJ"):
            return True                    # ICU's LB15a/LB15b (quotes and spaces) are newer
        return icu_says
    if after == "QU" or before == "QU":
        return False                       # Unicode 14 LB19: × QU, QU ×  (ICU: LB19a East Asian)
    return icu_says


def _breaks(t: str) -> list[bool]:
    """brk[i]: may a line break before t[i]?  t is an escaped portion."""
    _BREAKER.setText(t)
    u16, pos = {}, 0
    for i, ch in enumerate(t):             # ICU reports UTF-16 offsets
        u16[pos] = i
        pos += 2 if ord(ch) > 0xFFFF else 1
    icu_brk = {u16[p] for p in _BREAKER if p in u16}
    lead = len(t) - len(t.lstrip(" "))    # libunistring: no break after leading spaces
    brk = [i > lead and _fix(t, i, i in icu_brk) for i in range(len(t))]
    for m in re.finditer(r"\\.", t):       # never inside an escape sequence
        brk[m.start() + 1] = False
    if t.endswith("\\n"):
        brk[len(t) - 2] = False            # nor right before the final \n
    return brk


def _cuts(t: str, width: int, col: int) -> list[int]:
    """libunistring's u8_width_linebreaks: where the portion t gets broken."""
    cuts, last, piece = [], None, 0
    for i, ok in enumerate(_breaks(t)):
        if ok:
            if last is not None and col + piece > width:
                cuts.append(last)
                col = 0
            last, col, piece = i, col + piece, 0
        piece += _width(t[i])
    if last is not None and col + piece > width:
        cuts.append(last)
    return cuts


def _wrap(prefix: str, name: str, value: str, wrap: bool = True) -> list[str]:
    """write-po.c's wrap(): the lines of a keyword and its quoted string."""
    width = (PAGE_WIDTH if wrap else 1 << 30) - 1 - (len(prefix) + 1)
    parts = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    out, first = [], True
    for n, part in enumerate(parts):
        t = "".join("\\" + _ESC[c] if c in _ESC else c for c in part)
        col = len(name) + 1 if first else 0
        cuts = _cuts(t, width, col)
        if first and t and (n < len(parts) - 1 or col > width or cuts):
            out.append(f'{prefix}{name} ""')
            first, cuts = False, _cuts(t, width, 0)
        bounds = [0, *cuts, len(t)]
        for k in range(len(bounds) - 1):
            head = f"{name} " if first else ""
            out.append(f'{prefix}{head}"{t[bounds[k]:bounds[k + 1]]}"')
            first = False
    return out


def _flags(e: polib.POEntry, fuzzy: bool, obsolete: bool) -> tuple[list[str], bool]:
    """GNU's #, line (in GNU's order) and whether the strings are wrapped."""
    formats, rng, wrap = {}, None, True
    for f in e.flags:
        m = re.fullmatch(r"(no-|possible-|impossible-)?(.+)-format", f)
        if m and m.group(2) in _FORMATS:
            formats[m.group(2)] = m.group(1)
        elif re.fullmatch(r"range: *\d+\.\.\d+", f) and not obsolete:
            rng = "range: " + f.split(":", 1)[1].strip()
        elif f in ("wrap", "no-wrap"):
            wrap = f == "wrap"
    out = ["fuzzy"] if fuzzy else []
    out += [("no-" if formats[k] == "no-" else "") + k + "-format"
            for k in _FORMATS if k in formats and formats[k] != "impossible-"]
    out += [rng] if rng else []
    out += [] if wrap else ["no-wrap"]
    return out, wrap


def _entry(e: polib.POEntry, header: str | None = None) -> str | None:
    """One entry (header=the header entry's msgstr), as msgcat prints it."""
    strs = ([e.msgstr_plural[k] for k in sorted(e.msgstr_plural, key=int)]
            if e.msgid_plural else [e.msgstr if header is None else header]) or [""]
    if e.obsolete and not strs[0]:
        return None                        # msgcat drops an obsolete entry without msgstr
    lines = ["#" + (" " + c if c else "") for c in e.tcomment.split("\n")] if e.tcomment else []
    lines += ["#." + (" " + c if c else "") for c in e.comment.split("\n")] if e.comment else []
    refs, col, seen = "", 2, set()
    for path, line in e.occurrences:
        line = int(line) if str(line).isdigit() else None
        if (path, line) in seen:
            continue                       # msgcat keeps each reference once
        seen.add((path, line))
        while path.startswith("./"):
            path = path[2:]
        ref = path if line is None else f"{path}:{line}"
        w = len(ref.encode()) + 1
        if col > 2 and col + w > PAGE_WIDTH:
            refs, col = refs + "\n#:", 2
        refs, col = refs + " " + ref, col + w
    lines += ["#:" + refs] if refs else []
    flags, wrap = _flags(e, "fuzzy" in e.flags and (e.obsolete or bool(strs[0])), e.obsolete)
    lines += ["#, " + ", ".join(flags)] if flags else []
    prev, pre = ("#~| ", "#~ ") if e.obsolete else ("#| ", "")
    for name in ("msgctxt", "msgid", "msgid_plural"):
        if getattr(e, "previous_" + name) is not None:
            lines += _wrap(prev, name, getattr(e, "previous_" + name), wrap)
    if e.msgctxt is not None:
        lines += _wrap(pre, "msgctxt", e.msgctxt, wrap)
    lines += _wrap(pre, "msgid", e.msgid, wrap)
    if e.msgid_plural:
        lines += _wrap(pre, "msgid_plural", e.msgid_plural, wrap)
        for i, s in enumerate(strs):
            lines += _wrap(pre, f"msgstr[{i}]", s, wrap)
    else:
        lines += _wrap(pre, "msgstr", strs[0], wrap)
    return "\n".join(lines) + "\n"


def format_catalog(po: polib.POFile) -> str:
    """The catalog as GNU msgcat 0.21 writes it (page width 79), ending in one newline.

    Entry order is polib's: header, live entries in list order, then obsolete ones.
    The header is built from po.metadata with polib's key order (ordered_metadata()).
    """
    meta = "".join(f"{k}: {v}\n" for k, v in po.ordered_metadata())
    head = polib.POEntry(msgid="", tcomment=po.header,
                         flags=["fuzzy"] if po.metadata_is_fuzzy else [])
    entries = [_entry(head, meta)]
    entries += [_entry(e) for e in po if not e.obsolete]
    entries += [_entry(e) for e in po if e.obsolete]
    return "\n".join(x for x in entries if x is not None)
