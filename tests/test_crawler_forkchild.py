"""crawler.forkchild: the crawl child forked by `mtwatch run` starts as a new crawl process
would (own session, stdin from /dev/null, only the lock among our descriptors, the given
environment, fresh signal handlers, its lifeline held, none of our atexit handlers), runs its
own atexit handlers at its end, reports its exit code, and the hard timeout still kills it."""

from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import crawler.crawl
from crawler import forkchild
from crawler.lock import FileLock, crawl_lock_path
from tests.helpers.launch import mtwatch_env, run_cli
from tests.helpers.output import one_line_error


@pytest.fixture
def crawl_main(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[list[str]], int]], None]:
    """Replace the crawl the forked child runs (it inherits the patched module)."""
    def use(main: Callable[[list[str]], int]) -> None:
        monkeypatch.setattr(crawler.crawl, "main", main)

    return use


def test_a_forked_child_starts_as_a_new_crawl_process_would(
        tmp_path: Path, crawl_main: Callable[[Callable[[list[str]], int]], None]) -> None:
    report = tmp_path / "report.json"
    lock = os.open(tmp_path / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    stray_read, stray_write = os.pipe()

    def main(argv: list[str]) -> int:
        from crawler import lifeline

        atexit.register((tmp_path / "child-atexit").write_text, "ran")
        held = lifeline.held()
        report.write_text(json.dumps({
            "argv": argv, "own_session": os.getsid(0) == os.getpid(),
            "stdin": str(Path("/proc/self/fd/0").readlink()),
            "fds": sorted(int(fd.name) for fd in Path("/proc/self/fd").iterdir()),
            "env": dict(os.environ),
            "sigterm_default": signal.getsignal(signal.SIGTERM) == signal.SIG_DFL,
            "sigint": ("python" if signal.getsignal(signal.SIGINT) is signal.default_int_handler
                       else "ignored" if signal.getsignal(signal.SIGINT) == signal.SIG_IGN
                       else "other"),
            "lifeline_parent": held.parent if held is not None else None,
        }), encoding="utf-8")
        return 3

    crawl_main(main)
    # a new interpreter installs Python's SIGINT handler unless SIGINT comes ignored (pytest run
    # as a background job of a non-interactive shell): then it stays ignored, as across exec
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    new_process_sigint = "ignored" if ignored else "python"
    previous = signal.signal(signal.SIGTERM, lambda *_: None)  # as crawler.interruption does
    ours = tmp_path / "parent-atexit"

    def parent_exit() -> None:
        ours.write_text(str(os.getpid()), encoding="utf-8")

    atexit.register(parent_exit)
    try:
        child = forkchild.start(["-s", "A=1"], {"X": "1", "MTWATCH_PARENT_PID": str(os.getpid())},
                                keep_fd=lock)
        assert child.wait() == 3
    finally:
        atexit.unregister(parent_exit)
        signal.signal(signal.SIGTERM, previous)
        for fd in (lock, stray_read, stray_write):
            os.close(fd)
    seen = json.loads(report.read_text(encoding="utf-8"))
    assert seen["argv"] == ["-s", "A=1"]
    assert seen["own_session"] is True
    assert seen["stdin"] == os.devnull
    assert lock in seen["fds"]
    assert stray_read not in seen["fds"]
    assert stray_write not in seen["fds"]
    assert seen["env"] == {"X": "1"}, "the lifeline's variable is taken, nothing else is there"
    assert seen["sigterm_default"] is True
    assert seen["sigint"] == new_process_sigint
    assert seen["lifeline_parent"] == os.getpid()
    assert not ours.exists(), "our atexit handler ran in the child"
    assert (tmp_path / "child-atexit").read_text() == "ran"


def test_a_crawl_that_raises_exits_1(crawl_main: Callable[[Callable[[list[str]], int]], None]
                                     ) -> None:
    def main(argv: list[str]) -> int:
        raise RuntimeError("boom")

    crawl_main(main)
    assert forkchild.start([], {}).wait() == 1


def test_waiting_times_out_while_the_child_runs_and_sees_it_killed(
        crawl_main: Callable[[Callable[[list[str]], int]], None]) -> None:
    gate_read, gate_write = os.pipe()

    def main(argv: list[str]) -> int:
        os.read(gate_read, 1)  # blocks: only the parent holds the write end
        return 0

    crawl_main(main)
    try:
        child = forkchild.start([], {}, keep_fd=gate_read)
        with pytest.raises(subprocess.TimeoutExpired):
            child.wait(timeout=0.01)
        assert child.returncode is None
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait() == -signal.SIGKILL
    finally:
        os.close(gate_read)
        os.close(gate_write)


def test_mtwatch_run_kills_a_crawl_past_its_hard_timeout(tmp_path: Path) -> None:
    """A site that accepts connections and never answers: the crawl would wait for it; the
    timeout stops it, the run fails saying so, and no crawl process holds the lock after.
    Scrapy's clean close after SIGTERM waits for the request in flight (download_timeout
    30 s), so the crawl is killed when `mtwatch run`'s stop grace runs out, the path this test
    is about: 1 s here (20 s by default), for it is waited out in full whatever the load."""
    (tmp_path / "fast.toml").write_text("[crawl]\ndownload_delay = 0\nautothrottle = false\n"
                                        "stop_grace = 1\n", encoding="utf-8")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        site = f"http://127.0.0.1:{silent.getsockname()[1]}"
        done = run_cli(["run", "--site", site, "--timeout", "1"], mtwatch_env(tmp_path),
                       tmp_path, timeout=120)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "timeout: crawl killed after 1 s" in one_line_error(done.stderr)
    with FileLock.acquire(crawl_lock_path(tmp_path / "data"), what="crawl", trigger="test"):
        pass  # free: the crawl child (which inherited it) is gone
