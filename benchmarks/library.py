"""A synthetic library of leaflets for the benchmarks:
python benchmarks/library.py DEST [--leaflets N] [--languages M]

Makes a project in DEST with N leaflets, each a copy of the shipped leaflet
``content/botox-migraines.yaml`` under its own id (``botox-migraines-01`` …) and
title ("BOTOX for Migraines 01" …), translated into the first M languages (English
and the first M-1 languages of ``locales/``, in name order): each leaflet has its own
catalogs ``locales/<lang>/LC_MESSAGES/<id>.po``, copied from ``botox-migraines.po``
with the domain renamed where the file names it and the title's English and
translation numbered like the leaflet. ``fonts/`` is a link to the project's; the
font index cache (``.leaflets-cache/fonts-index.marshal``) is copied and the HTML
font subsets (``.leaflets-cache/fonts``) are linked, so a build starts as warm as
one of the project itself.

The copies repeat the same paragraphs: the per-process caches (shaped words,
lines already set) make them cheaper than N distinct leaflets would be, so a
figure from this library is a lower bound for a real library of that size.
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = "botox-migraines"
SOURCE_LANGUAGE = "en"


def languages(root: Path = ROOT) -> list[str]:
    """The project's languages in name order: English first, then every language with a shipped catalog."""
    found = sorted(p.name for p in (root / "locales").iterdir()
                   if (p / "LC_MESSAGES" / f"{SHIPPED}.po").is_file())
    return [SOURCE_LANGUAGE] + found


def leaflet_id(number: int) -> str:
    return f"{SHIPPED}-{number:02d}"


def _numbered(catalog: str, new_id: str, suffix: str, translated: bool) -> str:
    """The shipped catalog (or template) as the catalog of leaflet ``new_id``: the domain renamed,
    the title's English (and its translation) ending in ``suffix``."""
    catalog = catalog.replace("“BOTOX for Migraines”", f"“BOTOX for Migraines{suffix}”", 1)
    blocks = catalog.replace(SHIPPED, new_id).split("\n\n")
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        if 'msgctxt "title"' not in lines:
            continue
        at = next(n for n, line in enumerate(lines) if line.startswith("msgid "))
        lines[at] = lines[at][:-1] + suffix + '"'              # a title's msgid is one line
        if translated:                                          # the msgstr ends the block
            lines[-1] = lines[-1][:-1] + suffix + '"'
        blocks[i] = "\n".join(lines)
    return "\n\n".join(blocks)


def make_library(dest: Path, leaflets: int, n_languages: int, root: Path = ROOT,
                 subsets: Path | None = None) -> Path:
    """Write the synthetic project into ``dest`` (which must not exist or be empty); return it.
    ``subsets``: the folder of HTML font subsets to share (default: the project's)."""
    langs = languages(root)[:n_languages]
    if len(langs) < n_languages:
        raise ValueError(f"the project has only {len(langs)} languages")
    content, locales = dest / "content", dest / "locales"
    content.mkdir(parents=True, exist_ok=True)
    for name in ("clinic.yaml", "interface.yaml"):
        shutil.copy2(root / "content" / name, content / name)
    locales.mkdir(exist_ok=True)
    shutil.copy2(root / "locales" / "interface.pot", locales / "interface.pot")
    english = (root / "content" / f"{SHIPPED}.yaml").read_text(encoding="utf-8")
    template = (root / "locales" / f"{SHIPPED}.pot").read_text(encoding="utf-8")
    catalogs = {lang: (root / "locales" / lang / "LC_MESSAGES" / f"{SHIPPED}.po").read_text(encoding="utf-8")
                for lang in langs[1:]}
    for lang in langs[1:]:
        folder = locales / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        shutil.copy2(root / "locales" / lang / "LC_MESSAGES" / "interface.po", folder / "interface.po")
    for number in range(1, leaflets + 1):
        new_id, suffix = leaflet_id(number), f" {number:02d}"
        text = english.replace(f"id: {SHIPPED}\n", f"id: {new_id}\n", 1)
        text = text.replace("    text: BOTOX for Migraines\n", f"    text: BOTOX for Migraines{suffix}\n", 1)
        (content / f"{new_id}.yaml").write_text(text, encoding="utf-8")
        (locales / f"{new_id}.pot").write_text(_numbered(template, new_id, suffix, False), encoding="utf-8")
        for lang, catalog in catalogs.items():
            (locales / lang / "LC_MESSAGES" / f"{new_id}.po").write_text(
                _numbered(catalog, new_id, suffix, True), encoding="utf-8")
    share_fonts(dest, root, subsets)
    return dest


def share_fonts(dest: Path, root: Path = ROOT, subsets: Path | None = None) -> None:
    """``dest/fonts`` a link to the project's fonts; the font index cache copied (warm), the HTML
    font subsets linked (they are cached by content, so sharing them is safe)."""
    (dest / "fonts").symlink_to((root / "fonts").resolve())
    cache = dest / ".leaflets-cache"
    cache.mkdir(exist_ok=True)
    if (root / ".leaflets-cache" / "fonts-index.marshal").is_file():
        shutil.copy2(root / ".leaflets-cache" / "fonts-index.marshal", cache / "fonts-index.marshal")
    subsets = subsets or root / ".leaflets-cache" / "fonts"
    subsets.mkdir(parents=True, exist_ok=True)
    (cache / "fonts").symlink_to(subsets.resolve())


def copy_project(dest: Path, root: Path = ROOT) -> Path:
    """A private copy of the project as it is (content and catalogs copied, fonts shared)."""
    for name in ("content", "locales"):
        shutil.copytree(root / name, dest / name)
    share_fonts(dest, root)
    return dest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dest", type=Path)
    ap.add_argument("--leaflets", type=int, default=5)
    ap.add_argument("--languages", type=int, default=4)
    args = ap.parse_args()
    print(make_library(args.dest, args.leaflets, args.languages))


if __name__ == "__main__":
    main()
