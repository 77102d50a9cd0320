"""The accessible HTML version: structure, untrusted text, embedded fonts, and the pages in headless Chromium.

The browser tests open the pages in Debian's ``chromium`` with networking disabled, over the DevTools
protocol (tests/chromium.py), and run axe-core (tests/data/axe-core/axe.min.js, MPL-2.0) with the WCAG 2.1
A and AA rules. Set LEAFLETS_SCREENSHOTS=<folder> to keep a screenshot of every page they open.
"""
import ast
import base64
import dataclasses
import io
import os
import re
import types
from functools import lru_cache
from html.parser import HTMLParser
from itertools import groupby

import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chromium import EXECUTABLE, Browser
from conftest import ROOT
from leaflets import html as html_module
from leaflets.errors import MarkupError
from leaflets.html import bcp47, body_html, render_html
from leaflets.markup import plain_text
from leaflets.pipeline import Workspace
from leaflets.project import Project
from leaflets.translate import DocBlock, DocSection, Text, is_rtl

FONTS = ROOT / "fonts"
AXE = ROOT / "tests" / "data" / "axe-core" / "axe.min.js"
BROWSER_LANGS = ["en", "ar", "ur", "hi", "zh_Hans"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "main", "footer", "section", "div",
                "h1", "h2", "h3", "p", "ol", "ul", "li", "strong", "span", "address", "a"}
CONTACTS = (("Phone", "+44 (0)20 7946 0000"), ("Email", "clinic@example.org"),
            ("Website", "www.example.org/botox"), ("Address", "1 High Street, London &amp; Kent"))


def _workspace():
    return Workspace(Project(ROOT))


@lru_cache(maxsize=None)
def _languages():
    ws = _workspace()
    return tuple(ws.languages_of(ws.leaflet("botox-migraines")))


@lru_cache(maxsize=None)
def _document(lang):
    ws = _workspace()
    leaflet = ws.leaflet("botox-migraines")
    return ws.document(leaflet, lang, ws.languages_of(leaflet))


@lru_cache(maxsize=None)
def _page(lang):
    return render_html(_document(lang), FONTS)


# --- a small DOM ---------------------------------------------------------------------------

class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def all(self, tag):
        return [n for n in self.iter() if n.tag == tag]

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent


class Tree(HTMLParser):
    VOID = {"meta", "link", "br", "hr", "img", "input", "wbr"}

    def __init__(self, source):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#document", {}, None)
        self.feed(source)
        self.close()
        assert self.cur is self.root, f"<{self.cur.tag}> is not closed"

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in self.VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        assert tag == self.cur.tag, f"</{tag}> closes <{self.cur.tag}>"
        self.cur = self.cur.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def squash(text):
    return re.sub(r"\s+", " ", text).strip()


def _reading_order(doc):
    """Every text of the document, as a reader meets it."""
    texts = [doc.clinic_name, doc.language_name, *doc.notices, doc.title.text]
    texts += [doc.subtitle.text] if doc.subtitle else []
    for s in doc.sections:
        texts += [s.heading.text] if s.heading else []
        for b in s.blocks:
            texts += ([b.title.text] if b.title else []) + [b.text.text]
    texts += [doc.contacts_heading, doc.clinic_name]
    for label, value in doc.contacts:
        texts += [label, value]
    texts += [doc.languages_heading, *doc.languages_text, *(name for _, name in doc.other_languages)]
    return texts + [*doc.footer] + ([doc.approval] if doc.approval else [])


def _lists(doc):
    """(tag, number of items) of every list of the article, in order."""
    out = []
    for s in doc.sections:
        for kind, group in groupby(s.blocks, key=lambda b: b.kind):
            if kind in ("numbered", "bullet"):
                out.append(("ol" if kind == "numbered" else "ul", len(list(group))))
    return out


# --- structure -----------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _body(lang):
    """The page's body (what render_html puts between <body> and </body>), without the fonts: fast."""
    return Tree(f"<body>{body_html(_document(lang))}</body>").root


