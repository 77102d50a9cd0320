"""Typed errors. Every error the user can cause carries where it happened."""
from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=None)
def describe(ch: str) -> str:
    """A character as error messages name it: ``U+05D0 HEBREW LETTER ALEF``."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}"


class LeafletError(Exception):
    """Base class: a problem with input, reported as ``file:line: message``."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message

    def __reduce__(self):            # whole across processes (a worker judges a language)
        return (self.__class__, (self.message, self.path, self.line))


class ContentError(LeafletError):
    """The English content (YAML) is malformed or incomplete."""


class CatalogError(LeafletError):
    """A .po/.pot file cannot be read or fails a check."""


class MarkupError(LeafletError):
    """Inline markup in a text is not allowed or not well formed."""


class MissingGlyphError(LeafletError):
    """A character cannot be drawn with the fonts chosen for a language."""


class LayoutError(LeafletError):
    """The text does not fit where it must go."""


class NotPrintableError(LeafletError):
    """A catalog is incomplete or fuzzy, so its leaflet must not be printed."""


class FontError(LeafletError):
    """A font file cannot be read or used; ``path`` names it."""
