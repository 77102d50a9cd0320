"""Model → messages for the template. Pure: no file is read or written here."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .markup import tag_counts
from .model import Interface, Leaflet, Unit

PLACEHOLDER_RE = re.compile(r"\{[a-z_]+\}")


@dataclass(frozen=True)
class Message:
    """One entry of the template: msgctxt (stable key), msgid, notes, reference."""
    context: str
    source: str
    notes: tuple[str, ...]
    reference: str            # "content/x.yaml:12"
    brace_format: bool = False


def _roles(leaflet: Leaflet) -> dict[str, str]:
    roles = {leaflet.title.key: "Leaflet title (printed large on page 1)."}
    if leaflet.subtitle:
        roles[leaflet.subtitle.key] = "Leaflet subtitle, under the title."
    for section in leaflet.sections:
        if section.heading:
            roles[section.heading.key] = "Section heading."
        for block in section.blocks:
            if block.kind == "paragraph":
                roles[block.text.key] = "Paragraph."
            else:
                what = "numbered point" if block.kind == "numbered" else "bullet point"
                roles[block.title.key] = f"Title of a {what} (printed bold)."
                roles[block.text.key] = f"Text of the {what} “{block.title.text}”."
    return roles


def _auto_notes(unit: Unit, names: tuple[str, ...]) -> list[str]:
    notes = []
    for term in names:
        if term in unit.text:
            notes.append(f"Keep “{term}” exactly as written: it is a name, not a word to translate.")
    if tag_counts(unit.text):
        notes.append("Keep the <b>…</b> tags around the words that correspond; no other tags are allowed.")
    return notes


def leaflet_messages(leaflet: Leaflet, root: str = "") -> list[Message]:
    """A leaflet's own messages, in document order."""
    roles = _roles(leaflet)
    return [_message(u, (roles.get(u.key, ""),) + u.notes + tuple(_auto_notes(u, leaflet.do_not_translate)), root)
            for u in leaflet.units()]


def interface_messages(interface: Interface, root: str = "") -> list[Message]:
    """The texts every leaflet prints around its article (their own catalog)."""
    return [_message(u, u.notes + tuple(_auto_notes(u, ())), root) for u in interface.units]


def _message(unit: Unit, notes, root: str) -> Message:
    path = unit.path
    if root and path.startswith(root):
        path = path[len(root):].lstrip("/")
    return Message(
        context=unit.key, source=unit.text, notes=tuple(n for n in notes if n),
        reference=f"{path}:{unit.line}", brace_format=bool(PLACEHOLDER_RE.search(unit.text)),
    )
