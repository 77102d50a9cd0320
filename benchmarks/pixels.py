"""Do two builds print the same? python benchmarks/pixels.py DIR_A DIR_B [--dpi 200]

Renders every page of every PDF present in both folders with pdfium (pypdfium2) and
compares the pixels. Prints, per PDF, the pages and how many pixels differ (and by how
much at most, per channel); exit status 1 if any pixel differs.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pypdfium2 as pdfium
from PIL import ImageChops


def pages(path: Path, scale: float):
    doc = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(doc)):
            yield doc[i].render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()


def compare(a: Path, b: Path, scale: float) -> tuple[int, int, int]:
    """(pages, pixels that differ, largest difference of a channel) between two PDFs."""
    n = changed = worst = 0
    for img_a, img_b in zip(pages(a, scale), pages(b, scale), strict=True):
        n += 1
        if img_a.size != img_b.size:
            return n, img_a.size[0] * img_a.size[1], 255
        diff = ImageChops.difference(img_a, img_b)
        if diff.getbbox() is None:
            continue
        grey = diff.convert("L")
        changed += sum(count for level, count in enumerate(grey.histogram()) if level)
        worst = max(worst, max(hi for _, hi in diff.getextrema()))
    return n, changed, worst


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--dpi", type=float, default=200)
    args = ap.parse_args(argv)
    names = sorted(p.name for p in args.a.glob("*.pdf") if (args.b / p.name).exists())
    bad = 0
    for name in names:
        n, changed, worst = compare(args.a / name, args.b / name, args.dpi / 72)
        bad += bool(changed)
        print(f"{name:40} {n} pages  {'identical' if not changed else f'{changed} pixels differ (max {worst})'}")
    print(f"{len(names)} PDFs compared at {args.dpi:g} dpi: {len(names) - bad} identical")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
