"""CPU seconds per test, processes started by the test included: a pytest plugin for finding
where the suite's CPU goes (``--durations`` gives wall time, which on a busy machine says
more about the machine than about the test).

    .venv/bin/pytest -p tests.helpers.cpu_census --cpu-census=/tmp/census tests/test_e2e.py

Each test's figure is the CPU its pytest process used during it, with that of the child
processes it reaped (replica servers, real ``mtwatch`` executions) and that of the worker's
launch zygote (tests.helpers.zygote) and the children it reaped (the forked ``mtwatch``
processes and their crawl children). A process still running when the test ends (a
module-scoped server) is counted in the test that reaps it, and the zygote's own start (about
a second of imports) in the first test of its worker that launches ``mtwatch``. Every pytest
process (each xdist worker) writes its rows to ``DIR/<pid>.json`` (the rows of an earlier run
there are removed first); the run then prints the most expensive tests
(``--cpu-census-top``, 15 by default) and the total. Measuring only: nothing of a test is
changed.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

_TICKS = os.sysconf("SC_CLK_TCK")
#: (test id, CPU seconds, wall seconds, [own, reaped children, zygote and its children])
_ROWS: list[tuple[str, float, float, list[float]]] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cpu census")
    group.addoption("--cpu-census", metavar="DIR", default=None,
                    help="write each test's CPU seconds (its child processes included) to DIR")
    group.addoption("--cpu-census-top", metavar="N", type=int, default=15,
                    help="how many of the most expensive tests to print (default 15)")


def pytest_configure(config: pytest.Config) -> None:
    folder = config.getoption("cpu_census")
    if folder is not None and not hasattr(config, "workerinput"):  # once, in the controller
        for old in Path(folder).glob("*.json"):
            old.unlink()


def _zygote_seconds() -> float:
    """The launch zygote's CPU and that of the children it reaped (0 when none runs)."""
    from tests.helpers import launch

    total = 0.0
    for zygote in launch._ZYGOTE:
        try:
            stat = Path(f"/proc/{zygote.proc.pid}/stat").read_text(encoding="ascii")
        except OSError:  # ended: its figures are in our reaped children's now
            continue
        # after the command name: state is field 3, utime..cstime are fields 14-17
        fields = stat.rsplit(")", 1)[1].split()
        total += sum(int(value) for value in fields[11:15]) / _TICKS
    return total


def _now() -> tuple[float, float, float]:
    times = os.times()
    return (times.user + times.system, times.children_user + times.children_system,
            _zygote_seconds())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    if item.config.getoption("cpu_census") is None:
        yield
        return
    before, started = _now(), time.monotonic()
    yield
    parts = [round(after - earlier, 3) for after, earlier in zip(_now(), before, strict=True)]
    _ROWS.append((item.nodeid, round(sum(parts), 3), round(time.monotonic() - started, 3),
                  parts))


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = session.config.getoption("cpu_census")
    if folder is None or not _ROWS:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / f"{os.getpid()}.json").write_text(json.dumps(_ROWS), encoding="utf-8")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter,
                            config: pytest.Config) -> None:
    folder = config.getoption("cpu_census")
    if folder is None or hasattr(config, "workerinput"):  # an xdist worker: the controller tells
        return
    rows = [row for path in sorted(Path(folder).glob("*.json"))
            for row in json.loads(path.read_text(encoding="utf-8"))]
    rows.sort(key=lambda row: -row[1])
    top = config.getoption("cpu_census_top")
    terminalreporter.write_sep("=", f"CPU census: {len(rows)} tests, "
                                    f"{sum(row[1] for row in rows):.1f} s CPU in all")
    for nodeid, cpu, wall, (own, reaped, zygote) in rows[:top]:
        terminalreporter.write_line(f"{cpu:7.2f}s CPU {wall:7.2f}s wall  (pytest {own:.2f}, "
                                    f"children {reaped:.2f}, zygote {zygote:.2f})  {nodeid}")
