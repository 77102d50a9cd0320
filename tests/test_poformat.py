"""leaflets.poformat writes catalogs byte for byte as GNU msgcat (gettext 0.21) does."""
import difflib
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflets.poformat import format_catalog

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(ROOT.glob("locales/**/*.po")) + sorted(ROOT.glob("locales/*.pot"))
needs_msgcat = pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU msgcat not installed")

# Realistic leaflet material: prose in every script the project ships, and the odd things
# patient leaflets carry (URLs, e-mail, phone numbers, tags, placeholders, quotes, dashes).
WORDS = """Migraines are a debilitating neurological condition, affecting millions; worldwide.
Ärzte Behandlung möglich? élève côté d’un garçon! İlaç şişe Żółć don't it's l’été
Мигрень — это изнурительное неврологическое заболевание, лечение: возможно?
Οι ημικρανίες είναι εξουθενωτική πάθηση; Θεραπεία, φάρμακα.
الصداع النصفي حالة عصبية منهكة، مُعَالَجَة البوتوكس؟ درد شقیقہ ایک اعصابی حالت ہے۔
מיגרנות הן מצב נוירולוגי מתיש. טיפול בבוטוקס? על-ידי כן,
माइग्रेन एक दुर्बल करने वाली तंत्रिका संबंधी स्थिति है। बोटॉक्स मदद
মাইগ্রেন একটি দুর্বলকারী স্নায়বিক অবস্থা। চিকিৎসা
ஒற்றைத் தலைவலி என்பது பலவீனப்படுத்தும் நரம்பியல் நிலை. பாதிக்கிறது,
ไมเกรนเป็นภาวะทางระบบประสาท ส่งผลกระทบต่อผู้คนหลายล้านคนทั่วโลก การรักษาด้วยโบท็อกซ์
ማይግሬን፡ ሚልዮናት ሰባት ዝጸልዎ። ሕማም ኣብ ዓለም፣ ፍወሳ፧ 편두통은 신경 질환입니다.""".split()
SPECIAL = ["https://www.nhs.uk/conditions/migraine/", "info@example.org", "+44 (0)20 7946 0958",
           "0800 123 4567", "<b>", "</b>", "<b>BOTOX</b>", "{date}", "{page}", "10%", "1,000",
           "3.5", "e.g.", "i.e.", "(see", "p. 3)", "—", "–", "-", "/", "and/or", "24/7", "“BOTOX”",
           "«", "»", "„Hallo“", "‘quoted’", '"dq"', "…", "€12.50", "mg/ml", "•", "®", "°C", "x=1"]
CJK = ("偏头痛是一种使人衰弱的神经系统疾病，影响着全世界数百万人。肉毒杆菌毒素治疗：“有效吗？”（注射）"
       "《说明书》片頭痛は、世界中の人々に影響を与える神経疾患です。ボトックス注射「効果」ぁぃっゃ。ＢＯＴＯＸ１０％")
CJK_RUNS = [CJK[i:i + n] for i in range(0, len(CJK), 3) for n in (1, 4, 12, 40)]   # no spaces
SEPARATORS = ["\n", "\t", '"', "\\", "  ", " — ", "-", "/", ", ", "\n\n"]
TOKENS = [w + " " for w in WORDS + SPECIAL] * 3 + WORDS + SPECIAL + CJK_RUNS + SEPARATORS
TEXT = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)     # one draw per token: fast
LINE = st.lists(st.sampled_from(WORDS + SPECIAL), min_size=1, max_size=25).map(" ".join)
COMMENT = st.lists(LINE | st.just(""), min_size=1, max_size=3).map("\n".join)
# polib's reader drops a translator comment's leading empty lines and every empty "#." line
POLIB_COMMENT = st.tuples(LINE, st.lists(LINE | st.just(""), max_size=2)).map(
    lambda t: "\n".join([t[0], *t[1]]))
POLIB_DOT = st.lists(LINE, min_size=1, max_size=3).map("\n".join)
PATH = st.sampled_from(["content/botox-migraines.yaml", "content/a-very-long-directory-name/leaflet.yaml",
                        "leaflets/cli.py", "x.yaml"])
OCCURRENCE = st.tuples(PATH, st.integers(1, 99999).map(str) | st.just(""))


