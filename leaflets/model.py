"""The content model: frozen dataclasses that every later stage reads.

A leaflet is sections of blocks; each block holds one or two translatable
``Unit`` s. A unit's ``key`` is its stable identity (the gettext msgctxt).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Unit:
    """One translatable text, with where it came from and notes for translators."""
    key: str
    text: str
    path: str
    line: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """``kind`` is ``paragraph`` (text only), ``numbered`` or ``bullet`` (title and text)."""
    kind: str
    text: Unit
    title: Unit | None = None

    def units(self) -> tuple[Unit, ...]:
        return (self.title, self.text) if self.title else (self.text,)


@dataclass(frozen=True)
class Section:
    key: str
    heading: Unit | None
    blocks: tuple[Block, ...]
    style: str = "normal"          # "normal" or "summary"

    def units(self) -> tuple[Unit, ...]:
        head = (self.heading,) if self.heading else ()
        return head + tuple(u for b in self.blocks for u in b.units())


@dataclass(frozen=True)
class Leaflet:
    id: str
    path: str
    reference: str
    version: str
    published: _dt.date
    review: _dt.date
    title: Unit
    subtitle: Unit | None
    sections: tuple[Section, ...]
    do_not_translate: tuple[str, ...] = ()
    id_line: int = 0               # the line of ``id`` in the file, for errors

    def units(self) -> tuple[Unit, ...]:
        """Every translatable unit in document order."""
        head = (self.title,) + ((self.subtitle,) if self.subtitle else ())
        return head + tuple(u for s in self.sections for u in s.units())


@dataclass(frozen=True)
class Clinic:
    name: str
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    path: str = ""
    locale: str = "en_GB"          # formats (dates) of the English leaflet: the clinic's own locale

    def missing_contacts(self) -> list[str]:
        return [f for f in ("phone", "email", "website", "address") if not getattr(self, f)]


@dataclass(frozen=True)
class Interface:
    """The leaflet furniture that every leaflet shares (footer labels, notices)."""
    units: tuple[Unit, ...] = field(default=())

    def get(self, key: str) -> Unit:
        for u in self.units:
            if u.key == key:
                return u
        raise KeyError(key)
