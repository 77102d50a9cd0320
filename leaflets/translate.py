"""(content model, catalog entries, language) → a translated document.

Pure data in, pure data out: no files, no ReportLab. Dates and language names
come from CLDR through babel. A message without a usable translation either
stops the build (the default) or, when an incomplete build is asked for, is
shown in English *and marked as such*, never silently.
"""
from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.dates import format_date

from .errors import NotPrintableError
from .files import write_atomic
from .markup import escape
from .model import Clinic, Interface, Leaflet, Unit

SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Text:
    key: str
    text: str                 # marked-up text in the document's language
    in_english: bool = False  # shown in English because the translation is missing


@dataclass(frozen=True)
class DocBlock:
    kind: str                 # paragraph | numbered | bullet
    text: Text
    title: Text | None = None
    number: int = 0


@dataclass(frozen=True)
class DocSection:
    key: str
    style: str
    heading: Text | None
    blocks: tuple[DocBlock, ...]


@dataclass(frozen=True)
class Review:
    reviewer: str
    date: _dt.date


@dataclass(frozen=True)
class Document:
    leaflet_id: str
    lang: str
    language_name: str          # in its own script
    english_name: str
    rtl: bool
    state: str                  # source | approved | draft | incomplete
    title: Text
    subtitle: Text | None
    sections: tuple[DocSection, ...]
    clinic_name: str
    contacts: tuple[tuple[str, str], ...]     # (translated label, value)
    footer: tuple[str, ...]                   # reference, version, published, review
    page_label: str                           # "Page {page} of {pages}" translated
    notices: tuple[str, ...]                  # draft/incomplete notice: in the language, then English
    approval: str                             # "Translation checked by …" or ""
    languages_heading: str
    languages_text: tuple[str, ...]           # in the language, then English (if different)
    other_languages: tuple[tuple[str, str], ...]   # (code, name in its own script)
    contacts_heading: str
    meta_subject: str
    keywords: tuple[str, ...] = field(default=())
    keep_whole: tuple[str, ...] = field(default=())   # names and dates never split across lines
    # the language (CLDR code) of texts that may be in English on a translated page, for tagged PDF /Lang
    notice_langs: tuple[str, ...] = field(default=())          # one per notice
    languages_text_langs: tuple[str, ...] = field(default=())  # one per languages_text
    contact_langs: tuple[str, ...] = field(default=())         # one per contact (its label's language)
    english_ui: frozenset[str] = field(default=frozenset())    # interface keys printed in English


_FACTS: dict[str, tuple[str, bool, str]] = {}  # language → (own name, right to left, English name)


def language_facts(lang: str) -> tuple[str, bool, str]:
    """A language's own name, whether it is written right to left, and its English name (CLDR, by
    babel). Loading a locale's CLDR data costs milliseconds (the English names, tens of them), and
    the languages box names every language in every PDF: the facts are kept here, and
    :func:`remember` takes them from an earlier process."""
    facts = _FACTS.get(lang)
    if facts is None:
        loc = Locale.parse(lang)
        name = loc.get_display_name(loc) or lang
        name = name[:1].upper() + name[1:] if loc.language not in ("bn",) else name
        facts = _FACTS[lang] = (name, loc.text_direction == "rtl", loc.english_name or lang)
    return facts


def remember(known: dict) -> None:
    """Take facts found before (``{lang: [name, rtl, english name]}``); anything malformed is ignored."""
    for lang, facts in known.items():
        if (isinstance(lang, str) and isinstance(facts, (list, tuple)) and len(facts) == 3
                and isinstance(facts[0], str) and isinstance(facts[1], bool) and isinstance(facts[2], str)):
            _FACTS.setdefault(lang, (facts[0], facts[1], facts[2]))


def known_facts() -> dict[str, tuple[str, bool, str]]:
    return dict(_FACTS)


_DATES: dict[str, str] = {}      # "locale yyyy-mm-dd" → the long date in that locale (CLDR, by babel)


def long_date(value, locale: str) -> str:
    """``value`` as a long date in ``locale`` (babel loads the locale's CLDR data: kept, as the facts are)."""
    key = f"{locale} {value.isoformat()}"
    text = _DATES.get(key)
    if text is None:
        text = _DATES[key] = format_date(value, format="long", locale=locale)
    return text


def remember_dates(known: dict) -> None:
    """Take long dates found before (``{"locale yyyy-mm-dd": text}``); anything malformed is ignored."""
    for key, text in known.items():
        if isinstance(key, str) and isinstance(text, str) and key.count(" ") == 1:
            _DATES.setdefault(key, text)


def known_dates() -> dict[str, str]:
    return dict(_DATES)


def language_name(lang: str) -> str:
    return language_facts(lang)[0]


def english_name(lang: str) -> str:
    return language_facts(lang)[2]


def is_rtl(lang: str) -> bool:
    return language_facts(lang)[1]


class Translator:
    """Looks texts up in a catalog's {msgctxt: (msgid, msgstr, fuzzy)} mapping."""

    def __init__(self, entries: dict[str, tuple[str, str, bool]] | None):
        self.entries = entries
        self.missing: list[str] = []

    def __call__(self, unit: Unit) -> Text:
        if self.entries is None:
            return Text(unit.key, unit.text)
        found = self.entries.get(unit.key)
        if found and found[1].strip() and not found[2] and found[0] == unit.text:
            return Text(unit.key, found[1])
        self.missing.append(unit.key)
        return Text(unit.key, unit.text, in_english=True)


