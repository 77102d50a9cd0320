"""ReportLab, isolated from the machine it runs on. Import this before any ``reportlab`` module.

When first imported, ReportLab runs ``~/.reportlab_mods`` and ``~/.reportlab_settings`` (or modules of
those names on the path) and reads ``RL_*`` environment variables, any of which can change the output, and its Type-1
search path makes a font look-up read every AFM file of the system's fonts. A leaflet must depend on
the project and the installed packages only, so: the two hooks are empty modules, ``RL_*``
variables are hidden while ReportLab reads them, and the font search paths are empty (every font is
registered from ``fonts/`` by path).

Two of ReportLab's imports are also made to cost nothing until used, for every process that draws
pays them before its first page (a third of a second's start of a one-language rebuild): Pillow's
``PIL.Image``, which ReportLab imports for bitmaps and the leaflets never hold, is imported lazily
(:class:`importlib.util.LazyLoader`, loaded at its first use); and the one regular expression of
``reportlab.platypus.paragraph`` that takes tens of milliseconds to compile (a URL pattern matched
case-insensitively over every character up to U+FFFF, used only by Paragraph's automatic links) is
compiled when first used instead of on import (:mod:`deferred`).
"""
from __future__ import annotations

import importlib.util
import os
import sys
import types

from . import deferred


def _lazy(name: str) -> None:
    """``name`` imported lazily (the recipe of :class:`importlib.util.LazyLoader`), unless it is
    imported already or cannot be found (then ReportLab's own import says why)."""
    if name in sys.modules:
        return
    parent, _, child = name.rpartition(".")
    try:
        spec = importlib.util.find_spec(name)
    except ImportError:
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    if parent:
        setattr(sys.modules[parent], child, module)


deferred.defer("reportlab.platypus.paragraph")
_lazy("PIL.Image")

if "reportlab.rl_config" not in sys.modules:
    for _hook in ("reportlab_mods", "reportlab_settings"):       # else ~/.reportlab_mods, ~/.reportlab_settings
        sys.modules.setdefault(_hook, types.ModuleType(_hook))
    _hidden = {k: os.environ.pop(k) for k in [k for k in os.environ if k.startswith("RL_")]}
    try:
        import reportlab.rl_config as _rl
    finally:
        os.environ.update(_hidden)
else:  # someone imported ReportLab first: at least keep its font searches inside the project
    import reportlab.rl_config as _rl

_rl.T1SearchPath = []
_rl.TTFSearchPath = []
_rl.CMapSearchPath = []
