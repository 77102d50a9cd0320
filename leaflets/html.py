"""Translated document → one self-contained, accessible HTML page.

The same :class:`Document` the PDF is drawn from, as semantic HTML (header,
main, footer; h1, h2, p, ol, ul, section) for the clinic's web site, e-mail and
screen readers. ``lang`` and ``dir`` are set on the page and on every stretch
in another language. There is no script and nothing is fetched: the fonts the
page needs are embedded, each subset to the characters it draws (the same
font files and fallback order as the PDF, from :mod:`fonts`). Translator text
is untrusted: only ``<b>`` becomes markup (``<strong>``), everything else is
escaped. It reads the font files it embeds and draws nothing with ReportLab
(only the font table comes from :mod:`fonts`). The output depends only on the
document and the fonts, so it is byte-for-byte repeatable.
"""
from __future__ import annotations

import base64
import hashlib
import io
import re
from functools import lru_cache
from html import escape as _escape, unescape
from html.parser import HTMLParser
from importlib.util import find_spec
from itertools import groupby
from pathlib import Path

from babel.core import UnknownLocaleError

from .errors import MarkupError
from .files import write_atomic
from .fontindex import FontIndex, leading
from .markup import Run, parse_markup
from .translate import Document, Text, is_rtl

FLAVOR = "woff2" if find_spec("brotli") else "woff"     # fontTools writes woff2 with brotli, woff with zlib

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_EMAIL = re.compile(r"[^@\s<>\"'&]+@[^@\s<>\"'&]+\.[A-Za-z]{2,}")
_WEB = re.compile(r"(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/[^\s<>\"'&]*)?")
_PHONE = re.compile(r"\+?[\d (),.-]{6,}")
MARKERS = "0123456789.•"            # drawn by the browser for ol/ul, not in the text
BOLD_TAGS = {"h1", "h2", "h3", "strong"}

CSS = """
*,*::before,*::after{box-sizing:border-box}
html{background:#fff;color:#1a1a1a;-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0 auto;max-width:70ch;padding:1rem 1.25rem 2rem;font-size:1.125rem;line-height:var(--lh,1.5)}
p,li{line-height:var(--lh,1.5);margin:0 0 .75em}
h1,h2,h3{color:#0b4f8a;line-height:calc(var(--lh,1.5)*.85);margin:1.4em 0 .5em}
h1{font-size:2rem;margin-top:.6em} h2{font-size:1.5rem} h3{font-size:1.2rem;color:#1a1a1a;margin:0 0 .4em}
.subtitle{font-size:1.3rem;color:#4a4a4a}
.band{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.25em 1em;
 background:#0b4f8a;color:#fff;border-radius:.35rem;padding:.6rem 1rem;margin-bottom:1rem}
.notice{border:3px solid #b00020;background:#fff1f3;color:#8c001a;border-radius:.35rem;padding:.75rem 1rem;
 margin:0 0 1rem}
.band p,.notice p{margin:0} .notice p+p{margin-top:.35em}
ol,ul{padding-inline-start:2.25em;margin:0 0 1em} li{margin-bottom:1em} li>p{margin-bottom:0}
li::marker{color:#0b4f8a;font-weight:700} :lang(zh),:lang(ja){line-break:strict}
.box{border-radius:.35rem;padding:.25rem 1.25rem .5rem;margin:1.5rem 0} .box h2{margin-top:.75rem}
.summary,.contact{background:#eaf2fa} .languages{border:2px solid #0b4f8a}
.languages ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;align-items:baseline;gap:.25em 1.5em}
.languages li{margin:0} address{font-style:normal} .nw{white-space:nowrap} .foreign{--lh:1.5}
a{color:#0b4f8a;text-decoration:underline;text-underline-offset:.15em}
a:focus-visible{outline:3px solid #0b0c0c;outline-offset:0;background:#ffdd00;color:#0b0c0c;text-decoration:none}
.meta{list-style:none;padding:1rem 0 0;margin:2rem 0 0;border-top:2px solid #0b4f8a;color:#4a4a4a;
 display:flex;flex-wrap:wrap;gap:.25em 1.5em;font-size:1rem} .meta li{margin:0}
@media print{@page{size:A4;margin:15mm 18mm}
 html{color:#000} body{max-width:none;padding:0;font-size:12pt}
 h1,h2,h3,a,.subtitle,.meta,li::marker{color:#000}
 .band,.notice,.summary,.contact{background:none;color:#000;border:1.5pt solid #000}
 a[href^="http"]::after{content:" <" attr(href) ">"}
 li,.box,.notice,.band,.meta,address{break-inside:avoid} h1,h2,h3{break-after:avoid}
}
"""


