"""A library of leaflets built fast: worker processes, shards, and the library's manifest.

Parallel and serial builds must write the same bytes; the shards of a build, copied into one folder
and merged, must be the whole build: the same files, the same bytes, the same manifest.
"""
import gc
import json
import shutil
from pathlib import Path

import pytest

from conftest import run
from leaflets.project import EDITIONS
from leaflets.shards import shard_of

LANGS = ["en", "ar", "he", "hi", "ja", "th", "ur"]
IDS = ["botox-migraines", "botox-migraines-b", "botox-migraines-c"]


def _files(out: Path) -> dict[str, bytes]:
    """Every file written, less the shards' own manifests and the staff page's record of what it
    last drew (file times: when, not what)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".shards" not in p.parts and p.name != ".index.json"}


def _args(*langs: str) -> list[str]:
    return [a for lang in langs for a in ("--lang", lang)]


def test_parallel_and_serial_builds_write_the_same_bytes(project):
    code, _, err = run(project, "build", "--out", str(project / "one"), "--jobs", "1",
                       "--edition", "standard", "--edition", "large-print", *_args(*LANGS))
    assert code == 0, err
    code, _, err = run(project, "build", "--out", str(project / "two"), "--jobs", "2",
                       "--edition", "standard", "--edition", "large-print", *_args(*LANGS))
    assert code == 0, err
    assert gc.get_freeze_count() == 0      # frozen for the workers, thawed after them: this process collects it
    one, two = _files(project / "one"), _files(project / "two")
    pdfs = [name for name in one if name.endswith(".pdf")]
    assert len(pdfs) == 2 * len(LANGS)
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []


def test_one_language_shared_out_by_edition_writes_the_same_bytes(project, monkeypatch):
    """One language (a rebuild after an edit): its editions go to two workers; the files and the
    manifest are those of one process."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")       # the print edition's date, fixed
    for jobs, out in (("1", "one"), ("2", "two")):
        code, stdout, err = run(project, "build", "--out", str(project / out), "--jobs", jobs, "--lang", "pl")
        assert code == 0, err
        assert stdout.count("botox-migraines-pl") == len(EDITIONS)    # every edition, each said once
    one, two = _files(project / "one"), _files(project / "two")
    assert len([n for n in one if n.startswith("botox-migraines/botox-migraines-pl")]) == len(EDITIONS)
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    from leaflets import workers
    from leaflets.build import COST, SAME_LAYOUT

    class Plan:
        stale = {"pl": list(EDITIONS)}
    shared = workers.shares([(Plan, "pl")], 2, SAME_LAYOUT, COST)
    assert sorted(e for _, _, share in shared for e in share) == sorted(EDITIONS)      # each edition once
    assert ("standard", "print") in [share for _, _, share in shared]                   # laid out alike: together
    assert len(shared) == len(EDITIONS) - 1
    loads = [sum(COST[e] for e in share) for _, _, share in shared]
    assert loads == sorted(loads, reverse=True)        # the dearest first: the workers take the next as they come free
    assert workers.grouped(shared, 2) == [[unit] for unit in shared]                     # each a task of its own, in order
    assert workers.shares([(Plan, "pl"), (Plan, "de")], 2, SAME_LAYOUT, COST) == [(Plan, "pl", None), (Plan, "de", None)]


def test_a_languages_units_go_to_one_worker_largest_first():
    """A worker draws one language in every leaflet in turn (its shaped words and set lines are taken
    again); every unit is given out once; the last tasks are single units, so the workers end together."""
    from leaflets import workers
    units = [(plan, lang, None) for plan in ("a", "b", "c", "d") for lang in ("pl", "ar", "ja", "hi")]
    units += [("a", "th", None), ("b", "th", None), ("a", "ur", ("bilingual",)), ("a", "ur", ("standard",))]
    tasks = workers.grouped(units, 2)
    assert sorted(u for task in tasks for u in task) == sorted(units)
    whole = [task for task in tasks if len(task) > 1]
    assert [len(task) for task in tasks] == sorted((len(task) for task in tasks), reverse=True)
    assert [task[0][1] for task in whole] == ["pl", "ar", "ja", "hi", "th"]   # the two smallest cut up: end together
    assert all(len({(lang, share) for _, lang, share in task}) == 1 for task in tasks)
    assert all([plan for plan, _, _ in task] == ["a", "b", "c", "d"] for task in whole[:4])   # the library's order
    assert workers.grouped(units, 1) == [units]


