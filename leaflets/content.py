"""YAML content files → model objects, with file and line for every text.

Reads ``content/<leaflet>.yaml`` (a leaflet), ``content/clinic.yaml`` and
``content/interface.yaml``. Any problem raises :class:`ContentError` naming the
file and line. Only ``yaml.SafeLoader`` is used: content cannot run code.
"""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from . import deferred  # noqa: I001 - before yaml: its reader's pattern of every plane is compiled at first use

deferred.defer("yaml.reader")

import yaml  # noqa: E402
from babel import Locale, UnknownLocaleError  # noqa: E402

from .errors import ContentError  # noqa: E402
from .files import read_utf8
from .markup import parse_markup
from .errors import MarkupError
from .model import Block, Clinic, Interface, Leaflet, Section, Unit

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
BLOCK_KINDS = ("paragraph", "numbered", "bullet")


class _Str(str):
    line = 0


class _Map(dict):
    line = 0


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every string and mapping, and refuses
    what content never needs: anchors and aliases (whose expansion is unbounded:
    "billion laughs") and a key written twice in one mapping (PyYAML keeps the last)."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(None, None, "anchors and aliases (& and *) are not allowed",
                                              event.start_mark)
        return super().compose_node(parent, index)


def _construct_str(loader, node):
    s = _Str(loader.construct_scalar(node))
    s.line = node.start_mark.line + 1
    return s


def _construct_map(loader, node):
    first: dict = {}
    for key_node, _ in node.value:
        key = getattr(key_node, "value", None)
        if isinstance(key, str) and key in first:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' is written twice in this mapping (first on line {first[key]})",
                key_node.start_mark)
        first[key] = key_node.start_mark.line + 1
    m = _Map(loader.construct_mapping(node, deep=True))
    m.line = node.start_mark.line + 1
    return m


_LineLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)

_CLoader = getattr(yaml, "CSafeLoader", None)
if _CLoader is not None:
    class _FastLoader(_CLoader):
        """libyaml's parser with the same constructors: for a file that :class:`_LineLoader` would
        accept, the same data, several times faster. Anything else goes to :class:`_LineLoader`."""
    _FastLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)
    _FastLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def _shares_nodes(root) -> bool:
    """Whether a node is reached twice (an alias: libyaml composes it as the anchored node again)."""
    seen, todo = set(), [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            todo.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return False


def _fast(text: str):
    """The data of a plain, valid file, by libyaml; None for anything else (an error, an anchor),
    which the careful loader then reports."""
    if _CLoader is None or "&" in text and "*" in text:
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None or _shares_nodes(node):
            return None
        return loader.construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError):
        return None
    finally:
        loader.dispose()


def read_yaml(path: Path):
    """Parse one YAML file; syntax errors become ContentError with the line."""
    text = read_utf8(path, ContentError, "cannot read file",
                     lambda byte: f"not UTF-8 (byte 0x{byte:02X}): save the file as UTF-8")
    data = _fast(text)
    if data is not None:
        return data
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        msg = " ".join(filter(None, [exc.context, exc.problem]))
        raise ContentError(f"YAML syntax error: {msg}", str(path), line) from None
    except yaml.reader.ReaderError as exc:           # a character YAML does not allow
        raise ContentError(f"YAML error: character U+{exc.character if isinstance(exc.character, int) else ord(exc.character):04X} is not allowed",
                           str(path), text[:exc.position].count("\n") + 1) from None
    except yaml.YAMLError as exc:
        raise ContentError(f"YAML error: {exc}", str(path)) from None


def _line(obj, default: int = 1) -> int:
    return getattr(obj, "line", 0) or default


def _need(mapping, name: str, path: Path, kind=str):
    if not isinstance(mapping, dict):
        raise ContentError(f"expected a mapping with '{name}'", str(path), _line(mapping))
    if name not in mapping or mapping[name] in (None, ""):
        raise ContentError(f"missing '{name}'", str(path), _line(mapping))
    value = mapping[name]
    if kind is str and isinstance(value, (int, float)):
        value = _Str(str(value))
    if not isinstance(value, kind):
        raise ContentError(f"'{name}' must be a {kind.__name__}", str(path), _line(value, _line(mapping)))
    return value


def _clean(text: str) -> str:
    return " ".join(text.split())