def bcp47(lang: str) -> str:
    """CLDR code → BCP 47 language tag (``zh_Hans`` → ``zh-Hans``)."""
    return lang.replace("_", "-")


def _direction(lang: str) -> str:
    try:
        return "rtl" if is_rtl(lang) else "ltr"
    except (ValueError, UnknownLocaleError):      # not a CLDR locale
        return "ltr"


def _is_english(lang: str) -> bool:
    return lang.replace("-", "_").split("_")[0] == "en"


def _esc(text: str, quote: bool = False) -> str:
    return _escape(_CONTROL.sub("", text), quote=quote)


def _runs(text: str) -> list[Run]:
    """The runs of marked-up text; text that is not valid markup is shown literally, never as markup."""
    try:
        return parse_markup(text, bidi_controls=True)
    except MarkupError:
        return [Run(text)]


@lru_cache(maxsize=16)
def _names(keep_whole: tuple[str, ...]) -> re.Pattern | None:
    names = sorted({n for n in keep_whole if n.strip()}, key=lambda n: (-len(n), n))
    return re.compile("(" + "|".join(map(re.escape, names)) + ")") if names else None


def _kept(text: str, keep: re.Pattern | None) -> str:
    """Escaped text; names and dates that must not be split across lines are kept whole."""
    parts = keep.split(text) if keep else [text]
    return "".join(f'<span class="nw">{_esc(p)}</span>' if i % 2 else _esc(p) for i, p in enumerate(parts))


def _inline(text: str, doc: Document | None = None) -> str:
    """Marked-up text as HTML: <b> becomes <strong>, everything else is escaped text."""
    keep = _names(doc.keep_whole) if doc else None
    return "".join(f"<strong>{_kept(r.text, keep)}</strong>" if r.bold else _kept(r.text, keep)
                   for r in _runs(text))


def _plain(text: str) -> str:
    return "".join(r.text for r in _runs(text))


def _foreign(lang: str, doc: Document) -> bool:
    return bcp47(lang) != bcp47(doc.lang) and not (_is_english(lang) and _is_english(doc.lang))


def _in(lang: str, html: str, doc: Document) -> str:
    """``html`` marked as being in ``lang``, unless the whole page is."""
    return f'<span lang="{_esc(bcp47(lang), True)}" dir="{_direction(lang)}">{html}</span>' \
        if _foreign(lang, doc) else html


def _langs(doc: Document, name: str, count: int, english_last: bool = False) -> list[str]:
    """The language of each of ``count`` texts: as the document says, else the page's (the last one English)."""
    given = list(getattr(doc, name, ()))
    if len(given) == count:
        return given
    return ["en" if english_last and i == count - 1 else doc.lang for i in range(count)]


def _ui(key: str, text: str, doc: Document) -> str:
    """An interface text, marked English where it is printed in English (an incomplete translation)."""
    return _in("en", _inline(text, doc), doc) if key in getattr(doc, "english_ui", ()) else _inline(text, doc)


def _text(t: Text, doc: Document) -> str:
    """A text of the leaflet; one shown in English because its translation is missing is marked [EN]."""
    return _in("en", f"<strong>[EN]</strong> {_inline(t.text, doc)}", doc) if t.in_english else _inline(t.text, doc)


