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

import crawler.config  # noqa: F401  (sets PYDANTIC_DISABLE_PLUGINS here, as launch.py does)
from tests.helpers import zygote as zygote_module
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
            if (name in ("os", "posix", "sys", "__main__", "__mp_main__")
                    or name.startswith("tests")):
                continue  # os.environ itself, sys.argv, this code (multiprocessing's name too)
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


#: how the audit below watches the environment: every read of os.environ by a frame of the
#: project while its modules are preloaded
ENV_READS = """
import os, sys
_Env = type(os.environ)
_get, _contains = _Env.__getitem__, _Env.__contains__
reads = set()
def _project_frame():
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.split(".")[0] in ("crawler", "pipelines"):
            return name
        frame = frame.f_back
    return None
def _read(self, key, _original=_get):
    if _project_frame():
        reads.add(key)
    return _original(self, key)
def _asked(self, key, _original=_contains):
    if _project_frame():
        reads.add(key)
    return _original(self, key)
_Env.__getitem__, _Env.__contains__ = _read, _asked
"""

#: what the project's preloaded modules leave behind, compared with the state before them
PROJECT_AUDIT = ENV_READS + """
import atexit, datetime, functools, json, logging, random, signal, warnings
from tests.helpers import zygote
assert zygote.preload(project=False) == []
def snapshot():
    return {
        "fds": sorted(os.listdir("/proc/self/fd")),
        "threads": len(os.listdir("/proc/self/task")),
        "signals": {int(s): repr(signal.getsignal(s)) for s in signal.valid_signals()
                    if s not in (signal.SIGKILL, signal.SIGSTOP)},
        "path": list(sys.path), "cwd": os.getcwd(), "random": repr(random.getstate()),
        "warnings": repr(warnings.filters),
        "logging": {name: repr([log.handlers, log.level, log.propagate, log.disabled])
                    for name, log in [("", logging.root),
                                      *logging.Logger.manager.loggerDict.items()]
                    if isinstance(log, logging.Logger) and (log.handlers or log.level)},
    }
before = snapshot()
zygote.preload()
zygote.check_preloaded_state()
after = snapshot()
_Env.__getitem__, _Env.__contains__ = _get, _contains
found = {"changed": sorted(k for k in before if before[k] != after[k] and k != "logging"),
         "loggers": sorted(name for name in {**before["logging"], **after["logging"]}
                           if before["logging"].get(name) != after["logging"].get(name)),
         "reads": sorted(reads),
         "cached": [], "times": [], "randoms": []}
for name, module in list(sys.modules.items()):
    if name.split(".")[0] not in ("crawler", "pipelines"):
        continue
    for attribute, value in list(vars(module).items()):
        members = [value] + (list(vars(value).values()) if isinstance(value, type)
                             and value.__module__ == name else [])
        for member in members:
            member = getattr(member, "__func__", getattr(member, "fget", member))
            if callable(getattr(type(member), "cache_info", None)) and member.cache_info().currsize:
                found["cached"].append(f"{name}.{attribute}")
        if isinstance(value, (datetime.date, datetime.time)):
            found["times"].append(f"{name}.{attribute}")
        if isinstance(value, random.Random):
            found["randoms"].append(f"{name}.{attribute}")
print(json.dumps(found))
"""


