"""leaflets.posyntax refuses what GNU gettext refuses (msgfmt --check), with the line of the fault."""
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflets.posyntax import syntax_errors

ROOT = Path(__file__).resolve().parents[1]
MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) is not installed")

HEADER = """\
msgid ""
msgstr ""
"Project-Id-Version: posyntax-test 1.0\\n"
"Report-Msgid-Bugs-To: \\n"
"POT-Creation-Date: 2026-01-01 00:00+0000\\n"
"PO-Revision-Date: 2026-01-01 00:00+0000\\n"
"Last-Translator: Test <test@example.org>\\n"
"Language-Team: Japanese <ja@example.org>\\n"
"Language: ja\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

"""
# Every string avoids starting or ending with "n" and there is no format flag, so that the
# mutations below cannot trip msgfmt's non-syntax checks (\n at both ends, format strings).
BODY = """\
# Translator comment.
#. Extracted comment, "quoted".
#: content/botox.yaml:12
#, fuzzy
msgctxt "title"
msgid "Botox for migraines"
msgstr "ボトックス"

#: content/botox.yaml:14
msgid ""
"A long text that "
"continues."
msgstr ""
"Un texte long qui "
"continue."

#| msgid "Old text"
msgid "Current text"
msgstr "Texte actuel"

msgid "Escapes: \\t \\" \\\\ \\101 \\x41 \\a"
msgstr "Échappements : \\t \\" \\\\"

msgid "One file"
msgid_plural "Many files"
msgstr[0] "Fichiers"

msgid "Empty"
msgstr ""

#~ msgid "Obsolete"
#~ msgstr "Obsolète"
"""
VALID = HEADER + BODY
END = VALID.count("\n")            # the last line of VALID; appended text starts at END + 1


def msgfmt(text: str) -> tuple[int, set[int]]:
    """msgfmt --check's exit status and the lines its errors (not warnings) name."""
    fd, name = tempfile.mkstemp(suffix=".po")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
        proc = subprocess.run([MSGFMT, "--check", "-o", os.devnull, name], capture_output=True)
    finally:
        os.unlink(name)
    err = proc.stderr.decode("utf-8", "replace")
    found = re.findall(rf"^{re.escape(name)}:(\d+):(?:\d+:)? (?!\.\.\.|warning)", err, re.M)
    return proc.returncode, {int(n) for n in found}