def _paragraphs(texts: tuple[str, ...], langs: list[str], doc: Document, bold: bool = False) -> str:
    """Notices and the languages text: in the language, then in English."""
    out = []
    for text, lang in zip(texts, langs):
        html = f"<strong>{_inline(text, doc)}</strong>" if bold else _inline(text, doc)
        out.append(f'<p class="foreign">{_in(lang, html, doc)}</p>' if _foreign(lang, doc) else f"<p>{html}</p>")
    return "\n".join(out)


def _contact(value: str) -> str:
    """A contact detail, as a tel:, mailto: or web link where it is one."""
    plain = _plain(value).strip()
    href = ""
    if _EMAIL.fullmatch(plain):
        href = "mailto:" + plain
    elif _WEB.fullmatch(plain) and not plain.replace(".", "").isdigit():
        href = plain if plain.startswith(("http://", "https://")) else "https://" + plain
    elif _PHONE.fullmatch(plain) and sum(c.isdigit() for c in plain) >= 6:
        href = "tel:" + re.sub(r"[^\d+]", "", plain)
    return f'<a href="{_esc(href, True)}" dir="ltr">{_esc(plain)}</a>' if href else _inline(value)


def _blocks(section, doc: Document) -> list[str]:
    out = []
    for kind, group in groupby(section.blocks, key=lambda b: b.kind):
        group, tag = list(group), {"numbered": "ol", "bullet": "ul"}.get(kind)
        if not tag:
            out += [f"<p>{_text(b.text, doc)}</p>" for b in group]
            continue
        start = f' start="{group[0].number}"' if kind == "numbered" and group[0].number != 1 else ""
        items = "".join("<li>" + (f"<h3>{_text(b.title, doc)}</h3>" if b.title else "")
                        + f"<p>{_text(b.text, doc)}</p></li>\n" for b in group)
        out.append(f"<{tag}{start}>\n{items}</{tag}>")
    return out


def body_html(doc: Document) -> str:
    """Header, main and footer: everything the reader sees, in reading order."""
    out = [f'<header class="band"><p><strong>{_inline(doc.clinic_name)}</strong></p>'
           f"<p>{_esc(doc.language_name)}</p></header>", "<main>"]
    if doc.notices:
        langs = _langs(doc, "notice_langs", len(doc.notices), english_last=True)
        out.append(f'<div class="notice" role="note">{_paragraphs(doc.notices, langs, doc, bold=True)}</div>')
    out.append(f"<h1>{_text(doc.title, doc)}</h1>")
    if doc.subtitle:
        out.append(f'<p class="subtitle">{_text(doc.subtitle, doc)}</p>')
    for section in doc.sections:
        ident = _esc(f"s-{section.key}", True)
        boxed = section.style == "summary" and section.heading
        out.append(f'<section class="box summary" aria-labelledby="{ident}">' if boxed else "<section>")
        if section.heading:
            out.append(f'<h2 id="{ident}">{_text(section.heading, doc)}</h2>')
        out += _blocks(section, doc)
        out.append("</section>")
    out += ['<section class="box contact" aria-labelledby="contact">',
            f'<h2 id="contact">{_ui("ui.contact.heading", doc.contacts_heading, doc)}</h2>',
            f"<address><p><strong>{_inline(doc.clinic_name)}</strong></p>"]
    out += [f"<p><strong>{_in(lang, _inline(label), doc)}:</strong> {_contact(value)}</p>"
            for (label, value), lang in zip(doc.contacts, _langs(doc, "contact_langs", len(doc.contacts)))]
    out += ["</address>", "</section>", '<section class="box languages" aria-labelledby="languages">',
            f'<h2 id="languages">{_ui("ui.languages.heading", doc.languages_heading, doc)}</h2>',
            _paragraphs(doc.languages_text, _langs(doc, "languages_text_langs", len(doc.languages_text), True), doc)]
    if doc.other_languages:
        out.append("<ul>" + "".join(
            f'<li lang="{_esc(bcp47(code), True)}" dir="{_direction(code)}">{_esc(name)}</li>'
            for code, name in doc.other_languages) + "</ul>")
    out += ["</section>", "</main>", '<footer><ul class="meta">']
    keys = ("ui.reference", "ui.version", "ui.published", "ui.review", "ui.approved")
    out += [f"<li>{_ui(k, t, doc)}</li>" for k, t in zip(keys, (*doc.footer, doc.approval)) if t] + ["</ul></footer>"]
    return "\n".join(out)