def test_the_preloaded_project_modules_leave_no_state_a_new_process_would_not_have() -> None:
    """Importing the project's preloaded modules reads no environment variable but those a
    new interpreter reads as it starts and IMPORT_VARIABLES, and leaves no descriptor, thread,
    signal handler, sys.path entry, directory change, random state, warning filter, logging
    set-up, filled cache, captured date or random generator behind: a forked child then holds
    what an exec'd one would have built for itself."""
    done = subprocess.run([sys.executable, "-c", PROJECT_AUDIT], cwd=REPO, env=env(),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    allowed = set(zygote_module.IMPORT_VARIABLES) | {"LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"}
    assert set(found["reads"]) <= allowed, found["reads"]
    assert all(set(startup_variables({name: ""})) == {name}
               for name in allowed - set(zygote_module.IMPORT_VARIABLES))  # click's gettext
    assert found["changed"] == []
    # pipelines.storage.migrate quiets alembic's per-migration lines, the same in every
    # process whatever its environment; only the store's migrations log there
    assert found["loggers"] == ["alembic.runtime.migration"]
    assert (found["cached"], found["times"], found["randoms"]) == ([], [], [])


#: a child that tells what its settings and configuration are made of, from the environment
SETTINGS = """
import json, os, sys
from scrapy.utils.project import get_project_settings
from crawler.config import load_config
settings = get_project_settings()
config = load_config(None)
print(json.dumps({
    "batch": settings.get("MTWATCH_STORE_BATCH"),
    "wait": settings.get("MTWATCH_STORE_BATCH_SECONDS"),
    "run_timeout": config.crawl.run_timeout,
    "lifeline_variable_taken": "MTWATCH_PARENT_PID" not in os.environ,
    "store": config.store_url, "data": str(config.data_dir),
    "plugins": os.environ.get("PYDANTIC_DISABLE_PLUGINS"),
    "preloaded": "crawler.cli.run" in sys.modules,
}))
"""


def test_the_environment_of_each_launch_reaches_its_settings_and_config_as_with_exec(
        zygote: Client, script: Path, tmp_path: Path) -> None:
    """The Scrapy settings module reads the environment when imported, so it is never
    preloaded: each forked launch builds its settings (and its config) from its own
    environment, exactly as an exec'd one does, and takes its own lifeline variable."""
    argv = write(script, SETTINGS)
    answers = []
    for batch in ("7", "9"):
        (tmp_path / f"{batch}.toml").write_text(f"[crawl]\nrun_timeout = {batch}00\n")
        given = env(MTWATCH_STORE_BATCH=batch, MTWATCH_STORE_BATCH_SECONDS=f"{batch}.5",
                    MTWATCH_PARENT_PID="1", SCRAPY_SETTINGS_MODULE="crawler.settings",
                    MTWATCH_DB_URL=f"sqlite:///{tmp_path / batch}.db",
                    MTWATCH_DATA_DIR=str(tmp_path / batch),
                    MTWATCH_CONFIG=str(tmp_path / f"{batch}.toml"))
        forked = state(forked_run(zygote, argv, given, tmp_path, timeout=60, input=None))
        real = state(subprocess.run([sys.executable, *argv], env=given, cwd=tmp_path,
                                    capture_output=True, text=True, timeout=60, check=False))
        assert forked.pop("preloaded") is True
        assert real.pop("preloaded") is False
        assert forked == real
        answers.append(forked)
    assert [(a["batch"], a["wait"]) for a in answers] == [("7", "7.5"), ("9", "9.5")]
    assert answers[0]["lifeline_variable_taken"] is True
    assert answers[1]["store"] == f"sqlite:///{tmp_path / '9'}.db"
    assert [a["run_timeout"] for a in answers] == [700, 900]


def test_a_launch_that_differs_in_an_import_variable_is_executed_for_real(
        script: Path, tmp_path: Path) -> None:
    """crawler.config sets PYDANTIC_DISABLE_PLUGINS when it is imported, unless the user set
    it: a launch is forked only with the value the preload read and left as it was; with
    another value, or from a zygote whose preload had to set it, it gets a new interpreter."""
    argv = write(script, SETTINGS)
    (tmp_path / "fast.toml").write_text("")
    given = env(SCRAPY_SETTINGS_MODULE="crawler.settings",
                MTWATCH_DB_URL=f"sqlite:///{tmp_path / 'store.db'}",
                MTWATCH_DATA_DIR=str(tmp_path), MTWATCH_CONFIG=str(tmp_path / "fast.toml"))
    given.pop("PYDANTIC_DISABLE_PLUGINS", None)
    found = {}
    for zygote_value in (None, "__all__"):
        zygote_env = {k: v for k, v in given.items() if not k.startswith("MTWATCH_")}
        if zygote_value is not None:
            zygote_env["PYDANTIC_DISABLE_PLUGINS"] = zygote_value
        zygote = Client(zygote_env, str(REPO))
        try:
            for value in (None, "__all__", "other"):
                request = {**given, **({} if value is None
                                       else {"PYDANTIC_DISABLE_PLUGINS": value})}
                seen = state(forked_run(zygote, argv, request, tmp_path, timeout=60,
                                        input=None))
                found[zygote_value, value] = (seen["plugins"], seen["preloaded"])
        finally:
            zygote.stop()
    assert found == {
        (None, None): ("__all__", False), (None, "__all__"): ("__all__", False),
        (None, "other"): ("other", False),
        ("__all__", None): ("__all__", False), ("__all__", "__all__"): ("__all__", True),
        ("__all__", "other"): ("other", False),
    }
