"""A launch zygote for the tests: a fork server that starts ``mtwatch`` children with the
third-party libraries already imported.

Every new ``mtwatch`` interpreter spends about a second of CPU importing Scrapy, Twisted,
SQLAlchemy, Alembic, pydantic, click, rich, lxml, trafilatura, … before it does anything;
the suite starts well over a hundred of them. This process (``python -m tests.helpers.zygote
FD``, one per pytest worker, started by tests.helpers.launch) imports those libraries once,
then the project's modules a launch imports (:data:`PRELOAD_PROJECT`: audited for import-time
state; the Scrapy settings module, which reads the environment, is never preloaded), and
then forks one child per request received on the socket FD. Each child is made what a new
``mtwatch`` process would be: the signal handlers and signal mask this interpreter had when it
started, the request's standard streams on 0/1/2 and no other descriptor, its working
directory, exactly its environment (and time zone), its ``sys.argv``, optionally a session of
its own; then it runs the console script (or ``-m MODULE``) from top-level code, so that it
ends as any interpreter does: atexit handlers, flushed output, the exit code of SystemExit.

The protocol (a SOCK_SEQPACKET socket: one message per request):

* request: JSON ``{"argv": [...], "env": {...}, "cwd": "...", "new_session": bool,
  "default_sigint": bool}`` with four descriptors: stdin, stdout, stderr and the write end
  of a status pipe;
* reply: ``b"pid N"`` with the child's pidfd (or ``b"error ..."`` without one);
* when the child ends, its exit status (Popen's convention: negative for a signal) is written
  to the status pipe as a decimal line, and the pipe is closed.

The zygote ends when the socket reaches end of file (its pytest worker closed it or died).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: the third-party modules `mtwatch run` and its crawl child import (found with
#: ``-X importtime``), as the few imports that pull in the rest; nothing of the project, and
#: nothing that starts a thread (numpy: OpenBLAS's pool) or installs Twisted's reactor
PRELOAD = (
    "click", "click.testing", "rich.console", "rich.table", "rich.progress", "rich.text",
    "pydantic", "pydantic.main", "pydantic.fields", "pydantic.types", "pydantic.json_schema",
    "pydantic.functional_validators", "pydantic._internal._generate_schema", "annotated_types",
    "sqlalchemy", "sqlalchemy.orm", "sqlalchemy.dialects.sqlite", "sqlalchemy.dialects.postgresql",
    "sqlalchemy.pool", "alembic", "alembic.command", "alembic.config", "alembic.runtime.migration",
    "alembic.script", "mako.template",
    "scrapy", "scrapy.crawler", "scrapy.commands", "scrapy.utils.project", "scrapy.utils.request",
    "scrapy.utils.engine", "scrapy.spidermiddlewares.referer",
    "scrapy.core.downloader.handlers.http11", "scrapy.core.engine", "scrapy.core.scheduler",
    "scrapy.extensions.telnet", "scrapy.spiders", "scrapy.http", "scrapy.selector",
    "twisted.internet.asyncioreactor", "twisted.internet.defer", "twisted.internet.task",
    "twisted.web.client", "protego", "queuelib",
    "lxml.etree", "lxml.html", "lxml.cssselect", "trafilatura", "htmldate", "courlan", "justext",
    "ahocorasick", "ahocorasick_rs", "standardwebhooks.webhooks", "urllib3", "certifi",
    "psycopg", "jinja2", "dateutil.parser",
)

#: the project's modules a launch imports (its command, the crawl child's spiders, pipelines,
#: alert channels), as the imports that pull in the rest, preloaded after PRELOAD. Their
#: import-time state was audited (tests/test_helpers_zygote.py): no environment value, working
#: directory, time, thread, reactor, descriptor, signal handler, logging setup or filled cache,
#: but for IMPORT_VARIABLES. Two are left out, and nothing here may import them:
#: crawler.settings, the Scrapy settings module, reads the environment when imported (that is
#: what a settings module is for) and takes the crawl child's lifeline; pipelines.stories
#: imports numpy, whose OpenBLAS starts a thread pool.
PRELOAD_PROJECT = (
    "crawler.cli", *(f"crawler.cli.{name}" for name in (
        "alerts", "common", "config", "daemon", "db", "demo", "explain", "export", "label",
        "leader", "match", "matches", "progress", "report", "run", "serve", "show", "status",
        "status_watches", "topiccheck", "topics", "worker")),
    "crawler.crawl", "crawler.commands.crawlsites", "crawler.middlewares", "crawler.robots",
    "crawler.items", "crawler.logsafe", "crawler.parentwatch", "crawler.polling",
    "crawler.health.extension", "crawler.health.storeguard", "crawler.health.deadman",
    "crawler.health.verdict", "crawler.health.coverage", "crawler.daemon.bookkeeping",
    "crawler.daemon.metrics", "crawler.daemon.scheduler",
    *(f"crawler.spiders.{name}" for name in (
        "articles", "canary", "documents", "generic", "horizons", "ledger", "moscowtimes",
        "moves", "plan", "schedules")),
    "crawler.sites.generic.discovery", "crawler.sites.moscowtimes.article",
    "crawler.sites.moscowtimes.listing", "crawler.sites.offload",
    *(f"pipelines.steps.{name}" for name in ("alert", "clean", "detect", "groupcommit", "store")),
    *(f"pipelines.alerts.{name}" for name in (
        "chat", "digest", "mail", "relay", "render", "signing", "webhook")),
    *(f"pipelines.extraction.{name}" for name in ("article", "generic", "pool", "worker")),
    "pipelines.matcher.screen", "pipelines.matcher.topicset", "pipelines.wiring",
)
#: modules never preloaded (see PRELOAD_PROJECT)
NOT_PRELOADED = ("crawler.settings", "pipelines.stories", "numpy")
#: environment variables a preloaded module reads (or sets) when imported: crawler.config
#: sets PYDANTIC_DISABLE_PLUGINS unless the user did, before its models are built. A request
#: is forked only if its value is the one the preload read and left (the launcher sets it
#: before it starts the zygote); one with another value is executed for real by its child.
IMPORT_VARIABLES = ("PYDANTIC_DISABLE_PLUGINS",)

#: modules of ours the child forgets: a real mtwatch process has not imported them
_OWN_MODULES = ("tests.helpers.zygote", "tests.helpers", "tests")


def preload(project: bool = True) -> list[str]:
    """Import :data:`PRELOAD`, then (``project``) :data:`PRELOAD_PROJECT` as the console
    script would find them: ``sys.path[0]`` is then the script's directory, not ours. The
    names that could not be imported (an optional extra)."""
    import importlib

    missing = []
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if project:
        first = sys.path[0]
        sys.path[0] = str(Path(sys.executable).parent)  # the console script's
        try:
            for name in PRELOAD_PROJECT:
                try:
                    importlib.import_module(name)
                except ModuleNotFoundError as exc:  # renamed or removed: the list is stale
                    if exc.name != name:
                        raise
                    missing.append(name)
        finally:
            sys.path[0] = first
    return missing


def check_preloaded_state() -> None:
    """What the children rely on: one thread, no reactor, no temporary directory chosen."""
    import tempfile

    assert "twisted.internet.reactor" not in sys.modules, "a preload installed the reactor"
    assert len(list(Path("/proc/self/task").iterdir())) == 1, "a preload started a thread"
    assert tempfile.tempdir is None, "a preload fixed the temporary directory"
    assert not any(name == excluded or name.startswith(f"{excluded}.")
                   for name in sys.modules for excluded in NOT_PRELOADED), \
        "a preload imported a module that must not be preloaded"


class Zygote:
    """The request loop: forks children and reports how each ended."""

    def __init__(self, sock: socket.socket, seen: Mapping[str, str]) -> None:
        self.sock = sock
        #: a child's pid -> the write end of its status pipe
        self.status: dict[int, int] = {}
        #: what a new interpreter has, recorded before this process changes any of it
        self.dispositions = {sig: signal.getsignal(sig) for sig in signal.valid_signals()
                             if sig not in (signal.SIGKILL, signal.SIGSTOP)}
        self.mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        #: IMPORT_VARIABLES as the preloaded modules saw them and as they left them (None: unset)
        self.import_variables = {name: (seen.get(name), os.environ.get(name))
                                 for name in IMPORT_VARIABLES}

    def serve(self) -> dict[str, Any] | None:
        """Serve until the socket closes (returns None); in a forked child, return its
        request (the caller then runs it from top-level code)."""
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_r, False)
        os.set_blocking(wake_w, False)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.set_wakeup_fd(wake_w)
        signal.siginterrupt(signal.SIGCHLD, False)
        try:
            while True:
                self._reap()
                try:
                    ready, _, _ = select.select([self.sock, wake_r], [], [])
                except InterruptedError:  # pragma: no cover - PEP 475 retries select
                    continue
                if wake_r in ready:
                    with contextlib.suppress(BlockingIOError):
                        os.read(wake_r, 4096)
                if self.sock in ready:
                    request = self._receive()
                    if request is None:
                        return None
                    if request.get("child"):  # its descriptors are closed already
                        return request
        finally:
            for fd in self.status.values():  # the worker is gone: no one to report to
                os.close(fd)
            self.status.clear()

    def _receive(self) -> dict[str, Any] | None:
        try:
            data, fds, _, _ = socket.recv_fds(self.sock, 1 << 20, 4)
        except ConnectionResetError:
            return None
        if not data:
            for fd in fds:
                os.close(fd)
            return None
        try:
            request = json.loads(data)
            if len(fds) != 4:
                raise ValueError(f"4 descriptors expected, got {len(fds)}")
            pid = self._fork(request, fds)
        except Exception as exc:  # a bad request: say so, serve the next one
            for fd in fds:
                os.close(fd)
            self.sock.send(f"error {type(exc).__name__}: {exc}".encode())
            return {}
        if pid == 0:
            request["child"] = True
            return request
        return {}

    def _fork(self, request: dict[str, Any], fds: list[int]) -> int:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        pid = os.fork()
        if pid == 0:
            try:
                self._become_new_process(request, fds)
            except BaseException:
                import traceback

                traceback.print_exc()
                os._exit(127)
            return 0
        for fd in fds[:3]:
            os.close(fd)
        self.status[pid] = fds[3]
        pidfd = os.pidfd_open(pid)  # the child is ours until we reap it: this is the one
        try:
            socket.send_fds(self.sock, [f"pid {pid}".encode()], [pidfd])
        finally:
            os.close(pidfd)
        return pid

    def _reap(self) -> None:
        while self.status:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            fd = self.status.pop(pid, None)
            if fd is not None:
                try:
                    os.write(fd, f"{os.waitstatus_to_exitcode(status)}\n".encode())
                except BrokenPipeError:  # the test stopped waiting: nothing to tell
                    pass
                finally:
                    os.close(fd)

    def _become_new_process(self, request: dict[str, Any], fds: list[int]) -> None:
        """In the child: what exec would have given a new interpreter, but for the modules."""
        signal.set_wakeup_fd(-1)
        self.status = {}  # the other children's: closed below with every descriptor
        for sig, handler in self.dispositions.items():
            if handler is not None:  # None: set outside Python; left as it is
                signal.signal(sig, handler)
        if request.get("default_sigint"):  # as a terminal gives it, even if we ignore it
            signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, self.mask)
        if request.get("new_session"):
            os.setsid()
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        self.sock.detach()
        _standard_streams()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()
        for name in _OWN_MODULES:
            sys.modules.pop(name, None)
        if any(not os.environ.get(name) == seen == left
               for name, (seen, left) in self.import_variables.items()):
            _execute(request["argv"])  # the preloaded modules would not be what it imports


def _execute(argv: list[str]) -> None:
    """Replace this child by a new interpreter running ``argv`` (a script path, or the
    interpreter itself with its arguments), in the state the child was given."""
    command = list(argv) if argv[0] == sys.executable else [sys.executable, *argv]
    os.execv(command[0], command)


def _standard_streams() -> None:
    """sys.stdin/stdout/stderr made anew for the descriptors 0/1/2 the child was given, as
    the interpreter makes them at start (same encoding and errors as ours: the launcher
    only sends requests whose locale and PYTHON* variables are ours)."""
    import io

    unbuffered = sys.stdout.write_through  # -u or PYTHONUNBUFFERED, as ours
    made = []
    for fd, old in ((0, sys.stdin), (1, sys.stdout), (2, sys.stderr)):
        write = fd != 0
        raw = io.FileIO(fd, "wb" if write else "rb", closefd=False)
        tty = raw.isatty()
        buffered: Any
        if write and unbuffered:
            buffered = raw
        elif write:
            buffered = io.BufferedWriter(raw)
        else:
            buffered = io.BufferedReader(raw)
        stream = io.TextIOWrapper(buffered, encoding=old.encoding, errors=old.errors,
                                  newline="\n", line_buffering=write and not unbuffered
                                  and (tty or fd == 2), write_through=write and unbuffered)
        stream.mode = "w" if write else "r"  # type: ignore[misc]
        made.append(stream)
    sys.stdin, sys.stdout, sys.stderr = made
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = made  # type: ignore[misc]


def run_request(request: dict[str, Any]) -> None:
    """Run the command of a child's request as the interpreter would run it from its command
    line: a script path, or ``PYTHON -m MODULE``. Called from top-level code: SystemExit and
    errors leave the interpreter the ordinary way."""
    import runpy

    argv: list[str] = request["argv"]
    sys.orig_argv = [sys.executable, *argv] if argv[0] != sys.executable else list(argv)
    if argv[0] == sys.executable and argv[1:2] == ["-m"]:
        sys.argv = [argv[2], *argv[3:]]  # runpy puts the module's file first
        sys.path[0] = str(Path.cwd())
        runpy.run_module(argv[2], run_name="__main__", alter_sys=True)
    else:
        sys.argv = list(argv)
        sys.path[0] = str(Path(argv[0]).resolve().parent)  # links resolved, as CPython does
        runpy.run_path(argv[0], run_name="__main__")


# --- the client side: used in the pytest worker by tests.helpers.launch ---------------------

def startup_variables(env: Mapping[str, str]) -> dict[str, str]:
    """The environment variables a new interpreter reads as it starts: its flags and path
    (PYTHON*), its locale and so its standard streams' encoding, HOME (site's user base). A
    request that differs from the zygote's own in any of them is not the zygote's to serve:
    the launcher then really executes the command."""
    return {k: v for k, v in env.items()
            if k.startswith(("PYTHON", "LC_")) or k in ("LANG", "LANGUAGE", "HOME")}


class Client:
    """This process's zygote: started by :meth:`start`, stopped by :meth:`stop` (at exit)."""

    def __init__(self, env: Mapping[str, str], cwd: str) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.env = dict(env)
        self.owner = os.getpid()
        self.lock = threading.Lock()
        with theirs:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.helpers.zygote", str(theirs.fileno())],
                pass_fds=[theirs.fileno()], cwd=cwd, env=self.env,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        self.sock = ours

    def serves(self, env: Mapping[str, str]) -> bool:
        return (os.getpid() == self.owner and self.proc.poll() is None
                and startup_variables(env) == startup_variables(self.env))

    def launch(self, argv: list[str], env: Mapping[str, str], cwd: str,
               stdio: tuple[int, int, int], *, new_session: bool = False,
               default_sigint: bool = False) -> Child:
        """Fork ``argv`` with ``stdio`` (descriptors, not closed here) as its 0/1/2."""
        request = json.dumps({"argv": list(argv), "env": dict(env), "cwd": str(cwd),
                              "new_session": new_session, "default_sigint": default_sigint})
        status_r, status_w = os.pipe()
        try:
            with self.lock:
                socket.send_fds(self.sock, [request.encode()], [*stdio, status_w])
                reply, fds, _, _ = socket.recv_fds(self.sock, 4096, 1)
        except BaseException:
            os.close(status_r)
            raise
        finally:
            os.close(status_w)
        if not reply.startswith(b"pid ") or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            os.close(status_r)
            raise RuntimeError(f"zygote: {reply.decode(errors='replace') or 'gone'}")
        return Child(int(reply.split()[1]), fds[0], status_r)

    def stop(self) -> None:
        if os.getpid() != self.owner:
            return
        self.sock.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Child:
    """A forked child as its launcher sees it: pid, signals through its pidfd, and the exit
    status the zygote reports (Popen's convention)."""

    def __init__(self, pid: int, pidfd: int, status: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._pidfd = pidfd
        self._status = status
        self._lock = threading.Lock()

    def wait(self, timeout: float | None = None) -> int:
        """The exit status; ``subprocess.TimeoutExpired`` if it runs on after ``timeout``."""
        if self.returncode is None:
            ready, _, _ = select.select([self._status], [], [], timeout)
            if not ready:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout or 0.0)
        with self._lock:  # the line is whole: the zygote writes it at once
            if self.returncode is None:
                line = b""
                while not line.endswith(b"\n"):
                    chunk = os.read(self._status, 64)
                    if not chunk:
                        raise RuntimeError(f"zygote died before reporting pid {self.pid}")
                    line += chunk
                self.returncode = int(line)
                os.close(self._status)
                os.close(self._pidfd)
            return self.returncode

    def poll(self) -> int | None:
        try:
            return self.wait(0)
        except subprocess.TimeoutExpired:
            return None

    def send_signal(self, sig: int) -> None:
        """Signal it unless it was reaped (its pidfd never names another process)."""
        with self._lock:
            if self.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    signal.pidfd_send_signal(self._pidfd, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def __del__(self) -> None:
        if self.returncode is None:
            for fd in (self._status, self._pidfd):
                with contextlib.suppress(OSError):
                    os.close(fd)


def main(argv: list[str]) -> dict[str, Any] | None:
    sock = socket.socket(fileno=int(argv[1]))
    seen = {name: os.environ[name] for name in IMPORT_VARIABLES if name in os.environ}
    missing = preload()
    check_preloaded_state()
    if missing:
        print(f"zygote: not preloaded: {', '.join(missing)}", file=sys.stderr)
    import gc

    gc.collect()
    gc.freeze()  # the preloaded objects stay shared with the children, never scanned again
    return Zygote(sock, seen).serve()


if __name__ == "__main__":
    _request = main(sys.argv)
    if _request is None:
        sys.exit(0)
    del _request["child"]
    run_request(_request)
