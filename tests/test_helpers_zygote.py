"""The tests' launch zygote (tests.helpers.zygote): a forked child is what a new process would
be — exit codes, signals, its own environment, directory and standard streams, no descriptor
of ours — and the zygote outlives whatever its children do."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.forked import ForkedPopen, forked_run
from tests.helpers.launch import REPO
from tests.helpers.zygote import Client, startup_variables

#: a child that tells what a process can see of how it was started
STATE = """
import json, os, signal, sys, time
import __main__
fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
print(json.dumps({
    "argv": sys.argv, "cwd": os.getcwd(), "env": dict(os.environ),
    "fds": fds[:3] + [fd for fd in fds[3:] if os.path.exists(f"/proc/self/fd/{fd}")],
    "signals": {s.name: repr(signal.getsignal(s)) for s in signal.valid_signals()
                if isinstance(s, signal.Signals) and s not in (signal.SIGKILL, signal.SIGSTOP)},
    "mask": sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])),
    "path0": sys.path[0], "main": __main__.__file__, "tz": [time.tzname, time.timezone],
    "streams": [[s.encoding, s.errors, s.line_buffering]
                for s in (sys.stdin, sys.stdout, sys.stderr)],
    "session": os.getsid(0) == os.getpid(),
    "ours": sorted(m for m in sys.modules if m == "tests" or m.startswith("tests.")),
    "reactor": "twisted.internet.reactor" in sys.modules,
}))
"""


@pytest.fixture(scope="module")
def zygote() -> Iterator[Client]:
    client = Client({k: v for k, v in os.environ.items() if not k.startswith("MTWATCH_")},
                    str(REPO))
    yield client
    client.stop()


@pytest.fixture
def script(tmp_path: Path) -> Iterator[Path]:
    return tmp_path / "child.py"


def write(path: Path, code: str) -> list[str]:
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    return [str(path)]


def env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("MTWATCH_")}, **extra}


def state(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout)
    return found


def test_a_forked_child_sees_what_an_executed_one_sees(
        zygote: Client, script: Path, tmp_path: Path) -> None:
    argv = write(script, STATE)
    given = env(TZ="Asia/Tokyo", PROBE="1")
    forked = state(forked_run(zygote, argv, given, tmp_path, timeout=60, input=""))
    real = state(subprocess.run([sys.executable, *argv], env=given, cwd=tmp_path, input="",
                                capture_output=True, text=True, timeout=60, check=False))
    real["argv"] = [str(script)]  # the one difference by design: no interpreter in argv
    assert forked == real
    assert forked["fds"] == [0, 1, 2]
    assert forked["ours"] == []
    assert forked["reactor"] is False


def test_exit_codes_tracebacks_and_exit_handlers_as_an_interpreter_ends(
        zygote: Client, script: Path, tmp_path: Path) -> None:
    def run(code: str) -> subprocess.CompletedProcess[str]:
        return forked_run(zygote, write(script, code), env(), tmp_path, timeout=60, input=None)

    assert run("import sys; sys.exit(3)").returncode == 3
    assert run("print('fine')").stdout == "fine\n"
    failed = run("raise ValueError('boom')")
    assert failed.returncode == 1
    assert "ValueError: boom" in failed.stderr
    ended = run("""
        import atexit, sys
        atexit.register(lambda: print("at exit", file=sys.stderr))
        sys.stdout.write("unflushed")
        sys.exit("a message")
    """)
    assert (ended.returncode, ended.stdout) == (1, "unflushed")
    assert ended.stderr == "a message\nat exit\n"


def test_a_child_killed_by_a_signal_reports_it_negative_and_the_zygote_goes_on(
        zygote: Client, script: Path, tmp_path: Path) -> None:
    waiting = ForkedPopen(zygote, write(script, "import sys; sys.stdin.read()"), env(),
                          tmp_path, stdin=subprocess.PIPE)
    assert waiting.poll() is None
    with pytest.raises(subprocess.TimeoutExpired):
        waiting.wait(timeout=0)
    waiting.kill()
    assert waiting.wait(timeout=60) == -signal.SIGKILL
    waiting.kill()  # reaped: its pidfd signals nothing
    crashed = forked_run(zygote, write(script, "import os; os.abort()"), env(), tmp_path,
                         timeout=60, input=None)
    assert crashed.returncode == -signal.SIGABRT
    assert forked_run(zygote, write(script, "print('next')"), env(), tmp_path, timeout=60,
                      input=None).stdout == "next\n"


def test_environment_and_directory_are_each_launchs_own(
        zygote: Client, script: Path, tmp_path: Path) -> None:
    argv = write(script, STATE)
    (tmp_path / "a").mkdir()
    first = state(forked_run(zygote, argv, env(ONLY_FIRST="x", TZ="UTC"), tmp_path / "a",
                             timeout=60, input=None))
    second = state(forked_run(zygote, argv, env(TZ="America/New_York"), tmp_path, timeout=60,
                              input=None))
    assert first["env"]["ONLY_FIRST"] == "x"  # type: ignore[index]
    assert "ONLY_FIRST" not in second["env"]  # type: ignore[operator]
    assert first["cwd"] == str(tmp_path / "a")
    assert second["cwd"] == str(tmp_path)
    assert first["tz"] == [["UTC", "UTC"], 0]
    assert second["tz"] == [["EST", "EDT"], 5 * 3600]


def test_input_reaches_stdin_and_output_is_text(
        zygote: Client, script: Path, tmp_path: Path) -> None:
    argv = write(script, "import sys; data = sys.stdin.read(); print(data.upper(), end='')")
    big = "ж\r\n" * 100_000  # more than a pipe holds: written while the output is read
    done = forked_run(zygote, argv, env(), tmp_path, timeout=60, input=big)
    assert done.stdout == "Ж\n" * 100_000


def test_at_its_timeout_the_child_is_killed_and_timeout_expired_raised(
        zygote: Client, script: Path, tmp_path: Path) -> None:
    argv = write(script, """
        import os, signal, sys
        print(os.getpid(), flush=True)
        signal.pause()
    """)
    with pytest.raises(subprocess.TimeoutExpired) as info:
        forked_run(zygote, argv, env(), tmp_path, timeout=2, input=None)
    pid = int(info.value.output)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped before the exception


def test_no_descriptor_of_the_launcher_reaches_the_child(
        zygote: Client, script: Path, tmp_path: Path) -> None:
    argv = write(script, STATE)
    read, write_end = os.pipe()
    os.set_inheritable(read, True)
    try:
        found = state(forked_run(zygote, argv, env(), tmp_path, timeout=60, input=None))
    finally:
        os.close(read)
        os.close(write_end)
    assert found["fds"] == [0, 1, 2]


def test_popen_face_pipes_sessions_and_sigint(
        zygote: Client, script: Path, tmp_path: Path) -> None:
    argv = write(script, """
        import os, sys
        try:
            print(sys.stdin.readline().strip(), os.getsid(0) == os.getpid(), flush=True)
            sys.stdin.read()
        except KeyboardInterrupt:
            print("interrupted")
            sys.exit(130)
    """)
    proc = ForkedPopen(zygote, argv, env(), tmp_path, stdin=subprocess.PIPE,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       start_new_session=True, default_sigint=True)
    assert proc.stdin is not None
    assert proc.stdout is not None
    proc.stdin.write("hello\n")
    proc.stdin.flush()
    assert proc.stdout.readline() == "hello True\n"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out, err) == (130, "interrupted\n", None)


def test_the_preloaded_libraries_keep_no_environment_value(tmp_path: Path) -> None:
    """The preload is done with a marker in every variable the tests vary; no module global
    holds one, but the interpreter's own start-up state (site, sysconfig: from HOME), which
    is why a launch with another HOME than the zygote's is a real exec."""
    marker = "zygote-env-marker"
    audit = textwrap.dedent(f"""
        import sys
        from tests.helpers import zygote
        assert zygote.preload() == [], "all preloads importable"
        zygote.check_preloaded_state()
        seen = set()
        def holds(value, depth=0):
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            if isinstance(value, str):
                return {{v for v in value.split("/") if v.startswith({marker!r})}}
            found = set()
            if depth < 3 and isinstance(value, (list, tuple, set, frozenset)):
                for v in value:
                    found |= holds(v, depth + 1)
            if depth < 3 and isinstance(value, dict):
                for k, v in value.items():
                    found |= holds(k, depth + 1) | holds(v, depth + 1)
            return found
        for name, module in list(sys.modules.items()):
            if name in ("os", "posix", "sys", "__main__") or name.startswith("tests"):
                continue  # os.environ itself, sys.argv (this code)
            for attribute, value in list(vars(module).items()):
                for variable in holds(value):
                    seen.add((name, variable[len({marker!r}) + 1:]))
        import json
        print(json.dumps(sorted(seen)))
    """)
    varied = {name: f"/{marker}-{name}/x" for name in (
        "HOME", "TMPDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "USER",
        "SSL_CERT_FILE", "SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT", "NO_COLOR", "COLUMNS",
        "TERM", "TZ")}
    done = subprocess.run([sys.executable, "-c", audit], cwd=REPO, env=env(**varied),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    found = {tuple(pair) for pair in json.loads(done.stdout)}
    assert found <= {("site", "HOME"), ("sysconfig", "HOME")}, found
    assert "HOME" in startup_variables(varied)
