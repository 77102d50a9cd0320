"""Data flows one way: the import rules of docs/STYLE (content → catalogs → layout → PDF)."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "leaflets"
NO_LAYOUT = ["model", "errors", "markup", "content", "extract", "catalogs", "checks", "review", "translate"]
NO_FILES = ["fonts", "text", "draw", "flowables", "fitting", "layout", "render"]


def _imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add(("." * node.level) + (node.module or ""))
    return found


@pytest.mark.parametrize("module", NO_LAYOUT)
def test_content_and_catalog_stages_never_import_reportlab(module):
    bad = {i for i in _imports(module) if i.split(".")[0] in ("reportlab", "uharfbuzz", "bidi")
           or i in (".layout", ".render", ".flowables", ".text", ".fonts")}
    assert not bad


@pytest.mark.parametrize("module", NO_FILES)
def test_layout_stages_never_read_yaml_or_po(module):
    bad = {i for i in _imports(module) if i.split(".")[0] in ("yaml", "polib")
           or i.startswith("babel.messages") or i in (".content", ".catalogs", ".pipeline", ".cli")}
    assert not bad


def test_only_the_cli_prints_or_exits():
    for path in PACKAGE.glob("*.py"):
        if path.stem in ("cli", "__main__"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        assert not calls & {"print", "exit"}, path.name
        assert "sys.exit" not in path.read_text(encoding="utf-8"), path.name