# (id, text, line we report, line GNU reports when it differs, words of our message)
BROKEN = [
    ("unterminated string (the brief's example)", VALID + 'msgid "broken\nmsgstr "x"\n',
     END + 1, END + 2, "end-of-line within string"),
    ("unterminated string at end of file", VALID + 'msgid "a"\nmsgstr "b', END + 2, None, "end-of-file within string"),
    ("word after the closing quote", VALID + 'msgid "a" junk\nmsgstr "b"\n', END + 1, None, "after the closing quote"),
    ("character after the closing quote", VALID + 'msgid "a";\nmsgstr "b"\n', END + 1, None, "missing 'msgstr'"),
    ("invalid escape \\q", VALID + 'msgid "a\\q"\nmsgstr "b"\n', END + 1, None, "invalid control sequence"),
    ("escape \\? (invalid in GNU 0.21)", VALID + 'msgid "a"\nmsgstr "why\\?"\n', END + 2, None, "invalid control"),
    ("escape \\' (invalid in GNU 0.21)", VALID + "msgid \"a\"\nmsgstr \"it\\'s\"\n", END + 2, None, "invalid control"),
    ("\\x without hex digits", VALID + 'msgid "a\\xg"\nmsgstr "b"\n', END + 1, None, "invalid control sequence"),
    ("continuation string without keyword", VALID + '#. note\n"stray"\n', END + 2, None, "without a keyword"),
    ("unknown keyword msgstrr", VALID + 'msgid "a"\nmsgstrr "b"\n', END + 1, None, "missing 'msgstr'"),
    ("unknown keyword msgid_plurl", VALID + 'msgid "a"\nmsgid_plurl "as"\nmsgstr[0] "b"\n', END + 1, None,
     "missing 'msgstr'"),
    ("stray text line", VALID + "this is not po\n", END + 1, None, 'keyword "this" unknown'),
    ("stray punctuation line", VALID + "= stray\n", END + 1, None, "stray text"),
    ("msgid without msgstr", VALID + 'msgid "a"\n\nmsgid "b"\nmsgstr "c"\n', END + 1, None, "missing 'msgstr'"),
    ("msgstr without msgid", VALID + '# c\nmsgstr "lonely"\n', END + 2, None, "'msgstr' without 'msgid'"),
    ("second msgstr", VALID + 'msgid "a"\nmsgstr "b"\nmsgstr "c"\n', END + 3, None, "'msgstr' without 'msgid'"),
    ("msgctxt not followed by msgid", VALID + 'msgctxt "c"\nmsgstr "x"\n', END + 2, None, "followed by 'msgid'"),
    ("msgctxt at end of file", VALID + 'msgctxt "orphan"\n', END + 1, END + 2, "followed by 'msgid'"),
    ("msgid_plural without msgstr[n]", VALID + 'msgid "a"\nmsgid_plural "as"\n\nmsgid "b"\nmsgstr "c"\n',
     END + 1, None, "missing 'msgstr[]'"),
    ("msgstr[n] without msgid_plural", VALID + 'msgid "a"\nmsgstr[0] "x"\n', END + 1, None, "missing 'msgid_plural'"),
    ("plain msgstr after msgid_plural", VALID + 'msgid "a"\nmsgid_plural "as"\nmsgstr "x"\n', END + 3, None,
     "not plain 'msgstr'"),
    ("first plural index not 0", VALID + 'msgid "a"\nmsgid_plural "as"\nmsgstr[1] "x"\n', END + 3, None, "nonzero"),
    ("plural indices skip one", VALID + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[2] "y"\n', END + 4, None,
     "wrong index"),
    ("keyword without a string", VALID + 'msgid\nmsgstr "a"\n', END + 2, None, "'msgid' needs a string"),
    ("duplicate message", VALID + 'msgid "Current text"\nmsgstr "encore"\n', END + 1, None,
     f"first defined at line {HEADER.count(chr(10)) + 18}"),
    ("duplicate after escapes", VALID + 'msgid "\\103urrent text"\nmsgstr "x"\n', END + 1, None, "duplicate"),
    ("duplicate msgctxt+msgid", VALID + 'msgctxt "title"\nmsgid "Botox for migraines"\nmsgstr "x"\n', END + 2,
     None, "duplicate"),
    ("broken obsolete entry", VALID + '#~ msgid "a"\n#~ msgstr "b\n\n', END + 2, END + 3, "end-of-line"),
    ("obsolete entry with a live msgstr", VALID + '#~ msgid "a"\nmsgstr "b"\n', END + 2, None, "inconsistent"),
    ("broken #| previous string", VALID + '#| msgid "old\nmsgid "a"\nmsgstr "b"\n', END + 1, END + 2, "end-of-line"),
    ("#| not followed by msgid", VALID + '#| msgid "old"\nmsgstr "x"\n', END + 2, None, "followed by 'msgid'"),
    ("comment inside an entry", VALID + 'msgid "a"\n# c\nmsgstr "b"\n', END + 1, None, "missing 'msgstr'"),
    ("NUL byte outside strings", VALID + "\0\n", END + 1, None, "'\\x00'"),
    ("control character outside strings", VALID + "\x01\n", END + 1, None, "'\\x01'"),
    ("EOT byte inside a string", VALID + 'msgid "a\x04b"\nmsgstr "c"\n', END + 1, None, "<EOT>"),
    ("escaped EOT inside a string", VALID + 'msgid "a"\nmsgstr "\\x04"\n', END + 2, None, "<EOT>"),
    ("byte-order mark", "\ufeff" + VALID, 1, None, "'\\ufeff'"),
    ("domain directive", VALID + 'domain "other"\n', END + 1, None, "'domain'"),
]