@pytest.mark.parametrize("lang", BROWSER_LANGS)
def test_page_language_direction_head_and_landmarks(lang):
    doc = _document(lang)
    page = _page(lang)
    assert page.startswith("<!doctype html>\n") and f"<body>\n{body_html(doc)}\n</body>" in page
    (html,) = Tree(page).root.all("html")
    assert html.attrs == {"lang": bcp47(lang), "dir": "rtl" if doc.rtl else "ltr"}
    (head,) = html.all("head")
    assert {"charset": "utf-8"} in [m.attrs for m in head.all("meta")]
    assert any(m.attrs.get("name") == "viewport" for m in head.all("meta"))
    assert head.all("title")[0].text() == plain_text(doc.title.text)
    assert "<script" not in page and "<link" not in page and "url(http" not in page and " src=" not in page
    (body,) = html.all("body")
    assert [c.tag for c in body.children if isinstance(c, Node)] == ["header", "main", "footer"]


@pytest.mark.parametrize("lang", _languages())
def test_structure_matches_the_document(lang):
    doc = _document(lang)
    root = _body(lang)
    assert len(root.all("main")) == 1
    (h1,) = root.all("h1")
    assert squash(h1.text()) == squash(plain_text(doc.title.text))
    headings = [s.heading.text for s in doc.sections if s.heading] + [doc.contacts_heading, doc.languages_heading]
    assert [squash(h.text()) for h in root.all("h2")] == [squash(plain_text(t)) for t in headings]
    (main,) = root.all("main")
    content_lists = [n for n in main.iter() if n.tag in ("ol", "ul") and not n.all("li")[0].attrs.get("lang")]
    assert [(n.tag, len([c for c in n.children if isinstance(c, Node)])) for n in content_lists] == _lists(doc)
    titles = [b.title.text for s in doc.sections for b in s.blocks if b.kind != "paragraph"]
    assert [squash(h.text()) for h in root.all("h3")] == [squash(plain_text(t)) for t in titles]
    assert all(h3.parent.tag == "li" for h3 in root.all("h3"))
    ids = {n.attrs["id"]: n for n in root.iter() if "id" in n.attrs}
    boxes = [n for n in root.all("section") if "aria-labelledby" in n.attrs]
    assert [n.attrs["class"] for n in boxes] == ["box summary", "box contact", "box languages"]
    for box in boxes:
        assert ids[box.attrs["aria-labelledby"]].tag == "h2" and ids[box.attrs["aria-labelledby"]].parent is box


@pytest.mark.parametrize("lang", _languages())
def test_every_text_in_reading_order_with_its_language(lang):
    doc = _document(lang)
    root = _body(lang)
    (body,) = root.all("body")
    text = squash(body.text())
    pos = 0
    for item in _reading_order(doc):
        want = squash(plain_text(item))
        found = text.find(want, pos)
        assert found >= 0, (want, text[pos:pos + 200])
        pos = found + len(want)
    for node in body.iter():                   # every stretch in a language has its direction too
        if "lang" in node.attrs:
            assert node.attrs.get("dir") in ("ltr", "rtl"), node.attrs
    others = [(n.attrs["lang"], n.attrs["dir"], n.text()) for n in body.all("li") if "lang" in n.attrs]
    assert others == [(bcp47(c), "rtl" if is_rtl(c) else "ltr", name) for c, name in doc.other_languages]
    meta = [squash(li.text()) for li in root.all("footer")[0].all("li")]
    assert meta == [squash(plain_text(t)) for t in (*doc.footer, doc.approval) if t]