def _library(project: Path) -> Path:
    """The project with two more leaflets, copies of the first under other ids."""
    source = (project / "content" / "botox-migraines.yaml").read_text(encoding="utf-8")
    for new in IDS[1:]:
        (project / "content" / f"{new}.yaml").write_text(
            source.replace("id: botox-migraines", f"id: {new}", 1), encoding="utf-8")
        for po in (project / "locales").glob("*/LC_MESSAGES/botox-migraines.po"):
            shutil.copy(po, po.with_name(f"{new}.po"))
    return project


def test_two_shards_merged_are_the_whole_build(project):
    _library(project)
    assert {shard_of(i, 2) for i in IDS} == {1, 2}          # each shard has work to do
    langs = _args("en", "ar", "pl")
    code, _, err = run(project, "build", "--out", str(project / "whole"), "--edition", "standard", *langs)
    assert code == 0, err
    for i in (1, 2):
        code, out, err = run(project, "build", "--out", str(project / f"shard{i}"), "--shard", f"{i}/2",
                             "--edition", "standard", *langs)
        assert code == 0, err
        built = {line.split("/")[1] for line in out.splitlines() if line.startswith(f"shard{i}/")}
        assert built == {x for x in IDS if shard_of(x, 2) == i}
    merged = project / "merged"
    for i in (1, 2):
        shutil.copytree(project / f"shard{i}", merged, dirs_exist_ok=True)
    code, out, err = run(project, "merge", "--out", str(merged))
    assert code == 0, err
    whole = _files(project / "whole")
    assert sum(name.endswith(".pdf") for name in whole) == 3 * 3
    assert _files(merged) == whole                     # every file, byte for byte, manifest.json too
    manifest = json.loads((merged / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["leaflets"]) == sorted(IDS)
    assert manifest["leaflets"]["botox-migraines-b"]["ar"]["files"]["standard"]["pages"] >= 3


def test_merge_names_a_missing_shard(project):
    _library(project)
    code, _, err = run(project, "build", "--out", str(project / "out"), "--shard", "2/3",
                       "--edition", "standard", "--lang", "en")
    assert code == 0, err
    code, _, err = run(project, "merge", "--out", str(project / "out"))
    assert code == 1
    assert "shard(s) 1/3, 3/3 missing" in err


@pytest.mark.parametrize(("option", "said"), [(["--shard", "3/2"], "I must be from 1 to N"),
                                              (["--shard", "half"], "--shard takes I/N"),
                                              (["--jobs", "0"], "--jobs takes a number")])
def test_bad_build_options_are_clear_errors(project, option, said):
    code, _, err = run(project, "build", *option)
    assert code in (1, 2)
    assert said in err and "Traceback" not in err


def test_workers_are_forked_with_the_languages_box_fonts_loaded(project):
    """``prepare`` loads, before forking, the font of every name the languages box draws, so no
    worker loads them again. (A set of unhashable families once raised here, was taken for a font
    that cannot load, and nothing was loaded.)"""
    from leaflets import workers
    from leaflets.pipeline import Workspace
    from leaflets.project import Project
    from leaflets.translate import language_name
    ws = Workspace(Project(project))
    names = ["pl", "ja", "ar", "hi", "ko", "th"]
    workers.prepare(ws, ["pl"], names, ("standard",))
    loaded = ws.fonts._families
    for lang in names:
        chain = ws.fonts._chains[lang]
        wanted = {chain.family_name(ch) for ch in language_name(lang) if not ch.isspace()}
        assert wanted <= loaded.keys(), lang


def _where(item):
    import os
    return item, os.getpid()


def _slow_where(item):
    import os
    import time
    time.sleep(0.2)
    return item, os.getpid()


def test_verdicts_are_judged_in_a_child_while_the_fonts_load_and_the_rest_by_the_workers():
    """``beside_ready``: a forked process takes the items in order while this one loads what the
    workers will need, once; what it has not begun by then goes to the workers, which do not load it
    again. Each item is done once, and the results come in the items' order. With one job: all here."""
    import os
    import time
    from leaflets import workers
    loaded = []

    def slow_ready():
        time.sleep(0.5)
        loaded.append(os.getpid())

    with workers.Pool(2, slow_ready) as pool:          # the fonts take longer than the verdicts: all beside
        made = pool.beside_ready(_where, [1, 2, 3])
        assert [item for item, _ in made] == [1, 2, 3]
        assert len({pid for _, pid in made}) == 1 and made[0][1] != os.getpid()
        assert loaded == [os.getpid()]
        assert sorted(item for item, _ in pool.map(_where, [3, 4, 5])) == [3, 4, 5]
        assert loaded == [os.getpid()]                        # loaded once, before the workers
    loaded.clear()
    with workers.Pool(2, lambda: loaded.append(os.getpid())) as pool:    # the verdicts take longer
        made = pool.beside_ready(_slow_where, list(range(8)))
        assert [item for item, _ in made] == list(range(8))
        child = made[0][1]
        assert child != os.getpid()
        rest = {pid for _, pid in made[1:]} - {child}
        assert rest and os.getpid() not in rest              # the rest by the workers, side by side
        assert sum(pid == child for _, pid in made) < 8
        assert loaded == [os.getpid()]
    loaded.clear()
    with workers.Pool(1, lambda: loaded.append(os.getpid())) as pool:
        assert pool.beside_ready(_where, [1, 2]) == [(1, os.getpid()), (2, os.getpid())]
        assert loaded == []


_LOADED = []        # (set by the pool's ready(): empty in the process forked before it, to judge beside)


def _dies_beside(item):
    """Kills the process judging beside the fonts' loading on item 2 (as the kernel would, out of memory)."""
    import os
    if item == 2 and not _LOADED:
        os._exit(9)
    return item, os.getpid(), "x" * 200_000        # each result larger than a pipe's buffer


def _fails_beside(item):
    if item == 1:
        raise ValueError("item 1 cannot be judged")
    return item


def test_what_the_process_beside_could_not_end_is_done_again_and_its_errors_are_raised_here():
    """``beside_ready``'s child killed after its first two items (each larger than a pipe holds): those
    come back, the rest are done by the workers, each once, in order. A child whose work raises: the
    item is done again by the workers, and the error raised to the caller, as it would be in order."""
    import os
    import time

    import pytest

    from leaflets import workers

    def ready():
        time.sleep(0.3)
        _LOADED.append(True)

    _LOADED.clear()
    with workers.Pool(2, ready) as pool:
        made = pool.beside_ready(_dies_beside, [0, 1, 2, 3, 4])
    assert [m[0] for m in made] == [0, 1, 2, 3, 4] and all(len(m[2]) == 200_000 for m in made)
    beside = made[0][1]
    assert beside != os.getpid() and made[1][1] == beside
    assert beside not in {m[1] for m in made[2:]}
    with workers.Pool(2) as pool:
        with pytest.raises(ValueError, match="item 1 cannot be judged"):
            pool.beside_ready(_fails_beside, [0, 1, 2])


def test_a_bounded_memo_keeps_what_is_used_and_stays_bounded():
    """The workers live for the whole build: their memos must stay bounded, and what every PDF uses
    (the languages box's font subsets) must outlive the one-off entries that pass through."""
    from leaflets.memo import remembered
    memo, made = {}, []

    def make(key):
        made.append(key)
        return f"value of {key}"

    for n in range(1000):
        assert remembered(memo, "box", 8, lambda: make("box")) == "value of box"
        remembered(memo, f"one-off {n}", 8, lambda n=n: make(n))
        assert len(memo) <= 8
    assert made.count("box") == 1


def test_a_unit_of_work_collects_its_own_cycles_and_restores_the_collector():
    """Rendering runs with the cycle collector paused (:func:`workers.one_unit`); what a unit leaves in
    reference cycles (ReportLab's canvas and document point at each other) must be freed when it ends,
    unit after unit, and the collector must be as it was: memory stays flat over a long build."""
    import gc
    import weakref

    from leaflets import workers

    class Node:
        pass

    assert gc.isenabled()
    left = []
    for _ in range(3):
        with workers.one_unit():
            assert not gc.isenabled()
            a, b = Node(), Node()
            a.other, b.other = b, a          # a cycle: reference counting alone never frees it
            left.append(weakref.ref(a))
            del a, b
        assert gc.isenabled()
        assert left[-1]() is None
    gc.disable()
    try:
        with workers.one_unit():
            pass
        assert not gc.isenabled()            # a collector paused outside stays paused
    finally:
        gc.enable()
    try:
        with workers.one_unit():
            raise ValueError("a unit that fails")
    except ValueError:
        pass
    assert gc.isenabled()
