"""Launching mtwatch and the offline replica as a user does: child processes, a clean
environment, the test crawl config (politeness lifted for loopback). The one way tests start
mtwatch: :func:`run_cli` (to its end), :func:`start_cli` (in the background), or
:func:`invoke_cli` and :func:`run_cli_here` (in-process, for quick output checks)."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

# crawler.config sets PYDANTIC_DISABLE_PLUGINS in our environment (unless set), as it does in
# every mtwatch process: the launch zygote and every environment made from ours then have the
# value a preloaded crawler.config read (tests.helpers.zygote.IMPORT_VARIABLES)
import crawler.config  # noqa: F401
from tests.helpers import zygote as zygote_client
from tests.helpers.forked import FORKED_POPEN_OPTIONS, ForkedPopen, forked_run
from tests.helpers.smtp import SmtpServer

if TYPE_CHECKING:
    from click.testing import Result

    from tests.helpers.webhook import WebhookReceiver

#: the checkout's root (the replica and the CLI run from here)
REPO = Path(__file__).resolve().parents[2]
#: the crawl config used against the replica: politeness lifted, loopback only
FAST_CONFIG = """
[alerts]
# the replica's articles are months older than the wall clock: each match alerts on its own
# (backfill digests have their own tests, with an age chosen from the replica's dates)
backfill_age = "0"

# [crawl] last: tests append crawl keys to this text
[crawl]
download_delay = 0
autothrottle = false
concurrent_requests_per_domain = 8
run_timeout = 600
"""


@dataclass
class ReplicaProcess:
    """A replica served by ``python -m tests.replica serve`` in a child process."""

    base_url: str
    truth: dict[str, Any]
    proc: subprocess.Popen[str]


def launch_replica(truth_file: Path, command: list[str], *, host: str = "127.0.0.1"
                   ) -> ReplicaProcess:
    """A replica server (``python -m COMMAND … --port 0 --truth FILE``) on ``host``, once it
    listens: it prints its URL first, and has written its truth file by then."""
    proc = subprocess.Popen(
        [sys.executable, "-m", *command, "--port", "0", "--truth", str(truth_file)],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    base_url = proc.stdout.readline().strip()
    if not base_url.startswith(f"http://{host}:"):
        proc.kill()
        raise RuntimeError(f"replica did not start: {base_url!r}")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    return ReplicaProcess(base_url, truth, proc)


def start_replica(tmp: Path, *, articles: int, seed: int, extra: list[str] | None = None
                  ) -> ReplicaProcess:
    """The Moscow Times replica with ``articles`` articles from ``seed``, on 127.0.0.1."""
    return launch_replica(tmp / f"truth-{seed}.json", [
        "tests.replica", "serve", "--articles", str(articles), "--seed", str(seed),
        *(extra or [])])


@contextlib.contextmanager
def replicas_running() -> Iterator[dict[str, ReplicaProcess]]:
    """A dict the block starts replica servers into, by name; every one is stopped after it."""
    started: dict[str, ReplicaProcess] = {}
    try:
        yield started
    finally:
        for server in started.values():
            server.proc.terminate()
            server.proc.wait(timeout=10)


def mtwatch_env(workdir: Path, smtp: SmtpServer | None = None, **extra: str) -> dict[str, str]:
    """A clean environment for one mtwatch process: its own store, data dir and SMTP server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTWATCH_")}
    env.update({
        "MTWATCH_DATA_DIR": str(workdir / "data"),
        "MTWATCH_DB_URL": f"sqlite:///{workdir / 'mtwatch.db'}",
        "MTWATCH_CONFIG": str(workdir / "fast.toml"),
        "SCRAPY_SETTINGS_MODULE": "crawler.settings",
        # every feed and sitemap polled on every run: back-to-back test runs would find them
        # not due (adaptive polling has its own tests)
        "MTWATCH_ADAPTIVE_POLLING": "false",
    })
    if smtp is not None:
        env.update({
            "MTWATCH_SMTP_HOST": "127.0.0.1",
            "MTWATCH_SMTP_PORT": str(smtp.port),
            "MTWATCH_SMTP_SECURITY": "none",
            "MTWATCH_EMAIL_FROM": "mtwatch@test.invalid",
            "MTWATCH_EMAIL_TO": "desk@test.invalid,analyst@test.invalid",
        })
    env.update(extra)
    return env


