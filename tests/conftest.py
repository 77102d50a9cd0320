import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "data" / "botox-migraines-seed.txt"   # the clinic's original text, kept with the tests


# Font subsets for the HTML edition are cached by content (font bytes + characters): the test
# projects share one cache, so only the first build of a test run pays for fontTools.
FONT_CACHE = Path(tempfile.gettempdir()) / "leaflets-test-font-cache"
METRICS_CACHE = Path(tempfile.gettempdir()) / "leaflets-test-font-metrics"    # ReportLab's parsed fonts, alike


def copy_project(dest: Path) -> Path:
    """A private copy of the project's content and catalogs (fonts linked, not copied)."""
    for name in ("content", "locales"):
        shutil.copytree(ROOT / name, dest / name)
    (dest / "fonts").symlink_to(ROOT / "fonts")
    FONT_CACHE.mkdir(exist_ok=True)
    (dest / ".leaflets-cache").mkdir()
    (dest / ".leaflets-cache" / "fonts").symlink_to(FONT_CACHE)
    METRICS_CACHE.mkdir(exist_ok=True)
    (dest / ".leaflets-cache" / "metrics").symlink_to(METRICS_CACHE)
    return dest


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "proj")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Every leaflet in every language, built once for the read-only PDF tests."""
    from leaflets.cli import main
    root = copy_project(tmp_path_factory.mktemp("built") / "proj")
    assert main(["--root", str(root), "build"]) == 0
    return root / "out" / "botox-migraines"


def benchmark_module(name: str):
    """``benchmarks/<name>.py`` as a module (the benchmarks are scripts, not a package), loaded once."""
    import importlib.util
    import sys
    key = f"leaflets_bench_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, ROOT / "benchmarks" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module                    # its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[key]


def break_a_msgstr(path: Path) -> int:
    """An unterminated string in a msgstr of the catalog at ``path`` (after its header); its line index."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 40)
    lines[index] = 'msgstr "unterminated'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index


def run(root: Path, *args: str) -> tuple[int, str, str]:
    import io
    from leaflets.cli import main
    out, err = io.StringIO(), io.StringIO()
    code = main(["--root", str(root), *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()