@pytest.mark.parametrize("lang", _languages())
def test_draft_notice_near_the_top_in_the_language_then_english(lang):
    doc = _document(lang)
    root = _body(lang)
    notes = [n for n in root.iter() if n.attrs.get("role") == "note"]
    if doc.state in ("source", "approved"):
        assert not notes
        return
    (note,) = notes
    (main,) = root.all("main")
    assert note.parent is main and main.children.index(note) < main.children.index(root.all("h1")[0])
    assert squash(note.text()) == squash(" ".join(plain_text(n) for n in doc.notices))
    english = [n for n in note.iter() if n.attrs.get("lang") == "en"]
    assert english and english[-1].attrs["dir"] == "ltr"
    assert squash(english[-1].text()) == squash(plain_text(doc.notices[-1]))


def test_english_fallback_texts_are_marked_english():
    doc = _document("ar")
    sec = doc.sections[1]
    block = dataclasses.replace(sec.blocks[0], text=Text("x", "Only in <b>English</b>", in_english=True))
    doc = dataclasses.replace(doc, state="incomplete", sections=(dataclasses.replace(sec, blocks=(block,)),),
                              title=Text("title", "English title", in_english=True))
    root = Tree(body_html(doc)).root
    english = [n for n in root.iter() if n.attrs.get("lang") == "en" and "[EN]" in n.text()]
    assert {squash(n.text()) for n in english} == {"[EN] English title", "[EN] Only in English"}
    assert all(n.attrs["dir"] == "ltr" for n in english)


def test_interface_texts_printed_in_english_are_marked_english():
    doc = _document("ar")
    fields = {f.name: getattr(doc, f.name) for f in dataclasses.fields(doc)}
    fields.update(contacts=CONTACTS[:2], contact_langs=("en", "ar"), english_ui=frozenset({"ui.contact.heading",
                  "ui.version"}), notice_langs=("en",), notices=doc.notices[1:], languages_text_langs=("ar",),
                  languages_text=doc.languages_text[:1])
    root = Tree(body_html(types.SimpleNamespace(**fields))).root
    english = [squash(n.text()) for n in root.iter() if n.attrs.get("lang") == "en" and n.tag == "span"]
    assert english == [squash(plain_text(doc.notices[1])), doc.contacts_heading, "Phone", plain_text(doc.footer[1])]


def test_contact_details_are_links():
    doc = dataclasses.replace(_document("en"), contacts=CONTACTS)
    root = Tree(body_html(doc)).root
    links = {a.attrs["href"]: a.text() for a in root.all("a")}
    assert links == {"tel:+4402079460000": "+44 (0)20 7946 0000", "mailto:clinic@example.org": "clinic@example.org",
                     "https://www.example.org/botox": "www.example.org/botox"}
    assert "1 High Street, London & Kent" in root.all("address")[0].text()


# --- untrusted text ------------------------------------------------------------------------

EVIL = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>',
        "<b onclick=alert(1)>x</b>", "</b><iframe src=//example.com>", "<!-- x --><style>*{}</style>",
        "javascript:alert(1)", "&lt;script&gt;", "&quot;&#60;x", "a\x00b\x1bc"]


def _evil_document():
    doc = _document("en")
    blocks = tuple(DocBlock("paragraph", Text(f"p{i}", t)) for i, t in enumerate(EVIL))
    items = tuple(DocBlock("bullet", Text("i", t), Text("t", t)) for t in EVIL[:3])
    return dataclasses.replace(
        doc, title=Text("title", EVIL[0]), subtitle=Text("sub", EVIL[1]), clinic_name=EVIL[2],
        sections=(DocSection('x"><script>', "summary", Text("h", EVIL[3]), blocks + items),),
        contacts=tuple(("<b>" + t, t) for t in EVIL), footer=tuple(EVIL[:4]), notices=tuple(EVIL[4:6]),
        other_languages=(("ar", EVIL[0]), ('x"><script>', EVIL[1]), ("qq", "?")), languages_text=(EVIL[6],),
        contacts_heading=EVIL[7], languages_heading=EVIL[8], approval=EVIL[9], language_name=EVIL[0],
        meta_subject=EVIL[2])


