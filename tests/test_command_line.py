"""The command line as a clinic runs it, in a process of its own. It leaves at once when the work
is done (``cli.run``: Python's teardown of what a build holds is skipped), with main's exit status
and every line it wrote, also into a pipe."""
import gc
import os
import subprocess
import sys

from conftest import ROOT, run

BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}   # output into a pipe: buffered


def test_the_process_exits_with_mains_status_and_every_line_it_wrote(project):
    code, out, _ = run(project, "status")
    proc = subprocess.run([sys.executable, "-m", "leaflets", "--root", str(project), "status"],
                          capture_output=True, text=True, cwd=ROOT, env=BUFFERED)
    assert code == proc.returncode == 0
    assert proc.stdout == out and len(out.splitlines()) > 40          # nothing lost in the pipe's buffer
    bad = subprocess.run([sys.executable, str(ROOT / "make_leaflets.py"), "--root", str(project),
                          "build", "--lang", "zz"], capture_output=True, text=True, cwd=ROOT, env=BUFFERED)
    assert bad.returncode == 1 and "zz" in bad.stderr


def test_a_reader_that_stops_early_does_not_turn_into_an_error(project):
    proc = subprocess.run(f"{sys.executable} -m leaflets --root {project} status | head -n 1", shell=True,
                          capture_output=True, text=True, cwd=ROOT, env=BUFFERED)
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == 1 and "Traceback" not in proc.stderr


def test_the_process_runs_its_cycle_collector_less_often_and_its_workers_inherit_that(project):
    # A command's process (cli.run) sets the collector's thresholds before main; a build's workers
    # are forked from it. Seen from a worker's unit of work: the thresholds it runs with.
    probe = ("import gc, sys\n"
             "from leaflets import cli, workers\n"
             "seen = []\n"
             "def main():\n"
             "    with workers.Pool(2) as pool:\n"
             "        seen.extend(pool.map(_thresholds, [0, 1]))\n"
             "    seen.append(gc.get_threshold())\n"
             "    print(seen)\n"
             "    return 0\n"
             "def _thresholds(_):\n"
             "    return gc.get_threshold()\n"
             "import __main__; __main__._thresholds = _thresholds\n"
             "cli.main = main\n"
             "cli.run()\n")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, env=BUFFERED)
    assert proc.returncode == 0, proc.stderr
    from leaflets.cli import COLLECT_EVERY
    assert proc.stdout.strip() == str([COLLECT_EVERY] * 3)
    assert gc.get_threshold() != COLLECT_EVERY        # (main, called in this process by the tests, sets nothing)