# --- fonts ----------------------------------------------------------------------------

class FontUsage(HTMLParser):
    """Which characters the page draws, per (language, bold)."""
    VOID = {"br", "hr", "img", "meta", "link", "wbr", "input"}

    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.stack = [(lang, False)]
        self._texts: dict[tuple[str, bool], list[str]] = {}

    def add(self, text: str, bold: bool | None = None) -> None:
        lang, in_bold = self.stack[-1]
        self._texts.setdefault((lang, in_bold if bold is None else bold), []).append(text)

    @property
    def chars(self) -> dict[tuple[str, bool], set[str]]:
        """The characters drawn, per (language, bold): spaces kept, other white space not."""
        chars = {key: set("".join(parts)) for key, parts in self._texts.items()}
        for found in chars.values():
            found.difference_update([c for c in found if c != " " and c.isspace()])
        return chars

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a, (lang, bold) = dict(attrs), self.stack[-1]
        self.stack.append((a.get("lang") or lang, bold or tag in BOLD_TAGS))
        if tag == "li" and "lang" not in a:    # list markers; the language names have none
            self.add(MARKERS + " ", bold=True)
        if tag == "a" and a.get("href"):
            self.add(f" <{a['href']}>")          # printed after the link

    def handle_endtag(self, tag):
        if tag not in self.VOID and len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data):
        self.add(data)


_TOKEN = re.compile(r'<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z][-A-Za-z0-9]*(?:="[^"<>]*")?)*)>|([^<&]+|&[^<]*)')
_ATTR = re.compile(r'\s+([A-Za-z][-A-Za-z0-9]*)(?:="([^"]*)")?')


def font_usage(page: str, lang: str) -> dict[tuple[str, bool], set[str]]:
    """:class:`FontUsage`'s answer for ``page``: which characters it draws, per (language, bold).

    HTML made here (tags with quoted attributes, escaped text) is cut into tokens by one pattern
    and handed to FontUsage's own handlers, five to ten times quicker than :mod:`html.parser`
    (a staff page of 1,000 cells took half a second); any other markup (a comment, a script, an
    unquoted attribute, a stray ``<``) is left to the parser."""
    usage = FontUsage(lang)
    pos, end = 0, len(page)
    while pos < end:
        m = _TOKEN.match(page, pos)
        if m is None:
            return _parsed(page, lang)
        pos = m.end()
        closing, tag, attrs, text = m.groups()
        if text is not None:
            usage.handle_data(unescape(text) if "&" in text else text)
            continue
        tag = tag.lower()
        if tag in ("script", "style", "textarea", "title") or (closing and attrs):   # the parser's rules
            return _parsed(page, lang)
        if closing:
            usage.handle_endtag(tag)
        else:
            usage.handle_starttag(tag, [(k.lower(), unescape(v) if v and "&" in v else v)
                                        for k, v in _ATTR.findall(attrs)])
    return usage.chars


def _parsed(page: str, lang: str) -> dict[tuple[str, bool], set[str]]:
    usage = FontUsage(lang)
    usage.feed(page)
    usage.close()
    return usage.chars