@pytest.mark.parametrize("text, line, gnu_line, words", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_catalogs_are_refused_at_the_faulty_line(text, line, gnu_line, words):
    errors = syntax_errors(text)
    assert errors, "not refused"
    assert errors[0][0] == line, errors
    assert words in errors[0][1], errors


@needs_msgfmt
@pytest.mark.parametrize("text, line, gnu_line, words", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_msgfmt_refuses_them_too_and_names_the_same_line(text, line, gnu_line, words):
    status, lines = msgfmt(text)
    assert status != 0
    assert (gnu_line or line) in lines, lines


ACCEPTED = [
    ("valid catalog", VALID),
    ("CRLF line ends", VALID.replace("\n", "\r\n")),
    ("no final newline", VALID.rstrip("\n")),
    ("blank lines inside entries", VALID + 'msgid "a"\n\n\nmsgstr "b"\n\n\n'),
    ("keywords and strings on one line", VALID + 'msgid "a" "b" msgstr "c"\n'),
    ("blanks, tabs, FF and VT", VALID + 'msgid "a"\t\f\v\n msgstr\t"b" \r\n'),
    ("backslash-newline inside a string", VALID + 'msgid "a\\\nb"\nmsgstr "c"\n'),
    ("control characters inside strings", VALID + 'msgid "a\x01\x7f\r"\nmsgstr ""\n'),
    ("all GNU escapes", VALID + 'msgid "\\n\\t\\b\\r\\f\\v\\a\\\\\\"\\0\\12\\123\\x1\\xAbC"\nmsgstr ""\n'),
    ("EOT after a NUL is not seen by GNU", VALID + 'msgid "a\\0\\x04"\nmsgstr ""\n'),
    ("#~| previous in an obsolete entry", VALID + '#~| msgid "x"\n#~ msgid "y"\n#~ msgstr "z"\n'),
    ("empty #~ and #| lines", VALID + "#~\n#|\n"),
    ("comments with quotes and backslashes", VALID + '# "\\q \\\n#. \x00 "\n'),
    ("empty translation", VALID + 'msgctxt ""\nmsgid "Empty"\nmsgstr ""\n'),
]


@pytest.mark.parametrize("text", [a[1] for a in ACCEPTED], ids=[a[0] for a in ACCEPTED])
def test_what_gnu_accepts_is_not_flagged(text):
    assert syntax_errors(text) == []
    if MSGFMT:
        assert msgfmt(text)[0] == 0


SHIPPED = sorted(ROOT.glob("locales/**/*.po")) + sorted(ROOT.glob("locales/*.pot"))


@pytest.mark.parametrize("path", SHIPPED, ids=[str(p.relative_to(ROOT)) for p in SHIPPED])
def test_shipped_catalogs_have_no_syntax_errors(path):
    assert syntax_errors(path.read_text(encoding="utf-8")) == []


def test_there_are_shipped_catalogs():
    assert len(SHIPPED) > 1


# ---- Hypothesis: random damage to VALID, judged by msgfmt --check -------------------------------

# Mutations stay after the header's end and the first keyword of BODY: a string put before the
# first keyword would continue the header's msgstr and change the header, which msgfmt checks
# beyond syntax.
FIRST = VALID.index("msgctxt")
FIRST_LINE = VALID.count("\n", 0, FIRST) + 1
KEYWORD_LINE = re.compile(r"^(#[~|] ?)?(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\b")
SPECIAL = ['"', "\\", "\0", "\x04", "#", "~", "|", "[", "]", "0", "1", "x", "n", "\r", "\t", " ", "\n", "\ufeff"]
chars = st.text(st.sampled_from(SPECIAL) | st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=3)
lines = st.sampled_from([
    'msgid "x"', 'msgstr "y"', 'msgctxt "c"', 'msgid_plural "p"', 'msgstr[0] "z"', 'msgstr[3] "z"', '"more"',
    'msgstrr "y"', 'msgid_plurl "p"', "msgid", "msgstr", 'domain "d"', '#~ msgid "x"', '#~ msgstr "y"',
    '#| msgid "x"', '#| msgctxt "c"', '#~| msgid "x"', "# comment", "#. extracted", "#: file:1", "#, fuzzy",
    '"unterminated', 'msgid "bad \\q"', 'msgstr "eot \\004"', "stray text", "", "   ", "\\", "#~", "#|",
]) | st.text(st.sampled_from(SPECIAL) | st.characters(blacklist_categories=("Cs",)), max_size=12).map(
    lambda s: s.replace("\n", " "))


@st.composite
def mutated(draw):
    text = VALID
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["quote", "line", "drop", "duplicate", "chars"]))
        rows = text.split("\n")
        if kind == "quote" and '"' in text[FIRST:]:
            spots = [i for i in range(FIRST, len(text)) if text[i] == '"']
            at = draw(st.sampled_from(spots))
            text = text[:at] + text[at + 1:]
        elif kind == "line":
            at = draw(st.integers(FIRST_LINE, len(rows)))
            text = "\n".join(rows[:at] + [draw(lines)] + rows[at:])
        elif kind == "drop":
            spots = [i for i in range(FIRST_LINE - 1, len(rows)) if KEYWORD_LINE.match(rows[i])]
            if spots:
                del rows[draw(st.sampled_from(spots))]
                text = "\n".join(rows)
        elif kind == "duplicate":
            entries = text[FIRST:].split("\n\n")
            text += "\n" + draw(st.sampled_from(entries)) + "\n"
        else:
            at = draw(st.integers(FIRST, len(text)))
            text = text[:at] + draw(chars) + text[at:]
    return text


