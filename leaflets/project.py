"""Where things live in a leaflets project (one folder, passed explicitly)."""
from __future__ import annotations

from pathlib import Path

EDITIONS = ("standard", "large-print", "print", "booklet", "html", "bilingual")
# print: the print shop's PDF/X (printshop.py); booklet: A5 pages imposed on A4 sheets (booklet.py);
# bilingual: the translation beside the English (bilingual.py), for translations only
SOURCE_ONLY_NOT = frozenset({"bilingual"})      # editions the source language (English) has none of


def editions_of(lang: str, editions: tuple[str, ...] = EDITIONS, source: str = "en") -> tuple[str, ...]:
    """The editions of ``editions`` a language is built in: the English has no bilingual edition."""
    return tuple(e for e in editions if lang != source or e not in SOURCE_ONLY_NOT)


class Project:
    """A project folder. (A plain class: the command line imports it before anything else, and
    ``dataclasses`` would bring ``inspect`` with it.)"""

    __slots__ = ("root",)

    def __init__(self, root: Path):
        object.__setattr__(self, "root", Path(root))

    def __setattr__(self, name, value):
        raise AttributeError("a Project is read-only")

    def __eq__(self, other) -> bool:
        return isinstance(other, Project) and other.root == self.root

    def __hash__(self) -> int:
        return hash(self.root)

    def __repr__(self) -> str:
        return f"Project(root={self.root!r})"

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"

    @property
    def clinic_file(self) -> Path:
        return self.content / "clinic.yaml"

    @property
    def interface_file(self) -> Path:
        return self.content / "interface.yaml"

    def template(self, domain: str) -> Path:
        return self.locales / f"{domain}.pot"

    def catalog_folder(self, lang: str) -> Path:
        """``locales/<lang>/LC_MESSAGES``: a language's catalogs and their review ledgers."""
        return self.locales / lang / "LC_MESSAGES"

    def catalog(self, lang: str, domain: str) -> Path:
        return self.catalog_folder(lang) / self.catalog_name(domain)

    def review_file(self, lang: str, domain: str) -> Path:
        """The review ledger: beside the .po, so Poedit and Weblate never rewrite it."""
        return self.catalog_folder(lang) / self.review_name(domain)

    @staticmethod
    def catalog_name(domain: str) -> str:
        return f"{domain}.po"

    @staticmethod
    def review_name(domain: str) -> str:
        return f"{domain}.review.json"

    def languages(self, domain: str) -> list[str]:
        """Languages that have a catalog for ``domain``, sorted."""
        if not self.locales.is_dir():
            return []
        return sorted(p.name for p in self.locales.iterdir()
                      if (p / "LC_MESSAGES" / f"{domain}.po").is_file())

    def output(self, out_dir: Path, leaflet_id: str, lang: str, edition: str = "standard") -> Path:
        """``out/<leaflet>/<leaflet>-<lang>.pdf``, ``…-large-print.pdf``, ``…-print.pdf``, ``…-booklet.pdf``,
        ``…-bilingual.pdf``, ``….html``."""
        return out_dir / leaflet_id / self.output_name(leaflet_id, lang, edition)

    @staticmethod
    def output_name(leaflet_id: str, lang: str, edition: str = "standard") -> str:
        """The file name of :meth:`output`."""
        name = f"{leaflet_id}-{lang}"
        if edition == "html":
            return f"{name}.html"
        return f"{name}.pdf" if edition == "standard" else f"{name}-{edition}.pdf"