def with_webhook(workdir: Path, receiver: WebhookReceiver, env: dict[str, str]) -> dict[str, str]:
    """``env`` (from :func:`mtwatch_env`) with the webhook channel beside e-mail, posting to
    ``receiver`` (its loopback address allowed in the workdir's config)."""
    config = workdir / "fast.toml"
    config.write_text(config.read_text() + '\n[alerts.webhook]\nallow_internal = ["127.0.0.1"]\n')
    return {**env, "MTWATCH_ALERT_CHANNELS": "email,webhook",
            "MTWATCH_WEBHOOK_URL": receiver.url, "MTWATCH_WEBHOOK_SECRET": receiver.secret}


def mtwatch_command() -> list[str]:
    """How a user starts mtwatch: the installed console script (``python -m crawler.cli``
    when the venv has none). Every test that starts mtwatch as a process goes through here."""
    script = Path(sys.executable).parent / "mtwatch"
    return [str(script)] if script.exists() else [sys.executable, "-m", "crawler.cli"]


def run_cli(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 600,
            input: str | None = None, *, real_exec: bool = False
            ) -> subprocess.CompletedProcess[str]:
    """``mtwatch ARGS`` as a user runs it, to its end: a child process in another directory
    (``input``: its standard input). The child is forked by this worker's launch zygote
    (tests.helpers.zygote: the same process but for the third-party modules already imported)
    unless ``real_exec`` (a test whose point is the process start itself) or
    ``MTWATCH_TEST_EXEC=1``; the result is the same either way, as is a timeout (the child is
    killed, ``subprocess.TimeoutExpired`` raised)."""
    return run_command([*mtwatch_command(), *args], env, cwd, timeout, input,
                       real_exec=real_exec)