def _assert_inert(page):
    lowered = page.lower()
    for bad in ("<script", "<img", "<svg", "<iframe", "<!--", "<b ", "<i>"):
        assert bad not in lowered, bad
    for node in Tree(page).root.iter():
        assert node.tag in ALLOWED_TAGS | {"#document"}, node.tag
        assert not any(name.startswith("on") or name in ("src", "style") for name in node.attrs), node.attrs
        assert not node.attrs.get("href", "").lower().startswith("javascript"), node.attrs


def test_planted_markup_is_shown_as_text_never_as_markup():
    page = render_html(_evil_document(), FONTS)
    _assert_inert(page)
    assert page.count("<style>") == 1
    root = Tree(page).root
    text = root.all("body")[0].text()
    for t in EVIL[:7]:
        assert t in text                                   # the reader sees exactly what was written
    assert "<script>" in text and "ab" in text and "\x00" not in page
    csp = [m.attrs["content"] for m in root.all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0] and "script-src" not in csp[0]


def test_only_b_becomes_strong():
    doc = _document("en")
    sec = DocSection("s", "normal", None, (DocBlock("paragraph", Text("p", "a <b>b &amp; c</b> &lt;d&gt;")),))
    page = body_html(dataclasses.replace(doc, sections=(sec,)))
    assert "<p>a <strong>b &amp; c</strong> &lt;d&gt;</p>" in page


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=40), st.lists(st.sampled_from(
    ["<", ">", "/", "b", "<b>", "</b>", "&", ";", "amp", "lt", "#60", "script", " ", '"', "'", "=", "on", "é",
     "\u202e", "\x00", "\r"]), max_size=20).map("".join)))
def test_any_text_is_inert_and_shown_as_written(text):
    doc = _document("en")
    sec = DocSection("s", "normal", None, (DocBlock("paragraph", Text("p", text)),))
    body = body_html(dataclasses.replace(doc, sections=(sec,)))
    root = Tree(body).root
    for node in root.iter():
        assert node.tag in ALLOWED_TAGS | {"#document"} and not any(a.startswith("on") for a in node.attrs)
    try:
        expected = plain_text(text)
    except MarkupError:   # not valid markup: shown literally
        expected = text
    expected = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", expected)
    paragraph = root.all("main")[0].all("section")[0].all("p")[0]
    assert paragraph.text() == expected


# --- fonts and size ------------------------------------------------------------------------

def _faces(page):
    found = re.findall(r"@font-face\{font-family:'(\w+)';font-style:normal;font-weight:(\d+);font-display:block;"
                       r"src:url\(data:font/(\w+);base64,([A-Za-z0-9+/=]+)\) format\('(\w+)'\)\}", page)
    return [(family, int(weight), TTFont(io.BytesIO(base64.b64decode(data))), flavor)
            for family, weight, flavor, data, _ in found]


@pytest.mark.parametrize("lang", BROWSER_LANGS)
def test_fonts_are_embedded_subsets_covering_every_character(lang):
    page = _page(lang)
    faces = _faces(page)
    assert faces and page.count("@font-face") == len(faces)
    assert all(f.flavor == html_module.FLAVOR and flavor == html_module.FLAVOR for _, _, f, flavor in faces)
    covered = set().union(*(f.getBestCmap() for _, _, f, _ in faces))
    text = Tree(page).root.all("body")[0].text()
    assert {c for c in text if not c.isspace()} - {chr(u) for u in covered} == set()
    assert "url(http" not in page and "@import" not in page
    assert len(page.encode()) < (400_000 if lang == "ur" else 200_000)
    if lang == "zh_Hans":
        (wqy,) = [f for family, _, f, _ in faces if family == "WenQuanYiMicroHei"]
        han = {c for c in text if "\u4e00" <= c <= "\u9fff"}
        assert len(han) <= len(wqy.getBestCmap()) < len(han) + 200     # only the characters used


