"""Translation checks: markup, clinical tokens, names, placeholders, whitespace.

Plain functions of (source, translation) → problems, like babel's checkers.
They protect patients: a dose, a phone number or a brand name must survive
translation, and translator text may carry only the tags its source carries.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .errors import MarkupError
from .markup import parse_markup, tag_counts

URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>]*[^\s<>.,;:!?)\]]", re.I)
EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE_RE = re.compile(r"(?<!\w)\+?\d[\d ()-]{6,}\d(?!\w)")
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
PLACEHOLDER_RE = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Problem:
    severity: str       # error | warning
    code: str           # markup, tags, number, url, email, phone, name, placeholder, whitespace
    message: str


def _ascii_digits(text: str) -> str:
    """Native digits (٣, ৩, ३ …) → ASCII, so a number written natively still counts."""
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in text)


def _strip_tokens(text: str) -> str:
    for rx in (URL_RE, EMAIL_RE, PLACEHOLDER_RE):
        text = rx.sub(" ", text)
    return text


def check_message(source: str, translation: str, names: tuple[str, ...] = ()) -> list[Problem]:
    """Everything wrong with one translation of ``source``."""
    problems: list[Problem] = []
    try:
        parse_markup(translation)
    except MarkupError as exc:
        return [Problem("error", "markup", exc.message)]
    if tag_counts(source) != tag_counts(translation):
        problems.append(Problem("error", "tags", f"tags differ from the English: expected "
                                f"{_show(tag_counts(source))}, found {_show(tag_counts(translation))}"))
    for code, rx in (("url", URL_RE), ("email", EMAIL_RE), ("placeholder", PLACEHOLDER_RE)):
        missing = Counter(rx.findall(source)) - Counter(rx.findall(translation))
        extra = Counter(rx.findall(translation)) - Counter(rx.findall(source))
        if missing:
            problems.append(Problem("error", code, f"{code} missing: {', '.join(sorted(missing))}"))
        if extra and code == "placeholder":
            problems.append(Problem("error", code, f"unknown placeholder: {', '.join(sorted(extra))}"))
    src_plain = _strip_tokens(source)
    tr_plain = _ascii_digits(_strip_tokens(translation))
    for phone in PHONE_RE.findall(src_plain):
        if re.sub(r"\D", "", phone) not in re.sub(r"\D", "", tr_plain):
            problems.append(Problem("error", "phone", f"phone number {phone.strip()} missing"))
    src_numbers = Counter(NUMBER_RE.findall(PHONE_RE.sub(" ", src_plain)))
    tr_numbers = Counter(n.replace(",", ".") for n in NUMBER_RE.findall(PHONE_RE.sub(" ", tr_plain)))
    for number in src_numbers:
        if tr_numbers[number.replace(",", ".")] < src_numbers[number]:
            problems.append(Problem("error", "number", f"number {number} missing or changed"))
    for name in names:
        if source.count(name) > translation.count(name):
            problems.append(Problem("error", "name", f"“{name}” must appear unchanged "
                                    f"({source.count(name)}× in the English, {translation.count(name)}× here)"))
    if source[:1].isspace() != translation[:1].isspace() or source[-1:].isspace() != translation[-1:].isspace():
        problems.append(Problem("warning", "whitespace", "leading or trailing spaces differ from the English"))
    return problems


def _show(counts: Counter) -> str:
    return " ".join(f"{t}×{n}" for t, n in sorted(counts.items())) or "none"