def run_python(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 600,
               input: str | None = None, *, real_exec: bool = False
               ) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` (``-m scrapy crawl …``: the crawl as Scrapy's own command line runs
    it) to its end, as :func:`run_cli` runs mtwatch: forked by the launch zygote unless
    ``real_exec`` or ``MTWATCH_TEST_EXEC=1``."""
    return run_command([sys.executable, *args], env, cwd, timeout, input, real_exec=real_exec)


def run_command(argv: list[str], env: dict[str, str], cwd: Path, timeout: float = 600,
                input: str | None = None, *, real_exec: bool = False
                ) -> subprocess.CompletedProcess[str]:
    """:func:`run_cli` and :func:`run_python` for a whole command line (a Python script or
    the interpreter): ``subprocess.run(argv, capture_output=True, text=True, …)``."""
    zygote = None if real_exec else _zygote_for(env)
    if zygote is None:
        return subprocess.run(argv, cwd=cwd, env=env, text=True, input=input,
                              capture_output=True, timeout=timeout, check=False)
    return forked_run(zygote, argv, env, cwd, timeout=timeout, input=input)


def start_cli(args: list[str], env: dict[str, str], cwd: Path, *, real_exec: bool = False,
              default_sigint: bool = False, **popen: Any) -> subprocess.Popen[Any]:
    """``mtwatch ARGS`` started in the background (``popen``: Popen's stdin, stdout, stderr,
    text, start_new_session); the caller waits for it, signals or kills it. Forked by the
    launch zygote like :func:`run_cli` (the object answers as a Popen does), unless
    ``real_exec``, ``MTWATCH_TEST_EXEC=1`` or a Popen option the zygote cannot give.
    ``default_sigint``: SIGINT handled as a terminal gives it (KeyboardInterrupt) even when
    the suite itself runs with SIGINT ignored (a background job of a non-interactive shell)."""
    return start_command([*mtwatch_command(), *args], env, cwd, real_exec=real_exec,
                         default_sigint=default_sigint, **popen)


def start_python(args: list[str], env: dict[str, str], cwd: Path, *, real_exec: bool = False,
                 **popen: Any) -> subprocess.Popen[Any]:
    """``python ARGS`` started in the background, as :func:`start_cli` starts mtwatch."""
    return start_command([sys.executable, *args], env, cwd, real_exec=real_exec, **popen)


def start_command(argv: list[str], env: dict[str, str], cwd: Path, *, real_exec: bool = False,
                  default_sigint: bool = False, **popen: Any) -> subprocess.Popen[Any]:
    """:func:`start_cli` and :func:`start_python` for a whole command line."""
    zygote = (None if real_exec or set(popen) - FORKED_POPEN_OPTIONS
              else _zygote_for(env))
    if zygote is None:
        if default_sigint:
            popen["preexec_fn"] = _default_sigint
        return subprocess.Popen(argv, cwd=cwd, env=env, **popen)
    return ForkedPopen(zygote, argv, env, cwd, default_sigint=default_sigint,
                       **popen)  # type: ignore[return-value]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


_ZYGOTE: list[zygote_client.Client] = []


def _zygote_for(env: Mapping[str, str]) -> zygote_client.Client | None:
    """This worker's zygote, started on first use (None: launch by exec instead)."""
    if os.environ.get("MTWATCH_TEST_EXEC") == "1" or env.get("MTWATCH_TEST_EXEC") == "1":
        return None
    if not _ZYGOTE or _ZYGOTE[0].owner != os.getpid() or _ZYGOTE[0].proc.poll() is not None:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("MTWATCH_")}
        if not _ZYGOTE:
            atexit.register(_stop_zygote)
        else:  # one that died (its socket closed), or our parent's after a fork (left alone)
            _ZYGOTE[0].stop()
        _ZYGOTE[:] = [zygote_client.Client(clean, str(REPO))]
    zygote = _ZYGOTE[0]
    return zygote if zygote.serves(env) else None


def _stop_zygote() -> None:
    for zygote in _ZYGOTE:
        zygote.stop()


def invoke_cli(args: list[str], env: Mapping[str, str | None],
               input: str | bytes | None = None) -> Result:
    """``mtwatch ARGS`` in this process through click's test runner: for the many quick
    checks of output and exit codes where a child process per call would only cost time."""
    from click.testing import CliRunner

    from crawler.cli import main

    return CliRunner().invoke(main, args, env=env, input=input, catch_exceptions=False)


def run_cli_here(args: list[str], env: dict[str, str], cwd: Path, input: str | None = None,
                 timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """:func:`run_cli` in this process: the same environment (exactly ``env``: variables of
    this process it lacks are unset for the call), the same working directory, the same
    result. For commands that only read or write the store and print: a child process would
    add its start-up (over a second on a busy machine) and prove nothing more. Commands whose
    process is the point (a crawl, signals, exit on a broken install) stay on :func:`run_cli`.
    ``timeout`` is accepted for call sites shared with :func:`run_cli` and not enforced."""
    del timeout
    overrides: dict[str, str | None] = {k: None for k in os.environ if k not in env}
    overrides.update(env)
    with contextlib.chdir(cwd):
        done = invoke_cli(args, overrides, input=input)
    return subprocess.CompletedProcess([*mtwatch_command(), *args], done.exit_code,
                                       done.stdout, done.stderr)


#: commands that crawl (a child process of their own, signals, a lock): always a real process
CRAWLING_COMMANDS = frozenset({"run", "daemon", "demo"})


def run_cli_auto(args: list[str], env: dict[str, str], cwd: Path
                 ) -> subprocess.CompletedProcess[str]:
    """:func:`run_cli` for a command that crawls, :func:`run_cli_here` for any other: for
    tests that loop over several commands and check the same answer from each."""
    crawls = bool(CRAWLING_COMMANDS & set(args[:1]))
    return (run_cli if crawls else run_cli_here)(args, env, cwd)