@st.composite
def entries(draw, strict: bool):
    """One POEntry.  strict: only what survives both msgcat and polib's reader unchanged."""
    msgid = draw(TEXT) or "x"
    plural = draw(st.booleans()) and draw(st.integers(0, 5)) == 0
    msgstr = draw(TEXT if not strict else TEXT.filter(bool) | st.just(""))
    obsolete = draw(st.integers(0, 7)) == 0
    if strict and obsolete:
        msgstr = msgstr or "x"            # msgcat drops obsolete entries without a translation
    e = polib.POEntry(msgid=msgid, msgctxt=draw(st.none() | LINE), obsolete=obsolete)
    if plural:
        e.msgid_plural = draw(TEXT) or "xs"
        e.msgstr_plural = {0: msgstr, 1: draw(TEXT), 2: draw(TEXT)}
    else:
        e.msgstr = msgstr
    e.tcomment = draw(st.just("") | (POLIB_COMMENT if strict else COMMENT))
    e.comment = draw(st.just("") | (POLIB_DOT if strict else COMMENT))
    e.occurrences = draw(st.lists(OCCURRENCE, max_size=12, unique=strict))   # msgcat drops repeats
    fuzzy = draw(st.booleans()) and (bool(msgstr) or not strict)   # msgcat drops fuzzy on msgstr ""
    e.flags = [f for f, on in (("fuzzy", fuzzy),
                               ("python-brace-format", draw(st.booleans())),
                               ("no-wrap", draw(st.integers(0, 9)) == 0)) if on]
    if not strict and draw(st.integers(0, 9)) == 0:
        e.flags.insert(0, draw(st.sampled_from(["wrap", "made-up-flag", "possible-c-format"])))
    if draw(st.integers(0, 3)) == 0 and not (strict and obsolete):   # polib cannot read "#~|"
        e.previous_msgid = draw(TEXT) or "old"
        e.previous_msgctxt = draw(st.none() | LINE)
        if plural:
            e.previous_msgid_plural = draw(TEXT) or "olds"
    return e


@st.composite
def catalogs(draw, strict: bool = False):
    po = polib.POFile()
    po.header = draw(st.just("") | (POLIB_COMMENT if strict else COMMENT))
    po.metadata = {"Project-Id-Version": "botox-migraines 1.0",
                   "Language": draw(st.sampled_from(["fr", "ar", "zh_Hans", "ti"])),
                   "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit",
                   "Plural-Forms": "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);",
                   "X-Note": draw(LINE)}
    po.metadata_is_fuzzy = draw(st.booleans())
    for e in draw(st.lists(entries(strict), min_size=1, max_size=25,
                           unique_by=lambda e: (e.msgctxt, e.msgid))):
        po.append(e)
    return po


def msgcat(text: str) -> str:
    # --force-po changes no byte of the layout: without it msgcat writes nothing at all for
    # a catalog that holds only the header entry.
    run = subprocess.run(["msgcat", "--force-po", "-"], input=text.encode(), capture_output=True,
                         check=True)
    return run.stdout.decode()


def assert_msgcat_keeps(text: str) -> None:
    out = msgcat(text)
    diff = "\n".join(difflib.unified_diff(text.splitlines(), out.splitlines(),
                                          "format_catalog", "msgcat", lineterm="", n=1))
    assert out == text, diff[:4000]


@needs_msgcat
@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(catalogs())
def test_msgcat_leaves_output_unchanged(po):
    text = format_catalog(po)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert_msgcat_keeps(text)


@needs_msgcat
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_catalogs_are_msgcat_stable(path):
    text = format_catalog(polib.pofile(str(path)))
    assert_msgcat_keeps(text)
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", "-"], input=text.encode(),
                           capture_output=True)
    assert check.returncode == 0, check.stderr.decode()


def test_there_are_shipped_catalogs():
    assert any(p.suffix == ".pot" for p in SHIPPED) and any(p.suffix == ".po" for p in SHIPPED)


FIELDS = ("msgid", "msgstr", "msgctxt", "msgid_plural", "msgstr_plural", "tcomment", "comment",
          "occurrences", "flags", "previous_msgctxt", "previous_msgid", "previous_msgid_plural",
          "obsolete")


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(catalogs(strict=True))
def test_polib_reads_back_every_field(po):
    back = polib.pofile(format_catalog(po))
    assert (back.header, back.ordered_metadata(), bool(back.metadata_is_fuzzy)) == \
        (po.header, po.ordered_metadata(), bool(po.metadata_is_fuzzy))
    want = [e for e in po if not e.obsolete] + [e for e in po if e.obsolete]
    assert len(back) == len(want)
    for old, new in zip(want, back):
        for field in FIELDS:
            assert getattr(new, field) == getattr(old, field), (field, old.msgid)


def test_gnu_layout_examples():
    """Spaces stay at the line end, lines fill up to 79 columns, CJK counts 2 (checked with msgcat)."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Migraines are a debilitating neurological condition that affects "
                                  "millions of individuals worldwide.", msgstr="",
                            flags=["python-brace-format", "fuzzy"],
                            occurrences=[("./content/botox-migraines.yaml", "024")]))
    po.append(polib.POEntry(msgid="偏头痛" * 30, msgstr="a\nb", obsolete=True))
    assert format_catalog(po) == (
        'msgid ""\n'
        'msgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'
        "\n"
        "#: content/botox-migraines.yaml:24\n"
        "#, python-brace-format\n"
        'msgid ""\n'
        '"Migraines are a debilitating neurological condition that affects millions of "\n'
        '"individuals worldwide."\n'
        'msgstr ""\n'
        "\n"
        '#~ msgid ""\n'
        f'#~ "{"偏头痛" * 12}偏"\n'
        f'#~ "头痛{"偏头痛" * 11}偏头"\n'
        f'#~ "痛{"偏头痛" * 5}"\n'
        '#~ msgstr ""\n'
        '#~ "a\\n"\n'
        '#~ "b"\n')
