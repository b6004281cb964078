"""A killed parent takes its children with it: the crawl child and the extraction worker hold a
lifeline (PR_SET_PDEATHSIG, and their own check of the parent where the kernel cannot)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from crawler import lifeline, parentwatch
from crawler.launcher import _Stop
from tests.helpers.launch import REPO
from tests.helpers.ops import wait_until
from tests.helpers.procs import cmdline, descendants, running, wait_gone

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

#: a parent that starts a child holding a lifeline (``kernel``: PR_SET_PDEATHSIG too), prints
#: the child's pid, then waits to be killed
PARENT = """
import os, subprocess, sys, time
from crawler import lifeline
child = '''
import os, sys, time
from crawler import lifeline
line = lifeline.hold(int(os.environ.pop(lifeline.PARENT_ENV)), kernel={kernel})
print(os.getpid(), line.kernel, lifeline.PARENT_ENV in os.environ, flush=True)
while True:
    line.check()  # the child's own loop (the fallback)
    time.sleep(0.05)
'''
proc = subprocess.Popen([sys.executable, "-c", child], start_new_session=True,
                        env=lifeline.child_environment(dict(os.environ)), stdout=sys.stdout)
proc.wait()
"""


def python(code: str, **popen: Any) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, **popen)


@linux
@pytest.mark.parametrize("kernel", [True, False], ids=["pdeathsig", "own-check"])
def test_kill_9_of_the_parent_kills_the_child(kernel: bool) -> None:
    parent = python(PARENT.format(kernel=kernel), stdout=subprocess.PIPE)
    assert parent.stdout is not None
    pid, armed, inherited = parent.stdout.readline().split()
    assert (armed, inherited) == (str(kernel), "False")  # the variable is not passed further
    assert running(int(pid))
    parent.kill()
    parent.wait(timeout=30)
    wait_gone([int(pid)], 60, "the orphaned child")


def test_a_child_whose_parent_died_before_it_held_the_lifeline_dies_at_once() -> None:
    # the pid in the variable is not our parent's: the parent it names is already gone
    child = python("""
        import os
        from crawler import lifeline
        os.environ[lifeline.PARENT_ENV] = str(os.getppid() + 100000)
        lifeline.hold_from_environment()
        print("still running")
    """, stdout=subprocess.PIPE)
    out, _ = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert "still running" not in out


def test_without_a_parent_pid_nothing_is_held(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(lifeline.PARENT_ENV, raising=False)
    monkeypatch.setattr(lifeline, "_held", None)
    assert lifeline.hold_from_environment() is None
    monkeypatch.setenv(lifeline.PARENT_ENV, "1")  # init is nobody's parent we care for
    assert lifeline.hold_from_environment() is None


WORKER_PARENT = """
    import time
    from pipelines.extraction.worker import ExtractionWorker
    worker = ExtractionWorker()
    print(worker.extract("<html><body><p>Some text here.</p></body></html>").text, flush=True)
    print(worker.pid, flush=True)
    time.sleep(600)
"""


@linux
def test_the_extraction_worker_dies_with_the_process_that_started_it() -> None:
    parent = python(WORKER_PARENT, stdout=subprocess.PIPE)
    assert parent.stdout is not None
    parent.stdout.readline()
    worker = int(parent.stdout.readline())
    assert running(worker)
    parent.kill()
    parent.wait(timeout=30)
    wait_gone([worker], 60, "the extraction worker")


def test_the_crawls_own_check_is_off_unless_mtwatch_started_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    monkeypatch.setattr(lifeline, "_held", None)
    with pytest.raises(NotConfigured):
        parentwatch.ParentWatch.from_crawler(get_crawler())
    killed: list[tuple[int, int]] = []
    monkeypatch.setattr(lifeline.os, "kill", lambda pid, sig: killed.append((pid, sig)))
    orphan = lifeline.Lifeline(parent=os.getppid() + 100000, kernel=False)
    monkeypatch.setattr(lifeline, "_held", orphan)
    watch = parentwatch.ParentWatch.from_crawler(get_crawler())
    watch.loop.f()  # one tick of the loop: the parent is gone
    assert killed == [(os.getpid(), signal.SIGKILL)]
    lifeline.Lifeline(parent=os.getppid(), kernel=False).check()
    assert len(killed) == 1


@linux
def test_a_second_ctrl_c_kills_a_crawl_that_ignores_sigterm() -> None:
    stubborn = python("""
        import signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("ready", flush=True)
        time.sleep(600)
    """, stdout=subprocess.PIPE, start_new_session=True)
    assert stubborn.stdout is not None
    stubborn.stdout.readline()
    force = threading.Event()
    stopper = threading.Thread(target=_Stop(grace=600, force=force), args=(stubborn,))
    stopper.start()
    force.set()  # without it, the stop would wait the whole 600 s grace
    stopper.join(timeout=60)
    assert not stopper.is_alive()
    assert stubborn.returncode == -signal.SIGKILL


@linux
def test_mtwatch_run_killed_takes_the_crawl_and_its_extraction_worker(
    workdir: Path,
) -> None:
    """About 20 s: a page big enough for the extraction worker, the run killed with -9 while
    the worker runs; nothing of it survives and the next run starts at once."""
    from tests.helpers.launch import mtwatch_env, run_cli, start_cli
    from tests.replica import Replica
    from tests.replica.gate import Gate

    big = {"title": "A very long record of proceedings", "date": "2026-06-23",
           "text": "\n\n".join(f"Item {i} of the record." for i in range(7000))}
    # few enough other pages that the held ones leave a download slot for the big one
    with Replica(articles=5, seed=3, corpus=[big]) as site:
        # every other article page waits: the crawl is busy with the big one
        gate = Gate(r"^/\d{4}/\d{2}/\d{2}/(?!a-very-long-record)", after=0).install(site.server)
        env = mtwatch_env(workdir)
        with (workdir / "run.err").open("wb") as err:
            run = start_cli(["run", "--site", site.base_url], env, workdir,
                            stdout=subprocess.DEVNULL, stderr=err)

        def worker() -> list[int]:
            # a child listed may be gone before its command line is read (cmdline gives "")
            return [p for p in descendants(run.pid)
                    if "pipelines.extraction.worker" in cmdline(p)]

        wait_until(lambda: bool(worker()) or run.poll() is not None, 300,
                   "the extraction worker to start", every=0.02)
        tree = descendants(run.pid)
        assert worker(), (workdir / "run.err").read_text()
        run.kill()
        run.wait(timeout=60)
        wait_gone(tree, 60, "the killed run's crawl and worker")
        gate.remove()
        again = run_cli(["run", "--site", site.base_url], env, workdir)
    assert again.returncode == 0, again.stderr
