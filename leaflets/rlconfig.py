"""ReportLab, isolated from the machine it runs on. Import this before any ``reportlab`` module.

When first imported, ReportLab runs ``~/.reportlab_mods`` and ``~/.reportlab_settings`` (or modules of
those names on the path) and reads ``RL_*`` environment variables, any of which can change the output, and its Type-1
search path makes a font look-up read every AFM file of the system's fonts. A leaflet must depend on
the project and the installed packages only, so: the two hooks are empty modules, ``RL_*``
variables are hidden while ReportLab reads them, and the font search paths are empty (every font is
registered from ``fonts/`` by path).
"""
from __future__ import annotations

import os
import sys
import types

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