def _css_name(family: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", family)


@lru_cache(maxsize=4)
def _index(folder: Path) -> FontIndex:
    return FontIndex(folder)


@lru_cache(maxsize=64)
def subset_font(path: Path, number: int, text: str, cache: Path | None = None) -> bytes:
    """The font at ``path`` cut down to ``text`` (all layout features kept: joining, conjuncts, marks).

    Subsetting costs up to seconds (fontTools, pure Python), so results are kept in ``cache``
    (a folder; keyed by the font file's name, size and time, and the characters), if one is given.
    fontTools is imported only when a subset must be made.
    """
    if cache is not None:
        st = path.stat()
        key = hashlib.sha256(f"{path.name}|{st.st_size}|{st.st_mtime_ns}|{number}|{FLAVOR}|{text}".encode()
                             ).hexdigest()[:32]
        hit = cache / f"{key}.{FLAVOR}"
        if hit.is_file():
            return hit.read_bytes()
        data = subset_font(path, number, text)
        write_atomic(hit, data)
        return data
    from fontTools import subset
    opts = subset.Options(layout_features=["*"], hinting=False, font_number=number, flavor=FLAVOR)
    opts.drop_tables += ["FFTM"]       # FontForge's timestamps: not needed, and fontTools cannot subset them
    with subset.load_font(str(path), opts) as font:
        sub = subset.Subsetter(opts)
        sub.populate(text=text)
        sub.subset(font)
        buf = io.BytesIO()
        subset.save_font(font, buf, opts)
    return buf.getvalue()


def font_css(usage: dict[tuple[str, bool], set[str]], fonts: Path, cache: Path | None = None,
             index: FontIndex | None = None) -> str:
    """@font-face rules for what the page draws, and each language's font stack and line height.
    ``index``: the fonts folder's index if the caller has it (with each language's family already
    chosen: choosing one matches its exemplar characters against every font)."""
    index = index or _index(Path(fonts))
    need: dict[tuple[str, bool], set[str]] = {}
    for (lang, bold), chars in usage.items():
        code = lang.replace("-", "_")        # the index knows CLDR codes (zh_Hant), the page BCP 47 tags
        for ch in chars:
            name = index.family_for(ch, code)
            if name is not None:
                need.setdefault((name, bold and index.families[name][1] is not None), set()).add(ch)
    rules = []
    for (name, bold), chars in sorted(need.items()):
        face = index.families[name][1 if bold else 0]
        data = subset_font(Path(fonts) / face.path, face.number, "".join(sorted(chars)), cache)
        rules.append(f"@font-face{{font-family:'{_css_name(name)}';font-style:normal;font-weight:{700 if bold else 400};"
                     f"font-display:block;src:url(data:font/{FLAVOR};base64,{base64.b64encode(data).decode()}) "
                     f"format('{FLAVOR}')}}")
    used = {name for name, _ in need}
    for lang in sorted({lang for lang, _ in usage if re.fullmatch(r"[A-Za-z0-9-]+", lang)}):
        code = lang.replace("-", "_")
        stack = ",".join(f"'{_css_name(n)}'" for n in index.chain(code) if n in used)
        primary = index.primary(code)
        height = max(1.5, leading(code, index.families[primary][0].win_height if primary else 1.0))
        rules.append(f'[lang="{lang}"]{{font-family:{stack + "," if stack else ""}sans-serif;'
                     f"--lh:{height:g}}}")
    return "\n".join(rules)


def render_html(doc: Document, fonts: Path, cache: Path | None = None, index: FontIndex | None = None) -> str:
    """The leaflet as one self-contained HTML page (fonts from the ``fonts`` folder, subset and embedded;
    subsets kept in the ``cache`` folder if given; ``index``, the folder's index, if the caller has it)."""
    lang = bcp47(doc.lang)
    body = body_html(doc)
    usage = font_usage(body, lang)
    title = _esc(_plain(doc.title.text))
    description = _esc(_plain(doc.meta_subject), True)
    csp = "default-src 'none'; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'"
    return (f'<!doctype html>\n<html lang="{_esc(lang, True)}" dir="{"rtl" if doc.rtl else "ltr"}">\n<head>\n'
            f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n<title>{title}</title>\n'
            f'<meta name="description" content="{description}">\n'
            f"<style>{CSS}{font_css(usage, Path(fonts), cache, index)}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")