@needs_msgfmt
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_refused_exactly_when_msgfmt_refuses(text):
    assert (syntax_errors(text) == []) == (msgfmt(text)[0] == 0)


po_like = st.text(st.sampled_from(list('msgidtrx_plural[]0123 "\\#~|.,:\n\t\r\0\x04é')) | st.characters(
    blacklist_categories=("Cs",)), max_size=300)


@settings(max_examples=300, deadline=None)
@given(st.one_of(po_like, mutated(), st.text()))
def test_never_raises_and_lines_are_in_the_file(text):
    errors = syntax_errors(text)
    count = max(1, text.count("\n") + (not text.endswith("\n")))
    assert all(isinstance(m, str) and m and 1 <= n <= count for n, m in errors), errors
    assert [n for n, _ in errors] == sorted(n for n, _ in errors)


def test_pathological_5mb_catalog_is_checked_in_one_linear_pass():
    """Long lines of quotes and backslashes. No timing is asserted; the lexer does no work per
    character in Python and no regex can backtrack, so this runs in a fraction of a second."""
    n = 100_000
    chunks = [
        VALID,
        'msgid "' + '\\"' * n + '"\nmsgstr "' + '\\\\' * n + '"\n\n',   # escaped quotes, backslashes
        'msgid "x"\nmsgstr ' + '"" ' * n + '\n\n',                       # many adjacent strings
        'msgid ' + '"\\"" ' * (n // 4) + '\nmsgstr "y"\n\n',                # ... in a msgid
        "#. " + '"\\' * n + "\n",                                           # a comment of them
        '"' * (2 * n + 1) + "\n",                                           # quotes everywhere
        "\\" * n + "x\n",                                                   # backslashes outside strings
        'msgid "z"\nmsgstr "' + "\\" * (2 * n + 1) + "\n",                  # unterminated, odd run
    ]
    text = "".join(chunks)
    text = text * (5_000_000 // len(text) + 1)
    assert len(text) >= 5_000_000
    errors = syntax_errors(text)
    assert errors and all(1 <= n <= text.count("\n") for n, _ in errors)
    assert any("end-of-line within string" in m for _, m in errors)
