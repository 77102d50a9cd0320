"""One project's content and catalogs, loaded once and shared by every command.

A *domain* is one gettext catalog name: each leaflet has its own (its id), and
the interface texts that every leaflet prints (footer, notices, contact box)
have one shared domain, ``interface``, translated once per language.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import catalogs
from .content import KEY_RE, leaflet_paths, load_clinic, load_interface, load_leaflet
from .errors import ContentError, LeafletError
from .extract import Message, interface_messages, leaflet_messages
from .model import Leaflet
from .project import Project
from .stamps import Stamps

INTERFACE = "interface"


@dataclass(frozen=True)
class Domain:
    """One catalog name with the messages its template holds."""
    name: str
    title: str
    version: str
    messages: tuple[Message, ...]
    names: tuple[str, ...] = ()          # do-not-translate terms
    leaflet: Leaflet | None = None

    @cached_property
    def sources(self) -> dict[str, str]:
        return {m.context: m.source for m in self.messages}

    @cached_property
    def fingerprint(self) -> str:
        """A hash of everything the template says (not its date)."""
        return hashlib.sha256(repr((self.name, self.title, self.version, self.messages)).encode()).hexdigest()


class Workspace:
    """The project's leaflets, interface texts, clinic details and fonts."""

    def __init__(self, project: Project):
        self.project = project

    @cached_property
    def fonts(self):
        """The fonts (a :class:`fonts.FontLibrary`), loaded when first asked for: commands that
        draw nothing never import ReportLab or HarfBuzz."""
        from .fonts import FontLibrary
        return FontLibrary(self.project.fonts, self.project.root / ".leaflets-cache" / "fonts-index.marshal")

    @cached_property
    def leaflets(self) -> list[Leaflet]:
        """Every leaflet, in file-name order; ids are unique and safe as file names."""
        found: dict[str, Leaflet] = {}
        for path in leaflet_paths(self.project.content):
            leaflet = load_leaflet(path)
            if not KEY_RE.match(leaflet.id) or leaflet.id == INTERFACE:
                raise ContentError(f"leaflet id '{leaflet.id}' is not allowed: use a-z, 0-9, '.' and '-' "
                                   f"(and not '{INTERFACE}')", str(path), leaflet.id_line)
            first = found.get(leaflet.id)
            if first is not None:
                raise ContentError(f"leaflet id '{leaflet.id}' is already used by {self.rel(Path(first.path))}: "
                                   "each leaflet needs its own id", str(path), leaflet.id_line)
            found[leaflet.id] = leaflet
        return list(found.values())

    @cached_property
    def stamps(self) -> Stamps:
        return Stamps(self.project.root / ".leaflets-cache" / "stamps.json", self.project.root)

    @cached_property
    def interface(self):
        return load_interface(self.project.interface_file)

    @cached_property
    def clinic(self):
        return load_clinic(self.project.clinic_file)

    def leaflet(self, leaflet_id: str) -> Leaflet:
        for leaflet in self.leaflets:
            if leaflet.id == leaflet_id:
                return leaflet
        raise LeafletError(f"no leaflet '{leaflet_id}' in {self.project.content}")

    def select(self, leaflet_ids: list[str] | None) -> list[Leaflet]:
        return [self.leaflet(i) for i in leaflet_ids] if leaflet_ids else self.leaflets

    # --- domains and catalogs -----------------------------------------------------
    @cached_property
    def domains(self) -> list[Domain]:
        """The shared interface domain first, then one per leaflet."""
        root = str(self.project.root)
        names = tuple(sorted({n for lf in self.leaflets for n in lf.do_not_translate}))
        shared = Domain(INTERFACE, "Shared leaflet texts (footer, notices, contact box)", "1",
                        tuple(interface_messages(self.interface, root)), names)
        return [shared] + [Domain(lf.id, lf.title.text, lf.version, tuple(leaflet_messages(lf, root)),
                                  lf.do_not_translate, lf) for lf in self.leaflets]

    def domain(self, name: str) -> Domain:
        return next(d for d in self.domains if d.name == name)

    def languages(self) -> list[str]:
        """Every language with a catalog for any domain (a language of the project)."""
        folder = self.project.locales
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if (p / "LC_MESSAGES").is_dir()
                      and any((p / "LC_MESSAGES").glob("*.po")))

    def template(self, domain: Domain):
        return catalogs.build_template(list(domain.messages), domain.name, domain.version, domain.title)

    def catalog_path(self, domain: Domain | str, lang: str) -> Path:
        return self.project.catalog(lang, getattr(domain, "name", domain))

    def read(self, domain: Domain | str, lang: str):
        return catalogs.read_catalog(self.catalog_path(domain, lang))

    def english_hash(self, leaflet: Leaflet) -> str:
        """A hash of the English a leaflet's PDFs say: its texts, the interface texts, version, dates."""
        h = hashlib.sha256(f"{leaflet.version}|{leaflet.published}|{leaflet.review}".encode())
        for domain in (self.domain(INTERFACE), self.domain(leaflet.id)):
            for m in domain.messages:
                h.update(f"{m.context}\x1f{m.source}\x1e".encode())
        return h.hexdigest()[:16]

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.project.root))
        except ValueError:
            return str(path)
