"""Regular expressions that libraries compile on import and a build never uses, compiled when first used.

Two of the libraries every build imports compile, as they are imported, a pattern that takes Python's
regular expression compiler milliseconds, and that a build never matches against:

- ``reportlab.platypus.paragraph``: a URL pattern matched case-insensitively over every character up to
  U+FFFF (tens of milliseconds: each range's case is folded), used only by Paragraph's automatic links;
- ``yaml.reader``: the characters YAML may not hold, a class over every plane of Unicode (9 ms), used
  only by PyYAML's pure-Python reader, which reads a content file only when libyaml's has refused it.

:func:`defer` names such a module: when it is imported, its slow patterns (:func:`_slow`) are made
:class:`_Deferred` objects, compiled the first time anything is asked of them, to the same pattern
and flags. Nothing else about the module changes. Imports nothing of either library.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import re
import sys


class _Deferred:
    """A regular expression compiled when first used (any attribute: ``match``, ``pattern``, …)."""

    def __init__(self, compile, pattern: str, flags: int):
        self._args = (compile, pattern, flags)

    def __getattr__(self, name: str):
        compiled = self.__dict__.get("_compiled")
        if compiled is None:                      # the first use: compiled once, kept
            compile, pattern, flags = self._args
            compiled = self._compiled = compile(pattern, flags)
        return getattr(compiled, name)


def _slow(pattern, flags) -> bool:
    """A pattern whose compiling folds the case of a range of thousands of characters, or spans the
    supplementary planes."""
    return isinstance(pattern, str) and ("\U0010ffff" in pattern
                                         or bool(flags & re.IGNORECASE) and "\uffff" in pattern)


class _DeferringLoader(importlib.abc.Loader):
    """Runs a module's code with its slow patterns (:func:`_slow`) deferred (:class:`_Deferred`)."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def __getattr__(self, name: str):          # get_source, get_filename, …: the wrapped loader's
        return getattr(self.loader, name)

    def exec_module(self, module) -> None:
        real = re.compile
        re.compile = lambda pattern, flags=0: (_Deferred(real, pattern, flags) if _slow(pattern, flags)
                                               else real(pattern, flags))
        try:
            self.loader.exec_module(module)
        finally:
            re.compile = real


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the modules named by :func:`defer` as Python would, to load them with :class:`_DeferringLoader`."""

    def __init__(self):
        self.names: set[str] = set()

    def find_spec(self, name, path=None, target=None):
        if name not in self.names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _DeferringLoader(spec.loader)
        return spec


_FINDER = next((f for f in sys.meta_path if type(f).__name__ == "_Finder" and hasattr(f, "names")), None)
if _FINDER is None:
    _FINDER = _Finder()
    sys.meta_path.insert(0, _FINDER)


def defer(name: str) -> None:
    """Have module ``name``'s slow patterns compiled at first use (if it is not imported already)."""
    if name not in sys.modules:
        _FINDER.names.add(name)
