"""Fitting the standard edition (fitting.py): fewer pages, never smaller text, nothing lost.

The baseline is computed here, by laying each leaflet out with fitting off; nothing is hard-coded.
That every message is still printed is checked by test_text_layer.py (every message read back from
every built PDF, by poppler and by pdfium).
"""
import dataclasses
import sys
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from conftest import ROOT
from fill import last_page_fill
from leaflets.errors import LayoutError
from leaflets.fitting import BALANCED, NORMAL, SNUG, TIGHT
from leaflets.layout import make_styles
from leaflets.markup import plain_text
from leaflets.pipeline import Workspace
from leaflets.project import Project
from leaflets.render import render_pdf
from leaflets.translate import DocBlock, Text
from pdfutil import page_texts, squash
from tagutil import marked_texts, norm, structure
from test_editions import _sizes

WS = Workspace(Project(ROOT))
LEAFLET = WS.leaflet("botox-migraines")
ALL = WS.languages_of(LEAFLET)


def _document(lang):
    return WS.document(LEAFLET, lang, ALL)


@pytest.fixture(scope="module")
def untightened():
    """lang → (PDF bytes, pages) laid out as it comes, without fitting."""
    return {lang: render_pdf(_document(lang), WS.fonts, "standard", fit=False) for lang in ALL}


@pytest.mark.parametrize("lang", ALL)
def test_never_more_pages_than_the_untightened_layout(built, untightened, lang):
    pages = len(page_texts(built / f"botox-migraines-{lang}.pdf"))
    assert pages <= untightened[lang][1]


def test_pages_are_saved_and_no_last_page_is_mostly_empty(built, untightened, tmp_path):
    before, after, empty_before, empty_after = 0, 0, 0, 0
    for lang in ALL:
        path = tmp_path / f"{lang}.pdf"
        path.write_bytes(untightened[lang][0])
        pages, fill = last_page_fill(path)
        fitted_pages, fitted_fill = last_page_fill(built / f"botox-migraines-{lang}.pdf")
        before, after = before + pages, after + fitted_pages
        empty_before += fill < 0.5
        empty_after += fitted_fill < 0.5
        if fitted_pages == pages:           # not fitted: never emptier than it was
            assert fitted_fill >= fill - 0.01, lang
    assert after < before
    assert empty_after < empty_before
    assert empty_after == 0 or empty_before == 0


@pytest.mark.parametrize("lang", ALL)
def test_text_sizes_are_those_of_the_untightened_layout(built, untightened, lang, tmp_path):
    """Fitting changes space, never a text size: body text 12 pt, nothing smaller."""
    path = tmp_path / "plain.pdf"
    path.write_bytes(untightened[lang][0])
    fitted = _sizes(built / f"botox-migraines-{lang}.pdf")
    assert min(fitted) == 12
    assert max(set(fitted), key=fitted.count) == 12          # the body's size is the most used one
    assert set(fitted) == set(_sizes(path))


@pytest.mark.parametrize("lang", ALL)
def test_same_tagged_text_as_the_untightened_layout(built, untightened, lang, tmp_path):
    """What a screen reader reads (the structure tree's text, in reading order, page furniture
    left out) is exactly that of the untightened layout: only the page breaks moved."""
    path = tmp_path / "plain.pdf"
    path.write_bytes(untightened[lang][0])

    def heard(p):
        marks = marked_texts(p).marks
        return [(n.role, norm(n.text(marks))) for n in structure(pikepdf.open(p)).walk()
                if n.role in ("H1", "H2", "H3", "P", "LBody")]
    fitted = heard(built / f"botox-migraines-{lang}.pdf")
    assert fitted and fitted == heard(path)


@pytest.mark.parametrize("lang", ALL)
def test_the_names_list_never_stands_alone_on_the_last_page(built, lang):
    """The other-languages box is not split to leave its names alone on the last page."""
    doc = _document(lang)
    last = squash(page_texts(built / f"botox-migraines-{lang}.pdf")[-1])
    assert squash(doc.languages_heading) in last


@pytest.mark.parametrize("spacing", [NORMAL, SNUG, TIGHT, BALANCED], ids=lambda s: s.name)
def test_every_spacing_keeps_the_clear_print_rules(spacing):
    st = make_styles(1.45, "standard", spacing)
    assert st.body.size == 12 and st.body.leading == 1.45
    assert st.heading.size >= 1.2 * st.body.size
    assert st.body.space_after >= st.body.size / 2                  # a paragraph gap
    assert st.heading.space_before > st.heading.space_after          # a heading goes with its text
    assert spacing.padding >= 10 and spacing.between_boxes >= 8
    for field in ("heading_before", "heading_after", "paragraph", "padding", "before_contact"):
        assert getattr(TIGHT, field) <= getattr(spacing, field) <= getattr(NORMAL, field)


def _grown(lang, words):
    """The leaflet with one more paragraph of ``words`` words at the end of its first section."""
    doc = _document(lang)
    first = doc.sections[0]
    extra = DocBlock("paragraph", Text("test.extra", " ".join(["migraine"] * words)))
    sections = (dataclasses.replace(first, blocks=first.blocks + (extra,)),) + doc.sections[1:]
    return dataclasses.replace(doc, sections=sections)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_last_page_holding_only_the_boxes_is_saved(lang):
    """Grow the leaflet word by word until its untightened layout spills onto one more page:
    that page then holds only the back matter's boxes, and the fitted leaflet needs one page fewer."""
    def pages(words):
        return render_pdf(_grown(lang, words), WS.fonts, "standard", fit=False)[1]
    base = pages(0)
    low, high = 0, 16
    while pages(high) == base:          # pages(low) == base < pages(high)
        low, high = high, high * 2
        assert high < 5000
    while high - low > 1:               # the fewest words that make one more page
        middle = (low + high) // 2
        low, high = (middle, high) if pages(middle) == base else (low, middle)
    doc = _grown(lang, high)
    plain, plain_pages = render_pdf(doc, WS.fonts, "standard", fit=False)
    assert plain_pages == base + 1
    last = squash(_texts(plain)[-1])
    article = [plain_text(b.text.text) for s in doc.sections for b in s.blocks]
    assert not [t for t in article if squash(t)[:40] in last]           # only the boxes
    fitted, fitted_pages = render_pdf(doc, WS.fonts, "standard")
    assert fitted_pages == base
    assert squash(" ".join(_texts(fitted))).count("migraine") == squash(" ".join(_texts(plain))).count("migraine")


def _texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


def test_a_box_taller_than_a_page_is_still_reported_by_the_layout():
    """Fitting's dry run meets the too-tall box first: the layout's own error, naming it, still comes out."""
    doc = _document("en")
    k = next(i for i, s in enumerate(doc.sections) if s.style == "summary")
    summary = doc.sections[k]
    huge = DocBlock("paragraph", Text("test.huge", " ".join(["migraine"] * 3000)))
    sections = list(doc.sections)
    sections[k] = dataclasses.replace(summary, blocks=summary.blocks + (huge,))
    with pytest.raises(LayoutError, match="summary"):
        render_pdf(dataclasses.replace(doc, sections=tuple(sections)), WS.fonts, "standard")
