"""How full the last page of each built PDF is, read back from the PDF (pypdfium2).

    python benchmarks/fill.py out/botox-migraines [--json]

For each PDF: its page count and the share of the last page's text frame that holds content:
from the frame's top (below the band, and below the draft notice's box where there is one) down
to the lowest object drawn in the frame above the footer's rule (a text line or a box's edge), over the
frame's height (down to 2 mm above the rule, where the layout's frame ends). Then the count of
last pages more than half empty, and the total of pages, per edition.
"""
from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

MM = 72 / 25.4
BAND_BOTTOM = 841.89 - 12 * MM - 14 * MM      # layout.BAND_TOP, BAND_HEIGHT (A4)
WIDTH = 595.28 - 2 * 25 * MM                   # the frame's width: layout.MARGIN each side


def last_page_fill(path: Path) -> tuple[int, float]:
    """(pages, fill of the last page's frame, 0 to 1)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[len(doc) - 1]
        boxes = [obj.get_bounds() for obj in page.get_objects(max_depth=2)]
        pages = len(doc)
    finally:
        doc.close()
    wide = [b for b in boxes if abs((b[2] - b[0]) - WIDTH) < 4]          # band, notice, rule, boxes
    rule = min(b[1] for b in wide if b[3] - b[1] < 3)                    # the footer's rule: a line
    notice = [b for b in wide if abs(b[3] - (BAND_BOTTOM - 4 * MM)) < 2]
    top = notice[0][1] - 4 * MM if notice else BAND_BOTTOM - 6 * MM
    bottom = (rule + rule) / 2 + 2 * MM
    left = 25 * MM - 3                  # inside the frame: not the text layer's invisible breakers at the edge
    content = [b for b in boxes if b[1] > rule + 1 and b[3] <= top + 1 and b[0] >= left and b[2] <= left + WIDTH + 6]
    lowest = min(b[1] for b in content)
    return pages, max(0.0, min(1.0, (top - lowest) / (top - bottom)))


def survey(folder: Path) -> dict[str, tuple[int, float]]:
    return {p.name: last_page_fill(p) for p in sorted(folder.glob("*.pdf"))
            if not p.name.endswith(("-booklet.pdf", "-bilingual.pdf"))}     # A4, one column: the others


def edition(name: str) -> str:
    return next((e for e in ("large-print", "print") if name.endswith(f"-{e}.pdf")), "standard")


def main(argv: list[str]) -> int:
    found = survey(Path(argv[0]))
    if "--json" in argv:
        print(json.dumps({k: [p, round(f, 3)] for k, (p, f) in found.items()}, indent=1))
        return 0
    for name, (pages, fill) in found.items():
        print(f"{name:48} {pages:2} pages  last page {fill:4.0%} full")
    for ed in ("standard", "large-print", "print"):
        rows = [v for k, v in found.items() if edition(k) == ed]
        if rows:
            fills = [f for _, f in rows]
            print(f"{ed}: {len(rows)} files, {sum(p for p, _ in rows)} pages, "
                  f"last page more than half empty: {sum(f < 0.5 for f in fills)}, "
                  f"fill median {statistics.median(fills):.0%} (min {min(fills):.0%}, max {max(fills):.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
