"""The text algorithms against Unicode's own conformance files (Unicode data licence: shipped in tests/data).

BidiCharacterTest.txt and LineBreakTest.txt are Unicode 15.0 (Debian's unicode-data); the engine uses ICU 77
(Unicode 16), so a few lines whose rules changed in 15.1/16.0 fail, hence the thresholds.
"""
from pathlib import Path

from leaflets.unicode_text import BidiParagraph, line_breaks

DATA = Path(__file__).parent / "data" / "unicode"


def test_bidi_character_test_levels_and_visual_order():
    passed = total = 0
    for line in (DATA / "BidiCharacterTest.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cps, direction, _, levels, order = line.split(";")
        text = "".join(chr(int(c, 16)) for c in cps.split())
        para = BidiParagraph(text, {"0": False, "1": True, "2": None}[direction])
        expected = levels.split()
        kept = [i for i, lv in enumerate(expected) if lv != "x"]      # x: removed by rule X9
        levels_ok = all(para.levels[i] == int(expected[i]) for i in kept)
        visual = [i for i in para.visual() if expected[i] != "x"]
        total += 1
        passed += levels_ok and visual == [int(i) for i in order.split()]
    assert total > 90_000
    assert passed / total >= 0.999, f"{passed}/{total}"


def test_line_break_test():
    passed = total = 0
    for line in (DATA / "LineBreakTest.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        text, expected = "", []
        for token in line.split():
            if token == "÷":
                if text:
                    expected.append(len(text))
            elif token != "×":
                text += chr(int(token, 16))
        total += 1
        passed += line_breaks(text) == expected
    assert total > 7_000
    assert passed / total >= 0.995, f"{passed}/{total}"


def test_thai_breaks_only_between_dictionary_words():
    text = "ภาษาไทยเป็นภาษาที่สวยงาม"
    breaks = line_breaks(text, "th")
    assert breaks[-1] == len(text) and len(breaks) >= 4
    words = [text[a:b] for a, b in zip([0] + breaks, breaks)]
    assert "ภาษา" in words and "ไทย" in words and "สวยงาม" in words


def test_astral_characters_keep_code_point_indices():
    text = "a 😀 b مرحبا 𝑥"
    para = BidiParagraph(text, True)
    assert len(para.levels) == len(text) and sorted(para.visual()) == list(range(len(text)))
    assert line_breaks(text)[-1] == len(text)


def test_a_thai_paragraph_breaks_only_where_icus_dictionary_allows():
    """Thai has no spaces between words: the layout breaks lines between dictionary words only."""
    from conftest import ROOT
    from leaflets.fonts import FontLibrary
    from leaflets.text import TextSetter
    text = ("การฉีดโบท็อกซ์อาจช่วยลดความถี่ของอาการปวดศีรษะไมเกรนในผู้ป่วยบางราย "
            "ควรปรึกษาแพทย์ผู้เชี่ยวชาญก่อนตัดสินใจรับการรักษาทุกครั้ง")
    setter = TextSetter(FontLibrary(ROOT / "fonts").chain("th"), False, "th")
    lines = setter.lines(text, 12, 150)
    assert len(lines) >= 3
    allowed = set(line_breaks(text, "th"))
    joined = ""
    for line in lines[:-1]:
        joined += "".join(p.text if p is not None else " " for p, _, _ in line.items)
        end = len(joined)
        while end < len(text) and text[end] == " ":
            end += 1
        assert end in allowed, (joined[-12:], text[end:end + 12])
        joined = text[:end]