@pytest.mark.parametrize("lang", ["en", "zh_Hant"])
def test_each_language_is_set_in_the_family_its_pdf_uses(lang):
    """Every language on the page (its own, and each name in the languages box) has the family the
    PDF draws it with first in its font stack, and that family embedded: Traditional Chinese in
    Noto Sans TC, not in the Simplified design of WenQuanYi (a BCP 47 tag, zh-Hant, was once looked
    up where the font index knows CLDR's zh_Hant, and missed)."""
    page = _page(lang)
    embedded = {family for family, _, _, _ in _faces(page)}
    stacks = dict(re.findall(r'\[lang="([A-Za-z0-9-]+)"\]\{font-family:([^;]*);', page))
    assert set(_languages()) <= {tag.replace("-", "_") for tag in stacks}
    fonts = _workspace().fonts
    for tag, stack in stacks.items():
        primary = html_module._css_name(fonts.chain(tag.replace("-", "_")).primary_name)
        assert stack.split(",")[0] == f"'{primary}'", tag
        assert primary in embedded, tag
    assert stacks["zh-Hant"].startswith("'NotoSansTC'")


def test_html_module_imports_no_reportlab_yaml_or_po_reader():
    tree = ast.parse((ROOT / "leaflets" / "html.py").read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not {n for n in names if n.split(".")[0] in ("reportlab", "yaml", "polib", "uharfbuzz")}


def test_output_is_repeatable():
    html_module.subset_font.cache_clear()
    assert render_html(_document("ar"), FONTS) == _page("ar")


# --- in the browser ------------------------------------------------------------------------

AXE_RUN = ("axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})"
           ".then(r => ({violations: r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map("
           "n => n.target.join(' ') + ': ' + n.failureSummary)})), incomplete: r.incomplete.map(v => v.id),"
           " passes: r.passes.map(v => v.id)}))")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not EXECUTABLE:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    for lang in BROWSER_LANGS:
        (folder / f"botox-migraines-{lang}.html").write_text(_page(lang), encoding="utf-8")
    with_contacts = dataclasses.replace(_document("en"), contacts=CONTACTS)
    (folder / "botox-migraines-en-contacts.html").write_text(render_html(with_contacts, FONTS), encoding="utf-8")
    (folder / "bad.html").write_text(
        '<!doctype html><title>bad</title><p style="color:#bbb">faint</p><img src="http://example.com/x.png">'
        '<script>console.error("boom"); fetch("https://example.com/").then(() => document.title = "online",'
        ' () => document.title = "offline")</script>', encoding="utf-8")
    return folder


def _open(browser, pages, name):
    url = (pages / f"{name}.html").as_uri()
    target, session = browser.open(url)
    if os.environ.get("LEAFLETS_SCREENSHOTS"):
        folder = os.environ["LEAFLETS_SCREENSHOTS"]
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{name}.png"), "wb") as fh:
            fh.write(browser.screenshot(session))
    return url, target, session


def _axe(browser, session):
    browser.evaluate(session, AXE.read_text(encoding="utf-8"))
    return browser.evaluate(session, AXE_RUN % WCAG_TAGS)


def test_the_browser_checks_can_fail(browser, pages):
    """The harness sees console errors, requests and violations, and the network is really off."""
    url, target, session = _open(browser, pages, "bad")
    try:
        browser.wait_for(session, "Network.loadingFailed")
        assert browser.evaluate(session, "new Promise(r => setTimeout(() => r(document.title), 3000))") == "offline"
        report = browser.report(session, url)
        assert "boom" in " ".join(report.console)
        assert "http://example.com/x.png" in report.requests
        ids = {v["id"] for v in _axe(browser, session)["violations"]}
        assert {"html-has-lang", "color-contrast", "image-alt"} <= ids
    finally:
        browser.close_page(target)


@pytest.mark.parametrize("name", [*BROWSER_LANGS, "en-contacts"])
def test_page_in_chromium_no_errors_no_requests_no_wcag_violations(browser, pages, name):
    url, target, session = _open(browser, pages, f"botox-migraines-{name}")
    try:
        faces = browser.evaluate(session, "[...document.fonts].map(f => [f.family, f.weight, f.status])")
        assert faces and all(status == "loaded" for _, _, status in faces), faces   # every face used, none broken
        drawn = browser.platform_fonts(session)
        assert drawn and all(f["isCustomFont"] for f in drawn), {f["familyName"] for f in drawn}
        result = _axe(browser, session)
        assert result["violations"] == [], result["violations"]
        assert {"color-contrast", "html-has-lang", "valid-lang", "list", "listitem"} <= set(result["passes"])
        report = browser.report(session, url)
        assert (report.console, report.exceptions, report.log) == ([], [], [])
        assert [u for u in report.requests if not u.startswith("data:font/")] == [url]
    finally:
        browser.close_page(target)


def test_print_stylesheet_a4_with_link_addresses(browser, pages):
    url, target, session = _open(browser, pages, "botox-migraines-en-contacts")
    try:
        pdf = pdfium.PdfDocument(browser.print_pdf(session))
        assert [tuple(round(x) for x in pdf[i].get_size()) for i in range(len(pdf))] == [(595, 842)] * len(pdf)
        text = squash(" ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
        assert "www.example.org/botox <https://www.example.org/botox>" in text
    finally:
        browser.close_page(target)


# --- which characters a page draws: the quick reader against html.parser -----------------------------

_TAGS = ["p", "span", "strong", "h1", "h2", "li", "ul", "ol", "a", "br", "img", "td", "th", "div", "em"]
_TEXT = st.text(st.sampled_from("aé ع中\u00a0&<>\"';#x1-9\n\t"), max_size=12)


@st.composite
def _made_html(draw, depth=0):
    """HTML as leaflets writes it (escaped text, quoted and escaped attributes), now and then with
    what it never writes (raw text and attributes, comments, odd spacing), which must go to the parser."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "element", "element", "raw"] if depth < 3 else ["text", "raw"]))
        if kind == "text":
            parts.append(_escape_html(draw(_TEXT)))
        elif kind == "raw":
            parts.append(draw(st.sampled_from(["<!-- c -->", "<a href=x>", "a < b", "<P LANG=\"he\">", "</p >",
                                               "<br/>", "&amp", "&#1575;", "<script>x<y</script>", ""])))
        else:
            tag = draw(st.sampled_from(_TAGS))
            attrs = ""
            for name in draw(st.lists(st.sampled_from(["lang", "href", "class", "dir"]), max_size=3)):
                value = draw(st.sampled_from(["ar", "en", "zh-Hant", "", "mailto:a@b.c?x=1&y=2", "héllo"]))
                attrs += f' {name}="{_escape_html(value)}"' if draw(st.booleans()) or name != "class" else f" {name}"
            inner = draw(_made_html(depth + 1))
            parts.append(f"<{tag}{attrs}>{inner}</{tag}>" if draw(st.integers(0, 5)) else f"<{tag}{attrs}>{inner}")
    return "\n".join(parts) if draw(st.booleans()) else "".join(parts)


def _escape_html(text):
    from html import escape
    return escape(text, quote=True)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=_made_html(), lang=st.sampled_from(["en", "ar", "ur"]))
def test_characters_drawn_read_quickly_are_what_the_html_parser_reads(page, lang):
    assert html_module.font_usage(page, lang) == html_module._parsed(page, lang)


@pytest.mark.parametrize("lang", ["en", "ar", "zh_Hant", "hi"])
def test_characters_drawn_by_a_leaflet_page_and_the_staff_page_read_quickly_as_parsed(lang, monkeypatch):
    body = body_html(_document(lang))
    assert html_module.font_usage(body, lang) == html_module._parsed(body, lang)
    read = []
    monkeypatch.setattr(html_module, "_parsed", lambda page, lang: read.append(page) or {})
    html_module.font_usage(body, lang)
    assert read == []                      # the page leaflets writes is read without the parser
