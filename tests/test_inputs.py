"""What a language's PDFs are made from: each input changes the hashes of exactly the languages
(and leaflets) that depend on it, and the files every leaflet shares are read once a build."""
from __future__ import annotations

import shutil

import pytest

from conftest import copy_project
from leaflets import inputs as inputs_module
from leaflets.inputs import Inputs
from leaflets.pipeline import Workspace
from leaflets.project import Project

LEAFLET = "botox-migraines"
LANGS = ["en", "ar", "de", "pl"]


@pytest.fixture
def project(tmp_path):
    root = copy_project(tmp_path / "proj")
    for folder in (root / "locales").iterdir():
        if folder.is_dir() and folder.name not in LANGS:
            shutil.rmtree(folder)
    second = root / "content" / "second.yaml"          # a second leaflet, with catalogs of its own
    second.write_text((root / "content" / f"{LEAFLET}.yaml").read_text(encoding="utf-8")
                      .replace(f"id: {LEAFLET}", "id: second", 1), encoding="utf-8")
    for lang in LANGS[1:]:
        folder = root / "locales" / lang / "LC_MESSAGES"
        shutil.copy(folder / f"{LEAFLET}.po", folder / "second.po")
    return root


def _hashes(root):
    ws = Workspace(Project(root))
    found = Inputs(ws, allow_incomplete=False)
    return {(lf.id, lang): h for lf in ws.leaflets for lang, h in found.own_hashes(lf, ["en"] + found.languages).items()}


def _changed(before, after):
    return {key for key in before if before[key] != after[key]}


def test_each_input_changes_the_languages_and_leaflets_that_depend_on_it(project):
    base = _hashes(project)
    assert len(base) == 2 * len(LANGS) and len(set(base.values())) == len(base)
    assert _hashes(project) == base                                    # the same inputs, the same hashes

    def touch(path, text="\n# changed\n"):
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text)

    messages = project / "locales" / "de" / "LC_MESSAGES"
    touch(messages / "interface.po")                                  # German interface: German, both leaflets
    after = _hashes(project)
    assert _changed(base, after) == {(LEAFLET, "de"), ("second", "de")}
    base = after
    touch(messages / "second.po")                                     # one leaflet's German
    after = _hashes(project)
    assert _changed(base, after) == {("second", "de")}
    base = after
    (project / "locales" / "pl" / "LC_MESSAGES" / f"{LEAFLET}.review.json").write_text("{}", encoding="utf-8")
    after = _hashes(project)                                          # a review ledger, where there was none
    assert _changed(base, after) == {(LEAFLET, "pl")}
    base = after
    touch(project / "content" / "clinic.yaml")                        # the clinic: everything
    after = _hashes(project)
    assert _changed(base, after) == set(base)
    base = after
    touch(project / "content" / "second.yaml")                        # one leaflet's English: its languages
    after = _hashes(project)
    assert _changed(base, after) == {("second", lang) for lang in LANGS}


def test_files_every_leaflet_shares_are_read_once_a_build(project, monkeypatch):
    read = []
    digest = inputs_module.digest
    monkeypatch.setattr(inputs_module, "digest", lambda path: read.append(str(path)) or digest(path))
    _hashes(project)
    assert len(read) == len(set(read))
    assert sum(p.endswith("interface.po") for p in read) == len(LANGS) - 1
