"""Editions: large print for every language, and clear print in the standard edition."""
import re

import pytest
from pdfminer.pdftypes import resolve1

from conftest import ROOT
from leaflets.flowables import TextBlock
from leaflets.layout import MARGIN, PAGE, make_styles, story
from leaflets.pipeline import Workspace
from leaflets.project import Project
from leaflets.render import _language_setter, setter_for
from pdfutil import page_texts, pdf_objects, squash

WS = Workspace(Project(ROOT))
LEAFLET = WS.leaflet("botox-migraines")
ALL = WS.languages_of(LEAFLET)
LATIN = ["en", "pl", "ro", "pt", "es", "it", "fr", "lt", "tr", "so"]


def _sizes(path) -> list[float]:
    _, pages = pdf_objects(path)
    content = "".join(b"".join(resolve1(c).get_data() for c in p.contents).decode("latin-1") for p in pages)
    return [float(s) for s in re.findall(r"/F\S+ ([\d.]+) Tf", content)]


def _blocks(lang, edition):
    doc = WS.document(LEAFLET, lang, ALL)
    flows = story(doc, setter_for(doc, WS.fonts), make_styles(WS.fonts.chain(lang).line_height, edition),
                  _language_setter(WS.fonts))
    out = []
    for f in flows:
        out.extend(getattr(f, "content", [f]))
    return [b for b in out if isinstance(b, TextBlock)]


def _full_line_lengths(lang, edition):
    width = PAGE[0] - 2 * MARGIN
    lengths = []
    for block in _blocks(lang, edition):
        if block.label.startswith(("title", "subtitle")) or "." not in block.label:
            continue
        lines = block._set(width)
        for line in lines[:-1]:
            lengths.append(sum(len(p.text) if p is not None else 1 for p, _, _ in line.items))
    return lengths


@pytest.mark.parametrize("lang", ALL)
def test_every_language_has_a_large_print_edition(built, lang):
    path = built / f"botox-migraines-{lang}-large-print.pdf"
    sizes = _sizes(path)
    assert sizes and min(sizes) >= 16
    standard = page_texts(built / f"botox-migraines-{lang}.pdf")
    large = page_texts(path)
    assert len(large) > len(standard)
    if lang != "en":                                     # the same notices as the standard edition
        assert all("Draft translation: not yet checked by a qualified translator." in squash(t) for t in large)


@pytest.mark.parametrize("lang", LATIN)
def test_large_print_lines_are_at_most_70_characters(lang):
    lengths = _full_line_lengths(lang, "large-print")
    assert lengths and max(lengths) <= 70, max(lengths)


@pytest.mark.parametrize("lang", LATIN)
def test_standard_lines_average_at_most_75_characters(lang):
    lengths = _full_line_lengths(lang, "standard")
    assert lengths and sum(lengths) / len(lengths) <= 75, sum(lengths) / len(lengths)


def test_large_print_has_a_blank_line_between_paragraphs():
    styles = make_styles(1.45, "large-print")
    assert styles.body.size >= 16 and styles.heading.size > styles.body.size
    assert styles.body.space_after >= styles.body.size * styles.body.leading


@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_other_languages_statement_is_at_least_14_points(edition):
    statements = [b for b in _blocks("pl", edition) if b.label == "ui.languages.text"]
    assert len(statements) == 2 and all(b.style.size >= 14 for b in statements)


@pytest.mark.parametrize("lang", ["it", "ro", "bn", "en", "pl"])
def test_a_lead_in_stays_on_the_page_of_its_lists_first_item(built, lang):
    doc = WS.document(LEAFLET, lang, ALL)
    pages = [squash(t) for t in page_texts(built / f"botox-migraines-{lang}.pdf")]
    for section in doc.sections:
        for block, following in zip(section.blocks, section.blocks[1:]):
            if block.kind == "paragraph" and following.kind != "paragraph":
                tail = squash(block.text.text)[-25:]
                head = squash(following.title.text)[:20]
                lead = next(i for i, p in enumerate(pages) if tail in p)
                assert head in pages[lead], (section.key, lang)


@pytest.mark.parametrize("lang", ALL)
def test_every_language_has_an_html_edition_built(built, lang):
    from leaflets.html import bcp47
    page = (built / f"botox-migraines-{lang}.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and f'<html lang="{bcp47(lang)}"' in page
    assert "http://" not in page.replace('http-equiv', '') and "https://" not in page   # nothing to fetch
