"""What one language's PDFs of a leaflet are made from, hashed: the build's test of "current".

A language's PDFs depend on the leaflet's English, the interface and clinic texts, the
language's two catalogs (the interface's and the leaflet's) and their review ledgers, the
engine and the code. A build reads each language's catalog folder once, and hashes the files
every leaflet shares (the interface and clinic texts, each language's interface catalog and
ledger) once, not once per leaflet: a library of 50 leaflets in 20 languages read them 1,000
times, and asked for each file by its full path, a quarter of a second of a one-message
rebuild. Reads files; writes nothing.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .files import file_names
from .stamps import code_hash
from .translate import SOURCE_LANGUAGE
from .workspace import INTERFACE, Workspace

ENGINE_VERSION = "2"   # bump when layout changes, so every PDF is rebuilt


def digest(path: str | Path) -> bytes:
    """SHA-256 of the file's bytes, or ``-`` if there is none."""
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).digest()
    except FileNotFoundError:
        return b"-"


class Inputs:
    """One build's view of the inputs: the project's languages, their catalog folders, and the
    shared files' digests."""

    def __init__(self, ws: Workspace, allow_incomplete: bool):
        self.ws, self.allow_incomplete = ws, allow_incomplete
        self.languages = ws.languages()          # globbing every locale folder: once a build
        project = ws.project
        self._common = digest(project.interface_file) + digest(project.clinic_file)
        self._folders: dict[str, tuple[str, frozenset[str]]] = {}
        self._shared: dict[str, bytes] = {}

    def _folder(self, lang: str) -> tuple[str, frozenset[str]]:
        """A language's catalog folder, and the names of the files in it (listed once a build)."""
        found = self._folders.get(lang)
        if found is None:
            folder = os.fspath(self.ws.project.catalog_folder(lang))
            found = self._folders[lang] = (folder, file_names(folder))
        return found

    def _file(self, lang: str, name: str) -> bytes:
        folder, names = self._folder(lang)
        return digest(os.path.join(folder, name)) if name in names else b"-"

    def has_catalog(self, leaflet_id: str, lang: str) -> bool:
        return self.ws.project.catalog_name(leaflet_id) in self._folder(lang)[1]

    def own_hashes(self, leaflet, langs: list[str]) -> dict[str, str]:
        """For each of ``langs``: everything its PDFs of ``leaflet`` depend on, except the list of
        other languages (which the build adds)."""
        project, mine = self.ws.project, digest(leaflet.path)
        catalog, review = project.catalog_name(leaflet.id), project.review_name(leaflet.id)
        out = {}
        for lang in langs:
            h = hashlib.sha256(f"{ENGINE_VERSION}|{lang}|{self.allow_incomplete}|{code_hash()}".encode())
            h.update(mine + self._common)
            if lang != SOURCE_LANGUAGE:
                shared = self._shared.get(lang)
                if shared is None:
                    shared = self._shared[lang] = (self._file(lang, project.catalog_name(INTERFACE))
                                                   + self._file(lang, project.review_name(INTERFACE)))
                h.update(shared + self._file(lang, catalog) + self._file(lang, review))
            out[lang] = h.hexdigest()[:32]
        return out