def _unit(spec, path: Path, seen: dict, notes=(), key=None, text_field="text", key_line=0) -> Unit:
    key = key or _need(spec, "key", path)
    key_line = key_line or _line(key, _line(spec))
    if not KEY_RE.match(key):
        raise ContentError(f"key '{key}' may use only a-z, 0-9, '.' and '-'", str(path), key_line)
    if key in seen:
        raise ContentError(f"key '{key}' is used twice (first on line {seen[key]})", str(path), key_line)
    text = _need(spec, text_field, path)
    seen[key] = key_line
    try:
        parse_markup(text, bidi_controls=True)
    except MarkupError as exc:
        raise ContentError(f"{key}: {exc.message}", str(path), _line(text)) from None
    note = spec.get("note") if isinstance(spec, dict) else None
    all_notes = tuple(notes) + ((_clean(note),) if note else ())
    return Unit(key=str(key), text=_clean(text), path=str(path), line=_line(text), notes=all_notes)


def _block(spec, path: Path, seen: dict) -> Block:
    if not isinstance(spec, dict) or len(spec) != 1:
        raise ContentError(f"a block is one of {', '.join(BLOCK_KINDS)}", str(path), _line(spec))
    kind, body = next(iter(spec.items()))
    if kind not in BLOCK_KINDS:
        raise ContentError(f"unknown block '{kind}' (use {', '.join(BLOCK_KINDS)})", str(path), _line(kind))
    if kind == "paragraph":
        return Block(kind, _unit(body, path, seen))
    key = _need(body, "key", path)
    title = _unit({"title": _need(body, "title", path)}, path, seen, key=f"{key}.title", text_field="title",
                  key_line=_line(key))
    text = _unit({"text": _need(body, "text", path), "note": body.get("note")}, path, seen, key=f"{key}.text",
                 key_line=_line(key))
    return Block(kind, text, title=title)


def _date(meta, name: str, path: Path) -> _dt.date:
    value = _need(meta, name, path, kind=object)
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise ContentError(f"'{name}' must be a date like 2026-11-24", str(path), _line(value, _line(meta))) from None


def load_leaflet(path: Path) -> Leaflet:
    """Read one leaflet file into a :class:`Leaflet`."""
    data = read_yaml(path)
    meta = _need(data, "leaflet", path, kind=dict)
    seen: dict = {}
    dnt = meta.get("do_not_translate") or []
    if not isinstance(dnt, list):
        raise ContentError("'do_not_translate' must be a list", str(path), _line(meta))
    title = _unit(_need(meta, "title", path, kind=dict), path, seen)
    subtitle = _unit(meta["subtitle"], path, seen) if meta.get("subtitle") else None
    sections = []
    for spec in _need(data, "sections", path, kind=list):
        skey = _need(spec, "key", path)
        heading = _unit(spec["heading"], path, seen) if spec.get("heading") else None
        blocks = tuple(_block(b, path, seen) for b in _need(spec, "blocks", path, kind=list))
        style = spec.get("style", "normal")
        if style not in ("normal", "summary"):
            raise ContentError(f"unknown section style '{style}'", str(path), _line(style))
        sections.append(Section(str(skey), heading, blocks, str(style)))
    published, review = _date(meta, "published", path), _date(meta, "review", path)
    if review <= published:
        raise ContentError("'review' must be after 'published'", str(path), _line(meta))
    return Leaflet(
        id=str(_need(meta, "id", path)), path=str(path),
        reference=str(_need(meta, "reference", path)), version=str(_need(meta, "version", path)),
        published=published, review=review, title=title, subtitle=subtitle,
        sections=tuple(sections), do_not_translate=tuple(str(t) for t in dnt),
        id_line=_line(meta.get("id"), _line(meta)),
    )


def load_clinic(path: Path) -> Clinic:
    data = _need(read_yaml(path), "clinic", path, kind=dict)
    fields = {f: str(data.get(f) or "").strip() for f in ("phone", "email", "website", "address")}
    locale = str(data.get("locale") or "en_GB").strip()
    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        raise ContentError(f"unknown locale '{locale}' (use a CLDR code such as en_GB)", str(path),
                           _line(data.get("locale"), _line(data))) from None
    if parsed.language != "en":
        raise ContentError(f"locale '{locale}' is not English: the source text is English (en_GB, en_IE …)",
                           str(path), _line(data.get("locale"), _line(data)))
    return Clinic(name=str(_need(data, "name", path)), path=str(path), locale=str(parsed), **fields)


def load_interface(path: Path) -> Interface:
    data = read_yaml(path)
    items = _need(data, "interface", path, kind=list)
    seen: dict = {}
    return Interface(tuple(_unit(item, path, seen) for item in items))


def leaflet_paths(content_dir: Path) -> list[Path]:
    """The leaflet files in a content folder: every YAML file with a top-level ``leaflet``."""
    found = []
    for path in sorted(content_dir.glob("*.yaml")):
        if path.name in ("clinic.yaml", "interface.yaml"):
            continue
        found.append(path)
    return found