def build_document(leaflet: Leaflet, interface: Interface, clinic: Clinic, lang: str,
                   entries: dict[str, tuple[str, str, bool]] | None, *, review: Review | None,
                   allow_incomplete: bool = False, other_languages: tuple[tuple[str, str], ...] = ()) -> Document:
    """Translate every unit of ``leaflet`` into ``lang``.

    ``entries`` is None for the source language. Raises NotPrintableError if
    a message is untranslated or fuzzy and ``allow_incomplete`` is false.
    """
    tr = Translator(entries)
    ui = {u.key: tr(u) for u in interface.units}
    title, subtitle = tr(leaflet.title), (tr(leaflet.subtitle) if leaflet.subtitle else None)
    sections = []
    for s in leaflet.sections:
        blocks, number = [], 0
        for b in s.blocks:
            number = number + 1 if b.kind == "numbered" else 0
            blocks.append(DocBlock(b.kind, tr(b.text), tr(b.title) if b.title else None, number))
        sections.append(DocSection(s.key, s.style, tr(s.heading) if s.heading else None, tuple(blocks)))
    if tr.missing and not allow_incomplete:
        raise NotPrintableError(
            f"{len(tr.missing)} message(s) untranslated or fuzzy: {', '.join(tr.missing)}")
    source = entries is None
    state = "source" if source else "incomplete" if tr.missing else "approved" if review else "draft"

    def fmt(key: str, **values) -> str:
        return ui[key].text.format(**{k: escape(str(v)) for k, v in values.items()})

    def english(key: str, **values) -> str:
        return interface.get(key).text.format(**{k: escape(str(v)) for k, v in values.items()})

    formats = clinic.locale if source else lang        # English in the clinic's own locale
    dates = {d: long_date(v, formats) for d, v in
             (("published", leaflet.published), ("review", leaflet.review))}
    footer = (fmt("ui.reference", reference=leaflet.reference), fmt("ui.version", version=leaflet.version),
              fmt("ui.published", date=dates["published"]), fmt("ui.review", date=dates["review"]))
    notices: tuple[str, ...] = ()
    if state in ("draft", "incomplete"):
        key = "ui.draft-notice" if state == "draft" else "ui.incomplete-notice"
        notices = (fmt(key), english(key)) if not ui[key].in_english else (english(key),)
    english_ui = frozenset(k for k, t in ui.items() if t.in_english)
    ui_lang = {k: SOURCE_LANGUAGE if k in english_ui else lang for k in ui}
    approval = ""
    if review and state == "approved":
        approval = fmt("ui.approved", reviewer=review.reviewer,
                       date=long_date(review.date, formats))
    fields = [f for f in ("phone", "email", "website", "address") if getattr(clinic, f)]
    contacts = tuple((ui[f"ui.contact.{f}"].text, escape(getattr(clinic, f))) for f in fields)
    lang_text = (f'{ui["ui.languages.text"].text} {ui["ui.formats.text"].text}',)
    lang_text_langs = (ui_lang["ui.languages.text"],)
    if not source and not ui["ui.languages.text"].in_english:
        lang_text += (f'{interface.get("ui.languages.text").text} {interface.get("ui.formats.text").text}',)
        lang_text_langs += (SOURCE_LANGUAGE,)
    return Document(
        leaflet_id=leaflet.id, lang=lang, language_name=language_name(lang), english_name=english_name(lang),
        rtl=is_rtl(lang), state=state, title=title, subtitle=subtitle, sections=tuple(sections),
        clinic_name=escape(clinic.name), contacts=contacts, footer=footer, page_label=ui["ui.page"].text,
        notices=notices, approval=approval, languages_heading=ui["ui.languages.heading"].text,
        languages_text=lang_text, other_languages=other_languages,
        contacts_heading=ui["ui.contact.heading"].text,
        meta_subject=subtitle.text if subtitle else title.text,
        keywords=(leaflet.reference, f"version {leaflet.version}", f"language {lang}", f"state {state}")
        + ((f"reviewed by {review.reviewer} on {review.date.isoformat()}",) if approval else ()),
        keep_whole=(clinic.name, language_name(lang), *leaflet.do_not_translate, *dates.values()),
        notice_langs=((lang, SOURCE_LANGUAGE) if len(notices) == 2 else (SOURCE_LANGUAGE,) * len(notices)),
        languages_text_langs=lang_text_langs,
        contact_langs=tuple(ui_lang[f"ui.contact.{f}"] for f in fields),
        english_ui=english_ui,
    )


class LanguageFacts:
    """Languages' own names and directions (CLDR) kept from one build to the next: babel loads a
    locale's data for each, and every PDF's languages box names them all."""

    def __init__(self, path: Path):
        from babel import __version__ as babel_version
        self.path, self.version = path, babel_version
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("babel") == babel_version and isinstance(data.get("facts"), dict):
                remember(data["facts"])
                if isinstance(data.get("dates"), dict):
                    remember_dates(data["dates"])
        except (OSError, ValueError):
            pass
        self.before = (known_facts(), known_dates())

    def keep(self) -> None:
        now = (known_facts(), known_dates())
        if now != self.before:
            try:
                write_atomic(self.path, json.dumps({"babel": self.version, "facts": now[0], "dates": now[1]},
                                                   ensure_ascii=False, sort_keys=True).encode("utf-8"))
            except OSError:
                pass
