"""One crawl at a time: a ``flock`` on ``<data_dir>/crawl.lock``, plus a PostgreSQL run lease."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import stat
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.storage.files import open_private, private_dir

#: exit status of the loser (EX_TEMPFAIL): "try again later", not a failure
EXIT_LOCKED = 75
CRAWL_LOCK = "crawl.lock"
DAEMON_LOCK = "daemon.lock"


class LockBusyError(Exception):
    """Somebody else holds the lock; the message names them (pid, trigger, since when)."""


class UnsafeLockError(Exception):
    """The lock file is a symlink or has other names: taking it would write to another file."""


@dataclass
class FileLock:
    """An exclusive ``flock``: the kernel frees it when the holder dies, even by kill -9."""

    path: Path
    fd: int

    @classmethod
    def acquire(cls, path: Path, *, what: str, trigger: str) -> FileLock:
        """Take the lock now or raise LockBusyError; never waits. The file is created 0600 and
        never followed: UnsafeLockError for a symlink or a file with other names (hard links),
        whose contents the holder's line would overwrite."""
        private_dir(path.parent)
        try:
            fd = open_private(path, os.O_RDWR | os.O_CREAT)
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            raise UnsafeLockError(f"{path} is a symbolic link: remove it (mtwatch never "
                                  "follows links in its data directory)") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _describe(_read_holder(fd))
            os.close(fd)
            raise LockBusyError(f"another {what} is running{holder}; try again later") from None
        if not _own_file(fd):
            os.close(fd)
            raise UnsafeLockError(f"{path} is not a plain file of its own (a hard link?): "
                                  "remove it") from None
        lock = cls(path, fd)
        lock._write_holder(trigger)
        return lock

    @classmethod
    def inherited(cls, path: Path, fd: int) -> FileLock | None:
        """The lock our parent took and passed down as ``fd``, if that is really it."""
        try:
            same = os.path.samestat(os.fstat(fd), path.stat())
            if same:
                # flock on the same open file description succeeds only if it already holds it
                # or nobody does; either way the lock is now ours
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return None
        return cls(path, fd) if same else None

    def _write_holder(self, trigger: str) -> None:
        info = {"pid": os.getpid(), "host": socket.gethostname(), "trigger": trigger,
                "since": datetime.now(UTC).isoformat(timespec="seconds")}
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, json.dumps(info).encode(), 0)

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing the last descriptor drops the flock
            self.fd = -1

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _own_file(fd: int) -> bool:
    """A regular file with this one name: truncating it touches nothing else."""
    info = os.fstat(fd)
    return stat.S_ISREG(info.st_mode) and info.st_nlink == 1


def _read_holder(fd: int) -> dict[str, Any]:
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _describe(holder: dict[str, Any]) -> str:
    parts = [f"{key} {holder[key]}" for key in ("pid", "trigger", "since") if key in holder]
    return f" ({', '.join(parts)})" if parts else ""


def lease_key(store: str) -> int:
    """The advisory lock key of one store's run lease (the same in every mtwatch process)."""
    return zlib.crc32(f"mtwatch crawl lease|{store}".encode())


def crawl_lock_path(data_dir: Path) -> Path:
    return data_dir / CRAWL_LOCK


class RunLease:
    """``pg_try_advisory_lock`` on a dedicated session: one crawl per PostgreSQL store, any host."""

    def __init__(self, store_url: str) -> None:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        self._engine: Any = None
        self._conn: Any = None
        if make_url(store_url).get_backend_name() != "postgresql":
            return  # SQLite lives on one host: the file lock is enough
        self._engine = create_engine(store_url, poolclass=_null_pool())
        self._conn = self._engine.connect()
        # one lease per store: stores in other schemas of the same database do not block us
        where = self._conn.execute(text("SELECT current_database(), current_schema()")).one()
        key = lease_key(f"{where[0]}.{where[1]}")
        got = self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})
        if not got.scalar_one():
            self.release()
            raise LockBusyError("another crawl holds the PostgreSQL run lease; try again later")
        self._conn.commit()  # the session lock outlives the transaction

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()  # the session ends, and the lease with it
            self._conn = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


class CrawlLease:
    """The locks one crawl holds from engine start to exit: the file lock and, on PostgreSQL,
    the run lease. Taken before anything is written; the loser exits 75 with one line."""

    def __init__(self, file_lock: FileLock, run_lease: RunLease) -> None:
        self.file_lock = file_lock
        self.run_lease = run_lease

    @classmethod
    def take(cls, data_dir: Path, store_url: str, trigger: str, inherited_fd: int | None
             ) -> CrawlLease:
        """LockBusyError if another crawl runs; ``inherited_fd``: the lock our parent holds."""
        path = crawl_lock_path(data_dir)
        file_lock = FileLock.inherited(path, inherited_fd) if inherited_fd is not None else None
        if file_lock is None:
            file_lock = FileLock.acquire(path, what="crawl", trigger=trigger)
        try:
            return cls(file_lock, RunLease(store_url))
        except BaseException:
            file_lock.release()
            raise

    def release(self) -> None:
        self.run_lease.release()
        self.file_lock.release()


def _null_pool() -> Any:
    from sqlalchemy.pool import NullPool

    return NullPool
