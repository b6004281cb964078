"""What ``subprocess.run`` and ``subprocess.Popen`` give a test, for a child the launch zygote
(tests.helpers.zygote) forked: :func:`forked_run` (to its end, output captured, killed at its
timeout) and :class:`ForkedPopen` (in the background, with Popen's methods and attributes)."""

from __future__ import annotations

import contextlib
import io
import locale
import os
import selectors
import subprocess
import threading
import time
from typing import IO, Any

from tests.helpers.zygote import Child, Client

#: Popen's options a forked child can be given; any other sends the launch to a real exec
FORKED_POPEN_OPTIONS = frozenset({"stdin", "stdout", "stderr", "text", "universal_newlines",
                                  "encoding", "errors", "start_new_session", "bufsize"})


def _text(data: bytes, encoding: str) -> str:
    """Output as ``text=True`` gives it: decoded, universal newlines."""
    return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")


def forked_run(zygote: Client, argv: list[str], env: dict[str, str], cwd: os.PathLike[str] | str,
               *, timeout: float | None, input: str | None
               ) -> subprocess.CompletedProcess[str]:
    """``subprocess.run(argv, capture_output=True, text=True, input=input, timeout=timeout)``
    for a forked child: stdin inherited unless ``input``; at the timeout the child is killed
    and ``subprocess.TimeoutExpired`` raised with the output read so far (bytes, as run's)."""
    encoding = locale.getpreferredencoding(False)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    in_r, in_w = os.pipe() if input is not None else (0, -1)
    try:
        child = zygote.launch(argv, env, str(cwd), (in_r, out_w, err_w))
    except BaseException:
        for fd in (out_r, err_r, in_w):
            if fd >= 0:
                os.close(fd)
        raise
    finally:
        for fd in (out_w, err_w, *((in_r,) if input is not None else ())):
            os.close(fd)
    deadline = None if timeout is None else time.monotonic() + timeout
    output: dict[int, list[bytes]] = {out_r: [], err_r: []}
    pending = memoryview((input or "").encode(encoding))
    with selectors.DefaultSelector() as selector:
        selector.register(out_r, selectors.EVENT_READ)
        selector.register(err_r, selectors.EVENT_READ)
        if in_w >= 0:
            if pending:
                os.set_blocking(in_w, False)
                selector.register(in_w, selectors.EVENT_WRITE)
            else:
                os.close(in_w)
        while selector.get_map():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            for key, _ in selector.select(left):
                fd = key.fd
                if fd == in_w:
                    try:
                        pending = pending[os.write(fd, pending[:65536]):]
                    except BrokenPipeError:
                        pending = pending[:0]
                    if not pending:
                        selector.unregister(fd)
                        os.close(fd)
                    continue
                chunk = os.read(fd, 65536)
                if chunk:
                    output[fd].append(chunk)
                else:
                    selector.unregister(fd)
                    os.close(fd)
        leftover = list(selector.get_map())
    for fd in leftover:
        os.close(fd)
    try:
        if leftover:
            raise subprocess.TimeoutExpired(argv, timeout or 0.0)
        left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
        returncode = child.wait(left)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        raise subprocess.TimeoutExpired(argv, timeout or 0.0, output=b"".join(output[out_r]),
                                        stderr=b"".join(output[err_r])) from None
    return subprocess.CompletedProcess(argv, returncode, _text(b"".join(output[out_r]), encoding),
                                       _text(b"".join(output[err_r]), encoding))


