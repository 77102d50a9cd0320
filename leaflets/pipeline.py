"""The whole job in one place: content → templates → catalogs → documents → PDFs.

:class:`Workspace` is the API the CLI (and tests, and the benchmark) use: the
loaded project (:mod:`workspace`) with one method per command, each a thin
call into the module that does that stage's work. Nothing here prints or exits.
"""
from __future__ import annotations

from pathlib import Path

from . import build as _build
from . import findings, translations
from .build import BuildOptions, BuildResult, render  # noqa: F401  (re-exported for the CLI and the benchmark)
from .findings import Finding  # noqa: F401
from .model import Leaflet
from .translate import SOURCE_LANGUAGE
from .workspace import Workspace as _Loaded


class Workspace(_Loaded):
    """A loaded project and its commands."""

    def extract(self):
        return translations.extract(self)

    def update(self):
        return translations.update(self)

    def init(self, lang: str):
        return translations.init(self, lang)

    def approve(self, lang: str, reviewer: str, leaflet_ids: list[str] | None = None):
        return translations.approve(self, lang, reviewer, leaflet_ids)

    def review_copies(self, lang: str, out_dir: Path, leaflet_ids: list[str] | None = None) -> list[Path]:
        """The bilingual PDFs a reviewer of ``lang`` checks (the translation beside the English)."""
        return [self.project.output(out_dir, lf.id, lang, "bilingual") for lf in self.select(leaflet_ids)]

    def check(self, langs: list[str] | None = None):
        from .examined import examined
        return findings.check(self, langs, lambda ws, domain, lang: examined(ws, domain, lang).findings)

    def status(self):
        from .examined import examined
        from .translate import LanguageFacts
        facts = LanguageFacts(self.project.root / ".leaflets-cache" / "languages.json")   # names, as builds keep them
        rows = translations.status(self, examined)
        facts.keep()
        return rows

    def build(self, out_dir: Path, options: BuildOptions = BuildOptions()):
        """Build, then (unless this is one shard of a build) the staff page of the whole library."""
        results = _build.build(self, out_dir, options)
        if options.shard is None:
            from .staffpage import write_index
            write_index(self, out_dir, options.jobs, {(r.leaflet, r.lang): r.picture for r in results if r.picture})
        return results

    def merge(self, out_dir: Path, jobs: int = 1):
        """The shards' manifests in ``out_dir`` → the library's ``manifest.json`` and staff page."""
        from .shards import merge
        from .staffpage import write_index
        path = merge(self, out_dir)
        write_index(self, out_dir, jobs)
        return path

    def outdated(self, out_dir: Path):
        return _build.outdated(self, out_dir)

    def languages_of(self, leaflet: Leaflet) -> list[str]:
        """English and every language with a catalog for ``leaflet``."""
        return [SOURCE_LANGUAGE] + [x for x in self.languages() if self.catalog_path(leaflet.id, x).exists()]

    def document(self, leaflet: Leaflet, lang: str, others: list[str] | None = None, allow_incomplete=False):
        from .translate import language_name
        names = tuple((x, language_name(x)) for x in (others or []) if x != lang)
        return _build.document(self, leaflet, lang, allow_incomplete, names)
