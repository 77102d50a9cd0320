import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "data" / "botox-migraines-seed.txt"   # the clinic's original text, kept with the tests


def copy_project(dest: Path) -> Path:
    """A private copy of the project's content and catalogs (fonts linked, not copied)."""
    for name in ("content", "locales"):
        shutil.copytree(ROOT / name, dest / name)
    (dest / "fonts").symlink_to(ROOT / "fonts")
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


def run(root: Path, *args: str) -> tuple[int, str, str]:
    import io
    from leaflets.cli import main
    out, err = io.StringIO(), io.StringIO()
    code = main(["--root", str(root), *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()