class ForkedPopen:
    """A forked child with the face of ``subprocess.Popen``: ``args``, ``pid``,
    ``returncode``, ``stdin``/``stdout``/``stderr`` (for PIPE), ``poll``, ``wait``,
    ``send_signal``, ``terminate``, ``kill``, ``communicate``, and use as a context manager."""

    def __init__(self, zygote: Client, argv: list[str], env: dict[str, str],
                 cwd: os.PathLike[str] | str, *, default_sigint: bool = False,
                 stdin: Any = None, stdout: Any = None, stderr: Any = None,
                 text: bool | None = None, universal_newlines: bool | None = None,
                 encoding: str | None = None, errors: str | None = None,
                 start_new_session: bool = False, bufsize: int = -1) -> None:
        self.args = argv
        text_mode = bool(text or universal_newlines or encoding or errors)
        theirs: list[int] = []  # descriptors opened for the child: closed once it has them
        ours: dict[str, int] = {}

        def child_end(name: str, spec: Any, fd: int) -> int:
            if spec is None:
                return fd
            if spec == subprocess.PIPE:
                read, write = os.pipe()
                mine, child = (write, read) if name == "stdin" else (read, write)
                ours[name] = mine
                theirs.append(child)
                return child
            if spec == subprocess.DEVNULL:
                null = os.open(os.devnull, os.O_RDWR)
                theirs.append(null)
                return null
            if isinstance(spec, int):
                return spec
            return int(spec.fileno())

        child_in = child_end("stdin", stdin, 0)
        child_out = child_end("stdout", stdout, 1)
        child_err = child_out if stderr == subprocess.STDOUT else child_end("stderr", stderr, 2)
        try:
            self._child: Child = zygote.launch(argv, env, str(cwd),
                                               (child_in, child_out, child_err),
                                               new_session=start_new_session,
                                               default_sigint=default_sigint)
        except BaseException:
            for fd in ours.values():
                os.close(fd)
            raise
        finally:
            for fd in theirs:
                os.close(fd)
        self.pid = self._child.pid
        self.stdin: IO[Any] | None = None
        self.stdout: IO[Any] | None = None
        self.stderr: IO[Any] | None = None
        if "stdin" in ours:
            self.stdin = open(ours["stdin"], "wb", bufsize)  # noqa: SIM115
            if text_mode:
                self.stdin = io.TextIOWrapper(self.stdin, write_through=True,  # type: ignore[arg-type]
                                              line_buffering=bufsize == 1,
                                              encoding=encoding, errors=errors)
        for name in ("stdout", "stderr"):
            if name in ours:
                stream: IO[Any] = open(ours[name], "rb", bufsize)  # noqa: SIM115
                if text_mode:
                    stream = io.TextIOWrapper(stream, encoding=encoding,  # type: ignore[arg-type]
                                              errors=errors)
                setattr(self, name, stream)
        self._readers: dict[str, tuple[threading.Thread, list[Any]]] = {}

    @property
    def returncode(self) -> int | None:
        return self._child.returncode

    def poll(self) -> int | None:
        return self._child.poll()

    def wait(self, timeout: float | None = None) -> int:
        try:
            return self._child.wait(timeout)
        except subprocess.TimeoutExpired:
            raise subprocess.TimeoutExpired(self.args, timeout or 0.0) from None

    def send_signal(self, sig: int) -> None:
        self._child.send_signal(sig)

    def terminate(self) -> None:
        self._child.terminate()

    def kill(self) -> None:
        self._child.kill()

    def communicate(self, input: Any = None, timeout: float | None = None
                    ) -> tuple[Any, Any]:
        """Send ``input``, read stdout/stderr to their end, wait: as Popen's (the output of a
        call that timed out is kept for the next call)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if self.stdin is not None and not self.stdin.closed:
            if input:
                with contextlib.suppress(BrokenPipeError):
                    self.stdin.write(input)
            with contextlib.suppress(BrokenPipeError):
                self.stdin.close()
        for name in ("stdout", "stderr"):
            stream = getattr(self, name)
            if stream is not None and name not in self._readers:
                box: list[Any] = []
                reader = threading.Thread(target=lambda s=stream, b=box: b.append(s.read()),
                                          daemon=True)
                reader.start()
                self._readers[name] = (reader, box)
        for reader, _ in self._readers.values():
            reader.join(None if deadline is None else max(deadline - time.monotonic(), 0))
            if reader.is_alive():
                raise subprocess.TimeoutExpired(self.args, timeout or 0.0)
        self.wait(None if deadline is None else max(deadline - time.monotonic(), 0))
        results = []
        for name in ("stdout", "stderr"):
            if name in self._readers:
                getattr(self, name).close()
                results.append(self._readers[name][1][0])
            else:
                results.append(None)
        return results[0], results[1]

    def __enter__(self) -> ForkedPopen:
        return self

    def __exit__(self, *exc: object) -> None:
        for stream in (self.stdout, self.stderr, self.stdin):
            if stream is not None and not stream.closed:
                with contextlib.suppress(BrokenPipeError):
                    stream.close()
        self.wait()
